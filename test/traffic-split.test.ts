import { Chart, Duration, Testing } from 'cdk8s';
import { HttpMethod, MeshService, RetryOn, StringMatch, TrafficSplit, TrafficSplitProps, Weight } from '../src';
import { re2Problem } from '../src/routing/re2';
import { chart, object } from './util';

const VERSIONS = [{ name: 'v1', image: 'ghcr.io/acme/users:1.0.0' }, { name: 'v2', image: 'ghcr.io/acme/users:2.0.0' }];

/** GIVEN a fresh chart with MeshService `users` (v1, v2) and a TrafficSplit built from `props`. */
function split(props: Partial<TrafficSplitProps> = {}, c: Chart = chart()) {
  const service = new MeshService(c, 'users', { versions: VERSIONS });
  const ts = new TrafficSplit(c, 'users-routing', { service, defaultRoute: { destinations: [{ version: 'v1' }] }, ...props });
  return { c, service, ts, vs: () => object(c, 'VirtualService', 'users') };
}

const AB = {
  destinations: [
    { version: 'v1', weight: Weight.fraction(0.9) },
    { version: 'v2', weight: Weight.fraction(0.1) },
  ],
};

describe('TrafficSplit', () => {
  test('snapshot: header rule then a weighted default route', () => {
    const { vs } = split({
      rules: [{ matches: [{ headers: { version: StringMatch.exact('v2') } }], destinations: [{ version: 'v2' }] }],
      defaultRoute: AB,
    });
    expect(vs()).toMatchSnapshot();
  });

  test('renders one networking.istio.io/v1 VirtualService named after the service, hosts = the service, in the chart namespace', () => {
    const { c, ts } = split();
    const all = Testing.synth(c).filter((o) => o.kind === 'VirtualService');
    expect(all).toHaveLength(1);
    expect(all[0]).toMatchObject({
      apiVersion: 'networking.istio.io/v1',
      metadata: { name: 'users', namespace: 'test', labels: { app: 'users' } },
      spec: { hosts: ['users'] },
    });
    expect(ts.node.defaultChild).toBe(ts.virtualService);
    expect(ts.virtualService!.node.id).toBe('Resource');
  });

  test('routes to the DestinationRule subsets of the same host', () => {
    const { vs, service } = split({ defaultRoute: AB });
    const dr = service.destinationRule!.toJson();
    const route = vs().spec.http[0].route;
    expect(route.map((r: any) => r.destination.host)).toEqual([dr.spec.host, dr.spec.host]);
    expect(route.map((r: any) => r.destination.subset)).toEqual(dr.spec.subsets.map((s: any) => s.name));
  });

  test('weights as fractions 0.9 / 0.1 render 90 / 10; a single destination has no weight', () => {
    const { vs } = split({ rules: [{ matches: [{ uri: StringMatch.prefix('/beta') }], destinations: [{ version: 'v2' }] }], defaultRoute: AB });
    const http = vs().spec.http;
    expect(http[0].route).toEqual([{ destination: { host: 'users', subset: 'v2' } }]);
    expect(http[1].route.map((r: any) => r.weight)).toEqual([90, 10]);
  });

  test('a single destination given Weight.percent(100) still renders no weight', () => {
    const { vs } = split({ defaultRoute: { destinations: [{ version: 'v2', weight: Weight.percent(100) }] } });
    expect(vs().spec.http[0].route).toEqual([{ destination: { host: 'users', subset: 'v2' } }]);
  });

  test('weights 1/3 each render 34 / 33 / 33', () => {
    const c = chart();
    const service = new MeshService(c, 'users', { versions: [...VERSIONS, { name: 'v3', image: 'x:3' }] });
    new TrafficSplit(c, 'r', {
      service,
      defaultRoute: { destinations: ['v1', 'v2', 'v3'].map((version) => ({ version, weight: Weight.fraction(1 / 3) })) },
    });
    expect(object(c, 'VirtualService', 'users').spec.http[0].route.map((r: any) => r.weight)).toEqual([34, 33, 33]);
  });

  test('rules come first in order, the default route last with no match', () => {
    const { vs } = split({
      rules: [
        { name: 'a', matches: [{ headers: { 'x-a': StringMatch.exact('1') } }], destinations: [{ version: 'v2' }] },
        { name: 'b', matches: [{ headers: { 'x-b': StringMatch.exact('1') } }], destinations: [{ version: 'v1' }] },
      ],
    });
    const http = vs().spec.http;
    expect(http.map((h: any) => h.name)).toEqual(['a', 'b', undefined]);
    expect(http[2].match).toBeUndefined();
  });

  test('addRule() appends before the default route, even after construction', () => {
    const { ts, vs } = split({ rules: [{ name: 'first', matches: [{ headers: { a: StringMatch.exact('1') } }], destinations: [{ version: 'v2' }] }] });
    expect(ts.addRule({ name: 'second', matches: [{ headers: { b: StringMatch.exact('1') } }], destinations: [{ version: 'v2' }] })).toBe(1);
    expect(vs().spec.http.map((h: any) => h.name)).toEqual(['first', 'second', undefined]);
  });

  describe('matches', () => {
    const firstMatch = (matches: any) => split({ rules: [{ matches, destinations: [{ version: 'v2' }] }] }).vs().spec.http[0].match;

    test('headers: exact, prefix and regex; names lower-cased', () => {
      expect(firstMatch([{ headers: { 'X-User': StringMatch.exact('alice'), 'x-Group': StringMatch.prefix('beta-'), 'user-agent': StringMatch.regex('.*Firefox.*') } }]))
        .toEqual([{ headers: { 'x-user': { exact: 'alice' }, 'x-group': { prefix: 'beta-' }, 'user-agent': { regex: '.*Firefox.*' } } }]);
    });

    test('uri: exact, prefix and regex', () => {
      expect(firstMatch([{ uri: StringMatch.exact('/login') }, { uri: StringMatch.prefix('/api/') }, { uri: StringMatch.regex('^/v[0-9]+/.*') }]))
        .toEqual([{ uri: { exact: '/login' } }, { uri: { prefix: '/api/' } }, { uri: { regex: '^/v[0-9]+/.*' } }]);
    });

    test('method and query parameters (exact, regex; empty exact = parameter present without value)', () => {
      expect(firstMatch([{ method: HttpMethod.POST, queryParams: { beta: StringMatch.exact('true'), id: StringMatch.regex('[0-9]+'), debug: StringMatch.exact('') } }]))
        .toEqual([{ method: { exact: 'POST' }, queryParams: { beta: { exact: 'true' }, id: { regex: '[0-9]+' }, debug: { exact: '' } } }]);
    });

    test('conditions in one match are ANDed (one match object); several matches are ORed (several objects)', () => {
      const match = firstMatch([
        { headers: { 'x-a': StringMatch.exact('1') }, uri: StringMatch.prefix('/api'), method: HttpMethod.GET },
        { headers: { 'x-b': StringMatch.exact('1') } },
      ]);
      expect(match).toEqual([
        { headers: { 'x-a': { exact: '1' } }, uri: { prefix: '/api' }, method: { exact: 'GET' } },
        { headers: { 'x-b': { exact: '1' } } },
      ]);
    });

    test('cookie: a regex on the cookie header finding name=value among other cookies', () => {
      const [m] = firstMatch([{ cookie: { name: 'canary', value: 'always' } }]);
      expect(m).toEqual({ headers: { cookie: { regex: '^(.*?;\\s*)?(canary=always)(;.*)?$' } } });
      const re = new RegExp(m.headers.cookie.regex);
      expect(re2Problem(m.headers.cookie.regex)).toBeUndefined();
      for (const yes of ['canary=always', 'a=1; canary=always', 'a=1;canary=always; b=2']) expect(re.test(yes)).toBe(true);
      for (const no of ['canary=never', 'xcanary=always', 'canary=alwaysx', 'a=canary=always']) expect(re.test(no)).toBe(false);
    });

    test('cookie: metacharacters in the name/value are escaped', () => {
      const [m] = firstMatch([{ cookie: { name: 'ab.test', value: 'v+1' }, headers: { 'x-a': StringMatch.exact('1') } }]);
      expect(m.headers).toEqual({ 'x-a': { exact: '1' }, 'cookie': { regex: '^(.*?;\\s*)?(ab\\.test=v\\+1)(;.*)?$' } });
      expect(new RegExp(m.headers.cookie.regex).test('abXtest=v+1')).toBe(false);
    });
  });

  describe('policies', () => {
    const firstRoute = (opts: any) => split({ defaultRoute: { destinations: [{ version: 'v1' }], ...opts } }).vs().spec.http[0];

    test('timeout renders as an Istio duration', () => {
      expect(firstRoute({ timeout: Duration.seconds(2) }).timeout).toBe('2s');
      expect(firstRoute({ timeout: Duration.millis(500) }).timeout).toBe('500ms');
      expect(firstRoute({ timeout: Duration.millis(1500) }).timeout).toBe('1500ms');
      expect(firstRoute({ timeout: Duration.minutes(1) }).timeout).toBe('60s');
    });

    test('retries: attempts, per-try timeout, retryOn', () => {
      expect(firstRoute({ retries: { attempts: 3, perTryTimeout: Duration.millis(250), retryOn: [RetryOn.GATEWAY_ERROR, RetryOn.CONNECT_FAILURE, RetryOn.httpStatus(503)] } }).retries)
        .toEqual({ attempts: 3, perTryTimeout: '250ms', retryOn: 'gateway-error,connect-failure,503' });
      expect(firstRoute({ retries: { attempts: 0 } }).retries).toEqual({ attempts: 0 });
    });

    test('fault injection: delay and abort with percentages (100 when not given)', () => {
      expect(firstRoute({ fault: { delay: { fixed: Duration.seconds(5), percentage: 10 }, abort: { httpStatus: 503 } } }).fault).toEqual({
        delay: { fixedDelay: '5s', percentage: { value: 10 } },
        abort: { httpStatus: 503, percentage: { value: 100 } },
      });
      expect(firstRoute({ fault: { abort: { httpStatus: 500, percentage: 0.5 } } }).fault).toEqual({ abort: { httpStatus: 500, percentage: { value: 0.5 } } });
    });

    test('mirror to another version with a percentage', () => {
      const http = firstRoute({ mirror: { version: 'v2', percentage: 25 } });
      expect(http.mirror).toEqual({ host: 'users', subset: 'v2' });
      expect(http.mirrorPercentage).toEqual({ value: 25 });
    });

    test('a route without policies renders none of them', () => {
      expect(Object.keys(firstRoute({})).sort()).toEqual(['route']);
    });

    test('policies apply per rule', () => {
      const { vs } = split({
        rules: [{ matches: [{ uri: StringMatch.prefix('/slow') }], destinations: [{ version: 'v2' }], timeout: Duration.seconds(10) }],
        defaultRoute: { destinations: [{ version: 'v1' }], timeout: Duration.seconds(1) },
      });
      expect(vs().spec.http.map((h: any) => h.timeout)).toEqual(['10s', '1s']);
    });
  });

  test('a version added later with addVersion() may be routed to', () => {
    const { service, ts, c } = split();
    ts.addRule({ matches: [{ headers: { version: StringMatch.exact('v3') } }], destinations: [{ version: 'v3' }] });
    service.addVersion({ name: 'v3', image: 'ghcr.io/acme/users:3.0.0' });
    expect(() => Testing.synth(c)).not.toThrow();
  });

  test('a TrafficSplit in another namespace than its service names the host by FQDN', () => {
    const app = Testing.app();
    const svcChart = new Chart(app, 'svc', { namespace: 'users-ns', disableResourceNameHashes: true });
    const routingChart = new Chart(app, 'routing', { namespace: 'edge', disableResourceNameHashes: true });
    const service = new MeshService(svcChart, 'users', { versions: VERSIONS });
    new TrafficSplit(routingChart, 'r', { service, defaultRoute: AB });
    const vs = Testing.synth(routingChart).find((o) => o.kind === 'VirtualService');
    expect(vs.spec.hosts).toEqual(['users.users-ns.svc.cluster.local']);
    expect(vs.spec.http[0].route[0].destination.host).toBe('users.users-ns.svc.cluster.local');
  });

  test('TrafficSplits for services of the same name in different namespaces do not conflict', () => {
    const app = Testing.app();
    for (const ns of ['a', 'b']) {
      const c = new Chart(app, ns, { namespace: ns, disableResourceNameHashes: true });
      new TrafficSplit(c, 'r', { service: new MeshService(c, 'users', { versions: VERSIONS }), defaultRoute: AB });
    }
    expect(() => app.synth()).not.toThrow();
  });
});

import { App, Chart, Duration, Testing } from 'cdk8s';
import { HttpMatch, HttpMethod, MeshService, RetryOn, StringMatch, TrafficRule, TrafficSplit, TrafficSplitProps, Weight } from '../src';
import { chart } from './util';

const VERSIONS = [{ name: 'v1', image: 'ghcr.io/acme/users:1.0.0' }, { name: 'v2', image: 'ghcr.io/acme/users:2.0.0' }];
const DEFAULT = { destinations: [{ version: 'v1' }] };
const rule = (matches: HttpMatch[] | undefined, version = 'v2', name?: string): TrafficRule => ({ name, matches, destinations: [{ version }] });

/** GIVEN a MeshService `users` (v1, v2) in a fresh chart, WHEN a TrafficSplit is built with `props`. */
function make(props: Partial<TrafficSplitProps>, c: Chart = chart()) {
  const service = new MeshService(c, 'users', { versions: VERSIONS });
  return { c, service, build: () => new TrafficSplit(c, 'split', { service, defaultRoute: DEFAULT, ...props }) };
}

/** The synth-time (addValidation) errors of a chart, or '' if it synthesizes. */
function synthErrors(c: Chart): string {
  try {
    Testing.synth(c);
    return '';
  } catch (e) {
    return (e as Error).message;
  }
}

// Input errors that need no other construct throw at once (constructor / addRule()).
describe('TrafficSplit bad input', () => {
  test('fails when a destination weight is negative', () => {
    expect(make({ defaultRoute: { destinations: [{ version: 'v1', weight: Weight.percent(110) }, { version: 'v2', weight: Weight.percent(-10) }] } }).build)
      .toThrow("TrafficSplit 'test/split': prop 'defaultRoute.destinations[0].weight' is 110, which is more than the whole route (100)");
    expect(make({ defaultRoute: { destinations: [{ version: 'v1', weight: Weight.percent(100) }, { version: 'v2', weight: Weight.percent(-1) }] } }).build)
      .toThrow("TrafficSplit 'test/split': prop 'defaultRoute.destinations[1].weight' is -1, which is negative. Fix: use a weight ≥ 0");
  });

  test.each([NaN, Infinity])('fails when a weight is %p', (v) => {
    expect(make({ defaultRoute: { destinations: [{ version: 'v1', weight: Weight.fraction(1) }, { version: 'v2', weight: Weight.fraction(v) }] } }).build)
      .toThrow(`prop 'defaultRoute.destinations[1].weight' is ${v}, which is not a finite number`);
  });

  test('fails when all weights are 0', () => {
    expect(make({ defaultRoute: { destinations: [{ version: 'v1', weight: Weight.fraction(0) }, { version: 'v2', weight: Weight.fraction(0) }] } }).build)
      .toThrow("prop 'defaultRoute.destinations' is [\"Weight.fraction(0)\",\"Weight.fraction(0)\"], which gives every destination weight 0");
  });

  test('fails when weights do not sum to a whole route', () => {
    expect(make({ defaultRoute: { destinations: [{ version: 'v1', weight: Weight.fraction(0.8) }, { version: 'v2', weight: Weight.fraction(0.1) }] } }).build)
      .toThrow("prop 'defaultRoute.destinations' is [\"Weight.fraction(0.8)\",\"Weight.fraction(0.1)\"], which has weights summing to 0.9, not 1. Fix: make the fractions sum to 1");
  });

  test('fails when a route with several destinations leaves a weight out', () => {
    expect(make({ defaultRoute: { destinations: [{ version: 'v1', weight: Weight.fraction(1) }, { version: 'v2' }] } }).build)
      .toThrow("prop 'defaultRoute.destinations[1].weight' is undefined, which is missing while the route has several destinations");
  });

  test('fails when a route lists a version twice', () => {
    expect(make({ defaultRoute: { destinations: [{ version: 'v1', weight: Weight.percent(50) }, { version: 'v1', weight: Weight.percent(50) }] } }).build)
      .toThrow("prop 'defaultRoute.destinations[1].version' is \"v1\", which appears twice in this route");
  });

  test('fails when a route has no destination', () => {
    expect(make({ rules: [{ matches: [{ uri: StringMatch.prefix('/a') }], destinations: [] }] }).build)
      .toThrow("prop 'rules[0].destinations' is [], which has no destination");
  });

  test('fails when a version name is not a DNS-1123 label', () => {
    expect(make({ defaultRoute: { destinations: [{ version: 'V1' }] } }).build)
      .toThrow("prop 'defaultRoute.destinations[0].version' is \"V1\", which is not a DNS-1123 label");
  });

  test('fails when a header name is empty', () => {
    expect(make({ rules: [rule([{ headers: { '': StringMatch.exact('x') } }])] }).build)
      .toThrow("TrafficSplit 'test/split': prop 'rules[0].matches[0].headers' is \"\", which is an empty header name. Fix: use a header name");
  });

  test('fails when a header name is not an HTTP token', () => {
    expect(make({ rules: [rule([{ headers: { 'x user': StringMatch.exact('x') } }])] }).build)
      .toThrow("prop 'rules[0].matches[0].headers' is \"x user\", which is not a valid HTTP header name");
  });

  test('fails when a header match names the Host header (Envoy carries it as :authority: it never matches)', () => {
    for (const name of ['host', 'Host']) {
      expect(make({ rules: [rule([{ headers: { [name]: StringMatch.exact('beta.users') } }])] }).build)
        .toThrow(`prop 'rules[0].matches[0].headers' is "${name}", which is the Host header, which Envoy and HTTP/2 carry as :authority: a header match on it never matches. Fix: route by host`);
    }
    expect(make({ rules: [rule([{ headers: { 'x-forwarded-host': StringMatch.exact('beta.users') } }])] }).build).not.toThrow();
  });

  test('fails when two header names differ only in case', () => {
    expect(make({ rules: [rule([{ headers: { 'Version': StringMatch.exact('a'), 'version': StringMatch.exact('b') } }])] }).build)
      .toThrow("prop 'rules[0].matches[0].headers' is \"version\", which is the same header as \"Version\" (names are case-insensitive)");
  });

  test('fails when a match has no condition', () => {
    expect(make({ rules: [rule([{}])] }).build)
      .toThrow("prop 'rules[0].matches[0]' is {}, which has no condition, so it matches every request. Fix: add a condition");
  });

  test('fails when a uri is not an absolute path', () => {
    expect(make({ rules: [rule([{ uri: StringMatch.prefix('api') }])] }).build)
      .toThrow("prop 'rules[0].matches[0].uri' is \"StringMatch.prefix(\\\"api\\\")\", which is not an absolute path");
  });

  test('fails when a prefix is empty', () => {
    expect(make({ rules: [rule([{ headers: { a: StringMatch.prefix('') } }])] }).build)
      .toThrow("prop 'rules[0].matches[0].headers[\"a\"]' is \"StringMatch.prefix(\\\"\\\")\", which is an empty prefix match. Fix: an empty prefix matches everything");
  });

  test('fails when a query parameter uses a prefix match', () => {
    expect(make({ rules: [rule([{ queryParams: { beta: StringMatch.prefix('t') } }])] }).build)
      .toThrow("prop 'rules[0].matches[0].queryParams[\"beta\"]' is \"StringMatch.prefix(\\\"t\\\")\", which is a prefix match, which Istio does not support for query parameters");
  });

  test('fails when the method is not an HTTP method', () => {
    expect(make({ rules: [rule([{ method: 'FETCH' as HttpMethod }])] }).build).toThrow("prop 'rules[0].matches[0].method' is \"FETCH\", which is not an HTTP method");
  });

  test('fails when a cookie value has a separator in it', () => {
    expect(make({ rules: [rule([{ cookie: { name: 'canary', value: 'a;b' } }])] }).build)
      .toThrow("prop 'rules[0].matches[0].cookie.value' is \"a;b\", which is not a cookie value");
  });

  test('fails when a cookie condition and a cookie header condition are both given', () => {
    expect(make({ rules: [rule([{ cookie: { name: 'canary', value: 'always' }, headers: { Cookie: StringMatch.regex('.*') } }])] }).build)
      .toThrow("prop 'rules[0].matches[0].cookie' is {\"name\":\"canary\",\"value\":\"always\"}, which conflicts with headers.cookie");
  });

  test.each([
    ['timeout', { timeout: Duration.millis(0) }, 'defaultRoute.timeout', '0 millis'],
    ['perTryTimeout', { retries: { attempts: 2, perTryTimeout: Duration.millis(0.5) } }, 'defaultRoute.retries.perTryTimeout', '0.5 millis'],
    ['delay', { fault: { delay: { fixed: Duration.seconds(0) } } }, 'defaultRoute.fault.delay.fixed', '0 seconds'],
  ])('fails when the %s is not a whole number of milliseconds ≥ 1ms', (_, opts, prop, shown) => {
    expect(make({ defaultRoute: { ...DEFAULT, ...opts } }).build).toThrow(`prop '${prop}' is "${shown}", which is not a whole number of milliseconds ≥ 1ms`);
  });

  test.each([-1, 1.5, NaN])('fails when retry attempts is %p', (attempts) => {
    expect(make({ defaultRoute: { ...DEFAULT, retries: { attempts } } }).build).toThrow("prop 'defaultRoute.retries.attempts' is");
  });

  test('fails when a retryOn status is not an HTTP status', () => {
    expect(make({ defaultRoute: { ...DEFAULT, retries: { attempts: 1, retryOn: [RetryOn.httpStatus(999)] } } }).build)
      .toThrow("prop 'defaultRoute.retries.retryOn[0]' is 999, which is not an HTTP status code");
  });

  test.each([-1, 101, NaN])('fails when a percentage is %p', (percentage) => {
    expect(make({ defaultRoute: { ...DEFAULT, fault: { abort: { httpStatus: 503, percentage } } } }).build)
      .toThrow(`prop 'defaultRoute.fault.abort.percentage' is ${percentage}, which is not a percentage between 0 and 100`);
    expect(make({ defaultRoute: { ...DEFAULT, mirror: { version: 'v2', percentage } } }).build)
      .toThrow(`prop 'defaultRoute.mirror.percentage' is ${percentage}, which is not a percentage between 0 and 100`);
    expect(make({ defaultRoute: { ...DEFAULT, fault: { delay: { fixed: Duration.seconds(1), percentage } } } }).build)
      .toThrow(`prop 'defaultRoute.fault.delay.percentage' is ${percentage}, which is not a percentage between 0 and 100`);
  });

  test('fails when an abort status is not an HTTP error status', () => {
    expect(make({ defaultRoute: { ...DEFAULT, fault: { abort: { httpStatus: 99 } } } }).build)
      .toThrow("prop 'defaultRoute.fault.abort.httpStatus' is 99, which is not an HTTP status between 200 and 599");
  });

  test('fails when a fault injects nothing', () => {
    expect(make({ defaultRoute: { ...DEFAULT, fault: {} } }).build).toThrow("prop 'defaultRoute.fault' is {}, which injects nothing");
  });

  test('fails when addRule() is given bad input, naming the rule by its position', () => {
    const ts = make({ rules: [rule([{ uri: StringMatch.prefix('/a') }])] }).build();
    expect(() => ts.addRule(rule([{ headers: { '': StringMatch.exact('x') } }]))).toThrow("prop 'rules[1].matches[0].headers' is \"\", which is an empty header name");
  });
});

// Whole-tree checks run at synth and quote the istioctl analyze code they mirror.
describe('TrafficSplit routing analysis (at synth)', () => {
  test('fails when a route names a version the MeshService does not declare (IST0101)', () => {
    const { c, build } = make({ defaultRoute: { destinations: [{ version: 'v1', weight: Weight.percent(50) }, { version: 'v3', weight: Weight.percent(50) }] } });
    build();
    expect(synthErrors(c)).toContain("IST0101 ReferencedResourceNotFound: TrafficSplit 'test/split': prop 'defaultRoute.destinations[1].version' is \"v3\", which is not a version of MeshService \"users\" (declared: \"v1\", \"v2\"), so its DestinationRule has no such subset. Fix: route to a declared version, or declare it");
  });

  test('fails when a mirror names an undeclared version (IST0101)', () => {
    const { c, build } = make({ defaultRoute: { ...DEFAULT, mirror: { version: 'v9' } } });
    build();
    expect(synthErrors(c)).toContain("IST0101 ReferencedResourceNotFound: TrafficSplit 'test/split': prop 'defaultRoute.mirror.version' is \"v9\"");
  });

  test('fails when a rule comes after a catch-all rule (IST0130)', () => {
    const { c, build } = make({ rules: [rule(undefined, 'v2', 'everything'), rule([{ uri: StringMatch.prefix('/a') }])] });
    build();
    const errors = synthErrors(c);
    expect(errors).toContain("IST0130 VirtualServiceUnreachableRule: TrafficSplit 'test/split': prop 'rules[1]' is \"uri prefix '/a' → v2\", which is never reached: rules[0] has no matches, so it takes every request first. Fix: give rules[0] a match, or remove it");
    expect(errors).toContain("IST0130 VirtualServiceUnreachableRule: TrafficSplit 'test/split': prop 'defaultRoute' is \"every request → v1\", which is never reached: rules[0] has no matches");
  });

  test('fails when a match is identical to an earlier one (IST0131), names and header case aside', () => {
    const { c, build } = make({
      rules: [
        rule([{ headers: { version: StringMatch.exact('v2') } }], 'v2', 'a'),
        rule([{ headers: { Version: StringMatch.exact('v2') } }, { uri: StringMatch.exact('/b') }], 'v1', 'b'),
      ],
    });
    build();
    const errors = synthErrors(c);
    expect(errors).toContain("IST0131 VirtualServiceIneffectiveMatch: TrafficSplit 'test/split': prop 'rules[1].matches[0]' is \"header version exact 'v2'\", which is identical to rules[0].matches[0], which comes first");
    expect(errors).not.toContain('IST0130'); // rules[1] is still reached through its second match
  });

  test('fails when a match is identical to an earlier match of the same rule (IST0131)', () => {
    const { c, build } = make({ rules: [rule([{ method: HttpMethod.GET }, { method: HttpMethod.GET }])] });
    build();
    expect(synthErrors(c)).toContain("IST0131 VirtualServiceIneffectiveMatch: TrafficSplit 'test/split': prop 'rules[0].matches[1]' is \"method GET\", which is identical to rules[0].matches[0]");
  });

  test('fails when an earlier, wider match takes all of a later rule (IST0131 + IST0130)', () => {
    const { c, build } = make({
      rules: [
        rule([{ uri: StringMatch.prefix('/api') }], 'v1'),
        rule([{ uri: StringMatch.prefix('/api/v2'), headers: { 'x-beta': StringMatch.exact('1') } }], 'v2'),
      ],
    });
    build();
    const errors = synthErrors(c);
    expect(errors).toContain("IST0131 VirtualServiceIneffectiveMatch: TrafficSplit 'test/split': prop 'rules[1].matches[0]' is \"header x-beta exact '1' and uri prefix '/api/v2'\", which only matches requests that rules[0].matches[0] (uri prefix '/api') already matches first");
    expect(errors).toContain("IST0130 VirtualServiceUnreachableRule: TrafficSplit 'test/split': prop 'rules[1]' is \"header x-beta exact '1' and uri prefix '/api/v2' → v2\", which is never reached: every one of its matches is taken by an earlier rule");
  });

  test('a narrower rule before a wider one is fine', () => {
    const { c, build } = make({
      rules: [
        rule([{ uri: StringMatch.prefix('/api/v2') }], 'v2'),
        rule([{ uri: StringMatch.prefix('/api') }], 'v1'),
        rule([{ uri: StringMatch.regex('/api.*') }], 'v1'),
        rule([{ uri: StringMatch.prefix('/api'), method: HttpMethod.GET }, { headers: { a: StringMatch.exact('1') } }], 'v2'),
      ],
    });
    build();
    // rules[3].matches[0] is covered by rules[1], but its second match still reaches it: IST0131 only.
    const errors = synthErrors(c);
    expect(errors).toContain("prop 'rules[3].matches[0]'");
    expect(errors).not.toContain('IST0130');
    expect(errors).not.toContain('rules[2]');
  });

  test('fails when two TrafficSplits route the same service (IST0109)', () => {
    const { c, service, build } = make({});
    build();
    new TrafficSplit(c, 'split-again', { service, defaultRoute: DEFAULT });
    const errors = synthErrors(c);
    expect(errors).toContain("IST0109 ConflictingMeshGatewayVirtualServiceHosts: TrafficSplit 'test/split-again': prop 'service' is \"users\", which is already routed by 'test/split': two VirtualServices for host users.test.svc.cluster.local on the mesh gateway conflict");
    expect(errors).not.toContain("TrafficSplit 'test/split': prop 'service'");
  });

  test('fails when two TrafficSplits in different charts of one app route the same service (IST0109)', () => {
    const app = new App({ outdir: '/tmp/unused' });
    const a = new Chart(app, 'a', { namespace: 'users-ns' });
    const b = new Chart(app, 'b', { namespace: 'edge' });
    const service = new MeshService(a, 'users', { versions: VERSIONS });
    new TrafficSplit(a, 'r', { service, defaultRoute: DEFAULT });
    new TrafficSplit(b, 'r', { service, defaultRoute: DEFAULT });
    expect(() => Testing.synth(b)).toThrow("IST0109 ConflictingMeshGatewayVirtualServiceHosts: TrafficSplit 'b/r': prop 'service' is \"users\", which is already routed by 'a/r'");
  });

  test.each([
    ['lookahead', '^v(?=2)'],
    ['backreference', '(a)\\1'],
    ['lookbehind', '(?<!x)v2'],
    ['possessive quantifier', 'a++'],
    ['repeat count over 1000', 'a{1001}'],
  ])('fails when a regex uses a %s, which JavaScript accepts but RE2 rejects (IST0122)', (_, pattern) => {
    const { c, build } = make({ rules: [rule([{ headers: { 'x-v': StringMatch.regex(pattern) } }])] });
    build();
    expect(synthErrors(c)).toContain(`IST0122 InvalidRegexp: TrafficSplit 'test/split': prop 'rules[0].matches[0].headers["x-v"]' is ${JSON.stringify(pattern)}, which is not a valid RE2 regular expression (error parsing regexp:`);
  });

  test('fails when a uri or query parameter regex is not RE2 (IST0122)', () => {
    const { c, build } = make({ rules: [rule([{ uri: StringMatch.regex('[') , queryParams: { q: StringMatch.regex('(?=a)') } }])] });
    build();
    const errors = synthErrors(c);
    expect(errors).toContain("IST0122 InvalidRegexp: TrafficSplit 'test/split': prop 'rules[0].matches[0].uri' is \"[\"");
    expect(errors).toContain("IST0122 InvalidRegexp: TrafficSplit 'test/split': prop 'rules[0].matches[0].queryParams[\"q\"]' is \"(?=a)\"");
  });

  test('valid RE2 (classes, named groups, flags) passes', () => {
    const { c, build } = make({ rules: [rule([{ headers: { 'user-agent': StringMatch.regex('(?i)^.*(chrome|firefox)/[0-9]+\\.\\d+.*$'), 'x-id': StringMatch.regex('(?P<id>[a-f0-9]{8})') } }])] });
    build();
    expect(synthErrors(c)).toBe('');
  });
});

describe('TrafficSplit across namespaces', () => {
  test('fails when the service has no namespace but the TrafficSplit does (its FQDN would be a guess)', () => {
    const app = Testing.app();
    const svc = new MeshService(new Chart(app, 'services'), 'users', { versions: VERSIONS });
    expect(() => new TrafficSplit(new Chart(app, 'edge', { namespace: 'edge' }), 'routing', { service: svc, defaultRoute: DEFAULT }))
      .toThrow("TrafficSplit 'edge/routing': prop 'service' is \"users\", which has no namespace, while this TrafficSplit lives in namespace \"edge\" and must name the service by its FQDN. Fix: give the MeshService's chart a namespace");
  });

  test('a service in a namespace is routed by FQDN from another namespace', () => {
    const app = Testing.app();
    const svc = new MeshService(new Chart(app, 'services', { namespace: 'shop' }), 'users', { versions: VERSIONS });
    const edge = new Chart(app, 'edge', { namespace: 'edge' });
    new TrafficSplit(edge, 'routing', { service: svc, defaultRoute: DEFAULT });
    expect(Testing.synth(edge)[0].spec.hosts).toEqual(['users.shop.svc.cluster.local']);
  });
});

describe('TrafficSplit policies Envoy would not apply', () => {
  test('fails when fault injection shares a route with a timeout', () => {
    const { build } = make({ defaultRoute: { ...DEFAULT, timeout: Duration.seconds(2), fault: { abort: { httpStatus: 503, percentage: 1 } } } });
    expect(build).toThrow("TrafficSplit 'test/split': prop 'defaultRoute.fault' is \"set\", which is combined with a timeout on the same route, and Envoy turns timeouts and retries off on a route with fault injection. Fix: inject faults on a rule of its own");
  });

  test('fails when fault injection shares a route with retries', () => {
    const { build } = make({ rules: [{ ...rule([{ headers: { 'x-chaos': StringMatch.exact('1') } }]), retries: { attempts: 3 }, fault: { delay: { fixed: Duration.seconds(1) } } }] });
    expect(build).toThrow("prop 'rules[0].fault' is \"set\", which is combined with retries on the same route");
  });

  test('fault injection with retries turned off (attempts 0) is fine', () => {
    const { build } = make({ defaultRoute: { ...DEFAULT, retries: { attempts: 0 }, fault: { delay: { fixed: Duration.seconds(1) } } } });
    expect(build).not.toThrow();
  });

  test('fails when perTryTimeout is not shorter than the route timeout', () => {
    const { build } = make({ defaultRoute: { ...DEFAULT, timeout: Duration.millis(1500), retries: { attempts: 2, perTryTimeout: Duration.seconds(2) } } });
    expect(build).toThrow("prop 'defaultRoute.retries.perTryTimeout' is \"2000ms\", which is not shorter than the route timeout (1500ms), so no retry could ever run");
  });
});

describe('TrafficSplit traffic to a version without pods (IST0173)', () => {
  const scaledDown = () => {
    const c = chart();
    const service = new MeshService(c, 'users', { versions: [VERSIONS[0], { ...VERSIONS[1], replicas: 0 }] });
    return { c, service };
  };

  test('fails when a weighted destination has replicas: 0', () => {
    const { c, service } = scaledDown();
    new TrafficSplit(c, 'split', { service, defaultRoute: { destinations: [{ version: 'v1', weight: Weight.percent(50) }, { version: 'v2', weight: Weight.percent(50) }] } });
    expect(synthErrors(c)).toContain("IST0173 DestinationRuleSubsetNotSelectPods: TrafficSplit 'test/split': prop 'defaultRoute.destinations[1].version' is \"v2\", which receives traffic, but version \"v2\" of MeshService \"users\" has replicas: 0");
  });

  test('fails when a mirror targets a version with replicas: 0', () => {
    const { c, service } = scaledDown();
    new TrafficSplit(c, 'split', { service, defaultRoute: { destinations: [{ version: 'v1' }], mirror: { version: 'v2', percentage: 10 } } });
    expect(synthErrors(c)).toContain("IST0173 DestinationRuleSubsetNotSelectPods: TrafficSplit 'test/split': prop 'defaultRoute.mirror.version' is \"v2\"");
  });

  test('a scaled-down version with weight 0 is fine (a canary parked before rollout)', () => {
    const { c, service } = scaledDown();
    new TrafficSplit(c, 'split', { service, defaultRoute: { destinations: [{ version: 'v1', weight: Weight.percent(100) }, { version: 'v2', weight: Weight.percent(0) }] } });
    expect(synthErrors(c)).toBe('');
  });
});

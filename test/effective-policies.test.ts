// Issue 11, item 4: a value the package (or Istio) derives gets the checks an explicit value gets.
import { Duration } from 'cdk8s';
import { MeshService, ServiceLevelObjectives, StringMatch, TrafficRouteOptions, TrafficSplit, Weight } from '../src';
import { chart, object } from './util';

const VERSIONS = [
  { name: 'v1', image: 'ghcr.io/acme/users:1.0.0' },
  { name: 'v2', image: 'ghcr.io/acme/users:2.0.0' },
  { name: 'v3', image: 'ghcr.io/acme/users:3.0.0' },
];

/** GIVEN a MeshService `users` (v1–v3), WHEN a TrafficSplit routes by default as `defaultRoute`. */
function split(defaultRoute: TrafficRouteOptions) {
  const c = chart();
  const service = new MeshService(c, 'users', { versions: VERSIONS });
  const build = () => new TrafficSplit(c, 'split', { service, defaultRoute });
  return { c, build };
}
const V1 = [{ version: 'v1' }];

describe('the per-try timeout that defaults to the route timeout', () => {
  test('fails when timeout 2s + retries { attempts: 3 } leave perTryTimeout to default (the issue\'s input)', () => {
    const { build } = split({ destinations: V1, timeout: Duration.seconds(2), retries: { attempts: 3 } });
    expect(build).toThrow("TrafficSplit 'test/split': prop 'defaultRoute.retries.perTryTimeout' is undefined, which makes each attempt "
      + 'default to the route timeout (2000ms), so none of the 3 retries could ever run. Fix: set perTryTimeout to a fraction of the timeout '
      + '(e.g. perTryTimeout: Duration.millis(500)), or retries: { attempts: 0 }.');
  });

  test('the same configuration written explicitly is refused too (perTryTimeout = timeout)', () => {
    const { build } = split({ destinations: V1, timeout: Duration.seconds(2), retries: { attempts: 3, perTryTimeout: Duration.seconds(2) } });
    expect(build).toThrow("prop 'defaultRoute.retries.perTryTimeout' is \"2000ms\", which is not shorter than the route timeout (2000ms), so no retry could ever run");
  });

  test.each<[string, TrafficRouteOptions['timeout'], number]>([
    ['timeout 150ms, one retry', Duration.millis(150), 1],
    ['timeout 1m, ten retries', Duration.minutes(1), 10],
  ])('fails on a rule as on the default route: %s', (_, timeout, attempts) => {
    const c = chart();
    const service = new MeshService(c, 'users', { versions: VERSIONS });
    const s = new TrafficSplit(c, 'split', { service, defaultRoute: { destinations: V1 } });
    expect(() => s.addRule({ matches: [{ headers: { 'x-canary': StringMatch.exact('1') } }], destinations: [{ version: 'v2' }], timeout, retries: { attempts } }))
      .toThrow(`prop 'rules[0].retries.perTryTimeout' is undefined, which makes each attempt default to the route timeout (${timeout!.toMilliseconds()}ms), so none of the ${attempts} retries`);
  });

  test('renders when perTryTimeout is shorter than the timeout', () => {
    const { c, build } = split({ destinations: V1, timeout: Duration.seconds(2), retries: { attempts: 3, perTryTimeout: Duration.millis(500) } });
    build();
    expect(object(c, 'VirtualService', 'users').spec.http[0]).toMatchObject({ timeout: '2s', retries: { attempts: 3, perTryTimeout: '500ms' } });
  });

  test('renders retries without a route timeout (no per-try limit to compare) and a timeout with retries turned off', () => {
    const a = split({ destinations: V1, retries: { attempts: 3 } });
    a.build();
    expect(object(a.c, 'VirtualService', 'users').spec.http[0].retries).toEqual({ attempts: 3 });
    const b = split({ destinations: V1, timeout: Duration.seconds(2), retries: { attempts: 0 } });
    b.build();
    expect(object(b.c, 'VirtualService', 'users').spec.http[0]).toMatchObject({ timeout: '2s', retries: { attempts: 0 } });
  });
});

describe('weights rounded to whole percentages', () => {
  test('fails when a weight the user gave traffic rounds to 0%', () => {
    const { build } = split({ destinations: [{ version: 'v1', weight: Weight.percent(99.6) }, { version: 'v2', weight: Weight.percent(0.4) }] });
    expect(build).toThrow("TrafficSplit 'test/split': prop 'defaultRoute.destinations[1].weight' is \"Weight.percent(0.4)\", which rounds to 0% "
      + '(Istio weights are whole percentages), so this version would get no traffic at all. Fix: give it at least 1%');
  });

  test('fails on the one of two equal tiny shares that loses the tie (fractions too)', () => {
    const { build } = split({ destinations: [
      { version: 'v1', weight: Weight.fraction(0.992) }, { version: 'v2', weight: Weight.fraction(0.004) }, { version: 'v3', weight: Weight.fraction(0.004) },
    ] });
    expect(build).toThrow("prop 'defaultRoute.destinations[2].weight' is \"Weight.fraction(0.004)\", which rounds to 0%");
  });

  test('renders an explicit 0 and a half percent that rounds up', () => {
    const { c, build } = split({ destinations: [
      { version: 'v1', weight: Weight.percent(0.5) }, { version: 'v2', weight: Weight.percent(99.5) }, { version: 'v3', weight: Weight.percent(0) },
    ] });
    build();
    expect(object(c, 'VirtualService', 'users').spec.http[0].route.map((r: any) => [r.destination.subset, r.weight]))
      .toEqual([['v1', 1], ['v2', 99], ['v3', 0]]);
  });
});

describe('other derived values already take the explicit checks', () => {
  test('fails when the SLO name derived from a long service name is not a DNS label', () => {
    const c = chart();
    const service = new MeshService(c, 's'.repeat(61), { versions: [VERSIONS[0]] });
    expect(() => new ServiceLevelObjectives(c, 'slo', { service, availability: { percent: 99.9 } }))
      .toThrow(`ServiceLevelObjectives 'test/slo': prop 'name' is "${'s'.repeat(61)}-slo"`);
  });

  test('fails when the port the metrics endpoint and probes default to is a sidecar port: it is refused as the service port', () => {
    expect(() => new MeshService(chart(), 'users', { port: 15020, versions: [VERSIONS[0]] })).toThrow("MeshService 'test/users': prop 'port' is 15020");
  });
});

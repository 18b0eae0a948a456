// Issue 14 item 1 under Linkerd: circuit breaking is failure accrual (annotations on the apex
// Service the routes attach to); whatever has no Linkerd equivalent is refused, naming Linkerd.
import { Duration, Testing } from 'cdk8s';
import { Linkerd, LoadBalancer, Mesh, MeshProtocol, MeshService, ServiceResilience, TrafficSplit, Weight } from '../../../src';
import { chart, object, objects } from '../../util';

function linkerdChart() {
  const c = chart('shop');
  Mesh.use(c, new Linkerd());
  return c;
}

function users(resilience: ServiceResilience | undefined, v2?: ServiceResilience) {
  const c = linkerdChart();
  const svc = new MeshService(c, 'users', { resilience, versions: [{ name: 'v1', image: 'x:1' }, { name: 'v2', image: 'x:2', replicas: 1, resilience: v2 }] });
  return { c, svc };
}

describe('Linkerd failure accrual', () => {
  test('snapshot: the apex Service with the failure-accrual annotations', () => {
    const { c } = users({ outlierDetection: { consecutive5xxErrors: 4, baseEjectionTime: Duration.seconds(10) } });
    expect(object(c, 'Service', 'users')).toMatchSnapshot();
  });

  test('consecutive 5xx → max-failures, base ejection time → min-penalty; Istio\'s defaults (5, 30s, 5m) when unset', () => {
    const { c } = users({ outlierDetection: {} });
    expect(object(c, 'Service', 'users').metadata.annotations).toEqual({
      'balancer.linkerd.io/failure-accrual': 'consecutive',
      'balancer.linkerd.io/failure-accrual-consecutive-max-failures': '5',
      'balancer.linkerd.io/failure-accrual-consecutive-min-penalty': '30s',
      'balancer.linkerd.io/failure-accrual-consecutive-max-penalty': '5m',
    });
  });

  test('a base ejection time beyond 5m raises the max penalty with it (Linkerd backs off from min to max)', () => {
    const { c } = users({ outlierDetection: { baseEjectionTime: Duration.minutes(10) } });
    const ann = object(c, 'Service', 'users').metadata.annotations;
    expect([ann['balancer.linkerd.io/failure-accrual-consecutive-min-penalty'], ann['balancer.linkerd.io/failure-accrual-consecutive-max-penalty']]).toEqual(['10m', '10m']);
  });

  test('only the apex Service is annotated (Linkerd gives the parent\'s accrual to every backend); no Istio object', () => {
    const { c } = users({ outlierDetection: { consecutive5xxErrors: 3 } });
    const other = objects(c, 'Service').filter((s) => s.metadata.name !== 'users');
    expect(other.map((s) => s.metadata.name)).toEqual(['users-v1', 'users-v2']);
    for (const s of other) expect(s.metadata.annotations).toBeUndefined();
    expect(Testing.synth(c).filter((o: any) => o.apiVersion.includes('istio.io'))).toEqual([]);
  });

  test('the one-replica ejection check is Istio\'s: under Linkerd a tripped backend of a split hands over to the others', () => {
    const { c, svc } = users({ outlierDetection: { consecutive5xxErrors: 3 } });
    new TrafficSplit(c, 'canary', { service: svc, defaultRoute: { destinations: [{ version: 'v1', weight: Weight.percent(90) }, { version: 'v2', weight: Weight.percent(10) }] } });
    expect(() => Testing.synth(c)).not.toThrow();
  });

  test('without resilience the Service has no annotations', () => {
    const { c } = users(undefined);
    expect(object(c, 'Service', 'users').metadata.annotations).toBeUndefined();
  });
});

describe('Linkerd failure accrual: fails when …', () => {
  test.each([
    [{ connectionPool: { maxConnections: 10 } }, "MeshService 'test/users': prop 'resilience.connectionPool' is {\"maxConnections\":10}, which Linkerd cannot express: it has no connection pool limits (its proxy balances on latency and load-sheds on its own). Fix: drop `connectionPool` under Linkerd."],
    [{ loadBalancer: LoadBalancer.consistentHashByCookie('session') }, "MeshService 'test/users': prop 'resilience.loadBalancer' is \"CONSISTENT_HASH\", which Linkerd cannot express: its proxy always balances with power-of-two-choices over EWMA latency, with no other algorithm and no consistent hash. Fix: drop `loadBalancer` under Linkerd (pin users to a version with a TrafficSplit match rule instead of sticky sessions)."],
    [{ outlierDetection: { consecutiveGatewayErrors: 3 } }, "prop 'resilience.outlierDetection.consecutiveGatewayErrors' is 3, which Linkerd cannot express: its failure accrual counts every 5xx response and connection error alike, not gateway errors alone. Fix: use consecutive5xxErrors under Linkerd."],
    [{ outlierDetection: { interval: Duration.seconds(10) } }, "prop 'resilience.outlierDetection.interval' is \"10000ms\", which Linkerd cannot express: its consecutive-failure accrual trips at once, with no sweep interval. Fix: drop `interval` under Linkerd."],
    [{ outlierDetection: { maxEjectionPercent: 50 } }, "prop 'resilience.outlierDetection.maxEjectionPercent' is 50, which Linkerd cannot express: it has no ejection cap: every failing endpoint is made unavailable (when all are, requests fail fast with 503, or another backend of the route takes them). Fix: drop `maxEjectionPercent` under Linkerd."],
    [{ outlierDetection: { consecutive5xxErrors: 0 } }, "prop 'resilience.outlierDetection.consecutive5xxErrors' is 0, which Linkerd cannot express: failure accrual counts consecutive failures, and 0 would trip on none. Fix: drop `outlierDetection` to turn circuit breaking off."],
  ])('%j', (resilience, message) => {
    expect(() => users(resilience as ServiceResilience)).toThrow(message);
  });

  test('a TCP service (Linkerd judges HTTP responses only)', () => {
    expect(() => new MeshService(linkerdChart(), 'db', { protocol: MeshProtocol.TCP, resilience: { outlierDetection: { consecutive5xxErrors: 3 } }, versions: [{ name: 'v1', image: 'x:1' }] }))
      .toThrow("MeshService 'test/db': prop 'resilience.outlierDetection' is {\"consecutive5xxErrors\":3}, which Linkerd cannot express: its failure accrual judges HTTP responses, and the service's port is opaque TCP. Fix: drop `outlierDetection` under Linkerd for a TCP service, or declare the port as HTTP.");
  });

  test('a version declares its own resilience', () => {
    expect(() => users({ outlierDetection: {} }, { outlierDetection: false }))
      .toThrow("MeshService 'test/users': prop 'versions[1].resilience.outlierDetection' is false, which Linkerd cannot express: it reads failure accrual from the annotations of the Service the routes attach to, and applies it to every version behind it. Fix: declare `resilience` on the MeshService only under Linkerd.");
  });

  test('a version added later declares its own resilience', () => {
    const { svc } = users(undefined);
    expect(() => svc.addVersion({ name: 'v3', image: 'x:3', resilience: { outlierDetection: { consecutive5xxErrors: 2 } } }))
      .toThrow("prop 'addVersion(options).resilience.outlierDetection' is {\"consecutive5xxErrors\":2}, which Linkerd cannot express");
  });
});

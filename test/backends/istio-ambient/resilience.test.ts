// Issue 14 item 1 under Istio ambient: the waypoint (an Envoy) applies DestinationRule traffic
// policy to the hosts it routes (the apex and each version's Service); without a waypoint there is
// nothing to apply it (ztunnel is L4), so synth refuses.
import { Duration, Testing } from 'cdk8s';
import { IstioAmbient, LoadBalancer, Mesh, MeshNamespace, MeshService, ServiceResilience, TrafficSplit, Waypoint, Weight } from '../../../src';
import { chart, objects } from '../../util';

function ambient(resilience: ServiceResilience | undefined, v2?: ServiceResilience, waypoint?: Waypoint) {
  const c = chart('shop');
  Mesh.use(c, new IstioAmbient({ waypoint }));
  new MeshNamespace(c, 'ns');
  const svc = new MeshService(c, 'users', { resilience, versions: [{ name: 'v1', image: 'x:1' }, { name: 'v2', image: 'x:2', resilience: v2 }] });
  return { c, svc };
}

describe('resilience under Istio ambient', () => {
  test('snapshot: one DestinationRule per host, traffic policy only (no subsets, no client TLS)', () => {
    const { c } = ambient({ connectionPool: { maxConnections: 50 }, outlierDetection: { consecutive5xxErrors: 5, baseEjectionTime: Duration.seconds(30) } }, { loadBalancer: LoadBalancer.random() });
    expect(objects(c, 'DestinationRule')).toMatchSnapshot();
  });

  test('version hosts carry the effective policy; a version without any gets none', () => {
    const { c } = ambient(undefined, { outlierDetection: { consecutive5xxErrors: 3 } });
    expect(objects(c, 'DestinationRule').map((d) => [d.metadata.name, d.spec])).toEqual([
      ['users-v2', { host: 'users-v2', trafficPolicy: { outlierDetection: { consecutive5xxErrors: 3 } } }],
    ]);
  });

  test('without resilience: no DestinationRule', () => {
    const { c } = ambient(undefined);
    expect(objects(c, 'DestinationRule')).toEqual([]);
  });

  test('fails when there is no waypoint to apply it', () => {
    expect(() => ambient({ outlierDetection: { consecutive5xxErrors: 5 } }, undefined, Waypoint.none()))
      .toThrow("MeshService 'test/users': prop 'resilience.outlierDetection' is {\"consecutive5xxErrors\":5}, which needs a waypoint under Istio ambient: connection pool, outlier detection and load balancing are DestinationRule traffic policy that only the waypoint (Envoy) applies, and ztunnel (L4) ignores it. Fix: use new IstioAmbient({ waypoint: Waypoint.perNamespace() }) (the default), or drop `resilience`.");
    expect(() => ambient(undefined, { connectionPool: { maxConnections: 5 } }, Waypoint.none()))
      .toThrow("prop 'versions[1].resilience.connectionPool' is {\"maxConnections\":5}, which needs a waypoint under Istio ambient");
  });

  test('the waypoint is an Envoy: the same analysis as the sidecar (one-pod ejection, stickiness under a split)', () => {
    const { c, svc } = ambient({ loadBalancer: LoadBalancer.consistentHashByHeader('x-user') }, { outlierDetection: {} });
    svc.addVersion({ name: 'v3', image: 'x:3', replicas: 1, resilience: { outlierDetection: {} } });
    new TrafficSplit(c, 'split', { service: svc, defaultRoute: { destinations: [{ version: 'v1', weight: Weight.percent(50) }, { version: 'v2', weight: Weight.percent(50) }] } });
    expect(() => Testing.synth(c)).toThrow("lets Istio ambient's Envoy eject all 1 pod of version \"v3\"");
    expect(() => Testing.synth(c)).toThrow("prop 'resilience.loadBalancer' is \"consistentHashByHeader(\\\"x-user\\\")\", which is a consistent-hash (sticky session) load balancer, but TrafficSplit 'test/split' defaultRoute splits requests by weight (v1 50, v2 50)");
  });
});

// Issue 14 item 1: resilience per MeshService (and per version) under the Istio sidecar backend,
// the props' validation, and the synth-time analysis (ejecting every pod, stickiness under a split).
import { Duration, Testing } from 'cdk8s';
import { IstioRouting, IstioSidecar, LoadBalancer, Mesh, MeshProtocol, MeshService, PeerAuthentication, ServiceResilience, TrafficSplit, Weight } from '../src';
import { chart, object, objects } from './util';

const BREAKER: ServiceResilience = {
  connectionPool: { maxConnections: 100, maxPendingRequests: 10, maxRequestsPerConnection: 50 },
  outlierDetection: { consecutive5xxErrors: 5, consecutiveGatewayErrors: 3, interval: Duration.seconds(10), baseEjectionTime: Duration.seconds(30), maxEjectionPercent: 50 },
  loadBalancer: LoadBalancer.leastRequest(),
};

function users(resilience: ServiceResilience | undefined, routing?: IstioRouting, v2?: ServiceResilience) {
  const c = chart('shop');
  if (routing) Mesh.use(c, new IstioSidecar({ routing }));
  const svc = new MeshService(c, 'users', {
    resilience,
    versions: [{ name: 'v1', image: 'x:1' }, { name: 'v2', image: 'x:2', resilience: v2 }],
  });
  return { c, svc };
}

describe('resilience under the Istio sidecar (VirtualService routing)', () => {
  test('snapshot: the DestinationRule with a full traffic policy and a subset override', () => {
    const { c } = users(BREAKER, undefined, { outlierDetection: false, loadBalancer: LoadBalancer.consistentHashByCookie('session', Duration.hours(1)) });
    expect(objects(c, 'DestinationRule')).toMatchSnapshot();
  });

  test('the traffic policy holds exactly what was declared, beside the TLS the mTLS mode derives', () => {
    const { c } = users(BREAKER);
    new PeerAuthentication(c, 'strict', {});
    expect(object(c, 'DestinationRule', 'users').spec.trafficPolicy).toEqual({
      tls: { mode: 'ISTIO_MUTUAL' },
      connectionPool: { tcp: { maxConnections: 100 }, http: { http1MaxPendingRequests: 10, maxRequestsPerConnection: 50 } },
      outlierDetection: { consecutive5xxErrors: 5, consecutiveGatewayErrors: 3, interval: '10s', baseEjectionTime: '30s', maxEjectionPercent: 50 },
      loadBalancer: { simple: 'LEAST_REQUEST' },
    });
  });

  test('without resilience the DestinationRule is unchanged (no traffic policy, subsets without one)', () => {
    const { c } = users(undefined);
    const dr = object(c, 'DestinationRule', 'users');
    expect(dr.spec).toEqual({ host: 'users', subsets: [{ name: 'v1', labels: { version: 'v1' } }, { name: 'v2', labels: { version: 'v2' } }] });
  });

  test('a version overrides group by group; outlierDetection: false turns ejection off for its subset only', () => {
    const { c } = users({ outlierDetection: { consecutive5xxErrors: 7 }, loadBalancer: LoadBalancer.roundRobin() }, undefined, { outlierDetection: false });
    const dr = object(c, 'DestinationRule', 'users');
    expect(dr.spec.trafficPolicy).toEqual({ outlierDetection: { consecutive5xxErrors: 7 }, loadBalancer: { simple: 'ROUND_ROBIN' } });
    expect(dr.spec.subsets[0].trafficPolicy).toBeUndefined();
    expect(dr.spec.subsets[1].trafficPolicy).toEqual({ outlierDetection: { consecutive5xxErrors: 0 } });
  });

  test('outlierDetection: false on a version of a service without any renders nothing for its subset', () => {
    const { c } = users({ loadBalancer: LoadBalancer.random() }, undefined, { outlierDetection: false });
    expect(object(c, 'DestinationRule', 'users').spec.subsets[1]).toEqual({ name: 'v2', labels: { version: 'v2' } });
  });

  test.each([
    [LoadBalancer.random(), { simple: 'RANDOM' }],
    [LoadBalancer.roundRobin(), { simple: 'ROUND_ROBIN' }],
    [LoadBalancer.consistentHashByHeader('x-user-id'), { consistentHash: { httpHeaderName: 'x-user-id' } }],
    [LoadBalancer.consistentHashByCookie('session'), { consistentHash: { httpCookie: { name: 'session' } } }],
    [LoadBalancer.consistentHashByCookie('session', Duration.millis(1500)), { consistentHash: { httpCookie: { name: 'session', ttl: '1500ms' } } }],
    [LoadBalancer.consistentHashBySourceIp(), { consistentHash: { useSourceIp: true } }],
  ])('load balancer %#', (lb, expected) => {
    const { c } = users({ loadBalancer: lb });
    expect(object(c, 'DestinationRule', 'users').spec.trafficPolicy.loadBalancer).toEqual(expected);
  });

  test('versions added later get their subset override too', () => {
    const { c, svc } = users(undefined);
    svc.addVersion({ name: 'v3', image: 'x:3', resilience: { connectionPool: { maxConnections: 5 } } });
    expect(object(c, 'DestinationRule', 'users').spec.subsets[2]).toEqual({ name: 'v3', labels: { version: 'v3' }, trafficPolicy: { connectionPool: { tcp: { maxConnections: 5 } } } });
  });
});

describe('resilience under the Istio sidecar with Gateway API routing', () => {
  test('snapshot: one DestinationRule per host (apex and each version Service), no subsets', () => {
    const { c } = users(BREAKER, IstioRouting.GATEWAY_API, { connectionPool: { maxConnections: 10 } });
    expect(objects(c, 'DestinationRule')).toMatchSnapshot();
  });

  test('each version host carries its effective policy; the apex the service\'s', () => {
    const { c } = users({ outlierDetection: { consecutive5xxErrors: 5 } }, IstioRouting.GATEWAY_API, { outlierDetection: false, loadBalancer: LoadBalancer.random() });
    expect(objects(c, 'DestinationRule').map((d) => [d.metadata.name, d.spec])).toEqual([
      ['users', { host: 'users', trafficPolicy: { outlierDetection: { consecutive5xxErrors: 5 } } }],
      ['users-v1', { host: 'users-v1', trafficPolicy: { outlierDetection: { consecutive5xxErrors: 5 } } }],
      ['users-v2', { host: 'users-v2', trafficPolicy: { loadBalancer: { simple: 'RANDOM' } } }],
    ]);
  });

  test('no resilience and no tls: still no DestinationRule at all', () => {
    const { c } = users(undefined, IstioRouting.GATEWAY_API);
    expect(objects(c, 'DestinationRule')).toEqual([]);
  });
});

describe('resilience analysis', () => {
  test('fails when outlier detection can eject the only pod of a one-replica version (Envoy always ejects one)', () => {
    const c = chart('shop');
    new MeshService(c, 'users', { resilience: { outlierDetection: {} }, versions: [{ name: 'v1', image: 'x:1', replicas: 1 }] });
    expect(() => Testing.synth(c)).toThrow("MeshService 'test/users': prop 'resilience.outlierDetection.maxEjectionPercent' is 10, which is the default and lets Istio sidecar's Envoy eject all 1 pod of version \"v1\" (it always ejects at least one pod): while ejected, every request routed to \"v1\" fails with 503 (no healthy upstream). Fix: run at least 2 pods of version \"v1\", or lower maxEjectionPercent, or turn ejection off for this version (versions[0].resilience: { outlierDetection: false }).");
  });

  test('fails when maxEjectionPercent 100 can eject every pod, whatever the replica count', () => {
    const c = chart('shop');
    new MeshService(c, 'users', { resilience: { outlierDetection: { maxEjectionPercent: 100 } }, versions: [{ name: 'v1', image: 'x:1', replicas: 5 }] });
    expect(() => Testing.synth(c)).toThrow("prop 'resilience.outlierDetection.maxEjectionPercent' is 100, which lets Istio sidecar's Envoy eject all 5 pods of version \"v1\" (it always ejects at least one pod): while ejected, every request routed to \"v1\" fails with 503 (no healthy upstream). Fix: lower maxEjectionPercent below 100, or turn ejection off");
  });

  test('counts Envoy\'s rounding up: 60% of 2 pods is both of them; 3 pods are the fewest safe', () => {
    const c = chart('shop');
    new MeshService(c, 'users', { resilience: { outlierDetection: { maxEjectionPercent: 60 } }, versions: [{ name: 'v1', image: 'x:1', replicas: 2 }] });
    expect(() => Testing.synth(c)).toThrow('Fix: run at least 3 pods of version "v1", or lower maxEjectionPercent');
    const ok = chart('shop');
    new MeshService(ok, 'users', { resilience: { outlierDetection: { maxEjectionPercent: 60 } }, versions: [{ name: 'v1', image: 'x:1', replicas: 3 }] });
    expect(() => Testing.synth(ok)).not.toThrow();
  });

  test('an autoscaled version is judged by its minReplicas; a version with outlier detection off passes', () => {
    const c = chart('shop');
    new MeshService(c, 'users', {
      resilience: { outlierDetection: { consecutive5xxErrors: 5 } },
      versions: [
        { name: 'v1', image: 'x:1', autoscaling: { minReplicas: 1, maxReplicas: 4 } },
        { name: 'v2', image: 'x:2', replicas: 1, resilience: { outlierDetection: false } },
      ],
    });
    expect(() => Testing.synth(c)).toThrow("prop 'resilience.outlierDetection.maxEjectionPercent' is 10, which is the default and lets Istio sidecar's Envoy eject all 1 pod of version \"v1\"");
    expect(() => Testing.synth(c)).not.toThrow('version "v2"');
  });

  test('fails when a consistent-hash load balancer meets a weighted split', () => {
    const c = chart('shop');
    const svc = new MeshService(c, 'users', {
      resilience: { loadBalancer: LoadBalancer.consistentHashByHeader('x-user-id') },
      versions: [{ name: 'v1', image: 'x:1' }, { name: 'v2', image: 'x:2' }],
    });
    new TrafficSplit(c, 'canary', { service: svc, defaultRoute: { destinations: [{ version: 'v1', weight: Weight.percent(90) }, { version: 'v2', weight: Weight.percent(10) }] } });
    expect(() => Testing.synth(c)).toThrow("MeshService 'test/users': prop 'resilience.loadBalancer' is \"consistentHashByHeader(\\\"x-user-id\\\")\", which is a consistent-hash (sticky session) load balancer, but TrafficSplit 'test/canary' defaultRoute splits requests by weight (v1 90, v2 10): the split picks the version of every request first, so one user's requests alternate between versions and stay sticky only inside each version. Fix: pin users to a version with a match rule on the same header or cookie");
  });

  test('a consistent hash with a split that sends everything to one version passes; so does a split without stickiness', () => {
    const c = chart('shop');
    const svc = new MeshService(c, 'users', {
      resilience: { loadBalancer: LoadBalancer.consistentHashBySourceIp() },
      versions: [{ name: 'v1', image: 'x:1' }, { name: 'v2', image: 'x:2', resilience: { loadBalancer: LoadBalancer.leastRequest() } }],
    });
    new TrafficSplit(c, 'all-v1', { service: svc, defaultRoute: { destinations: [{ version: 'v1', weight: Weight.percent(100) }, { version: 'v2', weight: Weight.percent(0) }] } });
    expect(() => Testing.synth(c)).not.toThrow();
  });
});

describe('resilience props: fails when …', () => {
  const bad = (resilience: any, message: string) => {
    const c = chart('shop');
    expect(() => new MeshService(c, 'users', { resilience, versions: [{ name: 'v1', image: 'x:1' }] })).toThrow(message);
  };

  test.each([
    [{ connectionPool: { maxConnections: -1 } }, "MeshService 'test/users': prop 'resilience.connectionPool.maxConnections' is -1, which is not a limit ≥ 1 (0 or less would refuse every request). Fix: use a positive whole number (e.g. 100), or leave it unset for no limit."],
    [{ connectionPool: { maxPendingRequests: 0 } }, "prop 'resilience.connectionPool.maxPendingRequests' is 0, which is not a limit ≥ 1"],
    [{ connectionPool: { maxRequestsPerConnection: 1.5 } }, "prop 'resilience.connectionPool.maxRequestsPerConnection' is 1.5, which is not a whole number ≥ 1. Fix: use an integer such as 1 or 3."],
    [{ outlierDetection: { maxEjectionPercent: 150 } }, "MeshService 'test/users': prop 'resilience.outlierDetection.maxEjectionPercent' is 150, which is not a whole percentage between 0 and 100. Fix: use an integer from 0 to 100 (e.g. 50: at most half of a version's pods ejected at once)."],
    [{ outlierDetection: { maxEjectionPercent: -5 } }, "prop 'resilience.outlierDetection.maxEjectionPercent' is -5, which is not a whole percentage between 0 and 100"],
    [{ outlierDetection: { consecutive5xxErrors: -1 } }, "prop 'resilience.outlierDetection.consecutive5xxErrors' is -1, which is not a whole number ≥ 0. Fix: use an integer such as 0, 1 or 3."],
    [{ outlierDetection: { baseEjectionTime: Duration.millis(0.5) } }, "prop 'resilience.outlierDetection.baseEjectionTime' is \"0.5 millis\", which is not a whole number of milliseconds ≥ 1ms. Fix: use e.g. Duration.seconds(30) or Duration.millis(500)."],
    [{ outlierDetection: { interval: '10s' } }, "prop 'resilience.outlierDetection.interval' is \"10s\", which is not a whole number of milliseconds ≥ 1ms"],
    [{ loadBalancer: 'ROUND_ROBIN' }, "prop 'resilience.loadBalancer' is \"ROUND_ROBIN\", which is not a LoadBalancer. Fix: use LoadBalancer.roundRobin(), leastRequest(), random() or consistentHashBy…()."],
    [{ loadBalancer: LoadBalancer.consistentHashByHeader('X User') }, "prop 'resilience.loadBalancer' is \"X User\", which is not a lower-case HTTP header name"],
    [{ loadBalancer: LoadBalancer.consistentHashByCookie('a;b') }, "prop 'resilience.loadBalancer' is \"a;b\", which is not a cookie name (an HTTP token)"],
  ])('%j', (resilience, message) => bad(resilience, message));

  test('an HTTP-only setting on a TCP service (no requests, headers or cookies to read)', () => {
    const tcp = (resilience: ServiceResilience) => new MeshService(chart('shop'), 'db', { protocol: MeshProtocol.TCP, resilience, versions: [{ name: 'v1', image: 'x:1' }] });
    expect(() => tcp({ connectionPool: { maxConnections: 10, maxPendingRequests: 5 } }))
      .toThrow("MeshService 'test/db': prop 'resilience.connectionPool.maxPendingRequests' is 5, which is an HTTP request limit, but the service's port is MeshProtocol.TCP (opaque bytes: no requests to count). Fix: limit connections with maxConnections, or declare the port as HTTP.");
    expect(() => tcp({ loadBalancer: LoadBalancer.consistentHashByHeader('x-user') }))
      .toThrow("MeshService 'test/db': prop 'resilience.loadBalancer' is \"x-user\", which hashes on an HTTP header or cookie, but the service's port is MeshProtocol.TCP (no headers to read). Fix: use LoadBalancer.consistentHashBySourceIp(), or declare the port as HTTP.");
    expect(() => tcp({ connectionPool: { maxConnections: 10 }, outlierDetection: {}, loadBalancer: LoadBalancer.consistentHashBySourceIp() })).not.toThrow();
  });

  test('a version\'s resilience is validated under its own prop', () => {
    const c = chart('shop');
    expect(() => new MeshService(c, 'users', { versions: [{ name: 'v1', image: 'x:1' }, { name: 'v2', image: 'x:2', resilience: { outlierDetection: { maxEjectionPercent: 101 } } }] }))
      .toThrow("MeshService 'test/users': prop 'versions[1].resilience.outlierDetection.maxEjectionPercent' is 101, which is not a whole percentage between 0 and 100");
  });
});

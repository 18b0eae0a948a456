// Istio ambient (IstioAmbient): namespace labels, the waypoint Gateway, HTTPRoute routing over
// per-version Services, targetRefs AuthorizationPolicies enforced by the waypoint plus a ztunnel
// selector policy admitting only the waypoint and the scraper; no sidecar artefacts.
import { Chart, Testing } from 'cdk8s';
import {
  AccessLogging, AuthorizationPolicy, Caller, IstioAmbient, Mesh, MeshMonitor, MeshNamespace, MeshService, MeshTelemetry, MetricsEndpoint,
  MonitorKind, PeerAuthentication, MtlsMode, ScrapeTarget, Waypoint,
} from '../../../src';
import { MeshDemoChart } from '../../../src/example';

const versions = [{ name: 'v1', image: 'x:1' }, { name: 'v2', image: 'x:2' }];
const of = (objs: any[], kind: string) => objs.filter((o) => o.kind === kind);
const named = (objs: any[], kind: string, name: string) => objs.find((o) => o.kind === kind && o.metadata.name === name);

function ambientChart(backend = new IstioAmbient(), props: ConstructorParameters<typeof MeshNamespace>[2] = {}): Chart {
  const app = Testing.app();
  Mesh.use(app, backend);
  const c = new Chart(app, 'c', { namespace: 'shop', disableResourceNameHashes: true });
  new MeshNamespace(c, 'namespace', props);
  return c;
}

function seed(): any[] {
  const app = Testing.app();
  Mesh.use(app, new IstioAmbient());
  return Testing.synth(new MeshDemoChart(app));
}

describe('Istio ambient', () => {
  test('snapshot: the seed scenario', () => {
    expect(seed()).toMatchSnapshot();
  });

  test('the seed scenario: ambient namespace with its waypoint; no sidecar injection or VirtualService; DestinationRules only for the waypoint\'s circuit breaking', () => {
    const objs = seed();
    const ns = named(objs, 'Namespace', 'mesh-demo');
    expect(ns.metadata.labels).toEqual({
      'istio.io/dataplane-mode': 'ambient',
      'istio.io/use-waypoint': 'waypoint',
      'pod-security.kubernetes.io/audit': 'restricted',
      'pod-security.kubernetes.io/warn': 'restricted',
    });
    expect(named(objs, 'Gateway', 'waypoint')).toEqual({
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'Gateway',
      metadata: { name: 'waypoint', namespace: 'mesh-demo', labels: { 'istio.io/waypoint-for': 'service' } },
      spec: { gatewayClassName: 'istio-waypoint', listeners: [{ name: 'mesh', port: 15008, protocol: 'HBONE', allowedRoutes: { namespaces: { from: 'Same' } } }] },
    });
    const kinds = objs.map((o) => o.kind);
    expect(kinds).not.toContain('VirtualService');
    // myservice's circuit breaking, one DestinationRule per host the waypoint routes to: no subsets
    // (HTTPRoute routes to the per-version Services) and no client TLS (ztunnel's HBONE is mTLS).
    expect(of(objs, 'DestinationRule').map((d) => [d.spec.host, Object.keys(d.spec).sort(), Object.keys(d.spec.trafficPolicy)]))
      .toEqual(['myservice', 'myservice-v1', 'myservice-v2'].map((h) => [h, ['host', 'trafficPolicy'], ['outlierDetection']]));
    expect(JSON.stringify(objs)).not.toContain('istio-injection');
    // No metrics-merging annotations: there is no sidecar to merge into.
    for (const d of of(objs, 'Deployment')) expect(Object.keys(d.spec.template.metadata.annotations ?? {}).filter((k) => k.startsWith('prometheus.io/'))).toEqual([]);
    expect(named(objs, 'PeerAuthentication', 'default').spec).toEqual({ mtls: { mode: 'STRICT' } });
  });

  test('the seed routing: per-version Services and one HTTPRoute on the apex Service with the header rule and 90/10', () => {
    const objs = seed();
    expect(of(objs, 'Service').map((s) => s.metadata.name)).toEqual(['myservice', 'myservice-v1', 'myservice-v2', 'frontend', 'frontend-v1']);
    expect(named(objs, 'Service', 'myservice-v2').spec.selector).toEqual({ app: 'myservice', version: 'v2' });
    const routes = of(objs, 'HTTPRoute').filter((o: any) => o.metadata.name === 'myservice');
    expect(routes).toHaveLength(1);
    const spec = routes[0].spec;
    expect(spec.parentRefs).toEqual([{ group: '', kind: 'Service', name: 'myservice', port: 8080 }]);
    expect(spec.rules[0].matches[0].headers).toEqual([{ name: 'version', type: 'Exact', value: 'v2' }]);
    expect(spec.rules[0].backendRefs.map((b: any) => [b.name, b.weight])).toEqual([['myservice-v2', 100]]);
    expect(spec.rules[1].backendRefs.map((b: any) => [b.name, b.weight])).toEqual([['myservice-v1', 90], ['myservice-v2', 10]]);
  });

  test('the seed policy: targetRefs on the apex and per-version Services for the waypoint; ztunnel admits only the waypoint and Prometheus on :8080', () => {
    const objs = seed();
    expect(named(objs, 'AuthorizationPolicy', 'myservice-callers').spec).toEqual({
      targetRefs: ['myservice', 'myservice-v1', 'myservice-v2'].map((name) => ({ group: '', kind: 'Service', name })),
      action: 'ALLOW',
      rules: [{
        from: [{ source: { principals: ['cluster.local/ns/mesh-demo/sa/frontend'] } }],
        to: [{ operation: { methods: ['GET'], paths: ['/api/users'] } }],
      }],
    });
    expect(named(objs, 'AuthorizationPolicy', 'myservice-callers-ztunnel').spec).toEqual({
      selector: { matchLabels: { app: 'myservice' } },
      action: 'ALLOW',
      rules: [
        { from: [{ source: { principals: ['cluster.local/ns/mesh-demo/sa/waypoint'] } }] },
        { from: [{ source: { principals: ['cluster.local/ns/istio-system/sa/prometheus'] } }], to: [{ operation: { ports: ['8080'] } }] },
      ],
    });
  });

  test('the default scrape is the application endpoint (no :15020 in ambient), for either ScrapeTarget', () => {
    const objs = seed();
    expect(named(objs, 'PodMonitor', 'myservice').spec.podMetricsEndpoints).toEqual([{ path: '/metrics', port: 'http', scheme: 'http' }]);
    const c = ambientChart();
    const svc = new MeshService(c, 'users', { versions, metrics: MetricsEndpoint.http({ path: '/stats', port: 9090 }) });
    const m = new MeshMonitor(c, 'm', { service: svc, kind: MonitorKind.SERVICE_MONITOR, scrape: ScrapeTarget.ISTIO_MERGED });
    expect([m.port, m.path]).toEqual([9090, '/stats']);
    const endpoint = named(Testing.synth(c), 'ServiceMonitor', 'users').spec.endpoints[0];
    expect(endpoint.relabelings.map((r: any) => r.replacement)).toEqual(['$1:9090', '[$1]:9090']);
  });

  test('a custom waypoint name labels the namespace, names the Gateway and the principal ztunnel admits; a scraper identity is configurable', () => {
    const c = ambientChart(new IstioAmbient({ waypoint: Waypoint.perNamespace({ name: 'shop-wp' }), scraper: { namespace: 'monitoring', serviceAccount: 'prometheus-k8s' } }));
    const users = new MeshService(c, 'users', { versions });
    new AuthorizationPolicy(c, 'p', { service: users }).allow({ from: [Caller.namespace('web')], ports: [8080] });
    const objs = Testing.synth(c);
    expect(named(objs, 'Namespace', 'shop').metadata.labels['istio.io/use-waypoint']).toBe('shop-wp');
    expect(named(objs, 'Gateway', 'shop-wp').spec.gatewayClassName).toBe('istio-waypoint');
    expect(named(objs, 'AuthorizationPolicy', 'p-ztunnel').spec.rules.map((r: any) => r.from[0].source.principals[0]))
      .toEqual(['cluster.local/ns/shop/sa/shop-wp', 'cluster.local/ns/monitoring/sa/prometheus-k8s']);
    // An L4-only policy is enforced at the waypoint too, so ALLOW policies combine as written.
    expect(named(objs, 'AuthorizationPolicy', 'p').spec.rules).toEqual([{ from: [{ source: { namespaces: ['web'] } }], to: [{ operation: { ports: ['8080'] } }] }]);
  });

  test('a revision labels the waypoint Gateway, never the namespace (it would inject sidecars)', () => {
    const objs = Testing.synth(ambientChart(new IstioAmbient(), { revision: 'canary' }));
    expect(named(objs, 'Namespace', 'shop').metadata.labels['istio.io/rev']).toBeUndefined();
    expect(named(objs, 'Gateway', 'waypoint').metadata.labels).toEqual({ 'istio.io/waypoint-for': 'service', 'istio.io/rev': 'canary' });
  });

  test('Pod Security restricted is warned/audited by default (a default istiod\'s waypoint pods lack a seccompProfile); enforcePodSecurity: true enforces it', () => {
    expect(named(Testing.synth(ambientChart()), 'Namespace', 'shop').metadata.labels['pod-security.kubernetes.io/enforce']).toBeUndefined();
    expect(named(Testing.synth(ambientChart()), 'Namespace', 'shop').metadata.labels['pod-security.kubernetes.io/warn']).toBe('restricted');
    expect(named(Testing.synth(ambientChart(new IstioAmbient(), { enforcePodSecurity: true })), 'Namespace', 'shop').metadata.labels['pod-security.kubernetes.io/enforce']).toBe('restricted');
  });

  test('a namespace-wide L7 policy targets the waypoint Gateway; its ztunnel policy admits the scraper on every metrics port of the namespace', () => {
    const c = ambientChart();
    new MeshService(c, 'users', { versions });
    new MeshService(c, 'orders', { versions: [versions[0]], metrics: MetricsEndpoint.http({ port: 9090 }) });
    new AuthorizationPolicy(c, 'ns-policy').deny({ methods: ['DELETE'] });
    const objs = Testing.synth(c);
    expect(named(objs, 'AuthorizationPolicy', 'ns-policy').spec.targetRefs).toEqual([{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'waypoint' }]);
    const lock = named(objs, 'AuthorizationPolicy', 'ns-policy-ztunnel').spec;
    expect(lock.selector).toBeUndefined();
    expect(lock.rules[1].to).toEqual([{ operation: { ports: ['8080', '9090'] } }]);
  });

  test('two policies on one service share one ztunnel policy; a version added later is in targetRefs', () => {
    const c = ambientChart();
    const users = new MeshService(c, 'users', { versions });
    new AuthorizationPolicy(c, 'a', { service: users }).allow({ from: [Caller.namespace('web')], methods: ['GET'] });
    new AuthorizationPolicy(c, 'b', { service: users }).deny({ paths: ['/admin/*'] });
    users.addVersion({ name: 'v3', image: 'x:3' });
    const objs = Testing.synth(c);
    expect(of(objs, 'AuthorizationPolicy').map((p) => p.metadata.name)).toEqual(['a', 'a-ztunnel', 'b']);
    expect(named(objs, 'AuthorizationPolicy', 'b').spec.targetRefs.map((r: any) => r.name)).toEqual(['users', 'users-v1', 'users-v2', 'users-v3']);
  });

  test('denyAll stays an allow-nothing policy for ztunnel (it denies the waypoint too), without a lock-down', () => {
    const c = ambientChart();
    new AuthorizationPolicy(c, 'allow-nothing', { denyAll: true });
    expect(of(Testing.synth(c), 'AuthorizationPolicy').map((p) => [p.metadata.name, p.spec])).toEqual([['allow-nothing', {}]]);
  });

  test('Waypoint.none(): no Gateway, no use-waypoint label; policies are ztunnel selector policies, an ALLOW one admitting the scraper', () => {
    const c = ambientChart(new IstioAmbient({ waypoint: Waypoint.none() }));
    const users = new MeshService(c, 'users', { versions: [versions[0]] });
    const front = new MeshService(c, 'front', { versions: [versions[0]] });
    new AuthorizationPolicy(c, 'p', { service: users }).allow({ from: [Caller.meshService(front)], ports: [8080] });
    const objs = Testing.synth(c);
    expect(of(objs, 'Gateway')).toEqual([]);
    expect(named(objs, 'Namespace', 'shop').metadata.labels).not.toHaveProperty('istio.io/use-waypoint');
    expect(named(objs, 'AuthorizationPolicy', 'p').spec).toEqual({
      selector: { matchLabels: { app: 'users' } },
      action: 'ALLOW',
      rules: [
        { from: [{ source: { principals: ['cluster.local/ns/shop/sa/front'] } }], to: [{ operation: { ports: ['8080'] } }] },
        { from: [{ source: { principals: ['cluster.local/ns/istio-system/sa/prometheus'] } }], to: [{ operation: { ports: ['8080'] } }] },
      ],
    });
  });

  test('PeerAuthentication: STRICT and PERMISSIVE as in sidecar mode, port-level PERMISSIVE on a selector policy', () => {
    const c = ambientChart();
    const users = new MeshService(c, 'users', { versions: [versions[0]] });
    new PeerAuthentication(c, 'pa', { service: users, portLevelMtls: [{ port: 9090, mode: MtlsMode.PERMISSIVE }] });
    expect(named(Testing.synth(c), 'PeerAuthentication', 'users').spec).toEqual({
      selector: { matchLabels: { app: 'users' } }, mtls: { mode: 'STRICT' }, portLevelMtls: { 9090: { mode: 'PERMISSIVE' } },
    });
  });

  test('a service-scoped MeshTelemetry is attached to its Services (the waypoint), a namespace-wide one has no target', () => {
    const c = ambientChart();
    const users = new MeshService(c, 'users', { versions });
    new MeshTelemetry(c, 'ns-telemetry', { accessLogging: AccessLogging.enabled() });
    new MeshTelemetry(c, 'users-telemetry', { service: users, accessLogging: AccessLogging.disabled() });
    const objs = Testing.synth(c);
    expect(named(objs, 'Telemetry', 'default').spec).toEqual({ accessLogging: [{ providers: [{ name: 'envoy' }] }] });
    expect(named(objs, 'Telemetry', 'users').spec).toEqual({
      targetRefs: ['users', 'users-v1', 'users-v2'].map((name) => ({ group: '', kind: 'Service', name })),
      accessLogging: [{ disabled: true }],
    });
  });
});

// Ambient: a metrics port made PERMISSIVE with portLevelMtls (README: a Prometheus outside the
// mesh) is open to plain-text scrapers in the ztunnel lock-down — they have no principal a `from`
// could name. Elsewhere the scraper stays identified.
import { Chart, Testing } from 'cdk8s';
import { AuthorizationPolicy, Caller, IstioAmbient, Mesh, MeshMonitor, MeshNamespace, MeshService, MetricsEndpoint, MtlsMode, PeerAuthentication } from '../../../src';

function users(metricsPortMode?: MtlsMode, workloadMode?: MtlsMode) {
  const app = Testing.app();
  Mesh.use(app, new IstioAmbient());
  const c = new Chart(app, 'shop', { namespace: 'shop', disableResourceNameHashes: true });
  new MeshNamespace(c, 'ns');
  const s = new MeshService(c, 'users', { versions: [{ name: 'v1', image: 'ghcr.io/acme/users:1' }], metrics: MetricsEndpoint.http({ port: 9090 }) });
  if (metricsPortMode || workloadMode) {
    new PeerAuthentication(c, 'users-mtls', { service: s, mode: workloadMode, portLevelMtls: metricsPortMode ? [{ port: 9090, mode: metricsPortMode }] : undefined });
  }
  new AuthorizationPolicy(c, 'users-callers', { service: s }).allow({ from: [Caller.serviceAccount('shop', 'frontend')] });
  new MeshMonitor(c, 'users-monitor', { service: s });
  return Testing.synth(c).find((o: any) => o.kind === 'AuthorizationPolicy' && o.metadata.name === 'users-callers-ztunnel').spec.rules;
}

test('a port-level PERMISSIVE metrics port: open to any caller on that port', () => {
  expect(users(MtlsMode.PERMISSIVE)).toEqual([
    { from: [{ source: { principals: ['cluster.local/ns/shop/sa/waypoint'] } }] },
    { to: [{ operation: { ports: ['9090'] } }] },
  ]);
});

test('STRICT, or a whole workload PERMISSIVE: the scraper by its principal only', () => {
  for (const rules of [users(), users(undefined, MtlsMode.PERMISSIVE)]) {
    expect(rules).toEqual([
      { from: [{ source: { principals: ['cluster.local/ns/shop/sa/waypoint'] } }] },
      { from: [{ source: { principals: ['cluster.local/ns/istio-system/sa/prometheus'] } }], to: [{ operation: { ports: ['9090'] } }] },
    ]);
  }
});

// What Istio ambient can't honour fails — in the constructor when knowable, else at synth — naming
// the backend, the construct, the prop and the alternative.
import { Chart, Testing } from 'cdk8s';
import {
  AuthorizationPolicy, Caller, DestinationTls, IstioAmbient, IstioSidecar, Mesh, MeshNamespace, MeshService, MtlsMode, PeerAuthentication,
  TrafficSplit, Waypoint,
} from '../../../src';

const versions = [{ name: 'v1', image: 'x:1' }, { name: 'v2', image: 'x:2' }];

function ambientChart(backend = new IstioAmbient(), withNamespace = true, namespace = 'shop'): Chart {
  const app = Testing.app();
  Mesh.use(app, backend);
  const c = new Chart(app, 'c', { namespace, disableResourceNameHashes: true });
  if (withNamespace) new MeshNamespace(c, 'namespace');
  return c;
}

describe('Istio ambient: fails when', () => {
  test('a TrafficSplit rule injects a fault (Gateway API has none), in the constructor and in addRule()', () => {
    const c = ambientChart();
    const users = new MeshService(c, 'users', { versions });
    const msg = 'TrafficSplit \'c/r\': prop \'rules[0].fault\' is {"abort":{"httpStatus":503,"percentage":100}}, which Istio ambient cannot express: Gateway API HTTPRoute has no fault injection. '
      + 'Fix: inject faults with the Istio sidecar backend routing with VirtualService, or in the application or a test proxy; remove `fault` from this rule.';
    expect(() => new TrafficSplit(c, 'r', {
      service: users, rules: [{ destinations: [{ version: 'v2' }], fault: { abort: { httpStatus: 503 } } }], defaultRoute: { destinations: [{ version: 'v1' }] },
    })).toThrow(msg);
    const split = new TrafficSplit(c, 'r2', { service: users, defaultRoute: { destinations: [{ version: 'v1' }] } });
    expect(() => split.addRule({ destinations: [{ version: 'v2' }], fault: { abort: { httpStatus: 503 } } })).toThrow(/prop 'rules\[0\]\.fault' .*Istio ambient cannot express: Gateway API HTTPRoute has no fault injection/);
  });

  test('an L7 field is in a selector policy (no waypoint): Istio would make it deny-all', () => {
    const c = ambientChart(new IstioAmbient({ waypoint: Waypoint.none() }));
    const users = new MeshService(c, 'users', { versions: [versions[0]] });
    const front = new MeshService(c, 'front', { versions: [versions[0]] });
    new AuthorizationPolicy(c, 'p', { service: users }).allow({ from: [Caller.meshService(front)], methods: ['GET'], paths: ['/x'] });
    const tail = ', which is an L7 field in a workload-selector policy, which Istio ambient enforces in ztunnel (L4 only): Istio turns such a policy into deny-all (the backend has no waypoint: Waypoint.none()). '
      + 'Fix: use a waypoint (new IstioAmbient() has one per namespace) to authorize by method, path or end-user JWT, or authorize by caller and port only.';
    expect(() => Testing.synth(c)).toThrow(`IstioAmbient L7InSelectorPolicy: AuthorizationPolicy 'c/p': prop 'allow(rule).methods' is ["GET"]${tail}`);
    expect(() => Testing.synth(c)).toThrow(`IstioAmbient L7InSelectorPolicy: AuthorizationPolicy 'c/p': prop 'allow(rule).paths' is ["/x"]${tail}`);
  });

  test('a route has no waypoint in use: no ambient MeshNamespace for its namespace', () => {
    const c = ambientChart(new IstioAmbient(), false);
    const users = new MeshService(c, 'users', { versions });
    new TrafficSplit(c, 'r', { service: users, defaultRoute: { destinations: [{ version: 'v1' }] } });
    expect(() => Testing.synth(c)).toThrow('IstioAmbient NoWaypoint: TrafficSplit \'c/r\': prop \'service\' is "users", which is routed by an HTTPRoute, but namespace "shop" has no MeshNamespace rendered for Istio ambient, '
      + 'so nothing labels it istio.io/use-waypoint and creates waypoint "waypoint": Istio ambient ignores the route (its status reports it as not respected) and requests spread over every version\'s pods. '
      + 'Fix: add new MeshNamespace(chart, \'namespace\') for namespace "shop" with this backend (it labels istio.io/use-waypoint and creates the waypoint).');
  });

  test('a multi-version service\'s default route has no waypoint (Waypoint.none()); routeToDefaultVersion: false is the way out', () => {
    const c = ambientChart(new IstioAmbient({ waypoint: Waypoint.none() }));
    new MeshService(c, 'users', { versions });
    expect(() => Testing.synth(c)).toThrow('IstioAmbient NoWaypoint: MeshService \'c/users\': prop \'defaultVersion\' is "v1", which is routed by an HTTPRoute, but the backend has no waypoint (Waypoint.none()), '
      + 'and only a waypoint enforces L7 routing and policy in ambient mode: Istio ambient ignores the route (its status reports it as not respected) and requests spread over every version\'s pods. '
      + 'Fix: use a waypoint (new IstioAmbient() has one per namespace), or set routeToDefaultVersion: false and route the service elsewhere.');
    const ok = ambientChart(new IstioAmbient({ waypoint: Waypoint.none() }));
    new MeshService(ok, 'users', { versions, routeToDefaultVersion: false });
    expect(Testing.synth(ok).filter((o: any) => o.kind === 'HTTPRoute')).toEqual([]);
  });

  test('a policy for the waypoint has no waypoint in use (nothing would enforce it)', () => {
    const c = ambientChart(new IstioAmbient(), false);
    const users = new MeshService(c, 'users', { versions: [versions[0]] });
    new AuthorizationPolicy(c, 'p', { service: users }).allow({ from: [Caller.namespace('web')], methods: ['GET'] });
    expect(() => Testing.synth(c)).toThrow('IstioAmbient NoWaypoint: AuthorizationPolicy \'c/p\': prop \'service\' is "users", which is a policy attached to service "users" (targetRefs) for the waypoint to enforce, '
      + 'but namespace "shop" has no MeshNamespace rendered for Istio ambient, so nothing labels it istio.io/use-waypoint and creates waypoint "waypoint": nothing would enforce it. '
      + 'Fix: add new MeshNamespace(chart, \'namespace\') for namespace "shop" with this backend (it labels istio.io/use-waypoint and creates the waypoint).');
  });

  test('the waypoint\'s name is an app Service/ServiceAccount, or a version\'s Deployment/Service', () => {
    const c = ambientChart(new IstioAmbient({ waypoint: Waypoint.perNamespace({ name: 'users' }) }));
    new MeshService(c, 'users', { versions: [versions[0]] });
    expect(() => Testing.synth(c)).toThrow('IstioAmbient WaypointNameCollision: MeshNamespace \'c/namespace\': prop \'waypoint\' is "users", which is the name of the namespace\'s waypoint (Istio ambient), '
      + 'and also the Service and ServiceAccount of MeshService \'c/users\': Istio creates the waypoint\'s Deployment, Service and ServiceAccount under the Gateway\'s name, so one would overwrite the other and the waypoint identity would be the app\'s. '
      + 'Fix: name the waypoint differently, e.g. new IstioAmbient({ waypoint: Waypoint.perNamespace({ name: "users-waypoint" }) }).');
    const v = ambientChart(new IstioAmbient({ waypoint: Waypoint.perNamespace({ name: 'users-v2' }) }));
    new MeshService(v, 'users', { versions });
    expect(() => Testing.synth(v)).toThrow('prop \'waypoint\' is "users-v2", which is the name of the namespace\'s waypoint (Istio ambient), and also the Deployment and Service of version "v2" of MeshService \'c/users\'');
  });

  test('a policy targets a Service that is not a MeshService of the app (its per-version Services are unknown)', () => {
    const c = ambientChart();
    new AuthorizationPolicy(c, 'p', { service: { serviceName: 'ext', namespace: 'shop', port: 80, portName: 'http', versionNames: [] } }).allow({ from: [Caller.namespace('web')] });
    expect(() => Testing.synth(c)).toThrow('IstioAmbient TargetNotFound: AuthorizationPolicy \'c/p\': prop \'service\' is "ext", which is not a MeshService of this app in namespace "shop", '
      + 'so Istio ambient can\'t list its per-version Services in targetRefs (a targetRef to the apex Service does not cover requests addressed to <service>-<version>). '
      + 'Fix: pass the MeshService itself as `service`, declared in the same app and namespace.');
  });

  test('PeerAuthentication DISABLE (no effect in ambient): the mode and port-level, in the constructor; a port added later, at synth', () => {
    const c = ambientChart();
    const users = new MeshService(c, 'users', { versions: [versions[0]] });
    expect(() => new PeerAuthentication(c, 'pa', { name: 'x', mode: MtlsMode.DISABLE })).toThrow('PeerAuthentication \'c/pa\': prop \'mode\' is "DISABLE", which Istio ambient does not honour: '
      + 'ztunnel always speaks mTLS (HBONE) between ambient workloads, so DISABLE has no effect (https://istio.io/latest/docs/reference/config/security/peer_authentication/). '
      + 'Fix: use MtlsMode.PERMISSIVE to also accept plaintext from callers outside the mesh, or MtlsMode.STRICT.');
    const port = 'prop \'portLevelMtls\' is {"port":9090,"mode":"DISABLE"}, which Istio ambient does not honour: ztunnel always speaks mTLS (HBONE) between ambient workloads, so a port-level DISABLE has no effect. '
      + 'Fix: use MtlsMode.PERMISSIVE on the port to also accept plaintext on it (e.g. for a scraper outside the mesh).';
    expect(() => new PeerAuthentication(c, 'pb', { service: users, portLevelMtls: [{ port: 9090, mode: MtlsMode.DISABLE }] })).toThrow(`PeerAuthentication 'c/pb': ${port}`);
    const later = new PeerAuthentication(c, 'pc', { service: users });
    later.addPortLevelMtls({ port: 9090, mode: MtlsMode.DISABLE });
    expect(() => Testing.synth(c)).toThrow(`PeerAuthentication 'c/pc': ${port}`);
  });

  test('MeshNamespace mtlsMode DISABLE is refused the same way', () => {
    const app = Testing.app();
    Mesh.use(app, new IstioAmbient());
    const c = new Chart(app, 'c', { namespace: 'shop' });
    expect(() => new MeshNamespace(c, 'ns', { mtlsMode: MtlsMode.DISABLE })).toThrow('PeerAuthentication \'c/ns/PeerAuthentication\': prop \'mode\' is "DISABLE", which Istio ambient does not honour');
  });

  test('a port-level mode is on a workload policy in the root namespace (ztunnel ignores those)', () => {
    const c = ambientChart(new IstioAmbient(), false, 'istio-system');
    const users = new MeshService(c, 'users', { versions: [versions[0]] });
    expect(() => new PeerAuthentication(c, 'pa', { service: users, portLevelMtls: [{ port: 9090, mode: MtlsMode.PERMISSIVE }] })).toThrow(
      'PeerAuthentication \'c/pa\': prop \'portLevelMtls\' is {"port":9090,"mode":"PERMISSIVE"}, which Istio ambient does not honour: ztunnel ignores workload-selector PeerAuthentications in the root namespace "istio-system", '
      + 'so the port-level mode would not apply. Fix: create the PeerAuthentication in the namespace of the service it selects.');
  });

  test('MeshNamespace sets an injection label, or a revision without a waypoint', () => {
    const app = Testing.app();
    Mesh.use(app, new IstioAmbient({ waypoint: Waypoint.none() }));
    const c = new Chart(app, 'c', { namespace: 'shop' });
    expect(() => new MeshNamespace(c, 'a', { labels: { 'istio-injection': 'enabled' } })).toThrow('MeshNamespace \'c/a\': prop \'labels\' is "istio-injection", which would inject sidecars into the pods of an ambient namespace (Istio ambient runs without them). Fix: leave it out.');
    expect(() => new MeshNamespace(c, 'b', { labels: { 'istio.io/rev': 'canary' } })).toThrow('MeshNamespace \'c/b\': prop \'labels\' is "istio.io/rev", which would make that revision\'s injector add sidecars to the pods of an ambient namespace.');
    expect(() => new MeshNamespace(c, 'r', { revision: 'canary' })).toThrow('MeshNamespace \'c/r\': prop \'revision\' is "canary", which has nothing to select under Istio ambient without a waypoint: ztunnel is not revisioned, '
      + 'and on the namespace istio.io/rev would make that revision\'s injector add sidecars. Fix: drop `revision`, or use a waypoint (its Gateway gets the istio.io/rev label).');
  });

  test('a MeshService sets client TLS (there are no sidecars to originate it)', () => {
    const c = ambientChart();
    expect(() => new MeshService(c, 'users', { versions: [versions[0]], tls: DestinationTls.istioMutual() })).toThrow('MeshService \'c/users\': prop \'tls\' is "ISTIO_MUTUAL", which is client TLS for callers\' sidecars (a DestinationRule), '
      + 'but Istio ambient has no sidecars: ztunnel always connects ambient workloads with mTLS (HBONE). Fix: remove `tls` (mTLS is always on), or use the Istio sidecar backend for TLS origination.');
  });

  test('the backend is given a bad waypoint name or scraper identity', () => {
    expect(() => Waypoint.perNamespace({ name: 'Bad_Name' })).toThrow('Waypoint \'(backend)\': prop \'name\' is "Bad_Name", which is not a DNS-1035 label');
    expect(() => new IstioAmbient({ scraper: { namespace: 'monitoring', serviceAccount: '' } })).toThrow('IstioAmbient \'(backend)\': prop \'scraper.serviceAccount\' is "", which is not a DNS-1123 label');
  });

  test('ambient and sidecar constructs share a namespace', () => {
    const app = Testing.app();
    const a = new Chart(app, 'a', { namespace: 'shop' });
    Mesh.use(a, new IstioAmbient());
    new MeshNamespace(a, 'namespace');
    const s = new Chart(app, 's', { namespace: 'shop' });
    Mesh.use(s, new IstioSidecar());
    new MeshService(s, 'users', { versions: [versions[0]] });
    expect(() => app.synth()).toThrow('\'s/users\' renders for Istio sidecar, but \'a/namespace\' in the same namespace "shop" renders for Istio ambient.');
  });
});

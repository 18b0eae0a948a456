// Inputs an adversarial review found rendering broken or insecure config (each now an error), and
// raw TypeErrors from JavaScript callers (now prop errors).
import { App, Chart, Duration, Testing } from 'cdk8s';
import {
  AuthorizationPolicy, Caller, IMeshBackend, IstioAmbient, IstioRouting, IstioSidecar, Linkerd, Mesh, MeshMonitor, MeshNamespace,
  MeshProtocol, MeshService, MtlsMode, PeerAuthentication, TrafficSplit, Weight,
} from '../src';

const v = (name: string) => ({ name, image: `ghcr.io/acme/x:${name}` });
function appFor(backend?: IMeshBackend): App {
  const app = Testing.app();
  if (backend) Mesh.use(app, backend);
  return app;
}
const chart = (app: App, ns: string) => new Chart(app, ns, { namespace: ns, disableResourceNameHashes: true });
const gatewayBackends: Array<[string, () => IMeshBackend]> = [
  ['Istio sidecar (Gateway API routing)', () => new IstioSidecar({ routing: IstioRouting.GATEWAY_API })],
  ['Istio ambient', () => new IstioAmbient()],
  ['Linkerd', () => new Linkerd()],
];

describe('refused instead of rendered broken', () => {
  test.each(gatewayBackends)('fails when a TrafficSplit in another namespace would be a GAMMA consumer route (%s)', (name, backend) => {
    const app = appFor(backend());
    const shop = chart(app, 'shop');
    const ops = chart(app, 'ops');
    const users = new MeshService(shop, 'users', { versions: [v('v1'), v('v2')] });
    new TrafficSplit(ops, 'r', { service: users, defaultRoute: { destinations: [{ version: 'v1', weight: Weight.percent(50) }, { version: 'v2', weight: Weight.percent(50) }] } });
    expect(() => app.synth()).toThrow(`GatewayAPI ConsumerRoute: TrafficSplit 'ops/r': prop 'service' is "users", which is in namespace "shop" but this route would live in "ops": under ${name} (Gateway API, GAMMA) that is a consumer route`);
  });

  test.each(gatewayBackends)('fails when <service>-<version> would make a Service name over 63 characters (%s)', (name, backend) => {
    const c = chart(appFor(backend()), 'shop');
    expect(() => new MeshService(c, 's', { serviceName: 'a'.repeat(55), versions: [v('v1'), v('version-long')] }))
      .toThrow(`prop 'versions[1].name' is "version-long", which makes the per-version Service "${'a'.repeat(55)}-version-long" 68 characters long, and ${name} routes to one Service per version`);
  });

  test('renders long names under VirtualService routing (no per-version Service)', () => {
    const c = chart(appFor(), 'shop');
    new MeshService(c, 's', { serviceName: 'a'.repeat(55), versions: [v('v1'), v('version-long')] });
    expect(() => Testing.synth(c)).not.toThrow();
  });

  test('fails under Linkerd when a MeshMonitor lives in another namespace than its service', () => {
    const app = appFor(new Linkerd());
    const shop = chart(app, 'shop');
    new MeshNamespace(shop, 'namespace');
    const users = new MeshService(shop, 'users', { versions: [v('v1')] });
    new AuthorizationPolicy(shop, 'p', { service: users }).allow({ from: [Caller.namespace('shop')] });
    expect(() => new MeshMonitor(chart(app, 'monitoring'), 'mon', { service: users }))
      .toThrow("MeshMonitor 'monitoring/mon': prop 'service' is \"users\", which is in namespace \"shop\", but this MeshMonitor is in \"monitoring\", and under Linkerd the scrape's Server route");
  });

  test('fails under Linkerd when a namespace gets a second namespace-wide PeerAuthentication', () => {
    const app = appFor(new Linkerd());
    const c = chart(app, 'shop');
    new MeshNamespace(c, 'namespace', { mtlsMode: MtlsMode.PERMISSIVE });
    new MeshService(c, 'users', { versions: [v('v1')] });
    new PeerAuthentication(c, 'pa', { name: 'strict', mode: MtlsMode.STRICT });
    expect(() => app.synth()).toThrow("PeerAuthentication 'shop/pa': namespace \"shop\" already has the namespace-wide PeerAuthentication 'shop/namespace/PeerAuthentication', and Linkerd takes one inbound policy per scope");
  });

  test('fails when perTryTimeout is set with attempts: 0 (data planes disagree on what it means)', () => {
    const c = chart(appFor(), 'shop');
    const s = new MeshService(c, 'users', { versions: [v('v1')] });
    expect(() => new TrafficSplit(c, 'r', { service: s, defaultRoute: { destinations: [{ version: 'v1' }], retries: { attempts: 0, perTryTimeout: Duration.seconds(1) } } }))
      .toThrow("prop 'defaultRoute.retries.perTryTimeout' is \"1 second\", which is set with attempts: 0");
  });

  test('fails when retry attempts are absurd', () => {
    const c = chart(appFor(), 'shop');
    const s = new MeshService(c, 'users', { versions: [v('v1')] });
    expect(() => new TrafficSplit(c, 'r', { service: s, defaultRoute: { destinations: [{ version: 'v1' }], retries: { attempts: 3e9 } } }))
      .toThrow("prop 'defaultRoute.retries.attempts' is 3000000000, which is above 100");
  });
});

describe('JavaScript callers get prop errors, not TypeErrors', () => {
  test.each([
    ['MeshService props null', (c: Chart) => new MeshService(c, 'u', null as any), "MeshService 'shop/u': prop 'props' is null, which is not an object"],
    ['a null version', (c: Chart) => new MeshService(c, 'u', { versions: [null as any] }), "prop 'versions[0]' is null, which is not a version"],
    ['MeshMonitor service null', (c: Chart) => new MeshMonitor(c, 'm', { service: null as any }), "MeshMonitor 'shop/m': prop 'service' is null, which is not a MeshService"],
    ['a null port-level override', (c: Chart) => new PeerAuthentication(c, 'pa', { service: new MeshService(c, 'u', { versions: [v('v1')] }), portLevelMtls: [null as any] }), "prop 'portLevelMtls[0]' is null, which is not a port-level override"],
  ])('fails with a prop error for %s', (_name, build, message) => {
    const c = chart(appFor(), 'shop');
    expect(() => build(c)).toThrow(message);
  });
});

describe('error format', () => {
  test.each(gatewayBackends)('fails naming the prop when a timeout is beyond Gateway API durations (%s)', (name, backend) => {
    const c = chart(appFor(backend()), 'shop');
    const s = new MeshService(c, 'users', { versions: [v('v1')] });
    expect(() => new TrafficSplit(c, 'r', { service: s, defaultRoute: { destinations: [{ version: 'v1' }], timeout: Duration.hours(200000) } }))
      .toThrow(`TrafficSplit 'shop/r': prop 'defaultRoute.timeout' is "720000000000ms", which ${name} cannot express: Gateway API durations are at most 99999h`);
  });
});

describe('one HTTPRoute wiring for the single-route Gateway API backends', () => {
  test.each(gatewayBackends.slice(0, 2))('fails when a multi-version TCP service would need a TCPRoute (%s)', (name, backend) => {
    const c = chart(appFor(backend()), 'shop');
    expect(() => new MeshService(c, 'cache', { port: 6379, protocol: MeshProtocol.TCP, versions: [v('v1'), v('v2')] }))
      .toThrow(`MeshService 'shop/cache': prop 'routeToDefaultVersion' is true, which routes the TCP port "tcp" of a service with several versions, and ${name} renders HTTPRoute only`);
  });
});

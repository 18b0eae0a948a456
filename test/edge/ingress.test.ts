// MeshIngress: north–south exposure with TLS, rendered per backend, the TrafficSplit's rules bound
// to the gateway (edge traffic follows the canary split and header rule), and its bad inputs.
import { Chart, Testing } from 'cdk8s';
import {
  AuthorizationPolicy, Caller, IstioAmbient, IstioRouting, IstioSidecar, Linkerd, Mesh, MeshIngress, MeshNamespace, MeshService, StringMatch,
  TrafficSplit, validateChart, Weight,
} from '../../src';
import { chart, object, objects } from '../util';

const versions = [{ name: 'v1', image: 'x:1' }, { name: 'v2', image: 'x:2' }];
const TLS = 'shop-example-com-tls';

function shop(backend?: any): { c: Chart; frontend: MeshService } {
  const app = Testing.app();
  if (backend) Mesh.use(app, backend);
  const c = new Chart(app, 'c', { namespace: 'shop', disableResourceNameHashes: true });
  new MeshNamespace(c, 'namespace');
  return { c, frontend: new MeshService(c, 'frontend', { versions }) };
}

function canary(c: Chart, frontend: MeshService): TrafficSplit {
  return new TrafficSplit(c, 'split', {
    service: frontend,
    rules: [{ matches: [{ headers: { 'x-canary': StringMatch.exact('yes') } }], destinations: [{ version: 'v2' }] }],
    defaultRoute: { destinations: [{ version: 'v1', weight: Weight.percent(90) }, { version: 'v2', weight: Weight.percent(10) }] },
  });
}

describe('MeshIngress (Istio sidecar, VirtualService routing)', () => {
  test('an Istio Gateway, and the TrafficSplit\'s VirtualService bound to it and to the mesh', () => {
    const { c, frontend } = shop();
    new MeshIngress(c, 'frontend-ingress', { service: frontend, hosts: ['shop.example.com', '*.shop.example.org'], tlsSecret: TLS });
    canary(c, frontend);
    const gateway = object(c, 'Gateway', 'frontend-ingress');
    expect(gateway).toMatchSnapshot();
    expect(gateway.apiVersion).toBe('networking.istio.io/v1');
    expect(gateway.spec).toEqual({
      selector: { istio: 'ingressgateway' },
      servers: [{ port: { number: 443, name: 'https', protocol: 'HTTPS' }, hosts: ['shop.example.com', '*.shop.example.org'], tls: { mode: 'SIMPLE', credentialName: TLS } }],
    });
    const vs = object(c, 'VirtualService', 'frontend').spec;
    expect(vs.hosts).toEqual(['frontend', 'shop.example.com', '*.shop.example.org']);
    expect(vs.gateways).toEqual(['frontend-ingress', 'mesh']);
    // The canary rule and the 90/10 split apply to edge traffic: the same http routes.
    expect(vs.http.map((h: any) => h.route.map((r: any) => [r.destination.subset, r.weight]))).toEqual([[['v2', undefined]], [['v1', 90], ['v2', 10]]]);
    expect(validateChart(c).errors).toEqual([]);
  });

  test('a TrafficSplit declared first is bound too; a single-version service gets a route for the edge', () => {
    const { c, frontend } = shop();
    canary(c, frontend);
    new MeshIngress(c, 'edge', { service: frontend, hosts: ['shop.example.com'], tlsSecret: TLS, port: 8443, gatewaySelector: { app: 'my-gateway' } });
    expect(object(c, 'VirtualService', 'frontend').spec.gateways).toEqual(['edge', 'mesh']);
    expect(object(c, 'Gateway', 'edge').spec.selector).toEqual({ app: 'my-gateway' });
    expect(object(c, 'Gateway', 'edge').spec.servers[0].port.number).toBe(8443);

    const one = chart('shop');
    const api = new MeshService(one, 'api', { versions: [versions[0]] });
    expect(objects(one, 'VirtualService')).toEqual([]);
    new MeshIngress(one, 'edge', { service: api, hosts: ['api.example.com'], tlsSecret: TLS });
    expect(object(one, 'VirtualService', 'api').spec).toEqual({
      hosts: ['api', 'api.example.com'], gateways: ['edge', 'mesh'], http: [{ route: [{ destination: { host: 'api', subset: 'v1' } }] }],
    });
  });
});

describe('MeshIngress (Gateway API backends)', () => {
  const cases: Array<[string, () => any, string | undefined]> = [
    ['Istio sidecar (Gateway API routing)', () => new IstioSidecar({ routing: IstioRouting.GATEWAY_API }), undefined],
    ['Istio ambient', () => new IstioAmbient(), undefined],
    ['Linkerd', () => new Linkerd(), 'envoy-gateway'],
  ];
  test.each(cases)('%s: a Gateway API Gateway, and the HTTPRoute with a Gateway parentRef (and the hostnames, but not under Linkerd)', (name, backend, gatewayClassName) => {
    const { c, frontend } = shop(backend());
    new MeshIngress(c, 'edge', { service: frontend, hosts: ['shop.example.com', 'www.example.com'], tlsSecret: TLS, gatewayClassName });
    canary(c, frontend);
    const gateway = object(c, 'Gateway', 'edge');
    expect(gateway.apiVersion).toBe('gateway.networking.k8s.io/v1');
    expect(gateway.spec.gatewayClassName).toBe(gatewayClassName ?? 'istio');
    expect(gateway.spec.listeners).toEqual(['shop.example.com', 'www.example.com'].map((hostname, i) => ({
      name: `https-${i}`, hostname, port: 443, protocol: 'HTTPS',
      tls: { mode: 'Terminate', certificateRefs: [{ group: '', kind: 'Secret', name: TLS }] },
      allowedRoutes: { namespaces: { from: 'Same' } },
    })));
    const routes = objects(c, 'HTTPRoute').filter((r: any) => r.spec.parentRefs.some((p: any) => p.kind === 'Gateway'));
    expect(routes.length).toBeGreaterThan(0);
    for (const route of routes) {
      expect(route.spec.parentRefs).toEqual([
        { group: '', kind: 'Service', name: 'frontend', port: 8080 },
        { group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'edge' },
      ]);
      // Linkerd matches hostnames against in-mesh requests too (to `frontend`): they would match no route.
      expect(route.spec.hostnames).toEqual(name === 'Linkerd' ? undefined : ['shop.example.com', 'www.example.com']);
    }
    const weights = routes.flatMap((r: any) => r.spec.rules).map((rule: any) => rule.backendRefs.map((b: any) => [b.name, b.weight]));
    expect(weights).toEqual(expect.arrayContaining([[['frontend-v2', 100]], [['frontend-v1', 90], ['frontend-v2', 10]]]));
    expect(validateChart(c).errors).toEqual([]);
  });

  test('snapshot: Istio sidecar with Gateway API routing', () => {
    const { c, frontend } = shop(new IstioSidecar({ routing: IstioRouting.GATEWAY_API }));
    new MeshIngress(c, 'edge', { service: frontend, hosts: ['shop.example.com'], tlsSecret: TLS });
    canary(c, frontend);
    expect(Testing.synth(c).filter((o: any) => ['Gateway', 'HTTPRoute'].includes(o.kind))).toMatchSnapshot();
  });
});

describe('MeshIngress: fails when', () => {
  test('a host is not a DNS name', () => {
    const { c, frontend } = shop();
    const fix = 'Fix: use the public DNS name clients use, e.g. "shop.example.com" or "*.example.com".';
    const at = (host: string) => () => new MeshIngress(c, `i${Math.random().toString(36).slice(2, 8)}`, { service: frontend, hosts: [host], tlsSecret: TLS });
    expect(at('shop_example.com')).toThrow(/prop 'hosts\[0\]' is "shop_example.com", which is not a DNS name \(lower-case labels of letters, digits and '-', at least two, with an optional leading '\*\.'\)\. Fix: use the public DNS name/);
    expect(at('https://shop.example.com')).toThrow(/is "https:\/\/shop.example.com", which is not a DNS name/);
    expect(at('Shop.Example.com')).toThrow(`is "Shop.Example.com", which is not a lower-case DNS name (Gateway hostnames are compared lower-case). ${fix}`);
    expect(at('10.0.0.1')).toThrow(`is "10.0.0.1", which is an IP address, not a DNS name (TLS SNI and Gateway hostnames match names only). ${fix}`);
    expect(at('frontend.shop.svc.cluster.local')).toThrow(`is "frontend.shop.svc.cluster.local", which is a cluster-internal name, which clients outside the mesh can't resolve. ${fix}`);
    expect(at('localhost')).toThrow(/is "localhost", which is not a DNS name/);
    expect(at('shop.*.example.com')).toThrow(/is "shop.\*.example.com", which is not a DNS name/);
  });

  test('hosts, the TLS Secret or the port are bad', () => {
    const { c, frontend } = shop();
    expect(() => new MeshIngress(c, 'a', { service: frontend, hosts: [], tlsSecret: TLS })).toThrow(
      'MeshIngress \'c/a\': prop \'hosts\' is [], which lists no hostname, so no client could reach the service. Fix: list the external DNS names, e.g. [\'shop.example.com\'].');
    expect(() => new MeshIngress(c, 'b', { service: frontend, hosts: ['*.example.com', 'shop.example.com'], tlsSecret: TLS })).toThrow(
      'MeshIngress \'c/b\': prop \'hosts[1]\' is "shop.example.com", which overlaps "*.example.com", listed before it. Fix: list each hostname once.');
    expect(() => new MeshIngress(c, 'd', { service: frontend, hosts: ['shop.example.com'], tlsSecret: 'My_Secret' })).toThrow(
      'MeshIngress \'c/d\': prop \'tlsSecret\' is "My_Secret", which is not a Kubernetes object name (a DNS-1123 subdomain). Fix: use lower-case letters, digits, \'-\' and \'.\', e.g. "shop-example-com-tls".');
    expect(() => new MeshIngress(c, 'e', { service: frontend, hosts: ['shop.example.com'], tlsSecret: TLS, port: 70000 })).toThrow(/MeshIngress 'c\/e': prop 'port' is 70000/);
    expect(() => new MeshIngress(c, 'f', { service: frontend, hosts: ['shop.example.com'], tlsSecret: TLS, gatewaySelector: {} })).toThrow(
      'MeshIngress \'c/f\': prop \'gatewaySelector\' is {}, which is not a non-empty set of valid labels (an empty selector would configure every gateway). Fix: give the ingress gateway pods\' labels, e.g. { istio: \'ingressgateway\' }.');
  });

  test('two ingresses expose one host (IST0109-style conflict)', () => {
    const { c, frontend } = shop();
    const api = new MeshService(c, 'api', { versions: [versions[0]] });
    new MeshIngress(c, 'web', { service: frontend, hosts: ['*.example.com'], tlsSecret: TLS });
    new MeshIngress(c, 'api-ingress', { service: api, hosts: ['api.example.com'], tlsSecret: TLS });
    expect(() => Testing.synth(c)).toThrow('IST0109 ConflictingMeshGatewayVirtualServiceHosts: MeshIngress \'c/api-ingress\': prop \'hosts[0]\' is "api.example.com", which is also exposed by \'c/web\' (host "*.example.com", service "frontend"): '
      + 'two gateways and routes for one host conflict, and which one answers is undefined. Fix: expose the host from one MeshIngress only (list several services\' routes under distinct hosts).');
    // A wildcard declared after the hosts it covers is reported too; unrelated hosts are not.
    const later = shop();
    const web = new MeshService(later.c, 'web', { versions: [versions[0]] });
    new MeshIngress(later.c, 'api', { service: later.frontend, hosts: ['api.example.com', 'shop.example.org'], tlsSecret: TLS });
    new MeshIngress(later.c, 'web-ingress', { service: web, hosts: ['www.example.net', '*.example.com'], tlsSecret: TLS });
    const errors = () => { try { Testing.synth(later.c); return ''; } catch (e) { return (e as Error).message; } };
    expect(errors()).toMatch(/MeshIngress 'c\/web-ingress': prop 'hosts\[1\]' is "\*\.example\.com", which is also exposed by 'c\/api' \(host "api\.example\.com", service "frontend"\)/);
    expect(errors()).not.toMatch(/www\.example\.net|MeshIngress 'c\/api': prop 'hosts/);
  });

  test('the service is in another namespace, is TCP, or has no route', () => {
    const { c, frontend } = shop();
    const other = new Chart(c.node.scope as any, 'other', { namespace: 'edge', disableResourceNameHashes: true });
    expect(() => new MeshIngress(other, 'i', { service: frontend, hosts: ['shop.example.com'], tlsSecret: TLS })).toThrow(
      'MeshIngress \'other/i\': prop \'service\' is "frontend", which is in namespace "shop" but the ingress is in "edge", and the service\'s routes bind only to a gateway of their own namespace. Fix: create the MeshIngress in the chart of the service it exposes.');
    const db = new MeshService(c, 'db', { versions: [versions[0]], ports: [{ name: 'tcp', port: 5432, protocol: 'tcp' as any }] } as any);
    expect(() => new MeshIngress(c, 'db-ingress', { service: db, hosts: ['db.example.com'], tlsSecret: TLS })).toThrow(/prop 'service' is "db", which has the TCP port "tcp" as its primary port/);
    const quiet = new MeshService(c, 'quiet', { versions, routeToDefaultVersion: false });
    new MeshIngress(c, 'quiet-ingress', { service: quiet, hosts: ['quiet.example.com'], tlsSecret: TLS });
    expect(() => Testing.synth(c)).toThrow('MeshIngress \'c/quiet-ingress\': prop \'service\' is "quiet", which has no route the gateway could bind to: no TrafficSplit routes it and its routeToDefaultVersion is false, so edge requests would get 404. '
      + 'Fix: route the service with a TrafficSplit, or drop routeToDefaultVersion: false on \'c/quiet\'.');
  });

  test('the service is routed by a TrafficSplit of another namespace, whose route can\'t bind to the gateway', () => {
    const { c, frontend } = shop();
    const ops = new Chart(c.node.scope as any, 'ops', { namespace: 'ops', disableResourceNameHashes: true });
    new TrafficSplit(ops, 'split', { service: frontend, defaultRoute: { destinations: [{ version: 'v1' }] } });
    new MeshIngress(c, 'edge', { service: frontend, hosts: ['shop.example.com'], tlsSecret: TLS });
    expect(() => Testing.synth(c)).toThrow('MeshIngress \'c/edge\': prop \'service\' is "frontend", which is routed by \'ops/split\' in namespace "ops", whose route can\'t bind to this ingress\'s gateway in "shop": edge requests would follow no rule. '
      + 'Fix: create the TrafficSplit in the chart of the service and its MeshIngress.');
  });

  test('a backend can\'t honour a gateway prop', () => {
    const vs = shop();
    expect(() => new MeshIngress(vs.c, 'i', { service: vs.frontend, hosts: ['shop.example.com'], tlsSecret: TLS, gatewayClassName: 'istio' })).toThrow(
      'MeshIngress \'c/i\': prop \'gatewayClassName\' is "istio", which is a Gateway API GatewayClass, but Istio sidecar renders an Istio Gateway (VirtualService routing), bound to existing ingress pods by gatewaySelector. '
      + 'Fix: leave gatewayClassName out, or render with new IstioSidecar({ routing: IstioRouting.GATEWAY_API }).');
    const gw = shop(new IstioAmbient());
    expect(() => new MeshIngress(gw.c, 'i', { service: gw.frontend, hosts: ['shop.example.com'], tlsSecret: TLS, gatewaySelector: { istio: 'ingressgateway' } })).toThrow(
      'MeshIngress \'c/i\': prop \'gatewaySelector\' is {"istio":"ingressgateway"}, which is an Istio Gateway selector, but Istio ambient renders a Gateway API Gateway, whose controller deploys its own pods. Fix: choose the gateway with gatewayClassName instead.');
    expect(() => new MeshIngress(gw.c, 'waypoint', { service: gw.frontend, hosts: ['shop.example.com'], tlsSecret: TLS })).toThrow(
      /MeshIngress 'c\/waypoint': prop 'name' is "waypoint", which is the name of the namespace's waypoint \(Istio ambient\)/);
    const l5d = shop(new Linkerd());
    expect(() => new MeshIngress(l5d.c, 'i', { service: l5d.frontend, hosts: ['shop.example.com'], tlsSecret: TLS })).toThrow(
      'MeshIngress \'c/i\': prop \'gatewayClassName\' is undefined, which is required under Linkerd, which has no ingress of its own (any Gateway API ingress controller works with it). '
      + 'Fix: name the GatewayClass of your ingress controller, e.g. gatewayClassName: \'envoy-gateway\', or once for all with new Linkerd({ ingressGatewayClass }).');
    // The backend's ingressGatewayClass is the default for every MeshIngress that names none.
    const withClass = shop(new Linkerd({ ingressGatewayClass: 'envoy-gateway' }));
    new MeshIngress(withClass.c, 'i', { service: withClass.frontend, hosts: ['shop.example.com'], tlsSecret: TLS });
    expect(Testing.synth(withClass.c).find((o: any) => o.kind === 'Gateway').spec.gatewayClassName).toBe('envoy-gateway');
  });

  test('ambient: an AuthorizationPolicy\'s ztunnel lock-down would deny the ingress proxy', () => {
    const { c, frontend } = shop(new IstioAmbient());
    const users = new MeshService(c, 'users', { versions: [versions[0]] });
    new AuthorizationPolicy(c, 'p', { service: frontend }).allow({ from: [Caller.meshService(users)] });
    new MeshIngress(c, 'edge', { service: frontend, hosts: ['shop.example.com'], tlsSecret: TLS });
    expect(() => Testing.synth(c)).toThrow(/IstioAmbient IngressDeniedByZtunnel: MeshIngress 'c\/edge': prop 'service' is "frontend", which is protected by AuthorizationPolicy 'c\/p'/);
  });
});

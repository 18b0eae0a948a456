// Egress: ExternalService (ServiceEntry, timeouts/retries toward it) and MeshEgress (the
// namespace's Sidecar: declared egress hosts, REGISTRY_ONLY), per backend, and their bad inputs.
import { Chart, Duration, Testing } from 'cdk8s';
import {
  ExternalProtocol, ExternalResolution, ExternalService, IstioAmbient, IstioRouting, IstioSidecar, Linkerd, Mesh, MeshEgress, MeshNamespace, MeshService,
  RetryOn, validateChart,
} from '../../src';
import { object, objects } from '../util';

const versions = [{ name: 'v1', image: 'x:1' }];

function shop(backend?: any): Chart {
  const app = Testing.app();
  if (backend) Mesh.use(app, backend);
  const c = new Chart(app, 'c', { namespace: 'shop', disableResourceNameHashes: true });
  new MeshNamespace(c, 'namespace');
  return c;
}

describe('ExternalService (Istio sidecar)', () => {
  test('a ServiceEntry for a TLS dependency', () => {
    const c = shop();
    new ExternalService(c, 'stripe', { hosts: ['api.stripe.com'], ports: [{ port: 443, protocol: ExternalProtocol.TLS }] });
    const se = object(c, 'ServiceEntry', 'stripe');
    expect(se).toMatchSnapshot();
    expect(se.spec).toEqual({
      hosts: ['api.stripe.com'], location: 'MESH_EXTERNAL', ports: [{ number: 443, name: 'tls-443', protocol: 'TLS' }], resolution: 'DNS',
    });
    expect(objects(c, 'VirtualService')).toEqual([]);
    expect(validateChart(c).errors).toEqual([]);
  });

  test('timeouts and retries toward an HTTP dependency: a VirtualService per host', () => {
    const c = shop(new IstioSidecar({ routing: IstioRouting.GATEWAY_API }));
    new ExternalService(c, 'legacy', {
      hosts: ['legacy.example.com', 'legacy2.example.com'],
      ports: [{ port: 80, protocol: ExternalProtocol.HTTP, name: 'http' }],
      resolution: ExternalResolution.STATIC,
      endpoints: ['203.0.113.10'],
      timeout: Duration.seconds(3),
      retries: { attempts: 2, perTryTimeout: Duration.millis(1500), retryOn: [RetryOn.GATEWAY_ERROR, RetryOn.CONNECT_FAILURE] },
    });
    expect(object(c, 'ServiceEntry', 'legacy').spec).toEqual({
      hosts: ['legacy.example.com', 'legacy2.example.com'], location: 'MESH_EXTERNAL', ports: [{ number: 80, name: 'http', protocol: 'HTTP' }],
      resolution: 'STATIC', endpoints: [{ address: '203.0.113.10' }],
    });
    expect(objects(c, 'VirtualService').map((v: any) => [v.metadata.name, v.spec])).toEqual(['legacy.example.com', 'legacy2.example.com'].map((host, i) => [`legacy-${i}`, {
      hosts: [host],
      http: [{ route: [{ destination: { host } }], timeout: '3s', retries: { attempts: 2, perTryTimeout: '1500ms', retryOn: 'gateway-error,connect-failure' } }],
    }]));
    expect(validateChart(c).errors).toEqual([]);
  });

  test('a wildcard host with resolution NONE', () => {
    const c = shop();
    new ExternalService(c, 'google', { hosts: ['*.googleapis.com'], ports: [{ port: 443, protocol: ExternalProtocol.HTTPS }], resolution: ExternalResolution.NONE });
    expect(object(c, 'ServiceEntry', 'google').spec.resolution).toBe('NONE');
  });
});

describe('MeshEgress (Istio sidecar)', () => {
  test('the namespace\'s Sidecar lists MeshServices, ExternalServices and namespaces, with REGISTRY_ONLY', () => {
    const c = shop();
    const users = new MeshService(c, 'users', { versions });
    const other = new Chart(c.node.scope as any, 'payments', { namespace: 'payments', disableResourceNameHashes: true });
    const payments = new MeshService(other, 'payments', { versions });
    const stripe = new ExternalService(c, 'stripe', { hosts: ['api.stripe.com'], ports: [{ port: 443, protocol: ExternalProtocol.TLS }] });
    new MeshEgress(c, 'egress', { destinations: [users, payments, stripe], namespaces: ['istio-system'] });
    const sidecar = object(c, 'Sidecar', 'default');
    expect(sidecar).toMatchSnapshot();
    expect(sidecar.spec).toEqual({
      egress: [{ hosts: ['shop/users.shop.svc.cluster.local', 'payments/payments.payments.svc.cluster.local', 'shop/api.stripe.com', 'istio-system/*'] }],
      outboundTrafficPolicy: { mode: 'REGISTRY_ONLY' },
    });
    expect(validateChart(c).errors).toEqual([]);
  });
});

describe('Egress: fails when', () => {
  test('an ExternalService prop is bad', () => {
    const c = shop();
    const tls = [{ port: 443, protocol: ExternalProtocol.TLS }];
    expect(() => new ExternalService(c, 'a', { hosts: ['*.example.com'], ports: tls })).toThrow(
      'ExternalService \'c/a\': prop \'hosts[0]\' is "*.example.com", which is a wildcard, which DNS resolution can\'t look up (Istio rejects the ServiceEntry). Fix: list the exact hosts, or set resolution: ExternalResolution.NONE.');
    expect(() => new ExternalService(c, 'b', { hosts: ['api example'], ports: tls })).toThrow(/ExternalService 'c\/b': prop 'hosts\[0\]' is "api example", which is not a DNS name/);
    expect(() => new ExternalService(c, 'd', { hosts: ['api.example.com'], ports: [] })).toThrow(
      'ExternalService \'c/d\': prop \'ports\' is [], which lists no port. Fix: list the ports called, e.g. [{ port: 443, protocol: ExternalProtocol.TLS }].');
    expect(() => new ExternalService(c, 'e', { hosts: ['api.example.com'], ports: [{ port: -1, protocol: ExternalProtocol.TLS }] })).toThrow(/ExternalService 'c\/e': prop 'ports\[0\]\.port' is -1/);
    expect(() => new ExternalService(c, 'f', { hosts: ['api.example.com'], ports: tls, resolution: ExternalResolution.STATIC })).toThrow(
      'ExternalService \'c/f\': prop \'endpoints\' is undefined, which is empty, but STATIC resolution has no other source of addresses. Fix: list the service\'s IP addresses.');
    expect(() => new ExternalService(c, 'g', { hosts: ['api.example.com'], ports: tls, timeout: Duration.seconds(2) })).toThrow(
      'ExternalService \'c/g\': prop \'timeout\' is "2 seconds", which needs an HTTP, HTTP2 or gRPC port: with TLS or TCP the proxy never reads a request to time out or retry. '
      + 'Fix: drop timeout, or call the service over plain HTTP from the workload (a port with ExternalProtocol.HTTP).');
    expect(() => new ExternalService(c, 'h', { hosts: ['api.example.com'], ports: [{ port: 80, protocol: ExternalProtocol.HTTP }], retries: { attempts: -1 } })).toThrow(/prop 'retries\.attempts' is -1/);
  });

  test('a MeshEgress is empty, repeated, or has no namespace', () => {
    const c = shop();
    const users = new MeshService(c, 'users', { versions });
    expect(() => new MeshEgress(c, 'a', { destinations: [] })).toThrow(
      'MeshEgress \'c/a\': prop \'destinations\' is [], which declares no destination, so every outbound request would fail. Fix: list the MeshServices and ExternalServices the namespace calls.');
    expect(() => new MeshEgress(c, 'b', { destinations: ['users' as any] })).toThrow(/prop 'destinations\[0\]' is "users", which is not a MeshService or an ExternalService/);
    new MeshEgress(c, 'egress', { destinations: [users] });
    expect(() => new MeshEgress(c, 'again', { destinations: [users] })).toThrow(
      'MeshEgress \'c/again\': prop \'destinations\' is ["users"], which restricts namespace "shop" again (\'c/egress\' already does): Istio applies one selector-less Sidecar per namespace and ignores the others. Fix: list every destination in \'c/egress\'.');
    const none = new Chart(Testing.app(), 'n', { disableResourceNameHashes: true });
    expect(() => new MeshEgress(none, 'e', { destinations: [users] })).toThrow(/MeshEgress 'n\/e': prop 'namespace' is undefined, which is unset on the chart/);
  });

  test('Istio ambient: no Sidecar resource, no timeouts/retries without a waypoint for the ServiceEntry', () => {
    const c = shop(new IstioAmbient());
    const stripe = new ExternalService(c, 'stripe', { hosts: ['api.stripe.com'], ports: [{ port: 443, protocol: ExternalProtocol.TLS }] });
    expect(object(c, 'ServiceEntry', 'stripe').spec.hosts).toEqual(['api.stripe.com']);
    expect(() => new ExternalService(c, 'legacy', { hosts: ['legacy.example.com'], ports: [{ port: 80, protocol: ExternalProtocol.HTTP }], timeout: Duration.seconds(1) })).toThrow(
      'ExternalService \'c/legacy\': prop \'timeout\' is "1000ms", which can\'t be applied by Istio ambient: ztunnel is L4 only, and HTTP policies toward a ServiceEntry need a waypoint bound to it (istio.io/use-waypoint), which this package does not render. '
      + 'Fix: drop timeout and retries (set them in the client), or use the Istio sidecar backend.');
    expect(() => new MeshEgress(c, 'egress', { destinations: [stripe] })).toThrow(
      'MeshEgress \'c/egress\': prop \'destinations\' is ["c/stripe"], which can\'t be enforced by Istio ambient: the Sidecar resource (egress hosts, REGISTRY_ONLY) configures sidecars, and ambient pods have none. '
      + 'Fix: restrict egress with an egress gateway or a NetworkPolicy, or use the Istio sidecar backend for this namespace.');
  });

  test('Linkerd refuses both', () => {
    const c = shop(new Linkerd());
    const users = new MeshService(c, 'users', { versions });
    expect(() => new ExternalService(c, 'stripe', { hosts: ['api.stripe.com'], ports: [{ port: 443, protocol: ExternalProtocol.TLS }] })).toThrow(
      'ExternalService \'c/stripe\': prop \'hosts\' is ["api.stripe.com"], which Linkerd cannot express: Linkerd has no ServiceEntry (external hosts are called directly, with no per-host ports, resolution, timeouts or retries). '
      + 'Fix: remove the ExternalService under Linkerd and set timeouts/retries in the client.');
    expect(() => new MeshEgress(c, 'egress', { destinations: [users] })).toThrow(/MeshEgress 'c\/egress': prop 'destinations' is \["users"\], which Linkerd cannot express: the Istio Sidecar egress-hosts/);
  });
});

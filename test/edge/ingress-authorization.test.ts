// IngressDeniedByAuthorization: a MeshIngress in front of a service whose AuthorizationPolicy
// admits only the app's own mesh services refuses every edge request (the ingress proxy calls with
// an identity of its own). Istio sidecar (both routing APIs) and Linkerd; ambient has its own check.
import { App, Chart, Testing } from 'cdk8s';
import {
  AuthorizationPolicy, Caller, IstioRouting, IstioSidecar, Linkerd, Mesh, MeshIngress, MeshNamespace, MeshService,
} from '../../src';

type Backend = 'sidecar' | 'gateway-api' | 'linkerd';
const BACKENDS: Backend[] = ['sidecar', 'gateway-api', 'linkerd'];

/** web and orders; `orders` behind a MeshIngress (or `web`, with `exposeWeb`) and the policy, if any, protecting orders. */
function shop(backend: Backend, policy?: (p: AuthorizationPolicy, web: MeshService) => void, props: { denyAll?: boolean; namespaceWide?: boolean; exposeWeb?: boolean } = {}): Chart {
  const app: App = Testing.app();
  if (backend === 'gateway-api') Mesh.use(app, new IstioSidecar({ routing: IstioRouting.GATEWAY_API }));
  if (backend === 'linkerd') Mesh.use(app, new Linkerd({ ingressGatewayClass: 'envoy-gateway' }));
  const c = new Chart(app, 'c', { namespace: 'shop', disableResourceNameHashes: true });
  new MeshNamespace(c, 'namespace');
  const web = new MeshService(c, 'web', { versions: [{ name: 'v1', image: 'ghcr.io/acme/web:1' }] });
  const orders = new MeshService(c, 'orders', { versions: [{ name: 'v1', image: 'ghcr.io/acme/orders:1' }] });
  new MeshIngress(c, props.exposeWeb ? 'web-ingress' : 'orders-ingress', { service: props.exposeWeb ? web : orders, hosts: ['shop.example.com'], tlsSecret: 'shop-tls' });
  if (policy || props.denyAll) {
    const p = new AuthorizationPolicy(c, 'orders-callers', { service: props.namespaceWide ? undefined : orders, denyAll: props.denyAll });
    policy?.(p, web);
  }
  return c;
}

const synthError = (c: Chart): string => {
  try {
    Testing.synth(c);
  } catch (e) {
    return (e as Error).message;
  }
  return '';
};

describe.each(BACKENDS)('IngressDeniedByAuthorization (%s)', (backend) => {
  test('fails when the exposed service admits only mesh services', () => {
    const message = synthError(shop(backend, (p, web) => p.allow({ from: [Caller.meshService(web)] })));
    expect(message).toContain('IngressDeniedByAuthorization: MeshIngress \'c/orders-ingress\': prop \'service\' is "orders"');
    expect(message).toContain("AuthorizationPolicy 'c/orders-callers' protects with ALLOW rules for mesh services only ([\"web\"])");
    expect(message).toContain('every one would be denied. Fix: allow the proxy\'s identity on that policy');
  });

  test('fails when a namespace-wide ALLOW policy admits only mesh services', () => {
    const namespaceWide = () => shop(backend, (p, web) => p.allow({ from: [Caller.meshService(web)], methods: ['GET'] }), { namespaceWide: true });
    // Linkerd refuses a namespace-wide allow rule before there is anything to analyse.
    if (backend === 'linkerd') expect(namespaceWide).toThrow('Linkerd cannot express');
    else expect(synthError(namespaceWide())).toContain('IngressDeniedByAuthorization');
  });

  test('fails when the exposed service is denied everything (denyAll)', () => {
    expect(synthError(shop(backend, undefined, { denyAll: true }))).toContain("which AuthorizationPolicy 'c/orders-callers' denies every request to (denyAll)");
  });

  test('passes with the gateway\'s ServiceAccount admitted, or a namespace, or no source restriction, or no policy', () => {
    expect(synthError(shop(backend, (p, web) => p.allow({ from: [Caller.meshService(web), Caller.serviceAccount('istio-system', 'istio-ingressgateway-service-account')] })))).toBe('');
    expect(synthError(shop(backend, (p) => p.allow({ methods: ['GET'], paths: ['/api/*'] })))).toBe('');
    expect(synthError(shop(backend))).toBe('');
    // An identity that is none of the app's MeshServices may be the gateway's (a custom deployment).
    expect(synthError(shop(backend, (p) => p.allow({ from: [Caller.serviceAccount('gateways', 'edge')] }), {}))).toBe('');
  });

  test('passes when the policy protects another service', () => {
    expect(synthError(shop(backend, (p, web) => p.allow({ from: [Caller.meshService(web)] }), { exposeWeb: true }))).toBe('');
  });
});

describe('IngressDeniedByAuthorization: the proxy identity in the fix', () => {
  test('Istio with Gateway API: the ServiceAccount Istio deploys the Gateway with (<name>-<class>), and it is admitted', () => {
    const web = (p: AuthorizationPolicy, w: MeshService) => p.allow({ from: [Caller.meshService(w)] });
    expect(synthError(shop('gateway-api', web))).toContain('Caller.serviceAccount("shop", "orders-ingress-istio")');
    expect(synthError(shop('gateway-api', (p, w) => p.allow({ from: [Caller.meshService(w), Caller.serviceAccount('shop', 'orders-ingress-istio')] })))).toBe('');
    // Its namespace is known: a namespace caller elsewhere does not admit it, its own does.
    expect(synthError(shop('gateway-api', (p, w) => p.allow({ from: [Caller.meshService(w), Caller.namespace('istio-system')] })))).toContain('IngressDeniedByAuthorization');
    expect(synthError(shop('gateway-api', (p, w) => p.allow({ from: [Caller.meshService(w), Caller.namespace('shop')] })))).toBe('');
  });

  test('Istio Gateway: the gateway pods by selector, istioctl\'s default account named', () => {
    expect(synthError(shop('sidecar', (p, w) => p.allow({ from: [Caller.meshService(w)] }))))
      .toContain("of the ingress gateway pods (istio=ingressgateway; istioctl's default gateway runs as 'istio-ingressgateway-service-account' in 'istio-system')");
  });

  test('Linkerd: the gateway must be meshed to have an identity', () => {
    expect(synthError(shop('linkerd', (p, w) => p.allow({ from: [Caller.meshService(w)] }))))
      .toContain('of the "envoy-gateway" gateway\'s proxy pods, which must be meshed themselves (linkerd.io/inject: enabled)');
  });
});

// AuthorizationPolicy rules the protected MeshService can never match are refused: a port it does
// not have, methods/paths on TCP ports, a method other than POST on gRPC ports (every backend).
import { Chart, Testing } from 'cdk8s';
import { AuthorizationPolicy, Caller, IstioAmbient, Linkerd, Mesh, MeshNamespace, MeshProtocol, MeshService } from '../../src';

const BACKENDS = [['Istio sidecar', undefined], ['Istio ambient', () => new IstioAmbient()], ['Linkerd', () => new Linkerd()]] as const;

describe.each(BACKENDS)('%s', (_name, backend) => {
  function shop() {
    const app = Testing.app();
    if (backend) Mesh.use(app, backend());
    const c = new Chart(app, 'shop', { namespace: 'shop', disableResourceNameHashes: true });
    new MeshNamespace(c, 'ns');
    const web = new MeshService(c, 'web', { versions: [{ name: 'v1', image: 'ghcr.io/acme/web:1' }] });
    const pg = new MeshService(c, 'pg', { port: 5432, protocol: MeshProtocol.TCP, versions: [{ name: 'v1', image: 'postgres:16' }] });
    const rpc = new MeshService(c, 'rpc', {
      ports: [{ port: 9090, protocol: MeshProtocol.GRPC }, { port: 8080, protocol: MeshProtocol.HTTP, name: 'http' }],
      versions: [{ name: 'v1', image: 'ghcr.io/acme/rpc:1' }],
    });
    return { c, web, pg, rpc };
  }

  test('fails when a rule names a port the service does not have', () => {
    const { c, web } = shop();
    expect(() => new AuthorizationPolicy(c, 'web-callers', { service: web }).allow({ from: [Caller.serviceAccount('shop', 'x')], ports: [80] }))
      .toThrow("AuthorizationPolicy 'shop/web-callers': prop 'allow(rule).ports[0]' is 80, which is not a port of MeshService \"web\" (8080): the rule would never match. Fix: use one of the service's ports");
  });

  test('fails when methods or paths are asked of a TCP service', () => {
    const { c, web, pg } = shop();
    const policy = new AuthorizationPolicy(c, 'pg-callers', { service: pg });
    expect(() => policy.allow({ from: [Caller.meshService(web)], methods: ['GET'] }))
      .toThrow("prop 'allow(rule).methods' is [\"GET\"], which needs HTTP, but every port of MeshService \"pg\" is TCP");
    expect(() => policy.deny({ paths: ['/admin'] })).toThrow("prop 'deny(rule).paths' is [\"/admin\"], which needs HTTP");
    // By identity alone it is fine.
    expect(() => policy.allow({ from: [Caller.meshService(web)] })).not.toThrow();
  });

  test('fails when a gRPC port is asked for a method other than POST; HTTP ports of the same service keep their methods', () => {
    const { c, web, rpc } = shop();
    const policy = new AuthorizationPolicy(c, 'rpc-callers', { service: rpc });
    expect(() => policy.allow({ from: [Caller.meshService(web)], methods: ['GET'], ports: [9090] }))
      .toThrow("which includes \"GET\", but the rule's ports are gRPC, and every gRPC call is a POST");
    expect(() => policy.allow({ from: [Caller.meshService(web)], methods: ['POST'], ports: [9090] })).not.toThrow();
    expect(() => policy.allow({ from: [Caller.meshService(web)], methods: ['GET'] })).not.toThrow();
  });
});

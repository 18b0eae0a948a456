// Linkerd reads a port's protocol from the Service's appProtocol (clients) and the Server's
// proxyProtocol (the pod's inbound proxy), per port: a TCP port is opaque (never HTTP/2, which
// would parse a database's bytes as HTTP), gRPC/HTTP2 is HTTP/2, HTTP is HTTP/1.
import { Chart, Testing } from 'cdk8s';
import { AuthorizationPolicy, Caller, Linkerd, Mesh, MeshNamespace, MeshProtocol, MeshService } from '../../../src';

function app() {
  const a = Testing.app();
  Mesh.use(a, new Linkerd());
  const c = new Chart(a, 'shop', { namespace: 'shop', disableResourceNameHashes: true });
  new MeshNamespace(c, 'ns');
  const redis = new MeshService(c, 'redis', { port: 6379, protocol: MeshProtocol.TCP, versions: [{ name: 'v1', image: 'redis:7' }] });
  const api = new MeshService(c, 'api', {
    ports: [{ port: 8080, protocol: MeshProtocol.HTTP }, { port: 9090, protocol: MeshProtocol.GRPC, name: 'grpc' }, { port: 5432, protocol: MeshProtocol.TCP, name: 'tcp-pg' }],
    versions: [{ name: 'v1', image: 'ghcr.io/acme/api:1' }],
  });
  new AuthorizationPolicy(c, 'redis-callers', { service: redis }).allow({ from: [Caller.meshService(api)] });
  new AuthorizationPolicy(c, 'api-callers', { service: api }).allow({ from: [Caller.meshService(redis)], ports: [9090, 5432] });
  return Testing.synth(c);
}

test('a TCP service is opaque to clients and to its Server', () => {
  const objects = app();
  const service = objects.find((o) => o.kind === 'Service' && o.metadata.name === 'redis');
  expect(service.spec.ports.map((p: any) => p.appProtocol)).toEqual(['linkerd.io/opaque']);
  expect(objects.find((o) => o.kind === 'Server' && o.metadata.name === 'redis-tcp').spec.proxyProtocol).toBe('opaque');
});

test('each port of a multi-port service gets its own protocol, on the Service and on its Server', () => {
  const objects = app();
  expect(objects.find((o) => o.kind === 'Service' && o.metadata.name === 'api').spec.ports.map((p: any) => [p.port, p.appProtocol]))
    .toEqual([[8080, 'http'], [9090, 'kubernetes.io/h2c'], [5432, 'linkerd.io/opaque']]);
  const servers = Object.fromEntries(objects.filter((o) => o.kind === 'Server').map((o) => [o.metadata.name, o.spec.proxyProtocol]));
  expect(servers).toEqual({ 'redis-tcp': 'opaque', 'api-http': 'HTTP/1', 'api-9090': 'HTTP/2', 'api-5432': 'opaque' });
});

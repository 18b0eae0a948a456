// A VirtualService rule without `match.port` applies to every HTTP port of its host, and its
// `destination.port` sends all of them to the routed port. On a multi-port service every in-mesh
// match names the routed port (edge matches, on the gateway's own port, are written apart).
import { Chart, Testing } from 'cdk8s';
import { MeshIngress, MeshNamespace, MeshProtocol, MeshService, StringMatch, TrafficSplit, Weight } from '../../../src';
import { explainState } from '../../../src/review/explain';

function api(opts: { ports?: boolean; ingress?: boolean } = {}) {
  const c = new Chart(Testing.app(), 'shop', { namespace: 'shop', disableResourceNameHashes: true });
  new MeshNamespace(c, 'ns');
  const svc = new MeshService(c, 'api', {
    ...(opts.ports !== false ? { ports: [{ port: 8080, protocol: MeshProtocol.HTTP }, { port: 9000, protocol: MeshProtocol.HTTP, name: 'http-admin' }] } : {}),
    versions: [{ name: 'v1', image: 'ghcr.io/acme/api:1' }, { name: 'v2', image: 'ghcr.io/acme/api:2' }],
  });
  new TrafficSplit(c, 'api-routing', {
    service: svc,
    rules: [{ name: 'canary', matches: [{ headers: { 'x-canary': StringMatch.exact('yes') } }], destinations: [{ version: 'v2' }] }],
    defaultRoute: { destinations: [{ version: 'v1', weight: Weight.percent(90) }, { version: 'v2', weight: Weight.percent(10) }] },
  });
  if (opts.ingress) new MeshIngress(c, 'edge', { service: svc, hosts: ['api.example.com'], tlsSecret: 'api-tls' });
  const objects = Testing.synth(c);
  return { objects, http: objects.find((o: any) => o.kind === 'VirtualService').spec.http };
}

test('multi-port: every match, the catch-all included, names the routed port', () => {
  const { http } = api();
  expect(http.map((h: any) => h.match)).toEqual([
    [{ headers: { 'x-canary': { exact: 'yes' } }, port: 8080 }],
    [{ port: 8080 }],
  ]);
  expect(http.every((h: any) => h.route.every((r: any) => r.destination.port.number === 8080))).toBe(true);
});

test('multi-port behind a MeshIngress: a mesh match with the port and a gateway match without', () => {
  const { http } = api({ ingress: true });
  expect(http.map((h: any) => h.match)).toEqual([
    [{ gateways: ['mesh'], headers: { 'x-canary': { exact: 'yes' } }, port: 8080 }, { gateways: ['edge'], headers: { 'x-canary': { exact: 'yes' } } }],
    [{ gateways: ['mesh'], port: 8080 }, { gateways: ['edge'] }],
  ]);
});

test('single port: matches as written, the catch-all without a match', () => {
  const { http } = api({ ports: false });
  expect(http.map((h: any) => h.match)).toEqual([[{ headers: { 'x-canary': { exact: 'yes' } } }], undefined]);
});

test('the review reads only the mesh matches: the edge-only catch-all is not a mesh catch-all', () => {
  const { objects } = api({ ingress: true });
  const s = explainState(objects).services.get('shop/api')!;
  expect(s.rules.map((r) => [r.key, r.when])).toEqual([['canary', expect.stringContaining('port 8080')], [expect.any(String), 'port 8080']]);
});

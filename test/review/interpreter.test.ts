// The interpreter: Istio first-match-wins, Gateway API precedence, Linkerd/ambient quirks, and
// every backend's rendering of the example app routing the same sample requests the same way.
import * as fs from 'fs';
import * as path from 'path';
import { validateManifests } from '../../src/validation';
import { interpretRouting, routeRequest } from '../../src/review/interpreter';
import { K8sObject, parseManifests, readManifests } from '../../src/review/objects';
import { SampleRequest } from '../../src/review/match';
import { example } from './history';
import { Testing } from 'cdk8s';
import { IMeshBackend, IstioAmbient, IstioRouting, IstioSidecar, Linkerd, Mesh } from '../../src';
import { MeshDemoChart } from '../../src/example';

const fixtures = path.join(__dirname, 'fixtures');
const backend = (file: string): K8sObject[] => readManifests(path.join(fixtures, 'backends', file));

const SAMPLES: SampleRequest[] = [
  { host: 'myservice' },
  { host: 'myservice', headers: { version: 'v2' } },
  { host: 'myservice', headers: { Version: 'v2' }, method: 'POST', path: '/api/users' },
  { host: 'myservice', headers: { version: 'v1' }, path: '/api/reports?format=csv' },
  { host: 'myservice.mesh-demo.svc.cluster.local', cookies: { canary: 'always' } },
  { host: 'myservice', namespace: 'mesh-demo', method: 'DELETE', path: '/health', query: { debug: '1' } },
];

/** Where each sample goes: `rule-independent` shares only, so backends compare on behaviour. */
function routes(objects: K8sObject[]): string[] {
  const model = interpretRouting(objects);
  return SAMPLES.map((r) => routeRequest(model, r).shares.map((s) => `${s.service} ${s.version} ${s.percent}%`).join(', '));
}

describe('every backend routes the example app the same way', () => {
  // Every backend's own rendering of the same example app (synthesized here), and the hand-written
  // GitOps-style fixtures of the same shapes.
  const rendered = (backendOf?: () => IMeshBackend): K8sObject[] => {
    const app = Testing.app();
    if (backendOf) Mesh.use(app, backendOf());
    return Testing.synth(new MeshDemoChart(app)) as K8sObject[];
  };
  const renderings: Record<string, K8sObject[]> = {
    'Istio sidecar, VirtualService (synthesized)': example(),
    'Istio sidecar, Gateway API HTTPRoute (synthesized)': rendered(() => new IstioSidecar({ routing: IstioRouting.GATEWAY_API })),
    'Istio ambient, HTTPRoute via waypoint (synthesized)': rendered(() => new IstioAmbient()),
    'Linkerd, HTTPRoutes (synthesized)': rendered(() => new Linkerd({ ingressGatewayClass: 'envoy-gateway' })),
    'Istio sidecar, GAMMA HTTPRoute (hand-written fixture)': backend('istio-gamma.yaml'),
    'Istio ambient, HTTPRoute via waypoint (hand-written fixture)': backend('istio-ambient.yaml'),
    'Linkerd, HTTPRoute (hand-written fixture)': backend('linkerd.yaml'),
  };
  const expected = [
    'mesh-demo/myservice v1 90%, mesh-demo/myservice v2 10%',
    'mesh-demo/myservice v2 100%',
    'mesh-demo/myservice v2 100%',
    'mesh-demo/myservice v1 90%, mesh-demo/myservice v2 10%',
    'mesh-demo/myservice v1 90%, mesh-demo/myservice v2 10%',
    'mesh-demo/myservice v1 90%, mesh-demo/myservice v2 10%',
  ];
  test.each(Object.keys(renderings))('%s', (name) => {
    expect(routes(renderings[name])).toEqual(expected);
  });

  test('a drifted rendering fails the comparison (the Gateway API precedence trap)', () => {
    // VirtualService: header rule first, then /api → v1. HTTPRoute with the same rules: the /api
    // prefix outranks the header rule's implicit "/", so a canary request to /api/users goes to v1.
    const trap = (api: 'vs' | 'route'): K8sObject[] => parseManifests(fs.readFileSync(path.join(fixtures, `precedence-trap-${api}.yaml`), 'utf8'), api);
    const canary: SampleRequest = { host: 'myservice', headers: { 'x-canary': 'yes' }, path: '/api/users' };
    const viaVs = routeRequest(interpretRouting(trap('vs')), canary);
    const viaRoute = routeRequest(interpretRouting(trap('route')), canary);
    expect(viaVs.shares.map((s) => s.version)).toEqual(['v2']);
    expect(viaRoute.shares.map((s) => s.version)).toEqual(['v1']);
    expect(viaRoute.rule).toBe('api');
  });

  test('the hand-written renderings are valid against the vendored Gateway API, Istio and Linkerd CRDs', () => {
    for (const file of fs.readdirSync(path.join(fixtures, 'backends'))) {
      const result = validateManifests(backend(file));
      expect({ file, errors: result.errors }).toEqual({ file, errors: [] });
    }
  });
});

describe('Istio semantics', () => {
  const gitops = readManifests(path.join(fixtures, 'gitops', 'before'));
  const model = interpretRouting(gitops);

  test('v1beta1 / v1alpha3, FQDN and short hosts, several VirtualServices in one namespace, ingress ignored', () => {
    expect([...model.services.keys()]).toEqual(['shop/ratings', 'shop/reviews']);
    expect(routeRequest(model, { host: 'reviews', headers: { 'end-user': 'jason' } }).shares.map((s) => s.version)).toEqual(['v2']);
    expect(routeRequest(model, { host: 'reviews.shop', path: '/' }).shares.map((s) => [s.version, s.percent])).toEqual([['v1', 80], ['v2', 20]]);
    expect(routeRequest(model, { host: 'ratings.shop.svc.cluster.local' }).rule).toBe('default route');
    expect(routeRequest(model, { host: 'reviews' }).policy.timeout).toBe('3s');
  });

  test('first match wins, in written order; string prefix; regex is RE2 on the whole value; 404 when no rule matches', () => {
    const vs = parseManifests(`
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: a, namespace: n }
spec:
  hosts: [a]
  http:
    - name: regex
      match: [{ uri: { regex: '/v[0-9]+' } }]
      route: [{ destination: { host: a, subset: v3 } }]
    - name: prefix
      match: [{ uri: { prefix: /api } }]
      route: [{ destination: { host: a, subset: v1 } }]
    - name: later
      match: [{ uri: { prefix: /api/v2 } }]
      route: [{ destination: { host: a, subset: v2 } }]
`, 'inline');
    const m = interpretRouting(vs);
    expect(routeRequest(m, { host: 'a', path: '/api/v2/x' }).rule).toBe('prefix');
    expect(routeRequest(m, { host: 'a', path: '/apix' }).rule).toBe('prefix');
    expect(routeRequest(m, { host: 'a', path: '/v12' }).rule).toBe('regex');
    expect(routeRequest(m, { host: 'a', path: '/v12/x' }).rule).toBe('no route');
  });

  test('two VirtualServices for one host: the oldest is used, the other noted (IST0109)', () => {
    const two = parseManifests(['b-new', 'a-old'].map((name, i) => `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: ${name}, namespace: n, creationTimestamp: "2024-01-0${2 - i}T00:00:00Z" }
spec: { hosts: [a.n.svc.cluster.local], http: [{ route: [{ destination: { host: a, subset: v${i + 1} } }] }] }
`).join('---\n'), 'inline');
    const m = interpretRouting(two);
    expect(routeRequest(m, { host: 'a', namespace: 'n' }).shares[0].version).toBe('v2');
    expect(m.services.get('n/a')!.notes[0]).toContain('IST0109');
  });
});

describe('Gateway API, Linkerd and ambient semantics', () => {
  test('Exact beats PathPrefix, longer prefix beats shorter, method beats headers; PathPrefix is element-wise', () => {
    const route = parseManifests(`
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: { name: r, namespace: n }
spec:
  parentRefs: [{ group: "", kind: Service, name: s, port: 80 }]
  rules:
    - name: headers
      matches: [{ path: { type: PathPrefix, value: /api }, headers: [{ name: a, value: "1" }, { name: b, value: "2" }] }]
      backendRefs: [{ name: s-v1, port: 80 }]
    - name: method
      matches: [{ path: { type: PathPrefix, value: /api }, method: POST }]
      backendRefs: [{ name: s-v2, port: 80 }]
    - name: longer
      matches: [{ path: { type: PathPrefix, value: /api/v2 } }]
      backendRefs: [{ name: s-v3, port: 80 }]
    - name: exact
      matches: [{ path: { type: Exact, value: /api/v2/x } }]
      backendRefs: [{ name: s-v4, port: 80 }]
`, 'inline');
    const m = interpretRouting(route);
    const rule = (r: Omit<SampleRequest, 'host'>): string => routeRequest(m, { host: 's', namespace: 'n', ...r }).rule;
    expect(rule({ path: '/api/v2/x', method: 'POST' })).toBe('exact');
    expect(rule({ path: '/api/v2/y', method: 'POST' })).toBe('longer');
    expect(rule({ path: '/api/z', method: 'POST', headers: { a: '1', b: '2' } })).toBe('method');
    expect(rule({ path: '/api/z', headers: { a: '1', b: '2' } })).toBe('headers');
    expect(rule({ path: '/apix', headers: { a: '1', b: '2' } })).toBe('no route');
    expect(routeRequest(m, { host: 's', namespace: 'n', path: '/api/v2' }).shares[0].version).toBe('v3');
  });

  test('Linkerd: retry/timeout annotations are read; a route with RequestMirror is dropped whole', () => {
    const linkerd = fs.readFileSync(path.join(fixtures, 'backends', 'linkerd.yaml'), 'utf8');
    const m = interpretRouting(parseManifests(linkerd, 'linkerd'));
    expect(routeRequest(m, { host: 'myservice' }).policy).toMatchObject({ timeout: '2s', retries: '2 attempts, on 5xx' });
    const mirrored = linkerd.replace('    - matches:\n        - path: { type: PathPrefix, value: / }\n      backendRefs:',
      '    - matches:\n        - path: { type: PathPrefix, value: / }\n      filters:\n        - type: RequestMirror\n          requestMirror: { backendRef: { name: myservice-v2, port: 8080 } }\n      backendRefs:');
    const dropped = interpretRouting(parseManifests(mirrored, 'mirrored'));
    expect(routeRequest(dropped, { host: 'myservice' }).rule).toBe('no route');
    expect(dropped.services.get('mesh-demo/myservice')!.notes[0]).toContain('ignored by Linkerd');
  });

  test('ambient: without istio.io/use-waypoint the HTTPRoute is ignored', () => {
    const ambient = fs.readFileSync(path.join(fixtures, 'backends', 'istio-ambient.yaml'), 'utf8').replace('    istio.io/use-waypoint: waypoint\n', '');
    const m = interpretRouting(parseManifests(ambient, 'ambient'));
    expect(m.services.get('mesh-demo/myservice')!.notes[0]).toContain('ignored in ambient mode');
  });
});

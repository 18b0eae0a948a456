import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Chart, Testing, Yaml } from 'cdk8s';
import { MeshDemoChart } from '../src/example';
import { MeshService, synthAtomically } from '../src';

const HASH = /-[0-9a-f]{8}$/;

describe('example app (dist/)', () => {
  const manifests = () => Testing.synth(new MeshDemoChart(Testing.app()));

  test('snapshot of the YAML written to dist/', () => {
    expect(Yaml.stringify(...manifests())).toMatchSnapshot();
  });

  test('has the seed service: v1/v2 Deployments, Service, ServiceAccount, DestinationRule with subsets v1, v2', () => {
    const all = manifests();
    const names = (kind: string) => all.filter((o) => o.kind === kind).map((o) => o.metadata.name);
    expect(names('Deployment')).toEqual(['myservice-v1', 'myservice-v2', 'frontend-v1']);
    expect(names('Service')).toEqual(['myservice', 'frontend']);
    expect(names('ServiceAccount')).toEqual(['myservice', 'frontend']);
    const dr = all.find((o) => o.kind === 'DestinationRule' && o.metadata.name === 'myservice');
    expect(dr.apiVersion).toBe('networking.istio.io/v1');
    expect(dr.spec.subsets.map((s: any) => s.name)).toEqual(['v1', 'v2']);
    for (const o of all.filter((x: any) => x.kind !== 'Namespace')) expect(o.metadata.namespace).toBe('mesh-demo');
  });

  test('has the seed routing: VirtualService myservice, header version=v2 → v2 first, then 90 → v1 / 10 → v2', () => {
    const vs = manifests().filter((o) => o.kind === 'VirtualService' && o.metadata.name === 'myservice');
    expect(vs).toHaveLength(1);
    expect(vs[0]).toMatchSnapshot();
    expect(vs[0]).toMatchObject({ apiVersion: 'networking.istio.io/v1', metadata: { name: 'myservice' }, spec: { hosts: ['myservice'] } });
    const [first, last] = vs[0].spec.http;
    expect(vs[0].spec.http).toHaveLength(2);
    expect(first.match).toEqual([{ headers: { version: { exact: 'v2' } } }]);
    expect(first.route).toEqual([{ destination: { host: 'myservice', subset: 'v2' } }]);
    expect(last.match).toBeUndefined();
    expect(last.route).toEqual([
      { destination: { host: 'myservice', subset: 'v1' }, weight: 90 },
      { destination: { host: 'myservice', subset: 'v2' }, weight: 10 },
    ]);
  });

  test('STRICT mTLS for mesh-demo, ISTIO_MUTUAL DestinationRules, frontend may only GET /api/users on myservice', () => {
    const all = manifests();
    const pa = all.filter((o) => o.kind === 'PeerAuthentication');
    expect(pa).toEqual([{ apiVersion: 'security.istio.io/v1', kind: 'PeerAuthentication', metadata: { name: 'default', namespace: 'mesh-demo' }, spec: { mtls: { mode: 'STRICT' } } }]);
    for (const dr of all.filter((o) => o.kind === 'DestinationRule')) expect(dr.spec.trafficPolicy.tls).toEqual({ mode: 'ISTIO_MUTUAL' });
    const ap = all.filter((o) => o.kind === 'AuthorizationPolicy');
    expect(ap).toHaveLength(1);
    expect(ap[0].apiVersion).toBe('security.istio.io/v1');
    expect(ap[0].spec).toEqual({
      selector: { matchLabels: { app: 'myservice' } },
      action: 'ALLOW',
      rules: [{
        from: [{ source: { principals: ['cluster.local/ns/mesh-demo/sa/frontend'] } }],
        to: [{ operation: { methods: ['GET'], paths: ['/api/users'] } }],
      }],
    });
    // The principal names a ServiceAccount that exists and that frontend's pods run as.
    expect(all.find((o) => o.kind === 'Deployment' && o.metadata.name === 'frontend-v1').spec.template.spec.serviceAccountName).toBe('frontend');
  });

  test('every pod meets the PSS restricted profile', () => {
    for (const d of manifests().filter((o) => o.kind === 'Deployment')) {
      const pod = d.spec.template.spec;
      expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
      expect(pod.automountServiceAccountToken).toBe(false);
      for (const c of pod.containers) {
        expect(c.securityContext).toMatchObject({ runAsNonRoot: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, privileged: false });
        expect(c.securityContext.capabilities.add).toBeUndefined();
        expect(c.securityContext.runAsUser).not.toBe(1337);
      }
    }
  });

  test('no object name, label or selector carries a hash', () => {
    for (const o of manifests()) {
      expect(o.metadata.name).not.toMatch(HASH);
      const labels = { ...o.metadata.labels, ...o.spec?.selector?.matchLabels, ...o.spec?.template?.metadata?.labels };
      for (const [k, v] of Object.entries(labels)) {
        expect(k).not.toMatch(/^cdk8s\.io\//);
        expect(String(v)).not.toMatch(HASH);
      }
    }
  });
});

describe('synthAtomically', () => {
  let dir: string;
  beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-synth-')); });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const read = (d: string) => Object.fromEntries(fs.readdirSync(d).sort().map((f) => [f, fs.readFileSync(path.join(d, f), 'utf8')]));

  test('two synths are byte-identical', () => {
    synthAtomically((app) => { new MeshDemoChart(app); }, path.join(dir, 'a'));
    synthAtomically((app) => { new MeshDemoChart(app); }, path.join(dir, 'b'));
    const a = read(path.join(dir, 'a'));
    expect(Object.keys(a)).toEqual(['mesh-demo.k8s.yaml']);
    expect(read(path.join(dir, 'b'))).toEqual(a);
  });

  test('fails when a construct rejects its input, leaving the previous output untouched', () => {
    const out = path.join(dir, 'dist');
    synthAtomically((app) => { new MeshDemoChart(app); }, out);
    const before = read(out);
    expect(() => synthAtomically((app) => {
      new MeshDemoChart(app, 'first');
      new MeshService(new Chart(app, 'broken'), 'users', { versions: [{ name: 'v1', image: 'x:1' }], port: 0 });
    }, out)).toThrow("prop 'port' is 0");
    expect(read(out)).toEqual(before);
    expect(fs.readdirSync(dir)).toEqual(['dist']);
  });

  test('fails when a later chart throws while rendering, leaving the previous output untouched', () => {
    const out = path.join(dir, 'dist');
    synthAtomically((app) => { new MeshDemoChart(app); }, out);
    const before = read(out);
    expect(() => synthAtomically((app) => {
      new MeshDemoChart(app, 'a-first');
      const late = new Chart(app, 'z-late');
      late.node.addValidation({ validate: () => ['late check failed'] });
    }, out)).toThrow('late check failed');
    expect(read(out)).toEqual(before);
    expect(fs.readdirSync(dir)).toEqual(['dist']);
  });
});

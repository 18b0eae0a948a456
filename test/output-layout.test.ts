// Issue 11, item 7: whatever output layout cdk8s is given, the files apply in name order
// (Namespaces first), or the package refuses that layout with a reason. Each case is synthesized
// for real into a temporary directory and read back in the order `kubectl apply -R -f` reads it.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart, YamlOutputType } from 'cdk8s';
import * as YAML from 'yaml';
import { MeshNamespace, MeshService, TrafficSplit } from '../src';
import { placements } from '../src/output-layout';

const LAYOUTS = [
  YamlOutputType.FILE_PER_APP, YamlOutputType.FILE_PER_CHART,
  YamlOutputType.FILE_PER_RESOURCE, YamlOutputType.FOLDER_PER_CHART_FILE_PER_RESOURCE,
];
const name = (t: YamlOutputType) => YamlOutputType[t];
/** Rows `[name, layout]`, so test titles name the layout. */
const rows = (layouts: YamlOutputType[]) => layouts.map((l) => [name(l), l] as const);
const VERSIONS = [{ name: 'v1', image: 'ghcr.io/acme/payments:1.0.0' }, { name: 'v2', image: 'ghcr.io/acme/payments:2.0.0' }];

let outdir: string;
beforeEach(() => {
  outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-layout-'));
});
afterEach(() => fs.rmSync(outdir, { recursive: true, force: true }));

function app(yamlOutputType: YamlOutputType): App {
  return new App({ outdir, yamlOutputType });
}

/** Every object written, in the order `kubectl apply -R -f <outdir>` reads them (files walked in byte order). */
function applyOrder(dir: string): Array<{ file: string; object: any }> {
  const out: Array<{ file: string; object: any }> = [];
  const walk = (d: string) => {
    for (const entry of fs.readdirSync(d).sort((a, b) => (Buffer.from(a) < Buffer.from(b) ? -1 : 1))) {
      const p = path.join(d, entry);
      if (fs.statSync(p).isDirectory()) walk(p);
      else if (/\.(ya?ml|json)$/.test(entry)) {
        for (const doc of YAML.parseAllDocuments(fs.readFileSync(p, 'utf8'))) {
          const object = doc.toJS();
          if (object) out.push({ file: path.relative(dir, p), object });
        }
      }
    }
  };
  walk(dir);
  return out;
}

/** Fails the test unless every namespaced object is read after its Namespace (when the output has it). */
function expectNamespacesFirst(order: Array<{ object: any }>): void {
  const seen = new Set<string>();
  const declared = new Set(order.filter((o) => o.object.kind === 'Namespace').map((o) => o.object.metadata.name));
  expect(declared.size).toBeGreaterThan(0);
  for (const { object } of order) {
    if (object.kind === 'Namespace') seen.add(object.metadata.name);
    else if (declared.has(object.metadata.namespace)) expect({ object: `${object.kind}/${object.metadata.name}`, namespaceFirst: seen.has(object.metadata.namespace) })
      .toEqual({ object: `${object.kind}/${object.metadata.name}`, namespaceFirst: true });
  }
}

/** The emulation of cdk8s's file naming agrees with what cdk8s wrote. */
function expectPlacementsMatch(a: App): void {
  const predicted = placements(a).map((p) => `${p.file}|${p.obj.kind}|${p.obj.name}`).sort();
  const written = applyOrder(outdir).map((o) => `${o.file}|${o.object.kind}|${o.object.metadata.name}`).sort();
  expect(written).toEqual(predicted);
}

/** One chart in namespace `payments`: the MeshNamespace, then a service and its routing. */
function oneChart(a: App): void {
  const c = new Chart(a, 'shop', { namespace: 'payments', disableResourceNameHashes: true });
  new MeshNamespace(c, 'ns');
  const svc = new MeshService(c, 'payments', { versions: VERSIONS });
  new TrafficSplit(c, 'routing', { service: svc, defaultRoute: { destinations: [{ version: 'v1' }] } });
}

/** The Namespace in chart `platform`, created after chart `apps` whose objects live in it. */
function twoCharts(a: App, dependency: boolean): void {
  const apps = new Chart(a, 'apps', { namespace: 'payments', disableResourceNameHashes: true });
  const platform = new Chart(a, 'platform', { disableResourceNameHashes: true });
  new MeshService(apps, 'payments', { versions: VERSIONS });
  new MeshNamespace(platform, 'ns', { name: 'payments' });
  if (dependency) apps.addDependency(platform);
}

describe('one chart holding a MeshNamespace and its objects', () => {
  test.each(rows([YamlOutputType.FILE_PER_APP, YamlOutputType.FILE_PER_CHART]))('renders %s with the Namespace first', (_, layout) => {
    const a = app(layout);
    oneChart(a);
    a.synth();
    expectNamespacesFirst(applyOrder(outdir));
    expectPlacementsMatch(a);
  });

  test('fails with FILE_PER_RESOURCE: Deployment.* sorts before Namespace.* (the issue\'s input)', () => {
    const a = app(YamlOutputType.FILE_PER_RESOURCE);
    oneChart(a);
    expect(() => a.synth()).toThrow("cdk8s-mesh: with YamlOutputType.FILE_PER_RESOURCE, `kubectl apply -f <outdir>` reads "
      + "Deployment payments/payments-v1 ('Deployment.payments-v1.k8s.yaml', construct 'shop/payments/Deployment-v1/Resource') (and 2 more objects in it) "
      + "before Namespace payments ('Namespace.payments.k8s.yaml', construct 'shop/ns/Resource/Resource'), so on a fresh cluster it fails with namespaces \"payments\" not found. "
      + 'Fix: use YamlOutputType.FILE_PER_CHART or FILE_PER_APP');
    expect(fs.readdirSync(outdir)).toEqual([]);
  });

  test('fails with FOLDER_PER_CHART_FILE_PER_RESOURCE, naming the folder', () => {
    const a = app(YamlOutputType.FOLDER_PER_CHART_FILE_PER_RESOURCE);
    oneChart(a);
    expect(() => a.synth()).toThrow("`kubectl apply -R -f <outdir>` reads Deployment payments/payments-v1 ('shop/Deployment.payments-v1.k8s.yaml'");
  });
});

describe('the Namespace in a chart of its own', () => {
  test.each(rows(LAYOUTS))('fails with %s when nothing orders the charts', (_, layout) => {
    const a = app(layout);
    twoCharts(a, false);
    expect(() => a.synth()).toThrow(`with YamlOutputType.${name(layout)}, \``);
    expect(() => a.synth()).toThrow('namespaces "payments" not found');
  });

  test.each(rows([YamlOutputType.FILE_PER_APP, YamlOutputType.FILE_PER_CHART, YamlOutputType.FOLDER_PER_CHART_FILE_PER_RESOURCE]))(
    'renders %s with the Namespace first when the apps chart depends on it', (_, layout) => {
      const a = app(layout);
      twoCharts(a, true);
      a.synth();
      const order = applyOrder(outdir);
      expectNamespacesFirst(order);
      expect(order[0].object.kind).toBe('Namespace');
      expectPlacementsMatch(a);
    });

  test('FILE_PER_RESOURCE still fails: one flat folder has no chart order', () => {
    const a = app(YamlOutputType.FILE_PER_RESOURCE);
    twoCharts(a, true);
    expect(() => a.synth()).toThrow('Fix: use YamlOutputType.FILE_PER_CHART or FILE_PER_APP, where objects are written in dependency order with the Namespace first, '
      + 'or FOLDER_PER_CHART_FILE_PER_RESOURCE with the Namespace in a chart of its own');
  });
});

describe('two objects written to one file', () => {
  /** A service `users` in namespaces `a` and `b`, one chart each; no Namespace objects. */
  function sameNameTwoNamespaces(a: App): void {
    for (const ns of ['a', 'b']) new MeshService(new Chart(a, `team-${ns}`, { namespace: ns, disableResourceNameHashes: true }), 'users', { versions: [VERSIONS[0]] });
  }

  test('fails with FILE_PER_RESOURCE: Service.users.k8s.yaml would hold only namespace b\'s', () => {
    const a = app(YamlOutputType.FILE_PER_RESOURCE);
    sameNameTwoNamespaces(a);
    expect(() => a.synth()).toThrow("cdk8s-mesh: with YamlOutputType.FILE_PER_RESOURCE, ServiceAccount a/users ('ServiceAccount.users.k8s.yaml', construct 'team-a/users/ServiceAccount/Resource') "
      + "and ServiceAccount b/users ('ServiceAccount.users.k8s.yaml', construct 'team-b/users/ServiceAccount/Resource') are written to one file (and 3 more files like it), "
      + 'and the second overwrites the first. Fix: use YamlOutputType.FILE_PER_CHART, or FOLDER_PER_CHART_FILE_PER_RESOURCE with objects of one kind and name in different charts.');
  });

  test.each(rows([YamlOutputType.FILE_PER_APP, YamlOutputType.FILE_PER_CHART, YamlOutputType.FOLDER_PER_CHART_FILE_PER_RESOURCE]))('renders %s with both', (_, layout) => {
    const a = app(layout);
    sameNameTwoNamespaces(a);
    a.synth();
    const services = applyOrder(outdir).filter((o) => o.object.kind === 'Service').map((o) => o.object.metadata.namespace);
    expect(services).toEqual(['a', 'b']);
    expectPlacementsMatch(a);
  });
});

test.each(rows(LAYOUTS))('renders %s when the output holds no Namespace and no two objects share a file', (_, layout) => {
  const a = app(layout);
  const c = new Chart(a, 'shop', { namespace: 'payments', disableResourceNameHashes: true });
  new MeshService(c, 'payments', { versions: VERSIONS });
  a.synth();
  expect(applyOrder(outdir).map((o) => o.object.kind).sort()).toEqual(['Deployment', 'Deployment', 'DestinationRule', 'Service', 'ServiceAccount', 'VirtualService']);
  expectPlacementsMatch(a);
});

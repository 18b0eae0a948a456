// The cdk8s CLI validation plugin (issue 16, item 4), driven through cdk8s-cli's own
// ValidationContext and ValidationReport: what `cdk8s synth` hands a plugin and prints.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart } from 'cdk8s';
import * as YAML from 'yaml';
import { MeshService, MeshValidationPlugin } from '../src';
import { CACHE_DIR } from './validation-hook';

// cdk8s-cli exports it as 'cdk8s-cli/plugins' (an exports-map subpath, which TypeScript's node10
// resolution can't see): the types come from the file the subpath maps to.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { ValidationContext } = require('cdk8s-cli/plugins') as typeof import('cdk8s-cli/lib/plugins/validation');

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-plugin-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** The package's own objects, written the way `cdk8s synth` writes them. */
function synthesizedManifests(): string[] {
  const outdir = fs.mkdtempSync(path.join(tmp, 'dist-'));
  const app = new App({ outdir });
  const chart = new Chart(app, 'shop', { namespace: 'shop', disableResourceNameHashes: true });
  new MeshService(chart, 'users', { versions: [{ name: 'v1', image: 'ghcr.io/acme/users:1.0.0' }] });
  app.synth();
  return fs.readdirSync(outdir).map((f) => path.join(outdir, f));
}

/** A manifest of objects the package did not create, as a user's own chart or a copied file would hold. */
function manifest(name: string, objects: object[]): string {
  const file = path.join(tmp, name);
  fs.writeFileSync(file, objects.map((o) => YAML.stringify(o)).join('---\n'));
  return file;
}

const service = (name: string, spec: object) => ({
  apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'shop' },
  spec: { selector: { app: name }, ports: [{ port: 80 }], ...spec },
});
const widgetCrd = {
  apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'widgets.acme.io' },
  spec: {
    group: 'acme.io', scope: 'Namespaced', names: { kind: 'Widget', plural: 'widgets', singular: 'widget', listKind: 'WidgetList' },
    versions: [{
      name: 'v1', served: true, storage: true,
      schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', properties: { size: { type: 'integer', minimum: 1 } } } } } },
    }],
  },
};
const widget = (name: string, spec: object) => ({ apiVersion: 'acme.io/v1', kind: 'Widget', metadata: { name, namespace: 'shop' }, spec });

async function run(properties: object, manifests: string[]) {
  const context = new ValidationContext(manifests, 'cdk8s-mesh', '0.1.0', {}, false);
  const logged: string[] = [];
  (context as any).logger = { log: (m: string) => logged.push(m) };
  await new MeshValidationPlugin({ cacheDir: CACHE_DIR, ...properties }).validate(context);
  return { report: context.report.toJson(), success: context.report.success, logged, text: context.report.toString() };
}

test('passes the package\'s objects and a user\'s own valid ones, and says what it checked', async () => {
  const own = manifest('own-valid.yaml', [service('legacy', {}), widgetCrd, widget('w', { size: 2 })]);
  const { report, success, logged } = await run({}, [...synthesizedManifests(), own]);
  expect(report.violations).toEqual([]);
  expect(success).toBe(true);
  expect(report.summary.metadata).toMatchObject({ 'Kubernetes version': '1.28', 'Errors': '0' });
  expect(Number(report.summary.metadata!['Objects validated'])).toBeGreaterThanOrEqual(7);
  expect(logged).toEqual([expect.stringMatching(/^cdk8s-mesh: \d+ objects validated against Kubernetes 1\.28 and their CRDs, 0 errors \(\d+ ms\)$/)]);
});

test('fails on objects the package did not create: a field 1.28 lacks, a custom resource its synthesized CRD refuses', async () => {
  const own = manifest('own-invalid.yaml', [service('zonal', { trafficDistribution: 'PreferClose' }), widgetCrd, widget('tiny', { size: 0 })]);
  const { report, success, text } = await run({}, [...synthesizedManifests(), own]);
  expect(success).toBe(false);
  expect(report.violations.map((v) => [v.ruleName, v.recommendation, v.violatingConstructs.map((c) => [c.resourceName, c.manifestPath])])).toEqual([
    ['cdk8s-mesh: rejected by the API server schema', 'spec.trafficDistribution: unknown field "spec.trafficDistribution" (Service shop/zonal)', [['zonal', own]]],
    ['cdk8s-mesh: rejected by the API server schema', expect.stringMatching(/^spec\.size: .*1.*\(Widget shop\/tiny\)$/), [['tiny', own]]],
  ]);
  expect(report.violations[0].fix).toContain('kubernetesVersion');
  expect(text).toContain('spec.trafficDistribution');
});

test('kubernetesVersion "1.36" accepts spec.trafficDistribution', async () => {
  const own = manifest('zonal.yaml', [service('zonal', { trafficDistribution: 'PreferClose' })]);
  const { report, success } = await run({ kubernetesVersion: '1.36' }, [own]);
  expect(report.violations).toEqual([]);
  expect(success).toBe(true);
  expect(report.summary.metadata!['Kubernetes version']).toBe('1.36');
});

test('a kind without a schema fails, naming the fix; CRD files or folders in `crds` provide it', async () => {
  const crOnly = manifest('cr-only.yaml', [widget('w', { size: 1 })]);
  const unknown = await run({}, [crOnly]);
  expect(unknown.success).toBe(false);
  expect(unknown.report.violations.map((v) => [v.ruleName, v.fix])).toEqual([
    ['cdk8s-mesh: no schema for the kind', expect.stringContaining('`crds` property')],
  ]);
  const crdDir = fs.mkdtempSync(path.join(tmp, 'crds-'));
  fs.writeFileSync(path.join(crdDir, 'widgets.yaml'), YAML.stringify(widgetCrd));
  expect((await run({ crds: [crdDir] }, [crOnly])).success).toBe(true);
  expect((await run({ crds: [path.join(crdDir, 'widgets.yaml')] }, [crOnly])).success).toBe(true);
  expect((await run({ allowUnknownKinds: true }, [crOnly])).report.summary.metadata!['Kinds without a schema']).toBe('acme.io/v1 Widget shop/w');
});

test('bad properties fail when cdk8s loads the plugin, naming it, the prop and the fix', async () => {
  expect(() => new MeshValidationPlugin({ kubernetesVersion: '1.12' })).toThrow(/^MeshValidationPlugin: prop 'kubernetesVersion' is "1.12".*Fix: use one of "1.28", "1.36"/);
  expect(() => new MeshValidationPlugin({ crds: 'crds/' as any })).toThrow("MeshValidationPlugin: prop 'crds' is \"crds/\", which is not a list. Fix:");
  await expect(run({ crds: ['no/such/dir'] }, [])).rejects.toThrow(/prop 'crds' names "no\/such\/dir", which does not exist/);
});

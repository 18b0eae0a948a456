// synthAtomically writes through the fast emitter: same files, same bytes as cdk8s's own
// App.synth() for every yamlOutputType, and cdk8s's Yaml.save is restored afterwards.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, App, Chart, Yaml, YamlOutputType } from 'cdk8s';
import { MeshService, PeerAuthentication, StringMatch, synthAtomically, TrafficSplit, Weight } from '../src';
import { assertSameYaml, emitIdentityStats } from './setup/emit-identity';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'emit-synth-'));
/** The hook's counts before this file's first test (grouped, other specs share the module registry). */
const before = { charts: 0, fallbacks: 0 };
beforeAll(() => {
  before.charts = emitIdentityStats.charts;
  before.fallbacks = emitIdentityStats.fallbacks.length;
});

/** Every file under `dir`, relative path → content. */
function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    out[path.relative(dir, file)] = fs.readFileSync(file, 'utf8');
  }
  return out;
}

/**
 * Two charts, the second depending on the first (indexed file names), one object sharing a value.
 * No Namespace object: per-resource layouts would write it after its objects, which the package
 * refuses (src/output-layout.ts) — that is tested in output-layout.test.ts.
 */
function build(app: App): void {
  const demo = new Chart(app, 'mesh-demo', { namespace: 'mesh-demo', disableResourceNameHashes: true });
  const users = new MeshService(demo, 'users', { versions: [{ name: 'v1', image: 'ghcr.io/acme/users:1' }, { name: 'v2', image: 'ghcr.io/acme/users:2' }] });
  new TrafficSplit(demo, 'users-routing', {
    service: users,
    rules: [{ matches: [{ headers: { version: StringMatch.exact('v2') } }], destinations: [{ version: 'v2' }] }],
    defaultRoute: { destinations: [{ version: 'v1', weight: Weight.percent(90) }, { version: 'v2', weight: Weight.percent(10) }] },
  });
  new PeerAuthentication(demo, 'mtls');
  const extra = new Chart(app, 'extra', { namespace: 'extra', disableResourceNameHashes: true });
  new MeshService(extra, 'api', { versions: [{ name: 'v1', image: 'ghcr.io/acme/api:1.0.0' }] });
  const shared = { note: 'referenced-twice' };
  new ApiObject(extra, 'cfg', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg' }, data: { a: 'yes', b: '0o17', multi: 'a\nb\n' } });
  new ApiObject(extra, 'aliased', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'aliased', labels: shared, annotations: shared } });
  extra.addDependency(demo);
}

describe('synthAtomically: identical output to App.synth() for every yamlOutputType', () => {
  const types = Object.values(YamlOutputType).filter((v): v is YamlOutputType => typeof v === 'number');
  test.each(types.map((t) => [YamlOutputType[t], t] as const))('%s', (_name, yamlOutputType) => {
    const reference = tmp();
    const fast = path.join(tmp(), 'out');
    try {
      const app = new App({ outdir: reference, yamlOutputType });
      build(app);
      app.synth();
      synthAtomically(build, fast, { yamlOutputType });
      const expected = tree(reference);
      expect(Object.values(expected).join('')).toContain('name: aliased');
      expect(tree(fast)).toEqual(expected);
    } finally {
      fs.rmSync(reference, { recursive: true, force: true });
      fs.rmSync(path.dirname(fast), { recursive: true, force: true });
    }
  });
});

describe('synthAtomically: the fast path is in use, and only while it synthesizes', () => {
  test('Yaml.save is swapped during synth and restored after, also when synth throws', () => {
    const original = Yaml.save;
    const dir = tmp();
    try {
      let during: unknown;
      synthAtomically((app) => {
        const c = new Chart(app, 'probe');
        c.node.addValidation({ validate: () => { during = Yaml.save; return []; } });
        new ApiObject(c, 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' } });
      }, path.join(dir, 'ok'));
      expect(during).toBeInstanceOf(Function);
      expect(during).not.toBe(original);
      expect(Yaml.save).toBe(original);

      expect(() => synthAtomically((app) => {
        const c = new Chart(app, 'bad');
        c.node.addValidation({ validate: () => ['deliberately invalid'] });
      }, path.join(dir, 'bad'))).toThrow('deliberately invalid');
      expect(Yaml.save).toBe(original);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('the identity hook compared every chart synthesized in this file', () => {
    // 2 charts per app, 2 apps per yamlOutputType; FOLDER_PER_CHART_FILE_PER_RESOURCE writes
    // ApiObject.toJson() without Chart.toJson (its files are compared above), plus the probe chart
    expect(emitIdentityStats.charts - before.charts).toBeGreaterThanOrEqual(3 * 2 * 2 + 1);
    // cdk8s's resolve copies every value, so even the shared labels object reached the fast path
    expect(emitIdentityStats.fallbacks.slice(before.fallbacks)).toEqual([]);
  });
});

describe('the identity hook (test/setup/emit-identity.ts) fails on any difference', () => {
  test('an emitter that differs by one byte is reported with the chart and the line', () => {
    const docs = [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' }, data: { v: 'yes' } }];
    const offByOne = (d: unknown[]) => Yaml.stringify(...d).replace('"yes"', "'yes'");
    expect(() => assertSameYaml('app/demo', docs, offByOne)).toThrow(/chart 'app\/demo' at line 6:\n {2}cdk8s: "  v: \\"yes\\""\n {2}fast: {2}" {2}v: 'yes'"/);
    expect(() => assertSameYaml('app/demo', docs)).not.toThrow();
  });
});

// The validator's on-disk cache (src/validation/cache.ts): keyed by content, so a changed CRD is
// never judged by a stale entry, and a cold run (fresh clone, CI) validates exactly as a warm one.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ManifestValidator } from '../src';
import { cacheKey, ValidatorCache } from '../src/validation/cache';
import { K8S_DEFINITIONS_FILE, packageRoot } from '../src/validation/schemas';
import { CACHE_DIR } from './validation-hook';
import { LINKERD_VECTORS, readVectors } from './vectors';

const tmp = (prefix: string) => fs.mkdtempSync(path.join(os.tmpdir(), prefix));
// Kinds with small schemas: compiling validators cold is what is tested, and it costs ~0.5 s per large kind.
const vectors = readVectors(LINKERD_VECTORS);

describe('the content key', () => {
  const root = tmp('mesh-cache-root-');
  fs.mkdirSync(path.join(root, 'schemas'));
  fs.mkdirSync(path.join(root, 'crds'));
  fs.copyFileSync(path.join(packageRoot(), 'schemas', K8S_DEFINITIONS_FILE), path.join(root, 'schemas', K8S_DEFINITIONS_FILE));
  const crd = path.join(root, 'crds', 'widgets.yaml');
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  test('changes when a CRD file changes or is added, and only then', () => {
    fs.writeFileSync(crd, 'kind: CustomResourceDefinition # v1\n');
    const first = cacheKey(root);
    expect(cacheKey(root)).toBe(first);
    fs.writeFileSync(crd, 'kind: CustomResourceDefinition # v2\n');
    const changed = cacheKey(root);
    expect(changed).not.toBe(first);
    fs.writeFileSync(path.join(root, 'crds', 'more.yaml'), '');
    expect(cacheKey(root)).not.toBe(changed);
    fs.rmSync(path.join(root, 'crds', 'more.yaml'));
    expect(cacheKey(root)).toBe(changed);
  });

  test('a folder for new inputs removes the folders of old ones', () => {
    const dir = tmp('mesh-cache-');
    try {
      new ValidatorCache(dir, 'aaaaaaaaaaaaaaaa').json('x', () => 1);
      new ValidatorCache(dir, 'bbbbbbbbbbbbbbbb').json('x', () => 2);
      expect(fs.readdirSync(dir)).toEqual(['bbbbbbbbbbbbbbbb']);
      let computed = 0;
      expect(new ValidatorCache(dir, 'bbbbbbbbbbbbbbbb').json('x', () => ++computed)).toBe(2);
      expect(computed).toBe(0);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('a cold cache validates exactly as a warm one', () => {
  const dir = tmp('mesh-cache-');
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const key = cacheKey(packageRoot());
  // The parsed CRDs are copied from the suite's cache (parsing 2.6 MB of YAML again would only
  // slow the suite); every validator below is generated cold.
  new ManifestValidator({ cacheDir: CACHE_DIR }).customResource('v1', 'Probe'); // parses them on a cold run
  fs.mkdirSync(path.join(dir, key));
  for (const f of ['crds.json', 'core-kinds-1.28.json']) fs.copyFileSync(path.join(CACHE_DIR, key, f), path.join(dir, key, f));
  const run = () => {
    const validator = new ManifestValidator({ cacheDir: dir });
    return vectors.map((v) => validator.validate([v.object]));
  };

  test('the same errors for every Linkerd vector, and the warm run regenerates nothing', () => {
    const cold = run();
    const files = fs.readdirSync(path.join(dir, key)).sort();
    const kinds = new Set(vectors.map((v) => `${v.object.apiVersion} ${v.object.kind}`));
    expect(files.filter((f) => f.endsWith('.js'))).toHaveLength(kinds.size);
    const stamps = files.map((f) => fs.statSync(path.join(dir, key, f)).mtimeMs);
    const warm = run();
    expect(warm).toEqual(cold);
    expect(fs.readdirSync(path.join(dir, key)).sort()).toEqual(files);
    expect(files.map((f) => fs.statSync(path.join(dir, key, f)).mtimeMs)).toEqual(stamps);
    expect(cold.filter((r) => !r.valid)).toHaveLength(vectors.filter((v) => !v.valid).length);
  });

  test('an unreadable entry is regenerated, not trusted', () => {
    const file = fs.readdirSync(path.join(dir, key)).find((f) => f.startsWith('policy.linkerd.io_v1alpha1_NetworkAuthentication'))!;
    fs.writeFileSync(path.join(dir, key, file), 'module.exports = (');
    expect(run()).toEqual(run());
    expect(fs.readFileSync(path.join(dir, key, file), 'utf8')).toMatch(/^"use strict"/);
  });

  test('a CRD passed in `crds` that redefines a vendored kind gets its own validator, not the cached one', () => {
    const server = vectors.find((v) => v.object.kind === 'Server' && v.valid)!.object;
    const strict = {
      apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'servers.policy.linkerd.io' },
      spec: {
        group: 'policy.linkerd.io', scope: 'Namespaced', names: { kind: 'Server', plural: 'servers' },
        versions: [{ name: 'v1beta3', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', properties: {} } } } } }],
      },
    };
    expect(new ManifestValidator({ cacheDir: dir }).validate([server]).valid).toBe(true);
    const redefined = new ManifestValidator({ cacheDir: dir, crds: [strict] }).validate([server]);
    expect(redefined.errors.map((e) => e.message)).toContain('unknown field "spec.podSelector"');
  });
});

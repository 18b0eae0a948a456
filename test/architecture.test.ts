// The lines of the design (README "Architecture"), checked on the import graph of src/: models
// import nothing from cdk8s, constructs or imports/; constructs never import a backend's CRD
// classes; backends never import each other (shared renderers excepted); no import cycles.
import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

const SRC = path.join(__dirname, '..', 'src');
const ROOT = path.join(__dirname, '..');
/** Renderer libraries every backend may use (no data plane of their own). */
const SHARED_BACKENDS = ['gateway-api', 'istio-common', 'prometheus'];

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? sourceFiles(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/** Every file's imports: package names as written, relative ones resolved to files. */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of sourceFiles(SRC)) {
    const info = ts.preProcessFile(fs.readFileSync(file, 'utf8'), true, true);
    graph.set(file, info.importedFiles.map((i) => {
      if (!i.fileName.startsWith('.')) return i.fileName;
      const base = path.resolve(path.dirname(file), i.fileName);
      return [`${base}.ts`, path.join(base, 'index.ts')].find((f) => fs.existsSync(f)) ?? base;
    }));
  }
  return graph;
}

const graph = importGraph();
const rel = (f: string) => path.relative(ROOT, f);
const under = (dir: string) => (f: string) => f.startsWith(path.join(SRC, dir) + path.sep);
const isImports = (f: string) => f.startsWith(path.join(ROOT, 'imports') + path.sep);
const backendOf = (f: string) => (under('backends')(f) ? path.relative(path.join(SRC, 'backends'), f).split(path.sep)[0] : undefined);
/** Construct files: they define classes extending Construct. */
const constructFiles = [...graph.keys()].filter((f) => !under('backends')(f) && /extends Construct\b/.test(fs.readFileSync(f, 'utf8')));

describe('architecture', () => {
  test('the graph was read (guards against a vacuous pass)', () => {
    expect(graph.size).toBeGreaterThan(30);
    expect(constructFiles.map(rel)).toEqual(expect.arrayContaining(['src/mesh-service.ts', 'src/traffic-split.ts', 'src/security/peer-authentication.ts']));
  });

  test('models import nothing from cdk8s, cdk8s-plus, constructs or imports/', () => {
    const bad = [...graph].filter(([f]) => under('models')(f))
      .flatMap(([f, deps]) => deps.filter((d) => /^(cdk8s|cdk8s-plus-\d+|constructs)$/.test(d) || isImports(d) || (!d.startsWith(SRC) && d.startsWith('/')) || under('backends')(d) || under('mesh')(d))
        .map((d) => `${rel(f)} → ${d.startsWith('/') ? rel(d) : d}`));
    expect(bad).toEqual([]);
  });

  test('constructs never import CRD classes (imports/) or a data-plane backend', () => {
    const bad = constructFiles.flatMap((f) => graph.get(f)!
      .filter((d) => isImports(d) || (backendOf(d) !== undefined))
      .map((d) => `${rel(f)} → ${rel(d)}`));
    expect(bad).toEqual([]);
  });

  test('no file imports both a construct and a backend\'s CRD classes', () => {
    const constructs = new Set(constructFiles);
    const bad = [...graph].filter(([, deps]) => deps.some((d) => constructs.has(d)) && deps.some(isImports)).map(([f]) => rel(f));
    expect(bad).toEqual([]);
  });

  test('backends import no other data-plane backend (shared renderers excepted) and no construct', () => {
    const constructs = new Set(constructFiles);
    const bad = [...graph].filter(([f]) => backendOf(f) !== undefined).flatMap(([f, deps]) => deps
      .filter((d) => constructs.has(d) || (backendOf(d) !== undefined && backendOf(d) !== backendOf(f) && !SHARED_BACKENDS.includes(backendOf(d)!)))
      .map((d) => `${rel(f)} → ${rel(d)}`));
    expect(bad).toEqual([]);
  });

  test('the import graph of src/ has no cycle', () => {
    const cycles: string[] = [];
    const state = new Map<string, 'visiting' | 'done'>();
    const stack: string[] = [];
    const visit = (f: string): void => {
      state.set(f, 'visiting');
      stack.push(f);
      for (const d of graph.get(f) ?? []) {
        if (!graph.has(d)) continue;
        if (state.get(d) === 'visiting') cycles.push([...stack.slice(stack.indexOf(d)), d].map(rel).join(' → '));
        else if (!state.has(d)) visit(d);
      }
      stack.pop();
      state.set(f, 'done');
    };
    for (const f of graph.keys()) if (!state.has(f)) visit(f);
    expect(cycles).toEqual([]);
  });
});

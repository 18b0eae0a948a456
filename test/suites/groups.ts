// The grouped run (jest.suite.config.js, `npm test`): every spec file jest.config.js runs, split
// into a few test files so one module registry serves many specs (see test/setup/suite-environment.js).
// Each spec is wrapped in a describe named after its path; hooks stay scoped to their spec.
import * as fs from 'fs';
import * as path from 'path';

const TEST_ROOT = path.resolve(__dirname, '..');
/** Layers with configs of their own (they read what the main run recorded), and this folder. */
const EXCLUDED = ['server', 'promtool', 'suites'];

function walk(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return dir === TEST_ROOT && EXCLUDED.includes(e.name) ? [] : walk(full);
    return e.name.endsWith('.test.ts') ? [full] : [];
  });
}

/** Every spec file, by path. The whole-app property test (the longest by far) runs alone. */
let specs: string[] | undefined;
export function specFiles(): string[] {
  return specs ??= walk(TEST_ROOT).sort();
}

const ALONE = /whole-app\.property\.test\.ts$/;
/** Specs that share an expensive setup, kept in one group: the TypeScript program (test/ts-program.ts). */
const BUNDLES = [['api-docs.test.ts', 'package-exports.test.ts']];
export const GROUPS = 6;

/** The spec files of group `k` (0 = the ones that run alone; 1..GROUPS round-robin over the rest, a bundle counting as one). */
export function groupSpecs(k: number): string[] {
  const all = specFiles();
  if (k === 0) return all.filter((f) => ALONE.test(f));
  const rel = (f: string) => path.relative(TEST_ROOT, f);
  const units: string[][] = [];
  for (const f of all.filter((x) => !ALONE.test(x))) {
    const bundle = BUNDLES.find((b) => b.includes(rel(f)));
    if (!bundle) units.push([f]);
    else if (bundle[0] === rel(f)) units.push(bundle.map((b) => path.join(TEST_ROOT, b)));
  }
  return units.filter((_, i) => i % GROUPS === k - 1).flat();
}

/** Declares the specs of group `k`: call from a test/suites/*.suite.ts file. */
export function runGroup(k: number): void {
  // Every spec in exactly one group (a bundle naming a renamed file would otherwise drop specs).
  const grouped = Array.from({ length: GROUPS + 1 }, (_, i) => groupSpecs(i)).flat().sort();
  if (JSON.stringify(grouped) !== JSON.stringify(specFiles())) throw new Error(`test/suites/groups.ts: the groups do not hold every spec file exactly once (check BUNDLES)`);
  const registry: Map<string, string> | undefined = (globalThis as any).__meshSuiteSpecs;
  if (!registry) throw new Error('test/suites run under jest.suite.config.js (its testEnvironment registers the specs)');
  for (const spec of groupSpecs(k)) {
    const name = path.relative(TEST_ROOT, spec);
    registry.set(name, spec);
    describe(name, () => {
      // Module-scope code of the spec sees its own path (test/validation-hook.ts names records by it).
      expect.setState({ testPath: spec });
      try {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        require(spec);
      } catch (e) {
        // A spec that throws while it is collected fails alone, not its whole group.
        test('loads', () => { throw e; });
      }
    });
  }
}

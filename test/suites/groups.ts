// The grouped run (jest.suite.config.js, `npm test`): every spec file jest.config.js runs, split
// into a few test files so one module registry serves many specs. Each spec is wrapped in a describe
// named after its path; hooks stay scoped to their spec (test/setup/suite-environment.js).
import * as fs from 'fs';
import * as path from 'path';
import { SHARD_GLOBAL, Shard } from './shards';

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

/** Every spec file, by path. */
let specs: string[] | undefined;
export function specFiles(): string[] {
  return specs ??= walk(TEST_ROOT).sort();
}

/** The number of test files (test/suites/group-N.suite.ts, N = 1..GROUPS). */
export const GROUPS = 4;
/**
 * Specs split into shards (test/suites/shards.ts), shard k in group k: the whole-app property test
 * is by far the longest spec, and on two cores one half per worker keeps both busy to the end.
 */
const SHARDED: Record<string, number> = { 'property/whole-app.property.test.ts': 2 };
/** Specs that share an expensive setup, kept in one group: the TypeScript program (test/ts-program.ts). */
const BUNDLES = [['api-docs.test.ts', 'package-exports.test.ts']];

interface Entry { readonly spec: string; readonly shard?: Shard }

/** The specs of group `k` (1..GROUPS): the sharded specs' shard k, then a round-robin share of the rest (a bundle counting as one). */
export function groupSpecs(k: number): Entry[] {
  const rel = (f: string) => path.relative(TEST_ROOT, f);
  const all = specFiles();
  const sharded: Entry[] = all.filter((f) => SHARDED[rel(f)] >= k).map((f) => ({ spec: f, shard: { index: k - 1, count: SHARDED[rel(f)] } }));
  const units: string[][] = [];
  for (const f of all.filter((x) => !(rel(x) in SHARDED))) {
    const bundle = BUNDLES.find((b) => b.includes(rel(f)));
    if (!bundle) units.push([f]);
    else if (bundle[0] === rel(f)) units.push(bundle.map((b) => path.join(TEST_ROOT, b)));
  }
  // Round-robin from the last group down: the groups holding shards get the smaller shares.
  const rest = units.filter((_, i) => (GROUPS - 1 - (i % GROUPS)) === k - 1).flat();
  return [...sharded, ...rest.map((spec) => ({ spec }))];
}

/** Checks that every spec is in exactly one group, and every shard of a sharded spec in one. */
function checkGroups(): void {
  const seen = Array.from({ length: GROUPS }, (_, i) => groupSpecs(i + 1)).flat()
    .map((e) => (e.shard ? `${e.spec}#${e.shard.index}/${e.shard.count}` : e.spec)).sort();
  const expected = specFiles().flatMap((f) => {
    const n = SHARDED[path.relative(TEST_ROOT, f)];
    return n ? Array.from({ length: n }, (_, i) => `${f}#${i}/${n}`) : [f];
  }).sort();
  if (JSON.stringify(seen) !== JSON.stringify(expected)) {
    throw new Error('test/suites/groups.ts: the groups do not hold every spec file (and every shard) exactly once: check BUNDLES, and that no spec has more SHARDED shards than GROUPS');
  }
}

/** Declares the specs of group `k`: call from a test/suites/*.suite.ts file. */
export function runGroup(k: number): void {
  checkGroups();
  const registry: Map<string, string> | undefined = (globalThis as any).__meshSuiteSpecs;
  if (!registry) throw new Error('test/suites run under jest.suite.config.js (its testEnvironment registers the specs)');
  for (const { spec, shard } of groupSpecs(k)) {
    const name = path.relative(TEST_ROOT, spec);
    registry.set(name, spec);
    describe(name, () => {
      // Module-scope code of the spec sees its own path (test/validation-hook.ts names records by it).
      expect.setState({ testPath: spec });
      (globalThis as any)[SHARD_GLOBAL] = shard;
      try {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        require(spec);
      } catch (e) {
        // A spec that throws while it is collected fails alone, not its whole group.
        test('loads', () => { throw e; });
      } finally {
        delete (globalThis as any)[SHARD_GLOBAL];
      }
    });
  }
}

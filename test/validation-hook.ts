// Validates every chart a test synthesizes (Testing.synth, chart.toJson, app.synth all go through
// Chart.prototype.toJson) with the package's fast validator, and records the custom resources
// for the server layer (test/server/). Installed for every test file by test/setup/validate-synth.ts.
import * as fs from 'fs';
import * as path from 'path';
import { Chart } from 'cdk8s';
import { formatValidationErrors, ManifestValidator, ValidationResult } from '../src';
import { objectKey } from './setup/object-key';

/** Where the run's records go: `$MESH_VALIDATION_DIR`, else `.validation/` at the repository root. */
export const VALIDATION_DIR = path.resolve(process.env.MESH_VALIDATION_DIR ?? path.join(__dirname, '..', '.validation'));
/** Custom resources synthesized by the tests, one JSON record per line, one file per test file. */
export const MANIFESTS_DIR = path.join(VALIDATION_DIR, 'manifests');
/** How many objects the fast layer validated, one JSON record per synth. */
export const STATS_DIR = path.join(VALIDATION_DIR, 'fast');
/**
 * The validator's cache (parsed CRDs, compiled validators), shared by every test file and worker
 * and kept between runs: each test file would otherwise re-parse 2.6 MB of CRD YAML and recompile
 * ajv (~3 s). Keyed by a content hash of its inputs (src/validation/cache.ts), so a changed CRD is
 * never judged by a stale entry; a fresh clone builds it on the first test files.
 */
export const CACHE_DIR = path.join(VALIDATION_DIR, 'cache');

const optedOut = new WeakSet<Chart>();

/**
 * Marks a chart whose synthesized output is deliberately invalid (a test of the validator itself):
 * the hook neither validates nor records it. Every use says why in the test.
 */
export function allowInvalidManifests(chart: Chart): Chart {
  optedOut.add(chart);
  return chart;
}

const rejectionExpected = new WeakSet<Chart>();

/** Marks a chart the hook must still validate and reject (a test of the hook itself); counted apart. */
export function expectRejection(chart: Chart): Chart {
  rejectionExpected.add(chart);
  return chart;
}

const validator = new ManifestValidator({ cacheDir: CACHE_DIR });

/** What a validator said of each distinct object (by {@link objectKey}), in this module registry. */
const verdicts = new WeakMap<ManifestValidator, Map<string, ValidationResult>>();

/**
 * `v.validate(objects)` with each distinct object validated once per validator and module registry
 * (a jest test file; grouped specs share one). ManifestValidator judges every object on its own
 * (CRDs are constructor options, not list members), so an identical object gets the identical
 * verdict: of the 3,074 objects a run's hook sees, 587 are distinct (a default MeshService's
 * Deployment, ...).
 */
export function validateOnce(objects: readonly any[], v: ManifestValidator = validator): ValidationResult {
  let seen = verdicts.get(v);
  if (!seen) verdicts.set(v, seen = new Map());
  const results = objects.map((o) => {
    const key = objectKey(o);
    if (key === undefined) return v.validate([o]);
    let r = seen!.get(key);
    if (!r) seen!.set(key, r = v.validate([o]));
    return r;
  });
  const errors = results.flatMap((r) => r.errors);
  return { valid: errors.length === 0, validated: results.reduce((n, r) => n + r.validated, 0), errors, unvalidated: results.flatMap((r) => r.unvalidated) };
}

function fileFor(dir: string): string {
  const testPath = expect.getState().testPath ?? 'unknown';
  return path.join(dir, `${path.relative(path.join(__dirname, '..'), testPath).replace(/[^A-Za-z0-9.-]+/g, '_')}.jsonl`);
}

/** Wraps Chart.prototype.toJson once per test file (each jest test file has its own module registry). */
export function installSynthValidation(): void {
  const original = Chart.prototype.toJson;
  if ((original as any).__meshValidated) return;
  const wrapped = function (this: Chart): any[] {
    const objects = original.call(this);
    if (optedOut.has(this)) return objects;
    const result = validateOnce(objects);
    fs.mkdirSync(STATS_DIR, { recursive: true });
    fs.appendFileSync(fileFor(STATS_DIR), JSON.stringify({ objects: objects.length, validated: result.validated, rejected: new Set(result.errors.map((e) => e.object)).size, expected: rejectionExpected.has(this) }) + '\n');
    if (!result.valid) {
      throw new Error(`fast validation layer rejected chart '${this.node.path}' (use allowInvalidManifests(chart) only for deliberate tests):\n${formatValidationErrors(result)}`);
    }
    const test = expect.getState().currentTestName ?? '';
    const lines = objects
      .filter((o) => validator.customResource(o.apiVersion, o.kind))
      .map((o) => JSON.stringify({ test, object: o }) + '\n');
    if (lines.length) {
      fs.mkdirSync(MANIFESTS_DIR, { recursive: true });
      fs.appendFileSync(fileFor(MANIFESTS_DIR), lines.join(''));
    }
    return objects;
  };
  (wrapped as any).__meshValidated = true;
  Chart.prototype.toJson = wrapped;
}

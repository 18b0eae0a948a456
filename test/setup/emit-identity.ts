// jest setupFilesAfterEnv: every chart any test synthesizes (Testing.synth, chart.toJson,
// app.synth and synthAtomically all go through Chart.prototype.toJson) is serialized by both the
// fast emitter (src/emit/yaml.ts) and cdk8s's own `Yaml.stringify`; any byte of difference fails
// the test that synthesized the chart. Chains with the validation hook (test/validation-hook.ts).
import { Chart, Yaml } from 'cdk8s';
import { stringifyDocuments } from '../../src/emit/yaml';
import { objectKey } from './object-key';

/** What the hook compared in this test file (each jest test file has its own module registry). */
export const emitIdentityStats = { charts: 0, documents: 0, bytes: 0, fallbacks: [] as string[] };

/**
 * Serializes `objects` with `emit` and with cdk8s's `Yaml.stringify`; throws naming the chart and
 * the first differing line when the texts differ.
 */
export function assertSameYaml(where: string, objects: unknown[], emit: (docs: unknown[]) => string = fastEmit): void {
  const expected = cdk8sYaml(objects);
  const actual = emit(objects);
  emitIdentityStats.charts++;
  emitIdentityStats.documents += objects.length;
  emitIdentityStats.bytes += expected.length;
  if (actual === expected) return;
  const a = actual.split('\n');
  const e = expected.split('\n');
  let line = 0;
  while (line < a.length && a[line] === e[line]) line++;
  throw new Error(`fast YAML emitter differs from cdk8s's Yaml.stringify for chart '${where}' at line ${line + 1}:\n`
    + `  cdk8s: ${JSON.stringify(e[line])}\n  fast:  ${JSON.stringify(a[line])}\n`
    + 'Fix src/emit/ (or make the value fall back to cdk8s\'s emitter).');
}

/** cdk8s's YAML of each distinct document, in this module registry (grouped specs share one). */
const cdk8sDocuments = new Map<string, string>();

/**
 * `Yaml.stringify(...docs)`, each distinct document (by objectKey) serialized by cdk8s once:
 * `Yaml.stringify` writes each document on its own and joins them with `---\n`
 * (cdk8s/lib/yaml.js), so this is its text, byte for byte — checked against `Yaml.stringify` itself on
 * the first multi-document chart of every module registry (and by test/emit.test.ts).
 */
function cdk8sYaml(docs: unknown[]): string {
  const text = docs.map((doc) => {
    const key = objectKey(doc);
    if (key === undefined) return Yaml.stringify(doc);
    let one = cdk8sDocuments.get(key);
    if (one === undefined) cdk8sDocuments.set(key, one = Yaml.stringify(doc));
    return one;
  }).join('---\n');
  if (!joinChecked && docs.length > 1) {
    joinChecked = true;
    if (text !== Yaml.stringify(...docs)) throw new Error('test/setup/emit-identity.ts: cdk8s Yaml.stringify no longer joins per-document YAML with ---: update cdk8sYaml()');
  }
  return text;
}
let joinChecked = false;

function fastEmit(docs: unknown[]): string {
  return stringifyDocuments(docs, { onFallback: (reason) => emitIdentityStats.fallbacks.push(reason) });
}

const skipped = new WeakSet<Chart>();

/**
 * Leaves a chart out of the identity check — only for bulk generators whose charts are many small
 * variations (the whole-app property test checks every 10th), where cdk8s's own emitter would
 * dominate the run time.
 */
export function skipEmitIdentity(chart: Chart): Chart {
  skipped.add(chart);
  return chart;
}

function install(): void {
  const previous = Chart.prototype.toJson;
  if ((previous as any).__meshEmitChecked) return;
  const wrapped = function (this: Chart): any[] {
    const objects = previous.call(this);
    if (!skipped.has(this)) assertSameYaml(this.node.path, objects);
    return objects;
  };
  (wrapped as any).__meshEmitChecked = true;
  Chart.prototype.toJson = wrapped;
}

install();

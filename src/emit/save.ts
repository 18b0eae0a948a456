// Routes cdk8s's file writing through the fast emitter while `App.synth()` runs, so every output
// layout (`YamlOutputType`), file name and `---` separator stays cdk8s's own code: only the text
// of each file comes from src/emit/yaml.ts, and that text is byte-identical.
import * as fs from 'fs';
import { Yaml } from 'cdk8s';
import { stringifyDocuments } from './yaml';

/**
 * Runs `fn` (typically `() => app.synth()`) with cdk8s's `Yaml.save` writing through the fast
 * emitter, then restores the previous `Yaml.save`, even when `fn` throws.
 *
 * `App.synth()` writes each file with `Yaml.save(file, objects)` for every `yamlOutputType`;
 * nothing else changes. Synth is synchronous, so no other caller can observe the swap.
 *
 * @param fn the code that writes manifests
 * @returns what `fn` returns
 * @see https://cdk8s.io/docs/latest/reference/cdk8s/typescript/#yaml
 */
export function withFastYaml<T>(fn: () => T): T {
  const original = Yaml.save;
  Yaml.save = fastSave;
  try {
    return fn();
  } finally {
    Yaml.save = original;
  }
}

function fastSave(filePath: string, docs: any[]): void {
  fs.writeFileSync(filePath, stringifyDocuments(docs), { encoding: 'utf8' });
}

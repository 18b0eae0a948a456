import { execFileSync } from 'child_process';
import * as path from 'path';

/** Parses each diagram with Mermaid's own parser (in a Node ESM child process; see mermaid-parse.mjs). */
export function parseMermaid(diagrams: string[]): Array<{ ok: boolean; type?: string; error?: string }> {
  const out = execFileSync(process.execPath, [path.join(__dirname, 'mermaid-parse.mjs')], { input: JSON.stringify(diagrams), encoding: 'utf8', timeout: 60_000 });
  return JSON.parse(out);
}

import { execFileSync } from 'child_process';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { VALIDATION_DIR } from '../validation-hook';

export interface MermaidResult {
  readonly ok: boolean;
  readonly type?: string;
  readonly error?: string;
}

const PARSER = path.join(__dirname, 'mermaid-parse.mjs');

/**
 * Where Mermaid's verdicts are kept between runs (git-ignored): one file per diagram, named after a
 * hash of the diagram and of everything that decides the verdict — the parser script and the
 * mermaid and happy-dom versions. Starting Mermaid costs ~1.8 s of CPU; a warm run reads the verdicts
 * it gave on identical input, and any change to a diagram or to the parser parses afresh.
 */
const CACHE = path.join(VALIDATION_DIR, 'mermaid');

let parserKey: string | undefined;
function verdictFile(diagram: string): string {
  parserKey ??= [
    fs.readFileSync(PARSER, 'utf8'),
    (require('mermaid/package.json') as { version: string }).version, // eslint-disable-line @typescript-eslint/no-require-imports
    (require('happy-dom/package.json') as { version: string }).version, // eslint-disable-line @typescript-eslint/no-require-imports
  ].join('\0');
  return path.join(CACHE, `${createHash('sha256').update(parserKey).update('\0').update(diagram).digest('hex').slice(0, 32)}.json`);
}

function cached(diagram: string): MermaidResult | undefined {
  try {
    return JSON.parse(fs.readFileSync(verdictFile(diagram), 'utf8'));
  } catch {
    return undefined;
  }
}

/** Parses each diagram with Mermaid's own parser (in a Node ESM child process; see mermaid-parse.mjs), for the diagrams it has not judged before. */
export function parseMermaid(diagrams: string[]): MermaidResult[] {
  const results = diagrams.map(cached);
  const misses = diagrams.filter((_, i) => !results[i]);
  if (misses.length) {
    const parsed: MermaidResult[] = JSON.parse(execFileSync(process.execPath, [PARSER], { input: JSON.stringify(misses), encoding: 'utf8', timeout: 60_000 }));
    if (parsed.length !== misses.length) throw new Error(`mermaid-parse.mjs answered ${parsed.length} diagrams for ${misses.length}`);
    fs.mkdirSync(CACHE, { recursive: true });
    misses.forEach((d, i) => {
      // Write-then-rename: a worker reading at the same time sees a whole file or none.
      const file = verdictFile(d);
      const tmp = `${file}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, JSON.stringify(parsed[i]));
      fs.renameSync(tmp, file);
    });
    let next = 0;
    for (let i = 0; i < results.length; i++) results[i] ??= parsed[next++];
  }
  return results as MermaidResult[];
}

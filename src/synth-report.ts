// What `npm run synth` prints when it is done: every file it wrote, how many objects of which kinds,
// and how long the run took — so a user sees the result without opening dist/.
import * as fs from 'fs';
import * as path from 'path';

/** The YAML manifests under `dir`, recursively, in name order. */
function manifests(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .flatMap((e) => (e.isDirectory() ? manifests(path.join(dir, e.name)) : /\.ya?ml$/.test(e.name) ? [path.join(dir, e.name)] : []));
}

/** `Deployment 3, Service 2` for the top-level `kind:` of every document in `text`. */
function kinds(text: string): { count: number; summary: string } {
  const byKind = new Map<string, number>();
  for (const m of text.matchAll(/^kind: *(\S+)/gm)) byKind.set(m[1], (byKind.get(m[1]) ?? 0) + 1);
  const count = [...byKind.values()].reduce((a, b) => a + b, 0);
  return { count, summary: [...byKind].sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, n]) => `${k} ${n}`).join(', ') };
}

/**
 * The lines describing what a synth wrote under `outdir`: one per file (path relative to the
 * working directory, object count, kinds), then the totals and the elapsed time.
 * @param outdir the folder the app was synthesized into
 * @param elapsedMs how long the run took
 * @internal
 */
export function synthReport(outdir: string, elapsedMs: number): string[] {
  const files = manifests(outdir);
  const rows = files.map((f) => ({ file: path.relative(process.cwd(), f) || f, ...kinds(fs.readFileSync(f, 'utf8')) }));
  const width = Math.max(0, ...rows.map((r) => r.file.length));
  const total = rows.reduce((a, r) => a + r.count, 0);
  const where = path.relative(process.cwd(), outdir) || '.';
  return [
    ...rows.map((r) => `  ${r.file.padEnd(width)}  ${String(r.count).padStart(3)} objects  (${r.summary})`),
    `wrote ${total} objects in ${files.length} file${files.length === 1 ? '' : 's'} under ${where}/ in ${(elapsedMs / 1000).toFixed(2)} s`,
  ];
}

/**
 * Prints {@link synthReport} for `$CDK8S_OUTDIR` (else `dist`) on stdout, timed from the start of
 * the process — what the user waited for, module loading included.
 * @internal
 */
export function printSynthReport(outdir: string = process.env.CDK8S_OUTDIR ?? 'dist'): void {
  process.stdout.write(`${synthReport(path.resolve(outdir), process.uptime() * 1000).join('\n')}\n`);
}

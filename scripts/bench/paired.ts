// Paired A/B figures: this working tree (A) against a checkout of another git ref (B), run
// alternately in one session (A B B A A B ...) so drift in machine load hits both alike.
//
// B is `git archive <ref>` unpacked outside the repository (os.tmpdir()/cdk8s-mesh-bench-<sha>)
// with its own `npm ci`; nothing in this repository or its git metadata changes. Each run is a
// fresh process (scripts/bench/run-one.ts with the checkout's root): `synthAtomically` of the
// checkout's own package and cdk8s, timed inside the process (build + synth + write), plus the
// wall time of the whole process (Node start, module loading included).
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { median, spread } from './stats';

const ROOT = path.resolve(__dirname, '..', '..');

export interface PairedCell { variant: string; n: number; runs: number }
interface Run { ms: number; cpuMs: number; processCpuMs: number; wallMs: number; maxRssMb: number; sha256: string; objects: number }

/** Unpacks `ref` outside the repository and installs its dependencies, once per commit. */
export function checkout(ref: string): { root: string; sha: string } {
  const sha = execFileSync('git', ['-C', ROOT, 'rev-parse', '--verify', `${ref}^{commit}`], { encoding: 'utf8' }).trim();
  const root = path.join(os.tmpdir(), `cdk8s-mesh-bench-${sha.slice(0, 12)}`);
  const ready = path.join(root, '.bench-ready');
  if (!fs.existsSync(ready)) {
    fs.rmSync(root, { recursive: true, force: true });
    fs.mkdirSync(root, { recursive: true });
    const tar = execFileSync('git', ['-C', ROOT, 'archive', '--format=tar', sha], { maxBuffer: 1 << 30 });
    execFileSync('tar', ['-x', '-C', root], { input: tar });
    console.log(`npm ci in ${root} ...`);
    execFileSync('npm', ['ci', '--no-audit', '--no-fund', '--ignore-scripts'], { cwd: root, stdio: 'inherit' });
    fs.writeFileSync(ready, sha + '\n');
  }
  return { root, sha };
}

function runOne(root: string, cell: PairedCell): Run {
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, ['-r', path.join(ROOT, 'scripts', 'register.js'), path.join(ROOT, 'scripts', 'bench', 'run-one.ts'), cell.variant, String(cell.n), root], { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 26 });
  const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0) throw new Error(`run-one ${cell.variant} ${cell.n} in ${root} failed:\n${r.stderr}`);
  return { ...JSON.parse(r.stdout), wallMs };
}

/** Runs every cell A/B alternately; returns markdown rows. */
export function paired(ref: string, cells: PairedCell[]): { sha: string; rows: string[]; ratios: { wall: number; cpu: number }[] } {
  const b = checkout(ref);
  const rows: string[] = [];
  const ratios: { wall: number; cpu: number }[] = [];
  for (const cell of cells) {
    const a: Run[] = []; const bb: Run[] = [];
    runOne(ROOT, cell); runOne(b.root, cell); // warm the file cache and the transpile cache
    for (let i = 0; i < cell.runs; i++) {
      // ABBA ordering: neither side always goes first
      if (i % 2 === 0) { a.push(runOne(ROOT, cell)); bb.push(runOne(b.root, cell)); } else { bb.push(runOne(b.root, cell)); a.push(runOne(ROOT, cell)); }
    }
    const same = new Set([...a, ...bb].map((r) => r.sha256)).size === 1;
    // each pair ran back to back, so its ratio is the least load-sensitive figure
    const pairs = (f: (r: Run) => number) => {
      const xs = a.map((r, i) => f(r) / f(bb[i]));
      return `**${median(xs).toFixed(2)}×** (${Math.min(...xs).toFixed(2)}–${Math.max(...xs).toFixed(2)})`;
    };
    ratios.push({ wall: median(a.map((r, i) => r.ms / bb[i].ms)), cpu: median(a.map((r, i) => r.cpuMs / bb[i].cpuMs)) });
    rows.push(`| ${cell.variant} | ${cell.n} | ${a[0].objects} | ${cell.runs} | ${spread(bb.map((r) => r.ms))} | ${spread(a.map((r) => r.ms))} | ${pairs((r) => r.ms)} | ${spread(bb.map((r) => r.cpuMs))} | ${spread(a.map((r) => r.cpuMs))} | ${pairs((r) => r.cpuMs)} | ${pairs((r) => r.processCpuMs)} | ${pairs((r) => r.wallMs)} | ${median(bb.map((r) => r.maxRssMb)).toFixed(0)} → ${median(a.map((r) => r.maxRssMb)).toFixed(0)} MB | ${same ? 'yes' : '**no**'} |`);
    console.log(rows[rows.length - 1]);
  }
  return { sha: b.sha, rows, ratios };
}

export const PAIRED_HEADER = [
  '| workload | N | objects | pairs | B synth wall | A synth wall | A/B wall | B synth CPU | A synth CPU | A/B CPU | A/B process CPU | A/B process wall | peak RSS B → A | same bytes |',
  '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|:---:|',
];

// `npm run bench`: the cost of the MeshService abstraction, synth at scale, and the synth command.
//
// 1. For N = 1, 100, 1000 services (2 versions each), MeshService vs. a hand-written baseline that
//    emits byte-identical YAML (checked here by sha256), each measurement in a fresh process:
//    build + synthAtomically wall time inside the process, and peak RSS.
// 2. The heavy workload (scripts/bench/workload.ts) at N = 100, 1000, 5000 and the growth ratio
//    time(5000) / time(1000): 5 would be linear.
// 3. The README synth command (`npm run synth`) vs. the stock `cdk8s init` flow (`cdk8s synth`
//    with `app: npx ts-node main.ts`), wall time of the whole command.
// Results are printed and written between the markers in BENCHMARKS.md.
//
// `npm run bench -- --paired <git ref>`: instead, paired A/B figures of this working tree against
// a checkout of <ref> (scripts/bench/paired.ts), written between the bench-paired markers.
// `--quick` runs fewer repetitions (a smoke run; its figures are not for BENCHMARKS.md).
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { PAIRED_HEADER, paired } from './bench/paired';
import { median, spread } from './bench/stats';

const ROOT = path.resolve(__dirname, '..');
const args = process.argv.slice(2);
const QUICK = args.includes('--quick');
const SIZES = [1, 100, 1000];
const RUNS: Record<number, number> = QUICK ? { 1: 1, 100: 1, 1000: 1 } : { 1: 7, 100: 7, 1000: 5 };
const HEAVY: [number, number][] = QUICK ? [[100, 1], [1000, 1], [5000, 1]] : [[100, 5], [1000, 3], [5000, 3]];
const COMMAND_RUNS = QUICK ? 1 : 5;
const GROWTH_TARGET = 5.5;
const PAIRED_TARGET = 0.65;

interface Sample { variant: string; n: number; ms: number; cpuMs: number; maxRssMb: number; bytes: number; objects: number; sha256: string }

function measure(variant: string, n: number): Sample {
  const out = execFileSync(process.execPath, ['-r', './scripts/register.js', 'scripts/bench/run-one.ts', variant, String(n)], { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 26 });
  return JSON.parse(out);
}

function heavyRows(): string[] {
  const rows: string[] = [];
  const times: Record<number, number> = {};
  const cpu: Record<number, number> = {};
  for (const [n, runs] of HEAVY) {
    const samples: Sample[] = [];
    for (let i = 0; i < runs; i++) samples.push(measure('heavy', n));
    if (new Set(samples.map((s) => s.sha256)).size !== 1) throw new Error(`heavy N=${n}: runs did not emit identical YAML`);
    times[n] = median(samples.map((s) => s.ms));
    cpu[n] = median(samples.map((s) => s.cpuMs));
    rows.push(`| ${n} | ${samples[0].objects} | ${(samples[0].bytes / 2 ** 20).toFixed(1)} MiB | ${runs} | ${spread(samples.map((s) => s.ms))} | ${spread(samples.map((s) => s.cpuMs))} | ${(times[n] / n).toFixed(2)} ms | ${median(samples.map((s) => s.maxRssMb)).toFixed(0)} MB |`);
    console.log(rows[rows.length - 1]);
  }
  const growth = times[5000] / times[1000];
  const cpuGrowth = cpu[5000] / cpu[1000];
  rows.push('', `Growth ratio time(5000) / time(1000): wall **${growth.toFixed(2)}**, CPU **${cpuGrowth.toFixed(2)}** (linear: 5; target ≤ ${GROWTH_TARGET}${Math.max(growth, cpuGrowth) <= GROWTH_TARGET ? ', met' : ', **not met**'}).`);
  console.log(rows[rows.length - 1]);
  return rows;
}

function writeBlock(marker: string, block: string): void {
  const file = path.join(ROOT, 'BENCHMARKS.md');
  const doc = fs.readFileSync(file, 'utf8');
  const re = new RegExp(`<!-- ${marker}:start[\\s\\S]*<!-- ${marker}:end -->`);
  if (!re.test(doc)) throw new Error(`BENCHMARKS.md has no ${marker} markers`);
  fs.writeFileSync(file, doc.replace(re, block));
  console.log(`\nBENCHMARKS.md updated (${marker})`);
}

function machine(): string {
  const load = os.loadavg().map((l) => l.toFixed(1)).join(' / ');
  return `${new Date().toISOString().slice(0, 10)} on ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}; load average at the end ${load} (1/5/15 min)`;
}

function pairedMain(ref: string): void {
  const cells = QUICK
    ? [{ variant: 'mesh', n: 1, runs: 1 }, { variant: 'mesh', n: 1000, runs: 1 }]
    : [{ variant: 'mesh', n: 1, runs: 9 }, { variant: 'mesh', n: 100, runs: 7 }, { variant: 'mesh', n: 1000, runs: 9 }, { variant: 'heavy', n: 1000, runs: 5 }];
  const { sha, rows, ratios } = paired(ref, cells);
  const target = cells.findIndex((c) => c.variant === 'mesh' && c.n === 1000);
  const verdict = target === -1 ? [] : ['', `N=1000 MeshService synth, A/B (median of pair ratios): wall **${ratios[target].wall.toFixed(2)}×**, CPU **${ratios[target].cpu.toFixed(2)}×** (target ≤ ${PAIRED_TARGET}${Math.max(ratios[target].wall, ratios[target].cpu) <= PAIRED_TARGET ? ', met' : ', **not met**'}).`];
  verdict.forEach((l) => console.log(l));
  const block = [
    '<!-- bench-paired:start (written by `npm run bench -- --paired <ref>`; do not edit by hand) -->',
    `A = this tree, B = \`${ref}\` (${sha.slice(0, 7)}). Measured ${machine()}.`,
    'A and B alternate (ABBA) in one session, one fresh process per run. Times: median (min–max). Ratios A/B: median of the per-pair ratios (min–max). "synth" is build + `synthAtomically` inside the process (wall, and CPU time of all threads); "process" is the whole `node` process (start, module loading, synth).',
    '',
    ...PAIRED_HEADER,
    ...rows,
    ...verdict,
    '<!-- bench-paired:end -->',
  ].join('\n');
  if (!QUICK) writeBlock('bench-paired', block);
}

function wall(cmd: string, args: string[], env: NodeJS.ProcessEnv = {}): number {
  const start = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { cwd: ROOT, env: { ...process.env, CDK8S_CHECK_UPGRADE: 'false', ...env }, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed:\n${r.stdout}\n${r.stderr}`);
  return Number(process.hrtime.bigint() - start) / 1e6;
}

function main() {
  const at = args.indexOf('--paired');
  if (at !== -1) {
    pairedMain(args[at + 1] ?? 'main');
    return;
  }
  const rows: string[] = [];
  for (const n of SIZES) {
    const samples: Record<string, Sample[]> = { mesh: [], baseline: [] };
    for (let i = 0; i < RUNS[n]; i++) {
      // interleaved so drift in machine load hits both variants alike
      samples.baseline.push(measure('baseline', n));
      samples.mesh.push(measure('mesh', n));
    }
    const hashes = new Set([...samples.mesh, ...samples.baseline].map((s) => s.sha256));
    if (hashes.size !== 1) throw new Error(`N=${n}: MeshService and the baseline did not emit byte-identical YAML`);
    const m = { ms: median(samples.mesh.map((s) => s.ms)), cpu: median(samples.mesh.map((s) => s.cpuMs)), rss: median(samples.mesh.map((s) => s.maxRssMb)) };
    const b = { ms: median(samples.baseline.map((s) => s.ms)), cpu: median(samples.baseline.map((s) => s.cpuMs)), rss: median(samples.baseline.map((s) => s.maxRssMb)) };
    // the runs alternate baseline/mesh, so pair i is back to back: its CPU ratio is the steadiest figure
    const cpuPairs = samples.mesh.map((s, i) => s.cpuMs / samples.baseline[i].cpuMs);
    rows.push(`| ${n} | ${samples.mesh[0].objects} | ${(samples.mesh[0].bytes / 1024).toFixed(0)} KiB | ${b.ms.toFixed(0)} ms | ${m.ms.toFixed(0)} ms | **${(m.ms / b.ms).toFixed(2)}×** | ${b.cpu.toFixed(0)} / ${m.cpu.toFixed(0)} ms | **${median(cpuPairs).toFixed(2)}×** (${Math.min(...cpuPairs).toFixed(2)}–${Math.max(...cpuPairs).toFixed(2)}) | ${b.rss.toFixed(0)} MB | ${m.rss.toFixed(0)} MB | **${(m.rss / b.rss).toFixed(2)}×** |`);
    console.log(rows[rows.length - 1]);
  }

  const heavy = heavyRows();

  // Whole commands, on the example app. The stock flow type-checks with ts-node (cdk8s init's
  // `app: npx ts-node main.ts`), under the cdk8s CLI.
  const cli = path.join(ROOT, 'node_modules', 'cdk8s-cli', 'bin', 'cdk8s');
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const readme: number[] = []; const stock: number[] = []; const cliFast: number[] = [];
  wall(npm, ['run', '-s', 'synth']); // warm the file cache once
  for (let i = 0; i < COMMAND_RUNS; i++) {
    readme.push(wall(npm, ['run', '-s', 'synth']));
    stock.push(wall(process.execPath, [cli, 'synth', '--app', 'npx ts-node src/main.ts']));
    cliFast.push(wall(process.execPath, [cli, 'synth']));
  }
  const r = median(readme); const s = median(stock); const c = median(cliFast);
  const cmdRows = [
    `| \`npm run synth\` (README) | ${r.toFixed(0)} ms | **${(s / r).toFixed(1)}× faster** |`,
    `| \`cdk8s synth\` with this repo's \`cdk8s.yaml\` | ${c.toFixed(0)} ms | ${(s / c).toFixed(1)}× faster |`,
    `| \`cdk8s synth\`, stock \`app: npx ts-node main.ts\` | ${s.toFixed(0)} ms | 1× |`,
  ];
  cmdRows.forEach((l) => console.log(l));

  const block = [
    '<!-- bench:start (written by `npm run bench`; do not edit by hand) -->',
    `Measured ${machine()}. Medians of ${RUNS[1]}/${RUNS[100]}/${RUNS[1000]} fresh processes per cell. Synth is \`synthAtomically\` (the fast emitter) for both columns.`,
    '',
    '### Library overhead: MeshService vs. hand-written cdk8s (byte-identical YAML)',
    '',
    '| services | objects | YAML | baseline synth | MeshService synth | time ratio | synth CPU baseline / MeshService | CPU ratio (pairs) | baseline peak RSS | MeshService peak RSS | memory ratio |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...rows,
    '',
    '### Heavy workload at scale: per service MeshService + TrafficSplit + PeerAuthentication + AuthorizationPolicy + MeshMonitor + ServiceLevelObjectives',
    '',
    '| services | objects | YAML | runs | synth wall, median (min–max) | synth CPU | wall per service | peak RSS |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...heavy,
    '',
    '### Synth command vs. the stock `cdk8s init` flow (example app, whole command wall time)',
    '',
    `| command | median of ${COMMAND_RUNS} | vs. stock |`,
    '|---|---:|---:|',
    ...cmdRows,
    '<!-- bench:end -->',
  ].join('\n');
  if (!QUICK) writeBlock('bench', block);
}

main();

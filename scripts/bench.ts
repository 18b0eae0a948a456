// `npm run bench`: the cost of the MeshService abstraction and of the synth command.
//
// 1. For N = 1, 100, 1000 services (2 versions each), MeshService vs. a hand-written baseline that
//    emits byte-identical YAML (checked here by sha256), each measurement in a fresh process:
//    build + synth wall time inside the process, and peak RSS.
// 2. The README synth command (`npm run synth`) vs. the stock `cdk8s init` flow (`cdk8s synth`
//    with `app: npx ts-node main.ts`), wall time of the whole command.
// Results are printed and written between the markers in BENCHMARKS.md.
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..');
const SIZES = [1, 100, 1000];
const RUNS: Record<number, number> = { 1: 7, 100: 7, 1000: 5 };
const COMMAND_RUNS = 5;

interface Sample { variant: string; n: number; ms: number; maxRssMb: number; bytes: number; sha256: string }

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

function measure(variant: string, n: number): Sample {
  const out = execFileSync(process.execPath, ['-r', './scripts/register.js', 'scripts/bench/run-one.ts', variant, String(n)], { cwd: ROOT, encoding: 'utf8' });
  return JSON.parse(out);
}

function wall(cmd: string, args: string[], env: NodeJS.ProcessEnv = {}): number {
  const start = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { cwd: ROOT, env: { ...process.env, CDK8S_CHECK_UPGRADE: 'false', ...env }, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed:\n${r.stdout}\n${r.stderr}`);
  return Number(process.hrtime.bigint() - start) / 1e6;
}

function main() {
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
    const m = { ms: median(samples.mesh.map((s) => s.ms)), rss: median(samples.mesh.map((s) => s.maxRssMb)) };
    const b = { ms: median(samples.baseline.map((s) => s.ms)), rss: median(samples.baseline.map((s) => s.maxRssMb)) };
    rows.push(`| ${n} | ${n * 5} | ${(samples.mesh[0].bytes / 1024).toFixed(0)} KiB | ${b.ms.toFixed(0)} ms | ${m.ms.toFixed(0)} ms | **${(m.ms / b.ms).toFixed(2)}×** | ${b.rss.toFixed(0)} MB | ${m.rss.toFixed(0)} MB | **${(m.rss / b.rss).toFixed(2)}×** |`);
    console.log(rows[rows.length - 1]);
  }

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

  const env = `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`;
  const block = [
    '<!-- bench:start (written by `npm run bench`; do not edit by hand) -->',
    `Measured ${new Date().toISOString().slice(0, 10)} on ${env}. Medians of ${RUNS[1]}/${RUNS[100]}/${RUNS[1000]} fresh processes per cell.`,
    '',
    '### Library overhead: MeshService vs. hand-written cdk8s (byte-identical YAML)',
    '',
    '| services | objects | YAML | baseline synth | MeshService synth | time ratio | baseline peak RSS | MeshService peak RSS | memory ratio |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...rows,
    '',
    '### Synth command vs. the stock `cdk8s init` flow (example app, whole command wall time)',
    '',
    `| command | median of ${COMMAND_RUNS} | vs. stock |`,
    '|---|---:|---:|',
    ...cmdRows,
    '<!-- bench:end -->',
  ].join('\n');
  const file = path.join(ROOT, 'BENCHMARKS.md');
  const doc = fs.readFileSync(file, 'utf8');
  fs.writeFileSync(file, doc.replace(/<!-- bench:start[\s\S]*<!-- bench:end -->/, block));
  console.log('\nBENCHMARKS.md updated');
}

main();

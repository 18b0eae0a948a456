// One measurement in a fresh process: build + synth N services to a temp dir, print JSON.
//   run-one.ts <variant> <n> [<package root>]
// With a package root (another checkout, for the paired bench), its src/ and its own cdk8s are
// used. Synth is the package's `synthAtomically` (what `npm run synth` runs): for a checkout
// before the fast emitter that is cdk8s's own writer.
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { buildWith, Cdk8s, Library, Variant } from './workload';

const [variant, nArg, rootArg] = process.argv.slice(2);
const n = Number(nArg);
const root = path.resolve(rootArg ?? path.join(__dirname, '..', '..'));
// eslint-disable-next-line @typescript-eslint/no-require-imports
const lib: Library = require(path.join(root, 'src'));
// eslint-disable-next-line @typescript-eslint/no-require-imports
const k: Cdk8s = require(require.resolve('cdk8s', { paths: [root] }));
const loadedMs = process.uptime() * 1000;
const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-bench-'));
try {
  const start = process.hrtime.bigint();
  const cpu = process.cpuUsage();
  lib.synthAtomically((app) => { buildWith(lib, k, app, variant as Variant, n); }, outdir);
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  const used = process.cpuUsage(cpu);
  // CPU time (all threads, GC included) is far less sensitive than wall time to other load on the machine
  const cpuMs = (used.user + used.system) / 1000;
  const ru = process.resourceUsage();
  const processCpuMs = (ru.userCPUTime + ru.systemCPUTime) / 1000;
  const yaml = fs.readFileSync(path.join(outdir, 'bench.k8s.yaml'));
  const sha256 = crypto.createHash('sha256').update(yaml).digest('hex');
  process.stdout.write(JSON.stringify({ variant, n, ms, cpuMs, processCpuMs, loadedMs, maxRssMb: process.resourceUsage().maxRSS / 1024, bytes: yaml.length, objects: yaml.toString('utf8').split('\n---\n').length, sha256 }) + '\n');
} finally {
  fs.rmSync(outdir, { recursive: true, force: true });
}

// One measurement in a fresh process: build + synth N services to a temp dir, print JSON.
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'cdk8s';
import { build, Variant } from './workload';

const [variant, nArg] = process.argv.slice(2);
const n = Number(nArg);
const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-bench-'));
try {
  const start = process.hrtime.bigint();
  const app = new App({ outdir });
  build(app, variant as Variant, n);
  app.synth();
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  const yaml = fs.readFileSync(path.join(outdir, 'bench.k8s.yaml'));
  const sha256 = crypto.createHash('sha256').update(yaml).digest('hex');
  process.stdout.write(JSON.stringify({ variant, n, ms, maxRssMb: process.resourceUsage().maxRSS / 1024, bytes: yaml.length, sha256 }) + '\n');
} finally {
  fs.rmSync(outdir, { recursive: true, force: true });
}

import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { writeSamples } = require('../scripts/readme-samples') as { writeSamples: () => string[] };
const ROOT = path.resolve(__dirname, '..');
const samples = writeSamples();

describe('README samples (pasteable programs; `npm test` type-checks them with tsc too)', () => {
  test('there are samples for every section', () => {
    expect(samples.length).toBeGreaterThanOrEqual(5);
  });

  test.each(samples.map((f) => [path.basename(f), f]))('%s imports the package, synthesizes and writes YAML', (_name, file) => {
    const code = fs.readFileSync(file, 'utf8');
    expect(code).toContain("from '../src'");
    expect(code).toMatch(/app\.synth\(\);\s*$/);
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'readme-sample-'));
    try {
      const run = spawnSync(process.execPath, ['-r', './scripts/register.js', file], {
        cwd: ROOT, encoding: 'utf8', env: { ...process.env, CDK8S_OUTDIR: outdir },
      });
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
      const yaml = fs.readdirSync(outdir).filter((f) => f.endsWith('.k8s.yaml'));
      expect(yaml.length).toBeGreaterThan(0);
      expect(fs.readFileSync(path.join(outdir, yaml[0]), 'utf8')).toMatch(/^kind: /m);
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });
});

import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { writeSamples } = require('../scripts/readme-samples') as { writeSamples: () => string[] };
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
      // In process, so every chart it synthesizes also goes through the validation and emitter
      // hooks; nothing may be written to stderr. The samples share the test's module registry (a
      // fresh one per sample cost ~0.3 s each): each sample file is required once, so its program
      // runs in full, and the package keeps no state between apps.
      const errors = jest.spyOn(console, 'error');
      const warnings = jest.spyOn(console, 'warn');
      const previous = process.env.CDK8S_OUTDIR;
      process.env.CDK8S_OUTDIR = outdir;
      try {
        require(file);
      } finally {
        if (previous === undefined) delete process.env.CDK8S_OUTDIR; else process.env.CDK8S_OUTDIR = previous;
      }
      expect(errors).not.toHaveBeenCalled();
      expect(warnings).not.toHaveBeenCalled();
      errors.mockRestore();
      warnings.mockRestore();
      const yaml = fs.readdirSync(outdir).filter((f) => f.endsWith('.k8s.yaml'));
      expect(yaml.length).toBeGreaterThan(0);
      expect(fs.readFileSync(path.join(outdir, yaml[0]), 'utf8')).toMatch(/^kind: /m);
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });
});

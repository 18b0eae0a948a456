// `npm run synth` says what it wrote (issue 16, item 6): files, objects per kind, elapsed time.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Testing } from 'cdk8s';
import { MeshDemoChart } from '../src/example';
import { synthRenderings } from '../src/renderings';
import { synthReport } from '../src/synth-report';

test('one line per file with its object count and kinds, then the totals and the time', () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-report-'));
  try {
    synthRenderings({ a: (app) => { new MeshDemoChart(app); } }, out);
    const expected = Testing.synth(new MeshDemoChart(Testing.app())).length;
    const lines = synthReport(out, 1234);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(new RegExp(`^  .*a/mesh-demo\\.k8s\\.yaml +${expected} objects  \\(AuthorizationPolicy 1, Deployment 3, .*VirtualService 2\\)$`));
    expect(lines[1]).toMatch(new RegExp(`^wrote ${expected} objects in 1 file under .*/ in 1\\.23 s$`));
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
});

test('an empty or missing folder reports zero, not an error', () => {
  expect(synthReport(path.join(os.tmpdir(), 'mesh-report-none'), 0).at(-1)).toMatch(/^wrote 0 objects in 0 files under .* in 0\.00 s$/);
});

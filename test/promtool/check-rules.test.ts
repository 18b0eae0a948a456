// `promtool check rules` on every PrometheusRule the main jest run synthesized (its hook recorded
// them in .validation/manifests) and on the example app's: Prometheus's own parser for the
// expressions, the label and annotation templates, and the rule file structure.
import * as fs from 'fs';
import * as path from 'path';
import { Testing } from 'cdk8s';
import { MeshDemoChart } from '../../src/example';
import { MANIFESTS_DIR } from '../validation-hook';
import { findPromtool, promtool, promtoolVersion, scratch } from './promtool';

const bin = findPromtool();
// Here, not only in jest.promtool.config.js: npm test's multi-project run reads only the root testTimeout (jestjs/jest#9696).
jest.setTimeout(60000);
const say = (line: string) => process.stdout.write(`${line}\n`);

/** Every distinct PrometheusRule recorded by the main jest run, plus the example app's, with where it came from. */
function recordedRules(): { fromTests: number; rules: Array<{ origin: string; object: any }> } {
  const seen = new Map<string, { origin: string; object: any }>();
  const add = (origin: string, object: any) => {
    const key = JSON.stringify(object.spec);
    if (object.kind === 'PrometheusRule' && !seen.has(key)) seen.set(key, { origin, object });
  };
  for (const o of Testing.synth(new MeshDemoChart(Testing.app()))) add('example app (src/example.ts)', o);
  const fromExample = seen.size;
  const files = fs.existsSync(MANIFESTS_DIR) ? fs.readdirSync(MANIFESTS_DIR).sort() : [];
  for (const f of files) {
    for (const line of fs.readFileSync(path.join(MANIFESTS_DIR, f), 'utf8').split('\n').filter(Boolean)) {
      const { test, object } = JSON.parse(line);
      add(`${f.replace(/\.jsonl$/, '')} › ${test}`, object);
    }
  }
  return { fromTests: seen.size - fromExample, rules: [...seen.values()] };
}

function check(files: Record<string, unknown>) {
  const dir = scratch();
  try {
    return promtool(bin!, dir, files, ['check', 'rules', ...Object.keys(files)]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (!bin) {
  describe('promtool check rules', () => {
    test('skipped: promtool is not installed (scripts/install-promtool.sh installs it; .ci/run does)', () => {
      expect(process.env.MESH_REQUIRE_PROMTOOL).not.toBe('1');
    });
  });
} else {
  describe(`promtool check rules (${promtoolVersion(bin)})`, () => {
    test('accepts every PrometheusRule the example app and the test charts synthesized', () => {
      const { fromTests, rules } = recordedRules();
      // Under .ci/run the main jest run has always recorded some; alone, this suite still checks the example's.
      if (process.env.MESH_REQUIRE_PROMTOOL === '1') expect(fromTests).toBeGreaterThan(0);
      expect(rules.length).toBeGreaterThan(0);
      // PrometheusRule `spec` is a Prometheus rule file ({ groups: [...] }).
      const files = Object.fromEntries(rules.map((r, i) => [`rule-${i}.yaml`, r.object.spec]));
      const r = check(files);
      const failed = rules.filter((_, i) => !new RegExp(`Checking rule-${i}\\.yaml\\s+SUCCESS`).test(r.output));
      expect({ status: r.status, failed: failed.map((f) => `${f.origin}: ${f.object.metadata.name}`), output: failed.length ? r.output : '' })
        .toEqual({ status: 0, failed: [], output: '' });
      const count = (r.output.match(/SUCCESS: (\d+) rules found/g) ?? []).reduce((n, m) => n + Number(m.split(' ')[1]), 0);
      say(`\npromtool check rules: ${rules.length} distinct PrometheusRules (${fromTests} from the test charts), ${count} rules, all accepted\n`);
      expect(count).toBeGreaterThan(rules.length);
    });

    test.each<[string, unknown, string]>([
      ['an unparsable expression', { groups: [{ name: 'g', rules: [{ record: 'a:b', expr: 'sum(rate(x[5m])' }] }] }, 'unclosed left parenthesis'],
      ['a broken annotation template', { groups: [{ name: 'g', rules: [{ alert: 'A', expr: 'up == 0', annotations: { summary: '{{ $labels.app ' } }] }] }, 'template'],
      ['two alerting rules with one name and labels', { groups: [{ name: 'g', rules: [{ alert: 'A', expr: 'up == 0', labels: { severity: 'critical' } }, { alert: 'A', expr: 'up == 1', labels: { severity: 'critical' } }] }] }, 'duplicate rule'],
      ['two groups with one name', { groups: [{ name: 'g', rules: [{ record: 'a:b', expr: 'up' }] }, { name: 'g', rules: [{ record: 'a:c', expr: 'up' }] }] }, 'repeated in the same file'],
    ])('fails on %s (the check can fail)', (_, spec, message) => {
      const r = check({ 'bad.yaml': spec });
      // promtool 2.42 exits 0 on a lint failure (duplicate rules) and prints FAILED: both are read.
      expect(r.output).not.toMatch(/Checking bad\.yaml\s+SUCCESS/);
      expect(r.output).toContain(message);
    });
  });
}

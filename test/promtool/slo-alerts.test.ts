// "PromQL that parses can still never fire": the SLO burn-rate alerts run in Prometheus's own rule
// engine (`promtool test rules`) over synthetic series shaped like MeshMonitor's scrapes.
import { Chart, Duration, Testing } from 'cdk8s';
import { AlertSeverity, BURN_RATE_TIERS, MeshService, ServiceLevelObjectives, ServiceLevelObjectivesProps } from '../../src';
import { findPromtool, promtoolTestRules, promtoolVersion, RuleTestResult } from './promtool';
import { EVAL_TIME, EVALUATION_INTERVAL, firingAlert, groupEvalOrder, histogramSeries, INTERVAL, SeriesOptions, VersionLoad } from './slo-series';

const bin = findPromtool();
// Here, not only in jest.promtool.config.js: npm test's multi-project run reads only the root testTimeout (jestjs/jest#9696).
jest.setTimeout(60000);

interface Objectives {
  readonly title: string;
  readonly namespace?: string;
  readonly props: Partial<ServiceLevelObjectivesProps>;
  readonly buckets: number[];
  readonly threshold: number;
  readonly leStyle?: SeriesOptions['leStyle'];
}

/** Objectives of the kinds the package renders: the README's, a whole-second bucket, another metric, no namespace. */
const OBJECTIVES: Objectives[] = [
  { title: '99.9% available, 99% under 300ms', namespace: 'shop', buckets: [0.05, 0.1, 0.3, 1], threshold: 0.3,
    props: { availability: { percent: 99.9 }, latency: { percent: 99, threshold: Duration.millis(300) } } },
  { title: '99.5% available, 95% under 1s (Prometheus 3 `le="1.0"`), custom metric and status label', namespace: 'payments', buckets: [0.25, 1, 2.5], threshold: 1,
    leStyle: 'prometheus3', props: { availability: { percent: 99.5 }, latency: { percent: 95, threshold: Duration.seconds(1) }, metric: 'app_http_seconds', statusLabel: 'code' } },
  { title: '99% available, 99.9% under 100ms, chart without namespace', buckets: [0.1, 0.5], threshold: 0.1,
    props: { availability: { percent: 99 }, latency: { percent: 99.9, threshold: Duration.millis(100) } } },
];

type Slo = 'availability' | 'latency';
type Burn = 'healthy' | 'fast' | 'slow';

/** One synthesized PrometheusRule with what promtool needs to exercise it. */
function synth(o: Objectives) {
  const c = new Chart(Testing.app(), 'test', { namespace: o.namespace, disableResourceNameHashes: true });
  const service = new MeshService(c, 'users', {
    versions: [{ name: 'v1', image: 'ghcr.io/acme/users:1.0.0' }, { name: 'v2', image: 'ghcr.io/acme/users:2.0.0' }],
  });
  const slo = new ServiceLevelObjectives(c, 'slo', { service, buckets: o.buckets, ...o.props });
  const rule = Testing.synth(c).find((x: any) => x.kind === 'PrometheusRule');
  const budget = (s: Slo) => (100 - (s === 'availability' ? o.props.availability!.percent : o.props.latency!.percent)) / 100;
  const series: SeriesOptions = {
    metric: o.props.metric ?? 'http_request_duration_seconds', statusLabel: o.props.statusLabel ?? 'status',
    namespace: o.namespace, app: service.serviceName, buckets: o.buckets, threshold: o.threshold, leStyle: o.leStyle,
  };
  return { rule, slo, series, budget };
}

/** A share of bad requests that burns the budget fast (above 14.4×), slowly (between 6× and 14.4×), or not at all (below 1×). */
function badShare(budget: number, burn: Burn): number {
  if (burn === 'fast') return Math.min(1, budget * 14.4 * 1.25);
  if (burn === 'slow') return budget * 10;
  return budget * 0.5;
}

/** A promtool test file for `rules` (a PrometheusRule spec): `loads` as input, and exactly `firing` as the firing alerts at 7h. */
function testFile(rules: any, series: SeriesOptions, loads: VersionLoad[], firing: string[]) {
  return {
    rule_files: ['rules.yaml'],
    evaluation_interval: EVALUATION_INTERVAL,
    group_eval_order: groupEvalOrder(rules),
    tests: [{
      interval: INTERVAL,
      input_series: histogramSeries(series, loads),
      promql_expr_test: [{ expr: 'ALERTS{alertstate="firing"}', eval_time: EVAL_TIME, exp_samples: firing.map((labels) => ({ labels, value: 1 })) }],
    }],
  };
}

/**
 * Submits a `promtool test rules` case now, while the file is collected (every case of the file
 * goes into a few batched promtool runs); the test awaits the result (the promise never rejects).
 */
/** A case promtool evaluated and reported as failed: its own section, header then `FAILED:`. */
const EVALUATED_AND_FAILED = /^Unit Testing: +case-\d+\/test\.yaml\n {2}FAILED:/;

function run(spec: unknown, test: unknown): Promise<RuleTestResult> {
  return promtoolTestRules(bin!, { rules: spec, test });
}

if (!bin) {
  describe('SLO alerts in promtool', () => {
    test('skipped: promtool is not installed (scripts/install-promtool.sh installs it; .ci/run does)', () => {
      // Information, not a failure: a plain line (console.warn would print a stack frame).
      process.stdout.write('\npromtool layer: skipped, no promtool installed. To run it: npm run promtool:install (or set PROMTOOL=/path/to/promtool), then npm run test:promtool. .ci/run always runs it.\n\n');
      // .ci/run sets MESH_REQUIRE_PROMTOOL=1: there, a missing promtool is a failure, never a skip.
      expect(process.env.MESH_REQUIRE_PROMTOOL).not.toBe('1');
    });
  });
} else {
  describe(`SLO alerts in promtool (${promtoolVersion(bin)})`, () => {
    describe.each(OBJECTIVES.map((o) => [o.title, o] as const))('%s', (_, o) => {
      const { rule, slo, series, budget } = synth(o);
      /** The alerts of `s` at the tiers `severities`, for version v2. */
      const alerts = (s: Slo, severities: AlertSeverity[]) => {
        const name = s === 'availability' ? 'AvailabilityErrorBudgetBurn' : 'LatencyErrorBudgetBurn';
        expect(slo.alerts.filter((a) => a.alert === name).map((a) => a.severity)).toEqual([AlertSeverity.CRITICAL, AlertSeverity.WARNING]);
        // The tiers in order: fast (14.4×, 1h) is critical, slow (6×, 6h) a warning.
        const window = (severity: AlertSeverity) => BURN_RATE_TIERS[severity === AlertSeverity.CRITICAL ? 0 : 1].longWindow;
        return severities.map((severity) => firingAlert(name, {
          ...(o.namespace !== undefined ? { namespace: o.namespace } : {}), app: 'users', version: 'v2', severity, slo: s, window: window(severity),
        }));
      };
      const load = (version: string, s: Slo | undefined, burn: Burn): VersionLoad => ({
        version,
        errors: badShare(budget('availability'), s === 'availability' ? burn : 'healthy'),
        slow: badShare(budget('latency'), s === 'latency' ? burn : 'healthy'),
      });

      const healthy = run(rule.spec, testFile(rule.spec, series, [load('v1', undefined, 'healthy'), load('v2', undefined, 'healthy')], []));
      test('a healthy service fires nothing', async () => {
        const r = await healthy;
        expect(r).toEqual({ passed: true, output: expect.stringContaining('SUCCESS') });
      });

      const fast = Object.fromEntries((['availability', 'latency'] as Slo[]).map((s) => [s,
        run(rule.spec, testFile(rule.spec, series, [load('v1', s, 'healthy'), load('v2', s, 'fast')], alerts(s, [AlertSeverity.CRITICAL, AlertSeverity.WARNING])))]));
      test.each<[Slo]>([['availability'], ['latency']])('%s: a version burning its budget fast fires both tiers, for that version only', async (s) => {
        const r = await fast[s];
        expect(r).toEqual({ passed: true, output: expect.stringContaining('SUCCESS') });
      });

      const slow = Object.fromEntries((['availability', 'latency'] as Slo[]).map((s) => [s,
        run(rule.spec, testFile(rule.spec, series, [load('v1', s, 'healthy'), load('v2', s, 'slow')], alerts(s, [AlertSeverity.WARNING])))]));
      test.each<[Slo]>([['availability'], ['latency']])('%s: a slow burn fires only the slow tier', async (s) => {
        const r = await slow[s];
        expect(r).toEqual({ passed: true, output: expect.stringContaining('SUCCESS') });
      });

      const dropped = (dropLabels: string[]) => (['availability', 'latency'] as Slo[]).map((s) =>
        run(rule.spec, testFile(rule.spec, { ...series, dropLabels }, [load('v1', s, 'healthy'), load('v2', s, 'fast')], alerts(s, [AlertSeverity.CRITICAL, AlertSeverity.WARNING]))));
      const droppedRuns = [dropped(['app']), dropped(['version']), dropped(['app', 'version'])];
      test.each<[string, number]>([['app', 0], ['version', 1], ['app and version', 2]])(
        'fails when the series lack the %s label(s) MeshMonitor promises (the same fast burn no longer fires as specified)', async (_l, i) => {
          for (const result of droppedRuns[i]) {
            const r = await result;
            expect(r.passed).toBe(false);
            expect(r.output).toMatch(EVALUATED_AND_FAILED);
            expect(r.output).toContain('expr: "ALERTS{alertstate=\\"firing\\"}"');
          }
        });

      const same = synth({ ...o, props: { ...o.props, fastBurnSeverity: AlertSeverity.CRITICAL, slowBurnSeverity: AlertSeverity.CRITICAL } });
      const sameSeverity = run(same.rule.spec, testFile(same.rule.spec, series, [load('v1', 'availability', 'healthy'), load('v2', 'availability', 'fast')],
        ['1h', '6h'].map((window) => firingAlert('AvailabilityErrorBudgetBurn', {
          ...(o.namespace !== undefined ? { namespace: o.namespace } : {}), app: 'users', version: 'v2', severity: AlertSeverity.CRITICAL, slo: 'availability', window,
        }))));
      test('both tiers at one severity are still two alerts, told apart by their window', async () => {
        const r = await sameSeverity;
        expect(r).toEqual({ passed: true, output: expect.stringContaining('SUCCESS') });
      });

      const wrongExpectation = run(rule.spec, testFile(rule.spec, series, [load('v1', undefined, 'healthy'), load('v2', undefined, 'healthy')], alerts('availability', [AlertSeverity.CRITICAL])));
      test('fails when an alert is expected that the rules do not fire (the promtool check can fail)', async () => {
        const r = await wrongExpectation;
        expect(r.passed).toBe(false);
        expect(r.output).toMatch(EVALUATED_AND_FAILED);
      });
    });
  });
}

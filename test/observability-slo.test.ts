import { Chart, Duration, Testing } from 'cdk8s';
import {
  AlertSeverity, BURN_RATE_TIERS, MeshService, MetricsEndpoint, ServiceLevelObjectives, ServiceLevelObjectivesProps,
} from '../src';
import { promqlErrors, ruleExpressions } from './promql';
import { chart, object } from './util';

const BUCKETS = [0.05, 0.1, 0.3, 1];

function slo(props: Partial<ServiceLevelObjectivesProps> = {}, c: Chart = chart(), metrics?: MetricsEndpoint) {
  const service = new MeshService(c, 'users', {
    versions: [{ name: 'v1', image: 'ghcr.io/acme/users:1.0.0' }, { name: 'v2', image: 'ghcr.io/acme/users:2.0.0' }],
    metrics,
  });
  const s = new ServiceLevelObjectives(c, 'slo', {
    service,
    availability: { percent: 99.9 },
    latency: { percent: 99, threshold: Duration.millis(300) },
    buckets: BUCKETS,
    ...props,
  });
  return { c, s, rule: () => object(c, 'PrometheusRule', 'users-slo') };
}


describe('ServiceLevelObjectives defaults', () => {
  test('snapshot', () => {
    const { rule } = slo();
    expect(rule()).toMatchSnapshot();
  });

  test.each<[string, Partial<ServiceLevelObjectivesProps>, string | null]>([
    ['availability + latency at 0.3s', {}, 'test'],
    ['latency on a whole-number bucket (1s)', { latency: { percent: 99.5, threshold: Duration.seconds(1) } }, 'test'],
    ['a tiny bucket (10µs) and odd objective', { buckets: [0.00001, 0.5], latency: { percent: 97.25, threshold: Duration.millis(0.01) } }, 'test'],
    ['no namespace on the chart', { latency: undefined }, null],
    ['custom metric and status label', { metric: 'app_http_seconds', statusLabel: 'code' }, 'shop'],
  ])('every expression is valid PromQL for the Prometheus parser: %s', (_, props, ns) => {
    const { c } = slo(props, chart(ns));
    const exprs = ruleExpressions(Testing.synth(c));
    expect(exprs.length).toBe(props.latency === undefined && "latency" in props ? 6 : 12);
    if (ns === null) for (const { expr } of exprs) expect(expr).not.toContain("namespace=");
    for (const { name, expr } of exprs) expect({ name, errors: promqlErrors(expr) }).toEqual({ name, errors: [] });
  });

  test('the parser check catches a broken expression (it can fail)', () => {
    expect(promqlErrors('sum by (app) (rate(http_request_duration_seconds_count{app="x"}[5m])')).not.toEqual([]);
    expect(promqlErrors('a > (14.4 * 0.001)\nand')).not.toEqual([]);
  });

  test('records the error ratio per namespace, app and version over 5m, 30m, 1h, 6h, errors being status=~"5.."', () => {
    const { rule } = slo({ latency: undefined });
    const recording = rule().spec.groups[0].rules;
    expect(recording.map((r: any) => r.record)).toEqual(['5m', '30m', '1h', '6h']
      .map((w) => `namespace_app_version:http_request_duration_seconds_errors:ratio_rate${w}`));
    expect(recording[0].expr).toBe(
      'sum by (namespace, app, version) (rate(http_request_duration_seconds_count{namespace="test",app="users",status=~"5.."}[5m]))\n'
      + '/\n'
      + 'sum by (namespace, app, version) (rate(http_request_duration_seconds_count{namespace="test",app="users"}[5m]))');
  });

  test('records the share of requests slower than the threshold from the le="0.3" bucket', () => {
    const { s } = slo({ availability: undefined });
    const r = s.recordingRules.find((x) => x.record.endsWith('ratio_rate1h'))!;
    expect(r.record).toBe('namespace_app_version:http_request_duration_seconds_slower_than_0_3s:ratio_rate1h');
    expect(r.expr).toContain('rate(http_request_duration_seconds_bucket{namespace="test",app="users",le="0.3"}[1h])');
    expect(r.expr).toMatch(/^1 - \(/);
  });

  test('a whole-number bucket matches both spellings of le (Prometheus 2 "1", Prometheus 3 "1.0")', () => {
    const { s } = slo({ availability: undefined, latency: { percent: 99, threshold: Duration.seconds(1) } });
    expect(s.recordingRules[0].expr).toContain('le=~"1(\\\\.0)?"');
  });

  test('alerts: 14.4× over 1h and 5m (critical), 6× over 6h and 30m (warning), against the budget', () => {
    const { rule } = slo();
    const alerts = rule().spec.groups[1].rules;
    expect(alerts.map((a: any) => [a.alert, a.labels.severity, a.labels.slo])).toEqual([
      ['AvailabilityErrorBudgetBurn', 'critical', 'availability'],
      ['AvailabilityErrorBudgetBurn', 'warning', 'availability'],
      ['LatencyErrorBudgetBurn', 'critical', 'latency'],
      ['LatencyErrorBudgetBurn', 'warning', 'latency'],
    ]);
    expect(alerts[0].expr).toBe(
      'namespace_app_version:http_request_duration_seconds_errors:ratio_rate1h{namespace="test",app="users"} > (14.4 * 0.001)\n'
      + 'and\n'
      + 'namespace_app_version:http_request_duration_seconds_errors:ratio_rate5m{namespace="test",app="users"} > (14.4 * 0.001)');
    expect(alerts[3].expr).toContain('slower_than_0_3s:ratio_rate6h{namespace="test",app="users"} > (6 * 0.01)');
    expect(alerts[3].expr).toContain('slower_than_0_3s:ratio_rate30m{namespace="test",app="users"} > (6 * 0.01)');
    expect(BURN_RATE_TIERS.map((t) => [t.factor, t.longWindow, t.shortWindow])).toEqual([[14.4, '1h', '5m'], [6, '6h', '30m']]);
  });

  test('every alert expression uses http_request_duration_seconds and every recording rule is used by an alert', () => {
    const { s } = slo();
    for (const a of s.alerts) expect(a.expr).toContain('http_request_duration_seconds');
    const used = s.recordingRules.filter((r) => s.alerts.some((a) => a.expr.includes(`${r.record}{`)));
    expect(used).toEqual(s.recordingRules);
  });

  test('annotations state the burn rate, the windows and the objective', () => {
    const { rule } = slo({ latency: undefined });
    const a = rule().spec.groups[1].rules[0];
    expect(a.annotations.summary).toContain('14.4× too fast');
    expect(a.annotations.description).toContain('{{ $value | humanizePercentage }} of requests failed with a 5xx status over the last 1h (and still over 5m)');
    expect(a.annotations.description).toContain('the objective is 99.9%, an error budget of 0.1%');
  });

  test('severities, name and labels can be chosen', () => {
    const { c } = slo({ fastBurnSeverity: AlertSeverity.CRITICAL, slowBurnSeverity: AlertSeverity.CRITICAL, name: 'users-objectives', labels: { role: 'alert-rules' } });
    const r = object(c, 'PrometheusRule', 'users-objectives');
    expect(r.metadata.labels).toEqual({ role: 'alert-rules', app: 'users' });
    expect(new Set(r.spec.groups[1].rules.map((a: any) => a.labels.severity))).toEqual(new Set(['critical']));
  });
});

describe('ServiceLevelObjectives bad input', () => {
  test.each([0, 100, 100.5, -1, NaN])('fails when the availability objective is %p', (percent) => {
    expect(() => slo({ availability: { percent } }))
      .toThrow(/ServiceLevelObjectives 'test\/slo': prop 'availability\.percent' is .*, which is not a percentage strictly between 0 and 100\. Fix:/);
  });

  test('fails when the latency objective is 100%', () => {
    expect(() => slo({ latency: { percent: 100, threshold: Duration.millis(300) } }))
      .toThrow("prop 'latency.percent' is 100, which is not a percentage strictly between 0 and 100");
  });

  test('a loose objective (90%) keeps only the tiers that can fire: 6× (60% bad), not 14.4× (144% bad)', () => {
    const { s, rule } = slo({ availability: undefined, latency: { percent: 90, threshold: Duration.millis(100) } });
    expect(s.alerts.map((a) => [a.alert, a.severity])).toEqual([['LatencyErrorBudgetBurn', 'warning']]);
    expect(s.alerts[0].expr).toContain('> (6 * 0.1)');
    for (const { expr } of ruleExpressions([rule()])) expect(promqlErrors(expr)).toEqual([]);
  });

  test('fails when the objective is too loose for any burn-rate alert to ever fire', () => {
    expect(() => slo({ availability: { percent: 80 } }))
      .toThrow("prop 'availability.percent' is 80, which leaves an error budget of 20%, so even a 6× burn rate would need more than 100% bad requests and no alert could ever fire. Fix: use an objective above 83.33%");
  });

  test('fails when the latency threshold is not a declared bucket', () => {
    expect(() => slo({ latency: { percent: 99, threshold: Duration.millis(250) } }))
      .toThrow("ServiceLevelObjectives 'test/slo': prop 'latency.threshold' is \"0.25s\", which is not one of the declared buckets [0.05, 0.1, 0.3, 1] (seconds). Fix: use a bucket boundary as the threshold, or add it to the histogram's buckets in the application and here: a quantile between buckets is a lie.");
  });

  test('fails when the latency threshold is zero', () => {
    expect(() => slo({ latency: { percent: 99, threshold: Duration.millis(0) } }))
      .toThrow("prop 'latency.threshold' is \"0s\", which is not a positive duration");
  });

  test('fails when the latency threshold is negative (cdk8s refuses a negative Duration before it reaches the construct)', () => {
    expect(() => slo({ latency: { percent: 99, threshold: Duration.millis(-300) } })).toThrow('Duration amounts cannot be negative');
  });

  test('fails when a latency objective comes without buckets', () => {
    expect(() => slo({ buckets: undefined }))
      .toThrow("prop 'buckets' is undefined, which is required with a latency objective. Fix: declare the histogram's bucket boundaries in seconds (e.g. [0.05, 0.1, 0.3, 1])");
  });

  test('fails when the bucket list is empty', () => {
    expect(() => slo({ buckets: [] })).toThrow("prop 'buckets' is [], which declares no bucket");
  });

  test.each([[[0.1, 0.05, 1], 'buckets[1]', 0.05], [[0.1, 0.3, 0.3, 1], 'buckets[2]', 0.3]])('fails when buckets %p are unsorted or repeated', (buckets, prop, value) => {
    expect(() => slo({ buckets })).toThrow(`prop '${prop}' is ${value}, which is not greater than the bucket before it`);
  });

  test.each([-0.1, 0, Infinity])('fails when a bucket is %p', (b) => {
    expect(() => slo({ buckets: [b, 2] })).toThrow("prop 'buckets[0]' is");
    expect(() => slo({ buckets: [b, 2] })).toThrow('which is not a positive number of seconds');
  });

  test('fails when no objective is stated', () => {
    expect(() => slo({ availability: undefined, latency: undefined }))
      .toThrow("ServiceLevelObjectives 'test/slo': prop 'availability' is undefined, which leaves the construct with no objective");
  });

  test('fails when the service serves no metrics', () => {
    expect(() => slo({}, chart(), MetricsEndpoint.none())).toThrow("prop 'service' is \"users\", which declares no metrics endpoint");
  });

  test('fails when the metric name is not a Prometheus name', () => {
    expect(() => slo({ metric: 'http-request-seconds' })).toThrow("prop 'metric' is \"http-request-seconds\", which is not a Prometheus metric name");
  });
});

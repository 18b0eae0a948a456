// Synthetic series for `promtool test rules`: the request-duration histogram of a MeshService as
// Prometheus stores it once MeshMonitor scraped it — with the `app`/`version` labels the monitor
// promises (podTargetLabels) and the `namespace` the Prometheus Operator adds.
import { MONITOR_POD_TARGET_LABELS } from '../../src';
import { goFloat } from '../../src/observability/promql';

/** How one version behaves: the share of requests failing with a 5xx, and of requests slower than the threshold. */
export interface VersionLoad {
  readonly version: string;
  /** Share of requests answered 5xx, 0–1. */
  readonly errors: number;
  /** Share of requests slower than the latency threshold, 0–1. */
  readonly slow: number;
}

export interface SeriesOptions {
  readonly metric: string;
  readonly statusLabel: string;
  readonly namespace?: string;
  readonly app: string;
  readonly buckets: readonly number[];
  readonly threshold: number;
  /** How `le` is written: Prometheus 2 (`1`) or Prometheus 3 (`1.0`) for whole numbers. */
  readonly leStyle?: 'prometheus2' | 'prometheus3';
  /** Target labels to leave out (a Prometheus scraping without MeshMonitor's podTargetLabels). */
  readonly dropLabels?: readonly string[];
}

/** Requests per minute per version. */
const RATE = 600;
/** One sample a minute for 8h: every SLO window (up to 6h) is full by 7h. */
export const SAMPLES = 480;
export const INTERVAL = '1m';
/**
 * Rules evaluated every hour. The tests read one instant (7h, a multiple of it), and nothing
 * there depends on earlier steps: the recording rules read the raw series, no alert has a `for:`,
 * and {@link groupEvalOrder} evaluates the recording group before the alerts at each step. (Without
 * it promtool evaluates a file's groups in random order, so an alert could read its recording rule
 * one step old, beyond the 5m lookback at a coarse step.) 4× cheaper in promtool than a 5m step.
 */
export const EVALUATION_INTERVAL = '1h';
export const EVAL_TIME = '7h';

function labelString(name: string, labels: Record<string, string>): string {
  return `${name}{${Object.entries(labels).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(',')}}`;
}

/** The labels a scraped series of `version` carries. */
function targetLabels(o: SeriesOptions, version: string, pod: string): Record<string, string> {
  const promised: Record<string, string> = { app: o.app, version };
  const labels: Record<string, string> = {};
  if (o.namespace !== undefined) labels.namespace = o.namespace;
  for (const l of MONITOR_POD_TARGET_LABELS) {
    if (!(l in promised)) throw new Error(`MeshMonitor promises label ${l}: teach slo-series.ts its value`);
    labels[l] = promised[l];
  }
  labels.job = o.app;
  labels.pod = pod;
  labels.instance = '10.0.0.7:15020';
  for (const d of o.dropLabels ?? []) delete labels[d];
  return labels;
}

function le(o: SeriesOptions, b: number): string {
  const s = goFloat(b);
  return o.leStyle === 'prometheus3' && !/[.e]/.test(s) ? `${s}.0` : s;
}

/** `input_series` of promtool's test file: counters rising at the versions' rates, per status and bucket. */
export function histogramSeries(o: SeriesOptions, loads: readonly VersionLoad[]): Array<{ series: string; values: string }> {
  const out: Array<{ series: string; values: string }> = [];
  const counter = (perMinute: number) => `0+${+perMinute.toFixed(6)}x${SAMPLES}`;
  for (const load of loads) {
    const base = { ...targetLabels(o, load.version, `${o.app}-${load.version}-7d4b9c-x2x4q`), method: 'GET', path: '/api/orders' };
    // 5% 404s: client errors must not count against availability.
    const statuses: Array<[string, number]> = [['200', 0.95 - load.errors], ['404', 0.05], ['503', load.errors]];
    for (const [status, share] of statuses) {
      const labels = { ...base, [o.statusLabel]: status };
      const total = RATE * share;
      out.push({ series: labelString(`${o.metric}_count`, labels), values: counter(total) });
      for (const b of o.buckets) {
        // Cumulative: half the fast requests under a lower bucket, all of them at the threshold.
        const fast = 1 - load.slow;
        const below = b < o.threshold ? fast / 2 : b === o.threshold ? fast : fast + load.slow / 2;
        out.push({ series: labelString(`${o.metric}_bucket`, { ...labels, le: le(o, b) }), values: counter(total * below) });
      }
      out.push({ series: labelString(`${o.metric}_bucket`, { ...labels, le: '+Inf' }), values: counter(total) });
    }
  }
  return out;
}

/** The ALERTS series of one firing alert, as `promql_expr_test` prints it. */
export function firingAlert(alertname: string, labels: Record<string, string>): string {
  const all: Record<string, string> = { alertname, alertstate: 'firing', ...labels };
  return labelString('ALERTS', Object.fromEntries(Object.keys(all).sort().map((k) => [k, all[k]])));
}

/**
 * promtool's `group_eval_order` for a rule file: the groups holding only recording rules first, then
 * the rest, each kept in file order (a rule reading another group's recording sees this step's value).
 */
export function groupEvalOrder(spec: { groups: Array<{ name: string; rules: Array<{ record?: string }> }> }): string[] {
  const recordingOnly = (g: { rules: Array<{ record?: string }> }) => g.rules.every((r) => r.record !== undefined);
  return [...spec.groups.filter(recordingOnly), ...spec.groups.filter((g) => !recordingOnly(g))].map((g) => g.name);
}

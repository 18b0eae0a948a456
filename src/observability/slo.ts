import { ApiObject, Chart, Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { mixedBackends } from '../analysis/mesh-services';
import { propError, show } from '../errors';
import { appModelOf } from '../mesh/app-model';
import type { IMeshBackend, IRendering } from '../mesh/backend';
import { Mesh } from '../mesh/mesh';
import type { PrometheusRuleModel } from '../models/observability';
import type { IMeshService } from '../mesh-service';
import { PropRef, requireDns1123Label, requireLabels } from '../names';
import { requireServiceMetrics } from './metrics';
import { goFloat, leMatcher, num, quote, selector } from './promql';
import { guardDuplicateObjects } from '../analysis/duplicate-objects';
import { keepJsonPatchesUnder } from '../api-object-patches';

/** Severity label of an SLO alert, as Alertmanager routes usually expect it. */
export enum AlertSeverity {
  /** Wake someone up. */
  CRITICAL = 'critical',
  /** Open a ticket; act in working hours. */
  WARNING = 'warning',
  /** For dashboards and silences only. */
  INFO = 'info',
}

/** An availability objective: the share of requests that must not fail with a 5xx status. */
export interface AvailabilityObjective {
  /** Percentage of requests that must succeed (not 5xx), e.g. 99.9. Strictly between 0 and 100. */
  readonly percent: number;
}

/** A latency objective: the share of requests that must be faster than a threshold. */
export interface LatencyObjective {
  /** Percentage of requests that must be faster than `threshold`, e.g. 99. Strictly between 0 and 100. */
  readonly percent: number;
  /** The threshold; must equal one of the histogram's declared `buckets` (e.g. `Duration.millis(300)` for bucket 0.3). */
  readonly threshold: Duration;
}

/** One burn-rate alert tier of the Google SRE workbook's multiwindow, multi-burn-rate alerting. */
export interface BurnRateTier {
  /** The long window: the budget spent over it is what the alert is about. */
  readonly longWindow: string;
  /** The short window (1/12 of the long one): stops the alert soon after the burn stops. */
  readonly shortWindow: string;
  /** Burn-rate factor: how many times faster than "exactly on budget" the budget is spent. */
  readonly factor: number;
  /** Share of a 30-day budget the long window burns at this rate, in percent. */
  readonly budgetPercent: number;
}

/**
 * The tiers used, from the SRE workbook (chapter 5, "Alerting on SLOs", table 5-8) for a 30-day
 * SLO period: 14.4× over 1h (2% of the budget in an hour, the whole budget in ~2 days) confirmed
 * by 5m, and 6× over 6h (5% of the budget, all of it in 5 days) confirmed by 30m.
 * @see https://sre.google/workbook/alerting-on-slos/#6-multiwindow-multi-burn-rate-alerts
 */
export const BURN_RATE_TIERS: readonly BurnRateTier[] = [
  { longWindow: '1h', shortWindow: '5m', factor: 14.4, budgetPercent: 2 },
  { longWindow: '6h', shortWindow: '30m', factor: 6, budgetPercent: 5 },
];

/** Props of ServiceLevelObjectives. */
export interface ServiceLevelObjectivesProps {
  /** The MeshService the objectives are about; its pods must be scraped with `app`/`version` labels (MeshMonitor does). */
  readonly service: IMeshService;
  /**
   * Availability objective over the histogram's `_count`, errors being `status=~"5.."`.
   * @default - no availability rules
   */
  readonly availability?: AvailabilityObjective;
  /**
   * Latency objective over the histogram's `_bucket` at `le` = the threshold.
   * @default - no latency rules
   */
  readonly latency?: LatencyObjective;
  /**
   * The histogram's bucket boundaries (`le`), in seconds, ascending — as configured in the application.
   * Required with `latency`: a threshold between two buckets can't be measured.
   * @default - none declared
   */
  readonly buckets?: number[];
  /**
   * Base name of the request-duration histogram (labels `method`, `path`, `status`).
   * @default 'http_request_duration_seconds'
   */
  readonly metric?: string;
  /**
   * Label of the histogram holding the HTTP status code.
   * @default 'status'
   */
  readonly statusLabel?: string;
  /**
   * Severity of the fast-burn alerts (14.4× over 1h and 5m).
   * @default AlertSeverity.CRITICAL
   */
  readonly fastBurnSeverity?: AlertSeverity;
  /**
   * Severity of the slow-burn alerts (6× over 6h and 30m). The workbook pages here too; the default
   * opens a ticket instead, since the budget still lasts 5 days at that rate.
   * @default AlertSeverity.WARNING
   */
  readonly slowBurnSeverity?: AlertSeverity;
  /**
   * Name of the PrometheusRule.
   * @default '<service>-slo'
   */
  readonly name?: string;
  /**
   * Labels on the PrometheusRule, e.g. the label a Prometheus `ruleSelector` matches.
   * @default - `app: <service>` only
   */
  readonly labels?: { readonly [key: string]: string };
}

const KIND = 'ServiceLevelObjectives';
/** Labels every SLI is aggregated by: a canary `version` is compared with the others. */
export const SLO_AGGREGATION_LABELS: readonly string[] = ['namespace', 'app', 'version'];
const LEVEL = SLO_AGGREGATION_LABELS.join('_');
const SLO_PERIOD_DAYS = 30;

/** One SLI: a ratio of bad events, recorded per window, alerted on by burn rate. */
interface Sli {
  readonly slo: 'availability' | 'latency';
  readonly percent: number;
  readonly record: (window: string) => string;
  readonly expr: (window: string) => string;
  readonly what: string;
}

/**
 * SLO recording rules and multiwindow, multi-burn-rate alerts for one MeshService, as a
 * `PrometheusRule`, computed from the application's request-duration histogram and grouped
 * `by (namespace, app, version)` so a canary is judged on its own.
 *
 * @example
 * new ServiceLevelObjectives(chart, 'myservice-slo', {
 *   service: myservice,
 *   availability: { percent: 99.9 },
 *   latency: { percent: 99, threshold: Duration.millis(300) },
 *   buckets: [0.05, 0.1, 0.3, 1],
 * });
 */
export class ServiceLevelObjectives extends Construct {
  /** Name of the PrometheusRule. */
  public readonly name: string;
  /** The data plane the service renders for. */
  public readonly backend: IMeshBackend;
  /** The recording rules, in order (record name → PromQL). */
  public readonly recordingRules: { readonly record: string; readonly expr: string }[];
  /** The alerting rules, in order (alert name, severity, PromQL). */
  public readonly alerts: { readonly alert: string; readonly severity: AlertSeverity; readonly expr: string }[];

  private readonly rendering: IRendering;

  public constructor(scope: Construct, id: string, props: ServiceLevelObjectivesProps) {
    super(scope, id);
    guardDuplicateObjects(this);
    const ref = (prop: string): PropRef => ({ construct: KIND, path: this.node.path, prop });
    const service = props.service;
    requireServiceMetrics(ref('service'), service);
    this.name = requireDns1123Label(ref('name'), props.name ?? `${service.serviceName}-slo`);
    const metric = props.metric ?? 'http_request_duration_seconds';
    if (!/^[a-zA-Z_:][a-zA-Z0-9_:]*$/.test(metric)) {
      throw propError(KIND, this.node.path, 'metric', metric, 'is not a Prometheus metric name', 'use letters, digits and \'_\', e.g. "http_request_duration_seconds"');
    }
    const statusLabel = props.statusLabel ?? 'status';
    if (!/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(statusLabel)) {
      throw propError(KIND, this.node.path, 'statusLabel', statusLabel, 'is not a Prometheus label name', 'use letters, digits and \'_\', e.g. "status"');
    }
    if (!props.availability && !props.latency) {
      throw propError(KIND, this.node.path, 'availability', undefined, 'leaves the construct with no objective (latency is unset too)',
        'state at least one objective, e.g. availability: { percent: 99.9 }');
    }
    const buckets = props.buckets === undefined ? undefined : requireBuckets(ref('buckets'), props.buckets);

    // The series of this service only (other services' SLOs record under the same names).
    const scope_ = [
      ...(service.namespace !== undefined ? [`namespace=${quote(service.namespace)}`] : []),
      `app=${quote(service.serviceName)}`,
    ];
    const by = `sum by (${SLO_AGGREGATION_LABELS.join(', ')})`;
    const total = (w: string) => `${by} (rate(${metric}_count${selector(scope_)}[${w}]))`;

    const slis: Sli[] = [];
    if (props.availability) {
      const percent = requireObjective(ref('availability.percent'), props.availability.percent);
      const errors = (w: string) => `${by} (rate(${metric}_count${selector([...scope_, `${statusLabel}=~"5.."`])}[${w}]))`;
      slis.push({
        slo: 'availability', percent, what: 'of requests failed with a 5xx status',
        record: (w) => `${LEVEL}:${metric}_errors:ratio_rate${w}`,
        expr: (w) => `${errors(w)}\n/\n${total(w)}`,
      });
    }
    if (props.latency) {
      const percent = requireObjective(ref('latency.percent'), props.latency.percent);
      const le = requireThreshold(ref('latency.threshold'), props.latency.threshold, buckets);
      const fast = (w: string) => `${by} (rate(${metric}_bucket${selector([...scope_, leMatcher(le)])}[${w}]))`;
      slis.push({
        slo: 'latency', percent, what: `of requests took longer than ${goFloat(le)}s`,
        record: (w) => `${LEVEL}:${metric}_slower_than_${goFloat(le).replace(/[.+-]/g, '_')}s:ratio_rate${w}`,
        expr: (w) => `1 - (\n  ${fast(w)}\n  /\n  ${total(w)}\n)`,
      });
    }

    const windows = [...new Set(BURN_RATE_TIERS.flatMap((t) => [t.shortWindow, t.longWindow]))]
      .sort((a, b) => seconds(a) - seconds(b));
    this.recordingRules = slis.flatMap((sli) => windows.map((w) => ({ record: sli.record(w), expr: sli.expr(w) })));

    const severities = [props.fastBurnSeverity ?? AlertSeverity.CRITICAL, props.slowBurnSeverity ?? AlertSeverity.WARNING];
    const alertRules: PrometheusRuleModel[] = [];
    this.alerts = [];
    for (const sli of slis) {
      const budget = num((100 - sli.percent) / 100);
      const alert = `${sli.slo === 'availability' ? 'Availability' : 'Latency'}ErrorBudgetBurn`;
      BURN_RATE_TIERS.forEach((tier, i) => {
        if (!firingTiers(sli.percent).includes(tier)) return;
        const threshold = `(${num(tier.factor)} * ${budget})`;
        const over = (w: string) => `${sli.record(w)}${selector(scope_)} > ${threshold}`;
        const expr = `${over(tier.longWindow)}\nand\n${over(tier.shortWindow)}`;
        const severity = severities[i];
        this.alerts.push({ alert, severity, expr });
        alertRules.push({
          alert,
          expr,
          // `window` keeps the tiers two alerts when they share a severity (promtool: duplicate rules).
          labels: { severity, slo: sli.slo, window: tier.longWindow },
          annotations: {
            summary: `{{ $labels.app }} {{ $labels.version }} (namespace {{ $labels.namespace }}) burns its ${sli.slo} error budget ${num(tier.factor)}× too fast`,
            description: `{{ $value | humanizePercentage }} ${sli.what} over the last ${tier.longWindow} (and still over ${tier.shortWindow}); `
              + `the objective is ${num(sli.percent)}%, an error budget of ${num(100 - sli.percent)}%. `
              + `At ${num(tier.factor)}× burn, ${tier.budgetPercent}% of the ${SLO_PERIOD_DAYS}-day budget is spent every ${tier.longWindow} `
              + `and all of it in ${(SLO_PERIOD_DAYS / tier.factor).toFixed(1)} days.`,
          },
        });
      });
    }

    const namespace = Chart.of(this).namespace;
    this.backend = Mesh._forConstruct(this, KIND, namespace);
    const app = appModelOf(this);
    this.rendering = this.backend.renderSlo(this, {
      kind: KIND,
      path: this.node.path,
      name: this.name,
      namespace,
      service,
      labels: requireLabels(ref('labels'), props.labels),
      groups: [
        { name: `${this.name}.recording`, rules: this.recordingRules.map((r) => ({ record: r.record, expr: r.expr })) },
        { name: `${this.name}.alerts`, rules: alertRules },
      ],
    }, app);
    this.node.addValidation({ validate: () => mixedBackends(app, this.node.path, namespace, this.backend) });
    this.node.addValidation({ validate: () => this.rendering.validate?.() ?? [] });
    keepJsonPatchesUnder(this);
  }

  /** The PrometheusRule the backend rendered. */
  public get prometheusRule(): ApiObject | undefined {
    return this.rendering.resource;
  }
}

function requireObjective(ref: PropRef, percent: number): number {
  if (typeof percent !== 'number' || !Number.isFinite(percent) || percent <= 0 || percent >= 100) {
    throw propError(ref.construct, ref.path, ref.prop, percent, 'is not a percentage strictly between 0 and 100',
      'state the share of good requests as a percentage below 100, e.g. 99.9 (100% leaves no error budget to alert on)');
  }
  // A tier whose threshold needs more than 100% bad requests can never fire: it is left out (see
  // firingTiers). Only an objective so loose that no tier can fire is refused.
  if (firingTiers(percent).length === 0) {
    const slowest = Math.min(...BURN_RATE_TIERS.map((t) => t.factor));
    throw propError(ref.construct, ref.path, ref.prop, percent,
      `leaves an error budget of ${num(100 - percent)}%, so even a ${slowest}× burn rate would need more than 100% bad requests and no alert could ever fire`,
      `use an objective above ${(100 - 100 / slowest).toFixed(2)}% (e.g. 99), or alert on this service some other way`);
  }
  return percent;
}

/**
 * The burn-rate tiers that can fire for an objective: at 90% (a 10% budget) a 14.4× burn would
 * need 144% bad requests, so only the 6× tier (60%) is kept.
 */
function firingTiers(percent: number): BurnRateTier[] {
  return BURN_RATE_TIERS.filter((t) => t.factor * (100 - percent) < 100);
}

function requireBuckets(ref: PropRef, buckets: number[]): number[] {
  if (!Array.isArray(buckets) || buckets.length === 0) {
    throw propError(ref.construct, ref.path, ref.prop, buckets, 'declares no bucket',
      'list the histogram\'s bucket boundaries in seconds, as the application configures them, e.g. [0.05, 0.1, 0.3, 1]');
  }
  buckets.forEach((b, i) => {
    if (typeof b !== 'number' || !Number.isFinite(b) || b <= 0) {
      throw propError(ref.construct, ref.path, `${ref.prop}[${i}]`, b, 'is not a positive number of seconds',
        'use bucket boundaries in seconds greater than 0 (the +Inf bucket is implied)');
    }
    if (i > 0 && b <= buckets[i - 1]) {
      throw propError(ref.construct, ref.path, `${ref.prop}[${i}]`, b, `is not greater than the bucket before it (${show(buckets[i - 1])})`,
        'list each boundary once, in ascending order, like the `le` labels of the histogram');
    }
  });
  return buckets;
}

function requireThreshold(ref: PropRef, threshold: Duration, buckets: number[] | undefined): number {
  const s = threshold instanceof Duration ? threshold.toMilliseconds({ integral: false }) / 1000 : NaN;
  if (!Number.isFinite(s) || s <= 0) {
    throw propError(ref.construct, ref.path, ref.prop, Number.isFinite(s) ? `${num(s)}s` : threshold, 'is not a positive duration',
      'use a bucket boundary above zero, e.g. Duration.millis(300)');
  }
  if (!buckets) {
    throw propError(ref.construct, ref.path, 'buckets', undefined, 'is required with a latency objective',
      `declare the histogram's bucket boundaries in seconds (e.g. [0.05, 0.1, ${goFloat(s)}, 1]) so the threshold can be checked against them`);
  }
  const match = buckets.find((b) => Math.abs(b - s) <= 1e-9 * Math.max(1, s));
  if (match === undefined) {
    throw propError(ref.construct, ref.path, ref.prop, `${goFloat(s)}s`, `is not one of the declared buckets [${buckets.map(goFloat).join(', ')}] (seconds)`,
      'use a bucket boundary as the threshold, or add it to the histogram\'s buckets in the application and here: a quantile between buckets is a lie');
  }
  return match;
}

function seconds(window: string): number {
  const n = Number(window.slice(0, -1));
  return window.endsWith('h') ? n * 3600 : n * 60;
}

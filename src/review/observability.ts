// Alerts and SLO objectives that watch a service, read from Prometheus Operator PrometheusRules.
import { K8sObject, namespaceOf, ofKind } from './objects';
import { ServiceKey } from './routing-model';

/** One alerting rule. */
export interface AlertInfo {
  /** `alert name [severity]`, numbered when repeated: stable across states for comparison. */
  readonly key: string;
  readonly alert: string;
  readonly severity?: string;
  /** The `slo` label (availability, latency), when there is one. */
  readonly slo?: string;
  readonly expr: string;
  readonly for?: string;
  readonly source: string;
}

/** An SLO objective as its burn-rate alerts encode it (`> (14.4 * 0.001)` → 99.9%). */
export interface Objective {
  readonly slo: string;
  readonly percent: number;
}

/** What watches one service. */
export interface Watch {
  readonly alerts: readonly AlertInfo[];
  readonly objectives: readonly Objective[];
}

function watches(rule: K8sObject, service: ServiceKey): boolean {
  const [ns, name] = service.split('/');
  if (namespaceOf(rule) !== ns) return false;
  if (rule.metadata.labels?.app === name) return true;
  return JSON.stringify(rule.spec ?? {}).includes(`app=\\"${name}\\"`);
}

const BURN = />\s*\(\s*[\d.]+\s*\*\s*([\d.eE-]+)\s*\)/;

/**
 * Alerts of the PrometheusRules that watch a service (labelled `app: <name>` or selecting
 * `app="<name>"` in the service's namespace) and the SLO objectives their burn-rate thresholds
 * encode (`error-budget ratio > (burn × budget)`: objective = 100 × (1 − budget)).
 */
export function watchOf(objects: readonly K8sObject[], service: ServiceKey): Watch {
  const alerts: AlertInfo[] = [];
  const objectives = new Map<string, number>();
  const used = new Map<string, number>();
  for (const pr of ofKind(objects, 'monitoring.coreos.com', 'PrometheusRule').filter((r) => watches(r, service))) {
    for (const group of pr.spec?.groups ?? []) {
      for (const r of group.rules ?? []) {
        if (!r.alert) continue;
        const severity = r.labels?.severity;
        const base = severity ? `${r.alert} [${severity}]` : r.alert;
        const n = (used.get(base) ?? 0) + 1;
        used.set(base, n);
        const slo = r.labels?.slo;
        alerts.push({ key: n === 1 ? base : `${base} #${n}`, alert: r.alert, severity, slo, expr: String(r.expr ?? '').trim(), for: r.for, source: `PrometheusRule ${namespaceOf(pr)}/${pr.metadata.name}` });
        const m = BURN.exec(String(r.expr ?? ''));
        if (slo && m && !objectives.has(slo)) objectives.set(slo, Math.round((1 - Number(m[1])) * 1e6) / 1e4);
      }
    }
  }
  return { alerts, objectives: [...objectives].map(([slo, percent]) => ({ slo, percent })).sort((a, b) => (a.slo < b.slo ? -1 : 1)) };
}

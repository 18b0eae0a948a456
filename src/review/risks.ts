// Risks of a change: what can break traffic at the end state or while the change is applied.
import { MeshState, ServiceSummary, versionName } from './explain';
import { accessMode, permissionLines, shareMap } from './changes';
import { pct, ServiceKey } from './routing-model';
import { weaker } from './security';

/** How bad a risk is; `--fail-on` compares against this order. */
export type Severity = 'low' | 'medium' | 'high' | 'critical';
/** Severities from least to most severe. */
export const SEVERITIES: readonly Severity[] = ['low', 'medium', 'high', 'critical'];

/** One risk, with the one-line fix. */
export interface Risk {
  readonly severity: Severity;
  /** Stable id: `version-removed-while-routed`, `route-to-new-version`, `route-to-missing-version`, `large-shift`, `mtls-weakened`, `default-deny-removed`, `caller-added`, `deny-removed`, `alert-removed`, `weight-to-zero-replicas`, `route-ignored`. */
  readonly id: string;
  readonly service: ServiceKey;
  readonly message: string;
  readonly fix: string;
}

/** Options of the risk checks. */
export interface RiskOptions {
  /** Largest share change (percentage points) of one version on one rule in one step. @default 50 */
  readonly maxShift?: number;
}

type Routed = Map<string, { service: ServiceKey; version: string; rule: string; origin: string }>;

/** Versions that receive traffic (share > 0 or a mirror) in a state, keyed `service\0version`. */
function routed(s: ServiceSummary): Routed {
  const out: Routed = new Map();
  for (const r of s.rules) {
    for (const d of [...r.shares.filter((x) => x.percent > 0), ...r.mirrors.filter((m) => m.percent > 0)]) {
      const k = `${d.service}\0${d.version}`;
      if (!out.has(k) && d.version !== '*') out.set(k, { service: d.service, version: d.version, rule: r.key, origin: r.origin.split(' http[')[0].split(' rules[')[0] });
    }
  }
  return out;
}

function declared(state: MeshState, service: ServiceKey, version: string): { subset?: string; versionService?: string; replicas?: number } | undefined {
  return state.services.get(service)?.versions.find((v) => v.version === version);
}

function routingRisks(service: ServiceKey, a: ServiceSummary | undefined, b: ServiceSummary | undefined, before: MeshState, after: MeshState, maxShift: number): Risk[] {
  const out: Risk[] = [];
  const was = a ? routed(a) : new Map();
  const now = b ? routed(b) : new Map();
  for (const [k, r] of was) {
    const old = declared(before, r.service, r.version);
    const cur = declared(after, r.service, r.version);
    if (!old) continue;
    const gone = !cur ? 'is removed'
      : old.subset && !cur.subset ? `loses its subset ${old.subset}`
        : old.versionService && !cur.versionService ? `loses its Service ${old.versionService}`
          : (old.replicas ?? 0) > 0 && cur.replicas === 0 ? 'is scaled to 0 replicas' : undefined;
    if (!gone) continue;
    const v = versionName(service, r);
    const stillRouted = now.has(k);
    out.push({
      severity: 'high', id: 'version-removed-while-routed', service,
      message: `version ${v} ${gone} in the same change, while the current ${r.origin} (${r.rule}) still sends it traffic: requests fail with 503 until the new routing is applied${stillRouted ? ', and after' : ''}`,
      fix: stillRouted
        ? `route ${v} to 0% (or remove its routes) before removing it`
        : `split the change: first apply the routing that takes ${v} to 0%, remove ${v} in a later change (make-before-break)`,
    });
  }
  for (const [k, r] of now) {
    const cur = declared(after, r.service, r.version);
    const v = versionName(service, r);
    if (!cur) {
      out.push({ severity: 'high', id: 'route-to-missing-version', service, message: `${r.origin} (${r.rule}) sends traffic to ${v}, which no DestinationRule subset, per-version Service or workload declares: 503 for that share`, fix: `declare ${v} (subset/Service and Deployment) or route elsewhere` });
      continue;
    }
    if (!was.has(k) && !declared(before, r.service, r.version)) {
      out.push({ severity: 'medium', id: 'route-to-new-version', service, message: `${r.origin} (${r.rule}) sends traffic to ${v}, which this same change creates: applied in the wrong order (or before its pods are ready) those requests fail`, fix: `apply ${v}'s ${cur.subset ? 'DestinationRule subset' : 'Service'} and Deployment first and wait for ready pods, then the routing — or split the change in two` });
    }
    if (cur.replicas === 0) out.push({ severity: 'high', id: 'weight-to-zero-replicas', service, message: `${r.origin} (${r.rule}) sends traffic to ${v}, which has 0 replicas: those requests fail with 503`, fix: `scale ${v} up first, or give it weight 0` });
  }
  if (a && b) {
    for (const rb of b.rules) {
      const ra = a.rules.find((x) => x.key === rb.key);
      if (!ra) continue;
      const x = shareMap(ra.shares);
      const y = shareMap(rb.shares);
      const moved = [...new Set([...x.keys(), ...y.keys()])].sort().flatMap((key) => {
        const from = x.get(key)?.percent ?? 0;
        const to = y.get(key)?.percent ?? 0;
        return Math.abs(to - from) > maxShift ? [`${versionName(service, (y.get(key) ?? x.get(key))!.target)} ${pct(from)} → ${pct(to)}`] : [];
      });
      if (moved.length) out.push({ severity: 'medium', id: 'large-shift', service, message: `${rb.key}: ${moved.join(', ')} moves more than ${maxShift} points of traffic in one step (--max-shift ${maxShift})`, fix: `shift in steps of at most ${maxShift} points and watch the SLO alerts between steps` });
    }
    for (const n of b.notes) if (!a.notes.includes(n)) out.push({ severity: 'high', id: 'route-ignored', service, message: n, fix: 'change the route to a form this mesh honours (see the note), or it silently routes nothing' });
  }
  return out;
}

function securityRisks(service: ServiceKey, a: ServiceSummary, b: ServiceSummary): Risk[] {
  const out: Risk[] = [];
  for (const w of b.workloads) {
    const old = a.workloads.find((x) => x.name === w.name);
    if (!old) continue;
    const ports = [...new Set([...Object.keys(old.mtls.ports), ...Object.keys(w.mtls.ports)])];
    const weakened = [
      weaker(old.mtls.mode, w.mtls.mode) ? `${old.mtls.mode} → ${w.mtls.mode}` : undefined,
      ...ports.map((p) => {
        const x = old.mtls.ports[p] ?? old.mtls.mode;
        const y = w.mtls.ports[p] ?? w.mtls.mode;
        return weaker(x, y) && y !== w.mtls.mode ? `port ${p} ${x} → ${y}` : undefined;
      }),
    ].filter(Boolean);
    if (weakened.length) out.push({ severity: 'high', id: 'mtls-weakened', service, message: `${w.name}: mTLS weakened ${weakened.join(', ')} (${w.mtls.source}): plain-text callers are accepted`, fix: 'keep STRICT; scope any plain-text exception to the one workload/port that needs it, with a removal date' });
  }
  if (!a.workloads.length || !b.workloads.length) return out;
  const ma = accessMode(a.workloads.map((w) => w.access));
  const mb = accessMode(b.workloads.map((w) => w.access));
  if (ma !== 'open' && mb === 'open') {
    out.push({ severity: 'high', id: 'default-deny-removed', service, message: `authorization ${ma} → open: every caller in the mesh may now call ${service}`, fix: 'keep an ALLOW policy (or the allow-nothing default-deny) that names the callers' });
  } else if (ma === 'deny all' && mb !== 'deny all') {
    out.push({ severity: 'medium', id: 'default-deny-removed', service, message: 'the deny-all policy no longer covers it: the callers listed below are now let in', fix: 'confirm each new caller, keep the default-deny for the rest of the namespace' });
  }
  const pa = permissionLines(a.workloads.map((w) => w.access));
  const pb = permissionLines(b.workloads.map((w) => w.access));
  for (const p of pb) if (!pa.has(p) && !p.startsWith('DENY ') && mb !== 'open') out.push({ severity: 'medium', id: 'caller-added', service, message: `new caller: ${p}`, fix: 'confirm the caller needs it, and narrow it to the methods and paths it calls' });
  for (const p of pa) if (p.startsWith('DENY ') && !pb.has(p)) out.push({ severity: 'medium', id: 'deny-removed', service, message: `deny rule removed: ${p.slice(5)}`, fix: 'keep the DENY rule unless the caller is now trusted' });
  return out;
}

/**
 * Risks of the change from `before` to `after`: removed versions still routed by the current
 * state (make-before-break), routes to versions the same change creates or nobody declares,
 * shifts above `maxShift`, versions routed with 0 replicas, weakened mTLS, widened authorization,
 * removed alerts, routes the mesh ignores. Sorted most severe first.
 */
export function findRisks(before: MeshState, after: MeshState, options: RiskOptions = {}): Risk[] {
  const maxShift = options.maxShift ?? 50;
  const out: Risk[] = [];
  const services = [...new Set([...before.services.keys(), ...after.services.keys()])].sort();
  for (const s of services) {
    const a = before.services.get(s);
    const b = after.services.get(s);
    out.push(...routingRisks(s, a, b, before, after, maxShift));
    if (a && b) out.push(...securityRisks(s, a, b));
    for (const alert of a?.alerts ?? []) {
      if (!(b?.alerts ?? []).some((x) => x.key === alert.key)) out.push({ severity: 'medium', id: 'alert-removed', service: s, message: `alert ${alert.key} removed (${alert.source})`, fix: 'keep the alert, or add its replacement in the same change' });
    }
  }
  const rank = (r: Risk): number => SEVERITIES.indexOf(r.severity);
  return out.map((r, i) => ({ r, i })).sort((x, y) => rank(y.r) - rank(x.r) || x.i - y.i).map((x) => x.r);
}

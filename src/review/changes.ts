// What changed between two states, per service, in words.
import { MeshState, RuleSummary, ServiceSummary, versionName } from './explain';
import { pct, ServiceKey, Share } from './routing-model';
import { Access } from './security';

/** One change in words, filed under the concern it touches. */
export interface Change {
  readonly area: 'routing' | 'versions' | 'security' | 'observability';
  readonly text: string;
}

type Target = { service: ServiceKey; version: string };
const tkey = (t: Target): string => `${t.service}\0${t.version}`;

/** Percent per destination version of a rule's shares (several shares of one version add up). */
export function shareMap(shares: readonly Share[]): Map<string, { target: Target; percent: number }> {
  const m = new Map<string, { target: Target; percent: number }>();
  for (const s of shares) {
    const k = tkey(s);
    m.set(k, { target: s, percent: (m.get(k)?.percent ?? 0) + s.percent });
  }
  return m;
}

function sharesChange(service: ServiceKey, a: readonly Share[], b: readonly Share[]): string | undefined {
  const before = shareMap(a);
  const after = shareMap(b);
  const keys = [...new Set([...before.keys(), ...after.keys()])].sort();
  const parts = keys.flatMap((k) => {
    const x = before.get(k)?.percent ?? 0;
    const y = after.get(k)?.percent ?? 0;
    if (Math.abs(x - y) < 1e-9) return [];
    return [`${versionName(service, (after.get(k) ?? before.get(k))!.target)} ${pct(x)} → ${pct(y)}`];
  });
  return parts.length ? parts.join(', ') : undefined;
}

function field(label: string, a?: string, b?: string): string | undefined {
  if (a === b) return undefined;
  if (a === undefined) return `${label} ${b} added`;
  if (b === undefined) return `${label} ${a} removed`;
  return `${label} ${a} → ${b}`;
}

function mirrorsText(service: ServiceKey, r: RuleSummary): string | undefined {
  return r.mirrors.length ? r.mirrors.map((m) => `${versionName(service, m)} ${pct(m.percent)}`).join(', ') : undefined;
}

function ruleLine(service: ServiceKey, r: RuleSummary): string {
  const shares = r.shares.length ? r.shares.map((s) => `${versionName(service, s)} ${pct(s.percent)}`).join(', ') : 'no destination';
  return r.when === 'any request' ? shares : `${r.when} → ${shares}`;
}

function routingChanges(a: ServiceSummary, b: ServiceSummary): string[] {
  const out: string[] = [];
  const s = b.service;
  if (a.api !== b.api) out.push(`routing read from ${a.api ?? 'no routing rules'} → ${b.api ?? 'no routing rules'}`);
  const before = new Map(a.rules.map((r) => [r.key, r]));
  const after = new Map(b.rules.map((r) => [r.key, r]));
  for (const r of b.rules) {
    const old = before.get(r.key);
    const label = r.key === 'default route' ? 'default route' : `rule "${r.key}"`;
    if (!old) {
      out.push(`${label} added: ${ruleLine(s, r)}`);
      continue;
    }
    const parts = [
      old.when !== r.when ? `matches ${old.when} → ${r.when}` : undefined,
      sharesChange(s, old.shares, r.shares),
      field('mirror', mirrorsText(s, old), mirrorsText(s, r)),
      field('timeout', old.timeout, r.timeout),
      field('retries', old.retries, r.retries),
      field('fault', old.fault, r.fault),
    ].filter((x): x is string => x !== undefined);
    if (parts.length) out.push(`${label}: ${parts.join('; ')}`);
  }
  for (const r of a.rules) if (!after.has(r.key)) out.push(`${r.key === 'default route' ? 'default route' : `rule "${r.key}"`} removed (was ${ruleLine(s, r)})`);
  const common = (rules: readonly RuleSummary[], other: Map<string, RuleSummary>): string[] => rules.map((r) => r.key).filter((k) => other.has(k));
  const oa = common(a.rules, after);
  const ob = common(b.rules, before);
  if (oa.join('\0') !== ob.join('\0')) out.push(`rule order ${oa.join(', ')} → ${ob.join(', ')} (the first rule that matches wins)`);
  return out;
}

function versionChanges(a: ServiceSummary, b: ServiceSummary): string[] {
  const out: string[] = [];
  const before = new Map(a.versions.map((v) => [v.version, v]));
  const after = new Map(b.versions.map((v) => [v.version, v]));
  const where = (v: { subset?: string; versionService?: string; replicas?: number }): string =>
    [v.subset ? `subset ${v.subset}` : undefined, v.versionService ? `Service ${v.versionService}` : undefined, v.replicas !== undefined ? `${v.replicas} replica${v.replicas === 1 ? '' : 's'}` : undefined].filter(Boolean).join(', ');
  for (const [name, v] of after) {
    const old = before.get(name);
    if (!old) out.push(`version ${name} added (${where(v)})`);
    else {
      const parts = [field('subset', old.subset, v.subset), field('Service', old.versionService, v.versionService), old.replicas !== v.replicas ? `replicas ${old.replicas ?? '?'} → ${v.replicas ?? '?'}` : undefined].filter(Boolean);
      if (parts.length) out.push(`version ${name}: ${parts.join('; ')}`);
    }
  }
  for (const [name, v] of before) if (!after.has(name)) out.push(`version ${name} removed (was ${where(v)})`);
  return out;
}

/** Permissions of all workloads of a service, as `from → to` lines (ALLOW unless marked DENY). */
export function permissionLines(access: readonly Access[]): Set<string> {
  return new Set(access.flatMap((x) => x.permissions.map((p) => `${p.action === 'DENY' ? 'DENY ' : ''}${p.from} → ${p.to}`)));
}

/** `open` (no ALLOW policy), `deny all`, or `allow list`. */
export function accessMode(access: readonly Access[]): 'open' | 'deny all' | 'allow list' {
  if (access.some((x) => x.open)) return 'open';
  return access.every((x) => x.denyAll) && access.length > 0 ? 'deny all' : 'allow list';
}

function securityChanges(a: ServiceSummary, b: ServiceSummary): string[] {
  const out: string[] = [];
  const before = new Map(a.workloads.map((w) => [w.name, w]));
  for (const w of b.workloads) {
    const old = before.get(w.name);
    if (!old) continue;
    const ports = [...new Set([...Object.keys(old.mtls.ports), ...Object.keys(w.mtls.ports)])].sort();
    const parts = [
      old.mtls.mode !== w.mtls.mode ? `mTLS ${old.mtls.mode} → ${w.mtls.mode} (${w.mtls.source})` : undefined,
      ...ports.map((p) => field(`port ${p} mTLS`, old.mtls.ports[p], w.mtls.ports[p])),
    ].filter(Boolean);
    if (parts.length) out.push(`${w.name}: ${parts.join('; ')}`);
  }
  const ma = accessMode(a.workloads.map((w) => w.access));
  const mb = accessMode(b.workloads.map((w) => w.access));
  if (a.workloads.length && b.workloads.length && ma !== mb) out.push(`authorization: ${ma} → ${mb}`);
  const pa = permissionLines(a.workloads.map((w) => w.access));
  const pb = permissionLines(b.workloads.map((w) => w.access));
  for (const p of pb) if (!pa.has(p)) out.push(`caller added: ${p}`);
  for (const p of pa) if (!pb.has(p)) out.push(`caller removed: ${p}`);
  return out;
}

function observabilityChanges(a: ServiceSummary, b: ServiceSummary): string[] {
  const out: string[] = [];
  const before = new Map(a.alerts.map((x) => [x.key, x]));
  const after = new Map(b.alerts.map((x) => [x.key, x]));
  for (const [k, x] of after) {
    const old = before.get(k);
    if (!old) out.push(`alert ${k} added`);
    else if (old.expr !== x.expr || old.for !== x.for) out.push(`alert ${k} changed (${old.expr !== x.expr ? 'expression' : `for ${old.for ?? '0s'} → ${x.for ?? '0s'}`})`);
  }
  for (const k of before.keys()) if (!after.has(k)) out.push(`alert ${k} removed`);
  const oa = new Map(a.objectives.map((o) => [o.slo, o.percent]));
  const ob = new Map(b.objectives.map((o) => [o.slo, o.percent]));
  for (const [slo, p] of ob) if (oa.get(slo) !== p) out.push(oa.has(slo) ? `${slo} objective ${oa.get(slo)}% → ${p}%` : `${slo} objective ${p}% added`);
  for (const [slo, p] of oa) if (!ob.has(slo)) out.push(`${slo} objective ${p}% removed`);
  return out;
}

const EMPTY = (service: ServiceKey): ServiceSummary => ({ service, dataPlane: 'unknown', rules: [], notes: [], versions: [], workloads: [], alerts: [], objectives: [] });

/** The changes of one service between two states (a side without the service counts as empty). */
export function serviceChanges(service: ServiceKey, before: MeshState, after: MeshState): Change[] {
  const a = before.services.get(service);
  const b = after.services.get(service);
  const out: Change[] = [];
  if (!a) out.push({ area: 'versions', text: 'service added' });
  if (!b) out.push({ area: 'versions', text: 'service removed' });
  const x = a ?? EMPTY(service);
  const y = b ?? EMPTY(service);
  for (const text of routingChanges(x, y)) out.push({ area: 'routing', text });
  for (const text of versionChanges(x, y)) out.push({ area: 'versions', text });
  for (const text of securityChanges(x, y)) out.push({ area: 'security', text });
  for (const text of observabilityChanges(x, y)) out.push({ area: 'observability', text });
  return out;
}

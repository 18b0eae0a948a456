// Istio VirtualService (v1, v1beta1, v1alpha3) → ordered rules, first match wins.
import { describeMatch, NamedMatch, RequestMatch, StrMatch } from './match';
import { K8sObject, namespaceOf, ofKind } from './objects';
import { Mirror, RoutePolicy, RouteRule, ServiceKey, ServiceRouting, Share } from './routing-model';
import { resolveHost } from './workloads';

function strMatch(m: any, pathLike = false): StrMatch | undefined {
  if (!m || typeof m !== 'object') return undefined;
  if (typeof m.exact === 'string') return { kind: 'exact', value: m.exact };
  if (typeof m.prefix === 'string') return { kind: 'prefix', value: m.prefix };
  if (typeof m.regex === 'string') return { kind: 'regex', value: m.regex };
  return pathLike ? undefined : { kind: 'present', value: '' };
}

function named(map: any, invert = false, lower = true): NamedMatch[] {
  return Object.entries(map ?? {}).sort(([a], [b]) => (a < b ? -1 : 1)).map(([name, m]) => {
    const match = strMatch(m)!;
    return { name: lower ? name.toLowerCase() : name, match: invert ? { ...match, invert: true } : match };
  });
}

/** An Istio HTTPMatchRequest as a RequestMatch. */
export function istioMatch(m: any): RequestMatch {
  return {
    path: strMatch(m?.uri, true),
    method: strMatch(m?.method, true),
    headers: [...named(m?.headers), ...named(m?.withoutHeaders, true)],
    query: named(m?.queryParams, false, false),
    port: typeof m?.port === 'number' ? m.port : undefined,
    sourceNamespace: m?.sourceNamespace,
  };
}

/** Finds which version a `host` + `subset` destination reaches, through the DestinationRule subsets. */
function subsetVersion(objects: readonly K8sObject[], service: ServiceKey, subset: string | undefined): string {
  if (!subset) return '*';
  for (const dr of ofKind(objects, 'networking.istio.io', 'DestinationRule')) {
    if (resolveHost(String(dr.spec?.host ?? ''), namespaceOf(dr)) !== service) continue;
    const s = (dr.spec?.subsets ?? []).find((x: any) => x.name === subset);
    if (s) return s.labels?.version ?? subset;
  }
  return subset; // no DestinationRule declares it: reported as a risk by the review
}

function destination(objects: readonly K8sObject[], d: any, ns: string): { service: ServiceKey; version: string; via: string } {
  const service = resolveHost(String(d?.host ?? ''), ns);
  return { service, version: subsetVersion(objects, service, d?.subset), via: d?.subset ? `subset ${d.subset}` : `host ${d?.host}` };
}

function duration(d: unknown): string | undefined {
  return typeof d === 'string' ? d : undefined;
}

function percentOf(p: any, fallback = 100): number {
  if (p === undefined || p === null) return fallback;
  return typeof p === 'number' ? p : Number(p.value ?? fallback);
}

function policy(objects: readonly K8sObject[], http: any, ns: string): RoutePolicy {
  const mirrors: Mirror[] = [];
  if (http.mirror) mirrors.push({ ...destination(objects, http.mirror, ns), percent: percentOf(http.mirrorPercentage ?? http.mirrorPercent) });
  for (const m of http.mirrors ?? []) mirrors.push({ ...destination(objects, m.destination, ns), percent: percentOf(m.percentage) });
  const r = http.retries;
  const retries = r === undefined ? undefined
    : r.attempts === 0 ? 'none'
      : [`${r.attempts ?? 2} attempts`, r.perTryTimeout ? `${r.perTryTimeout} per try` : undefined, r.retryOn ? `on ${r.retryOn}` : undefined].filter(Boolean).join(', ');
  const faults: string[] = [];
  const f = http.fault;
  if (f?.delay) faults.push(`delay ${f.delay.fixedDelay ?? f.delay.exponentialDelay} on ${percentOf(f.delay.percentage ?? f.delay.percent)}%`);
  if (f?.abort) faults.push(`abort ${f.abort.httpStatus ?? f.abort.grpcStatus ?? f.abort.http2Error} on ${percentOf(f.abort.percentage)}%`);
  return { timeout: duration(http.timeout), retries, fault: faults.length ? faults.join(', ') : undefined, mirrors };
}

function shares(objects: readonly K8sObject[], http: any, ns: string): Share[] {
  const route: any[] = http.route ?? [];
  const total = route.reduce((n, r) => n + (typeof r.weight === 'number' ? r.weight : 0), 0);
  return route.map((r) => {
    const weight = route.length === 1 ? 100 : typeof r.weight === 'number' ? r.weight : 0;
    return { ...destination(objects, r.destination, ns), percent: route.length === 1 ? 100 : total > 0 ? (weight / total) * 100 : 0 };
  });
}

/** Unique rule keys: the rule's name, else its matches in words. */
export function uniqueKey(used: Map<string, number>, key: string): string {
  const n = (used.get(key) ?? 0) + 1;
  used.set(key, n);
  return n === 1 ? key : `${key} #${n}`;
}

function byAge(a: K8sObject, b: K8sObject): number {
  const ta = a.metadata.creationTimestamp ?? '';
  const tb = b.metadata.creationTimestamp ?? '';
  if (ta !== tb) return ta < tb ? -1 : 1;
  const na = `${namespaceOf(a)}/${a.metadata.name}`;
  const nb = `${namespaceOf(b)}/${b.metadata.name}`;
  return na < nb ? -1 : na > nb ? 1 : 0;
}

/**
 * Reads every mesh-bound VirtualService (no `gateways`, or `mesh` among them) into per-host
 * routing. Hosts may be short (`myservice`), `name.namespace` or FQDN. When several
 * VirtualServices claim one host, Istio uses one (the oldest; by name without timestamps) and
 * the rest are noted (IST0109).
 */
export function istioRouting(objects: readonly K8sObject[]): ServiceRouting[] {
  const byHost = new Map<ServiceKey, K8sObject[]>();
  const vss = ofKind(objects, 'networking.istio.io', 'VirtualService').sort(byAge);
  for (const vs of vss) {
    const gateways: string[] | undefined = vs.spec?.gateways;
    if (gateways && gateways.length > 0 && !gateways.includes('mesh')) continue;
    for (const h of vs.spec?.hosts ?? []) {
      const key = resolveHost(String(h), namespaceOf(vs));
      byHost.set(key, [...(byHost.get(key) ?? []), vs]);
    }
  }
  const out: ServiceRouting[] = [];
  for (const [service, [vs, ...ignored]] of byHost) {
    const ns = namespaceOf(vs);
    const used = new Map<string, number>();
    const rules: RouteRule[] = (vs.spec?.http ?? []).flatMap((http: any, i: number) => {
      // A match limited to other gateways (`gateways` without `mesh`) never sees in-mesh requests;
      // a rule left with none of its matches is not a mesh rule at all.
      const raw: any[] = http.match ?? [];
      const meshOnly = raw.filter((m) => !Array.isArray(m?.gateways) || m.gateways.length === 0 || m.gateways.includes('mesh'));
      if (raw.length > 0 && meshOnly.length === 0) return [];
      const matches = meshOnly.map(istioMatch);
      const words = matches.length === 0 ? 'default route' : matches.map(describeMatch).join(' or ');
      const answer = http.redirect ? ' (redirect)' : http.directResponse ? ` (direct response ${http.directResponse.status})` : '';
      return [{
        key: uniqueKey(used, http.name ?? words),
        matches,
        shares: shares(objects, http, ns),
        policy: policy(objects, http, ns),
        origin: `VirtualService ${ns}/${vs.metadata.name} http[${i}]${answer}`,
      }];
    });
    const notes = ignored.map((o) => `VirtualService ${namespaceOf(o)}/${o.metadata.name} also claims ${service}: Istio uses only VirtualService ${ns}/${vs.metadata.name} (IST0109)`);
    out.push({ service, api: 'VirtualService', rules, notes });
  }
  return out;
}

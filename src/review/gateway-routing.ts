// Gateway API HTTPRoutes attached to Services (GAMMA) → rules in Gateway API precedence order.
// Also reads Linkerd's retry/timeout annotations and drops what Linkerd or ambient would ignore.
import { describeMatch, NamedMatch, RequestMatch, StrMatch } from './match';
import { groupOf, K8sObject, namespaceOf, selects } from './objects';
import { Mirror, RoutePolicy, RouteRule, ServiceKey, ServiceRouting, Share } from './routing-model';
import { Inventory } from './workloads';
import { uniqueKey } from './istio-routing';

const LINKERD_DROPS = new Set(['RequestMirror', 'URLRewrite', 'ExtensionRef']);

function strMatch(m: any, defaultKind: StrMatch['kind']): StrMatch {
  const type = m?.type ?? (defaultKind === 'pathPrefix' ? 'PathPrefix' : 'Exact');
  const kind: StrMatch['kind'] = type === 'Exact' ? 'exact' : type === 'PathPrefix' ? 'pathPrefix' : 'regex';
  return { kind, value: String(m?.value ?? '/') };
}

function named(list: any[] | undefined, lower: boolean): NamedMatch[] {
  return (list ?? []).map((h) => ({ name: lower ? String(h.name).toLowerCase() : String(h.name), match: strMatch(h, 'exact') }));
}

/** A Gateway API HTTPRouteMatch as a RequestMatch (no `path`: the default `PathPrefix /`). */
export function gatewayMatch(m: any, port?: number): RequestMatch {
  return {
    path: strMatch(m?.path ?? { type: 'PathPrefix', value: '/' }, 'pathPrefix'),
    method: m?.method ? { kind: 'exact', value: String(m.method) } : undefined,
    headers: named(m?.headers, true),
    query: named(m?.queryParams, false),
    port,
  };
}

/**
 * Gateway API match precedence as a sortable tuple (larger first): Exact path, then the longest
 * PathPrefix, then a method, then the most headers, then the most query parameters. Regex paths
 * rank after every prefix (their precedence is implementation-specific).
 */
function specificity(m: RequestMatch): number[] {
  const p = m.path!;
  const pathRank = p.kind === 'exact' ? 3 : p.kind === 'pathPrefix' ? 2 : 1;
  return [pathRank, p.value.length, m.method ? 1 : 0, m.headers.length, m.query.length];
}

function compareDesc(a: number[], b: number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return b[i] - a[i];
  return 0;
}

interface Backend { service: ServiceKey; version: string; via: string }

function backend(inv: Inventory, ref: any, routeNs: string, parent: ServiceKey): Backend {
  const ns = ref?.namespace ?? routeNs;
  const key = `${ns}/${ref?.name}`;
  const via = `Service ${ref?.name}`;
  if (key === parent) return { service: parent, version: '*', via };
  const svc = inv.services.get(key);
  const apex = inv.services.get(parent);
  const version = svc?.spec?.selector?.version;
  if (svc && version && selects(apex?.spec?.selector ?? { app: parent.split('/')[1] }, svc.spec.selector)) return { service: parent, version, via };
  if (!svc) {
    // The manifests do not hold it (yet, or any more): read `<service>-<version>` by convention.
    const prefix = `${parent.split('/')[1]}-`;
    if (ns === parent.split('/')[0] && String(ref?.name).startsWith(prefix)) return { service: parent, version: String(ref.name).slice(prefix.length), via };
  }
  return { service: key, version: '*', via };
}

function annotationPolicy(route: K8sObject): { timeout?: string; retries?: string } {
  const a = route.metadata.annotations ?? {};
  const timeout = a['timeout.linkerd.io/request'] ?? a['timeout.linkerd.io/response'];
  const on = a['retry.linkerd.io/http'] ?? a['retry.linkerd.io/grpc'];
  const retries = on || a['retry.linkerd.io/limit']
    ? [`${a['retry.linkerd.io/limit'] ?? 1} attempts`, a['retry.linkerd.io/timeout'] ? `${a['retry.linkerd.io/timeout']} per try` : undefined, on ? `on ${on}` : undefined].filter(Boolean).join(', ')
    : undefined;
  return { timeout, retries };
}

function rulePolicy(inv: Inventory, route: K8sObject, rule: any, parent: ServiceKey, linkerd: boolean): RoutePolicy {
  const ns = namespaceOf(route);
  const mirrors: Mirror[] = [];
  for (const f of rule.filters ?? []) {
    if (f.type !== 'RequestMirror') continue;
    const rm = f.requestMirror ?? {};
    const percent = rm.percent ?? (rm.fraction ? (100 * rm.fraction.numerator) / (rm.fraction.denominator ?? 100) : 100);
    mirrors.push({ ...backend(inv, rm.backendRef, ns, parent), percent });
  }
  if (linkerd) return { ...annotationPolicy(route), mirrors };
  const r = rule.retry;
  const retries = r ? [`${r.attempts ?? 2} attempts`, rule.timeouts?.backendRequest ? `${rule.timeouts.backendRequest} per try` : undefined, r.codes ? `on ${r.codes.join(',')}` : undefined].filter(Boolean).join(', ') : undefined;
  return { timeout: rule.timeouts?.request, retries, mirrors };
}

function shares(inv: Inventory, route: K8sObject, rule: any, parent: ServiceKey): Share[] {
  const refs: any[] = (rule.backendRefs ?? []).filter((b: any) => (b.kind ?? 'Service') === 'Service');
  const weights = refs.map((b) => (typeof b.weight === 'number' ? b.weight : 1));
  const total = weights.reduce((n, w) => n + w, 0);
  return refs.map((b, i) => ({ ...backend(inv, b, namespaceOf(route), parent), percent: total > 0 ? (weights[i] / total) * 100 : 0 }));
}

function isServiceParent(p: any): boolean {
  return p?.kind === 'Service' && (p.group === '' || p.group === 'core' || p.group === undefined);
}

function compareTie(a: string[], b: string[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
  return 0;
}

function created(o: K8sObject): string {
  return o.metadata.creationTimestamp ?? '';
}

/**
 * Reads every HTTPRoute (`gateway.networking.k8s.io`, `policy.linkerd.io`) whose parent is a
 * Service. In a Linkerd namespace a route with a RequestMirror/URLRewrite/ExtensionRef filter is
 * dropped whole (as Linkerd does) and retries/timeouts come from `retry.linkerd.io/*` /
 * `timeout.linkerd.io/*` annotations; in an ambient namespace routes are ignored unless the
 * namespace or the Service names a waypoint (`istio.io/use-waypoint`).
 */
export function gatewayRouting(objects: readonly K8sObject[], inv: Inventory): ServiceRouting[] {
  const routes = objects.filter((o) => o.kind === 'HTTPRoute' && (groupOf(o) === 'gateway.networking.k8s.io' || groupOf(o) === 'policy.linkerd.io'));
  type Entry = { rank: number[]; tie: string[]; rule: RouteRule };
  const entries = new Map<ServiceKey, Entry[]>();
  const notes = new Map<ServiceKey, string[]>();
  const note = (k: ServiceKey, text: string): void => void notes.set(k, [...(notes.get(k) ?? []), text]);
  for (const route of routes) {
    const ns = namespaceOf(route);
    const name = `HTTPRoute ${ns}/${route.metadata.name}`;
    const plane = inv.dataPlane(ns);
    const linkerd = plane === 'linkerd';
    for (const parent of (route.spec?.parentRefs ?? []).filter(isServiceParent)) {
      const service = `${parent.namespace ?? ns}/${parent.name}`;
      if (!entries.has(service)) entries.set(service, []);
      const rules: any[] = route.spec?.rules ?? [];
      if (linkerd && rules.some((r) => (r.filters ?? []).some((f: any) => LINKERD_DROPS.has(f.type)))) {
        note(service, `${name} is ignored by Linkerd: it has a ${[...LINKERD_DROPS].join('/')} filter, and Linkerd drops such a route whole`);
        continue;
      }
      if (plane === 'istio-ambient' && !useWaypoint(inv, service)) {
        note(service, `${name} is ignored in ambient mode: neither namespace ${service.split('/')[0]} nor Service ${service} has an istio.io/use-waypoint label`);
        continue;
      }
      rules.forEach((rule, i) => {
        // the parentRef port selects the Service port the route attaches to; it is not a request condition here
        const matches: RequestMatch[] = (rule.matches?.length ? rule.matches : [{}]).map((m: any) => gatewayMatch(m));
        const policy = rulePolicy(inv, route, rule, service, linkerd);
        const ruleShares = shares(inv, route, rule, service);
        matches.forEach((m, j) => entries.get(service)!.push({
          rank: specificity(m),
          tie: [created(route), `${ns}/${route.metadata.name}`, String(i).padStart(6, '0'), String(j).padStart(6, '0')],
          rule: { key: rule.name ?? describeMatch(m), matches: [m], shares: ruleShares, policy, origin: `${name} rules[${i}]${rule.matches?.length ? ` matches[${j}]` : ''}${parent.port ? ` (port ${parent.port})` : ''}` },
        }));
      });
    }
  }
  const out: ServiceRouting[] = [];
  for (const [service, list] of entries) {
    list.sort((a, b) => compareDesc(a.rank, b.rank) || compareTie(a.tie, b.tie));
    const used = new Map<string, number>();
    const rules = list.map((e) => ({ ...e.rule, key: uniqueKey(used, e.rule.key === 'any request' ? 'default route' : e.rule.key) }));
    out.push({ service, api: 'HTTPRoute', rules, notes: notes.get(service) ?? [] });
  }
  return out;
}

function useWaypoint(inv: Inventory, service: ServiceKey): boolean {
  const [ns] = service.split('/');
  return !!inv.namespace(ns)?.metadata.labels?.['istio.io/use-waypoint'] || !!inv.services.get(service)?.metadata.labels?.['istio.io/use-waypoint'];
}

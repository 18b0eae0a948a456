// Effective mTLS per workload and who may call it, from Istio and Linkerd policy objects.
import { groupOf, K8sObject, namespaceOf, ofKind, selects } from './objects';
import { Inventory, Workload } from './workloads';

/** mTLS as a workload accepts it: STRICT (mTLS only), PERMISSIVE (mTLS or plain text), DISABLE. */
export type MtlsMode = 'STRICT' | 'PERMISSIVE' | 'DISABLE';

/** A workload's effective mTLS: the base mode, port overrides, and the object that decided it. */
export interface WorkloadMtls {
  readonly mode: MtlsMode;
  readonly ports: Readonly<Record<string, MtlsMode>>;
  readonly source: string;
}

/** One permission: a caller (identity, namespace, or `any caller`) may (or may not) send some requests. */
export interface Permission {
  readonly action: 'ALLOW' | 'DENY';
  readonly from: string;
  readonly to: string;
  readonly policy: string;
}

/** Who may call a workload. */
export interface Access {
  /** No ALLOW policy applies: every caller is let in (but DENY rules). */
  readonly open: boolean;
  /** A policy that allows nothing applies (Istio `spec: {}`, a Linkerd Server without authorization, `deny` default policy). */
  readonly denyAll: boolean;
  /** The policies that deny everything (for messages). */
  readonly denyAllBy: readonly string[];
  readonly permissions: readonly Permission[];
}

const RANK: Record<MtlsMode, number> = { STRICT: 2, PERMISSIVE: 1, DISABLE: 0 };
/** Is `b` weaker than `a`? */
export function weaker(a: MtlsMode, b: MtlsMode): boolean {
  return RANK[b] < RANK[a];
}

function modeOf(m: unknown): MtlsMode | undefined {
  return m === 'STRICT' || m === 'PERMISSIVE' || m === 'DISABLE' ? m : undefined;
}

const LINKERD_STRICT = new Set(['all-authenticated', 'cluster-authenticated', 'deny']);

/**
 * Effective mTLS of a workload. Istio: the workload-selector PeerAuthentication, else the
 * namespace's, else the mesh-wide one (in `rootNamespace`), else PERMISSIVE (Istio's default);
 * UNSET inherits. Ambient ignores DISABLE. Linkerd: meshed traffic is always mTLS; a
 * `config.linkerd.io/default-inbound-policy` of `all-authenticated`/`cluster-authenticated`/`deny`
 * (pod annotation, else namespace annotation) or a Server selecting the pod makes it STRICT.
 */
export function effectiveMtls(inv: Inventory, w: Workload, rootNamespace = 'istio-system'): WorkloadMtls {
  const plane = inv.dataPlane(w.namespace);
  if (plane === 'linkerd') return linkerdMtls(inv, w);
  const pas = ofKind(inv.objects, 'security.istio.io', 'PeerAuthentication');
  const scoped = pas.filter((p) => namespaceOf(p) === w.namespace && p.spec?.selector?.matchLabels && selects(p.spec.selector.matchLabels, w.labels));
  const nsWide = pas.filter((p) => namespaceOf(p) === w.namespace && !p.spec?.selector);
  const mesh = pas.filter((p) => namespaceOf(p) === rootNamespace && !p.spec?.selector);
  let mode: MtlsMode = 'PERMISSIVE';
  let source = 'Istio default (no PeerAuthentication)';
  for (const p of [...mesh, ...nsWide, ...scoped]) {
    const m = modeOf(p.spec?.mtls?.mode);
    if (m) [mode, source] = [m, `PeerAuthentication ${namespaceOf(p)}/${p.metadata.name}`];
  }
  const ports: Record<string, MtlsMode> = {};
  for (const p of scoped) {
    for (const [port, v] of Object.entries<any>(p.spec?.portLevelMtls ?? {})) {
      const m = modeOf(v?.mode);
      if (m) ports[port] = m;
    }
  }
  if (plane === 'istio-ambient' && mode === 'DISABLE') return { mode: 'PERMISSIVE', ports, source: `${source} (DISABLE is ignored in ambient)` };
  return { mode, ports, source };
}

function linkerdMtls(inv: Inventory, w: Workload): WorkloadMtls {
  const key = 'config.linkerd.io/default-inbound-policy';
  const podValue = w.annotations[key];
  const nsValue = inv.namespace(w.namespace)?.metadata.annotations?.[key];
  const value = podValue ?? nsValue;
  const servers = linkerdServers(inv, w);
  if (servers.length > 0) return { mode: 'STRICT', ports: {}, source: `Linkerd Server ${servers.map((s) => s.metadata.name).join(', ')}` };
  if (value && LINKERD_STRICT.has(value)) return { mode: 'STRICT', ports: {}, source: `${key}: ${value} (${podValue ? 'pod' : 'namespace'})` };
  return { mode: 'PERMISSIVE', ports: {}, source: value ? `${key}: ${value}` : 'Linkerd default (all-unauthenticated)' };
}

function linkerdServers(inv: Inventory, w: Workload): K8sObject[] {
  return ofKind(inv.objects, 'policy.linkerd.io', 'Server').filter((s) => namespaceOf(s) === w.namespace && selects(s.spec?.podSelector?.matchLabels, w.labels));
}

function operationText(op: any): string {
  const parts: string[] = [];
  if (op?.methods) parts.push(op.methods.join(','));
  if (op?.notMethods) parts.push(`not ${op.notMethods.join(',')}`);
  if (op?.paths) parts.push(op.paths.join(','));
  if (op?.notPaths) parts.push(`not ${op.notPaths.join(',')}`);
  if (op?.ports) parts.push(`port ${op.ports.join(',')}`);
  return parts.length ? parts.join(' ') : 'any request';
}

function sourceTexts(src: any): string[] {
  const out: string[] = [];
  for (const p of src?.principals ?? []) out.push(p === '*' ? 'any authenticated caller' : p);
  for (const n of src?.namespaces ?? []) out.push(`namespace ${n}`);
  for (const p of src?.requestPrincipals ?? []) out.push(`JWT ${p}`);
  for (const b of src?.ipBlocks ?? []) out.push(`ip ${b}`);
  const negated = [...(src?.notPrincipals ?? []), ...(src?.notNamespaces ?? []).map((n: string) => `namespace ${n}`)];
  if (negated.length) out.push(`any caller but ${negated.join(', ')}`);
  return out.length ? out : ['any caller'];
}

function istioApplies(p: K8sObject, inv: Inventory, w: Workload, root: string): boolean {
  const ns = namespaceOf(p);
  if (p.spec?.targetRefs || p.spec?.targetRef) {
    const refs = p.spec.targetRefs ?? [p.spec.targetRef];
    return ns === w.namespace && refs.some((r: any) => r.kind === 'Service' && inv.workloadsOf(`${ns}/${r.name}`).includes(w));
  }
  if (p.spec?.selector?.matchLabels) return ns === w.namespace && selects(p.spec.selector.matchLabels, w.labels);
  return ns === w.namespace || ns === root;
}

/**
 * Who may call a workload. Istio AuthorizationPolicies apply by `selector`, `targetRefs`
 * (Service), namespace or root namespace: with no ALLOW policy every caller is let in; an ALLOW
 * policy without rules allows nothing. Linkerd: a Server selecting the pod denies all but what an
 * AuthorizationPolicy on it (or on an HTTPRoute of it) allows through a MeshTLSAuthentication.
 */
export function access(inv: Inventory, w: Workload, root = 'istio-system'): Access {
  if (inv.dataPlane(w.namespace) === 'linkerd') return linkerdAccess(inv, w);
  const permissions: Permission[] = [];
  const denyAllBy: string[] = [];
  let allowPolicies = 0;
  for (const p of ofKind(inv.objects, 'security.istio.io', 'AuthorizationPolicy').filter((x) => istioApplies(x, inv, w, root))) {
    const action = p.spec?.action ?? 'ALLOW';
    if (action !== 'ALLOW' && action !== 'DENY') continue; // AUDIT/CUSTOM do not decide here
    const name = `AuthorizationPolicy ${namespaceOf(p)}/${p.metadata.name}`;
    const rules: any[] = p.spec?.rules ?? [];
    if (action === 'ALLOW') allowPolicies++;
    if (action === 'ALLOW' && rules.length === 0) denyAllBy.push(name);
    for (const rule of rules) {
      const froms = (rule.from?.length ? rule.from : [{}]).flatMap((f: any) => sourceTexts(f.source));
      const tos = (rule.to?.length ? rule.to : [{}]).map((t: any) => operationText(t.operation));
      const when = (rule.when ?? []).map((c: any) => `${c.key} in ${(c.values ?? []).join(',')}`).join(' and ');
      for (const from of froms) for (const to of tos) permissions.push({ action, from, to: when ? `${to} when ${when}` : to, policy: name });
    }
  }
  // Ambient: a ztunnel policy admitting the namespace's waypoint lets requests through the waypoint,
  // which enforces the targetRefs policies above — a hop, not a caller of its own.
  const hops = inv.dataPlane(w.namespace) === 'istio-ambient' ? waypointPrincipals(inv, w.namespace) : [];
  const callers = permissions.filter((x) => !(x.action === 'ALLOW' && hops.some((h) => x.from.endsWith(h))));
  return { open: allowPolicies === 0, denyAll: denyAllBy.length > 0 && !callers.some((x) => x.action === 'ALLOW'), denyAllBy, permissions: sortPermissions(callers) };
}

/** `/ns/<ns>/sa/<name>` of every waypoint Gateway in the namespace (Istio names its ServiceAccount after the Gateway). */
function waypointPrincipals(inv: Inventory, namespace: string): string[] {
  return ofKind(inv.objects, 'gateway.networking.k8s.io', 'Gateway')
    .filter((g) => namespaceOf(g) === namespace && g.spec?.gatewayClassName === 'istio-waypoint')
    .map((g) => `/ns/${namespace}/sa/${g.metadata.name}`);
}

function linkerdAccess(inv: Inventory, w: Workload): Access {
  const servers = linkerdServers(inv, w);
  const def = w.annotations['config.linkerd.io/default-inbound-policy'] ?? inv.namespace(w.namespace)?.metadata.annotations?.['config.linkerd.io/default-inbound-policy'] ?? 'all-unauthenticated';
  if (servers.length === 0) {
    if (def === 'deny') return { open: false, denyAll: true, denyAllBy: ['default-inbound-policy: deny'], permissions: [] };
    const from = def.endsWith('unauthenticated') ? 'any caller' : 'any authenticated caller';
    return { open: from === 'any caller', denyAll: false, denyAllBy: [], permissions: [{ action: 'ALLOW', from, to: 'any request', policy: `default-inbound-policy: ${def}` }] };
  }
  const objs = inv.objects.filter((o) => groupOf(o) === 'policy.linkerd.io');
  const byName = (kind: string, ns: string, name: string): K8sObject | undefined => objs.find((o) => o.kind === kind && namespaceOf(o) === ns && o.metadata.name === name);
  const serverNames = new Set(servers.map((s) => s.metadata.name));
  const routesOfServer = inv.objects.filter((o) => o.kind === 'HTTPRoute' && (o.spec?.parentRefs ?? []).some((p: any) => p.kind === 'Server' && serverNames.has(p.name)));
  const permissions: Permission[] = [];
  for (const ap of objs.filter((o) => o.kind === 'AuthorizationPolicy' && namespaceOf(o) === w.namespace)) {
    const t = ap.spec?.targetRef ?? {};
    let to: string | undefined;
    if (t.kind === 'Server' && serverNames.has(t.name)) to = 'any request';
    else if (t.kind === 'Namespace') to = 'any request';
    else if (t.kind === 'HTTPRoute') {
      const route = routesOfServer.find((r) => r.metadata.name === t.name);
      if (route) to = (route.spec?.rules ?? []).flatMap((r: any) => (r.matches ?? [{}]).map((m: any) => [m.method, m.path?.value].filter(Boolean).join(' ') || 'any request')).join(', ');
    }
    if (to === undefined) continue;
    const name = `AuthorizationPolicy ${w.namespace}/${ap.metadata.name}`;
    for (const ref of ap.spec?.requiredAuthenticationRefs ?? []) {
      const auth = byName(ref.kind, ref.namespace ?? w.namespace, ref.name);
      if (ref.kind === 'MeshTLSAuthentication') {
        const ids: string[] = [...(auth?.spec?.identities ?? []).map((i: string) => (i === '*' ? 'any authenticated caller' : i))];
        for (const r of auth?.spec?.identityRefs ?? []) ids.push(r.kind === 'ServiceAccount' ? `${r.name}.${r.namespace ?? w.namespace}.serviceaccount.identity.linkerd.cluster.local` : `namespace ${r.name}`);
        for (const from of ids) permissions.push({ action: 'ALLOW', from, to, policy: name });
      } else if (ref.kind === 'NetworkAuthentication') {
        for (const n of auth?.spec?.networks ?? []) permissions.push({ action: 'ALLOW', from: `network ${n.cidr}`, to, policy: name });
      } else if (ref.kind === 'ServiceAccount') {
        permissions.push({ action: 'ALLOW', from: `${ref.name}.${ref.namespace ?? w.namespace}.serviceaccount.identity.linkerd.cluster.local`, to, policy: name });
      }
    }
  }
  const denyAllBy = permissions.length === 0 ? servers.map((s) => `Server ${w.namespace}/${s.metadata.name} (no AuthorizationPolicy)`) : [];
  return { open: false, denyAll: permissions.length === 0, denyAllBy, permissions: sortPermissions(permissions) };
}

function sortPermissions(p: Permission[]): Permission[] {
  const key = (x: Permission): string => `${x.action}\0${x.from}\0${x.to}\0${x.policy}`;
  return [...p].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

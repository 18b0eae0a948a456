// Mermaid flowcharts (GitHub renders them in PR comments): callers → service → versions.
import { MeshState, ServiceSummary, versionName } from './explain';
import { pct, ServiceKey } from './routing-model';
import { Access } from './security';

/** Text safe inside a quoted Mermaid label. */
function q(text: string): string {
  return `"${text.replace(/#/g, '#35;').replace(/"/g, '#quot;').replace(/</g, '#lt;').replace(/>/g, '#gt;')}"`;
}

class Graph {
  private readonly ids = new Map<string, string>();
  private readonly nodes: string[] = [];
  public readonly edges: string[] = [];

  public node(key: string, label: string, shape: 'box' | 'round' | 'stadium' = 'box'): string {
    let id = this.ids.get(key);
    if (!id) {
      id = `n${this.ids.size}`;
      this.ids.set(key, id);
      const [open, close] = shape === 'round' ? ['(', ')'] : shape === 'stadium' ? ['([', '])'] : ['[', ']'];
      this.nodes.push(`  ${id}${open}${q(label)}${close}`);
    }
    return id;
  }

  public edge(from: string, to: string, label: string, style: 'solid' | 'added' | 'removed' | 'mirror' = 'solid'): void {
    const arrow = style === 'added' ? '==>' : style === 'removed' || style === 'mirror' ? '-.->' : '-->';
    this.edges.push(`  ${from} ${arrow}|${q(label)}| ${to}`);
  }

  public text(title: string): string {
    return ['flowchart LR', `  %% ${title}`, ...this.nodes, ...this.edges].join('\n') + '\n';
  }
}

function callerLabel(from: string): string {
  const m = /^(?:[^/]+)\/ns\/([^/]+)\/sa\/(.+)$/.exec(from) ?? /^([^.]+)\.([^.]+)\.serviceaccount\.identity\./.exec(from);
  if (!m) return from;
  return from.includes('/ns/') ? `${m[2]} (ns ${m[1]})` : `${m[1]} (ns ${m[2]})`;
}

type CallerEdges = Map<string, string[]>;
function callers(access: readonly Access[]): { open: boolean; edges: CallerEdges } {
  const edges: CallerEdges = new Map();
  for (const a of access) for (const p of a.permissions) {
    if (p.action !== 'ALLOW') continue;
    const list = edges.get(p.from) ?? [];
    if (!list.includes(p.to)) edges.set(p.from, [...list, p.to]);
  }
  return { open: access.length > 0 && access.some((a) => a.open), edges };
}

function mtlsText(s: ServiceSummary): string {
  const modes = [...new Set(s.workloads.map((w) => w.mtls.mode))];
  return modes.length ? `mTLS ${modes.join('/')}` : 'mTLS unknown';
}

/**
 * What protects one caller's edge: the service's mTLS mode, except for a caller admitted by
 * network (a Linkerd NetworkAuthentication): it is let in without a client identity, plain text
 * included, whatever the mode says for identified callers.
 */
function edgeMtls(from: string, mtls: string): string {
  return from.startsWith('network ') ? 'no mTLS needed (by network)' : mtls;
}

function interesting(s: ServiceSummary | undefined): boolean {
  return !!s && (s.rules.length > 0 || s.workloads.some((w) => !w.access.open));
}

function versionEdges(s: ServiceSummary): Map<string, { label: string; target: { service: ServiceKey; version: string }; mirror: boolean }> {
  const out = new Map<string, { label: string; target: { service: ServiceKey; version: string }; mirror: boolean }>();
  for (const r of s.rules) {
    const prefix = r.key === 'default route' ? '' : `${r.key}: `;
    for (const sh of r.shares) out.set(`${r.key}\0${sh.service}\0${sh.version}`, { label: `${prefix}${pct(sh.percent)}`, target: sh, mirror: false });
    for (const m of r.mirrors) out.set(`${r.key}\0mirror\0${m.service}\0${m.version}`, { label: `${prefix}mirror ${pct(m.percent)}`, target: m, mirror: true });
  }
  return out;
}

function versionNode(g: Graph, service: ServiceKey, t: { service: ServiceKey; version: string }, s?: ServiceSummary): string {
  const v = s?.versions.find((x) => x.version === t.version);
  const pods = v?.replicas !== undefined ? ` · ${v.replicas} pod${v.replicas === 1 ? '' : 's'}` : '';
  return g.node(`v\0${t.service}\0${t.version}`, `${versionName(service, t)}${t.service === service ? pods : ''}`, 'round');
}

/** The after state: for every routed or access-restricted service, its callers (with mTLS and what they may call) and its versions with shares. */
export function stateDiagram(state: MeshState): string {
  const g = new Graph();
  for (const s of state.services.values()) {
    if (!interesting(s)) continue;
    const sid = g.node(`s\0${s.service}`, s.service, 'stadium');
    const c = callers(s.workloads.map((w) => w.access));
    if (c.open) g.edge(g.node('c\0*', 'any caller'), sid, `${mtlsText(s)} · any request`);
    for (const [from, tos] of c.edges) g.edge(g.node(`c\0${from}`, callerLabel(from)), sid, `${edgeMtls(from, mtlsText(s))} · ${tos.join(', ')}`);
    for (const e of versionEdges(s).values()) g.edge(sid, versionNode(g, s.service, e.target, s), e.label, e.mirror ? 'mirror' : 'solid');
  }
  return g.text('after the change');
}

/** The change: new edges thick (`==>`), removed ones dotted, changed shares and mTLS as `before → after`. */
export function changeDiagram(before: MeshState, after: MeshState): string {
  const g = new Graph();
  const keys = [...new Set([...before.services.keys(), ...after.services.keys()])].sort();
  for (const key of keys) {
    const a = before.services.get(key);
    const b = after.services.get(key);
    if (!interesting(a) && !interesting(b)) continue;
    const sid = g.node(`s\0${key}`, key, 'stadium');
    const ca = a ? callers(a.workloads.map((w) => w.access)) : { open: false, edges: new Map() };
    const cb = b ? callers(b.workloads.map((w) => w.access)) : { open: false, edges: new Map() };
    const ma = a ? mtlsText(a) : '';
    const mb = b ? mtlsText(b) : '';
    const mtls = ma === mb || !a || !b ? mb || ma : `${ma} → ${mb.replace('mTLS ', '')}`;
    const fromKeys = [...new Set([...(ca.open ? ['*'] : []), ...ca.edges.keys(), ...(cb.open ? ['*'] : []), ...cb.edges.keys()])];
    for (const from of fromKeys) {
      const node = g.node(`c\0${from}`, from === '*' ? 'any caller' : callerLabel(from));
      const inA = from === '*' ? ca.open : ca.edges.has(from);
      const inB = from === '*' ? cb.open : cb.edges.has(from);
      const tos = (inB ? (from === '*' ? ['any request'] : cb.edges.get(from)!) : (from === '*' ? ['any request'] : ca.edges.get(from)!)).join(', ');
      const how = edgeMtls(from, mtls);
      g.edge(node, sid, inA && inB ? `${how} · ${tos}` : inB ? `new caller · ${how} · ${tos}` : `removed caller · ${tos}`, inA && inB ? 'solid' : inB ? 'added' : 'removed');
    }
    const ea = a ? versionEdges(a) : new Map();
    const eb = b ? versionEdges(b) : new Map();
    for (const k of new Set([...ea.keys(), ...eb.keys()])) {
      const x = ea.get(k);
      const y = eb.get(k);
      const target = (y ?? x)!.target;
      const node = versionNode(g, key, target, b ?? a);
      if (x && y) g.edge(sid, node, x.label === y.label ? y.label : `${x.label} → ${y.label.replace(/^.*: /, '')}`, y.mirror ? 'mirror' : 'solid');
      else if (y) g.edge(sid, node, `new · ${y.label}`, 'added');
      else g.edge(sid, node, `removed · was ${x!.label}`, 'removed');
    }
  }
  if (g.edges.length === 0) g.node('none', 'no routed or restricted service');
  return g.text('the change');
}

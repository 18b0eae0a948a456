// One HTTPRoute match as plain data, and the algebra the precedence renderer and the analysis need:
// conjunction (a request matching both), coverage, overlap and Gateway API's precedence order.
// Paths follow Gateway API semantics: PathPrefix compares whole segments ('/api' matches /api and
// /api/x, not /apix); regexes match the whole value (Envoy's safe_regex, RE2).
import { RE2JS } from '@bufbuild/re2';
import { MatchModel, StringMatch, StringMatchKind } from '../../models/routing';

/** A path condition; a match without one has PathPrefix '/' (the CRD's default). @internal */
export interface PathCond {
  readonly type: 'Exact' | 'PathPrefix' | 'RegularExpression';
  /** For PathPrefix: no trailing '/' (except the root '/'). */
  readonly value: string;
}

/** A header or query-parameter condition. @internal */
export interface ValueCond {
  readonly type: 'Exact' | 'RegularExpression';
  readonly value: string;
}

/** Every condition of one HTTPRoute match (ANDed). Header names lower-case; entries sorted by name. @internal */
export interface Cond {
  readonly path: PathCond;
  readonly method?: string;
  readonly headers: ReadonlyArray<readonly [string, ValueCond]>;
  readonly queryParams: ReadonlyArray<readonly [string, ValueCond]>;
}

/** A conjunction Gateway API can't write as one match (two different regexes on one value). @internal */
export interface Inexpressible {
  readonly inexpressible: string;
}

/** The root prefix: every request. @internal */
export const ROOT: PathCond = { type: 'PathPrefix', value: '/' };

/** The catch-all match (what the CRD defaults an omitted `matches` to). @internal */
export const CATCH_ALL: Cond = { path: ROOT, headers: [], queryParams: [] };

const byName = (a: readonly [string, unknown], b: readonly [string, unknown]): number => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);

/** The model match as Gateway API conditions (prefix header matches must have been refused first). @internal */
export function condOf(m: MatchModel): Cond {
  const value = (s: StringMatch): ValueCond => ({ type: s.kind === StringMatchKind.REGEX ? 'RegularExpression' : 'Exact', value: s.value });
  return {
    path: m.uri ? pathOf(m.uri) : ROOT,
    method: m.method,
    headers: m.headers.map(([n, s]) => [n, value(s)] as const).sort(byName),
    queryParams: m.queryParams.map(([n, s]) => [n, value(s)] as const).sort(byName),
  };
}

function pathOf(uri: StringMatch): PathCond {
  if (uri.kind === StringMatchKind.EXACT) return { type: 'Exact', value: uri.value };
  if (uri.kind === StringMatchKind.REGEX) return { type: 'RegularExpression', value: uri.value };
  return { type: 'PathPrefix', value: uri.value === '/' ? '/' : uri.value.replace(/\/$/, '') };
}

const compiled = new Map<string, RE2JS | null>();
/** Whether `value` matches the whole regex; undefined when the pattern is not RE2 (reported by the analysis). @internal */
export function fullMatch(pattern: string, value: string): boolean | undefined {
  if (!compiled.has(pattern)) {
    try {
      compiled.set(pattern, RE2JS.compile(pattern));
    } catch {
      compiled.set(pattern, null);
    }
  }
  return compiled.get(pattern)?.matches(value) ?? undefined;
}

/** Gateway API PathPrefix semantics: element-wise, the root matches everything. @internal */
export function prefixMatches(prefix: string, path: string): boolean {
  return prefix === '/' || path === prefix || path.startsWith(`${prefix}/`);
}

type Conj<T> = T | 'disjoint' | Inexpressible;

function conjValue(name: string, a: ValueCond, b: ValueCond): Conj<ValueCond> {
  if (a.type === b.type && a.value === b.value) return a;
  if (a.type === 'Exact' && b.type === 'Exact') return 'disjoint';
  const [exact, regex] = a.type === 'Exact' ? [a, b] : b.type === 'Exact' ? [b, a] : [undefined, undefined];
  if (exact && regex) {
    const m = fullMatch(regex.value, exact.value);
    if (m === true) return exact;
    if (m === false) return 'disjoint';
  }
  return { inexpressible: `${name} would need two regular expressions at once (${show(a)} and ${show(b)})` };
}

function conjPath(a: PathCond, b: PathCond): Conj<PathCond> {
  if (a.type === b.type && a.value === b.value) return a;
  if (a.type === 'PathPrefix' && a.value === '/') return b;
  if (b.type === 'PathPrefix' && b.value === '/') return a;
  const pick = (t: PathCond['type']) => (a.type === t ? a : b.type === t ? b : undefined);
  const exact = pick('Exact');
  const prefix = pick('PathPrefix');
  const regex = pick('RegularExpression');
  if (a.type === 'Exact' && b.type === 'Exact') return 'disjoint';
  if (exact && prefix) return prefixMatches(prefix.value, exact.value) ? exact : 'disjoint';
  if (a.type === 'PathPrefix' && b.type === 'PathPrefix') {
    if (prefixMatches(a.value, b.value)) return b;
    return prefixMatches(b.value, a.value) ? a : 'disjoint';
  }
  if (exact && regex) {
    const m = fullMatch(regex.value, exact.value);
    if (m !== undefined) return m ? exact : 'disjoint';
  }
  return { inexpressible: `the path would need ${show(a)} and ${show(b)} at once` };
}

function conjEntries(what: string, a: Cond['headers'], b: Cond['headers']): Conj<Array<readonly [string, ValueCond]>> {
  const out = new Map<string, ValueCond>(a);
  for (const [name, v] of b) {
    const mine = out.get(name);
    if (!mine) {
      out.set(name, v);
      continue;
    }
    const c = conjValue(`${what} ${name}`, mine, v);
    if (c === 'disjoint' || 'inexpressible' in c) return c;
    out.set(name, c);
  }
  return [...out.entries()].sort(byName);
}

/** The match that holds exactly when both hold; 'disjoint' if no request can match both. @internal */
export function conj(a: Cond, b: Cond): Cond | 'disjoint' | Inexpressible {
  if (a.method && b.method && a.method !== b.method) return 'disjoint';
  const parts = [conjPath(a.path, b.path), conjEntries('header', a.headers, b.headers), conjEntries('query parameter', a.queryParams, b.queryParams)] as const;
  for (const p of parts) if (p === 'disjoint') return p;
  for (const p of parts) if (typeof p === 'object' && 'inexpressible' in p) return p;
  return { path: parts[0] as PathCond, method: a.method ?? b.method, headers: parts[1] as Array<readonly [string, ValueCond]>, queryParams: parts[2] as Array<readonly [string, ValueCond]> };
}

function coversValue(wide: ValueCond, narrow: ValueCond | undefined): boolean {
  if (!narrow) return false;
  if (wide.type === narrow.type && wide.value === narrow.value) return true;
  return wide.type === 'RegularExpression' && narrow.type === 'Exact' && fullMatch(wide.value, narrow.value) === true;
}

function coversPath(wide: PathCond, narrow: PathCond): boolean {
  if (wide.type === narrow.type && wide.value === narrow.value) return true;
  if (wide.type === 'PathPrefix') return narrow.type !== 'RegularExpression' && prefixMatches(wide.value, narrow.value);
  return wide.type === 'RegularExpression' && narrow.type === 'Exact' && fullMatch(wide.value, narrow.value) === true;
}

/** True if every request matching `narrow` matches `wide` (conservative: false when unsure). @internal */
export function covers(wide: Cond, narrow: Cond): boolean {
  const all = (w: Cond['headers'], n: Cond['headers']) => w.every(([name, v]) => coversValue(v, n.find(([m]) => m === name)?.[1]));
  return coversPath(wide.path, narrow.path) && (!wide.method || wide.method === narrow.method)
    && all(wide.headers, narrow.headers) && all(wide.queryParams, narrow.queryParams);
}

/**
 * Gateway API precedence between two matches of one route: 1 if `x` wins, -1 if `y` wins, 0 on a
 * tie (then list order decides), undefined when the spec leaves it to the implementation (a
 * RegularExpression path against any other path: Istio ranks them below every PathPrefix, even '/').
 * Order: Exact path > PathPrefix with more characters > method match > more headers > more query params.
 * @see https://gateway-api.sigs.k8s.io/reference/spec/#gateway.networking.k8s.io/v1.HTTPRouteRule
 * @internal
 */
export function compare(x: Cond, y: Cond): -1 | 0 | 1 | undefined {
  return precedence(x, y)?.order;
}

/** {@link compare} with the criterion that decided, for messages. @internal */
export function precedence(x: Cond, y: Cond): { order: -1 | 0 | 1; why: string } | undefined {
  const sign = (d: number): -1 | 0 | 1 => (d > 0 ? 1 : d < 0 ? -1 : 0);
  const [w, l] = [x, y];
  const say = (d: number, why: (win: Cond, lose: Cond) => string) => ({ order: sign(d), why: d > 0 ? why(w, l) : why(l, w) });
  if (x.path.type === 'RegularExpression' || y.path.type === 'RegularExpression') {
    if (x.path.type !== y.path.type || x.path.value !== y.path.value) return undefined;
  } else if (x.path.type !== y.path.type) {
    return say(x.path.type === 'Exact' ? 1 : -1, () => 'an Exact path outranks a PathPrefix');
  } else if (x.path.type === 'PathPrefix' && x.path.value.length !== y.path.value.length) {
    return say(x.path.value.length - y.path.value.length, (a, b) => `the longer PathPrefix '${a.path.value}' outranks '${b.path.value}'`);
  }
  if (!!x.method !== !!y.method) return say(x.method ? 1 : -1, (a) => `a method match (${a.method}) outranks none`);
  if (x.headers.length !== y.headers.length) {
    return say(x.headers.length - y.headers.length, (a, b) => `more header matches (${a.headers.length} > ${b.headers.length}) outrank fewer`);
  }
  if (x.queryParams.length !== y.queryParams.length) {
    return say(x.queryParams.length - y.queryParams.length, (a, b) => `more query-parameter matches (${a.queryParams.length} > ${b.queryParams.length}) outrank fewer`);
  }
  return { order: 0, why: 'a tie, decided by rule order' };
}

/** One condition as a reader would write it: `PathPrefix '/api'`. */
function show(c: PathCond | ValueCond): string {
  return `${c.type} '${c.value}'`;
}

/** A match for messages: `path PathPrefix '/api' and header x-canary Exact 'yes'`. @internal */
export function describeCond(c: Cond): string {
  const parts = [
    ...(c.path.type === 'PathPrefix' && c.path.value === '/' ? [] : [`path ${show(c.path)}`]),
    ...(c.method ? [`method ${c.method}`] : []),
    ...c.headers.map(([n, v]) => `header ${n} ${show(v)}`),
    ...c.queryParams.map(([n, v]) => `query ${n} ${show(v)}`),
  ];
  return parts.length ? parts.join(' and ') : 'every request';
}

/** A canonical string: equal keys ⇔ equal conditions. @internal */
export function condKey(c: Cond): string {
  return JSON.stringify([c.path, c.method ?? null, c.headers, c.queryParams]);
}

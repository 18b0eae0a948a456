// Request conditions, as both Istio and Gateway API express them, and how a request meets them.
import { RE2JS } from '@bufbuild/re2';

/**
 * One string condition. `prefix` is a plain string prefix (Istio); `pathPrefix` is Gateway API's
 * element-wise path prefix (`/api` matches `/api` and `/api/x`, not `/apix`). Regexes are RE2,
 * matched against the whole value (as Envoy does).
 */
export interface StrMatch {
  readonly kind: 'exact' | 'prefix' | 'pathPrefix' | 'regex' | 'present';
  readonly value: string;
  /** true for Istio `withoutHeaders`: the request must NOT meet the condition. */
  readonly invert?: boolean;
}

/** One named condition (header or query parameter). Header names are lower-case. */
export interface NamedMatch {
  readonly name: string;
  readonly match: StrMatch;
}

/** Conditions that are ANDed; a rule's several `RequestMatch`es are ORed. */
export interface RequestMatch {
  readonly path?: StrMatch;
  readonly method?: StrMatch;
  readonly headers: readonly NamedMatch[];
  readonly query: readonly NamedMatch[];
  readonly port?: number;
  readonly sourceNamespace?: string;
}

/** A request to route: what a caller sends. Header names are case-insensitive. */
export interface SampleRequest {
  /** Short name (`myservice`), `name.namespace`, or FQDN `name.namespace.svc.cluster.local`. */
  readonly host: string;
  /** The caller's namespace: resolves a short `host`. @default the namespace of the first service found with that name */
  readonly namespace?: string;
  /** @default "GET" */
  readonly method?: string;
  /** Path, optionally with `?query`. @default "/" */
  readonly path?: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly query?: Readonly<Record<string, string>>;
  /** Sent as one `cookie` header (`a=1; b=2`), which is what cookie matches read. */
  readonly cookies?: Readonly<Record<string, string>>;
  readonly port?: number;
}

const regexCache = new Map<string, RE2JS | null>();
function re2(pattern: string): RE2JS | null {
  if (!regexCache.has(pattern)) {
    let compiled: RE2JS | null = null;
    try {
      compiled = RE2JS.compile(pattern);
    } catch {
      compiled = null; // an invalid regex matches nothing (Envoy rejects the route)
    }
    regexCache.set(pattern, compiled);
  }
  return regexCache.get(pattern)!;
}

/** Does `value` (undefined: absent) meet `m`? */
export function strMatches(m: StrMatch, value: string | undefined): boolean {
  const hit = ((): boolean => {
    if (value === undefined) return false;
    switch (m.kind) {
      case 'exact': return value === m.value;
      case 'prefix': return value.startsWith(m.value);
      case 'pathPrefix': {
        const p = m.value.length > 1 ? m.value.replace(/\/+$/, '') : m.value;
        return p === '/' || value === p || value.startsWith(p + '/');
      }
      case 'regex': return re2(m.value)?.matches(value) ?? false;
      case 'present': return true;
    }
  })();
  return m.invert ? !hit : hit;
}

interface NormalRequest {
  method: string;
  path: string;
  headers: Map<string, string>;
  query: Map<string, string>;
  port?: number;
  sourceNamespace?: string;
}

/** Lower-cases header names, splits `?query` off the path and turns cookies into a `cookie` header. */
export function normalizeRequest(r: SampleRequest, sourceNamespace?: string): NormalRequest {
  const [rawPath, rawQuery] = (r.path ?? '/').split('?', 2);
  const headers = new Map<string, string>();
  for (const [k, v] of Object.entries(r.headers ?? {})) headers.set(k.toLowerCase(), v);
  const cookies = Object.entries(r.cookies ?? {});
  if (cookies.length > 0) headers.set('cookie', cookies.map(([k, v]) => `${k}=${v}`).join('; '));
  const query = new Map<string, string>(new URLSearchParams(rawQuery ?? '').entries());
  for (const [k, v] of Object.entries(r.query ?? {})) query.set(k, v);
  return { method: (r.method ?? 'GET').toUpperCase(), path: rawPath || '/', headers, query, port: r.port, sourceNamespace };
}

/** Does the request meet every condition of `m`? */
export function requestMatches(m: RequestMatch, r: NormalRequest): boolean {
  if (m.path && !strMatches(m.path, r.path)) return false;
  if (m.method && !strMatches(m.method, r.method)) return false;
  if (m.port !== undefined && r.port !== undefined && m.port !== r.port) return false;
  if (m.sourceNamespace !== undefined && m.sourceNamespace !== r.sourceNamespace) return false;
  if (!m.headers.every((h) => strMatches(h.match, r.headers.get(h.name)))) return false;
  return m.query.every((q) => strMatches(q.match, r.query.get(q.name)));
}

/** True when a match has no condition at all (it takes every request). */
export function isCatchAll(m: RequestMatch): boolean {
  const rootPrefix = m.path && (m.path.kind === 'prefix' || m.path.kind === 'pathPrefix') && m.path.value === '/';
  return (!m.path || !!rootPrefix) && !m.method && m.headers.length === 0 && m.query.length === 0 && m.port === undefined && m.sourceNamespace === undefined;
}

function describeStr(m: StrMatch): string {
  const op = m.kind === 'exact' ? '=' : m.kind === 'regex' ? '~' : m.kind === 'present' ? '' : ' prefix ';
  const text = m.kind === 'present' ? 'present' : `${op}${m.value}`;
  return m.invert ? `not(${text})` : text;
}

/** A match in words: `header version=v2 and path prefix /api`; `any request` for a catch-all. */
export function describeMatch(m: RequestMatch): string {
  if (isCatchAll(m)) return 'any request';
  const parts: string[] = [];
  if (m.method) parts.push(`method${describeStr(m.method)}`);
  if (m.path && !isRootPrefix(m.path)) parts.push(`path${describeStr(m.path)}`);
  for (const h of m.headers) parts.push(h.name === 'cookie' ? `cookie ${describeStr(h.match).trim()}` : `header ${h.name}${describeStr(h.match)}`);
  for (const q of m.query) parts.push(`query ${q.name}${describeStr(q.match)}`);
  if (m.port !== undefined) parts.push(`port ${m.port}`);
  if (m.sourceNamespace !== undefined) parts.push(`from namespace ${m.sourceNamespace}`);
  return parts.join(' and ');
}

function isRootPrefix(m: StrMatch): boolean {
  return (m.kind === 'prefix' || m.kind === 'pathPrefix') && m.value === '/';
}

// A Gateway API HTTPRoute matcher written for the tests from the spec, independent of the renderer:
// https://gateway-api.sigs.k8s.io/reference/spec/#gateway.networking.k8s.io/v1.HTTPRouteRule
//
//   "Across all rules specified on applicable Routes, precedence must be given to the match having:
//    'Exact' path match; 'Prefix' path match with largest number of characters; Method match;
//    Largest number of header matches; Largest number of query param matches. [...] If ties still
//    exist within an HTTPRoute, matching precedence MUST be granted to the FIRST matching rule (in
//    list order) with a match meeting the above criteria."
//   "The precedence of RegularExpression path matches are implementation-specific."
//
// PathPrefix: "Matches based on a URL path prefix split by `/`. [...] done on a path element by
// element basis [...] a trailing `/` is ignored: /abc, /abc/ and /abc/def match /abc, /abcd does not."
import { RE2JS } from '@bufbuild/re2';
import { HttpRouteSpec } from '../../../imports/gateway.networking.k8s.io';

/** One request, as the matcher sees it (header names lower-case). */
export interface TestRequest {
  readonly path: string;
  readonly method: string;
  readonly headers: { readonly [name: string]: string };
  readonly query: { readonly [name: string]: string };
}

/**
 * Where the implementation ranks a RegularExpression path: 'below-prefix' is Istio's choice (below
 * every PathPrefix, even '/'; longer regexes first), 'above-prefix' between Exact and PathPrefix,
 * 'above-exact' above everything. A renderer that is right must not depend on the choice.
 */
export type RegexRank = 'below-prefix' | 'above-prefix' | 'above-exact';

const regexes = new Map<string, RE2JS>();
const full = (pattern: string, value: string) => {
  if (!regexes.has(pattern)) regexes.set(pattern, RE2JS.compile(pattern));
  return regexes.get(pattern)!.matches(value);
};

function pathMatches(type: string, value: string, path: string): boolean {
  if (type === 'Exact') return path === value;
  if (type === 'RegularExpression') return full(value, path);
  const prefix = value.length > 1 ? value.replace(/\/$/, '') : value;
  return prefix === '/' || path === prefix || path.startsWith(`${prefix}/`);
}

function matchHolds(m: any, r: TestRequest): boolean {
  const path = m.path ?? { type: 'PathPrefix', value: '/' };
  if (!pathMatches(path.type ?? 'PathPrefix', path.value ?? '/', r.path)) return false;
  if (m.method && m.method !== r.method) return false;
  const values = (conds: any[] | undefined, actual: { readonly [k: string]: string }, caseless: boolean) => (conds ?? []).every((c) => {
    const v = actual[caseless ? c.name.toLowerCase() : c.name];
    if (v === undefined) return false;
    return (c.type ?? 'Exact') === 'Exact' ? v === c.value : full(c.value, v);
  });
  return values(m.headers, r.headers, true) && values(m.queryParams, r.query, false);
}

/** The precedence key of a match: compared element by element, larger wins. */
function key(m: any, regexRank: RegexRank): number[] {
  const path = m.path ?? { type: 'PathPrefix', value: '/' };
  const type = path.type ?? 'PathPrefix';
  const regexClass = { 'below-prefix': 0, 'above-prefix': 2, 'above-exact': 4 }[regexRank];
  const cls = type === 'Exact' ? 3 : type === 'PathPrefix' ? 1 : regexClass;
  const len = type === 'Exact' ? 0 : (path.value as string).length;
  return [cls, len, m.method ? 1 : 0, (m.headers ?? []).length, (m.queryParams ?? []).length];
}

/** Index of the rule the request goes to, or undefined when no match holds (404). */
export function gatewayWinner(spec: HttpRouteSpec, r: TestRequest, regexRank: RegexRank): number | undefined {
  let best: { rule: number; key: number[] } | undefined;
  (spec.rules ?? []).forEach((rule, i) => {
    const matches = rule.matches ?? [{ path: { type: 'PathPrefix', value: '/' } }];
    for (const m of matches) {
      if (!matchHolds(m, r)) continue;
      const k = key(m, regexRank);
      // Strictly greater only: ties go to the first in list order.
      if (!best || greater(k, best.key)) best = { rule: i, key: k };
    }
  });
  return best?.rule;
}

function greater(a: number[], b: number[]): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] > b[i];
  return false;
}

// What a Gateway API data plane can't express: refused at synth with the prop, the backend and the
// alternative — never silently dropped or approximated.
import { propError } from '../../errors';
import { quoteMeta, RuleModel, StringMatch, StringMatchKind } from '../../models/routing';
import { GatewayApiDialect, RouteRef } from './dialect';

// The CRD's patterns (gateway-api v1.5.1 httproutes.gateway.networking.k8s.io).
const HEADER_VALUE = /^[!-~]+([\t ]?[!-~]+)*$/;
const TOKEN = /^[A-Za-z0-9!#$%&'*+\-.^_`|~]+$/;
const PATH_CHARS = /^(?:[-A-Za-z0-9/._~!$&'()*+,;=:@]|[%][0-9a-fA-F]{2})+$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LIMITS = { headers: 16, queryParams: 16, matches: 64, backendRefs: 16 } as const;

/**
 * Retry conditions that stand for HTTP status codes, expanded as Istio's Gateway API translation
 * requires (`rules[].retry.codes` lists codes; there is no `5xx` class). Envoy's `5xx` also
 * retries a reset without a response; with `retry` set Istio adds connect-failure and
 * refused-stream on its own, but not `reset`.
 * @see https://www.envoyproxy.io/docs/envoy/latest/configuration/http/http_filters/router_filter#x-envoy-retry-on
 * @internal
 */
export const RETRY_CODE_CLASSES: { readonly [retryOn: string]: readonly number[] } = {
  '5xx': Array.from({ length: 100 }, (_, i) => 500 + i),
  'gateway-error': [502, 503, 504],
  'retriable-4xx': [409],
};

/**
 * Throws a propError naming the prop, `dialect.backend` and the alternative for anything `rule`
 * holds that the dialect can't express: fault injection; a header prefix match (suggests
 * `StringMatch.regex('^v.*')`); values the CRD rejects (empty, non-ASCII, unsafe paths); a path
 * prefix ending in '/' (Gateway API matches whole segments, so it would also match the bare path);
 * a mirror where the data plane drops mirrored routes (Linkerd); retry conditions with no
 * equivalent; rule names that aren't DNS subdomains; more matches, headers or destinations than
 * the CRD allows.
 * @see https://gateway-api.sigs.k8s.io/reference/spec/#gateway.networking.k8s.io/v1.HTTPRouteRule
 */
export function requireExpressible(ref: RouteRef, rule: RuleModel, dialect: GatewayApiDialect): void {
  const fail = (prop: string, value: unknown, problem: string, fix: string): never => {
    throw propError(ref.construct, ref.path, prop, value, `${dialect.backend} cannot express: ${problem}`, fix);
  };
  if (rule.fault) {
    fail(`${rule.prop}.fault`, rule.fault, 'Gateway API HTTPRoute has no fault injection',
      'inject faults with the Istio sidecar backend routing with VirtualService, or in the application or a test proxy; remove `fault` from this rule');
  }
  if (rule.mirror && !dialect.mirror) {
    fail(`${rule.mirror.prop}`, { version: rule.mirror.version, percentage: rule.mirror.percentage },
      `${dialect.backend} drops a whole HTTPRoute that has a RequestMirror filter (only a controller log line says so)`,
      'remove the mirror, or mirror with a backend that honours RequestMirror (Istio sidecar or ambient)');
  }
  // Gateway API durations (GEP-2257) have at most 5 digits per unit: 99999h is the longest.
  const MAX_MS = 99999 * 3600 * 1000;
  for (const [prop, ms] of [[`${rule.prop}.timeout`, rule.timeoutMs], [`${rule.prop}.retries.perTryTimeout`, rule.retries?.perTryTimeoutMs]] as const) {
    if (ms !== undefined && ms > MAX_MS) {
      fail(prop, `${ms}ms`, 'Gateway API durations are at most 99999h (GEP-2257)', 'use a timeout under 99999h (about 11 years), or none');
    }
  }
  if (rule.matches.length > LIMITS.matches) {
    fail(`${rule.prop}.matches`, `${rule.matches.length} matches`, `an HTTPRoute rule holds at most ${LIMITS.matches} matches`, 'split the rule in two');
  }
  if (rule.destinations.length > LIMITS.backendRefs) {
    fail(`${rule.prop}.destinations`, `${rule.destinations.length} destinations`, `an HTTPRoute rule holds at most ${LIMITS.backendRefs} backendRefs`, 'route to fewer versions');
  }
  for (const m of rule.matches) {
    if (m.headers.length > LIMITS.headers) fail(`${m.prop}.headers`, `${m.headers.length} headers`, `a match holds at most ${LIMITS.headers} header conditions`, 'match on fewer headers');
    if (m.queryParams.length > LIMITS.queryParams) fail(`${m.prop}.queryParams`, `${m.queryParams.length} parameters`, `a match holds at most ${LIMITS.queryParams} query conditions`, 'match on fewer parameters');
    for (const [name, sm] of m.headers) {
      const prop = name === 'cookie' ? `${m.prop}.cookie` : `${m.prop}.headers[${JSON.stringify(name)}]`;
      if (sm.kind === StringMatchKind.PREFIX) {
        fail(prop, sm.toString(), 'Gateway API header matches are Exact or RegularExpression only (no prefix)',
          `use StringMatch.regex(${JSON.stringify(`^${quoteMeta(sm.value)}.*`)})`);
      }
      requireValue(fail, prop, sm, 4096, (v) => HEADER_VALUE.test(v), 'printable ASCII without leading, trailing or doubled spaces');
    }
    for (const [name, sm] of m.queryParams) {
      const prop = `${m.prop}.queryParams[${JSON.stringify(name)}]`;
      if (!TOKEN.test(name) || name.length > 256) fail(prop, name, 'Gateway API query parameter names are HTTP tokens of at most 256 characters', 'use letters, digits and -._~ in the name');
      requireValue(fail, prop, sm, 1024, () => true, '');
    }
    if (m.uri) requirePath(fail, `${m.prop}.uri`, m.uri);
  }
  if (rule.retries && dialect.retries === 'field') retryCodes(ref, rule, dialect);
  if (rule.name !== undefined && dialect.ruleNames && (rule.name.length > 253 || !DNS1123_SUBDOMAIN.test(rule.name))) {
    fail(`${rule.prop}.name`, rule.name, 'HTTPRoute rule names are DNS subdomains (lower-case letters, digits, \'-\' and \'.\', at most 253 characters)',
      `rename the rule, e.g. ${JSON.stringify(rule.name.toLowerCase().replace(/[^a-z0-9.-]+/g, '-').replace(/^[-.]+|[-.]+$/g, '') || 'canary')}`);
  }
}

type Fail = (prop: string, value: unknown, problem: string, fix: string) => never;

function requireValue(fail: Fail, prop: string, sm: StringMatch, max: number, ok: (v: string) => boolean, rule: string): void {
  if (sm.value === '') {
    fail(prop, sm.toString(), 'Gateway API match values can\'t be empty', 'use StringMatch.regex("^$") for an empty value');
  }
  if (sm.value.length > max) fail(prop, `${sm.value.length} characters`, `Gateway API allows at most ${max} characters here`, 'use a shorter value or pattern');
  if (!ok(sm.value)) {
    fail(prop, sm.toString(), `Gateway API values here must be ${rule}`,
      sm.kind === StringMatchKind.EXACT ? 'match with StringMatch.regex() and write spaces or other characters as escapes (e.g. \\x20)' : 'write spaces and other characters as escapes (e.g. \\x20, \\s)');
  }
}

function requirePath(fail: Fail, prop: string, uri: StringMatch): void {
  if (uri.value.length > 1024) fail(prop, `${uri.value.length} characters`, 'Gateway API paths are at most 1024 characters', 'use a shorter path');
  if (uri.kind === StringMatchKind.REGEX) return;
  if (uri.kind === StringMatchKind.PREFIX && uri.value !== '/' && uri.value.endsWith('/')) {
    const bare = uri.value.replace(/\/+$/, '');
    fail(prop, uri.toString(), `a Gateway API PathPrefix compares whole path segments and ignores a trailing '/', so it would also match "${bare}" itself`,
      `use StringMatch.prefix(${JSON.stringify(bare)}) if "${bare}" should match too, or StringMatch.regex(${JSON.stringify(`${quoteMeta(uri.value)}.*`)}) if not`);
  }
  const bad = ['//', '/./', '/../', '%2f', '%2F', '#'].find((s) => uri.value.includes(s))
    ?? ['/..', '/.'].find((s) => uri.value.endsWith(s));
  if (bad || !PATH_CHARS.test(uri.value)) {
    fail(prop, uri.toString(), `Gateway API rejects Exact and PathPrefix paths ${bad ? `containing or ending with '${bad}'` : 'with characters outside RFC 3986 path characters'}`,
      'normalize the path (no empty, "." or ".." segments, percent-encode other characters), or match it with StringMatch.regex()');
  }
}

/**
 * The explicit status codes of `rule.retries` for `rules[].retry.codes` (sorted, de-duplicated):
 * classes expanded (RETRY_CODE_CLASSES), `RetryOn.httpStatus(n)` as n. Conditions the dialect
 * retries on anyway (`implicitRetryOn`) and `retriable-status-codes` add no code; any other
 * condition (reset, the gRPC deadline-exceeded / internal / resource-exhausted, a code below
 * 400) has no HTTPRoute equivalent and is refused.
 * @internal
 */
export function retryCodes(ref: RouteRef, rule: RuleModel, dialect: GatewayApiDialect): number[] {
  const codes = new Set<number>();
  (rule.retries?.retryOn ?? []).forEach((on, i) => {
    const prop = `${rule.prop}.retries.retryOn[${i}]`;
    const implicit = `${dialect.backend} retries only on status codes plus ${dialect.implicitRetryOn.join(', ') || 'nothing else'} when an HTTPRoute rule sets \`retry\``;
    if (/^[0-9]+$/.test(on)) {
      const n = Number(on);
      if (n < 400 || n > 599) {
        throw propError(ref.construct, ref.path, prop, `RetryOn.httpStatus(${n})`, `${dialect.backend} cannot express: HTTPRoute retry codes are 400–599`, 'retry on a 4xx or 5xx status');
      }
      codes.add(n);
    } else if (RETRY_CODE_CLASSES[on]) {
      RETRY_CODE_CLASSES[on].forEach((c) => codes.add(c));
    } else if (on !== 'retriable-status-codes' && !dialect.implicitRetryOn.includes(on)) {
      const grpc = ['deadline-exceeded', 'internal', 'resource-exhausted'].includes(on);
      throw propError(ref.construct, ref.path, prop, on, `${dialect.backend} cannot express: ${implicit}, and "${on}" ${grpc ? 'is a gRPC status carried in trailers, not an HTTP status code' : 'is not a status code'}`,
        `drop it${dialect.implicitRetryOn.length ? ` (${dialect.implicitRetryOn.join(', ')} are retried anyway)` : ''}, retry on status codes (RetryOn.GATEWAY_ERROR, RetryOn.httpStatus(503)), or route with VirtualService`);
    }
  });
  return [...codes].sort((a, b) => a - b);
}

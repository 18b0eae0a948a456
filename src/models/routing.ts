// The routing model: what a TrafficSplit means, as plain data. No cdk8s, constructs or imports/
// here — renderers (routing/istio.ts today, a Gateway API HTTPRoute later) and the analysis
// (analysis/routing.ts) all read this same model, so nothing is derived twice.
import { propError } from '../errors';
import { PropRef } from '../names';
import type { EdgeModel } from './ingress';

/** How a StringMatch compares. */
export enum StringMatchKind {
  /** The whole value equals the string. */
  EXACT = 'exact',
  /** The value starts with the string. */
  PREFIX = 'prefix',
  /** The whole value matches an RE2 regular expression. */
  REGEX = 'regex',
}

/**
 * A condition on one string of a request (a header, the URI path, a query parameter).
 * @see https://istio.io/latest/docs/reference/config/networking/virtual-service/#StringMatch
 */
export class StringMatch {
  /** The value must equal `value`. */
  public static exact(value: string): StringMatch {
    return new StringMatch(StringMatchKind.EXACT, value);
  }

  /** The value must start with `value`. */
  public static prefix(value: string): StringMatch {
    return new StringMatch(StringMatchKind.PREFIX, value);
  }

  /**
   * The whole value must match `pattern`, an RE2 regular expression (no lookaround, no
   * backreferences: Envoy uses RE2; other syntax is reported as IST0122 at synth).
   * @see https://github.com/google/re2/wiki/Syntax
   */
  public static regex(pattern: string): StringMatch {
    return new StringMatch(StringMatchKind.REGEX, pattern);
  }

  private constructor(
    /** How the value is compared. */
    public readonly kind: StringMatchKind,
    /** The string (or pattern) compared with. */
    public readonly value: string,
  ) {}

  /** As written in code: `StringMatch.exact("v2")`. */
  public toString(): string {
    return `StringMatch.${this.kind}(${JSON.stringify(this.value)})`;
  }
}

/** An HTTP request method. */
export enum HttpMethod {
  GET = 'GET',
  HEAD = 'HEAD',
  POST = 'POST',
  PUT = 'PUT',
  DELETE = 'DELETE',
  CONNECT = 'CONNECT',
  OPTIONS = 'OPTIONS',
  TRACE = 'TRACE',
  PATCH = 'PATCH',
}

/** A cookie a request must carry (the A/B-by-cookie pattern of Flagger and Argo Rollouts). */
export interface CookieMatch {
  /** Cookie name, e.g. `canary`. */
  readonly name: string;
  /** Exact cookie value, e.g. `always`. */
  readonly value: string;
}

/**
 * One way a request can match a rule. All conditions given here must hold (AND); a rule's several
 * matches are alternatives (OR). Give at least one condition.
 * @see https://istio.io/latest/docs/reference/config/networking/virtual-service/#HTTPMatchRequest
 */
export interface HttpMatch {
  /**
   * Conditions on request headers, by header name (lower-cased when rendered: HTTP/2 and Envoy
   * compare lower-case names).
   * @default - no header condition
   */
  readonly headers?: { readonly [name: string]: StringMatch };
  /**
   * Condition on the URI path (exact and prefix values start with '/').
   * @default - any path
   */
  readonly uri?: StringMatch;
  /**
   * The request method.
   * @default - any method
   */
  readonly method?: HttpMethod;
  /**
   * Conditions on query parameters, by parameter name (exact or regex: Istio does not support prefix here).
   * @default - no query parameter condition
   */
  readonly queryParams?: { readonly [name: string]: StringMatch };
  /**
   * A cookie the request must carry: rendered as a regex on the `cookie` header that finds
   * `<name>=<value>` anywhere in it, e.g. `^(.*?;\s*)?(canary=always)(;.*)?$`.
   * @default - no cookie condition
   */
  readonly cookie?: CookieMatch;
}

/**
 * When Envoy retries a request (Envoy's `x-envoy-retry-on` / `x-envoy-retry-grpc-on` policies).
 * @see https://www.envoyproxy.io/docs/envoy/latest/configuration/http/http_filters/router_filter#x-envoy-retry-on
 */
export class RetryOn {
  /** Any 5xx response, or a connect failure / reset / refused stream. */
  public static readonly FIVE_XX = new RetryOn('5xx');
  /** 502, 503 or 504. */
  public static readonly GATEWAY_ERROR = new RetryOn('gateway-error');
  /** No response at all (disconnect, reset, read timeout). */
  public static readonly RESET = new RetryOn('reset');
  /** Connection failure to the upstream (connect timeout etc.). */
  public static readonly CONNECT_FAILURE = new RetryOn('connect-failure');
  /** The upstream reset the stream with REFUSED_STREAM. */
  public static readonly REFUSED_STREAM = new RetryOn('refused-stream');
  /** 409 Conflict. */
  public static readonly RETRIABLE_4XX = new RetryOn('retriable-4xx');
  /** The status codes listed with `RetryOn.httpStatus()`. */
  public static readonly RETRIABLE_STATUS_CODES = new RetryOn('retriable-status-codes');
  /** gRPC status CANCELLED. */
  public static readonly CANCELLED = new RetryOn('cancelled');
  /** gRPC status DEADLINE_EXCEEDED. */
  public static readonly DEADLINE_EXCEEDED = new RetryOn('deadline-exceeded');
  /** gRPC status INTERNAL. */
  public static readonly INTERNAL = new RetryOn('internal');
  /** gRPC status RESOURCE_EXHAUSTED. */
  public static readonly RESOURCE_EXHAUSTED = new RetryOn('resource-exhausted');
  /** gRPC status UNAVAILABLE. */
  public static readonly UNAVAILABLE = new RetryOn('unavailable');

  /** Retry on one HTTP status code (Istio adds it to Envoy's retriable status codes). */
  public static httpStatus(code: number): RetryOn {
    return new RetryOn(String(code), code);
  }

  private constructor(
    /** The policy as Istio's `retryOn` spells it. */
    public readonly value: string,
    /** The status code, for `RetryOn.httpStatus()`. @internal */
    public readonly _status?: number,
  ) {}
}

// ---- the model itself (normalized, validated; what renderers and the analysis read) ----

/** One match: every condition ANDed. Header names lower-cased; the cookie folded into `cookie`. @internal */
export interface MatchModel {
  readonly headers: ReadonlyArray<readonly [string, StringMatch]>;
  readonly uri?: StringMatch;
  readonly method?: HttpMethod;
  readonly queryParams: ReadonlyArray<readonly [string, StringMatch]>;
  /** Where it came from, for messages: `rules[0].matches[1]`. */
  readonly prop: string;
}

/** A destination: a version (a DestinationRule subset) and its integer weight. @internal */
export interface DestinationModel {
  readonly version: string;
  /** 0–100, the route's weights summing to 100; absent when the route has one destination. */
  readonly weight?: number;
  readonly prop: string;
}

/** @internal */
export interface RetryModel {
  readonly attempts: number;
  readonly perTryTimeoutMs?: number;
  readonly retryOn: readonly string[];
}

/** @internal */
export interface FaultModel {
  readonly delay?: { readonly fixedMs: number; readonly percentage: number };
  readonly abort?: { readonly httpStatus: number; readonly percentage: number };
}

/** @internal */
export interface MirrorModel {
  readonly version: string;
  readonly percentage: number;
  readonly prop: string;
}

/** One rule: if any match holds (OR; none = catch-all), route to the destinations with these policies. @internal */
export interface RuleModel {
  readonly name?: string;
  readonly matches: readonly MatchModel[];
  readonly destinations: readonly DestinationModel[];
  readonly timeoutMs?: number;
  readonly retries?: RetryModel;
  readonly fault?: FaultModel;
  readonly mirror?: MirrorModel;
  /** Where it came from, for messages: `rules[2]`, `addRule(rule)`, `defaultRoute`. */
  readonly prop: string;
}

/** Everything one TrafficSplit routes: the service's host and its ordered rules. @internal */
export interface RoutingModel {
  /** The Service routed to (its DestinationRule declares one subset per version). */
  readonly serviceName: string;
  /** Namespace of the Service. */
  readonly serviceNamespace?: string;
  /** Namespace the routing object lives in. */
  readonly namespace?: string;
  /**
   * The Service port routed, when the Service has several (a VirtualService destination must then
   * name it: IST0112); undefined for a single-port Service.
   */
  readonly port?: number;
  /** True when the routed port is opaque TCP: only the destinations of a catch-all rule apply (a service's default route). */
  readonly tcp?: boolean;
  /** Rules in evaluation order; the first that matches wins. */
  readonly rules: readonly RuleModel[];
  /** Ingress gateways the rules also apply to, with their external hosts (MeshIngress). @default none */
  readonly edges?: readonly EdgeModel[];
}

// ---- normalization of what users wrote (plain data in, model out; bad input throws) ----

// RFC 7230 token characters (header names); lower-case only, since names are lower-cased first.
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9a-z]+$/;
// RFC 6265 cookie-name (a token) and cookie-value (cookie-octets).
const COOKIE_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const COOKIE_VALUE = /^[\x21\x23-\x2B\x2D-\x3A\x3C-\x5B\x5D-\x7E]+$/;

/** Turns one user match into the model, checking every condition. @internal */
export function normalizeMatch(ref: PropRef, match: HttpMatch): MatchModel {
  const fail = (prop: string, value: unknown, problem: string, fix: string): Error =>
    propError(ref.construct, ref.path, prop, value, problem, fix);
  if (match === null || typeof match !== 'object') {
    throw fail(ref.prop, match, 'is not a match', 'give an object such as { headers: { version: StringMatch.exact(\'v2\') } }');
  }
  const headers = new Map<string, StringMatch>();
  const written = new Map<string, string>();
  for (const [name, m] of Object.entries(match.headers ?? {})) {
    const lower = name.toLowerCase();
    const prop = `${ref.prop}.headers[${JSON.stringify(name)}]`;
    if (!HEADER_NAME.test(lower)) {
      throw fail(`${ref.prop}.headers`, name, name === '' ? 'is an empty header name' : 'is not a valid HTTP header name',
        'use a header name of letters, digits and \'-\' (e.g. "x-user-group")');
    }
    if (lower === 'host') {
      // Envoy keeps Host as the :authority pseudo-header: a `host` header matcher never matches
      // (istio/istio#23083), under VirtualService and HTTPRoute alike.
      throw fail(`${ref.prop}.headers`, name, 'is the Host header, which Envoy and HTTP/2 carry as :authority: a header match on it never matches',
        'route by host with the service itself (in-mesh callers name it) or a MeshIngress host, not a header match');
    }
    if (headers.has(lower)) {
      throw fail(`${ref.prop}.headers`, name, `is the same header as ${JSON.stringify(written.get(lower))} (names are case-insensitive)`,
        'give each header once');
    }
    written.set(lower, name);
    headers.set(lower, requireStringMatch(ref, prop, m, { allowEmptyExact: true, allowPrefix: true }));
  }
  if (match.cookie !== undefined) {
    const prop = `${ref.prop}.cookie`;
    const { name, value } = match.cookie ?? ({} as CookieMatch);
    if (typeof name !== 'string' || !COOKIE_NAME.test(name)) {
      throw fail(`${prop}.name`, name, 'is not a cookie name', 'use letters, digits and \'-\' / \'_\' (e.g. "canary")');
    }
    if (typeof value !== 'string' || !COOKIE_VALUE.test(value)) {
      throw fail(`${prop}.value`, value, 'is not a cookie value', 'use a non-empty value without spaces, quotes, \',\', \';\' or \'\\\' (e.g. "always")');
    }
    if (headers.has('cookie')) {
      throw fail(prop, match.cookie, 'conflicts with headers.cookie', 'match the cookie header either with `cookie` or with `headers`, not both');
    }
    headers.set('cookie', StringMatch.regex(cookieRegex(name, value)));
  }
  let uri: StringMatch | undefined;
  if (match.uri !== undefined) {
    uri = requireStringMatch(ref, `${ref.prop}.uri`, match.uri, { allowEmptyExact: false, allowPrefix: true });
    if (uri.kind !== StringMatchKind.REGEX && !uri.value.startsWith('/')) {
      throw fail(`${ref.prop}.uri`, uri.toString(), 'is not an absolute path', 'start the path with \'/\' (e.g. StringMatch.prefix(\'/api\'))');
    }
  }
  if (match.method !== undefined && !Object.values(HttpMethod).includes(match.method)) {
    throw fail(`${ref.prop}.method`, match.method, 'is not an HTTP method', 'use HttpMethod.GET, HttpMethod.POST, …');
  }
  const queryParams: Array<readonly [string, StringMatch]> = [];
  for (const [name, m] of Object.entries(match.queryParams ?? {})) {
    if (name === '') throw fail(`${ref.prop}.queryParams`, name, 'is an empty parameter name', 'name the query parameter (e.g. "beta")');
    queryParams.push([name, requireStringMatch(ref, `${ref.prop}.queryParams[${JSON.stringify(name)}]`, m, { allowEmptyExact: true, allowPrefix: false })]);
  }
  const result: MatchModel = { headers: [...headers.entries()], uri, method: match.method, queryParams, prop: ref.prop };
  if (result.headers.length === 0 && !uri && !match.method && queryParams.length === 0) {
    throw fail(ref.prop, match, 'has no condition, so it matches every request',
      'add a condition (headers, uri, method, queryParams, cookie), or leave `matches` out to make a catch-all rule');
  }
  return result;
}

function requireStringMatch(ref: PropRef, prop: string, m: StringMatch, opts: { allowEmptyExact: boolean; allowPrefix: boolean }): StringMatch {
  const fail = (problem: string, fix: string): Error => propError(ref.construct, ref.path, prop, m instanceof StringMatch ? m.toString() : m, problem, fix);
  if (!(m instanceof StringMatch) || typeof m.value !== 'string') {
    throw fail('is not a StringMatch', 'use StringMatch.exact(\'v2\'), StringMatch.prefix(\'/api\') or StringMatch.regex(\'^v[0-9]+$\')');
  }
  if (m.kind === StringMatchKind.PREFIX && !opts.allowPrefix) {
    throw fail('is a prefix match, which Istio does not support for query parameters', 'use StringMatch.exact() or StringMatch.regex(\'^value.*\')');
  }
  if (m.value === '' && !(m.kind === StringMatchKind.EXACT && opts.allowEmptyExact)) {
    throw fail(`is an empty ${m.kind} match`, m.kind === StringMatchKind.PREFIX
      ? 'an empty prefix matches everything: leave the condition out' : 'give a non-empty value');
  }
  return m;
}

/**
 * The RE2 regex on the `cookie` header that finds the cookie `name=value` among others. It is
 * Flagger's pattern (`^(.*?;)?(canary=always)(;.*)?$`) plus optional whitespace after ';', since
 * browsers separate cookies with "; " (RFC 6265 §4.2.1) and Flagger's pattern then only matches
 * a cookie sent first.
 * @internal
 */
export function cookieRegex(name: string, value: string): string {
  return `^(.*?;\\s*)?(${quoteMeta(name)}=${quoteMeta(value)})(;.*)?$`;
}

/** Escapes RE2 metacharacters (as Go's regexp.QuoteMeta). @internal */
export function quoteMeta(s: string): string {
  return s.replace(/[\\.+*?()|[\]{}^$]/g, '\\$&');
}

// Linkerd's retry and timeout annotations on an HTTPRoute (since 2.16), in Linkerd's grammar:
// durations are one integer and one unit (ms, s, m, h, d: no `0.5s`, no `1m30s`), the retry limit a
// whole number, retry conditions comma-separated without spaces. A malformed value makes older
// releases drop the route and edge-26.x reject it at admission, so values are built here, never copied.
import { propError } from '../../errors';
import type { RuleModel } from '../../models/routing';
import type { RouteRef } from '../gateway-api';

/** The annotation keys the backend writes. @internal */
export const LINKERD_ROUTE_ANNOTATIONS = {
  timeout: 'timeout.linkerd.io/request',
  retryOn: 'retry.linkerd.io/http',
  retryLimit: 'retry.linkerd.io/limit',
  retryTimeout: 'retry.linkerd.io/timeout',
} as const;

const UNITS: ReadonlyArray<readonly [string, number]> = [['d', 86_400_000], ['h', 3_600_000], ['m', 60_000], ['s', 1000], ['ms', 1]];

/**
 * Whole milliseconds as a Linkerd annotation duration: the largest unit that divides exactly
 * (`2s`, `1500ms`, `90s`, `1h`).
 * @throws RangeError unless `ms` is a whole number ≥ 1
 * @see https://linkerd.io/2-edge/reference/timeouts/
 * @internal
 */
export function linkerdDuration(ms: number): string {
  if (!Number.isSafeInteger(ms) || ms < 1) throw new RangeError(`${ms} is not a whole number of milliseconds ≥ 1`);
  const [unit, size] = UNITS.find(([, s]) => ms % s === 0)!;
  return `${ms / size}${unit}`;
}

/** Linkerd's grammar for a duration annotation (for checks on rendered objects). @internal */
export const LINKERD_DURATION = /^[0-9]+(ms|s|m|h|d)$/;

/** Conditions `retry.linkerd.io/http` takes: `5xx`, `gateway-error`, a code, a range `500-504`. @internal */
export const LINKERD_RETRY_CONDITIONS = /^(5xx|gateway-error|[1-5][0-9][0-9](-[1-5][0-9][0-9])?)(,(5xx|gateway-error|[1-5][0-9][0-9](-[1-5][0-9][0-9])?))*$/;

/** How the model's retry conditions read in `retry.linkerd.io/http`. */
const CONDITION: { readonly [retryOn: string]: string } = {
  '5xx': '5xx',
  'gateway-error': 'gateway-error',
  'retriable-4xx': '409',
};

/**
 * The `timeout.linkerd.io/*` and `retry.linkerd.io/*` annotations of one rule's policy (the route
 * timeout, and retries: limit, per-try timeout, conditions). Throws a propError naming Linkerd for
 * a retry condition Linkerd can't read from an HTTPRoute.
 * @see https://linkerd.io/2-edge/reference/retries/
 * @internal
 */
export function policyAnnotations(ref: RouteRef, rule: RuleModel): { [key: string]: string } {
  const out: { [key: string]: string } = {};
  if (rule.timeoutMs !== undefined) out[LINKERD_ROUTE_ANNOTATIONS.timeout] = linkerdDuration(rule.timeoutMs);
  const retries = rule.retries;
  if (!retries || retries.attempts === 0) return out;
  const conditions: string[] = [];
  retries.retryOn.forEach((on, i) => {
    // It only says "the listed codes", which are conditions of their own here.
    if (on === 'retriable-status-codes') return;
    const value = /^[0-9]+$/.test(on) ? on : CONDITION[on];
    if (value === undefined || (/^[0-9]+$/.test(value) && (Number(value) < 100 || Number(value) > 599))) {
      const grpc = ['cancelled', 'deadline-exceeded', 'internal', 'resource-exhausted', 'unavailable'].includes(on);
      throw propError(ref.construct, ref.path, `${rule.prop}.retries.retryOn[${i}]`, on,
        `Linkerd cannot express: retry.linkerd.io/http retries on HTTP status codes, 5xx and gateway-error only, and "${on}" ${grpc ? 'is a gRPC status (Linkerd reads gRPC retry conditions from GRPCRoute, which this package does not render)' : 'is not a status condition'}`,
        'retry on status codes (RetryOn.FIVE_XX, RetryOn.GATEWAY_ERROR, RetryOn.httpStatus(503)), or drop the condition');
    }
    if (!conditions.includes(value)) conditions.push(value);
  });
  if (conditions.length) out[LINKERD_ROUTE_ANNOTATIONS.retryOn] = conditions.join(',');
  out[LINKERD_ROUTE_ANNOTATIONS.retryLimit] = String(retries.attempts);
  if (retries.perTryTimeoutMs !== undefined) out[LINKERD_ROUTE_ANNOTATIONS.retryTimeout] = linkerdDuration(retries.perTryTimeoutMs);
  return out;
}

/** A stable key of a rule's annotations: rules with equal keys can share one HTTPRoute. @internal */
export function policyKey(annotations: { readonly [key: string]: string }): string {
  return Object.keys(annotations).sort().map((k) => `${k}=${annotations[k]}`).join(';');
}

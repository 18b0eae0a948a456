// What users write for one route (destinations, weights, policies) and its translation into the
// routing model. Durations arrive as cdk8s Durations here and leave as milliseconds, so the model
// (routing/model.ts) stays free of cdk8s.
import { Duration } from 'cdk8s';
import { propError } from '../errors';
import { PropRef, requireDns1123Label, requireNonNegativeInteger } from '../names';
import { DestinationModel, FaultModel, HttpMatch, MirrorModel, normalizeMatch, RetryModel, RetryOn, RuleModel } from '../models/routing';
import { checkRenderedWeights, checkRetriesCanRun } from './effective-policies';
import { resolveWeights, Weight } from '../models/weights';

/** Where a route sends requests: one version of the service, with its share of the traffic. */
export interface TrafficDestination {
  /** The version (DestinationRule subset) to route to; must be declared by the MeshService at synth (IST0101). */
  readonly version: string;
  /**
   * Share of the route's traffic: `Weight.fraction(0.9)` or `Weight.percent(90)`; one unit per
   * route, summing to 1 or 100. Rendered as whole percentages summing to exactly 100.
   * @default - required when the route has more than one destination; a single destination gets all traffic (no weight rendered)
   */
  readonly weight?: Weight;
}

/**
 * How often, and on what, a request is retried.
 * @see https://istio.io/latest/docs/reference/config/networking/virtual-service/#HTTPRetry
 */
export interface RetryPolicy {
  /** Number of retries (0 disables retries, including Istio's default of 2). */
  readonly attempts: number;
  /**
   * Timeout of each attempt, the first included (at least 1ms).
   * @default - the route's timeout
   */
  readonly perTryTimeout?: Duration;
  /**
   * Conditions that trigger a retry.
   * @default - Istio's default: connect-failure, refused-stream, unavailable, cancelled, retriable-status-codes
   */
  readonly retryOn?: RetryOn[];
}

/** Delays a share of requests (fault injection). */
export interface FaultDelay {
  /** How long each delayed request waits (at least 1ms). */
  readonly fixed: Duration;
  /**
   * Percentage of requests delayed, 0–100.
   * @default 100
   */
  readonly percentage?: number;
}

/** Aborts a share of requests with an HTTP status (fault injection). */
export interface FaultAbort {
  /** The HTTP status returned, 200–599. */
  readonly httpStatus: number;
  /**
   * Percentage of requests aborted, 0–100.
   * @default 100
   */
  readonly percentage?: number;
}

/**
 * Fault injection on a route, to test resilience; give a delay, an abort, or both.
 * @see https://istio.io/latest/docs/reference/config/networking/virtual-service/#HTTPFaultInjection
 */
export interface FaultInjection {
  /**
   * Delay requests before forwarding them.
   * @default - no delay
   */
  readonly delay?: FaultDelay;
  /**
   * Answer requests with an error status instead of forwarding them.
   * @default - no abort
   */
  readonly abort?: FaultAbort;
}

/**
 * A copy of the route's traffic sent to another version; its responses are discarded.
 * @see https://istio.io/latest/docs/reference/config/networking/virtual-service/#HTTPRoute
 */
export interface TrafficMirror {
  /** The version that receives the copies; must be declared by the MeshService at synth (IST0101). */
  readonly version: string;
  /**
   * Percentage of requests mirrored, 0–100.
   * @default 100
   */
  readonly percentage?: number;
}

/** Where a route sends traffic, and the policies applied on the way. */
export interface TrafficRouteOptions {
  /** The versions to route to, with weights when there is more than one. */
  readonly destinations: TrafficDestination[];
  /**
   * Timeout of the whole request, retries included (at least 1ms).
   * @default - no timeout
   * @see https://istio.io/latest/docs/reference/config/networking/virtual-service/#HTTPRoute
   */
  readonly timeout?: Duration;
  /**
   * Retry policy.
   * @default - Istio's default (2 attempts on connect failures and refused streams)
   */
  readonly retries?: RetryPolicy;
  /**
   * Fault injection.
   * @default - none
   */
  readonly fault?: FaultInjection;
  /**
   * Mirror the traffic to another version.
   * @default - no mirroring
   */
  readonly mirror?: TrafficMirror;
}

/** A route taken only by requests that match: the first rule that matches wins. */
export interface TrafficRule extends TrafficRouteOptions {
  /**
   * Name of the rule, shown in Envoy's route stats and access logs.
   * @default - unnamed
   */
  readonly name?: string;
  /**
   * Alternative matches (OR); the conditions inside one match are ANDed.
   * @default - none: the rule catches every request (only useful as the last rule; see `defaultRoute`)
   */
  readonly matches?: HttpMatch[];
}

/** More retries than this is almost certainly a mistake (a retry storm), and beyond int32 Istio refuses it. */
const MAX_RETRY_ATTEMPTS = 100;

/** Translates one rule (or the default route) into the model, throwing on bad input. @internal */
export function normalizeRule(ref: PropRef, rule: TrafficRule): RuleModel {
  const at = (prop: string): PropRef => ({ ...ref, prop: `${ref.prop}.${prop}` });
  const fail = (prop: string, value: unknown, problem: string, fix: string): Error =>
    propError(ref.construct, ref.path, `${ref.prop}.${prop}`, value, problem, fix);
  if (rule === null || typeof rule !== 'object') {
    throw propError(ref.construct, ref.path, ref.prop, rule, 'is not a route', 'give { destinations: [{ version: \'v1\' }] }');
  }
  if (rule.name !== undefined && (typeof rule.name !== 'string' || rule.name.trim() === '')) {
    throw fail('name', rule.name, 'is empty', 'give a non-empty name or leave it out');
  }
  const matches = (rule.matches ?? []).map((m, i) => normalizeMatch(at(`matches[${i}]`), m));
  const model: RuleModel = {
    name: rule.name,
    matches,
    destinations: normalizeDestinations(at('destinations'), rule.destinations),
    timeoutMs: rule.timeout === undefined ? undefined : millis(at('timeout'), rule.timeout),
    retries: rule.retries === undefined ? undefined : normalizeRetries(at('retries'), rule.retries),
    fault: rule.fault === undefined ? undefined : normalizeFault(at('fault'), rule.fault),
    mirror: rule.mirror === undefined ? undefined : normalizeMirror(at('mirror'), rule.mirror),
    prop: ref.prop,
  };
  // Policies Envoy would silently not apply (Istio HTTPRoute reference: "timeouts or retries will
  // not be enabled when faults are enabled on the client side").
  if (model.fault && (model.timeoutMs !== undefined || (model.retries && model.retries.attempts > 0))) {
    throw fail('fault', 'set', `is combined with ${model.timeoutMs !== undefined ? 'a timeout' : 'retries'} on the same route, and Envoy turns timeouts and retries off on a route with fault injection`,
      'inject faults on a rule of its own (e.g. matched by a test header), or drop the timeout/retries there');
  }
  checkRetriesCanRun(ref, model);
  return model;
}

function normalizeDestinations(ref: PropRef, destinations: TrafficDestination[]): DestinationModel[] {
  if (!Array.isArray(destinations) || destinations.length === 0) {
    throw propError(ref.construct, ref.path, ref.prop, destinations, 'has no destination', 'route to at least one version, e.g. [{ version: \'v1\' }]');
  }
  const seen = new Set<string>();
  destinations.forEach((d, i) => {
    requireDns1123Label({ ...ref, prop: `${ref.prop}[${i}].version` }, d?.version);
    if (seen.has(d.version)) {
      throw propError(ref.construct, ref.path, `${ref.prop}[${i}].version`, d.version, 'appears twice in this route',
        'list each version once and give it the sum of the weights');
    }
    seen.add(d.version);
  });
  if (destinations.length === 1) {
    // One destination takes all the traffic; a weight, if given, must still be a whole route.
    if (destinations[0].weight !== undefined) resolveWeights(ref, [destinations[0].weight]);
    return [{ version: destinations[0].version, prop: `${ref.prop}[0]` }];
  }
  const missing = destinations.findIndex((d) => d.weight === undefined);
  if (missing >= 0) {
    throw propError(ref.construct, ref.path, `${ref.prop}[${missing}].weight`, undefined, 'is missing while the route has several destinations',
      'give every destination a weight, e.g. Weight.fraction(0.9) and Weight.fraction(0.1)');
  }
  const weights = resolveWeights(ref, destinations.map((d) => d.weight as Weight));
  checkRenderedWeights(ref, destinations.map((d) => d.weight), weights);
  return destinations.map((d, i) => ({ version: d.version, weight: weights[i], prop: `${ref.prop}[${i}]` }));
}

/** @internal */
export function normalizeRetries(ref: PropRef, retries: RetryPolicy): RetryModel {
  if (retries === null || typeof retries !== 'object') {
    throw propError(ref.construct, ref.path, ref.prop, retries, 'is not a retry policy', 'give e.g. { attempts: 3, perTryTimeout: Duration.millis(500) }');
  }
  const attempts = requireNonNegativeInteger({ ...ref, prop: `${ref.prop}.attempts` }, retries.attempts);
  if (attempts > MAX_RETRY_ATTEMPTS) {
    throw propError(ref.construct, ref.path, `${ref.prop}.attempts`, attempts, `is above ${MAX_RETRY_ATTEMPTS}: every retry multiplies the load on a failing version (and Istio's field is an int32)`,
      'use a few attempts (e.g. 3) with a per-try timeout');
  }
  if (attempts === 0 && retries.perTryTimeout !== undefined) {
    throw propError(ref.construct, ref.path, `${ref.prop}.perTryTimeout`, retries.perTryTimeout instanceof Duration ? retries.perTryTimeout.toHumanString() : retries.perTryTimeout,
      'is set with attempts: 0, where data planes disagree (Istio ignores it; Gateway API makes it a timeout on every request; Linkerd has no such setting)',
      'drop perTryTimeout (use `timeout` for a request timeout), or give attempts ≥ 1')
  }
  const retryOn = (retries.retryOn ?? []).map((r, i) => {
    const prop = `${ref.prop}.retryOn[${i}]`;
    if (!(r instanceof RetryOn)) {
      throw propError(ref.construct, ref.path, prop, r, 'is not a RetryOn', 'use RetryOn.GATEWAY_ERROR, RetryOn.CONNECT_FAILURE, RetryOn.httpStatus(503), …');
    }
    if (r._status !== undefined && (!Number.isInteger(r._status) || r._status < 100 || r._status > 599)) {
      throw propError(ref.construct, ref.path, prop, r._status, 'is not an HTTP status code', 'use a status between 100 and 599 (e.g. 503)');
    }
    return r.value;
  });
  return {
    attempts,
    perTryTimeoutMs: retries.perTryTimeout === undefined ? undefined : millis({ ...ref, prop: `${ref.prop}.perTryTimeout` }, retries.perTryTimeout),
    retryOn: [...new Set(retryOn)],
  };
}

function normalizeFault(ref: PropRef, fault: FaultInjection): FaultModel {
  if (!fault || (fault.delay === undefined && fault.abort === undefined)) {
    throw propError(ref.construct, ref.path, ref.prop, fault, 'injects nothing', 'give a delay, an abort, or both');
  }
  const { delay, abort } = fault;
  let abortModel: FaultModel['abort'];
  if (abort !== undefined) {
    const s = abort.httpStatus;
    if (!Number.isInteger(s) || s < 200 || s > 599) {
      throw propError(ref.construct, ref.path, `${ref.prop}.abort.httpStatus`, s, 'is not an HTTP status between 200 and 599',
        'use an error status such as 503 or 500');
    }
    abortModel = { httpStatus: s, percentage: percentage({ ...ref, prop: `${ref.prop}.abort.percentage` }, abort.percentage) };
  }
  return {
    delay: delay && {
      fixedMs: millis({ ...ref, prop: `${ref.prop}.delay.fixed` }, delay.fixed),
      percentage: percentage({ ...ref, prop: `${ref.prop}.delay.percentage` }, delay.percentage),
    },
    abort: abortModel,
  };
}

function normalizeMirror(ref: PropRef, mirror: TrafficMirror): MirrorModel {
  return {
    version: requireDns1123Label({ ...ref, prop: `${ref.prop}.version` }, mirror?.version),
    percentage: percentage({ ...ref, prop: `${ref.prop}.percentage` }, mirror.percentage),
    prop: ref.prop,
  };
}

/** A percentage of requests, 0–100 (fractional allowed, as Istio's `Percent` is a double). */
function percentage(ref: PropRef, value: number | undefined): number {
  if (value === undefined) return 100;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 100) {
    throw propError(ref.construct, ref.path, ref.prop, value, 'is not a percentage between 0 and 100', 'use a number from 0 to 100 (e.g. 10 for one request in ten)');
  }
  return value;
}

/** A Duration as whole milliseconds ≥ 1 (Istio's CRD rejects durations under 1ms). */
/** @internal */
export function millis(ref: PropRef, d: Duration): number {
  const ms = d instanceof Duration ? d.toMilliseconds({ integral: false }) : NaN;
  if (!Number.isInteger(ms) || ms < 1) {
    throw propError(ref.construct, ref.path, ref.prop, d instanceof Duration ? d.toHumanString() : d,
      'is not a whole number of milliseconds ≥ 1ms', 'use e.g. Duration.seconds(2) or Duration.millis(500)');
  }
  return ms;
}

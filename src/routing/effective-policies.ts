// Checks on the values a route will really run with: what the user wrote, or what the package or
// Istio derives when it was left out. A derived value gets the same checks as an explicit one (the
// per-try timeout that defaults to the route timeout, a weight rounded to a whole percentage).
import { propError } from '../errors';
import { PropRef } from '../names';
import type { RuleModel } from '../models/routing';
import { Weight } from '../models/weights';

/**
 * The per-try timeout a route's retries really run with, in milliseconds: the one written, else
 * Istio's default, the route timeout ("Default is same value as request timeout of the
 * HTTPRoute"); undefined when neither is set (no per-try limit).
 * @see https://istio.io/latest/docs/reference/config/networking/virtual-service/#HTTPRetry
 * @internal
 */
export function effectivePerTryTimeoutMs(rule: Pick<RuleModel, 'timeoutMs' | 'retries'>): number | undefined {
  return rule.retries?.perTryTimeoutMs ?? rule.timeoutMs;
}

/**
 * Throws when a route's retries can never run: an attempt (the first included) may last as long as
 * the whole request, so after one timed-out attempt the route timeout has already expired. Applied
 * to the effective per-try timeout, so `timeout: 2s` + `retries: { attempts: 3 }` (per-try timeout
 * left to default to 2s) is refused like the same configuration written out. Retries turned off
 * (`attempts: 0`) have no attempt to run and pass.
 * @internal
 */
export function checkRetriesCanRun(ref: PropRef, rule: Pick<RuleModel, 'timeoutMs' | 'retries'>): void {
  const timeout = rule.timeoutMs;
  const perTry = effectivePerTryTimeoutMs(rule);
  if (timeout === undefined || perTry === undefined || !rule.retries || perTry < timeout) return;
  const explicit = rule.retries.perTryTimeoutMs !== undefined;
  if (!explicit && rule.retries.attempts === 0) return;
  const prop = `${ref.prop}.retries.perTryTimeout`;
  if (explicit) {
    throw propError(ref.construct, ref.path, prop, `${perTry}ms`, `is not shorter than the route timeout (${timeout}ms), so no retry could ever run`,
      `make perTryTimeout a fraction of the timeout (e.g. timeout 2s, perTryTimeout 500ms)`);
  }
  throw propError(ref.construct, ref.path, prop, undefined,
    `makes each attempt default to the route timeout (${timeout}ms), so none of the ${rule.retries.attempts} retries could ever run`,
    `set perTryTimeout to a fraction of the timeout (e.g. perTryTimeout: Duration.millis(${suggestPerTry(timeout, rule.retries.attempts)})), or retries: { attempts: 0 }`);
}

/** A per-try timeout leaving room for every attempt: timeout / (attempts + 1), at least 1ms. */
function suggestPerTry(timeoutMs: number, attempts: number): number {
  return Math.max(1, Math.floor(timeoutMs / (attempts + 1)));
}

/**
 * Throws when a weight the user gave traffic is rendered as 0: Istio weights are whole
 * percentages, so `Weight.percent(0.4)` next to `Weight.percent(99.6)` would become 0 and 100 and
 * the version would silently get nothing (a weight of at least 1% never rounds to 0). `rendered` are the integers the renderer writes.
 * @internal
 */
export function checkRenderedWeights(ref: PropRef, written: readonly (Weight | undefined)[], rendered: readonly (number | undefined)[]): void {
  written.forEach((w, i) => {
    const r = rendered[i];
    if (w instanceof Weight && w.value > 0 && r === 0) {
      throw propError(ref.construct, ref.path, `${ref.prop}[${i}].weight`, w.toString(),
        'rounds to 0% (Istio weights are whole percentages), so this version would get no traffic at all',
        'give it at least 1% (Weight.percent(1), Weight.fraction(0.01)), or a weight of 0 to say it gets none');
    }
  });
}

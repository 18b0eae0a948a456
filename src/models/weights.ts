// Traffic weights: what users write (fractions or percentages) → what Istio needs (integers that
// sum to exactly 100). Plain data: no cdk8s, constructs or imports/ here, so every renderer
// (Istio today, Gateway API later) reads the same integers.
import { propError } from '../errors';
import { PropRef } from '../names';

/** The unit a Weight was given in. */
export enum WeightUnit {
  /** A share of 1 (`0.9` = 90 %): all weights of one route sum to 1. */
  FRACTION = 'fraction',
  /** A share of 100 (`90` = 90 %): all weights of one route sum to 100. */
  PERCENT = 'percent',
}

/**
 * The share of a route's traffic one destination gets. The unit is explicit, so `0.5` can never be
 * read as half a percent by mistake: `Weight.fraction(0.9)` and `Weight.percent(90)` are the same.
 * All weights of one route use the same unit and sum to 1 (fractions) or 100 (percentages).
 */
export class Weight {
  /** A share of 1, e.g. `Weight.fraction(0.9)` for 90 % (the seed design's notation). */
  public static fraction(value: number): Weight {
    return new Weight(value, WeightUnit.FRACTION);
  }

  /** A share of 100, e.g. `Weight.percent(90)`. Fractional percentages (`33.3`) are allowed. */
  public static percent(value: number): Weight {
    return new Weight(value, WeightUnit.PERCENT);
  }

  private constructor(
    /** The number as written. */
    public readonly value: number,
    /** Whether `value` is a fraction of 1 or a percentage. */
    public readonly unit: WeightUnit,
  ) {}

  /** How the weight was written, for error messages: `Weight.fraction(0.9)`. */
  public toString(): string {
    return `Weight.${this.unit}(${this.value})`;
  }
}

const TOTAL: Record<WeightUnit, number> = { [WeightUnit.FRACTION]: 1, [WeightUnit.PERCENT]: 100 };
/** Relative tolerance on the sum: absorbs float noise (3 × 1/3) but not a typo (0.33 × 3). */
const SUM_TOLERANCE = 1e-6;
/** Remainders closer than this are ties (so float noise never reorders equal shares). */
const TIE = 1e-9;

/**
 * Checks one route's weights and turns them into integers that sum to exactly 100.
 * Throws a prop error naming the offending weight (`<prop>[i].weight`) and the fix.
 * @internal
 */
export function resolveWeights(ref: PropRef, weights: readonly Weight[]): number[] {
  const at = (i: number): string => `${ref.prop}[${i}].weight`;
  const fail = (prop: string, value: unknown, problem: string, fix: string): never => {
    throw propError(ref.construct, ref.path, prop, value, problem, fix);
  };
  if (weights.length === 0) fail(ref.prop, [], 'has no destination', 'route to at least one version');

  weights.forEach((w, i) => {
    if (!(w instanceof Weight)) {
      fail(at(i), w, 'is not a Weight', 'write Weight.fraction(0.9) or Weight.percent(90)');
    }
    if (!Number.isFinite(w.value)) fail(at(i), w.value, 'is not a finite number', 'use a number ≥ 0');
    if (w.value < 0) fail(at(i), w.value, 'is negative', 'use a weight ≥ 0 (0 keeps the destination with no traffic)');
    if (w.value > TOTAL[w.unit]) {
      fail(at(i), w.value, `is more than the whole route (${w.unit === WeightUnit.FRACTION ? '1' : '100'})`,
        w.unit === WeightUnit.FRACTION ? 'fractions are shares of 1: write 0.9, or Weight.percent(90) for percentages' : 'percentages are shares of 100');
    }
  });
  const unit = weights[0].unit;
  const other = weights.findIndex((w) => w.unit !== unit);
  if (other >= 0) {
    fail(at(other), weights[other].toString(), `mixes units with ${weights[0].toString()}`,
      `give every weight of one route in the same unit: all Weight.fraction() or all Weight.percent()`);
  }
  const values = weights.map((w) => w.value);
  const sum = values.reduce((a, b) => a + b, 0);
  if (sum === 0) fail(ref.prop, weights.map(String), 'gives every destination weight 0', 'give at least one destination a weight > 0');
  const total = TOTAL[unit];
  if (Math.abs(sum - total) > total * SUM_TOLERANCE) {
    fail(ref.prop, weights.map(String), `has weights summing to ${+sum.toPrecision(12)}, not ${total}`,
      unit === WeightUnit.FRACTION
        ? 'make the fractions sum to 1 (e.g. 0.9 and 0.1; write 1/3 rather than 0.33)'
        : 'make the percentages sum to 100 (e.g. 90 and 10)');
  }
  return largestRemainder(values, 100);
}

/**
 * Apportions `total` integer units among non-negative `values` in proportion to them (Hamilton's
 * largest-remainder method): each gets the floor of its exact share, and the units left over go to
 * the largest remainders, ties broken by declaration order. Every result is within 1 of its exact
 * share, zero stays zero, and the results sum to exactly `total`.
 * @example largestRemainder([1, 1, 1], 100) // [34, 33, 33]
 * @internal
 */
export function largestRemainder(values: readonly number[], total: number): number[] {
  const sum = values.reduce((a, b) => a + b, 0);
  const shares = values.map((v) => (v * total) / sum);
  // floor(x + TIE): 28.999999999999996 (0.29 × 100 in floating point) is 29, not 28 + remainder.
  const result = shares.map((s) => Math.floor(s + TIE));
  let left = total - result.reduce((a, b) => a + b, 0);
  const order = shares
    // Remainders quantized to TIE, so equal shares stay equal despite float noise.
    .map((s, i) => ({ i, r: Math.round((s - result[i]) / TIE) }))
    .filter(({ i }) => values[i] > 0)
    .sort((a, b) => b.r - a.r || a.i - b.i);
  for (const { i } of order) {
    if (left <= 0) break;
    result[i] += 1;
    left -= 1;
  }
  return result;
}

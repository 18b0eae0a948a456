import * as fc from 'fast-check';
import { Weight } from '../src';
import { largestRemainder, resolveWeights } from '../src/models/weights';

const REF = { construct: 'TrafficSplit', path: 'test/split', prop: 'defaultRoute.destinations' };
const resolve = (...weights: Weight[]) => resolveWeights(REF, weights);

describe('weights → integers summing to 100', () => {
  test('the seed fractions 0.9 / 0.1 render 90 / 10', () => {
    expect(resolve(Weight.fraction(0.9), Weight.fraction(0.1))).toEqual([90, 10]);
  });

  test('percentages render as given when whole', () => {
    expect(resolve(Weight.percent(70), Weight.percent(20), Weight.percent(10))).toEqual([70, 20, 10]);
  });

  test('1/3 each renders 34 / 33 / 33: the leftover unit goes to the first declared', () => {
    const w = resolve(Weight.fraction(1 / 3), Weight.fraction(1 / 3), Weight.fraction(1 / 3));
    expect(w).toEqual([34, 33, 33]);
    expect(w.reduce((a, b) => a + b)).toBe(100);
  });

  test('ties among equal remainders go by declaration order, larger remainders first', () => {
    // exact shares 16.67 ×6: 4 leftover units → the first four
    expect(resolve(...Array.from({ length: 6 }, () => Weight.fraction(1 / 6)))).toEqual([17, 17, 17, 17, 16, 16]);
    // 12.5 / 12.5 / 75 — remainders .5 and .5: the first wins
    expect(resolve(Weight.percent(12.5), Weight.percent(12.5), Weight.percent(75))).toEqual([13, 12, 75]);
    // 33.4 / 33.3 / 33.3 — the largest remainder wins even when declared last
    expect(resolve(Weight.percent(33.3), Weight.percent(33.3), Weight.percent(33.4))).toEqual([33, 33, 34]);
  });

  test('floating-point noise does not move a unit (0.29 × 100 is 28.999999999999996)', () => {
    expect(resolve(Weight.fraction(0.29), Weight.fraction(0.71))).toEqual([29, 71]);
    expect(resolve(Weight.fraction(0.07), Weight.fraction(0.57), Weight.fraction(0.36))).toEqual([7, 57, 36]);
  });

  test('zero weights are kept as 0 and never receive a leftover unit', () => {
    expect(resolve(Weight.percent(100), Weight.percent(0))).toEqual([100, 0]);
    expect(resolve(Weight.fraction(1 / 3), Weight.fraction(0), Weight.fraction(1 / 3), Weight.fraction(1 / 3))).toEqual([34, 0, 33, 33]);
  });

  test('any number of versions', () => {
    const w = resolve(...Array.from({ length: 7 }, () => Weight.fraction(1 / 7)));
    expect(w).toEqual([15, 15, 14, 14, 14, 14, 14]);
  });

  test('largestRemainder([1, 1, 1], 100) is [34, 33, 33]', () => {
    expect(largestRemainder([1, 1, 1], 100)).toEqual([34, 33, 33]);
  });

  test('property: for any valid weights the result is integers ≥ 0, summing to 100, each within 1 of its exact share', () => {
    const raw = fc.array(fc.oneof(fc.constant(0), fc.double({ min: 1e-3, max: 1e6, noNaN: true })), { minLength: 1, maxLength: 12 })
      .filter((xs) => xs.some((x) => x > 0));
    fc.assert(fc.property(raw, fc.boolean(), (xs, asPercent) => {
      const sum = xs.reduce((a, b) => a + b, 0);
      const exact = xs.map((x) => (x / sum) * 100);
      const weights = exact.map((p) => (asPercent ? Weight.percent(p) : Weight.fraction(p / 100)));
      const got = resolveWeights(REF, weights);
      expect(got.reduce((a, b) => a + b, 0)).toBe(100);
      got.forEach((g, i) => {
        expect(Number.isInteger(g)).toBe(true);
        expect(g).toBeGreaterThanOrEqual(0);
        expect(Math.abs(g - exact[i])).toBeLessThan(1 + 1e-9);
        if (xs[i] === 0) expect(g).toBe(0);
      });
    }), { numRuns: 500 });
  });
});

describe('weights bad input', () => {
  test('fails when a weight is negative', () => {
    expect(() => resolve(Weight.percent(110), Weight.percent(-10)))
      .toThrow("TrafficSplit 'test/split': prop 'defaultRoute.destinations[0].weight' is 110, which is more than the whole route (100)");
    expect(() => resolve(Weight.percent(50), Weight.percent(-10)))
      .toThrow("prop 'defaultRoute.destinations[1].weight' is -10, which is negative. Fix: use a weight ≥ 0");
  });

  test.each([NaN, Infinity, -Infinity])('fails when a weight is %p', (v) => {
    expect(() => resolve(Weight.fraction(0.5), Weight.fraction(v)))
      .toThrow(`prop 'defaultRoute.destinations[1].weight' is ${v}, which is not a finite number`);
  });

  test('fails when every weight is 0', () => {
    expect(() => resolve(Weight.percent(0), Weight.percent(0)))
      .toThrow("prop 'defaultRoute.destinations' is [\"Weight.percent(0)\",\"Weight.percent(0)\"], which gives every destination weight 0. Fix: give at least one destination a weight > 0");
  });

  test('fails when fractions do not sum to 1, naming the sum and the fix', () => {
    expect(() => resolve(Weight.fraction(0.33), Weight.fraction(0.33), Weight.fraction(0.33)))
      .toThrow(/which has weights summing to 0\.99, not 1\. Fix: make the fractions sum to 1 \(e\.g\. 0\.9 and 0\.1; write 1\/3 rather than 0\.33\)/);
  });

  test('fails when percentages do not sum to 100', () => {
    expect(() => resolve(Weight.percent(90), Weight.percent(20))).toThrow('has weights summing to 110, not 100. Fix: make the percentages sum to 100');
  });

  test('fails when a fraction is written as a percentage (0.9 vs 90)', () => {
    expect(() => resolve(Weight.fraction(90), Weight.fraction(10)))
      .toThrow("prop 'defaultRoute.destinations[0].weight' is 90, which is more than the whole route (1). Fix: fractions are shares of 1: write 0.9, or Weight.percent(90) for percentages");
  });

  test('fails when one route mixes fractions and percentages', () => {
    expect(() => resolve(Weight.fraction(0.9), Weight.percent(10)))
      .toThrow("prop 'defaultRoute.destinations[1].weight' is \"Weight.percent(10)\", which mixes units with Weight.fraction(0.9)");
  });
});

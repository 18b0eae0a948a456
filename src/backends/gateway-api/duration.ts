// Durations as Gateway API writes them (GEP-2257): up to four `<1–5 digits><unit>` parts, units h, m,
// s, ms — `2s`, `1500ms`, `1h30m`. The CRD's pattern is ^([0-9]{1,5}(h|m|s|ms)){1,4}$.

const UNITS: ReadonlyArray<readonly [string, number]> = [['h', 3_600_000], ['m', 60_000], ['s', 1000], ['ms', 1]];
const MAX_PART = 99_999;

/**
 * Whole milliseconds as a GEP-2257 duration: the shortest form the CRD accepts — one unit when it
 * fits in five digits (`2s`, `1500ms`, `90000ms` → `90s`), otherwise hours, minutes, seconds and
 * milliseconds (`100000001ms` → `27h46m40s1ms`).
 * @throws RangeError when `ms` is not a whole number ≥ 0, or needs more than 99999 hours.
 * @see https://gateway-api.sigs.k8s.io/geps/gep-2257/
 * @internal
 */
export function gatewayDuration(ms: number): string {
  if (!Number.isSafeInteger(ms) || ms < 0) throw new RangeError(`${ms} is not a whole number of milliseconds`);
  if (ms === 0) return '0s';
  // One unit, the largest that divides exactly and fits in five digits.
  for (const [unit, size] of UNITS) {
    if (ms % size === 0 && ms / size <= MAX_PART) return `${ms / size}${unit}`;
  }
  let rest = ms;
  let out = '';
  for (const [unit, size] of UNITS) {
    const n = Math.floor(rest / size);
    rest -= n * size;
    if (n > MAX_PART) throw new RangeError(`${ms}ms is longer than Gateway API durations allow (99999h)`);
    if (n > 0) out += `${n}${unit}`;
  }
  return out;
}

/**
 * A GEP-2257 duration in milliseconds (the inverse of {@link gatewayDuration}), for analysis and tests.
 * @throws Error when `text` is not a Gateway API duration.
 * @internal
 */
export function parseGatewayDuration(text: string): number {
  if (!/^([0-9]{1,5}(h|m|s|ms)){1,4}$/.test(text)) throw new Error(`"${text}" is not a Gateway API duration`);
  let total = 0;
  for (const [, n, unit] of text.matchAll(/([0-9]+)(ms|h|m|s)/g)) {
    total += Number(n) * UNITS.find(([u]) => u === unit)![1];
  }
  return total;
}

// Small, pure helpers that print PromQL pieces exactly as Prometheus would read them.

/**
 * A float the way Go's `strconv.FormatFloat(f, 'g', -1, 64)` prints it — which is how Prometheus
 * client libraries print the `le` label of a classic histogram (`0.3`, `1`, `2.5`, `1e-05`).
 * @internal
 */
export function goFloat(f: number): string {
  const [mantissa, expPart] = f.toExponential().split('e');
  const exp = Number(expPart);
  // strconv/ftoa.go: with the shortest precision, %e is used when exp < -4 || exp >= 6, and the
  // exponent has at least two digits (1e-05, 1e+06).
  if (exp < -4 || exp >= 6) {
    const sign = exp < 0 ? '-' : '+';
    const abs = Math.abs(exp);
    return `${mantissa}e${sign}${abs < 10 ? '0' : ''}${abs}`;
  }
  return String(f);
}

/**
 * A matcher for one `le` bucket boundary. Prometheus 3 normalizes `le` on ingestion to a float
 * (`le="1"` becomes `le="1.0"`, `0.3` stays `0.3`), Prometheus 2 keeps what the target printed;
 * a whole-number boundary therefore matches both spellings.
 * @see https://prometheus.io/docs/prometheus/latest/migration/#le-and-quantile-label-values
 * @internal
 */
export function leMatcher(boundary: number): string {
  const s = goFloat(boundary);
  return /[.e]/.test(s) ? `le="${s}"` : `le=~"${s}(\\\\.0)?"`;
}

/** A PromQL string literal. @internal */
export function quote(value: string): string {
  return JSON.stringify(value);
}

/** `{a="x",b=~"y"}` from matchers already printed. @internal */
export function selector(matchers: string[]): string {
  return `{${matchers.join(',')}}`;
}

/** A number for a PromQL expression or an annotation, without float noise (1 - 0.999 → 0.001). @internal */
export function num(value: number): string {
  return String(Number(value.toPrecision(12)));
}

/**
 * Builds the error every construct throws for bad input: it names the construct, the prop, the
 * value and the fix, so the person reading `cdk8s synth` output knows what to change.
 *
 * A plain `Error` on purpose (STYLE.md: no custom Error subclasses for ordinary validation).
 *
 * @example propError('MeshService', 'app/users', 'port', 70000, 'is outside 1–65535', 'use a TCP port number between 1 and 65535')
 * // MeshService 'app/users': prop 'port' is 70000, which is outside 1–65535. Fix: use a TCP port number between 1 and 65535.
 * @internal
 */
export function propError(construct: string, path: string, prop: string, value: unknown, problem: string, fix: string): Error {
  return new Error(`${construct} '${path}': prop '${prop}' is ${show(value)}, which ${problem}. Fix: ${fix}.`);
}

/** A value as it would appear in the user's code. @internal */
export function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') return Number.isNaN(value) ? 'NaN' : String(value);
  if (value === undefined) return 'undefined';
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

// Is a pattern valid RE2? Envoy compiles VirtualService regexes with RE2, and istioctl analyze
// (IST0122) with Go's regexp, the same syntax. JavaScript's RegExp accepts lookaround,
// backreferences, possessive quantifiers and more that RE2 rejects, so it can't be the judge:
// re2js, a pure-JS port of RE2 (RE2/J's parser), is.
import { RE2JS } from 're2js';

/**
 * Why `pattern` is not a valid RE2 regular expression, or undefined if it is.
 * @example re2Problem('(?=a)b') // 'error parsing regexp: invalid or unsupported Perl syntax: `(?=`'
 * @internal
 */
export function re2Problem(pattern: string): string | undefined {
  try {
    RE2JS.compile(pattern);
    return undefined;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

/**
 * An ajv regular-expression engine backed by RE2. Kubernetes evaluates CRD `pattern`s with Go's
 * regexp (RE2 syntax): the Prometheus Operator CRDs use Go's inline flags (`^(?i)(abort|warn)?$`),
 * which JavaScript's RegExp rejects. JSON Schema patterns are unanchored, as RE2's `test` is.
 * @internal
 */
export const re2RegExpEngine = Object.assign(
  (pattern: string) => {
    const re = RE2JS.compile(pattern);
    // ajv caches compiled patterns by `toString()`: it must be unique per pattern.
    return { test: (s: string) => re.test(s), toString: () => `re2:${pattern}` };
  },
  { code: 'require("re2js").RE2JS.compile' },
);

// Is a pattern valid RE2? Envoy compiles VirtualService regexes with RE2, and istioctl analyze
// (IST0122) with Go's regexp, the same syntax. JavaScript's RegExp accepts lookaround,
// backreferences, possessive quantifiers and more that RE2 rejects, so it can't be the judge:
// @bufbuild/re2, a pure-JS port of RE2 (the engine @bufbuild/cel evaluates CEL `matches()` with,
// so the package ships one RE2, not two), is.
import { RE2JS } from '@bufbuild/re2';

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

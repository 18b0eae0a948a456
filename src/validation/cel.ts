// Evaluates CRD `x-kubernetes-validations` rules the way the API server does on create, with
// @bufbuild/cel, its string extensions and the Kubernetes URL/IP library functions CRDs use.
import * as net from 'net';
import { CelScalar, celEnv, celFunc, celMethod, isCelError, mapType, parse, plan, type CelMap } from '@bufbuild/cel';
import { strings } from '@bufbuild/cel/ext';

/** The map key under which a `url()` value keeps its scheme (URLs are modelled as maps). */
const SCHEME = '\u0000scheme';
const BAD_ESCAPE = /%(?![0-9A-Fa-f]{2})/;
const URL_TYPE = mapType(CelScalar.STRING, CelScalar.STRING);

/**
 * Go's `url.ParseRequestURI` (which Kubernetes' `url()`/`isURL()` use), reduced to what decides
 * validity: an absolute URI or an absolute path, no control characters, a well-formed host:port.
 * Returns the lower-cased scheme ('' for a path), or undefined when Go would return an error.
 */
export function parseRequestUri(s: string): string | undefined {
  if (s === '' || /[\x00-\x1f\x7f]/.test(s)) return undefined;
  if (s.startsWith(':')) return undefined; // "missing protocol scheme"
  const m = /^([a-zA-Z][a-zA-Z0-9+.-]*):(.*)$/s.exec(s);
  if (!m) return s.startsWith('/') ? '' : undefined;
  // ParseRequestURI keeps '#' as data: nothing is stripped as a fragment.
  let rest = m[2].split('?', 1)[0];
  if (rest.startsWith('//') && !rest.startsWith('///')) {
    const authority = rest.slice(2).split('/', 1)[0];
    rest = rest.slice(2 + authority.length);
    const at = authority.lastIndexOf('@');
    if (at >= 0 && !/^[A-Za-z0-9\-._:~!$&'()*+,;=%@]*$/.test(authority.slice(0, at))) return undefined; // invalid userinfo
    const host = authority.slice(at + 1);
    if (BAD_ESCAPE.test(host)) return undefined;
    if (host.startsWith('[')) {
      const end = host.indexOf(']');
      if (end < 0 || !/^(:[0-9]*)?$/.test(host.slice(end + 1))) return undefined;
    } else {
      const colon = host.lastIndexOf(':');
      if (colon >= 0 && !/^[0-9]*$/.test(host.slice(colon + 1))) return undefined;
      if (!/^[A-Za-z0-9\-_.~!$&'()*+,;=%:<>"]*$/.test(host)) return undefined;
    }
  }
  if (BAD_ESCAPE.test(rest)) return undefined; // the path is unescaped
  return m[1].toLowerCase();
}

const kubernetesFunctions = [
  celFunc('isURL', [CelScalar.STRING], CelScalar.BOOL, (s) => parseRequestUri(s) !== undefined),
  celFunc('url', [CelScalar.STRING], URL_TYPE, (s) => {
    const scheme = parseRequestUri(s);
    if (scheme === undefined) throw new Error(`URL parse error during conversion from string: ${s}`);
    return new Map([[SCHEME, scheme]]);
  }),
  celMethod('getScheme', URL_TYPE, [], CelScalar.STRING, function (this: CelMap) {
    return String(this.get(SCHEME) ?? '');
  }),
  celFunc('isIP', [CelScalar.STRING], CelScalar.BOOL, (s) => net.isIP(s) !== 0),
];

const env = celEnv({ funcs: [...strings, ...kubernetesFunctions] });
const compiled = new Map<string, (self: unknown, oldSelf?: unknown) => unknown>();

/** A rule's outcome: true (holds), false (violated) or an evaluation error's message. */
export type RuleOutcome = boolean | { readonly error: string };

/** cel-go's words for an absent map key (what the API server prints), where @bufbuild/cel says "field not found". */
function goErrorText(message: string): string {
  return message.replace(/^field not found: /, 'no such key: ');
}

function program(expression: string): (self: unknown, oldSelf?: unknown) => unknown {
  let run = compiled.get(expression);
  if (!run) {
    const planned = plan(env, parse(expression));
    run = (self: unknown, oldSelf?: unknown) => planned((oldSelf === undefined ? { self } : { self, oldSelf }) as any);
    compiled.set(expression, run);
  }
  return run;
}

/**
 * Evaluates one rule with `self` bound, and `oldSelf` when given (an update; on create there is
 * none). Rules are compiled once per process.
 */
export function evaluateRule(rule: string, self: unknown, oldSelf?: unknown): RuleOutcome {
  let result: unknown;
  try {
    result = program(rule)(self, oldSelf);
  } catch (e) {
    return { error: goErrorText((e as Error).message) };
  }
  if (isCelError(result)) return { error: goErrorText(result.message) };
  if (typeof result !== 'boolean') return { error: `rule did not evaluate to a bool: ${rule}` };
  return result;
}

/** Evaluates a `messageExpression`; undefined when it fails (the API server then falls back to `message`). */
export function evaluateExpression(expression: string, self: unknown): unknown {
  try {
    const result = program(expression)(self);
    return isCelError(result) ? undefined : result;
  } catch {
    return undefined;
  }
}

/** Transition rules (those reading `oldSelf`) only run on update; a create never checks them. */
export function isTransitionRule(rule: string): boolean {
  return /\boldSelf\b/.test(rule);
}

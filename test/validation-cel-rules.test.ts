// Every CEL rule (`x-kubernetes-validations`) of every vendored CRD — Istio, Gateway API, Linkerd
// (none today), Prometheus Operator — compiles with @bufbuild/cel and evaluates to a bool on a
// value shaped like its schema node. A rule that uses a function the evaluator lacks (Kubernetes'
// CEL library adds url(), isIP(), quantity(), ...) fails here, not silently in a user's synth.
import { RE2JS } from '@bufbuild/re2';
import { ManifestValidator } from '../src';
import { evaluateRule, isTransitionRule } from '../src/validation/cel';
import type { SchemaNode } from '../src/validation/schemas';
import { toCel } from '../src/validation/structural';

const versions = new ManifestValidator().customResources();

/** Strings tried for a string field, in order: the first the field's pattern and lengths accept wins. */
const STRINGS = ['a', '1s', 'http://a.example', '10.0.0.1', '/a', 'a.example.com', '80', 'A', 'a-b', 'abc/def'];

const patterns = new Map<string, RE2JS>();
const matches = (pattern: string, c: string) => {
  let re = patterns.get(pattern);
  if (!re) patterns.set(pattern, re = RE2JS.compile(pattern));
  return re.test(c);
};

function sampleString(s: SchemaNode, offset: number): string {
  const candidates = [...STRINGS.slice(offset), ...STRINGS.slice(0, offset)];
  const ok = (c: string) => (s.pattern === undefined || matches(s.pattern, c))
    && c.length >= (s.minLength ?? 0) && c.length <= (s.maxLength ?? Infinity);
  return candidates.find(ok) ?? candidates[0];
}

/**
 * A value of the node's shape: every property present (so rules never stop on a missing key),
 * one item per list, enums and defaults taken, strings chosen to pass the node's pattern.
 * `offset` varies the strings, for rules that need one format (a duration, a URL) among several.
 */
function sample(s: SchemaNode, offset: number, depth = 0): unknown {
  if (s.enum) return s.enum[offset % s.enum.length];
  if (s.default !== undefined && s.default !== null) return s.default;
  if (s['x-kubernetes-int-or-string']) return 80;
  switch (s.type) {
    case 'string': return sampleString(s, offset);
    case 'integer': case 'number': return Math.max(s.minimum ?? 1, Math.min(1, s.maximum ?? 1));
    case 'boolean': return true;
    case 'array': return s.items && depth < 12 ? [sample(s.items, offset, depth + 1)] : [];
    case 'object': {
      if (depth >= 12) return {};
      const out: Record<string, unknown> = {};
      for (const [k, child] of Object.entries<SchemaNode>(s.properties ?? {})) out[k] = sample(child, offset, depth + 1);
      if (typeof s.additionalProperties === 'object') out[sampleString({}, offset)] = sample(s.additionalProperties, offset, depth + 1);
      return out;
    }
    default: return {};
  }
}

interface RuleSite { readonly crd: string; readonly rule: string; readonly schema: SchemaNode }

function ruleSites(): RuleSite[] {
  const sites = new Map<string, RuleSite>();
  for (const v of versions) {
    const visit = (s: SchemaNode) => {
      if (!s || typeof s !== 'object') return;
      for (const r of s['x-kubernetes-validations'] ?? []) {
        const key = `${r.rule}\0${JSON.stringify(s.type)}`;
        if (!sites.has(key)) sites.set(key, { crd: `${v.apiVersion} ${v.kind}`, rule: r.rule, schema: s });
      }
      for (const c of Object.values<SchemaNode>(s.properties ?? {})) visit(c);
      if (s.items) visit(s.items);
      if (typeof s.additionalProperties === 'object') visit(s.additionalProperties);
    };
    visit(v.structural);
  }
  return [...sites.values()];
}

const sites = ruleSites();
const groupOf = (crd: string) => crd.split(' ')[0].split('/')[0];

describe('every vendored CEL rule compiles and evaluates with @bufbuild/cel', () => {
  test('the rules are all found: Istio, Gateway API (incl. x-k8s.io experimental), none in Linkerd or Prometheus Operator', () => {
    const groups = [...new Set(sites.map((s) => groupOf(s.crd).replace(/^.*\.istio\.io$/, 'istio.io')))].sort();
    expect(groups).toEqual(['gateway.networking.k8s.io', 'gateway.networking.x-k8s.io', 'istio.io']);
    expect(sites.length).toBeGreaterThanOrEqual(126); // 36 Istio + 90 Gateway API distinct rules
    expect(sites.filter((s) => isTransitionRule(s.rule)).map((s) => s.rule)).toEqual(['self == oldSelf']);
  });

  test.each(sites.map((s) => [`${s.crd}: ${s.rule.replace(/\s+/g, ' ').slice(0, 110)}`, s]))('%s', (_name, site) => {
    const outcomes: unknown[] = [];
    for (let offset = 0; offset < STRINGS.length; offset++) {
      const self = toCel(site.schema, sample(site.schema, offset));
      // Transition rules run on update, with oldSelf; the fast layer (create) skips them.
      const outcome = evaluateRule(site.rule, self, isTransitionRule(site.rule) ? self : undefined);
      if (typeof outcome === 'boolean') return;
      outcomes.push(outcome);
    }
    throw new Error(`never evaluated to a bool: ${JSON.stringify(outcomes.slice(0, 3))}`);
  });
});

describe('the Kubernetes CEL library functions the CRDs use', () => {
  test.each([
    ["isURL('https://example.com/a') && !isURL('example.com') && !isURL('http://a b')", true],
    ["url('https://example.com/a').getScheme() == 'https'", true],
    ["isIP('10.0.0.1') && isIP('fd00::1') && !isIP('10.0.0')", true],
    ["duration('1h30m') > duration('90m') == false && duration('500ms') < duration('1s')", true],
    ["'a-b.c'.matches('^[a-z.-]+$') && 'AB'.lowerAscii() == 'ab' && 'a,b'.split(',').size() == 2", true],
  ])('%s', (rule, expected) => {
    expect(evaluateRule(rule, {})).toBe(expected);
  });
});

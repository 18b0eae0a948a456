// The fast YAML emitter (src/emit/yaml.ts) against cdk8s's own Yaml.stringify on the scalars and
// shapes most likely to differ. `strict: true` proves the fast path wrote them (no fallback).
import { Yaml } from 'cdk8s';
import { stringifyDocuments } from '../src/emit/yaml';

const fast = (...docs: unknown[]) => stringifyDocuments(docs, { strict: true });
const same = (...docs: unknown[]) => {
  const out = fast(...docs);
  expect(out).toBe(Yaml.stringify(...docs));
  return out;
};

describe('fast emitter: scalars that look like other types stay strings', () => {
  // YAML 1.1 (the schema cdk8s writes with) reads all of these as non-strings when plain.
  const lookalikes = [
    '123', '-1', '+1', '1e3', '1E-3', '.5', '1.', '017', '0x1F', '0b101', '1_000', '1:20', '1:20:30.5',
    'yes', 'Yes', 'YES', 'no', 'y', 'n', 'on', 'Off', 'true', 'False', 'null', 'Null', '~', '',
    '.inf', '-.Inf', '.nan', '2024-01-01', '2024-1-1T10:00:00Z', '2001-12-14 21:59:43.10 -5',
  ];
  test.each(lookalikes)('%j is quoted exactly as cdk8s quotes it', (s) => {
    const out = same({ v: s, list: [s], [s]: 'key' });
    expect(out).toContain(`v: "${s}"`);
  });

  test('near-misses stay plain: 0o17 is not octal in YAML 1.1, 1e3x, v1, yes-please', () => {
    const out = same({ a: '1e3x', b: 'v1', c: 'yes-please', d: '0o17', e: '12ab', f: 'ONE' });
    expect(out).toBe('a: 1e3x\nb: v1\nc: yes-please\nd: 0o17\ne: 12ab\nf: ONE\n');
  });
});

describe('fast emitter: indicators, quotes and whitespace', () => {
  test.each([
    '*', '&anchor', '!tag', '|', '>', '%YAML', '@at', '`tick`', '#hash', '[a]', '{a}', ',', '- item', '-', '?', '? q',
    'a: b', 'a:', 'a #b', 'a#b', ' lead', 'trail ', 'tab\tin', "it's", 'say "hi"', `both ' and "`, '<<', '---', '--- x', '...', ':x',
  ])('%j as value, key and sequence item', (s) => {
    same({ v: s, [s]: 1, seq: [s] });
  });

  test('a key that looks like a document marker is quoted at the root only', () => {
    const out = same({ '---k': 1, nested: { '---k': 1, '...q': 2 } });
    expect(out).toContain('"---k": 1');
    expect(out).toContain('  ---k: 1');
  });

  test('keys needing quotes: spaces, colons, numbers, booleans, empty, newline', () => {
    same({ 'key with space': 1, '1': 2, 'true': 3, 'a:b': 4, 'a: b': 5, '': 6, 'k\nl': 7, "o'k": 8, '"dq"': 9 });
  });
});

describe('fast emitter: multi-line, unicode, control characters, long lines', () => {
  test.each([
    ['clip', 'line 1\nline 2\n'], ['strip', 'line 1\nline 2'], ['keep', 'a\n\n'], ['only newlines', '\n\n'],
    ['leading space', '  indented\nnext'], ['leading blank line', '\nafter'], ['space before newline', 'a \nb'],
    ['trailing blank line with spaces', 'a\n  '], ['inner blank lines', 'a\n\n\nb\n'], ['document marker line', 'x\n---\ny'],
    ['PromQL', 'sum(rate(http_requests_total{job="x"}[5m]))\n/\nsum(rate(y[5m]))'],
  ])('%s', (_name, s) => {
    same({ v: s, deep: { list: [s, { k: s }] } });
  });

  test('unicode and emoji stay literal; control characters, DEL and lone surrogates are escaped', () => {
    const out = same({ u: 'ünïcødé ✓ 😀 日本', c: 'a\u0000b\u0007c\u000bd\u001be\u0085f\u00a0g\u2028h\u2029i', d: 'x\u007fy', s: 'a\ud800b', b: 'back\\slash\b\f\r' });
    expect(out).toContain('u: ünïcødé ✓ 😀 日本');
    expect(out).toContain('\\0');
  });

  test('long single lines and long double-quoted multi-line strings are never folded (lineWidth 0)', () => {
    const long = 'word '.repeat(300).trim();
    const out = same({ long, q: `"${long}"`, dq: 'a \n'.repeat(30), folded: `${'x'.repeat(50)}\n\u0001${'y'.repeat(50)}` });
    expect(out).toContain(`long: ${long}\n`);
  });
});

describe('fast emitter: numbers, null, empty collections, nesting', () => {
  test('numbers as JSON writes them, -0 and non-finite the YAML way', () => {
    const out = same({ n: [0, 1, -1, 1.5, -0, 1e21, 1e-7, 2 ** 53, NaN, Infinity, -Infinity] });
    expect(out).toContain('- .nan\n  - .inf\n  - -.inf');
  });

  test('null and undefined (keepUndefined), booleans', () => {
    expect(same({ a: null, b: undefined, c: [null, undefined], d: true, e: false })).toContain('b: null');
  });

  test('empty objects and arrays stay on their key or dash; nested sequences', () => {
    same({ e: {}, a: [], l: [[], {}, [[]], [{}], { x: [] }], nest: [[1, [2, [3]]], { a: { b: { c: ['x'] } } }] });
    same({}, [], [[[]]], ['a', ['b'], { c: 1 }], { k: [{ a: 1, b: [{ c: 2 }] }] });
  });

  test('multiple documents join with ---, an undefined document is an empty line', () => {
    same({ a: 1 }, undefined, { b: 2 });
  });

  test('a null-prototype object is a mapping', () => {
    const o = Object.assign(Object.create(null), { a: 1 });
    same({ o });
  });
});

describe('fast emitter: values it leaves to cdk8s', () => {
  const shared = { x: 1 };
  test.each([
    ['a Date', { d: new Date(0) }, 'a Date object'],
    ['an object referenced twice', { a: shared, b: shared }, 'an object referenced twice (yaml writes an alias)'],
    ['a Map', { m: new Map([['k', 1]]) }, 'a Map object'],
    ['a bigint', { b: BigInt(10) }, 'a bigint value'],
    ['a key over 1024 characters', { ['k'.repeat(1030)]: 1 }, 'a key longer than 1024 characters (yaml writes an explicit key)'],
    ['a root string', 'text', 'a root string'],
  ])('%s: identical through the fallback, and strict mode names the reason', (_name, doc, reason) => {
    const reasons: string[] = [];
    expect(stringifyDocuments([doc], { onFallback: (r) => reasons.push(r) })).toBe(Yaml.stringify(doc));
    expect(reasons).toEqual([reason]);
    expect(() => stringifyDocuments([doc], { strict: true })).toThrow(`does not cover this document (${reason})`);
  });

  test('a value cdk8s cannot write either fails the same way', () => {
    const doc = { f: () => 1 };
    expect(() => Yaml.stringify(doc)).toThrow();
    expect(() => stringifyDocuments([doc])).toThrow();
  });
});

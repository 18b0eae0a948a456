// Property test: random JSON-like documents, built from the fragments YAML treats specially, are
// written byte-identically by the fast emitter and by cdk8s's Yaml.stringify, all on the fast path.
import { Yaml } from 'cdk8s';
import * as fc from 'fast-check';
import { stringifyDocuments } from '../src/emit/yaml';

const FRAGMENTS = [
  'a', 'Z', '0', '1', '9', '.', '-', '+', '_', ':', ' ', '\t', '\n', '#', "'", '"', '\\', '{', '}', '[', ']', ',', '&', '*',
  '!', '|', '>', '%', '@', '`', '?', '~', 'e', 'E', 'x', 'o', 'b', 'y', 'n', 'yes', 'No', 'null', 'true', '.inf', '.nan',
  '---', '...', '<<', 'ü', '😀', '\u0000', '\u0085', '\u00a0', '\u2028', '\ud800', '\u007f', 'T', '2024-01-02', '12:30:45',
];

const text = fc.oneof(
  fc.array(fc.constantFrom(...FRAGMENTS), { maxLength: 8 }).map((a) => a.join('')),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.string({ maxLength: 60 }),
);
const scalar = fc.oneof(text, fc.double(), fc.integer(), fc.boolean(), fc.constant(null), fc.constant(undefined));
const { value } = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalar, tie('array'), tie('object')),
  array: fc.array(tie('value'), { maxLength: 4 }),
  object: fc.dictionary(text, tie('value'), { maxKeys: 5 }),
}));
const documents = fc.array(fc.oneof(fc.dictionary(text, value, { maxKeys: 6 }), fc.array(value, { maxLength: 4 })), { maxLength: 3 });

test('random documents: fast emitter === cdk8s Yaml.stringify, with no fallback', () => {
  fc.assert(fc.property(documents, (docs) => {
    expect(stringifyDocuments(docs, { strict: true })).toBe(Yaml.stringify(...docs));
  }), { numRuns: 1000 });
});

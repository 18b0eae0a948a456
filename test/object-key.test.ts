// The memo key of the test hooks (test/setup/object-key.ts): equal only for objects every emitter
// and validator treats alike; undefined when a value can't be keyed faithfully (then no memo).
import { objectKey } from './setup/object-key';
test('objectKey keeps apart what JSON conflates and refuses what it cannot key', () => {
  expect(objectKey({ a: undefined })).not.toBe(objectKey({}));
  expect(objectKey({ a: -0 })).not.toBe(objectKey({ a: 0 }));
  expect(objectKey({ a: NaN })).not.toBe(objectKey({ a: null }));
  expect(objectKey({ a: '\u0000undefined' })).not.toBe(objectKey({ a: undefined }));
  expect(objectKey({ a: { toJSON: () => 'x' } })).toBeUndefined();
  const shared = { x: 1 };
  expect(objectKey({ a: shared, b: shared })).toBeUndefined();
  expect(objectKey({ a: { x: 1 }, b: { x: 1 } })).toBeDefined();
  expect(objectKey({ f: () => 1 })).toBeUndefined();
  expect(objectKey({ b: 1, a: 2 })).not.toBe(objectKey({ a: 2, b: 1 }));
  expect(objectKey(undefined)).not.toBe(objectKey(null));
  expect(objectKey([1, [2]])).toBe('[1,[2]]');
});

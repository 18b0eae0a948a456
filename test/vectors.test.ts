// istio/api's CRD test vectors (test/vectors/istio-1.30.3/) through the fast layer.
import { formatValidationErrors, validateManifests } from '../src';
import { FAST_LAYER_EXCEPTIONS, readVectors } from './vectors';

const vectors = readVectors();

describe('istio/api validation vectors through the fast layer', () => {
  test('all 109 documents are read: 33 valid, 76 invalid, each invalid one with its _err', () => {
    expect(vectors.filter((v) => v.valid)).toHaveLength(33);
    expect(vectors.filter((v) => !v.valid)).toHaveLength(76);
    expect(vectors.filter((v) => !v.valid && !v.err)).toEqual([]);
  });

  test.each(vectors.filter((v) => !FAST_LAYER_EXCEPTIONS[`${v.file}/${v.name}`]).map((v) => [`${v.file}/${v.name}`, v]))(
    '%s', (_id, v) => {
      const result = validateManifests([v.object]);
      if (v.valid) expect(formatValidationErrors(result)).toBe('');
      else expect(result.errors.length).toBeGreaterThan(0);
      expect(result.validated).toBe(1);
    },
  );

  test.each(Object.entries(FAST_LAYER_EXCEPTIONS))('known exception %s is still what its reason says', (id) => {
    const v = vectors.find((x) => `${x.file}/${x.name}` === id)!;
    expect(v.object.spec.addresses[1]).toEqual({ '001:db8:': null }); // parsed as a map, so rejected
    expect(validateManifests([v.object]).valid).toBe(false);
    const fixed = { ...v.object, spec: { ...v.object.spec, addresses: ['1.2.3.4', '001:db8::'] } };
    expect(formatValidationErrors(validateManifests([fixed]))).toBe('');
  });
});

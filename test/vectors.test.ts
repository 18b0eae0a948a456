// The validation vectors (test/vectors/) through the fast layer. The server layer sends the same
// documents to a real API server (test/server/server.test.ts).
import { formatValidationErrors, validateManifests } from '../src';
import {
  FAST_LAYER_EXCEPTIONS, GATEWAY_API_VECTORS, ISTIO_VECTORS, LINKERD_VECTORS, readVectors, vectorId, type Vector,
} from './vectors';

const istio = readVectors(ISTIO_VECTORS);
const handWritten = [...readVectors(GATEWAY_API_VECTORS), ...readVectors(LINKERD_VECTORS)];

const lines = (v: Vector) => validateManifests([v.object]).errors.map((e) => `${e.path}: ${e.message}`);

describe('istio/api validation vectors through the fast layer', () => {
  test('all 109 documents are read: 33 valid, 76 invalid, each invalid one with its _err', () => {
    expect(istio.filter((v) => v.valid)).toHaveLength(33);
    expect(istio.filter((v) => !v.valid)).toHaveLength(76);
    expect(istio.filter((v) => !v.valid && !v.err)).toEqual([]);
  });

  test.each(istio.filter((v) => !FAST_LAYER_EXCEPTIONS[vectorId(v)]).map((v) => [vectorId(v), v]))(
    '%s', (_id, v) => {
      const result = validateManifests([v.object]);
      if (v.valid) expect(formatValidationErrors(result)).toBe('');
      else expect(result.errors.length).toBeGreaterThan(0);
      expect(result.validated).toBe(1);
    },
  );

  test.each(Object.entries(FAST_LAYER_EXCEPTIONS))('known exception %s is still what its reason says', (id) => {
    const v = istio.find((x) => vectorId(x) === id)!;
    expect(v.object.spec.addresses[1]).toEqual({ '001:db8:': null }); // parsed as a map, so rejected
    expect(validateManifests([v.object]).valid).toBe(false);
    const fixed = { ...v.object, spec: { ...v.object.spec, addresses: ['1.2.3.4', '001:db8::'] } };
    expect(formatValidationErrors(validateManifests([fixed]))).toBe('');
  });
});

describe('hand-written Gateway API and Linkerd vectors: the fast layer says what the API server says', () => {
  test('every kind the backends will write is covered, valid and invalid', () => {
    const kinds = (valid: boolean) => [...new Set(handWritten.filter((v) => v.valid === valid).map((v) => `${v.object.apiVersion} ${v.object.kind}`))].sort();
    const expected = [
      'gateway.networking.k8s.io/v1 Gateway', 'gateway.networking.k8s.io/v1 HTTPRoute',
      'policy.linkerd.io/v1alpha1 AuthorizationPolicy', 'policy.linkerd.io/v1alpha1 MeshTLSAuthentication',
      'policy.linkerd.io/v1alpha1 NetworkAuthentication', 'policy.linkerd.io/v1beta3 Server',
    ];
    expect(kinds(true)).toEqual(expected);
    expect(kinds(false)).toEqual(expected);
    expect(handWritten.filter((v) => !v.valid && !v.err)).toEqual([]);
  });

  test.each(handWritten.map((v) => [vectorId(v), v]))('%s', (_id, v) => {
    const found = lines(v);
    if (v.valid) expect(found).toEqual([]);
    else expect(found).toContainEqual(expect.stringContaining(v.err!));
  });

  test('the documents are not changed by validation (defaults are filled into a copy)', () => {
    for (const v of handWritten) {
      const before = JSON.stringify(v.object);
      validateManifests([v.object]);
      expect(JSON.stringify(v.object)).toBe(before);
    }
  });
});

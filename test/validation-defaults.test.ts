// The fast layer fills CRD defaults in before the schema and CEL run, as the API server does.
// Each test shows the rule's outcome with the defaults (what the server says) and without them
// (what the fast layer said before), so a default that stops being applied fails here.
import { ManifestValidator, validateManifests } from '../src';
import { withServerDefaults } from '../src/validation/defaults';
import { checkStructural } from '../src/validation/structural';

const validator = new ManifestValidator();
const schemaOf = (apiVersion: string, kind: string) => validator.customResource(apiVersion, kind)!.structural;
const HTTPROUTE = schemaOf('gateway.networking.k8s.io/v1', 'HTTPRoute');
const GATEWAY = schemaOf('gateway.networking.k8s.io/v1', 'Gateway');
const lines = (objects: any[]) => validateManifests(objects).errors.map((e) => `${e.path}: ${e.message}`);
const withoutDefaults = (schema: any, object: any) => checkStructural(schema, object).map((e) => `${e.path}: ${e.message}`);

const route = (rules: any[]) => ({
  apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name: 'reviews', namespace: 'shop' },
  spec: { parentRefs: [{ group: '', kind: 'Service', name: 'reviews', port: 9080 }], rules },
});
const gateway = (listeners: any[]) => ({
  apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: { name: 'public', namespace: 'infra' },
  spec: { gatewayClassName: 'istio', listeners },
});

describe('CRD defaults before CEL (as the API server applies them)', () => {
  test('a GAMMA HTTPRoute without backendRef group/kind and without matches is accepted, as the server accepts it', () => {
    const r = route([{ backendRefs: [{ name: 'reviews-v1', port: 9080 }] }]);
    expect(lines([r])).toEqual([]);
    // Without defaults the rules stop on the missing fields (the fast layer's old verdict).
    expect(withoutDefaults(HTTPROUTE, r)).toEqual([
      'spec.rules: Invalid value: "array": no such key: matches evaluating rule: While 16 rules and 64 matches per rule are allowed, the total number of matches across all rules in a route must be less than 128',
      'spec.rules[0].backendRefs[0]: Invalid value: "object": no such key: group evaluating rule: Must have port for Service reference',
    ]);
  });

  test('a rule that holds only because of a default: a TLS listener must set a mode, and the default Terminate is one', () => {
    const g = gateway([{ name: 'tls', protocol: 'TLS', port: 8443, tls: { certificateRefs: [{ name: 'db-cert' }] } }]);
    expect(withoutDefaults(GATEWAY, g)).toEqual([
      'spec.listeners: Invalid value: tls mode must be set for protocol TLS',
      'spec.listeners[0].tls: Invalid value: "object": no such key: mode evaluating rule: certificateRefs or options must be specified when mode is Terminate',
    ]);
    expect(lines([g])).toEqual([]);
  });

  test('a rule that fails only because of a default: group "" and kind Service are filled in, and a Service reference needs a port', () => {
    const r = route([{ matches: [{ path: { type: 'PathPrefix', value: '/' } }], backendRefs: [{ name: 'reviews-v1' }] }]);
    expect(withoutDefaults(HTTPROUTE, r)).toEqual([
      'spec.rules[0].backendRefs[0]: Invalid value: "object": no such key: group evaluating rule: Must have port for Service reference',
    ]);
    expect(lines([r])).toEqual(['spec.rules[0].backendRefs[0]: Invalid value: Must have port for Service reference']);
    // Naming another kind of backend (no default kicks in) needs no port.
    const custom = route([{ backendRefs: [{ group: 'example.com', kind: 'Bucket', name: 'b' }] }]);
    expect(lines([custom])).toEqual([]);
  });

  test('defaults inside defaults are filled: an omitted rules list becomes one PathPrefix "/" match', () => {
    const r = route([]);
    delete (r.spec as any).rules;
    expect(withServerDefaults(HTTPROUTE, r).spec.rules).toEqual([{ matches: [{ path: { type: 'PathPrefix', value: '/' } }] }]);
    const g = withServerDefaults(GATEWAY, gateway([{ name: 'web', protocol: 'HTTP', port: 80 }]));
    expect(g.spec.listeners[0].allowedRoutes).toEqual({ namespaces: { from: 'Same' } });
  });

  test('nulls: a non-nullable null with a default gets the default, one without a default is dropped', () => {
    const r = route([{ backendRefs: [{ name: 'reviews-v1', port: 9080, weight: null }], timeouts: null }]);
    const served = withServerDefaults(HTTPROUTE, r);
    expect(served.spec.rules[0].backendRefs[0].weight).toBe(1);
    expect(served.spec.rules[0]).not.toHaveProperty('timeouts');
    expect(lines([r])).toEqual([]);
  });

  test('the caller\'s object is never changed, even a frozen one', () => {
    const deepFreeze = (o: any): any => { Object.values(o).forEach((v) => v && typeof v === 'object' && deepFreeze(v)); return Object.freeze(o); };
    const r = deepFreeze(route([{ backendRefs: [{ name: 'reviews-v1', port: 9080, weight: null }] }]));
    const before = JSON.stringify(r);
    expect(lines([r])).toEqual([]);
    expect(JSON.stringify(r)).toBe(before);
    expect(r.spec.rules[0]).not.toHaveProperty('matches');
  });
});

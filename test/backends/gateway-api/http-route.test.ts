import { Duration } from 'cdk8s';
import { HttpMethod, RetryOn, StringMatch, Weight } from '../../../src';
import {
  gatewayDuration, ISTIO_AMBIENT_GATEWAY_API, ISTIO_SIDECAR_GATEWAY_API, LINKERD_GATEWAY_API, parseGatewayDuration, toHttpRouteSpec,
} from '../../../src/backends/gateway-api';
import { validateManifests } from '../../../src/validation';
import { httpRouteObject, REF, routing, service, synthesized } from './fixtures';

const ISTIO = ISTIO_SIDECAR_GATEWAY_API;
const seed = () => routing(
  [{ name: 'version-header', matches: [{ headers: { version: StringMatch.exact('v2') } }], destinations: [{ version: 'v2' }] }],
  { destinations: [{ version: 'v1', weight: Weight.fraction(0.9) }, { version: 'v2', weight: Weight.fraction(0.1) }] },
);
/**
 * The spec, after checking that the package's validator (schema + CEL) accepts it as a full object;
 * synthesized in a chart too, so the server layer dry-runs it in .ci/run.
 */
function render(...args: Parameters<typeof routing>) {
  const spec = toHttpRouteSpec(REF, routing(...args), service(), ISTIO);
  expect(validateManifests([httpRouteObject(spec)]).errors).toEqual([]);
  expect(synthesized(spec).spec).toEqual(JSON.parse(JSON.stringify(spec)));
  return spec;
}

describe('toHttpRouteSpec', () => {
  test('renders the seed scenario: header version v2 → myservice-v2, the rest 90/10 (snapshot; schema and CEL valid)', () => {
    const spec = toHttpRouteSpec(REF, seed(), service(), ISTIO);
    const result = validateManifests([httpRouteObject(spec)]);
    expect(result).toMatchObject({ valid: true, validated: 1, unvalidated: [] });
    // Through a chart: the jest hook validates it and records it for the server layer's dry-run.
    expect(synthesized(spec)).toMatchSnapshot();
  });

  test('renders explicit group, kind and port on every ref, and weight 100 for a single destination', () => {
    const spec = toHttpRouteSpec(REF, seed(), service('myservice', 9080), ISTIO);
    expect(spec.parentRefs).toEqual([{ group: '', kind: 'Service', name: 'myservice', port: 9080 }]);
    expect(spec.rules![0].backendRefs).toEqual([{ group: '', kind: 'Service', name: 'myservice-v2', port: 9080, weight: 100 }]);
    expect(spec.rules![1].backendRefs!.map((b) => b.weight)).toEqual([90, 10]);
    // The API server's defaults, written out: a catch-all is PathPrefix '/', header matches say Exact.
    expect(spec.rules![1].matches).toEqual([{ path: { type: 'PathPrefix', value: '/' } }]);
    expect(spec.rules![0].matches![0].headers).toEqual([{ name: 'version', type: 'Exact', value: 'v2' }]);
  });

  test('renders the namespace on refs when the route lives outside the Service\'s namespace', () => {
    const model = routing([], { destinations: [{ version: 'v1' }] }, { service: 'prod', route: 'frontend' });
    const spec = toHttpRouteSpec(REF, model, service('myservice', 8080, 'prod'), ISTIO);
    expect(spec.parentRefs).toEqual([{ group: '', kind: 'Service', name: 'myservice', namespace: 'prod', port: 8080 }]);
    expect(spec.rules![0].backendRefs![0]).toMatchObject({ name: 'myservice-v1', namespace: 'prod' });
    const same = toHttpRouteSpec(REF, routing([], { destinations: [{ version: 'v1' }] }), service(), ISTIO);
    expect(same.parentRefs![0]).not.toHaveProperty('namespace');
  });

  test('renders an earlier rule\'s conditions combined with a later, longer path so the earlier rule still wins (meshes.md example)', () => {
    const spec = render([
      { name: 'canary', matches: [{ headers: { 'x-canary': StringMatch.exact('yes') } }], destinations: [{ version: 'v2' }] },
      { name: 'api', matches: [{ uri: StringMatch.prefix('/api') }], destinations: [{ version: 'v1' }] },
    ], { destinations: [{ version: 'v1' }] });
    expect(spec.rules!.map((r) => [r.name, r.matches, r.backendRefs![0].name])).toEqual([
      ['canary', [
        { path: { type: 'PathPrefix', value: '/' }, headers: [{ name: 'x-canary', type: 'Exact', value: 'yes' }] },
        // Carried: /api outranks '/', so the canary rule needs its own /api match.
        { path: { type: 'PathPrefix', value: '/api' }, headers: [{ name: 'x-canary', type: 'Exact', value: 'yes' }] },
      ], 'myservice-v2'],
      ['api', [{ path: { type: 'PathPrefix', value: '/api' } }], 'myservice-v1'],
      [undefined, [{ path: { type: 'PathPrefix', value: '/' } }], 'myservice-v1'],
    ]);
  });

  test('renders the rules in written order when their precedence already agrees (nothing carried)', () => {
    const spec = render([
      { matches: [{ uri: StringMatch.exact('/api/login'), method: HttpMethod.POST }], destinations: [{ version: 'v2' }] },
      { matches: [{ uri: StringMatch.prefix('/api'), headers: { 'x-beta': StringMatch.regex('^(1|yes)$') } }], destinations: [{ version: 'v2' }] },
      { matches: [{ uri: StringMatch.prefix('/api') }], destinations: [{ version: 'v1' }] },
    ], { destinations: [{ version: 'v1' }] });
    expect(spec.rules!.map((r) => r.matches!.length)).toEqual([1, 1, 1, 1]);
    expect(spec.rules![0].matches).toEqual([{ path: { type: 'Exact', value: '/api/login' }, method: 'POST' }]);
    expect(spec.rules![1].matches![0].headers).toEqual([{ name: 'x-beta', type: 'RegularExpression', value: '^(1|yes)$' }]);
  });

  test('renders query parameters, methods and the cookie match', () => {
    const spec = render([{
      matches: [{ method: HttpMethod.GET, queryParams: { beta: StringMatch.exact('1'), variant: StringMatch.regex('[ab]') }, cookie: { name: 'canary', value: 'always' } }],
      destinations: [{ version: 'v2' }],
    }], { destinations: [{ version: 'v1' }] });
    expect(spec.rules![0].matches).toEqual([{
      path: { type: 'PathPrefix', value: '/' },
      method: 'GET',
      headers: [{ name: 'cookie', type: 'RegularExpression', value: '^(.*?;\\s*)?(canary=always)(;.*)?$' }],
      queryParams: [{ name: 'beta', type: 'Exact', value: '1' }, { name: 'variant', type: 'RegularExpression', value: '[ab]' }],
    }]);
  });

  test('renders timeouts in GEP-2257 form, and retries with the model\'s classes expanded into codes', () => {
    const spec = render([{
      matches: [{ uri: StringMatch.prefix('/api') }],
      destinations: [{ version: 'v1' }],
      timeout: Duration.seconds(2),
      retries: { attempts: 3, perTryTimeout: Duration.millis(1500), retryOn: [RetryOn.GATEWAY_ERROR, RetryOn.RETRIABLE_4XX, RetryOn.httpStatus(429), RetryOn.CONNECT_FAILURE, RetryOn.REFUSED_STREAM] },
    }], { destinations: [{ version: 'v1' }], retries: { attempts: 2, retryOn: [RetryOn.FIVE_XX] } });
    expect(spec.rules![0]).toMatchObject({ timeouts: { request: '2s', backendRequest: '1500ms' }, retry: { attempts: 3, codes: [409, 429, 502, 503, 504] } });
    expect(spec.rules![1].retry).toEqual({ attempts: 2, codes: Array.from({ length: 100 }, (_, i) => 500 + i) });
    expect(spec.rules![1]).not.toHaveProperty('timeouts');
  });

  test('renders attempts 0 (no retries, not even the mesh default) without codes', () => {
    const spec = render([], { destinations: [{ version: 'v1' }], retries: { attempts: 0, retryOn: [RetryOn.GATEWAY_ERROR] } });
    expect(spec.rules![0].retry).toEqual({ attempts: 0 });
  });

  test('renders a mirror as a RequestMirror filter: percent when whole, an exact fraction otherwise', () => {
    const spec = render([
      { matches: [{ headers: { 'x-shadow': StringMatch.exact('1') } }], destinations: [{ version: 'v1' }], mirror: { version: 'v2', percentage: 0.5 } },
    ], { destinations: [{ version: 'v1' }], mirror: { version: 'v2' } });
    expect(spec.rules![0].filters).toEqual([{ type: 'RequestMirror', requestMirror: {
      backendRef: { group: '', kind: 'Service', name: 'myservice-v2', port: 8080 }, fraction: { numerator: 5, denominator: 1000 },
    } }]);
    expect(spec.rules![1].filters![0].requestMirror).toMatchObject({ percent: 100 });
  });

  test('renders rule names where the dialect reads them, suffixing the parts of a rule split to keep precedence', () => {
    const rules = [
      { name: 'canary', matches: [{ headers: { 'x-canary': StringMatch.exact('yes') } }], destinations: [{ version: 'v2' }] },
      { name: 'api', matches: [{ uri: StringMatch.prefix('/api') }], destinations: [{ version: 'v1' }] },
      { name: 'web', matches: [{ uri: StringMatch.prefix('/web') }, { headers: { 'x-canary': StringMatch.exact('yes') } }], destinations: [{ version: 'v3' }] },
    ];
    const spec = render(rules, { destinations: [{ version: 'v1' }] });
    expect(spec.rules!.map((r) => r.name)).toEqual(['canary', 'api', 'canary-2', 'web', undefined]);
    const linkerd = toHttpRouteSpec(REF, routing(rules, { destinations: [{ version: 'v1' }] }), service(), LINKERD_GATEWAY_API);
    expect(linkerd.rules!.every((r) => r.name === undefined)).toBe(true);
  });

  test('renders no retry or timeouts for a dialect that takes them from annotations (Linkerd)', () => {
    const model = routing([], { destinations: [{ version: 'v1' }], timeout: Duration.seconds(3), retries: { attempts: 2, perTryTimeout: Duration.seconds(1), retryOn: [RetryOn.GATEWAY_ERROR] } });
    const linkerd = toHttpRouteSpec(REF, model, service(), LINKERD_GATEWAY_API);
    expect(linkerd.rules![0]).not.toHaveProperty('retry');
    expect(linkerd.rules![0]).not.toHaveProperty('timeouts');
    expect(toHttpRouteSpec(REF, model, service(), ISTIO_AMBIENT_GATEWAY_API).rules![0]).toMatchObject({ timeouts: { request: '3s', backendRequest: '1s' }, retry: { attempts: 2 } });
  });

  test('renders a path prefix by whole segments, as Gateway API matches it (/api matches /api/x, not /apix)', () => {
    const spec = render([{ matches: [{ uri: StringMatch.prefix('/api') }], destinations: [{ version: 'v2' }] }], { destinations: [{ version: 'v1' }] });
    expect(spec.rules![0].matches).toEqual([{ path: { type: 'PathPrefix', value: '/api' } }]);
  });

  test('renders routes the validator accepts for every dialect (as full objects, with CEL)', () => {
    for (const dialect of [ISTIO_SIDECAR_GATEWAY_API, ISTIO_AMBIENT_GATEWAY_API, LINKERD_GATEWAY_API]) {
      const spec = toHttpRouteSpec(REF, seed(), service(), dialect);
      expect(validateManifests([httpRouteObject(spec)]).errors).toEqual([]);
      synthesized(spec);
    }
  });

  test('the validator rejects a backendRequest longer than the request timeout (the CEL rule the renderer relies on)', () => {
    const spec = toHttpRouteSpec(REF, seed(), service(), ISTIO);
    const bad = { ...spec, rules: [{ ...spec.rules![1], timeouts: { request: '1s', backendRequest: '2s' } }] };
    expect(validateManifests([httpRouteObject(bad)]).errors.map((e) => e.message)).toEqual([expect.stringContaining('backendRequest timeout cannot be longer than request timeout')]);
  });
});

describe('gatewayDuration', () => {
  test.each([[1, '1ms'], [1500, '1500ms'], [2000, '2s'], [90_000, '90s'], [120_000, '2m'], [99_999, '99999ms'], [100_001, '1m40s1ms'], [100_000_001, '27h46m40s1ms'], [7_200_000, '2h']])(
    'renders %i ms as %s, which parses back', (ms, text) => {
      expect(gatewayDuration(ms)).toBe(text);
      expect(text).toMatch(/^([0-9]{1,5}(h|m|s|ms)){1,4}$/);
      expect(parseGatewayDuration(text)).toBe(ms);
    });

  test('fails when the duration is not whole milliseconds', () => {
    expect(() => gatewayDuration(1.5)).toThrow('1.5 is not a whole number of milliseconds');
  });
});

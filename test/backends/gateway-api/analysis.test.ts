import { RetryOn, StringMatch, Weight } from '../../../src';
import { analyzeGatewayApiRouting, GatewayApiRouteInput, ISTIO_SIDECAR_GATEWAY_API, LINKERD_GATEWAY_API } from '../../../src/backends/gateway-api';
import { TrafficRouteOptions, TrafficRule } from '../../../src/routing/route-options';
import { REF, routing, service } from './fixtures';

const split: TrafficRouteOptions = { destinations: [{ version: 'v1', weight: Weight.percent(90) }, { version: 'v2', weight: Weight.percent(10) }] };
const input = (rules: TrafficRule[], defaultRoute: TrafficRouteOptions = split, extra: Partial<GatewayApiRouteInput> = {}): GatewayApiRouteInput =>
  ({ ref: REF, model: routing(rules, defaultRoute), service: service(), versions: ['v1', 'v2'], ...extra });
const analyze = (...routes: GatewayApiRouteInput[]) => analyzeGatewayApiRouting(routes, ISTIO_SIDECAR_GATEWAY_API);
const header = (value: string) => ({ headers: { version: StringMatch.exact(value) } });

describe('analyzeGatewayApiRouting', () => {
  test('finds nothing in the seed scenario', () => {
    expect(analyze(input([{ matches: [header('v2')], destinations: [{ version: 'v2' }] }]))).toEqual([]);
  });

  test('fails when a route sends traffic to a version without a Service', () => {
    expect(analyze(input([{ matches: [header('v3')], destinations: [{ version: 'v3' }] }]))).toEqual([
      'GatewayAPI BackendNotFound: TrafficSplit \'test/myservice-routing\': prop \'rules[0].destinations[0].version\' is "v3", which is not a version of "myservice" (declared: "v1", "v2"), '
      + 'so Service "myservice-v3" does not exist and its share of requests fails (ResolvedRefs: BackendNotFound). Fix: route to a declared version, or declare it (versions: [...] or addVersion()).',
    ]);
  });

  test('fails when a route sends traffic or a mirror to a version with replicas: 0 (but not at weight 0)', () => {
    const replicas = (v: string) => (v === 'v2' ? 0 : 2);
    expect(analyze(input([], split, { replicas }))).toEqual([expect.stringMatching(/^GatewayAPI NoPods: .* prop 'defaultRoute.destinations\[1\].version' is "v2", which receives traffic, but version "v2" has replicas: 0, so Service "myservice-v2" selects no pod/)]);
    const weightZero: TrafficRouteOptions = { destinations: [{ version: 'v1', weight: Weight.percent(100) }, { version: 'v2', weight: Weight.percent(0) }] };
    expect(analyze(input([], weightZero, { replicas }))).toEqual([]);
    expect(analyze(input([], { destinations: [{ version: 'v1' }], mirror: { version: 'v2' } }, { replicas }))).toEqual([expect.stringMatching(/^GatewayAPI NoPods: .* prop 'defaultRoute.mirror.version'.* Fix: scale the version up, or drop the mirror\.$/)]);
  });

  test('fails when a rule is never reached under Gateway API precedence (after a catch-all)', () => {
    expect(analyze(input([
      { matches: [header('v2')], destinations: [{ version: 'v2' }] },
      { destinations: [{ version: 'v1' }] },
      { matches: [header('v1')], destinations: [{ version: 'v1' }] },
    ]))).toEqual([
      expect.stringMatching(/^GatewayAPI UnreachableRule: .* prop 'rules\[2\]' is "rules\[2\].matches\[0\] → v1", which is never reached under Gateway API precedence/),
      expect.stringMatching(/^GatewayAPI UnreachableRule: .* prop 'defaultRoute' is "every request → v1, v2"/),
    ]);
  });

  test('fails when one match of a rule never wins, while the rule is still reached', () => {
    expect(analyze(input([
      { matches: [{ uri: StringMatch.prefix('/api') }], destinations: [{ version: 'v2' }] },
      { matches: [{ uri: StringMatch.exact('/api/users') }, { uri: StringMatch.prefix('/web') }], destinations: [{ version: 'v1' }] },
    ]))).toEqual([
      'GatewayAPI IneffectiveMatch: TrafficSplit \'test/myservice-routing\': prop \'rules[1].matches[0]\' is "path Exact \'/api/users\'", which never wins under Gateway API precedence: '
      + '(rules[0].matches[0] ∧ rules[1].matches[0]) (path Exact \'/api/users\') matches every request it matches and ranks at least as high, so they go to rules[0]. '
      + 'Fix: remove the match, or move the more specific rule before the more general one.',
    ]);
  });

  test('fails when two routes attach to the same Service port (only the second is reported)', () => {
    const second = { ...input([]), ref: { construct: 'TrafficSplit', path: 'test/other-routing' } };
    expect(analyze(input([]), second)).toEqual([
      'GatewayAPI ConflictingRoutes: TrafficSplit \'test/other-routing\': prop \'service\' is "myservice", which is already routed by \'test/myservice-routing\': '
      + 'two HTTPRoutes attached to Service test/myservice port 8080 are merged by precedence and, on ties, by creation time. Fix: route the service from one place only (add these rules to \'test/myservice-routing\').',
    ]);
    expect(analyze(input([]), { ...second, service: service('myservice', 9090) })).toEqual([]);
  });

  test('fails when a regex is not RE2', () => {
    expect(analyze(input([{ matches: [{ headers: { 'x-user': StringMatch.regex('(?=admin).*') } }], destinations: [{ version: 'v2' }] }]))).toEqual([
      expect.stringMatching(/^GatewayAPI InvalidRegex: .* prop 'rules\[0\].matches\[0\].headers\["x-user"\]' is "\(\?=admin\)\.\*", which is not a valid RE2 regular expression \(error parsing regexp: invalid or unsupported Perl syntax/),
    ]);
  });

  test('reports what the renderer refuses, naming the backend', () => {
    const retries = { destinations: [{ version: 'v1' }], retries: { attempts: 1, retryOn: [RetryOn.RESET] } };
    expect(analyze(input([], retries))).toEqual([expect.stringMatching(/^GatewayAPI NotExpressible: .* Istio sidecar \(Gateway API routing\) cannot express/)]);
    expect(analyzeGatewayApiRouting([input([], retries)], LINKERD_GATEWAY_API)).toEqual([]);
  });
});

import { Duration } from 'cdk8s';
import { RetryOn, StringMatch } from '../../../src';
import { ISTIO_SIDECAR_GATEWAY_API, LINKERD_GATEWAY_API, requireExpressible, toHttpRouteSpec } from '../../../src/backends/gateway-api';
import { TrafficRouteOptions, TrafficRule } from '../../../src/routing/route-options';
import { REF, routing, service } from './fixtures';

const ISTIO = ISTIO_SIDECAR_GATEWAY_API;
const v1: TrafficRouteOptions = { destinations: [{ version: 'v1' }] };
const renderWith = (dialect = ISTIO) => (rules: TrafficRule[], defaultRoute: TrafficRouteOptions = v1) =>
  () => toHttpRouteSpec(REF, routing(rules, defaultRoute), service(), dialect);
const render = renderWith();
const PREFIX = 'TrafficSplit \'test/myservice-routing\': prop';

describe('toHttpRouteSpec fails', () => {
  test('fails when a rule injects faults, naming the backend (Istio sidecar with Gateway API routing)', () => {
    expect(render([{ matches: [{ headers: { 'x-test': StringMatch.exact('fault') } }], destinations: [{ version: 'v1' }], fault: { abort: { httpStatus: 503 } } }])).toThrow(
      `${PREFIX} 'rules[0].fault' is {"abort":{"httpStatus":503,"percentage":100}}, which Istio sidecar (Gateway API routing) cannot express: Gateway API HTTPRoute has no fault injection. `
      + 'Fix: inject faults with the Istio sidecar backend routing with VirtualService, or in the application or a test proxy; remove `fault` from this rule.');
  });

  test('fails when a rule injects faults under Linkerd, naming Linkerd', () => {
    expect(renderWith(LINKERD_GATEWAY_API)([], { ...v1, fault: { delay: { fixed: Duration.seconds(1) } } })).toThrow(/prop 'defaultRoute.fault' .* which Linkerd cannot express: Gateway API HTTPRoute has no fault injection/);
  });

  test('fails when a header is matched by prefix, suggesting the regex', () => {
    expect(render([{ matches: [{ headers: { version: StringMatch.prefix('v1.') } }], destinations: [{ version: 'v2' }] }])).toThrow(
      `${PREFIX} 'rules[0].matches[0].headers["version"]' is "StringMatch.prefix(\\"v1.\\")", which Istio sidecar (Gateway API routing) cannot express: Gateway API header matches are Exact or RegularExpression only (no prefix). `
      + 'Fix: use StringMatch.regex("^v1\\\\..*").');
  });

  test('fails when Linkerd would drop the route for its mirror', () => {
    expect(renderWith(LINKERD_GATEWAY_API)([], { ...v1, mirror: { version: 'v2', percentage: 10 } })).toThrow(
      `${PREFIX} 'defaultRoute.mirror' is {"version":"v2","percentage":10}, which Linkerd cannot express: Linkerd drops a whole HTTPRoute that has a RequestMirror filter (only a controller log line says so). `
      + 'Fix: remove the mirror, or mirror with a backend that honours RequestMirror (Istio sidecar or ambient).');
  });

  test.each([
    ['reset', RetryOn.RESET, 'is not a status code'],
    ['deadline-exceeded', RetryOn.DEADLINE_EXCEEDED, 'is a gRPC status carried in trailers, not an HTTP status code'],
    ['internal', RetryOn.INTERNAL, 'is a gRPC status carried in trailers'],
  ])('fails when retrying on %s, which Istio\'s translation has no equivalent for', (name, on, why) => {
    expect(render([], { ...v1, retries: { attempts: 2, retryOn: [RetryOn.GATEWAY_ERROR, on] } })).toThrow(
      `${PREFIX} 'defaultRoute.retries.retryOn[1]' is "${name}", which Istio sidecar (Gateway API routing) cannot express: Istio sidecar (Gateway API routing) retries only on status codes plus connect-failure, refused-stream, unavailable, cancelled when an HTTPRoute rule sets \`retry\`, and "${name}" ${why}`);
  });

  test('fails when retrying on a status below 400 (HTTPRoute retry codes are 400–599)', () => {
    expect(render([], { ...v1, retries: { attempts: 1, retryOn: [RetryOn.httpStatus(302)] } })).toThrow(/prop 'defaultRoute.retries.retryOn\[0\]' is "RetryOn.httpStatus\(302\)", which Istio sidecar \(Gateway API routing\) cannot express: HTTPRoute retry codes are 400–599/);
  });

  test('does not check retries a dialect renders elsewhere (Linkerd annotations)', () => {
    expect(renderWith(LINKERD_GATEWAY_API)([], { ...v1, retries: { attempts: 1, retryOn: [RetryOn.RESET] } })).not.toThrow();
  });

  test('fails when a path prefix ends with "/", which Gateway API would also match without it', () => {
    expect(render([{ matches: [{ uri: StringMatch.prefix('/api/') }], destinations: [{ version: 'v2' }] }])).toThrow(
      `${PREFIX} 'rules[0].matches[0].uri' is "StringMatch.prefix(\\"/api/\\")", which Istio sidecar (Gateway API routing) cannot express: a Gateway API PathPrefix compares whole path segments and ignores a trailing '/', so it would also match "/api" itself. `
      + 'Fix: use StringMatch.prefix("/api") if "/api" should match too, or StringMatch.regex("/api/.*") if not.');
  });

  test('fails when a path has segments Gateway API rejects', () => {
    expect(render([{ matches: [{ uri: StringMatch.exact('/a//b') }], destinations: [{ version: 'v2' }] }])).toThrow(/prop 'rules\[0\].matches\[0\].uri' .*Gateway API rejects Exact and PathPrefix paths containing or ending with '\/\/'/);
    expect(render([{ matches: [{ uri: StringMatch.prefix('/ä') }], destinations: [{ version: 'v2' }] }])).toThrow(/with characters outside RFC 3986 path characters. Fix: normalize the path/);
  });

  test('fails when a header value is empty or has doubled spaces, naming the regex alternative', () => {
    expect(render([{ matches: [{ headers: { 'x-empty': StringMatch.exact('') } }], destinations: [{ version: 'v2' }] }])).toThrow(
      /prop 'rules\[0\].matches\[0\].headers\["x-empty"\]' is "StringMatch.exact\(\\"\\"\)", which Istio sidecar \(Gateway API routing\) cannot express: Gateway API match values can't be empty. Fix: use StringMatch.regex\("\^\$"\)/);
    expect(render([{ matches: [{ headers: { 'x-a': StringMatch.exact('a  b') } }], destinations: [{ version: 'v2' }] }])).toThrow(/must be printable ASCII without leading, trailing or doubled spaces. Fix: match with StringMatch.regex\(\)/);
  });

  test('fails when a rule name is not a DNS subdomain, where the dialect renders names', () => {
    expect(render([{ name: 'Version Header', matches: [{ headers: { version: StringMatch.exact('v2') } }], destinations: [{ version: 'v2' }] }])).toThrow(
      /prop 'rules\[0\].name' is "Version Header", which Istio sidecar \(Gateway API routing\) cannot express: HTTPRoute rule names are DNS subdomains .* Fix: rename the rule, e.g. "version-header"/);
    expect(renderWith(LINKERD_GATEWAY_API)([{ name: 'Version Header', matches: [{ headers: { version: StringMatch.exact('v2') } }], destinations: [{ version: 'v2' }] }])).not.toThrow();
  });

  test('requireExpressible accepts what it can render', () => {
    const model = routing([{ matches: [{ headers: { version: StringMatch.regex('^v2.*') } }], destinations: [{ version: 'v2' }], retries: { attempts: 2, retryOn: [RetryOn.FIVE_XX, RetryOn.UNAVAILABLE] } }], v1);
    for (const rule of model.rules) expect(() => requireExpressible(REF, rule, ISTIO)).not.toThrow();
  });
});

describe('toHttpRouteSpec refuses a route whose precedence it can\'t keep, naming both rules', () => {
  test('fails when a regex path rule comes before a catch-all (Istio ranks regex paths below every PathPrefix)', () => {
    expect(render([{ matches: [{ uri: StringMatch.regex('/api/v[0-9]+/.*') }], destinations: [{ version: 'v2' }] }])).toThrow(
      `${PREFIX} 'defaultRoute' is "every request", which outranks rules[0].matches[0] (path RegularExpression '/api/v[0-9]+/.*') under Gateway API precedence (Gateway API leaves the precedence of RegularExpression paths to the implementation (Istio ranks them below every PathPrefix, even '/')), `
      + 'so Istio sidecar (Gateway API routing) would send requests matching both to defaultRoute instead of rules[0], which comes first; a match for both (path RegularExpression \'/api/v[0-9]+/.*\') would not outrank defaultRoute either. '
      + 'Fix: give rules[0].matches[0] an Exact or PathPrefix path instead of a regular expression, or make the two matches disjoint (e.g. give defaultRoute a condition that excludes rules[0].matches[0]\'s requests), or move defaultRoute before rules[0] if it should win.');
  });

  test('fails when keeping the order needs two regexes on one header', () => {
    expect(render([
      { matches: [{ headers: { version: StringMatch.regex('v1.*') } }], destinations: [{ version: 'v2' }] },
      { matches: [{ headers: { version: StringMatch.regex('v[0-9]'), 'x-beta': StringMatch.exact('1') } }], destinations: [{ version: 'v3' }] },
    ])).toThrow(/prop 'rules\[1\].matches\[0\]' is "header version RegularExpression 'v\[0-9\]' and header x-beta Exact '1'", which outranks rules\[0\].matches\[0\] .* \(more header matches \(2 > 1\) outrank fewer\), .* but header version would need two regular expressions at once/);
  });

  test('fails when keeping the order needs more than 16 HTTPRoute rules', () => {
    const rules: TrafficRule[] = Array.from({ length: 17 }, (_, i) => ({ matches: [{ uri: StringMatch.exact(`/p${i}`) }], destinations: [{ version: `v${i % 2}` }] }));
    expect(render(rules)).toThrow(/prop 'rules' is "18 rules", which render as 18 HTTPRoute rules \(an HTTPRoute holds at most 16\)/);
  });
});

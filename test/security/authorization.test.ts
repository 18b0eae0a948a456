import { Chart, Testing } from 'cdk8s';
import { AuthorizationAction, AuthorizationPolicy, Caller, MeshService } from '../../src';
import { chart, object } from '../util';

const V1 = [{ name: 'v1', image: 'ghcr.io/acme/app:1.0.0' }];

function setup(namespace: string | null = 'shop') {
  const c = chart(namespace);
  const users = new MeshService(c, 'users', { versions: V1 });
  const frontend = new MeshService(c, 'frontend', { versions: V1 });
  return { c, users, frontend };
}

describe('AuthorizationPolicy', () => {
  test('snapshot: frontend may GET /api/users', () => {
    const { c, users, frontend } = setup();
    new AuthorizationPolicy(c, 'users-callers', { service: users })
      .allow({ from: [Caller.meshService(frontend)], methods: ['GET'], paths: ['/api/users'] });
    expect(object(c, 'AuthorizationPolicy', 'users-callers')).toMatchSnapshot();
  });

  test('the principal is the caller ServiceAccount\'s mTLS identity; the target is selected by app', () => {
    const { c, users, frontend } = setup();
    const policy = new AuthorizationPolicy(c, 'users-callers', { service: users });
    policy.allow({ from: [Caller.meshService(frontend)], methods: ['GET'], paths: ['/api/users'] });
    const ap = object(c, 'AuthorizationPolicy', 'users-callers');
    expect(ap.apiVersion).toBe('security.istio.io/v1');
    expect(ap.metadata.namespace).toBe('shop');
    expect(ap.spec).toEqual({
      selector: { matchLabels: { app: 'users' } },
      action: 'ALLOW',
      rules: [{
        from: [{ source: { principals: ['cluster.local/ns/shop/sa/frontend'] } }],
        to: [{ operation: { methods: ['GET'], paths: ['/api/users'] } }],
      }],
    });
    expect(policy.action).toBe(AuthorizationAction.ALLOW);
  });

  test('rules added after construction are rendered; callers by ServiceAccount and namespace', () => {
    const { c, users } = setup();
    const policy = new AuthorizationPolicy(c, 'p', { service: users, trustDomain: 'prod.acme.io' });
    policy.allow({ from: [Caller.serviceAccount('billing', 'invoicer'), Caller.serviceAccount('billing', 'invoicer'), Caller.namespace('ops')] });
    policy.allow({ methods: ['POST'], paths: ['/api/*', '*.json', '/v1/{*}/orders/{**}'], ports: [8080] });
    expect(object(c, 'AuthorizationPolicy', 'p').spec.rules).toEqual([
      { from: [{ source: { principals: ['prod.acme.io/ns/billing/sa/invoicer'] } }, { source: { namespaces: ['ops'] } }] },
      { to: [{ operation: { methods: ['POST'], paths: ['/api/*', '*.json', '/v1/{*}/orders/{**}'], ports: ['8080'] } }] },
    ]);
  });

  test('a caller MeshService in another chart uses its own namespace', () => {
    const app = Testing.app();
    const web = new MeshService(new Chart(app, 'web', { namespace: 'web' }), 'frontend', { versions: V1 });
    const shop = new Chart(app, 'shop', { namespace: 'shop' });
    const users = new MeshService(shop, 'users', { versions: V1 });
    new AuthorizationPolicy(shop, 'p', { service: users }).allow({ from: [Caller.meshService(web)] });
    expect(object(shop, 'AuthorizationPolicy', 'p').spec.rules[0].from).toEqual([{ source: { principals: ['cluster.local/ns/web/sa/frontend'] } }]);
  });

  test('deny() makes a DENY policy', () => {
    const { c, users } = setup();
    new AuthorizationPolicy(c, 'no-admin', { service: users }).deny({ paths: ['/admin/*'] });
    expect(object(c, 'AuthorizationPolicy', 'no-admin').spec).toMatchObject({ action: 'DENY', rules: [{ to: [{ operation: { paths: ['/admin/*'] } }] }] });
  });

  test('snapshot: namespace default-deny is the allow-nothing idiom, spec {}', () => {
    const c = chart('shop');
    new AuthorizationPolicy(c, 'allow-nothing', { denyAll: true });
    const ap = object(c, 'AuthorizationPolicy', 'allow-nothing');
    expect(ap.spec).toEqual({});
    expect(ap).toMatchSnapshot();
  });

  test('denyAll for one service keeps only its selector', () => {
    const { c, users } = setup();
    new AuthorizationPolicy(c, 'users-deny', { service: users, denyAll: true });
    expect(object(c, 'AuthorizationPolicy', 'users-deny').spec).toEqual({ selector: { matchLabels: { app: 'users' } } });
  });

  test('fails when an ALLOW policy has no rules and denyAll is not set', () => {
    const { c, users } = setup();
    new AuthorizationPolicy(c, 'p', { service: users });
    expect(() => Testing.synth(c)).toThrow("AuthorizationPolicy 'test/p': prop 'rules' is [], which makes an ALLOW policy with no rules: it denies every request to service \"users\". Fix: add rules with allow({ from, methods, paths }), or pass denyAll: true");
  });

  test('fails when a rule is added to a denyAll policy', () => {
    const { c, frontend } = setup();
    const p = new AuthorizationPolicy(c, 'p', { denyAll: true });
    expect(() => p.allow({ from: [Caller.meshService(frontend)] }))
      .toThrow("AuthorizationPolicy 'test/p': prop 'denyAll' is true, which forbids allow(rule): an allow-nothing policy has no rules. Fix: create a separate AuthorizationPolicy");
  });

  test('fails when ALLOW and DENY rules are mixed', () => {
    const { c, users } = setup();
    const p = new AuthorizationPolicy(c, 'p', { service: users });
    p.allow({ methods: ['GET'] });
    expect(() => p.deny({ methods: ['DELETE'] })).toThrow("prop 'deny(rule)' is \"DENY\", which differs from the policy's action ALLOW (one action per policy). Fix: create a separate AuthorizationPolicy for the DENY rules");
  });

  test('fails when a rule matches every request', () => {
    const { c, users } = setup();
    expect(() => new AuthorizationPolicy(c, 'p', { service: users }).allow({})).toThrow("prop 'allow(rule)' is {}, which matches every request. Fix: narrow it with from, methods, paths or ports");
  });

  test('fails when a list is given but empty', () => {
    const { c, users } = setup();
    expect(() => new AuthorizationPolicy(c, 'p', { service: users }).allow({ from: [], methods: ['GET'] })).toThrow("prop 'allow(rule).from' is [], which is empty, which Istio reads as \"anything\"");
  });

  test('fails when the caller MeshService has no namespace', () => {
    const { c, users, frontend } = setup(null);
    expect(() => new AuthorizationPolicy(c, 'p', { service: users }).allow({ from: [Caller.meshService(frontend)] }))
      .toThrow("AuthorizationPolicy 'test/p': prop 'allow(rule).from[0]' is \"Caller.meshService(frontend)\", which has no namespace, so its mTLS identity (cluster.local/ns/<namespace>/sa/<serviceaccount>) is unknown. Fix: give the chart of MeshService \"frontend\" a namespace");
  });

  test.each(['get', 'Get', 'GE T', ''])('fails when the method is %p', (method) => {
    const { c, users } = setup();
    expect(() => new AuthorizationPolicy(c, 'p', { service: users }).allow({ methods: [method] }))
      .toThrow(`prop 'allow(rule).methods[0]' is ${JSON.stringify(method)}, which is not an upper-case HTTP method`);
  });

  test('the error for a lower-case method names the upper-case one', () => {
    const { c, users } = setup();
    expect(() => new AuthorizationPolicy(c, 'p', { service: users }).allow({ methods: ['post'] })).toThrow('Fix: write "POST".');
  });

  test.each(['api/users', '/api/*/users', '**', '/a*b*', '/api users', '/v1/{x}/y', '/v1/{**}/y', ''])('fails when the path is %p', (path) => {
    const { c, users } = setup();
    expect(() => new AuthorizationPolicy(c, 'p', { service: users }).allow({ paths: [path] }))
      .toThrow(new RegExp(`prop 'allow\\(rule\\)\\.paths\\[0\\]' is ${JSON.stringify(path).replace(/[*{}()[\]/]/g, '\\$&')}, which`));
  });

  test.each([
    ['namespace', () => Caller.namespace('Bad_NS'), "prop 'allow(rule).from[0].namespace' is \"Bad_NS\", which is not a namespace name"],
    ['service account', () => Caller.serviceAccount('shop', 'Bad SA'), "prop 'allow(rule).from[0].serviceAccount' is \"Bad SA\", which is not a ServiceAccount name"],
  ])('fails when the caller %s is invalid', (_what, caller, message) => {
    const { c, users } = setup();
    expect(() => new AuthorizationPolicy(c, 'p', { service: users }).allow({ from: [caller()] })).toThrow(message);
  });

  test('fails when a port is out of range', () => {
    const { c, users } = setup();
    expect(() => new AuthorizationPolicy(c, 'p', { service: users }).allow({ ports: [0] })).toThrow("prop 'allow(rule).ports[0]' is 0, which is not a port number");
  });

  test('fails when the trust domain is invalid', () => {
    expect(() => new AuthorizationPolicy(chart(), 'p', { trustDomain: 'Cluster Local' })).toThrow("prop 'trustDomain' is \"Cluster Local\", which is not a trust domain");
  });

  test('fails when the protected service is in another namespace', () => {
    const app = Testing.app();
    const users = new MeshService(new Chart(app, 'a', { namespace: 'a' }), 'users', { versions: V1 });
    expect(() => new AuthorizationPolicy(new Chart(app, 'b', { namespace: 'b' }), 'p', { service: users })).toThrow("prop 'service' is \"users\", which is in namespace \"a\" but the policy is in \"b\"");
  });
});

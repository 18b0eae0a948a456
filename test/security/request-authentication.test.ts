// End-user (JWT) authentication: RequestAuthentication + Caller.jwt()/anyToken()/claims, per backend,
// with the Istio trap (a RequestAuthentication alone lets token-less requests through) checked.
import { Chart, Testing } from 'cdk8s';
import {
  AuthorizationPolicy, Caller, IstioAmbient, Linkerd, Mesh, MeshNamespace, MeshService, RequestAuthentication, validateChart, Waypoint,
} from '../../src';
import { chart, object, objects } from '../util';

const ISSUER = 'https://auth.example.com';
const JWKS = 'https://auth.example.com/.well-known/jwks.json';
const versions = [{ name: 'v1', image: 'x:1' }];

function shop(backend?: any, namespace = true): { c: Chart; frontend: MeshService } {
  const app = Testing.app();
  if (backend) Mesh.use(app, backend);
  const c = new Chart(app, 'c', { namespace: 'shop', disableResourceNameHashes: true });
  if (namespace) new MeshNamespace(c, 'namespace');
  return { c, frontend: new MeshService(c, 'frontend', { versions }) };
}

describe('RequestAuthentication (Istio sidecar)', () => {
  test('renders the JWT rules with a selector, and requireToken adds the DENY rule on token-less requests', () => {
    const { c, frontend } = shop();
    new RequestAuthentication(c, 'jwt', {
      service: frontend,
      issuers: [{ issuer: ISSUER, jwksUri: JWKS, audiences: ['shop'], fromHeaders: [{ name: 'Authorization', prefix: 'Bearer ' }], forwardOriginalToken: true }],
      requireToken: true,
    });
    expect(object(c, 'RequestAuthentication', 'jwt')).toMatchSnapshot();
    expect(object(c, 'RequestAuthentication', 'jwt').spec).toEqual({
      selector: { matchLabels: { app: 'frontend' } },
      jwtRules: [{ issuer: ISSUER, jwks_uri: JWKS, audiences: ['shop'], fromHeaders: [{ name: 'authorization', prefix: 'Bearer ' }], forwardOriginalToken: true }],
    });
    expect(object(c, 'AuthorizationPolicy', 'jwt-require-token').spec).toEqual({
      selector: { matchLabels: { app: 'frontend' } },
      action: 'DENY',
      rules: [{ from: [{ source: { notRequestPrincipals: ['*'] } }] }],
    });
    expect(validateChart(c).errors).toEqual([]);
  });

  test('requireToken: false renders no DENY rule; a namespace-wide policy has no selector', () => {
    const { c } = shop();
    new RequestAuthentication(c, 'jwt', { issuers: [{ issuer: ISSUER }], requireToken: false });
    expect(object(c, 'RequestAuthentication', 'jwt').spec).toEqual({ jwtRules: [{ issuer: ISSUER }] });
    expect(objects(c, 'AuthorizationPolicy')).toEqual([]);
  });

  test('Caller.jwt(issuer, subject?), Caller.anyToken() and claims render request principals and `when` conditions', () => {
    const { c, frontend } = shop();
    new RequestAuthentication(c, 'jwt', { service: frontend, issuers: [{ issuer: ISSUER }] });
    const policy = new AuthorizationPolicy(c, 'users', { service: frontend });
    policy.allow({ from: [Caller.jwt(ISSUER, 'alice'), Caller.jwt(ISSUER)], claims: { groups: ['admin', 'ops'] }, paths: ['/admin/*'] });
    policy.allow({ from: [Caller.anyToken()], methods: ['GET'] });
    expect(object(c, 'AuthorizationPolicy', 'users').spec.rules).toEqual([
      {
        from: [{ source: { requestPrincipals: [`${ISSUER}/alice`, `${ISSUER}/*`] } }],
        to: [{ operation: { paths: ['/admin/*'] } }],
        when: [{ key: 'request.auth.claims[groups]', values: ['admin', 'ops'] }],
      },
      { from: [{ source: { requestPrincipals: ['*'] } }], to: [{ operation: { methods: ['GET'] } }] },
    ]);
    // An ALLOW policy admitting only JWT callers is the "require a token" rule: no trap error.
    expect(() => Testing.synth(c)).not.toThrow();
    expect(validateChart(c).errors).toEqual([]);
  });

  test('a mesh caller and a JWT caller in one rule are alternatives (two sources)', () => {
    const { c, frontend } = shop();
    const users = new MeshService(c, 'users', { versions });
    new AuthorizationPolicy(c, 'p', { service: users }).allow({ from: [Caller.meshService(frontend), Caller.anyToken()] });
    expect(object(c, 'AuthorizationPolicy', 'p').spec.rules[0].from).toEqual([
      { source: { principals: ['cluster.local/ns/shop/sa/frontend'] } },
      { source: { requestPrincipals: ['*'] } },
    ]);
  });
});

describe('RequestAuthentication (Istio ambient): attached to the waypoint', () => {
  test('targetRefs the apex and per-version Services; the require-token policy too', () => {
    const { c, frontend } = shop(new IstioAmbient());
    new RequestAuthentication(c, 'jwt', { service: frontend, issuers: [{ issuer: ISSUER, jwksUri: JWKS }], requireToken: true });
    const refs = [{ group: '', kind: 'Service', name: 'frontend' }, { group: '', kind: 'Service', name: 'frontend-v1' }];
    // The CRD spells the field jwks_uri (the proto's JSON name); Istio accepts both.
    expect(object(c, 'RequestAuthentication', 'jwt').spec).toEqual({ targetRefs: refs, jwtRules: [{ issuer: ISSUER, jwks_uri: JWKS }] });
    expect(object(c, 'AuthorizationPolicy', 'jwt-require-token').spec.targetRefs).toEqual(refs);
    expect(validateChart(c).errors).toEqual([]);
  });

  test('a namespace-wide one targets the waypoint Gateway', () => {
    const { c } = shop(new IstioAmbient());
    new RequestAuthentication(c, 'jwt', { issuers: [{ issuer: ISSUER }], requireToken: false });
    expect(object(c, 'RequestAuthentication', 'jwt').spec.targetRefs).toEqual([{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'waypoint' }]);
  });
});

describe('RequestAuthentication: fails when', () => {
  test('requireToken is unset and nothing requires a token (the Istio trap)', () => {
    const { c, frontend } = shop();
    new RequestAuthentication(c, 'jwt', { service: frontend, issuers: [{ issuer: ISSUER }] });
    expect(() => Testing.synth(c)).toThrow('RequestAuthentication \'c/jwt\': prop \'requireToken\' is undefined, which leaves service "frontend" open to requests WITHOUT a token: '
      + 'a RequestAuthentication only rejects invalid tokens, and no AuthorizationPolicy on the target allows only JWT callers. '
      + 'Fix: set requireToken: true to deny token-less requests, allow only Caller.anyToken() / Caller.jwt(issuer) in an AuthorizationPolicy, or set requireToken: false if anonymous requests are intended.');
  });

  test('an issuer, JWKS URI, audience or header is bad', () => {
    const c = chart();
    expect(() => new RequestAuthentication(c, 'a', { issuers: [] })).toThrow(
      'RequestAuthentication \'test/a\': prop \'issuers\' is [], which lists no issuer, so no token could ever be valid. Fix: list your identity provider, e.g. [{ issuer: \'https://auth.example.com\' }].');
    expect(() => new RequestAuthentication(c, 'b', { issuers: [{ issuer: 'my issuer' }] })).toThrow(
      'RequestAuthentication \'test/b\': prop \'issuers[0].issuer\' is "my issuer", which is not a JWT issuer (the token\'s `iss` claim: non-empty, no spaces or \'*\'). Fix: use the issuer your identity provider writes in its tokens, e.g. "https://auth.example.com".');
    expect(() => new RequestAuthentication(c, 'c', { issuers: [{ issuer: ISSUER, jwksUri: 'http://auth.example.com/jwks' }] })).toThrow(
      'RequestAuthentication \'test/c\': prop \'issuers[0].jwksUri\' is "http://auth.example.com/jwks", which is not an https:// URL (keys fetched over plain HTTP can be forged in transit). Fix: give the provider\'s JWKS endpoint, e.g. "https://auth.example.com/.well-known/jwks.json".');
    expect(() => new RequestAuthentication(c, 'd', { issuers: [{ issuer: ISSUER, audiences: [] }] })).toThrow(
      'RequestAuthentication \'test/d\': prop \'issuers[0].audiences\' is [], which is an empty list. Fix: leave audiences out for the default, or list the `aud` values your tokens carry, e.g. ["shop"].');
    expect(() => new RequestAuthentication(c, 'e', { issuers: [{ issuer: ISSUER, fromHeaders: [{ name: 'bad header' }] }] })).toThrow(
      /prop 'issuers\[0\]\.fromHeaders\[0\]' is \{"name":"bad header"\}, which is not a valid name/);
    expect(() => new RequestAuthentication(c, 'f', { issuers: [{ issuer: ISSUER }, { issuer: ISSUER }] })).toThrow(
      'RequestAuthentication \'test/f\': prop \'issuers[1].issuer\' is "https://auth.example.com", which is listed twice (Istio rejects duplicate issuers). Fix: list each issuer once.');
  });

  test('a JWT caller or claim is bad', () => {
    const { c, frontend } = shop();
    const p = new AuthorizationPolicy(c, 'p', { service: frontend });
    expect(() => p.allow({ from: [Caller.jwt('')] })).toThrow(
      'AuthorizationPolicy \'c/p\': prop \'allow(rule).from[0].issuer\' is "", which is not a JWT issuer (the token\'s `iss` claim: non-empty, no spaces or \'*\'). Fix: use the issuer your identity provider writes in its tokens, e.g. "https://auth.example.com".');
    expect(() => p.allow({ from: [Caller.jwt(ISSUER, 'a/b')] })).toThrow(/prop 'allow\(rule\)\.from\[0\]\.subject' is "a\/b", which is not a JWT subject/);
    expect(() => p.allow({ claims: { groups: [] } })).toThrow(
      'AuthorizationPolicy \'c/p\': prop \'allow(rule).claims["groups"]\' is [], which is not a non-empty list of non-empty values. Fix: list the values the claim may hold, e.g. { groups: [\'admin\'] }.');
    expect(() => p.allow({ claims: { 'a b': ['x'] } })).toThrow(/prop 'allow\(rule\)\.claims' is "a b", which is not a JWT claim name/);
  });

  test('ambient has no waypoint: ztunnel never sees a token', () => {
    const { c, frontend } = shop(new IstioAmbient({ waypoint: Waypoint.none() }));
    expect(() => new RequestAuthentication(c, 'jwt', { service: frontend, issuers: [{ issuer: ISSUER }], requireToken: true })).toThrow(
      'RequestAuthentication \'c/jwt\': prop \'issuers\' is ["https://auth.example.com"], which can\'t be validated by Istio ambient without a waypoint (Waypoint.none()): ztunnel is L4 only and never sees a token. '
      + 'Fix: use a waypoint (new IstioAmbient() has one per namespace) for the namespace of this RequestAuthentication.');
    const users = new MeshService(c, 'users', { versions });
    new AuthorizationPolicy(c, 'p', { service: users }).allow({ from: [Caller.anyToken()] });
    expect(() => Testing.synth(c)).toThrow('IstioAmbient L7InSelectorPolicy: AuthorizationPolicy \'c/p\': prop \'allow(rule).from\' is ["*"], which is an L7 field in a workload-selector policy');
  });

  test('ambient has no MeshNamespace: nothing would validate the tokens', () => {
    const { c, frontend } = shop(new IstioAmbient(), false);
    new RequestAuthentication(c, 'jwt', { service: frontend, issuers: [{ issuer: ISSUER }], requireToken: true });
    expect(() => Testing.synth(c)).toThrow(/IstioAmbient NoWaypoint: RequestAuthentication 'c\/jwt': prop 'service' is "frontend", which is attached to the waypoint \(targetRefs\) for it to validate tokens, but namespace "shop" has no MeshNamespace/);
  });

  test('Linkerd: no JWT authentication, in RequestAuthentication and in JWT rules', () => {
    const { c, frontend } = shop(new Linkerd());
    expect(() => new RequestAuthentication(c, 'jwt', { service: frontend, issuers: [{ issuer: ISSUER }], requireToken: true })).toThrow(
      'RequestAuthentication \'c/jwt\': prop \'issuers\' is ["https://auth.example.com"], which Linkerd cannot express: Linkerd has no end-user (JWT) authentication (its policy authenticates workloads by mTLS identity only). '
      + 'Fix: validate tokens in the application or at an ingress gateway in front of the mesh, or render this namespace with Istio.');
    const p = new AuthorizationPolicy(c, 'p', { service: frontend });
    expect(() => p.allow({ from: [Caller.jwt(ISSUER, 'alice')] })).toThrow(
      'AuthorizationPolicy \'c/p\': prop \'allow(rule).from\' is ["https://auth.example.com/alice"], which Linkerd cannot express: Linkerd has no end-user (JWT) authentication, so it can\'t authorize by request principal or claim. '
      + 'Fix: validate tokens in the application or at an ingress gateway, and authorize mesh callers with Caller.meshService()/Caller.serviceAccount().');
    expect(() => p.allow({ claims: { groups: ['admin'] } })).toThrow(/prop 'allow\(rule\)\.claims' is \["groups"\], which Linkerd cannot express/);
  });
});

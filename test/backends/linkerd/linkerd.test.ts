// The Linkerd backend: what each construct renders to, what Linkerd would drop silently and is
// therefore refused, and that probes and the Prometheus scrape stay authorized.
import { Chart, Duration, Testing } from 'cdk8s';
import {
  AccessLogging, AuthorizationPolicy, Caller, DestinationTls, HealthProbe, HttpMethod, Linkerd, Mesh, MeshMonitor, MeshNamespace, MeshService,
  MeshTelemetry, MtlsMode, PeerAuthentication, RetryOn, StringMatch, TrafficSplit, Weight,
} from '../../../src';
import { MeshDemoChart } from '../../../src/example';

function linkerdChart(namespace = 'shop'): Chart {
  const app = Testing.app();
  Mesh.use(app, new Linkerd({ ingressGatewayClass: 'envoy-gateway' }));
  return new Chart(app, 'c', { namespace, disableResourceNameHashes: true });
}
const versions = [{ name: 'v1', image: 'x:1' }, { name: 'v2', image: 'x:2' }];
const seed = () => {
  const app = Testing.app();
  Mesh.use(app, new Linkerd({ ingressGatewayClass: 'envoy-gateway' }));
  return Testing.synth(new MeshDemoChart(app));
};
const find = (objs: any[], kind: string, name: string) => objs.find((o) => o.kind === kind && o.metadata.name === name);
const synthErrors = (c: Chart): string => {
  try {
    Testing.synth(c);
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('synth did not fail');
};

describe('Linkerd backend', () => {
  test('snapshot: the seed scenario', () => {
    expect(seed()).toMatchSnapshot();
  });

  test('the seed: no Istio object; namespace annotations; per-version Services with appProtocol http; HTTPRoute with the header rule and 90/10', () => {
    const objs = seed();
    expect(objs.filter((o: any) => /istio\.io\//.test(o.apiVersion))).toEqual([]);
    expect(find(objs, 'Namespace', 'mesh-demo').metadata.annotations).toEqual({
      'linkerd.io/inject': 'enabled', 'config.linkerd.io/default-inbound-policy': 'all-authenticated',
    });
    expect(find(objs, 'Namespace', 'mesh-demo').metadata.labels?.['linkerd.io/inject']).toBeUndefined();
    expect(find(objs, 'Deployment', 'myservice-v2').spec.template.metadata.annotations['linkerd.io/inject']).toBe('enabled');
    expect(find(objs, 'Service', 'myservice-v2').spec).toMatchObject({ selector: { app: 'myservice', version: 'v2' }, ports: [{ appProtocol: 'http', name: 'http', port: 8080 }] });
    const routes = objs.filter((o: any) => o.kind === 'HTTPRoute' && o.spec.parentRefs[0].kind === 'Service' && o.metadata.labels.app === 'myservice');
    expect(routes.map((r: any) => r.metadata.name)).toEqual(['myservice']);
    const rules = routes[0].spec.rules;
    expect(rules[0]).toEqual({
      matches: [{ path: { type: 'PathPrefix', value: '/' }, headers: [{ name: 'version', type: 'Exact', value: 'v2' }] }],
      backendRefs: [{ group: '', kind: 'Service', name: 'myservice-v2', port: 8080, weight: 100 }],
    });
    expect(rules[1].backendRefs.map((b: any) => [b.name, b.weight])).toEqual([['myservice-v1', 90], ['myservice-v2', 10]]);
    for (const r of rules) expect(Object.keys(r).sort()).toEqual(['backendRefs', 'matches']);
  });

  test('the seed: Server denies by default; frontend may GET /api/users through one MeshTLSAuthentication', () => {
    const objs = seed();
    expect(find(objs, 'Server', 'myservice-http').spec).toEqual({
      accessPolicy: 'deny', podSelector: { matchLabels: { app: 'myservice' } }, port: 'http', proxyProtocol: 'HTTP/1',
    });
    expect(find(objs, 'HTTPRoute', 'myservice-callers').spec).toEqual({
      parentRefs: [{ group: 'policy.linkerd.io', kind: 'Server', name: 'myservice-http' }],
      rules: [{ matches: [{ method: 'GET', path: { type: 'Exact', value: '/api/users' } }] }],
    });
    expect(find(objs, 'MeshTLSAuthentication', 'myservice-callers').spec).toEqual({ identityRefs: [{ kind: 'ServiceAccount', name: 'frontend', namespace: 'mesh-demo' }] });
    expect(find(objs, 'AuthorizationPolicy', 'myservice-callers').spec).toEqual({
      targetRef: { group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', name: 'myservice-callers' },
      requiredAuthenticationRefs: [{ group: 'policy.linkerd.io', kind: 'MeshTLSAuthentication', name: 'myservice-callers' }],
    });
  });

  test('probes and metrics scraping stay authorized: routes for the probe paths and GET /metrics, admitted by NetworkAuthentication', () => {
    const objs = seed();
    const authorized = (path: string) => {
      const route = objs.find((o: any) => o.kind === 'HTTPRoute' && o.spec.parentRefs[0].name === 'myservice-http'
        && o.spec.rules[0].matches.some((m: any) => m.method === 'GET' && m.path.type === 'Exact' && m.path.value === path));
      expect(route).toBeDefined();
      const policy = objs.find((o: any) => o.kind === 'AuthorizationPolicy' && o.spec.targetRef.kind === 'HTTPRoute' && o.spec.targetRef.name === route.metadata.name);
      const authn = policy.spec.requiredAuthenticationRefs.map((r: any) => find(objs, r.kind, r.name));
      return authn.map((a: any) => [a.kind, a.spec.networks]);
    };
    // The deployment's probes are exactly the paths authorized.
    const probes = find(objs, 'Deployment', 'myservice-v1').spec.template.spec.containers[0];
    for (const p of [probes.livenessProbe.httpGet.path, probes.readinessProbe.httpGet.path]) {
      expect(authorized(p)).toEqual([['NetworkAuthentication', [{ cidr: '0.0.0.0/0' }, { cidr: '::/0' }]]]);
    }
    const monitor = find(objs, 'PodMonitor', 'myservice').spec.podMetricsEndpoints[0];
    expect(monitor).toMatchObject({ port: 'http', path: '/metrics' });
    expect(monitor.relabelings).toBeUndefined();
    expect(authorized(monitor.path)).toEqual([['NetworkAuthentication', [{ cidr: '0.0.0.0/0' }, { cidr: '::/0' }]]]);
    expect(find(objs, 'PrometheusRule', 'myservice-slo')).toBeDefined();
  });

  test('scrapeNetworks narrows who may scrape; a service without policies gets a Server following its mode, plus a catch-all route', () => {
    const app = Testing.app();
    Mesh.use(app, new Linkerd({ scrapeNetworks: ['10.42.0.0/16'] }));
    const c = new Chart(app, 'c', { namespace: 'shop', disableResourceNameHashes: true });
    new MeshNamespace(c, 'ns');
    const svc = new MeshService(c, 'users', { versions: [versions[0]] });
    new MeshMonitor(c, 'm', { service: svc });
    const objs = Testing.synth(c);
    expect(find(objs, 'Server', 'users-http').spec.accessPolicy).toBe('all-authenticated');
    expect(find(objs, 'NetworkAuthentication', 'users-http-metrics').spec.networks).toEqual([{ cidr: '10.42.0.0/16' }]);
    expect(find(objs, 'HTTPRoute', 'users-http-default').spec.rules).toEqual([{ matches: [{ path: { type: 'PathPrefix', value: '/' } }] }]);
  });

  test('PERMISSIVE → all-unauthenticated; a port-level exception is a Server of its own', () => {
    const c = linkerdChart();
    new MeshNamespace(c, 'ns', { mtlsMode: MtlsMode.PERMISSIVE });
    const svc = new MeshService(c, 'legacy', { versions: [versions[0]] });
    new PeerAuthentication(c, 'strict-admin', { service: svc, mode: MtlsMode.PERMISSIVE, portLevelMtls: [{ port: 9090, mode: MtlsMode.STRICT }] });
    const objs = Testing.synth(c);
    expect(find(objs, 'Namespace', 'shop').metadata.annotations['config.linkerd.io/default-inbound-policy']).toBe('all-unauthenticated');
    expect(find(objs, 'Server', 'legacy-http').spec).toMatchObject({ port: 'http', accessPolicy: 'all-unauthenticated' });
    expect(find(objs, 'Server', 'legacy-9090').spec).toMatchObject({ port: 9090, accessPolicy: 'all-authenticated' });
  });

  test('HTTP/2 and gRPC: appProtocol kubernetes.io/h2c, Server proxyProtocol HTTP/2', () => {
    const c = linkerdChart();
    const svc = new MeshService(c, 'rpc', { versions: [versions[0]], protocol: 'grpc' as any });
    new AuthorizationPolicy(c, 'p', { service: svc }).allow({ from: [Caller.serviceAccount('web', 'frontend')] });
    const objs = Testing.synth(c);
    expect(find(objs, 'Service', 'rpc').spec.ports[0].appProtocol).toBe('kubernetes.io/h2c');
    expect(find(objs, 'Server', 'rpc-grpc').spec.proxyProtocol).toBe('HTTP/2');
    // a callers-only rule targets the Server; the caller from another namespace keeps its namespace
    expect(find(objs, 'AuthorizationPolicy', 'p').spec.targetRef).toEqual({ group: 'policy.linkerd.io', kind: 'Server', name: 'rpc-grpc' });
    expect(find(objs, 'MeshTLSAuthentication', 'p').spec.identityRefs).toEqual([{ kind: 'ServiceAccount', name: 'frontend', namespace: 'web' }]);
  });

  test('retries and timeouts are Linkerd annotations, one HTTPRoute per distinct policy, rule order kept', () => {
    const c = linkerdChart();
    const svc = new MeshService(c, 'users', { versions });
    new TrafficSplit(c, 'routing', {
      service: svc,
      rules: [{ matches: [{ uri: StringMatch.exact('/api/slow'), method: HttpMethod.GET }], destinations: [{ version: 'v2' }], timeout: Duration.seconds(90) }],
      defaultRoute: {
        destinations: [{ version: 'v1', weight: Weight.percent(50) }, { version: 'v2', weight: Weight.percent(50) }],
        timeout: Duration.millis(1500),
        retries: { attempts: 3, perTryTimeout: Duration.millis(500), retryOn: [RetryOn.GATEWAY_ERROR, RetryOn.httpStatus(429)] },
      },
    });
    const routes = Testing.synth(c).filter((o: any) => o.kind === 'HTTPRoute');
    expect(routes.map((r: any) => [r.metadata.name, r.metadata.annotations])).toEqual([
      ['users', { 'timeout.linkerd.io/request': '90s' }],
      ['users-2', { 'timeout.linkerd.io/request': '1500ms', 'retry.linkerd.io/http': 'gateway-error,429', 'retry.linkerd.io/limit': '3', 'retry.linkerd.io/timeout': '500ms' }],
    ]);
    for (const r of routes) for (const rule of r.spec.rules) expect(rule.retry ?? rule.timeouts ?? rule.name).toBeUndefined();
  });

  test('fails when rules of two policies would tie across HTTPRoutes (Linkerd would decide by creation time)', () => {
    const c = linkerdChart();
    const svc = new MeshService(c, 'users', { versions });
    new TrafficSplit(c, 'routing', {
      service: svc,
      rules: [{ matches: [{ headers: { 'x-canary': StringMatch.exact('yes') } }], destinations: [{ version: 'v2' }], timeout: Duration.seconds(1) }],
      defaultRoute: { destinations: [{ version: 'v1' }] },
    });
    // the header rule outranks the catch-all: fine
    expect(() => Testing.synth(c)).not.toThrow();
    const c2 = linkerdChart();
    const svc2 = new MeshService(c2, 'users', { versions });
    new TrafficSplit(c2, 'routing', {
      service: svc2,
      rules: [
        { matches: [{ headers: { 'x-canary': StringMatch.exact('yes') } }], destinations: [{ version: 'v2' }], timeout: Duration.seconds(1) },
        { matches: [{ headers: { 'x-beta': StringMatch.exact('yes') } }], destinations: [{ version: 'v1' }] },
      ],
      defaultRoute: { destinations: [{ version: 'v1' }] },
    });
    expect(synthErrors(c2)).toContain("TrafficSplit 'c/routing': prop 'rules[1].matches[0]' is \"header x-beta Exact 'yes'\", which can take requests that rules[0].matches[0] (header x-canary Exact 'yes') matches first: rules[1] and rules[0] have different retry/timeout policies, so Linkerd gets them in separate HTTPRoutes (\"users-2\" and \"users\"), and across routes they tie, and Linkerd breaks ties between HTTPRoutes by creation time, then name — not by the rule order. Fix: give rules[0] and rules[1] the same timeout and retries (one HTTPRoute keeps their order), make their matches disjoint, or make rules[0]'s match more specific (an Exact or longer path, a method, more headers).");
  });

  test('fails when a rule mirrors or injects faults, naming Linkerd', () => {
    const c = linkerdChart();
    const svc = new MeshService(c, 'users', { versions });
    const split = new TrafficSplit(c, 'routing', { service: svc, defaultRoute: { destinations: [{ version: 'v1' }] } });
    expect(() => split.addRule({ matches: [{ uri: StringMatch.prefix('/api') }], destinations: [{ version: 'v1' }], mirror: { version: 'v2', percentage: 10 } }))
      .toThrow("TrafficSplit 'c/routing': prop 'rules[0].mirror' is {\"version\":\"v2\",\"percentage\":10}, which Linkerd cannot express: Linkerd drops a whole HTTPRoute that has a RequestMirror filter (only a controller log line says so). Fix: remove the mirror, or mirror with a backend that honours RequestMirror (Istio sidecar or ambient).");
    expect(() => split.addRule({ matches: [{ uri: StringMatch.prefix('/api') }], destinations: [{ version: 'v1' }], fault: { abort: { httpStatus: 503, percentage: 5 } } }))
      .toThrow(/^TrafficSplit 'c\/routing': prop 'rules\[0\]\.fault' is .*, which Linkerd cannot express: Gateway API HTTPRoute has no fault injection\. Fix: /);
  });

  test('fails on retry conditions Linkerd cannot read from an HTTPRoute', () => {
    const c = linkerdChart();
    const svc = new MeshService(c, 'users', { versions });
    expect(() => new TrafficSplit(c, 'routing', { service: svc, defaultRoute: { destinations: [{ version: 'v1' }], retries: { attempts: 2, retryOn: [RetryOn.RESET] } } }))
      .toThrow("TrafficSplit 'c/routing': prop 'defaultRoute.retries.retryOn[0]' is \"reset\", which Linkerd cannot express: retry.linkerd.io/http retries on HTTP status codes, 5xx and gateway-error only, and \"reset\" is not a status condition. Fix: retry on status codes (RetryOn.FIVE_XX, RetryOn.GATEWAY_ERROR, RetryOn.httpStatus(503)), or drop the condition.");
  });

  test('fails on what Linkerd has no equivalent of: Telemetry, DestinationTls, revision, DISABLE, deny rules, namespace-wide allow rules', () => {
    const c = linkerdChart();
    const svc = new MeshService(c, 'users', { versions: [versions[0]] });
    expect(() => new MeshTelemetry(c, 't', { accessLogging: AccessLogging.enabled() }))
      .toThrow(/^MeshTelemetry 'c\/t': prop 'accessLogging' is .*, which is Istio's Telemetry API, which Linkerd has no equivalent of\. Fix: remove the MeshTelemetry under Linkerd/);
    expect(() => new MeshService(c, 'db', { versions: [versions[0]], tls: DestinationTls.simple({ caCertificates: '/ca.pem' }) }))
      .toThrow("MeshService 'c/db': prop 'tls' is \"SIMPLE\", which is Istio's DestinationRule client TLS; Linkerd has no equivalent (meshed callers always use Linkerd's mTLS). Fix: drop `tls` under Linkerd (TLS to an external server is the application's own).");
    expect(() => new MeshNamespace(c, 'ns', { revision: 'canary' }))
      .toThrow("MeshNamespace 'c/ns': prop 'revision' is \"canary\", which is an Istio revision, which Linkerd has no equivalent of. Fix: drop `revision` (Linkerd upgrades its control plane in place).");
    expect(() => new PeerAuthentication(c, 'off', { service: svc, mode: MtlsMode.DISABLE }))
      .toThrow(/^PeerAuthentication 'c\/off': prop 'mode' is "DISABLE", which Linkerd cannot express: meshed Linkerd proxies always speak mTLS/);
    const p = new AuthorizationPolicy(c, 'p', { service: svc });
    expect(() => p.deny({ from: [Caller.namespace('evil')] }))
      .toThrow("AuthorizationPolicy 'c/p': prop 'deny(rule)' is \"DENY\", which Linkerd cannot express: Linkerd authorization is allow-list only (AuthorizationPolicy has no deny action). Fix: list the callers that may call with allow() instead; everything else is denied.");
    expect(() => new AuthorizationPolicy(c, 'ns-wide').allow({ from: [Caller.namespace('web')] }))
      .toThrow(/which Linkerd cannot express: a Linkerd AuthorizationPolicy targeting a Namespace applies only to pods a Server selects/);
    expect(() => new MeshNamespace(c, 'ns2', { name: 'other', labels: { 'linkerd.io/inject': 'enabled' } }))
      .toThrow("MeshNamespace 'c/ns2': prop 'labels' is \"linkerd.io/inject\", which is a Linkerd setting, which Linkerd reads only as an annotation (a label is silently ignored). Fix: let MeshNamespace write it: it annotates the Namespace (mtlsMode picks the default inbound policy).");
  });

  test('a namespace default-deny is the namespace annotation deny; without a MeshNamespace it fails', () => {
    const c = linkerdChart();
    new MeshNamespace(c, 'ns');
    new AuthorizationPolicy(c, 'allow-nothing', { denyAll: true });
    expect(find(Testing.synth(c), 'Namespace', 'shop').metadata.annotations['config.linkerd.io/default-inbound-policy']).toBe('deny');
    const c2 = linkerdChart();
    new AuthorizationPolicy(c2, 'allow-nothing', { denyAll: true });
    expect(synthErrors(c2)).toContain("AuthorizationPolicy 'c/allow-nothing': prop 'denyAll' is true, which is a namespace default-deny, which Linkerd reads from the Namespace's config.linkerd.io/default-inbound-policy annotation (deny), and no MeshNamespace renders that Namespace. Fix: declare the namespace with new MeshNamespace(chart, id) in this app.");
  });

  test('fails when two allow rules overlap with different callers (the more specific route would take all)', () => {
    const c = linkerdChart();
    const svc = new MeshService(c, 'users', { versions: [versions[0]] });
    const p = new AuthorizationPolicy(c, 'p', { service: svc });
    p.allow({ from: [Caller.serviceAccount('shop', 'frontend')], paths: ['/api/*'] });
    p.allow({ from: [Caller.serviceAccount('shop', 'admin')], paths: ['/api/users'] });
    expect(synthErrors(c)).toContain("AuthorizationPolicy 'c/p': prop 'allow(rule)' is {\"methods\":[],\"paths\":[\"/api/users\"]}, which can match the same requests as 'c/p' allow(rule) with other callers");
  });

  test('analysis: a JSON patch adding a field Linkerd ignores, or removing a policy target, fails synth', () => {
    const c = linkerdChart();
    const svc = new MeshService(c, 'users', { versions });
    const split = new TrafficSplit(c, 'routing', { service: svc, defaultRoute: { destinations: [{ version: 'v1' }] } });
    const { JsonPatch } = require('cdk8s');
    split.resource!.addJsonPatch(JsonPatch.add('/spec/rules/0/name', 'main'));
    expect(synthErrors(c)).toContain("Linkerd IgnoredRoute: TrafficSplit 'c/routing': HTTPRoute users sets rules[0].name, which Linkerd does not honour. Fix: rules[].name is Gateway API 1.4: Linkerd ignores a route that sets it; drop it.");
    const c2 = linkerdChart();
    const svc2 = new MeshService(c2, 'users', { versions: [versions[0]] });
    const p = new AuthorizationPolicy(c2, 'p', { service: svc2 });
    p.allow({ from: [Caller.meshService(svc2)], methods: ['GET'] });
    const policy = p.node.findChild('Rule0-8080') as any;
    policy.addJsonPatch(JsonPatch.replace('/spec/targetRef/name', 'gone'));
    expect(synthErrors(c2)).toContain("Linkerd PolicyTargetNotFound: AuthorizationPolicy 'c/p': AuthorizationPolicy p refers to HTTPRoute shop/gone, which the app does not render, so Linkerd ignores the policy.");
  });

  test('probes on another port: the probe route goes to that port\'s Server only', () => {
    const c = linkerdChart();
    const svc = new MeshService(c, 'users', { versions: [versions[0]], liveness: HealthProbe.httpGet('/live', { port: 9000 }) });
    new AuthorizationPolicy(c, 'p', { service: svc }).allow({ from: [Caller.meshService(svc)], methods: ['GET'] });
    const objs = Testing.synth(c);
    expect(find(objs, 'HTTPRoute', 'users-http-probes').spec.rules[0].matches).toEqual([{ method: 'GET', path: { type: 'Exact', value: '/ready' } }]);
  });
});

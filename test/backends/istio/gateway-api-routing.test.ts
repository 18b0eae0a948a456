// Istio sidecar mode with Gateway API routing (IstioRouting.GATEWAY_API): HTTPRoute over per-version
// Services, never a VirtualService or DestinationRule subsets.
import { Chart, Duration, Testing } from 'cdk8s';
import {
  DestinationTls, IstioRouting, IstioSidecar, Mesh, MeshMonitor, MeshService, MonitorKind, RetryOn, StringMatch, TrafficSplit, Weight,
} from '../../../src';
import { MeshDemoChart } from '../../../src/example';

function gatewayChart(namespace = 'shop'): Chart {
  const app = Testing.app();
  Mesh.use(app, new IstioSidecar({ routing: IstioRouting.GATEWAY_API }));
  return new Chart(app, 'c', { namespace, disableResourceNameHashes: true });
}
const versions = [{ name: 'v1', image: 'x:1' }, { name: 'v2', image: 'x:2' }];
const kinds = (objs: any[]) => objs.map((o) => o.kind);

describe('Istio sidecar, Gateway API routing', () => {
  test('snapshot: the seed scenario', () => {
    const app = Testing.app();
    Mesh.use(app, new IstioSidecar({ routing: IstioRouting.GATEWAY_API }));
    expect(Testing.synth(new MeshDemoChart(app))).toMatchSnapshot();
  });

  test('the seed scenario: Services myservice, -v1, -v2; one HTTPRoute with the header rule and 90/10; no VirtualService, no subsets', () => {
    const app = Testing.app();
    Mesh.use(app, new IstioSidecar({ routing: IstioRouting.GATEWAY_API }));
    const objs = Testing.synth(new MeshDemoChart(app));
    expect(objs.filter((o: any) => o.kind === 'Service').map((o: any) => o.metadata.name)).toEqual(expect.arrayContaining(['myservice', 'myservice-v1', 'myservice-v2']));
    expect(objs.find((o: any) => o.metadata.name === 'myservice-v2' && o.kind === 'Service').spec.selector).toEqual({ app: 'myservice', version: 'v2' });
    expect(kinds(objs)).not.toContain('VirtualService');
    expect(objs.filter((o: any) => o.kind === 'DestinationRule' && o.spec.subsets)).toEqual([]);
    const routes = objs.filter((o: any) => o.kind === 'HTTPRoute' && o.metadata.name === 'myservice');
    expect(routes).toHaveLength(1);
    const spec = routes[0].spec;
    expect(spec.parentRefs).toEqual([{ group: '', kind: 'Service', name: 'myservice', port: 8080 }]);
    expect(spec.rules[0].matches[0].headers).toEqual([{ name: 'version', type: 'Exact', value: 'v2' }]);
    expect(spec.rules[0].backendRefs).toEqual([{ group: '', kind: 'Service', name: 'myservice-v2', port: 8080, weight: 100 }]);
    expect(spec.rules[spec.rules.length - 1].backendRefs.map((b: any) => [b.name, b.weight])).toEqual([['myservice-v1', 90], ['myservice-v2', 10]]);
  });

  test('every version gets a Service <service>-<version> with the same named port and appProtocol; addVersion() adds one', () => {
    const c = gatewayChart();
    const svc = new MeshService(c, 'users', { versions });
    svc.addVersion({ name: 'v3', image: 'x:3' });
    const services = Testing.synth(c).filter((o: any) => o.kind === 'Service');
    expect(services.map((s: any) => s.metadata.name)).toEqual(['users', 'users-v1', 'users-v2', 'users-v3']);
    for (const s of services) expect(s.spec.ports).toEqual([{ appProtocol: 'http', name: 'http', port: 8080, protocol: 'TCP', targetPort: 8080 }]);
    expect(svc.versionService('v3')!.name).toBe('users-v3');
  });

  test('a multi-version service without a TrafficSplit gets an HTTPRoute to its first version', () => {
    const c = gatewayChart();
    new MeshService(c, 'users', { versions });
    const route = Testing.synth(c).find((o: any) => o.kind === 'HTTPRoute');
    expect(route.spec.rules.map((r: any) => r.backendRefs.map((b: any) => b.name))).toEqual([['users-v1']]);
  });

  test('a ServiceMonitor selects the apex Service only, not the per-version Services (each pod scraped once)', () => {
    const c = gatewayChart();
    const svc = new MeshService(c, 'users', { versions });
    new MeshMonitor(c, 'mon', { service: svc, kind: MonitorKind.SERVICE_MONITOR });
    const objs = Testing.synth(c);
    const selector = objs.find((o: any) => o.kind === 'ServiceMonitor').spec.selector;
    const selects = (labels: { [k: string]: string }) => Object.entries(selector.matchLabels).every(([k, v]) => labels[k] === v)
      && selector.matchExpressions.every((e: any) => e.operator === 'DoesNotExist' && !(e.key in labels));
    expect(objs.filter((o: any) => o.kind === 'Service' && selects(o.metadata.labels)).map((o: any) => o.metadata.name)).toEqual(['users']);
  });

  test('no DestinationRule unless the service sets client TLS; then one per host without subsets', () => {
    const c = gatewayChart();
    new MeshService(c, 'users', { versions });
    new MeshService(c, 'db', { versions: [versions[0]], tls: DestinationTls.simple({ caCertificates: '/etc/ca.pem' }) });
    const drs = Testing.synth(c).filter((o: any) => o.kind === 'DestinationRule');
    expect(drs.map((d: any) => [d.metadata.name, d.spec.subsets])).toEqual([['db', undefined]]);
  });

  test('timeouts and retries render as Gateway API timeouts and retry codes (classes expanded)', () => {
    const c = gatewayChart();
    const svc = new MeshService(c, 'users', { versions });
    new TrafficSplit(c, 'routing', {
      service: svc,
      defaultRoute: {
        destinations: [{ version: 'v1', weight: Weight.percent(50) }, { version: 'v2', weight: Weight.percent(50) }],
        timeout: Duration.seconds(2),
        retries: { attempts: 3, perTryTimeout: Duration.millis(500), retryOn: [RetryOn.GATEWAY_ERROR] },
      },
    });
    const rule = Testing.synth(c).find((o: any) => o.kind === 'HTTPRoute').spec.rules[0];
    expect(rule.timeouts).toEqual({ request: '2s', backendRequest: '500ms' });
    expect(rule.retry).toMatchObject({ attempts: 3, codes: [502, 503, 504] });
  });

  test('fails when a rule injects faults, naming the backend and the alternative', () => {
    const c = gatewayChart();
    const svc = new MeshService(c, 'users', { versions });
    expect(() => new TrafficSplit(c, 'routing', {
      service: svc,
      rules: [{ matches: [{ headers: { 'x-chaos': StringMatch.exact('1') } }], destinations: [{ version: 'v2' }], fault: { abort: { httpStatus: 503 } } }],
      defaultRoute: { destinations: [{ version: 'v1' }] },
    })).toThrow(/TrafficSplit 'c\/routing': prop 'rules\[0\]\.fault' .*Istio sidecar \(Gateway API routing\)/);
  });

  test('fails when a rule added later injects faults', () => {
    const c = gatewayChart();
    const svc = new MeshService(c, 'users', { versions });
    const ts = new TrafficSplit(c, 'routing', { service: svc, defaultRoute: { destinations: [{ version: 'v1' }] } });
    expect(() => ts.addRule({ matches: [{ headers: { 'x-chaos': StringMatch.exact('1') } }], destinations: [{ version: 'v1' }], fault: { delay: { fixed: Duration.seconds(1) } } }))
      .toThrow(/prop 'rules\[0\]\.fault' .*Istio sidecar \(Gateway API routing\)/);
  });

  test('fails when a header prefix match is routed with HTTPRoute (Gateway API has none)', () => {
    const c = gatewayChart();
    const svc = new MeshService(c, 'users', { versions });
    expect(() => new TrafficSplit(c, 'routing', {
      service: svc,
      rules: [{ matches: [{ headers: { 'x-group': StringMatch.prefix('beta') } }], destinations: [{ version: 'v2' }] }],
      defaultRoute: { destinations: [{ version: 'v1' }] },
    })).toThrow(/headers\["x-group"\].*Istio sidecar \(Gateway API routing\).*regex/s);
  });

  test('fails at synth when two TrafficSplits route one Service', () => {
    const c = gatewayChart();
    const svc = new MeshService(c, 'users', { versions });
    new TrafficSplit(c, 'a', { service: svc, defaultRoute: { destinations: [{ version: 'v1' }] } });
    new TrafficSplit(c, 'b', { service: svc, defaultRoute: { destinations: [{ version: 'v2' }] } });
    expect(() => Testing.synth(c)).toThrow("GatewayAPI ConflictingRoutes: TrafficSplit 'c/b': prop 'service' is \"users\", which is already routed by 'c/a'");
  });

  test('fails at synth when a route goes to an undeclared version or one with no pods', () => {
    const c = gatewayChart();
    const svc = new MeshService(c, 'users', { versions: [versions[0], { name: 'v2', image: 'x:2', replicas: 0 }] });
    new TrafficSplit(c, 'routing', {
      service: svc,
      rules: [{ matches: [{ headers: { beta: StringMatch.exact('1') } }], destinations: [{ version: 'v3' }] }],
      defaultRoute: { destinations: [{ version: 'v1', weight: Weight.percent(90) }, { version: 'v2', weight: Weight.percent(10) }] },
    });
    expect(() => Testing.synth(c)).toThrow(/BackendNotFound[\s\S]*v3[\s\S]*NoPods[\s\S]*v2/);
  });

  test('never a VirtualService and an HTTPRoute for one host: two backends in one namespace are refused', () => {
    const app = Testing.app();
    const vs = new Chart(app, 'vs', { namespace: 'shop' });
    const gw = new Chart(app, 'gw', { namespace: 'shop' });
    Mesh.use(gw, new IstioSidecar({ routing: IstioRouting.GATEWAY_API }));
    const svc = new MeshService(vs, 'users', { versions });
    new TrafficSplit(gw, 'routing', { service: svc, defaultRoute: { destinations: [{ version: 'v1' }] } });
    expect(() => app.synth()).toThrow("'gw/routing' renders for Istio sidecar (Gateway API routing), but 'vs/users' in the same namespace \"shop\" renders for Istio sidecar");
  });

  test('fails when a TrafficSplit renders for another backend than its service (other namespace)', () => {
    const app = Testing.app();
    const vs = new Chart(app, 'vs', { namespace: 'shop' });
    const gw = new Chart(app, 'gw', { namespace: 'edge' });
    Mesh.use(gw, new IstioSidecar({ routing: IstioRouting.GATEWAY_API }));
    const svc = new MeshService(vs, 'users', { versions });
    new TrafficSplit(gw, 'routing', { service: svc, defaultRoute: { destinations: [{ version: 'v1' }] } });
    expect(() => app.synth()).toThrow("TrafficSplit 'gw/routing': prop 'service' is \"users\", which renders for Istio sidecar ('vs/users'), but this TrafficSplit renders for Istio sidecar (Gateway API routing)");
  });
});

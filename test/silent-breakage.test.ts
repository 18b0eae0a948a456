// Configurations that used to render without error and break (or do nothing) at runtime — one
// kind per describe, each with the reported input and inputs of our own of the same kind.
import { Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { MeshDemoChart } from '../src/example';
import { HealthProbe, IstioRouting, IstioSidecar, Mesh, MeshProtocol, MeshService, MetricsEndpoint, TrafficSplit } from '../src';
import { chart, object, objects } from './util';

const twoVersions = [{ name: 'v1', image: 'x:1', replicas: 4 }, { name: 'v2', image: 'x:2', replicas: 4 }];

describe('kind 1: traffic reaches a version nobody routed to', () => {
  test('renders a route sending everything to the first version of a two-version service (the reported input)', () => {
    const c = chart();
    new MeshService(c, 'payments', { versions: twoVersions });
    const vs = object(c, 'VirtualService', 'payments');
    expect(vs.spec).toEqual({ hosts: ['payments'], http: [{ route: [{ destination: { host: 'payments', subset: 'v1' } }] }] });
  });

  test('renders the route once a second version is added with addVersion()', () => {
    const c = chart();
    const svc = new MeshService(c, 'payments', { versions: [twoVersions[0]] });
    expect(objects(c, 'VirtualService')).toHaveLength(0);
    svc.addVersion(twoVersions[1]);
    expect(object(c, 'VirtualService', 'payments').spec.http[0].route).toEqual([{ destination: { host: 'payments', subset: 'v1' } }]);
  });

  test('routes to defaultVersion when given', () => {
    const c = chart();
    const svc = new MeshService(c, 'payments', { versions: twoVersions, defaultVersion: 'v2' });
    expect(svc.defaultVersion).toBe('v2');
    expect(object(c, 'VirtualService', 'payments').spec.http[0].route[0].destination.subset).toBe('v2');
  });

  test('a TrafficSplit replaces the default route (one VirtualService for the host)', () => {
    const c = chart();
    const svc = new MeshService(c, 'payments', { versions: twoVersions });
    new TrafficSplit(c, 'routing', { service: svc, defaultRoute: { destinations: [{ version: 'v2' }] } });
    const vs = objects(c, 'VirtualService');
    expect(vs).toHaveLength(1);
    expect(vs[0].spec.http[0].route[0].destination.subset).toBe('v2');
  });

  test('a TrafficSplit created before the second version keeps the default route away', () => {
    const c = chart();
    const svc = new MeshService(c, 'payments', { versions: [twoVersions[0]] });
    new TrafficSplit(c, 'routing', { service: svc, defaultRoute: { destinations: [{ version: 'v1' }] } });
    svc.addVersion(twoVersions[1]);
    expect(objects(c, 'VirtualService')).toHaveLength(1);
  });

  test('routeToDefaultVersion: false leaves the service unrouted; one version needs no route', () => {
    const c = chart();
    new MeshService(c, 'payments', { versions: twoVersions, routeToDefaultVersion: false });
    new MeshService(c, 'single', { versions: [twoVersions[0]] });
    expect(objects(c, 'VirtualService')).toHaveLength(0);
  });

  test('fails when defaultVersion is not declared', () => {
    const c = chart();
    new MeshService(c, 'payments', { versions: twoVersions, defaultVersion: 'v3' });
    expect(() => Testing.synth(c)).toThrow("MeshService 'test/payments': prop 'defaultVersion' is \"v3\", which is not a declared version (declared: \"v1\", \"v2\")");
  });

  test('fails when the default version has no pods', () => {
    const c = chart();
    new MeshService(c, 'payments', { versions: [{ name: 'v1', image: 'x:1', replicas: 0 }, twoVersions[1]] });
    expect(() => Testing.synth(c)).toThrow("prop 'defaultVersion' is \"v1\", which has replicas: 0");
  });
});

describe('kind 5: cdk8s-plus composition that selects nothing', () => {
  test('exposeViaService on a version selects that version\'s pods (the reported input)', () => {
    const c = chart();
    const svc = new MeshService(c, 'payments', { versions: twoVersions });
    svc.deployment('v2').exposeViaService({ name: 'preview', ports: [{ port: 8080 }] });
    expect(object(c, 'Service', 'preview').spec.selector).toEqual({ app: 'payments', version: 'v2' });
  });

  test('Service.select, NetworkPolicy selectors and peers use app/version, never the stripped hash label', () => {
    const c = chart();
    const svc = new MeshService(c, 'payments', { versions: twoVersions });
    const other = new MeshService(c, 'checkout', { versions: [twoVersions[0]] });
    const s = new kplus.Service(c, 'v1-only', { metadata: { name: 'v1-only' }, ports: [{ port: 8080 }] });
    s.select(svc.deployment('v1'));
    new kplus.NetworkPolicy(c, 'np', { metadata: { name: 'np' }, selector: svc.deployment('v1') })
      .addIngressRule(other.deployment('v1'));
    expect(object(c, 'Service', 'v1-only').spec.selector).toEqual({ app: 'payments', version: 'v1' });
    const np = object(c, 'NetworkPolicy', 'np');
    expect(np.spec.podSelector).toEqual({ matchLabels: { app: 'payments', version: 'v1' } });
    expect(JSON.stringify(np)).not.toContain('metadata.addr');
    expect(np.spec.ingress[0].from[0].podSelector).toEqual({ matchLabels: { app: 'checkout', version: 'v1' } });
  });
});

describe('kind 8: the showcase applies to a fresh cluster', () => {
  test('dist/ starts with the Namespace, enrolled in the mesh, before any namespaced object', () => {
    const objs = Testing.synth(new MeshDemoChart(Testing.app()));
    expect(objs[0]).toMatchObject({ kind: 'Namespace', metadata: { name: 'mesh-demo', labels: { 'istio-injection': 'enabled' } } });
    expect(objs.slice(1).every((o: any) => o.metadata.namespace === 'mesh-demo')).toBe(true);
    expect(objs.filter((o: any) => o.kind === 'PeerAuthentication').map((o: any) => o.spec)).toEqual([{ mtls: { mode: 'STRICT' } }]);
  });
});

describe('kind 9: no noise in diffs', () => {
  const synthOne = (build: (c: Chart) => void) => {
    const c = chart();
    build(c);
    return Testing.synth(c);
  };

  test('Services, Deployments and Namespaces carry no field that only restates an API default', () => {
    const objs = synthOne((c) => new MeshService(c, 'payments', { versions: twoVersions }));
    const svc = objs.find((o: any) => o.kind === 'Service');
    expect(svc.spec).not.toHaveProperty('externalIPs');
    expect(svc.spec).not.toHaveProperty('type');
    const d = objs.find((o: any) => o.kind === 'Deployment');
    for (const f of ['minReadySeconds', 'progressDeadlineSeconds', 'strategy']) expect(d.spec).not.toHaveProperty(f);
    for (const f of ['dnsPolicy', 'hostNetwork', 'restartPolicy', 'setHostnameAsFQDN', 'terminationGracePeriodSeconds']) expect(d.spec.template.spec).not.toHaveProperty(f);
    expect(d.spec.template.spec.securityContext).not.toHaveProperty('fsGroupChangePolicy');
    expect(d.spec.template.spec.containers[0].livenessProbe).toEqual({ httpGet: { path: '/health', port: 8080 } });
  });

  test('a value that differs from the default is kept (fsGroupChangePolicy with an fsGroup, failureThreshold 5)', () => {
    const c = chart();
    new MeshService(c, 'payments', {
      versions: [{ ...twoVersions[0], podSecurity: { fsGroup: 2000 } }],
      liveness: HealthProbe.httpGet('/health', { failureThreshold: 5 }),
    });
    const d = object(c, 'Deployment', 'payments-v1');
    expect(d.spec.template.spec.securityContext).toMatchObject({ fsGroup: 2000, fsGroupChangePolicy: 'Always' });
    expect(d.spec.template.spec.containers[0].livenessProbe.failureThreshold).toBe(5);
  });

  test('the example\'s Namespace has no empty spec', () => {
    const ns = Testing.synth(new MeshDemoChart(Testing.app())).find((o: any) => o.kind === 'Namespace');
    expect(ns).not.toHaveProperty('spec');
  });
});

describe('kind 6: non-HTTP workloads declared as HTTP', () => {
  test('a TCP service (Redis-like) is declared tcp, probed by TCP connect, with no metrics endpoint', () => {
    const c = chart();
    new MeshService(c, 'cache', { port: 6379, protocol: MeshProtocol.TCP, versions: [{ name: 'v1', image: 'redis:7' }] });
    expect(object(c, 'Service', 'cache').spec.ports).toEqual([{ appProtocol: 'tcp', name: 'tcp', port: 6379, protocol: 'TCP', targetPort: 6379 }]);
    const pod = object(c, 'Deployment', 'cache-v1').spec.template;
    expect(pod.spec.containers[0].ports).toEqual([{ containerPort: 6379, name: 'tcp' }]);
    expect(pod.spec.containers[0].livenessProbe).toEqual({ tcpSocket: { port: 6379 } });
    expect(pod.metadata.annotations).not.toHaveProperty('prometheus.io/scrape');
  });

  test('a gRPC port plus an HTTP admin/metrics port: both declared, each with its protocol', () => {
    const c = chart();
    const svc = new MeshService(c, 'pricing', {
      ports: [{ port: 9000, protocol: MeshProtocol.GRPC }, { port: 9090, protocol: MeshProtocol.HTTP, name: 'http-admin' }],
      metrics: MetricsEndpoint.http({ port: 9090 }),
      versions: [{ name: 'v1', image: 'x:1' }],
    });
    expect(svc.port).toBe(9000);
    expect(object(c, 'Service', 'pricing').spec.ports.map((p: any) => [p.name, p.port, p.appProtocol]))
      .toEqual([['grpc', 9000, 'grpc'], ['http-admin', 9090, 'http']]);
    const pod = object(c, 'Deployment', 'pricing-v1').spec.template;
    expect(pod.spec.containers[0].ports).toEqual([{ containerPort: 9000, name: 'grpc' }, { containerPort: 9090, name: 'http-admin' }]);
    expect(pod.metadata.annotations['prometheus.io/port']).toBe('9090');
  });

  test('routes to a multi-port service name the port (IST0112), in routes and mirrors', () => {
    const c = chart();
    const svc = new MeshService(c, 'pricing', {
      ports: [{ port: 8080 }, { port: 9090, name: 'http-admin' }],
      versions: [{ name: 'v1', image: 'x:1' }, { name: 'v2', image: 'x:2' }],
    });
    new TrafficSplit(c, 'r', { service: svc, defaultRoute: { destinations: [{ version: 'v1' }], mirror: { version: 'v2' } } });
    const http = object(c, 'VirtualService', 'pricing').spec.http[0];
    expect(http.route[0].destination).toEqual({ host: 'pricing', subset: 'v1', port: { number: 8080 } });
    expect(http.mirror).toEqual({ host: 'pricing', subset: 'v2', port: { number: 8080 } });
  });

  test('a two-version TCP service gets a tcp default route (Istio VirtualService)', () => {
    const c = chart();
    new MeshService(c, 'cache', { port: 6379, protocol: MeshProtocol.TCP, versions: twoVersions });
    expect(object(c, 'VirtualService', 'cache').spec).toEqual({ hosts: ['cache'], tcp: [{ route: [{ destination: { host: 'cache', subset: 'v1' } }] }] });
  });

  test('fails when a TCP service with several versions is routed with Gateway API (no TCPRoute)', () => {
    const app = Testing.app();
    Mesh.use(app, new IstioSidecar({ routing: IstioRouting.GATEWAY_API }));
    const c = new Chart(app, 'c', { namespace: 'shop' });
    expect(() => new MeshService(c, 'cache', { port: 6379, protocol: MeshProtocol.TCP, versions: twoVersions }))
      .toThrow("MeshService 'c/cache': prop 'routeToDefaultVersion' is true, which routes the TCP port \"tcp\" of a service with several versions, and Istio sidecar (Gateway API routing) renders HTTPRoute only");
  });

  test('fails when a TrafficSplit routes a TCP service', () => {
    const c = chart();
    const svc = new MeshService(c, 'cache', { port: 6379, protocol: MeshProtocol.TCP, versions: [twoVersions[0]] });
    expect(() => new TrafficSplit(c, 'r', { service: svc, defaultRoute: { destinations: [{ version: 'v1' }] } }))
      .toThrow("TrafficSplit 'test/r': prop 'service' is \"cache\", which has the TCP port \"tcp\" as its primary port");
  });

  test.each([
    [{ ports: [{ port: 8080 }, { port: 8080, name: 'http-b' }] }, "prop 'ports[1].port' is 8080, which is declared twice"],
    [{ ports: [{ port: 8080, name: 'web' }] }, "prop 'ports[0].name' is \"web\", which is not a port name for http"],
    [{ ports: [{ port: 6379, protocol: MeshProtocol.TCP, name: 'http-redis' }] }, "prop 'ports[0].name' is \"http-redis\", which is not a port name for tcp"],
    [{ ports: [{ port: 8080, name: 'http-much-too-long' }] }, 'at most 15'],
    [{ ports: [] }, "prop 'ports' is [], which declares no port"],
    [{ port: 8080, ports: [{ port: 9090 }] }, "prop 'port' is 8080, which is set together with `ports`"],
    [{ ports: [{ port: 15020 }] }, "prop 'ports[0].port' is 15020, which is reserved by the Istio sidecar"],
    [{ protocol: 'udp' as MeshProtocol }, "prop 'protocol' is \"udp\", which is not a MeshProtocol"],
  ])('fails when the ports are %j', (props, message) => {
    expect(() => new MeshService(chart(), 'svc', { ...props, versions: [twoVersions[0]] })).toThrow(message);
  });
});

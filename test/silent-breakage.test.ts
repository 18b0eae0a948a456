// Configurations that used to render without error and break (or do nothing) at runtime — one
// kind per describe, each with the reported input and inputs of our own of the same kind.
import { Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { MeshDemoChart } from '../src/example';
import { HealthProbe, MeshService, TrafficSplit } from '../src';
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

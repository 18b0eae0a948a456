// Issue 14 item 6 (part): the example app's day-2 additions — circuit breaking on myservice, an HPA
// and a PDB for myservice v1 — in each backend's rendering, read from what dist/ is made of.
import { App, Testing } from 'cdk8s';
import { IstioAmbient, IstioRouting, IstioSidecar, Linkerd, Mesh } from '../src';
import { MeshDemoChart } from '../src/example';

const RENDERINGS: ReadonlyArray<[string, (app: App) => void]> = [
  ['istio-sidecar', () => undefined],
  ['istio-sidecar-gateway-api', (app) => Mesh.use(app, new IstioSidecar({ routing: IstioRouting.GATEWAY_API }))],
  ['istio-ambient', (app) => Mesh.use(app, new IstioAmbient())],
  ['linkerd', (app) => Mesh.use(app, new Linkerd({ ingressGatewayClass: 'envoy-gateway' }))],
];

function render(setup: (app: App) => void): any[] {
  const app = Testing.app();
  setup(app);
  return Testing.synth(new MeshDemoChart(app));
}
const find = (objs: any[], kind: string, name: string) => objs.filter((o) => o.kind === kind && o.metadata.name === name);

describe.each(RENDERINGS)('the example app rendered for %s', (name, setup) => {
  const objs = render(setup);

  test('v1 is autoscaled 2–6 pods at 80 % CPU, its Deployment sets no replicas; v2 keeps 2 fixed pods', () => {
    expect(find(objs, 'HorizontalPodAutoscaler', 'myservice-v1').map((h) => [h.spec.minReplicas, h.spec.maxReplicas, h.spec.scaleTargetRef.name, h.spec.metrics[0].resource.target.averageUtilization]))
      .toEqual([[2, 6, 'myservice-v1', 80]]);
    expect(find(objs, 'Deployment', 'myservice-v1')[0].spec).not.toHaveProperty('replicas');
    expect(find(objs, 'Deployment', 'myservice-v2')[0].spec.replicas).toBe(2);
  });

  test('v1 has a PodDisruptionBudget allowing one pod down at a time', () => {
    expect(find(objs, 'PodDisruptionBudget', 'myservice-v1').map((p) => p.spec)).toEqual([{ maxUnavailable: 1, selector: { matchLabels: { app: 'myservice', version: 'v1' } } }]);
  });

  test('myservice breaks the circuit after 5 consecutive 5xx for 30 s, as this data plane says it', () => {
    if (name === 'linkerd') {
      expect(find(objs, 'Service', 'myservice')[0].metadata.annotations).toEqual({
        'balancer.linkerd.io/failure-accrual': 'consecutive',
        'balancer.linkerd.io/failure-accrual-consecutive-max-failures': '5',
        'balancer.linkerd.io/failure-accrual-consecutive-min-penalty': '30s',
        'balancer.linkerd.io/failure-accrual-consecutive-max-penalty': '5m',
      });
      expect(objs.filter((o) => o.kind === 'DestinationRule')).toEqual([]);
      return;
    }
    // VirtualService routing: one DestinationRule with subsets; HTTPRoute routing: one per host.
    const hosts = name === 'istio-sidecar' ? ['myservice'] : ['myservice', 'myservice-v1', 'myservice-v2'];
    const rules = objs.filter((o) => o.kind === 'DestinationRule' && o.metadata.labels.app === 'myservice');
    expect(rules.map((d) => d.spec.host)).toEqual(hosts);
    for (const d of rules) expect(d.spec.trafficPolicy.outlierDetection).toEqual({ consecutive5xxErrors: 5, baseEjectionTime: '30s' });
    // The TLS the STRICT namespace derives stays beside it (no client TLS in ambient: ztunnel's HBONE).
    for (const d of rules) expect(d.spec.trafficPolicy.tls).toEqual(name === 'istio-ambient' ? undefined : { mode: 'ISTIO_MUTUAL' });
  });

  test('frontend is untouched: no resilience, no autoscaler', () => {
    for (const d of objs.filter((o) => o.kind === 'DestinationRule' && o.metadata.labels.app === 'frontend')) expect(d.spec.trafficPolicy?.outlierDetection).toBeUndefined();
    expect(find(objs, 'HorizontalPodAutoscaler', 'frontend-v1')).toEqual([]);
    expect(find(objs, 'Service', 'frontend')[0].metadata.annotations).toBeUndefined();
  });
});

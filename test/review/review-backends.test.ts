// The review reads security and routing of the other backends' shapes, and of GitOps-style Istio.
import * as path from 'path';
import { Testing } from 'cdk8s';
import { IstioAmbient, Linkerd, Mesh } from '../../src';
import { MeshDemoChart } from '../../src/example';
import { explainState } from '../../src/review/explain';
import { stateDiagram } from '../../src/review/mermaid';
import { readManifests } from '../../src/review/objects';
import { reviewManifests } from '../../src/review/review';
import { parseMermaid } from './mermaid';

const fixtures = path.join(__dirname, 'fixtures');

describe('explaining other backends from their manifests', () => {
  test('Linkerd (the example as the backend renders it): Server → STRICT; frontend, probes and the scrape are the permissions', () => {
    const app = Testing.app();
    Mesh.use(app, new Linkerd({ ingressGatewayClass: 'envoy-gateway' }));
    const state = explainState(Testing.synth(new MeshDemoChart(app)));
    const s = state.services.get('mesh-demo/myservice')!;
    expect(s.dataPlane).toBe('linkerd');
    expect(s.workloads[0].mtls).toMatchObject({ mode: 'STRICT', source: 'Linkerd Server myservice-http' });
    expect(s.workloads[0].access.permissions.map((p) => `${p.from} → ${p.to}`)).toEqual([
      'frontend.mesh-demo.serviceaccount.identity.linkerd.cluster.local → GET /api/users',
      'network 0.0.0.0/0 → GET /health, GET /ready',
      'network 0.0.0.0/0 → GET /metrics',
      'network ::/0 → GET /health, GET /ready',
      'network ::/0 → GET /metrics',
    ]);
    expect(s.rules.map((r) => [r.key, r.timeout, r.retries])).toEqual([['header version=v2', undefined, undefined], ['default route', undefined, undefined]]);
    // Callers admitted by network (probes, the scrape) carry no identity: the diagram does not call them mTLS.
    const diagram = stateDiagram(state);
    expect(diagram).toContain('mTLS STRICT · GET /api/users');
    expect(diagram).toContain('no mTLS needed (by network) · GET /health, GET /ready');
    expect(diagram).not.toMatch(/mTLS STRICT · GET \/(health|metrics)/);
  });

  test('ambient (the example app as IstioAmbient renders it): targetRefs policy for the waypoint, ztunnel admitting the waypoint and the scraper', () => {
    const app = Testing.app();
    Mesh.use(app, new IstioAmbient());
    const state = explainState(Testing.synth(new MeshDemoChart(app)));
    const s = state.services.get('mesh-demo/myservice')!;
    expect(s.dataPlane).toBe('istio-ambient');
    expect(s.workloads.map((w) => w.name)).toEqual(['myservice-v1', 'myservice-v2']);
    for (const w of s.workloads) {
      expect(w.mtls.mode).toBe('STRICT');
      // The waypoint is a hop (it enforces the targetRefs policy), not a caller; Prometheus scrapes :8080 past it.
      expect(w.access.permissions.map((p) => `${p.from} → ${p.to}`)).toEqual([
        'cluster.local/ns/istio-system/sa/prometheus → port 8080',
        'cluster.local/ns/mesh-demo/sa/frontend → GET /api/users',
      ]);
    }
    expect(s.rules.map((r) => r.key)).toEqual(['version-header', 'default route']);
    expect(s.notes).toEqual([]);
  });

  test('GitOps Istio repo: shift, a new subset routed in the same change, a subset removed while routed', () => {
    const r = reviewManifests(readManifests(path.join(fixtures, 'gitops', 'before')), readManifests(path.join(fixtures, 'gitops', 'after')));
    expect(r.risks.map((x) => `${x.severity} ${x.service} ${x.id}`)).toEqual([
      'high shop/ratings version-removed-while-routed',
      'medium shop/ratings large-shift',
      'medium shop/reviews route-to-new-version',
      'medium shop/reviews large-shift',
    ]);
    expect(r.services.find((s) => s.service === 'shop/reviews')!.changes.map((c) => c.text)).toEqual([
      'rule "jason": v2 100% → 0%, v3 0% → 100%',
      'default route: v1 80% → 40%, v2 20% → 60%; timeout 3s → 5s',
      'version v3 added (subset v3)',
    ]);
    expect(parseMermaid([r.diagrams.after, r.diagrams.change]).map((x) => x.error ?? x.type)).toEqual(['flowchart-v2', 'flowchart-v2']);
  }, 60_000);
});

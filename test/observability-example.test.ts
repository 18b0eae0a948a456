import * as fs from 'fs';
import * as path from 'path';
import { Testing } from 'cdk8s';
import * as YAML from 'yaml';
import { MeshDemoChart } from '../src/example';
import { promqlErrors, ruleExpressions } from './promql';

const DIST = path.join(__dirname, '..', 'dist', 'istio-sidecar', 'mesh-demo.k8s.yaml');

describe('example app observability', () => {
  const manifests = () => Testing.synth(new MeshDemoChart(Testing.app()));

  test("a PodMonitor selects myservice's pods and scrapes the merged metrics endpoint", () => {
    const pm = manifests().filter((o) => o.kind === 'PodMonitor');
    expect(pm).toHaveLength(1);
    expect(pm[0].spec.selector).toEqual({ matchLabels: { app: 'myservice' } });
    expect(pm[0].spec.podMetricsEndpoints[0]).toMatchObject({ port: 'http', path: '/stats/prometheus' });
    for (const d of manifests().filter((o) => o.kind === 'Deployment')) {
      expect(d.spec.template.metadata.annotations).toMatchObject({ 'prometheus.io/scrape': 'true', 'prometheus.io/path': '/metrics', 'prometheus.io/port': '8080' });
    }
  });

  test('the PrometheusRule alerts on http_request_duration_seconds at 99.9% availability and 99% under 300 ms', () => {
    const rule = manifests().find((o) => o.kind === 'PrometheusRule');
    const alerts = rule.spec.groups.flatMap((g: any) => g.rules).filter((r: any) => r.alert);
    expect(alerts).toHaveLength(4);
    expect(alerts.map((a: any) => a.expr).join('\n')).toContain('(14.4 * 0.001)');
    const recording = rule.spec.groups.flatMap((g: any) => g.rules).filter((r: any) => r.record);
    expect(recording.map((r: any) => r.expr).join('\n')).toContain('le="0.3"');
  });

  test('dist/ holds the PodMonitor and a PrometheusRule whose every expression parses', () => {
    const docs = YAML.parseAllDocuments(fs.readFileSync(DIST, 'utf8')).map((d) => d.toJS());
    expect(docs.filter((o) => o.kind === 'PodMonitor').map((o) => o.metadata.name)).toEqual(['myservice']);
    const exprs = ruleExpressions(docs);
    expect(exprs).toHaveLength(12);
    for (const { name, expr } of exprs) {
      expect(expr).toContain('http_request_duration_seconds');
      expect({ name, errors: promqlErrors(expr) }).toEqual({ name, errors: [] });
    }
  });
});

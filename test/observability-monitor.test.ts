import { Chart, Duration, Testing } from 'cdk8s';
import {
  MeshMonitor, MeshProtocol, MeshService, MeshServiceProps, MetricsEndpoint, MonitorKind,
  MONITOR_POD_TARGET_LABELS, ScrapeTarget, SLO_AGGREGATION_LABELS,
} from '../src';
import { chart, object, objects } from './util';

const VERSIONS = [
  { name: 'v1', image: 'ghcr.io/acme/users:1.0.0' },
  { name: 'v2', image: 'ghcr.io/acme/users:2.0.0' },
];

function users(props: Partial<MeshServiceProps> = {}, c: Chart = chart()) {
  return { c, svc: new MeshService(c, 'users', { versions: VERSIONS, ...props }) };
}

const TO_15020 = [
  { action: 'replace', sourceLabels: ['__meta_kubernetes_pod_ip'], regex: '([^:]+)', replacement: '$1:15020', targetLabel: '__address__' },
  { action: 'replace', sourceLabels: ['__meta_kubernetes_pod_ip'], regex: '(.+:.+)', replacement: '[$1]:15020', targetLabel: '__address__' },
];

describe('MeshService metrics endpoint', () => {
  test('default: GET /metrics on the service port, as metrics-merge annotations on every pod template', () => {
    const { c, svc } = users();
    svc.addVersion({ name: 'v3', image: 'ghcr.io/acme/users:3.0.0' });
    expect(svc.metrics).toEqual({ path: '/metrics', port: 8080 });
    for (const d of objects(c, 'Deployment')) {
      expect(d.spec.template.metadata.annotations).toMatchObject({
        'prometheus.io/scrape': 'true',
        'prometheus.io/port': '8080',
        'prometheus.io/path': '/metrics',
      });
    }
    expect(objects(c, 'Deployment')).toHaveLength(3);
  });

  test('a custom path and port', () => {
    const { c, svc } = users({ metrics: MetricsEndpoint.http({ path: '/q/metrics', port: 9090 }) });
    expect(svc.metrics).toEqual({ path: '/q/metrics', port: 9090 });
    expect(object(c, 'Deployment', 'users-v1').spec.template.metadata.annotations).toMatchObject({
      'prometheus.io/port': '9090', 'prometheus.io/path': '/q/metrics',
    });
  });

  test('MetricsEndpoint.none(): no scrape annotations, metrics undefined', () => {
    const { c, svc } = users({ metrics: MetricsEndpoint.none() });
    expect(svc.metrics).toBeUndefined();
    expect(JSON.stringify(Testing.synth(c))).not.toContain('prometheus.io/');
  });

  test('fails when the metrics path is not absolute', () => {
    expect(() => users({ metrics: MetricsEndpoint.http({ path: 'metrics' }) }))
      .toThrow("MeshService 'test/users': prop 'metrics.path' is \"metrics\", which is not an absolute HTTP path");
  });

  test('fails when the metrics port is out of range', () => {
    expect(() => users({ metrics: MetricsEndpoint.http({ port: 0 }) }))
      .toThrow("MeshService 'test/users': prop 'metrics.port' is 0, which is not a port number between 1 and 65535");
  });
});

describe('MeshMonitor defaults (PodMonitor on the merged endpoint)', () => {
  test('snapshot', () => {
    const { c, svc } = users();
    new MeshMonitor(c, 'monitor', { service: svc });
    expect(objects(c, 'PodMonitor')).toMatchSnapshot();
  });

  test("selects the service's pods by app, in its namespace, and scrapes :15020/stats/prometheus over plain HTTP", () => {
    const { c, svc } = users();
    const m = new MeshMonitor(c, 'monitor', { service: svc });
    const pm = object(c, 'PodMonitor', 'users');
    expect(pm.apiVersion).toBe('monitoring.coreos.com/v1');
    expect(pm.metadata.namespace).toBe('test');
    expect(pm.spec.selector).toEqual({ matchLabels: { app: 'users' } });
    expect(pm.spec.namespaceSelector).toBeUndefined();
    expect(pm.spec.podMetricsEndpoints).toEqual([{ port: 'http', path: '/stats/prometheus', scheme: 'http', relabelings: TO_15020 }]);
    expect([m.kind, m.scrape, m.port, m.path]).toEqual([MonitorKind.POD_MONITOR, ScrapeTarget.ISTIO_MERGED, 15020, '/stats/prometheus']);
  });

  test('copies app and version from the pods onto every series — the labels the SLO rules group by', () => {
    const { c, svc } = users();
    new MeshMonitor(c, 'monitor', { service: svc });
    const pm = object(c, 'PodMonitor', 'users');
    expect(pm.spec.podTargetLabels).toEqual(['app', 'version']);
    expect(pm.spec.jobLabel).toBe('app');
    for (const l of SLO_AGGREGATION_LABELS.filter((x) => x !== 'namespace')) expect(MONITOR_POD_TARGET_LABELS).toContain(l);
  });

  test('discovers targets through the service\'s own port name (grpc, metrics on a separate HTTP port)', () => {
    const { c, svc } = users({ protocol: MeshProtocol.GRPC, metrics: MetricsEndpoint.http({ port: 9102 }) });
    new MeshMonitor(c, 'monitor', { service: svc });
    expect(object(c, 'PodMonitor', 'users').spec.podMetricsEndpoints[0].port).toBe('grpc');
  });

  test('the rewrite to :15020 keeps IPv4 and brackets IPv6 pod IPs (Prometheus anchors relabel regexes)', () => {
    const [v4, v6] = TO_15020;
    const rewrite = (r: typeof v4, ip: string) => {
      const m = new RegExp(`^(?:${r.regex})$`).exec(ip);
      return m ? r.replacement.replace('$1', m[1]) : undefined;
    };
    expect(rewrite(v4, '10.1.2.3')).toBe('10.1.2.3:15020');
    expect(rewrite(v6, '10.1.2.3')).toBeUndefined();
    expect(rewrite(v4, 'fd00::1')).toBeUndefined();
    expect(rewrite(v6, 'fd00::1')).toBe('[fd00::1]:15020');
  });
});

describe('MeshMonitor options', () => {
  test('ServiceMonitor on the merged endpoint selects the Service by app', () => {
    const { c, svc } = users();
    new MeshMonitor(c, 'monitor', { service: svc, kind: MonitorKind.SERVICE_MONITOR });
    expect(objects(c, 'PodMonitor')).toEqual([]);
    const sm = object(c, 'ServiceMonitor', 'users');
    // Only the apex Service: per-version Services (app.kubernetes.io/version) would double every series.
    expect(sm.spec.selector).toEqual({ matchLabels: { app: 'users' }, matchExpressions: [{ key: 'app.kubernetes.io/version', operator: 'DoesNotExist' }] });
    expect(object(c, 'Service', 'users').metadata.labels.app).toBe('users');
    expect(sm.spec.podTargetLabels).toEqual(['app', 'version']);
    expect(sm.spec.endpoints).toEqual([{ port: 'http', path: '/stats/prometheus', scheme: 'http', relabelings: TO_15020 }]);
  });

  test('ScrapeTarget.APPLICATION on the service port scrapes the app\'s path with no rewrite', () => {
    const { c, svc } = users();
    new MeshMonitor(c, 'monitor', { service: svc, kind: MonitorKind.SERVICE_MONITOR, scrape: ScrapeTarget.APPLICATION });
    expect(object(c, 'ServiceMonitor', 'users').spec.endpoints).toEqual([{ port: 'http', path: '/metrics', scheme: 'http' }]);
  });

  test('ScrapeTarget.APPLICATION on a separate metrics port rewrites the address to that port', () => {
    const { c, svc } = users({ metrics: MetricsEndpoint.http({ port: 9090, path: '/prom' }) });
    new MeshMonitor(c, 'monitor', { service: svc, scrape: ScrapeTarget.APPLICATION });
    const ep = object(c, 'PodMonitor', 'users').spec.podMetricsEndpoints[0];
    expect(ep.path).toBe('/prom');
    expect(ep.relabelings.map((r: any) => r.replacement)).toEqual(['$1:9090', '[$1]:9090']);
  });

  test('interval, name and labels (e.g. the release label a Prometheus selects monitors by)', () => {
    const { c, svc } = users();
    new MeshMonitor(c, 'monitor', { service: svc, interval: Duration.seconds(15), name: 'users-metrics', labels: { release: 'kube-prometheus-stack' } });
    const pm = object(c, 'PodMonitor', 'users-metrics');
    expect(pm.metadata.labels).toEqual({ release: 'kube-prometheus-stack', app: 'users' });
    expect(pm.spec.podMetricsEndpoints[0].interval).toBe('15s');
  });

  test('a monitor in another namespace selects the service\'s namespace', () => {
    const { svc } = users({}, chart('shop'));
    const monitoring = chart('monitoring');
    new MeshMonitor(monitoring, 'monitor', { service: svc });
    expect(object(monitoring, 'PodMonitor', 'users').spec.namespaceSelector).toEqual({ matchNames: ['shop'] });
  });

  test('fails when the service declares no metrics endpoint', () => {
    const { c, svc } = users({ metrics: MetricsEndpoint.none() });
    expect(() => new MeshMonitor(c, 'monitor', { service: svc }))
      .toThrow("MeshMonitor 'test/monitor': prop 'service' is \"users\", which declares no metrics endpoint (metrics: MetricsEndpoint.none()). Fix:");
  });

  test('fails when the interval is zero', () => {
    const { c, svc } = users();
    expect(() => new MeshMonitor(c, 'monitor', { service: svc, interval: Duration.seconds(0) }))
      .toThrow("MeshMonitor 'test/monitor': prop 'interval' is \"0 ms\", which is not a positive whole number of milliseconds");
  });
});

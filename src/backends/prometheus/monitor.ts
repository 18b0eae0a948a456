// MeshMonitor model → Prometheus Operator PodMonitor or ServiceMonitor (shared by every backend;
// the backend decides which endpoint of each pod is scraped).
import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import {
  PodMonitor,
  PodMonitorSpecPodMetricsEndpointsRelabelingsAction as PodAction,
  PodMonitorSpecPodMetricsEndpointsScheme as PodScheme,
  ServiceMonitor,
  ServiceMonitorSpecEndpointsRelabelingsAction as ServiceAction,
  ServiceMonitorSpecEndpointsScheme as ServiceScheme,
} from '../../../imports/monitoring.coreos.com';
import type { MonitorModel, ScrapeEndpointModel } from '../../models/observability';
import { appSelector } from '../../models/service';

/**
 * Labels copied from each pod onto every scraped series (`podTargetLabels`), so SLO rules can
 * select `{app="<service>"}` and compare versions `by (app, version)`.
 */
export const MONITOR_POD_TARGET_LABELS: readonly string[] = ['app', 'version'];

interface Relabel {
  readonly sourceLabels: string[];
  readonly regex: string;
  readonly replacement: string;
  readonly targetLabel: string;
}

/** @internal */
export function createMonitor(scope: Construct, m: MonitorModel, endpoint: ScrapeEndpointModel): PodMonitor | ServiceMonitor {
  const service = m.service;
  // Targets are discovered through the app container's declared, named port (exactly one per
  // pod); when another port is scraped — :15020 is the sidecar's and not declared, a separate
  // metrics port may not be either — the address is rewritten to <pod IP>:<port>. (PodMonitor
  // `portNumber` can't do it: it only keeps ports a container declares.)
  const relabelings: Relabel[] = endpoint.port === service.port ? [] : [
    { sourceLabels: ['__meta_kubernetes_pod_ip'], regex: '([^:]+)', replacement: `$1:${endpoint.port}`, targetLabel: '__address__' },
    { sourceLabels: ['__meta_kubernetes_pod_ip'], regex: '(.+:.+)', replacement: `[$1]:${endpoint.port}`, targetLabel: '__address__' },
  ];
  const chartNamespace = Chart.of(scope).namespace;
  const namespaceSelector = service.namespace && service.namespace !== chartNamespace ? { matchNames: [service.namespace] } : undefined;
  const metadata = { name: m.name, labels: { ...m.labels, app: service.serviceName } };
  const selector = { matchLabels: appSelector(service.serviceName) };
  // A ServiceMonitor selects Services: the per-version Services (`<svc>-<version>`, which carry
  // app.kubernetes.io/version) would make Prometheus scrape every pod once per Service, doubling
  // every rate. Only the apex Service is selected.
  const serviceSelector = {
    ...selector,
    matchExpressions: [{ key: 'app.kubernetes.io/version', operator: 'DoesNotExist' }],
  };
  if (m.monitorKind === 'ServiceMonitor') {
    return new ServiceMonitor(scope, 'Resource', {
      metadata,
      spec: {
        selector: serviceSelector,
        namespaceSelector,
        jobLabel: 'app',
        podTargetLabels: [...MONITOR_POD_TARGET_LABELS],
        endpoints: [{
          port: service.portName,
          path: endpoint.path,
          scheme: ServiceScheme.HTTP,
          interval: m.interval,
          relabelings: relabelings.length ? relabelings.map((r) => ({ ...r, action: ServiceAction.REPLACE })) : undefined,
        }],
      },
    });
  }
  return new PodMonitor(scope, 'Resource', {
    metadata,
    spec: {
      selector,
      namespaceSelector,
      jobLabel: 'app',
      podTargetLabels: [...MONITOR_POD_TARGET_LABELS],
      podMetricsEndpoints: [{
        port: service.portName,
        path: endpoint.path,
        scheme: PodScheme.HTTP,
        interval: m.interval,
        relabelings: relabelings.length ? relabelings.map((r) => ({ ...r, action: PodAction.REPLACE })) : undefined,
      }],
    },
  });
}

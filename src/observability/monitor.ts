import { Chart, Duration } from 'cdk8s';
import { Construct } from 'constructs';
import {
  PodMonitor,
  PodMonitorSpecPodMetricsEndpointsRelabelingsAction as PodAction,
  PodMonitorSpecPodMetricsEndpointsScheme as PodScheme,
  ServiceMonitor,
  ServiceMonitorSpecEndpointsRelabelingsAction as ServiceAction,
  ServiceMonitorSpecEndpointsScheme as ServiceScheme,
} from '../../imports/monitoring.coreos.com';
import { propError } from '../errors';
import type { IMeshService } from '../mesh-service';
import { PropRef, requireDns1123Label, requireLabels } from '../names';
import { ISTIO_MERGED_METRICS_PATH, ISTIO_MERGED_METRICS_PORT, requireServiceMetrics, ServiceMetrics } from './metrics';
import { guardDuplicateObjects } from '../analysis/duplicate-objects';
import { keepJsonPatches } from '../api-object-patches';

/**
 * Which Prometheus Operator object scrapes a MeshService.
 * @see https://prometheus-operator.dev/docs/developer/getting-started/
 */
export enum MonitorKind {
  /** A `PodMonitor`: selects the service's pods by their `app` label. */
  POD_MONITOR = 'PodMonitor',
  /** A `ServiceMonitor`: selects the service's Service by its `app` label and scrapes its endpoints. */
  SERVICE_MONITOR = 'ServiceMonitor',
}

/** Which endpoint of each pod Prometheus scrapes. */
export enum ScrapeTarget {
  /**
   * istio-agent's merged endpoint `:15020/stats/prometheus` (application + Envoy metrics), plain
   * HTTP outside mTLS: works in a STRICT namespace and whatever AuthorizationPolicy guards the app port.
   */
  ISTIO_MERGED = 'istio-merged',
  /**
   * The application's own metrics endpoint, in plain text. Only works where the pod accepts
   * plaintext (PERMISSIVE/DISABLE mTLS, or no sidecar) and no AuthorizationPolicy blocks Prometheus.
   */
  APPLICATION = 'application',
}

/**
 * Labels copied from each pod onto every scraped series (`podTargetLabels`), so SLO rules can
 * select `{app="<service>"}` and compare versions `by (app, version)`.
 */
export const MONITOR_POD_TARGET_LABELS: readonly string[] = ['app', 'version'];

/** Props of a MeshMonitor. */
export interface MeshMonitorProps {
  /** The MeshService to scrape; it must declare a metrics endpoint (the default). */
  readonly service: IMeshService;
  /**
   * The Prometheus Operator object to create.
   * @default MonitorKind.POD_MONITOR
   */
  readonly kind?: MonitorKind;
  /**
   * Which endpoint to scrape. The default is the only one that works under STRICT mTLS without
   * giving Prometheus Istio certificates.
   * @see https://istio.io/latest/docs/ops/integrations/prometheus/#tls-settings
   * @default ScrapeTarget.ISTIO_MERGED
   */
  readonly scrape?: ScrapeTarget;
  /**
   * Scrape interval.
   * @default - the Prometheus's global `scrapeInterval`
   */
  readonly interval?: Duration;
  /**
   * Name of the PodMonitor/ServiceMonitor.
   * @default - the service name
   */
  readonly name?: string;
  /**
   * Labels on the monitor object, e.g. the `release` label a kube-prometheus-stack Prometheus selects monitors by.
   * @default - `app: <service>` only
   */
  readonly labels?: { readonly [key: string]: string };
}

/** One relabeling, shared by both monitor kinds. */
interface Relabel {
  readonly sourceLabels: string[];
  readonly regex: string;
  readonly replacement: string;
  readonly targetLabel: string;
}

const KIND = 'MeshMonitor';

/**
 * Makes Prometheus (Operator) scrape a MeshService: a `PodMonitor` (default) or `ServiceMonitor`
 * that targets each pod once, through its declared service port, and scrapes istio-agent's merged
 * metrics endpoint `:15020/stats/prometheus` — which carries the application's metrics, reachable
 * in plain HTTP even under STRICT mTLS. Every series gets the pod's `app` and `version` labels.
 *
 * @example
 * new MeshMonitor(chart, 'myservice-monitor', { service: myservice });
 */
export class MeshMonitor extends Construct {
  /** The object created. */
  public readonly kind: MonitorKind;
  /** The endpoint scraped. */
  public readonly scrape: ScrapeTarget;
  /** Name of the PodMonitor/ServiceMonitor. */
  public readonly name: string;
  /** Port scraped on each pod. */
  public readonly port: number;
  /** HTTP path scraped. */
  public readonly path: string;
  /** The generated PodMonitor or ServiceMonitor. */
  public readonly resource: PodMonitor | ServiceMonitor;

  public constructor(scope: Construct, id: string, props: MeshMonitorProps) {
    super(scope, id);
    guardDuplicateObjects(this);
    const ref = (prop: string): PropRef => ({ construct: KIND, path: this.node.path, prop });
    const service = props.service;
    const metrics: ServiceMetrics = requireServiceMetrics(ref('service'), service);
    this.kind = props.kind ?? MonitorKind.POD_MONITOR;
    this.scrape = props.scrape ?? ScrapeTarget.ISTIO_MERGED;
    this.name = requireDns1123Label(ref('name'), props.name ?? service.serviceName);
    const merged = this.scrape === ScrapeTarget.ISTIO_MERGED;
    this.port = merged ? ISTIO_MERGED_METRICS_PORT : metrics.port;
    this.path = merged ? ISTIO_MERGED_METRICS_PATH : metrics.path;
    const interval = props.interval === undefined ? undefined : intervalString(ref('interval'), props.interval);

    // Targets are discovered through the app container's declared, named port (exactly one per
    // pod); when another port is scraped — :15020 is the sidecar's and not declared, a separate
    // metrics port may not be either — the address is rewritten to <pod IP>:<port>. (PodMonitor
    // `portNumber` can't do it: it only keeps ports a container declares.)
    const relabelings: Relabel[] = this.port === service.port ? [] : [
      { sourceLabels: ['__meta_kubernetes_pod_ip'], regex: '([^:]+)', replacement: `$1:${this.port}`, targetLabel: '__address__' },
      { sourceLabels: ['__meta_kubernetes_pod_ip'], regex: '(.+:.+)', replacement: `[$1]:${this.port}`, targetLabel: '__address__' },
    ];

    const chartNamespace = Chart.of(this).namespace;
    const namespaceSelector = service.namespace && service.namespace !== chartNamespace
      ? { matchNames: [service.namespace] } : undefined;
    const metadata = { name: this.name, labels: { ...requireLabels(ref('labels'), props.labels), app: service.serviceName } };
    const selector = { matchLabels: { app: service.serviceName } };

    if (this.kind === MonitorKind.SERVICE_MONITOR) {
      this.resource = new ServiceMonitor(this, 'Resource', {
        metadata,
        spec: {
          selector,
          namespaceSelector,
          jobLabel: 'app',
          podTargetLabels: [...MONITOR_POD_TARGET_LABELS],
          endpoints: [{
            port: service.portName,
            path: this.path,
            scheme: ServiceScheme.HTTP,
            interval,
            relabelings: relabelings.length ? relabelings.map((r) => ({ ...r, action: ServiceAction.REPLACE })) : undefined,
          }],
        },
      });
    } else {
      this.resource = new PodMonitor(this, 'Resource', {
        metadata,
        spec: {
          selector,
          namespaceSelector,
          jobLabel: 'app',
          podTargetLabels: [...MONITOR_POD_TARGET_LABELS],
          podMetricsEndpoints: [{
            port: service.portName,
            path: this.path,
            scheme: PodScheme.HTTP,
            interval,
            relabelings: relabelings.length ? relabelings.map((r) => ({ ...r, action: PodAction.REPLACE })) : undefined,
          }],
        },
      });
    }
    keepJsonPatches(this.resource);
  }
}

/** A Prometheus duration (`30s`, `2m`) from a cdk8s Duration. */
function intervalString(ref: PropRef, d: Duration): string {
  const ms = d.toMilliseconds({ integral: false });
  if (!Number.isFinite(ms) || ms <= 0 || !Number.isInteger(ms)) {
    throw propError(ref.construct, ref.path, ref.prop, `${ms} ms`, 'is not a positive whole number of milliseconds',
      'use e.g. Duration.seconds(30)');
  }
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}

import { ApiObject, Chart, Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { guardDuplicateObjects } from '../analysis/duplicate-objects';
import { mixedBackends } from '../analysis/mesh-services';
import { propError } from '../errors';
import { appModelOf } from '../mesh/app-model';
import type { IMeshBackend, IRendering } from '../mesh/backend';
import { Mesh } from '../mesh/mesh';
import type { IMeshService } from '../mesh-service';
import type { MonitorModel } from '../models/observability';
import { PropRef, requireDns1123Label, requireLabels } from '../names';
import { requireServiceMetrics } from './metrics';
import { keepJsonPatchesUnder } from '../api-object-patches';

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
  /** The data plane the monitored service renders for. */
  public readonly backend: IMeshBackend;

  private readonly rendering: IRendering;

  public constructor(scope: Construct, id: string, props: MeshMonitorProps) {
    super(scope, id);
    guardDuplicateObjects(this);
    const ref = (prop: string): PropRef => ({ construct: KIND, path: this.node.path, prop });
    const service = props.service;
    requireServiceMetrics(ref('service'), service);
    this.kind = props.kind ?? MonitorKind.POD_MONITOR;
    if (!Object.values(MonitorKind).includes(this.kind)) {
      throw propError(KIND, this.node.path, 'kind', this.kind, 'is not a MonitorKind', 'use MonitorKind.POD_MONITOR or MonitorKind.SERVICE_MONITOR');
    }
    this.scrape = props.scrape ?? ScrapeTarget.ISTIO_MERGED;
    if (!Object.values(ScrapeTarget).includes(this.scrape)) {
      throw propError(KIND, this.node.path, 'scrape', this.scrape, 'is not a ScrapeTarget', 'use ScrapeTarget.ISTIO_MERGED or ScrapeTarget.APPLICATION');
    }
    this.name = requireDns1123Label(ref('name'), props.name ?? service.serviceName);
    const interval = props.interval === undefined ? undefined : intervalString(ref('interval'), props.interval);
    const namespace = Chart.of(this).namespace;

    this.backend = Mesh._forConstruct(this, KIND, namespace);
    const app = appModelOf(this);
    const model: MonitorModel = {
      kind: KIND,
      path: this.node.path,
      name: this.name,
      namespace,
      service,
      monitorKind: this.kind,
      scrape: this.scrape,
      interval,
      labels: requireLabels(ref('labels'), props.labels),
    };
    const endpoint = this.backend.scrapeEndpoint(model);
    this.port = endpoint.port;
    this.path = endpoint.path;
    this.rendering = this.backend.renderMonitor(this, model, endpoint, app);
    this.node.addValidation({ validate: () => mixedBackends(app, this.node.path, namespace, this.backend) });
    this.node.addValidation({ validate: () => this.rendering.validate?.() ?? [] });
    keepJsonPatchesUnder(this);
  }

  /** The PodMonitor or ServiceMonitor the backend rendered. */
  public get resource(): ApiObject | undefined {
    return this.rendering.resource;
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

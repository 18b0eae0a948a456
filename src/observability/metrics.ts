import * as kplus from 'cdk8s-plus-28';
import { propError } from '../errors';
import { PropRef, requireAppPort, requireHttpPath } from '../names';

/**
 * Port of istio-agent's merged metrics endpoint (`/stats/prometheus`): plain HTTP, served by the
 * sidecar itself and never redirected to Envoy's inbound listener, so it is reachable by a
 * Prometheus outside the mesh even when the namespace enforces STRICT mTLS.
 * @see https://istio.io/latest/docs/ops/integrations/prometheus/#option-1-metrics-merging
 */
export const ISTIO_MERGED_METRICS_PORT = 15020;

/** Path of istio-agent's merged metrics endpoint (application + Envoy + agent metrics). */
export const ISTIO_MERGED_METRICS_PATH = '/stats/prometheus';

/** Options of `MetricsEndpoint.http()`. */
export interface MetricsEndpointOptions {
  /**
   * HTTP path the application serves Prometheus metrics on.
   * @default '/metrics'
   */
  readonly path?: string;
  /**
   * Port the application serves metrics on (it need not be a declared container port).
   * @default - the MeshService's port
   */
  readonly port?: number;
}

/** Where a MeshService's application serves its Prometheus metrics, once resolved. */
export interface ServiceMetrics {
  /** HTTP path, e.g. `/metrics`. */
  readonly path: string;
  /** Port the application listens on for metrics. */
  readonly port: number;
}

/**
 * Where a MeshService's application serves Prometheus metrics.
 *
 * @example MetricsEndpoint.http()                       // GET /metrics on the service port (the default)
 * @example MetricsEndpoint.http({ path: '/q/metrics', port: 9090 })
 * @example MetricsEndpoint.none()                       // the application exports no metrics
 */
export class MetricsEndpoint {
  /** Metrics served over plain HTTP by the application container. */
  public static http(options: MetricsEndpointOptions = {}): MetricsEndpoint {
    return new MetricsEndpoint(true, options.path ?? '/metrics', options.port);
  }

  /** The application exports no metrics: no scrape annotations, and monitors/SLOs refuse the service. */
  public static none(): MetricsEndpoint {
    return new MetricsEndpoint(false, '', undefined);
  }

  private constructor(
    private readonly enabled: boolean,
    private readonly path: string,
    private readonly port: number | undefined,
  ) {}

  /** @internal */
  public _resolve(ref: PropRef, servicePort: number): ServiceMetrics | undefined {
    if (!this.enabled) return undefined;
    return {
      path: requireHttpPath({ ...ref, prop: `${ref.prop}.path` }, this.path),
      port: requireAppPort({ ...ref, prop: `${ref.prop}.port` }, this.port ?? servicePort),
    };
  }
}

/**
 * Adds Istio's metrics-merging annotations to a Deployment's pod template. The sidecar injector
 * moves them into istio-agent's environment and points them at :15020/stats/prometheus, where the
 * agent serves the application's metrics merged with Envoy's — over plain HTTP, outside mTLS.
 * @see https://istio.io/latest/docs/ops/integrations/prometheus/#option-1-metrics-merging
 * @internal
 */
export function addMetricsMergeAnnotations(deployment: kplus.Deployment, metrics: ServiceMetrics): void {
  deployment.podMetadata.addAnnotation('prometheus.io/scrape', 'true');
  deployment.podMetadata.addAnnotation('prometheus.io/port', String(metrics.port));
  deployment.podMetadata.addAnnotation('prometheus.io/path', metrics.path);
}

/** Throws unless the service declares a metrics endpoint. @internal */
export function requireServiceMetrics(ref: PropRef, service: { serviceName: string; metrics?: ServiceMetrics }): ServiceMetrics {
  if (!service.metrics) {
    throw propError(ref.construct, ref.path, ref.prop, service.serviceName, 'declares no metrics endpoint (metrics: MetricsEndpoint.none())',
      'give the MeshService `metrics: MetricsEndpoint.http()` (the default) or drop this construct');
  }
  return service.metrics;
}

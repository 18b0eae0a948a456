import { propError } from '../errors';
import { PropRef, requireAppPort, requireHttpPath } from '../names';

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
 * Where a MeshService's application serves Prometheus metrics. Under Istio sidecar mode the pods
 * get the metrics-merging annotations (`prometheus.io/scrape|port|path`).
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

/** Throws unless the service declares a metrics endpoint. @internal */
export function requireServiceMetrics(ref: PropRef, service: { serviceName: string; metrics?: ServiceMetrics }): ServiceMetrics {
  if (service === null || typeof service !== 'object' || typeof service.serviceName !== 'string') {
    throw propError(ref.construct, ref.path, ref.prop, service, 'is not a MeshService', 'pass the MeshService to watch');
  }
  if (!service.metrics) {
    throw propError(ref.construct, ref.path, ref.prop, service.serviceName, 'declares no metrics endpoint (metrics: MetricsEndpoint.none())',
      'give the MeshService `metrics: MetricsEndpoint.http()` (the default) or drop this construct');
  }
  return service.metrics;
}

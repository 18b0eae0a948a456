// Istio's metrics merging: istio-agent re-exposes the application's metrics, merged with Envoy's,
// on the sidecar's plain-HTTP :15020/stats/prometheus — reachable under STRICT mTLS.
import type { MetricsModel } from '../../models/service';

/**
 * Port of istio-agent's merged metrics endpoint (`/stats/prometheus`): plain HTTP, served by the
 * sidecar itself and never redirected to Envoy's inbound listener, so it is reachable by a
 * Prometheus outside the mesh even when the namespace enforces STRICT mTLS.
 * @see https://istio.io/latest/docs/ops/integrations/prometheus/#option-1-metrics-merging
 */
export const ISTIO_MERGED_METRICS_PORT = 15020;

/** Path of istio-agent's merged metrics endpoint (application + Envoy + agent metrics). */
export const ISTIO_MERGED_METRICS_PATH = '/stats/prometheus';

/**
 * Istio's metrics-merging pod annotations. The sidecar injector moves them into istio-agent's
 * environment and points them at :15020/stats/prometheus.
 * @see https://istio.io/latest/docs/ops/integrations/prometheus/#option-1-metrics-merging
 * @internal
 */
export function metricsMergeAnnotations(metrics: MetricsModel): { [key: string]: string } {
  return {
    'prometheus.io/scrape': 'true',
    'prometheus.io/port': String(metrics.port),
    'prometheus.io/path': metrics.path,
  };
}

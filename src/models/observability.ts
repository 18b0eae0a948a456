// Monitoring intent as plain data: which service is scraped how, and its SLOs.
import type { ServiceRef } from './service';

/** How Prometheus should reach a service's metrics, as the user chose it. @internal */
export type ScrapeModel = 'istio-merged' | 'application';

/** A MeshMonitor as plain data. @internal */
export interface MonitorModel {
  readonly kind: 'MeshMonitor';
  readonly path: string;
  readonly name: string;
  readonly namespace?: string;
  readonly service: ServiceRef;
  readonly monitorKind: 'PodMonitor' | 'ServiceMonitor';
  readonly scrape: ScrapeModel;
  /** Scrape interval as Prometheus writes it (`30s`), if set. */
  readonly interval?: string;
  readonly labels: { readonly [key: string]: string };
}

/** The endpoint a monitor scrapes on each pod. @internal */
export interface ScrapeEndpointModel {
  readonly port: number;
  readonly path: string;
}

/** A MeshTelemetry as plain data (access logging and tracing, in Istio Telemetry's terms). @internal */
export interface TelemetryModel {
  readonly kind: 'MeshTelemetry';
  readonly path: string;
  readonly name: string;
  readonly namespace?: string;
  /** The selected workload's `app`; undefined for a namespace-wide Telemetry. */
  readonly serviceName?: string;
  readonly accessLogging?: { readonly disabled?: true; readonly providers?: readonly string[] };
  readonly tracing?: { readonly disableSpanReporting?: true; readonly providers?: readonly string[]; readonly randomSamplingPercentage?: number };
}

/** One Prometheus rule (recording or alerting), PromQL already written. @internal */
export interface PrometheusRuleModel {
  readonly record?: string;
  readonly alert?: string;
  readonly expr: string;
  readonly labels?: { readonly [key: string]: string };
  readonly annotations?: { readonly [key: string]: string };
}

/** A ServiceLevelObjectives as plain data: its rule groups. @internal */
export interface SloModel {
  readonly kind: 'ServiceLevelObjectives';
  readonly path: string;
  readonly name: string;
  readonly namespace?: string;
  readonly service: ServiceRef;
  readonly labels: { readonly [key: string]: string };
  readonly groups: ReadonlyArray<{ readonly name: string; readonly rules: readonly PrometheusRuleModel[] }>;
}

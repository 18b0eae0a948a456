import { ApiObject, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { guardDuplicateObjects } from '../analysis/duplicate-objects';
import { mixedBackends } from '../analysis/mesh-services';
import { propError } from '../errors';
import { appModelOf } from '../mesh/app-model';
import type { IMeshBackend, IRendering } from '../mesh/backend';
import { Mesh } from '../mesh/mesh';
import type { IMeshService } from '../mesh-service';
import type { TelemetryModel } from '../models/observability';
import { PropRef, requireDns1123Label } from '../names';
import { keepJsonPatchesUnder } from '../api-object-patches';

/** Options of `AccessLogging.enabled()`. */
export interface AccessLoggingOptions {
  /**
   * Names of extension providers declared in the mesh config (`meshConfig.extensionProviders`).
   * @default ['envoy'] — Istio's built-in stdout access log provider
   */
  readonly providers?: string[];
}

/**
 * Envoy access logging for the selected workloads.
 * @see https://istio.io/latest/docs/tasks/observability/logs/access-log/
 */
export class AccessLogging {
  /** Writes access logs through `providers` (Istio's built-in `envoy` provider by default). */
  public static enabled(options: AccessLoggingOptions = {}): AccessLogging {
    return new AccessLogging(false, options.providers ?? ['envoy']);
  }

  /** Turns access logging off (e.g. per workload, under a namespace-wide Telemetry that enables it). */
  public static disabled(): AccessLogging {
    return new AccessLogging(true, []);
  }

  private constructor(private readonly disabled: boolean, private readonly providers: string[]) {}

  /** @internal */
  public _toModel(ref: PropRef): NonNullable<TelemetryModel['accessLogging']> {
    if (this.disabled) return { disabled: true };
    return { providers: requireProviders({ ...ref, prop: `${ref.prop}.providers` }, this.providers) };
  }
}

/** Options of `Tracing.randomSampling()`. */
export interface TracingOptions {
  /**
   * Tracing extension providers from the mesh config (e.g. `otel`, `zipkin`).
   * @default - the mesh's default tracing provider
   */
  readonly providers?: string[];
}

/**
 * Distributed-tracing sampling for the selected workloads.
 * @see https://istio.io/latest/docs/tasks/observability/distributed-tracing/telemetry-api/
 */
export class Tracing {
  /** Samples `percentage` (0–100, fractions allowed) of the requests that start a trace. */
  public static randomSampling(percentage: number, options: TracingOptions = {}): Tracing {
    return new Tracing(percentage, options.providers, false);
  }

  /** Stops reporting spans (context propagation continues). */
  public static disabled(): Tracing {
    return new Tracing(undefined, undefined, true);
  }

  private constructor(
    private readonly percentage: number | undefined,
    private readonly providers: string[] | undefined,
    private readonly disableSpanReporting: boolean,
  ) {}

  /** @internal */
  public _toModel(ref: PropRef): NonNullable<TelemetryModel['tracing']> {
    if (this.disableSpanReporting) return { disableSpanReporting: true };
    const p = this.percentage;
    if (typeof p !== 'number' || !Number.isFinite(p) || p < 0 || p > 100) {
      throw propError(ref.construct, ref.path, `${ref.prop}.randomSamplingPercentage`, p, 'is not a percentage between 0 and 100',
        'use e.g. Tracing.randomSampling(1) for 1% of requests (0 samples none, 100 all)');
    }
    return {
      providers: this.providers === undefined ? undefined
        : requireProviders({ ...ref, prop: `${ref.prop}.providers` }, this.providers),
      randomSamplingPercentage: p,
    };
  }
}

/** Props of a MeshTelemetry. */
export interface MeshTelemetryProps {
  /**
   * The workload to configure (selector `app: <service>`).
   * @default - every workload in the namespace (at most one such Telemetry per namespace: IST0160)
   */
  readonly service?: IMeshService;
  /**
   * Access logging.
   * @default - not configured here (the mesh or namespace default applies)
   */
  readonly accessLogging?: AccessLogging;
  /**
   * Tracing.
   * @default - not configured here (the mesh or namespace default applies)
   */
  readonly tracing?: Tracing;
  /**
   * Name of the Telemetry object.
   * @default - the service name, or `default` without a service
   */
  readonly name?: string;
}

const KIND = 'MeshTelemetry';

/**
 * Access logging and tracing for a namespace (no `service`) or one
 * MeshService's workloads: access logging and tracing sampling. Synth fails like
 * `istioctl analyze` when two namespace-wide Telemetries share a namespace (IST0160) or two
 * select the same workload (IST0159).
 * @see https://istio.io/latest/docs/reference/config/telemetry/
 *
 * @example
 * new MeshTelemetry(chart, 'telemetry', { accessLogging: AccessLogging.enabled(), tracing: Tracing.randomSampling(1) });
 */
export class MeshTelemetry extends Construct {
  /** Name of the Telemetry. */
  public readonly name: string;
  /** Namespace of the Telemetry (the chart's). */
  public readonly namespace?: string;
  /** The selected workload's `app` label; undefined for a namespace-wide Telemetry. */
  public readonly selectedApp?: string;
  /** The data plane this renders for (Istio: a `telemetry.istio.io/v1` Telemetry). */
  public readonly backend: IMeshBackend;

  private readonly rendering: IRendering;

  public constructor(scope: Construct, id: string, props: MeshTelemetryProps = {}) {
    super(scope, id);
    guardDuplicateObjects(this);
    const ref = (prop: string): PropRef => ({ construct: KIND, path: this.node.path, prop });
    this.selectedApp = props.service?.serviceName;
    this.namespace = Chart.of(this).namespace;
    this.name = requireDns1123Label(ref('name'), props.name ?? this.selectedApp ?? 'default');
    if (!props.accessLogging && !props.tracing) {
      throw propError(KIND, this.node.path, 'accessLogging', undefined, 'leaves the Telemetry empty (tracing is unset too)',
        'set accessLogging: AccessLogging.enabled() and/or tracing: Tracing.randomSampling(1)');
    }
    const model: TelemetryModel = {
      kind: KIND,
      path: this.node.path,
      name: this.name,
      namespace: this.namespace,
      serviceName: this.selectedApp,
      accessLogging: props.accessLogging ? props.accessLogging._toModel(ref('accessLogging')) : undefined,
      tracing: props.tracing ? props.tracing._toModel(ref('tracing')) : undefined,
    };
    this.backend = Mesh._forConstruct(this, KIND, this.namespace);
    const app = appModelOf(this);
    app.add(KIND, model);
    this.rendering = this.backend.renderTelemetry(this, model, app);
    this.node.addValidation({ validate: () => mixedBackends(app, this.node.path, this.namespace, this.backend) });
    this.node.addValidation({ validate: () => this.rendering.validate?.() ?? [] });
    keepJsonPatchesUnder(this);
  }

  /** The Telemetry object the backend rendered. */
  public get telemetry(): ApiObject | undefined {
    return this.rendering.resource;
  }
}

function requireProviders(ref: PropRef, providers: string[]): string[] {
  if (!Array.isArray(providers) || providers.length === 0 || providers.some((p) => typeof p !== 'string' || p.trim() === '')) {
    throw propError(ref.construct, ref.path, ref.prop, providers, 'does not name any provider',
      'name extension providers from meshConfig.extensionProviders, e.g. [\'envoy\']');
  }
  return providers;
}

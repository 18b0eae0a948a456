import { Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { propError } from './errors';
import { PropRef, requireAppPort, requireHttpPath, requirePositiveInteger } from './names';

/**
 * Timings and port of an HTTP health probe.
 * @see https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/
 */
export interface HealthProbeOptions {
  /**
   * Container port the probe calls.
   * @default - the MeshService's HTTP port
   */
  readonly port?: number;
  /**
   * Wait before the first probe.
   * @default - no delay (Kubernetes default, 0s)
   */
  readonly initialDelay?: Duration;
  /**
   * How often the probe runs.
   * @default - 10s (Kubernetes default)
   */
  readonly period?: Duration;
  /**
   * How long one probe may take.
   * @default - 1s (Kubernetes default)
   */
  readonly timeout?: Duration;
  /**
   * Consecutive failures before the probe fails.
   * @default 3
   */
  readonly failureThreshold?: number;
}

/**
 * A liveness, readiness or startup probe of a MeshService's pods, or none.
 *
 * HTTP and TCP probes keep working under STRICT mTLS: the Istio sidecar injector rewrites them to
 * go through the sidecar's status port (istio.io "Health Checking of Istio Services").
 */
export class HealthProbe {
  /** An HTTP GET probe on `path` (e.g. `/health`): the default for HTTP services. */
  public static httpGet(path: string, options: HealthProbeOptions = {}): HealthProbe {
    return new HealthProbe('http', path, options);
  }

  /**
   * A TCP connect probe on the port: the default for gRPC services (cdk8s-plus-28 cannot render
   * Kubernetes' native `grpc` probe; add it with `ApiObject.of(deployment).addJsonPatch()`).
   */
  public static tcp(options: HealthProbeOptions = {}): HealthProbe {
    return new HealthProbe('tcp', undefined, options);
  }

  /** No probe: removes a default one. */
  public static none(): HealthProbe {
    return new HealthProbe('none', undefined, {});
  }

  private constructor(
    private readonly kind: 'http' | 'tcp' | 'none',
    /** The HTTP path of an `httpGet` probe. */
    public readonly path: string | undefined,
    /** Port and timings. */
    public readonly options: HealthProbeOptions,
  ) {}

  /**
   * Checks the probe and renders it for `defaultPort`; undefined for `none()`.
   * @internal
   */
  /** The path and port of an HTTP GET probe (call after `_toProbe` validated it); undefined otherwise. @internal */
  public _httpGet(defaultPort: number): { path: string; port: number } | undefined {
    return this.kind === 'http' ? { path: this.path!, port: this.options.port ?? defaultPort } : undefined;
  }

  public _toProbe(ref: PropRef, defaultPort: number): kplus.Probe | undefined {
    if (this.kind === 'none') return undefined;
    const sub = (prop: string): PropRef => ({ ...ref, prop: `${ref.prop}.${prop}` });
    const o = this.options;
    const port = o.port === undefined ? defaultPort : requireAppPort(sub('port'), o.port);
    if (o.failureThreshold !== undefined) requirePositiveInteger(sub('failureThreshold'), o.failureThreshold);
    const timings = {
      // Probe timings are whole seconds in the Pod API; period and timeout are at least 1.
      initialDelaySeconds: wholeSeconds(sub('initialDelay'), o.initialDelay, 0),
      periodSeconds: wholeSeconds(sub('period'), o.period, 1),
      timeoutSeconds: wholeSeconds(sub('timeout'), o.timeout, 1),
      failureThreshold: o.failureThreshold,
    };
    if (this.kind === 'tcp') return kplus.Probe.fromTcpSocket({ port, ...timings });
    requireHttpPath(sub('path'), this.path!);
    return kplus.Probe.fromHttpGet(this.path!, { port, ...timings });
  }
}

function wholeSeconds(ref: PropRef, d: Duration | undefined, min: number): Duration | undefined {
  if (d === undefined) return undefined;
  const ms = d.toMilliseconds({ integral: false });
  if (ms % 1000 !== 0 || ms / 1000 < min) {
    throw propError(ref.construct, ref.path, ref.prop, d.toHumanString(), `is not a whole number of seconds ≥ ${min} (the Pod API counts probe timings in seconds)`,
      `use e.g. Duration.seconds(${Math.max(min, Math.ceil(ms / 1000))})`);
  }
  return d;
}

import { Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { PropRef, requireHttpPath, requirePort, requirePositiveInteger } from './names';

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
 * HTTP probes keep working under STRICT mTLS: the Istio sidecar injector rewrites them to go
 * through the sidecar's status port (istio.io "Health Checking of Istio Services").
 */
export class HealthProbe {
  /** An HTTP GET probe on `path` (e.g. `/health`). */
  public static httpGet(path: string, options: HealthProbeOptions = {}): HealthProbe {
    return new HealthProbe(path, options);
  }

  /** No probe: removes a default one. */
  public static none(): HealthProbe {
    return new HealthProbe(undefined, {});
  }

  private constructor(
    /** The HTTP path, or undefined for no probe. */
    public readonly path: string | undefined,
    /** Port and timings. */
    public readonly options: HealthProbeOptions,
  ) {}

  /**
   * Checks the probe and renders it for `defaultPort`; undefined for `none()`.
   * @internal
   */
  public _toProbe(ref: PropRef, defaultPort: number): kplus.Probe | undefined {
    if (this.path === undefined) return undefined;
    requireHttpPath({ ...ref, prop: `${ref.prop}.path` }, this.path);
    const o = this.options;
    const port = o.port === undefined ? defaultPort : requirePort({ ...ref, prop: `${ref.prop}.port` }, o.port);
    if (o.failureThreshold !== undefined) requirePositiveInteger({ ...ref, prop: `${ref.prop}.failureThreshold` }, o.failureThreshold);
    return kplus.Probe.fromHttpGet(this.path, {
      port,
      initialDelaySeconds: o.initialDelay,
      periodSeconds: o.period,
      timeoutSeconds: o.timeout,
      failureThreshold: o.failureThreshold,
    });
  }
}

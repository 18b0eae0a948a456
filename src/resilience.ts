// Resilience props of a MeshService and of its versions: connection pool limits, outlier detection
// (circuit breaking) and load balancing, validated and turned into the plain model backends render.
import { Duration } from 'cdk8s';
import { propError } from './errors';
import type { ConnectionPoolModel, LoadBalancerModel, OutlierDetectionModel, ResilienceModel } from './models/resilience';
import { PropRef, requireNonNegativeInteger, requirePositiveInteger } from './names';

/**
 * Limits on the connections and requests callers send to each pod of the service; beyond them a
 * caller fails the request at once (503, `UO` in Envoy's access log) instead of queueing it.
 * @see https://istio.io/latest/docs/reference/config/networking/destination-rule/#ConnectionPoolSettings
 */
export interface ConnectionPoolOptions {
  /**
   * Most HTTP/1.1 or TCP connections a caller keeps to a pod (Istio `tcp.maxConnections`).
   * @default - the data plane's default (Istio: 2³²−1)
   */
  readonly maxConnections?: number;
  /**
   * Most requests waiting for a connection (Istio `http.http1MaxPendingRequests`).
   * @default - the data plane's default (Istio: 2³²−1)
   */
  readonly maxPendingRequests?: number;
  /**
   * Requests sent over one connection before it is closed; 1 disables keep-alive (Istio
   * `http.maxRequestsPerConnection`).
   * @default - unlimited
   */
  readonly maxRequestsPerConnection?: number;
}

/**
 * Outlier detection (circuit breaking per pod): a pod answering with consecutive errors is ejected
 * from callers' load balancing for a while. Envoy always ejects at least one pod, whatever
 * `maxEjectionPercent` says: a version with one pod can lose all of it (synth refuses that).
 * @see https://istio.io/latest/docs/reference/config/networking/destination-rule/#OutlierDetection
 */
export interface OutlierDetectionOptions {
  /**
   * Consecutive 5xx responses (or connection errors) that eject a pod; 0 turns this count off.
   * @default 5
   */
  readonly consecutive5xxErrors?: number;
  /**
   * Consecutive gateway errors (502, 503, 504 and connection errors) that eject a pod.
   * @default - not counted separately
   */
  readonly consecutiveGatewayErrors?: number;
  /**
   * Time between ejection sweeps.
   * @default Duration.seconds(10)
   */
  readonly interval?: Duration;
  /**
   * How long a pod stays ejected the first time (each further ejection multiplies it).
   * @default Duration.seconds(30)
   */
  readonly baseEjectionTime?: Duration;
  /**
   * Most pods of the version that may be ejected at once, in percent (0–100).
   * @default 10
   */
  readonly maxEjectionPercent?: number;
}

/** How callers pick the pod of a request. */
export class LoadBalancer {
  /** Each pod in turn. */
  public static roundRobin(): LoadBalancer {
    return new LoadBalancer({ kind: 'ROUND_ROBIN' });
  }

  /** The less busy of two random pods (Istio's default, LEAST_REQUEST). */
  public static leastRequest(): LoadBalancer {
    return new LoadBalancer({ kind: 'LEAST_REQUEST' });
  }

  /** A random pod. */
  public static random(): LoadBalancer {
    return new LoadBalancer({ kind: 'RANDOM' });
  }

  /**
   * Sticky sessions keyed by a request header: requests with the same value go to the same pod
   * (of one version — a weighted split picks the version first, so synth refuses both together).
   * @param name the header, e.g. `x-user-id` (lower-case)
   */
  public static consistentHashByHeader(name: string): LoadBalancer {
    return new LoadBalancer({ kind: 'CONSISTENT_HASH', header: name });
  }

  /**
   * Sticky sessions keyed by a cookie; with `ttl`, the caller's proxy sets the cookie when it is
   * missing.
   * @param name cookie name
   * @param ttl lifetime of a generated cookie @default - no cookie is generated
   */
  public static consistentHashByCookie(name: string, ttl?: Duration): LoadBalancer {
    return new LoadBalancer({ kind: 'CONSISTENT_HASH', cookie: { name, ttl } });
  }

  /** Sticky sessions keyed by the caller's IP address. */
  public static consistentHashBySourceIp(): LoadBalancer {
    return new LoadBalancer({ kind: 'CONSISTENT_HASH', sourceIp: true });
  }

  private constructor(private readonly spec: { kind: string; header?: string; cookie?: { name: string; ttl?: Duration }; sourceIp?: boolean }) {}

  /** @internal */
  public _toModel(ref: PropRef): LoadBalancerModel {
    const s = this.spec;
    if (s.kind !== 'CONSISTENT_HASH') return { kind: s.kind as 'ROUND_ROBIN', prop: ref.prop };
    if (s.header !== undefined && (typeof s.header !== 'string' || !/^[a-z0-9!#$%&'*+.^_`|~-]+$/.test(s.header))) {
      throw propError(ref.construct, ref.path, ref.prop, s.header, 'is not a lower-case HTTP header name',
        'use LoadBalancer.consistentHashByHeader(\'x-user-id\') (letters, digits and -, lower-case)');
    }
    if (s.cookie && (typeof s.cookie.name !== 'string' || !/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/.test(s.cookie.name))) {
      throw propError(ref.construct, ref.path, ref.prop, s.cookie.name, 'is not a cookie name (an HTTP token)',
        'use LoadBalancer.consistentHashByCookie(\'session\')');
    }
    const ttlMs = s.cookie?.ttl !== undefined ? millis({ ...ref, prop: `${ref.prop}.ttl` }, s.cookie.ttl) : undefined;
    return {
      kind: 'CONSISTENT_HASH',
      header: s.header,
      cookie: s.cookie && { name: s.cookie.name, ttlMs },
      sourceIp: s.sourceIp,
      prop: ref.prop,
    };
  }
}

/**
 * Resilience of a MeshService toward its callers: connection pool limits, outlier detection and
 * load balancing (Istio: the DestinationRule's `trafficPolicy`; Linkerd: failure accrual).
 * @see https://istio.io/latest/docs/concepts/traffic-management/#circuit-breakers
 */
export interface ServiceResilience {
  /**
   * Connection and request limits toward each pod (refused under Linkerd).
   * @default - the data plane's defaults (no limits)
   * @see https://istio.io/latest/docs/reference/config/networking/destination-rule/#ConnectionPoolSettings
   */
  readonly connectionPool?: ConnectionPoolOptions;
  /**
   * Outlier detection (circuit breaking). On a version, `false` turns the service's off. Linkerd:
   * failure accrual (consecutive 5xx and base ejection time only).
   * @default - none: no pod is ever ejected
   * @see https://istio.io/latest/docs/reference/config/networking/destination-rule/#OutlierDetection
   * @see https://linkerd.io/2-edge/reference/circuit-breaking/
   */
  readonly outlierDetection?: OutlierDetectionOptions | false;
  /**
   * How callers pick a pod (refused under Linkerd, which always balances by EWMA latency).
   * @default - the data plane's default (Istio: LEAST_REQUEST)
   * @see https://istio.io/latest/docs/reference/config/networking/destination-rule/#LoadBalancerSettings
   */
  readonly loadBalancer?: LoadBalancer;
}

/**
 * Validates resilience props into the model; `ref.prop` is `resilience` or `versions[i].resilience`.
 * `tcp`: the primary port is opaque TCP, which has no requests, headers or cookies.
 * @internal
 */
export function resolveResilience(ref: PropRef, props: ServiceResilience | undefined, tcp = false): ResilienceModel | undefined {
  if (props === undefined) return undefined;
  const model = resolveGroups(ref, props);
  const pool = model.connectionPool;
  const http = pool && (pool.maxPendingRequests !== undefined ? 'maxPendingRequests' : pool.maxRequestsPerConnection !== undefined ? 'maxRequestsPerConnection' : undefined);
  if (tcp && http) {
    throw propError(ref.construct, ref.path, `${pool!.prop}.${http}`, pool![http], 'is an HTTP request limit, but the service\'s port is MeshProtocol.TCP (opaque bytes: no requests to count)',
      'limit connections with maxConnections, or declare the port as HTTP');
  }
  const lb = model.loadBalancer;
  if (tcp && lb?.kind === 'CONSISTENT_HASH' && !lb.sourceIp) {
    throw propError(ref.construct, ref.path, lb.prop, lb.header ?? lb.cookie?.name, 'hashes on an HTTP header or cookie, but the service\'s port is MeshProtocol.TCP (no headers to read)',
      'use LoadBalancer.consistentHashBySourceIp(), or declare the port as HTTP');
  }
  return model;
}

function resolveGroups(ref: PropRef, props: ServiceResilience): ResilienceModel {
  const at = (prop: string): PropRef => ({ ...ref, prop: `${ref.prop}.${prop}` });
  if (typeof props !== 'object' || props === null) {
    throw propError(ref.construct, ref.path, ref.prop, props, 'is not an object', 'use e.g. { outlierDetection: { consecutive5xxErrors: 5 } }');
  }
  if (props.loadBalancer !== undefined && !(props.loadBalancer instanceof LoadBalancer)) {
    throw propError(ref.construct, ref.path, at('loadBalancer').prop, props.loadBalancer, 'is not a LoadBalancer', 'use LoadBalancer.roundRobin(), leastRequest(), random() or consistentHashBy…()');
  }
  return {
    connectionPool: props.connectionPool && resolvePool(at('connectionPool'), props.connectionPool),
    outlierDetection: props.outlierDetection === false ? false : props.outlierDetection && resolveOutlier(at('outlierDetection'), props.outlierDetection),
    loadBalancer: props.loadBalancer?._toModel(at('loadBalancer')),
  };
}

function resolvePool(ref: PropRef, p: ConnectionPoolOptions): ConnectionPoolModel {
  const limit = (name: keyof ConnectionPoolOptions) => {
    const v = p[name];
    return v === undefined ? undefined : requireLimit({ ...ref, prop: `${ref.prop}.${name}` }, v);
  };
  return { maxConnections: limit('maxConnections'), maxPendingRequests: limit('maxPendingRequests'), maxRequestsPerConnection: limit('maxRequestsPerConnection'), prop: ref.prop };
}

function resolveOutlier(ref: PropRef, o: OutlierDetectionOptions): OutlierDetectionModel {
  const at = (name: keyof OutlierDetectionOptions): PropRef => ({ ...ref, prop: `${ref.prop}.${name}` });
  const count = (name: 'consecutive5xxErrors' | 'consecutiveGatewayErrors') => (o[name] === undefined ? undefined : requireNonNegativeInteger(at(name), o[name]!));
  const pct = o.maxEjectionPercent;
  if (pct !== undefined && (!Number.isInteger(pct) || pct < 0 || pct > 100)) {
    throw propError(ref.construct, ref.path, at('maxEjectionPercent').prop, pct, 'is not a whole percentage between 0 and 100',
      'use an integer from 0 to 100 (e.g. 50: at most half of a version\'s pods ejected at once)');
  }
  return {
    consecutive5xxErrors: count('consecutive5xxErrors'),
    consecutiveGatewayErrors: count('consecutiveGatewayErrors'),
    intervalMs: o.interval === undefined ? undefined : millis(at('interval'), o.interval),
    baseEjectionTimeMs: o.baseEjectionTime === undefined ? undefined : millis(at('baseEjectionTime'), o.baseEjectionTime),
    maxEjectionPercent: pct,
    prop: ref.prop,
  };
}

function requireLimit(ref: PropRef, value: number): number {
  if (typeof value === 'number' && Number.isInteger(value) && value < 1) {
    throw propError(ref.construct, ref.path, ref.prop, value, 'is not a limit ≥ 1 (0 or less would refuse every request)',
      'use a positive whole number (e.g. 100), or leave it unset for no limit');
  }
  return requirePositiveInteger(ref, value);
}

function millis(ref: PropRef, d: Duration): number {
  const ms = d instanceof Duration ? d.toMilliseconds({ integral: false }) : NaN;
  if (!Number.isInteger(ms) || ms < 1) {
    throw propError(ref.construct, ref.path, ref.prop, d instanceof Duration ? d.toHumanString() : d,
      'is not a whole number of milliseconds ≥ 1ms', 'use e.g. Duration.seconds(30) or Duration.millis(500)');
  }
  return ms;
}

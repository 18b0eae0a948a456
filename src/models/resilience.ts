// Resilience of a MeshService (and of one version) as plain data: connection pool limits, outlier
// detection (circuit breaking) and load balancing. Backends render it (Istio: DestinationRule
// `trafficPolicy`; Linkerd: failure-accrual annotations) or refuse it; analysis reads it.

/** Connection pool limits toward each pod. Every field optional (unset = the data plane's default). @internal */
export interface ConnectionPoolModel {
  readonly maxConnections?: number;
  readonly maxPendingRequests?: number;
  readonly maxRequestsPerConnection?: number;
  /** Where it was declared, for messages: `resilience.connectionPool`. */
  readonly prop: string;
}

/** Outlier detection: eject a pod after consecutive errors. @internal */
export interface OutlierDetectionModel {
  readonly consecutive5xxErrors?: number;
  readonly consecutiveGatewayErrors?: number;
  readonly intervalMs?: number;
  readonly baseEjectionTimeMs?: number;
  readonly maxEjectionPercent?: number;
  readonly prop: string;
}

/** How callers pick a pod. @internal */
export type LoadBalancerModel =
  | { readonly kind: 'ROUND_ROBIN' | 'LEAST_REQUEST' | 'RANDOM'; readonly prop: string }
  | {
    readonly kind: 'CONSISTENT_HASH';
    readonly header?: string;
    readonly cookie?: { readonly name: string; readonly path?: string; readonly ttlMs?: number };
    readonly sourceIp?: boolean;
    readonly prop: string;
  };

/**
 * The resilience a MeshService or a version declares. A version's groups replace the service's
 * group by group (`false` for outlier detection turns it off for that version).
 * @internal
 */
export interface ResilienceModel {
  readonly connectionPool?: ConnectionPoolModel;
  readonly outlierDetection?: OutlierDetectionModel | false;
  readonly loadBalancer?: LoadBalancerModel;
}

/** The effective resilience of one version: its own groups, else the service's. @internal */
export interface EffectiveResilience {
  readonly connectionPool?: ConnectionPoolModel;
  readonly outlierDetection?: OutlierDetectionModel;
  readonly loadBalancer?: LoadBalancerModel;
}

/** A version's effective resilience: each group its own if declared, else the service's. @internal */
export function effectiveResilience(service: ResilienceModel | undefined, version: ResilienceModel | undefined): EffectiveResilience {
  const outlier = version?.outlierDetection !== undefined ? version.outlierDetection : service?.outlierDetection;
  return {
    connectionPool: version?.connectionPool ?? service?.connectionPool,
    outlierDetection: outlier === false ? undefined : outlier,
    loadBalancer: version?.loadBalancer ?? service?.loadBalancer,
  };
}

/** True if the model declares anything. @internal */
export function hasResilience(model: ResilienceModel | undefined): boolean {
  return model !== undefined && (model.connectionPool !== undefined || model.outlierDetection !== undefined || model.loadBalancer !== undefined);
}

/** The service-level resilience with `false` folded away. @internal */
export function serviceResilience(model: ResilienceModel | undefined): EffectiveResilience {
  return effectiveResilience(model, undefined);
}

/** The first group a resilience declares, as the user wrote it (for messages), or undefined. @internal */
export function firstDeclaredGroup(model: ResilienceModel | undefined): { readonly group: string; readonly value: unknown } | undefined {
  if (!model) return undefined;
  for (const group of ['connectionPool', 'outlierDetection', 'loadBalancer'] as const) {
    const v = model[group];
    if (v === undefined) continue;
    if (v === false) return { group, value: false };
    const { prop: _prop, ...rest } = v as { prop: string };
    return { group, value: rest };
  }
  return undefined;
}

// Resilience → the connectionPool / outlierDetection / loadBalancer of an Istio DestinationRule
// `trafficPolicy` (top level, subset level, or the DestinationRule of a per-version Service host).
import { Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { DestinationRule, DestinationRuleSpecTrafficPolicy } from '../../../imports/networking.istio.io';
import type { EffectiveResilience, LoadBalancerModel } from '../../models/resilience';

/** An Istio protobuf duration: whole seconds as `30s`, anything else in `ms`. @internal */
export function istioDuration(ms: number | undefined): string | undefined {
  if (ms === undefined) return undefined;
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}

/**
 * The resilience fields of a `trafficPolicy` (undefined fields are left out by the typed import's
 * toJson, so only what was declared is rendered).
 * @internal
 */
export function resiliencePolicy(r: EffectiveResilience): Pick<DestinationRuleSpecTrafficPolicy, 'connectionPool' | 'outlierDetection' | 'loadBalancer'> {
  const pool = r.connectionPool;
  const od = r.outlierDetection;
  return {
    connectionPool: pool && {
      tcp: pool.maxConnections !== undefined ? { maxConnections: pool.maxConnections } : undefined,
      http: pool.maxPendingRequests !== undefined || pool.maxRequestsPerConnection !== undefined
        ? { http1MaxPendingRequests: pool.maxPendingRequests, maxRequestsPerConnection: pool.maxRequestsPerConnection }
        : undefined,
    },
    outlierDetection: od && {
      consecutive5XxErrors: od.consecutive5xxErrors,
      consecutiveGatewayErrors: od.consecutiveGatewayErrors,
      interval: istioDuration(od.intervalMs),
      baseEjectionTime: istioDuration(od.baseEjectionTimeMs),
      maxEjectionPercent: od.maxEjectionPercent,
    },
    loadBalancer: r.loadBalancer && loadBalancer(r.loadBalancer),
  } as Pick<DestinationRuleSpecTrafficPolicy, 'connectionPool' | 'outlierDetection' | 'loadBalancer'>;
}

function loadBalancer(lb: LoadBalancerModel): object {
  if (lb.kind !== 'CONSISTENT_HASH') return { simple: lb.kind };
  return {
    consistentHash: {
      httpHeaderName: lb.header,
      httpCookie: lb.cookie && { name: lb.cookie.name, path: lb.cookie.path, ttl: istioDuration(lb.cookie.ttlMs) },
      useSourceIp: lb.sourceIp,
    },
  };
}

/** True if a resilience declares nothing to render. @internal */
export function isEmptyResilience(r: EffectiveResilience): boolean {
  return r.connectionPool === undefined && r.outlierDetection === undefined && r.loadBalancer === undefined;
}

/**
 * A DestinationRule carrying only a resilience traffic policy for `host` (Istio ambient: the
 * waypoint applies it; ztunnel, L4 only, ignores it). Spec computed at synth.
 * @internal
 */
export function createResilienceDestinationRule(scope: Construct, id: string, host: string, labels: { [key: string]: string }, resilience: () => EffectiveResilience): DestinationRule {
  return new DestinationRule(scope, id, {
    metadata: { name: host, labels },
    spec: Lazy.any({ produce: () => ({ host, trafficPolicy: resiliencePolicy(resilience()) }) }),
  });
}

// Resilience under Linkerd: its failure accrual (consecutive-failure circuit breaking per endpoint)
// is the only equivalent, as annotations on the route's parent Service (the apex): the policy
// controller gives that config to the balancer of every backend of the Service's routes. Everything
// else is refused, naming Linkerd: there is no connection pool limit, no load balancer choice (P2C
// over EWMA latency always), no sweep interval or ejection cap, no gateway-error-only count, and no
// per-version circuit breaking.
import { propError } from '../../errors';
import { firstDeclaredGroup, hasResilience } from '../../models/resilience';
import type { ServiceModel, VersionModel } from '../../models/service';
import { linkerdDuration } from './annotations';

/** The annotation keys. @internal */
export const LINKERD_ACCRUAL = {
  mode: 'balancer.linkerd.io/failure-accrual',
  maxFailures: 'balancer.linkerd.io/failure-accrual-consecutive-max-failures',
  minPenalty: 'balancer.linkerd.io/failure-accrual-consecutive-min-penalty',
  maxPenalty: 'balancer.linkerd.io/failure-accrual-consecutive-max-penalty',
} as const;

/** Istio's defaults, so one declaration means the same on every backend. */
const DEFAULT_FAILURES = 5;
const DEFAULT_BASE_EJECTION_MS = 30_000;
const DEFAULT_MAX_EJECTION_MS = 300_000;

/**
 * The apex Service's failure-accrual annotations for `svc.resilience`; throws a propError naming
 * Linkerd for what it can't express.
 * @see https://linkerd.io/2-edge/reference/circuit-breaking/
 * @internal
 */
export function failureAccrualAnnotations(svc: ServiceModel): { [key: string]: string } {
  const r = svc.resilience;
  if (!r) return {};
  const refuse = (prop: string, value: unknown, problem: string, fix: string): never => {
    throw propError('MeshService', svc.path, prop, value, `Linkerd cannot express: ${problem}`, fix);
  };
  if (r.connectionPool) {
    refuse(r.connectionPool.prop, firstDeclaredGroup({ connectionPool: r.connectionPool })!.value,
      'it has no connection pool limits (its proxy balances on latency and load-sheds on its own)', 'drop `connectionPool` under Linkerd');
  }
  if (r.loadBalancer) {
    refuse(r.loadBalancer.prop, r.loadBalancer.kind, 'its proxy always balances with power-of-two-choices over EWMA latency, with no other algorithm and no consistent hash',
      'drop `loadBalancer` under Linkerd (pin users to a version with a TrafficSplit match rule instead of sticky sessions)');
  }
  const od = r.outlierDetection;
  if (!od) return {};
  if (svc.protocol === 'tcp') {
    refuse(od.prop, firstDeclaredGroup({ outlierDetection: od })!.value, 'its failure accrual judges HTTP responses, and the service\'s port is opaque TCP',
      'drop `outlierDetection` under Linkerd for a TCP service, or declare the port as HTTP');
  }
  if (od.consecutiveGatewayErrors !== undefined) {
    refuse(`${od.prop}.consecutiveGatewayErrors`, od.consecutiveGatewayErrors, 'its failure accrual counts every 5xx response and connection error alike, not gateway errors alone',
      'use consecutive5xxErrors under Linkerd');
  }
  if (od.intervalMs !== undefined) {
    refuse(`${od.prop}.interval`, `${od.intervalMs}ms`, 'its consecutive-failure accrual trips at once, with no sweep interval', 'drop `interval` under Linkerd');
  }
  if (od.maxEjectionPercent !== undefined) {
    refuse(`${od.prop}.maxEjectionPercent`, od.maxEjectionPercent,
      'it has no ejection cap: every failing endpoint is made unavailable (when all are, requests fail fast with 503, or another backend of the route takes them)', 'drop `maxEjectionPercent` under Linkerd');
  }
  if (od.consecutive5xxErrors === 0) {
    refuse(`${od.prop}.consecutive5xxErrors`, 0, 'failure accrual counts consecutive failures, and 0 would trip on none', 'drop `outlierDetection` to turn circuit breaking off');
  }
  const min = od.baseEjectionTimeMs ?? DEFAULT_BASE_EJECTION_MS;
  return {
    [LINKERD_ACCRUAL.mode]: 'consecutive',
    [LINKERD_ACCRUAL.maxFailures]: String(od.consecutive5xxErrors ?? DEFAULT_FAILURES),
    [LINKERD_ACCRUAL.minPenalty]: linkerdDuration(min),
    [LINKERD_ACCRUAL.maxPenalty]: linkerdDuration(Math.max(min, DEFAULT_MAX_EJECTION_MS)),
  };
}

/** Refuses a version's own resilience: Linkerd reads failure accrual from the parent Service only. @internal */
export function refuseVersionResilience(svc: ServiceModel, version: VersionModel): void {
  if (!hasResilience(version.resilience)) return;
  const first = firstDeclaredGroup(version.resilience)!;
  throw propError('MeshService', svc.path, `${version.prop ?? 'version'}.resilience.${first.group}`, first.value,
    'Linkerd cannot express: it reads failure accrual from the annotations of the Service the routes attach to, and applies it to every version behind it',
    'declare `resilience` on the MeshService only under Linkerd');
}

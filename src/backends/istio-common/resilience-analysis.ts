// Synth-time checks of a MeshService's resilience under Istio (sidecar and ambient waypoint, both
// Envoy): outlier detection that can eject every pod of a version, and a consistent-hash load
// balancer under a weighted split (the split picks the version per request, so the hash only holds
// inside one version: a "sticky" user alternates between versions).
import { propError } from '../../errors';
import type { AppModel } from '../../models/app';
import { effectiveResilience } from '../../models/resilience';
import type { LoadBalancerModel } from '../../models/resilience';
import type { ServiceModel } from '../../models/service';

/** Istio's default `maxEjectionPercent`. */
const DEFAULT_MAX_EJECTION_PERCENT = 10;

/** Every resilience problem of `svc` (messages name the MeshService, the prop and the fix). @internal */
export function analyzeResilience(app: AppModel, svc: ServiceModel, backendName: string): string[] {
  return [...ejectsEveryPod(svc, backendName), ...stickyUnderWeightedSplit(app, svc)];
}

function ejectsEveryPod(svc: ServiceModel, backendName: string): string[] {
  const errors: string[] = [];
  svc.versions.forEach((v) => {
    const od = effectiveResilience(svc.resilience, v.resilience).outlierDetection;
    if (!od || v.replicas < 1) return;
    const pct = od.maxEjectionPercent ?? DEFAULT_MAX_EJECTION_PERCENT;
    if (ejectable(v.replicas, pct) < v.replicas) return;
    const pods = `${v.replicas} ${v.replicas === 1 ? 'pod' : 'pods'}`;
    const fixes = [
      pct < 100 ? `run at least ${fewestSafePods(pct)} pods of version ${JSON.stringify(v.name)}, or lower maxEjectionPercent` : 'lower maxEjectionPercent below 100',
      `turn ejection off for this version (${v.prop ?? 'versions[i]'}.resilience: { outlierDetection: false })`,
    ];
    errors.push(propError('MeshService', svc.path, `${od.prop}.maxEjectionPercent`, pct,
      `${od.maxEjectionPercent === undefined ? 'is the default and ' : ''}lets ${backendName}'s Envoy eject all ${pods} of version ${JSON.stringify(v.name)} (it always ejects at least one pod): while ejected, every request routed to ${JSON.stringify(v.name)} fails with 503 (no healthy upstream)`,
      fixes.join(', or ')).message);
  });
  return errors;
}

/**
 * Most pods Envoy ejects at once: the first always (when none is ejected), then more while the
 * ejected share stays below `pct` — so ⌈pods × pct / 100⌉, and at least one.
 * @see https://www.envoyproxy.io/docs/envoy/latest/intro/arch_overview/upstream/outlier#ejection-algorithm
 */
function ejectable(pods: number, pct: number): number {
  return Math.max(1, Math.ceil((pods * pct) / 100));
}

/** The fewest pods of which `pct` can't eject all (pct < 100). */
function fewestSafePods(pct: number): number {
  let n = 2;
  while (ejectable(n, pct) >= n) n++;
  return n;
}

function stickyUnderWeightedSplit(app: AppModel, svc: ServiceModel): string[] {
  const routings = app.routingsByHost().get(`${svc.serviceName}.${svc.namespace ?? 'default'}`) ?? [];
  const errors: string[] = [];
  for (const routing of routings) {
    const model = routing.model?.();
    if (!model) continue;
    for (const rule of model.rules) {
      const weighted = rule.destinations.filter((d) => (d.weight ?? 0) > 0);
      if (weighted.length < 2) continue;
      const sticky = weighted
        .map((d) => ({ d, lb: effectiveResilience(svc.resilience, svc.versions.find((v) => v.name === d.version)?.resilience).loadBalancer }))
        .find((x) => x.lb?.kind === 'CONSISTENT_HASH');
      if (!sticky) continue;
      const split = weighted.map((d) => `${d.version} ${d.weight}`).join(', ');
      errors.push(propError('MeshService', svc.path, sticky.lb!.prop, describe(sticky.lb!),
        `is a consistent-hash (sticky session) load balancer, but ${routing.kind} '${routing.path}' ${rule.prop} splits requests by weight (${split}): the split picks the version of every request first, so one user's requests alternate between versions and stay sticky only inside each version`,
        'pin users to a version with a match rule on the same header or cookie (e.g. rules: [{ matches: [{ headers: { \'x-user-group\': StringMatch.exact(\'beta\') } }], destinations: [{ version: \'v2\' }] }]) instead of weights, or drop the consistent hash while the split lasts').message);
    }
  }
  return errors;
}

function describe(lb: LoadBalancerModel): string {
  if (lb.kind !== 'CONSISTENT_HASH') return lb.kind;
  if (lb.header !== undefined) return `consistentHashByHeader(${JSON.stringify(lb.header)})`;
  if (lb.cookie !== undefined) return `consistentHashByCookie(${JSON.stringify(lb.cookie.name)})`;
  return 'consistentHashBySourceIp()';
}

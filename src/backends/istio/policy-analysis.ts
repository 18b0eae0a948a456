// Policies that can't take effect given the rest of the app: checked against each workload's
// effective mTLS mode (the PeerAuthentications of the whole app), at synth.
import type { AppModel } from '../../models/app';
import type { AuthorizationModel } from '../../models/authorization';
import type { MonitorModel, ScrapeEndpointModel } from '../../models/observability';
import type { ServiceModel } from '../../models/service';
import { effectiveMtlsOf } from './destination-rule';
import { ISTIO_MERGED_METRICS_PORT } from './metrics-merge';

const describePolicy = (p: { path: string; namespace?: string; serviceName?: string }) =>
  `PeerAuthentication '${p.path}' (${p.serviceName === undefined ? 'namespace-wide' : `selector app=${p.serviceName}`}, namespace ${JSON.stringify(p.namespace ?? '')})`;

/**
 * A monitor scraping the application's own port in plain text while that port only accepts mTLS:
 * a Prometheus outside the mesh gets connection resets, and monitoring goes blind.
 * @internal
 */
export function plaintextScrapeUnderStrict(app: AppModel, monitor: MonitorModel, endpoint: ScrapeEndpointModel): string[] {
  if (endpoint.port === ISTIO_MERGED_METRICS_PORT) return [];
  const svc = monitor.service;
  const effective = app.mtlsIndex().effective(svc.serviceName, svc.namespace, endpoint.port);
  if (effective.mode !== 'STRICT') return [];
  return [`MeshMonitor '${monitor.path}': prop 'scrape' is "application", which scrapes port ${endpoint.port} of MeshService ${JSON.stringify(svc.serviceName)} in plain HTTP, `
    + `but ${effective.policy ? describePolicy(effective.policy) : 'the mesh'} makes that port STRICT: a Prometheus outside the mesh is refused and monitoring goes blind. `
    + `Fix: use scrape: ScrapeTarget.ISTIO_MERGED (the sidecar's plain-HTTP :${ISTIO_MERGED_METRICS_PORT}), or give port ${endpoint.port} a PERMISSIVE port-level exception (PeerAuthentication with service and portLevelMtls).`];
}

/**
 * ALLOW/DENY rules naming callers by identity or namespace, on a workload whose port accepts plain
 * text only (mTLS DISABLE): plain-text requests carry no identity, so no identity rule can match —
 * an ALLOW policy then denies every request, a DENY policy never applies.
 * @internal
 */
export function identitiesWithoutMtls(app: AppModel, policy: AuthorizationModel): string[] {
  const rules = policy.rules.filter((r) => r.identities.length + r.namespaces.length > 0);
  if (rules.length === 0) return [];
  const byNamespace = app.derived('services-by-namespace', (a) => {
    const m = new Map<string, ServiceModel[]>();
    for (const s of a.services) {
      const key = s.namespace ?? '';
      if (!m.has(key)) m.set(key, []);
      m.get(key)!.push(s);
    }
    return m;
  });
  const targets = (byNamespace.get(policy.namespace ?? '') ?? []).filter((s) => policy.serviceName === undefined || s.serviceName === policy.serviceName);
  const out: string[] = [];
  for (const svc of targets) {
    for (const rule of rules) {
      const ports = rule.ports.length > 0 ? rule.ports : svc.ports.map((p) => p.port);
      for (const port of ports) {
        const effective = effectiveMtlsOf(app, { serviceName: svc.serviceName, namespace: svc.namespace, port });
        if (effective.mode !== 'DISABLE') continue;
        out.push(`AuthorizationPolicy '${policy.path}': prop '${rule.prop}.from' names callers by ${rule.identities.length > 0 ? 'identity' : 'namespace'}, `
          + `but ${effective.policy ? describePolicy(effective.policy) : 'the mesh'} disables mTLS on port ${port} of MeshService ${JSON.stringify(svc.serviceName)} ('${svc.path}'): `
          + `plain-text requests carry no identity, so ${policy.action === 'DENY' ? 'the rule never applies' : 'every request is denied'}. `
          + 'Fix: make the port STRICT or PERMISSIVE, or authorize it by method/path/port only.');
        break;
      }
    }
  }
  return out;
}

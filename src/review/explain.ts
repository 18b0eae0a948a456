// One side of a change, per service: routing, versions, workloads' mTLS and callers, alerts.
import { describeMatch } from './match';
import { K8sObject, selects } from './objects';
import { interpretRouting } from './interpreter';
import { Mirror, RoutingModel, ServiceKey, Share } from './routing-model';
import { Access, access, effectiveMtls, WorkloadMtls } from './security';
import { AlertInfo, Objective, watchOf } from './observability';
import { DataPlane, Inventory, VersionInfo } from './workloads';

/** One routing rule, explained. */
export interface RuleSummary {
  readonly key: string;
  /** The requests it takes, in words. */
  readonly when: string;
  readonly shares: readonly Share[];
  readonly mirrors: readonly Mirror[];
  readonly timeout?: string;
  readonly retries?: string;
  readonly fault?: string;
  readonly origin: string;
}

/** One workload of a service. */
export interface WorkloadSummary {
  readonly name: string;
  readonly version?: string;
  readonly replicas: number;
  readonly serviceAccount: string;
  readonly mtls: WorkloadMtls;
  readonly access: Access;
}

/** Everything the review says about one service in one state. */
export interface ServiceSummary {
  readonly service: ServiceKey;
  readonly dataPlane: DataPlane;
  /** The API its routing is read from; undefined = no routing rules (plain load balancing). */
  readonly api?: 'VirtualService' | 'HTTPRoute';
  readonly rules: readonly RuleSummary[];
  readonly notes: readonly string[];
  readonly versions: readonly VersionInfo[];
  readonly workloads: readonly WorkloadSummary[];
  readonly alerts: readonly AlertInfo[];
  readonly objectives: readonly Objective[];
}

/** A whole state (one side of the change). */
export interface MeshState {
  readonly services: ReadonlyMap<ServiceKey, ServiceSummary>;
  readonly routing: RoutingModel;
}

function apexServices(inv: Inventory): ServiceKey[] {
  const keys = [...inv.services.keys()];
  return keys.filter((k) => {
    const sel = inv.services.get(k)!.spec?.selector;
    if (!sel?.version) return true;
    // a per-version Service: another Service of the namespace selects a superset of its pods
    return !keys.some((o) => o !== k && o.split('/')[0] === k.split('/')[0] && !inv.services.get(o)!.spec?.selector?.version && selects(inv.services.get(o)!.spec?.selector, sel));
  });
}

/**
 * Explains one set of manifests per service: rules with the versions they reach, the versions
 * the manifests declare (subsets, per-version Services, workloads with replicas), each
 * workload's effective mTLS and callers, and the alerts and SLO objectives that watch it.
 */
export function explainState(objects: readonly K8sObject[]): MeshState {
  const inv = new Inventory(objects);
  const routing = interpretRouting(objects, inv);
  const keys = [...new Set([...apexServices(inv), ...routing.services.keys()])].sort();
  const services = new Map<ServiceKey, ServiceSummary>();
  for (const service of keys) {
    const r = routing.services.get(service);
    const ws = inv.workloadsOf(service).length ? inv.workloadsOf(service) : inv.workloads.filter((w) => `${w.namespace}/${w.labels.app}` === service);
    services.set(service, {
      service,
      dataPlane: inv.dataPlane(service.split('/')[0]),
      api: r?.api,
      rules: (r?.rules ?? []).map((rule) => ({
        key: rule.key,
        when: rule.matches.length === 0 ? 'any request' : rule.matches.map(describeMatch).join(' or '),
        shares: rule.shares,
        mirrors: rule.policy.mirrors,
        ...(rule.policy.timeout ? { timeout: rule.policy.timeout } : {}),
        ...(rule.policy.retries ? { retries: rule.policy.retries } : {}),
        ...(rule.policy.fault ? { fault: rule.policy.fault } : {}),
        origin: rule.origin,
      })),
      notes: r?.notes ?? [],
      versions: [...inv.versions(service).values()],
      workloads: ws.map((w) => ({
        name: w.name,
        ...(w.labels.version ? { version: w.labels.version } : {}),
        replicas: w.replicas,
        serviceAccount: w.serviceAccount,
        mtls: effectiveMtls(inv, w),
        access: access(inv, w),
      })),
      ...watchOf(objects, service),
    });
  }
  return { services, routing };
}

/** `v1 90%, v2 10%` (other services by name); `nowhere` when a rule sends no traffic. */
export function sharesText(service: ServiceKey, shares: readonly Share[]): string {
  if (shares.length === 0) return 'nowhere';
  return shares.map((s) => `${versionName(service, s)} ${Math.round(s.percent * 100) / 100}%`).join(', ');
}

/** A version as the service's reader knows it: `v1`, `all pods`, or `other/svc v1`. */
export function versionName(service: ServiceKey, s: { service: ServiceKey; version: string }): string {
  const v = s.version === '*' ? 'all pods' : s.version;
  return s.service === service ? v : `${s.service.split('/')[0] === service.split('/')[0] ? s.service.split('/')[1] : s.service} ${v}`;
}

// Services, versions and replicas found in the manifests, and each namespace's data plane.
import { groupOf, K8sObject, namespaceOf, ofKind, selects } from './objects';
import { ServiceKey } from './routing-model';

/** The data plane a namespace is enrolled in, as its labels/annotations say. */
export type DataPlane = 'istio-sidecar' | 'istio-ambient' | 'linkerd' | 'unknown';

/** One version of a service and where the manifests declare it. */
export interface VersionInfo {
  readonly version: string;
  /** Istio DestinationRule subset name, when there is one. */
  readonly subset?: string;
  /** Per-version Service (Gateway API backendRef), when there is one. */
  readonly versionService?: string;
  /** Sum of `replicas` of the Deployments running it; undefined when the manifests hold no workload of the service. */
  readonly replicas?: number;
}

/** A workload (Deployment/StatefulSet) and the pod template facts the reviewer reads. */
export interface Workload {
  readonly key: string;
  readonly namespace: string;
  readonly name: string;
  readonly labels: Record<string, string>;
  readonly annotations: Record<string, string>;
  readonly replicas: number;
  readonly serviceAccount: string;
  readonly ports: readonly number[];
}

/** Services, workloads and versions of one set of manifests. */
export class Inventory {
  public readonly services = new Map<ServiceKey, K8sObject>();
  public readonly workloads: Workload[] = [];
  private readonly namespaces = new Map<string, K8sObject>();

  public constructor(public readonly objects: readonly K8sObject[]) {
    for (const s of ofKind(objects, '', 'Service')) this.services.set(`${namespaceOf(s)}/${s.metadata.name}`, s);
    for (const n of ofKind(objects, '', 'Namespace')) this.namespaces.set(n.metadata.name, n);
    // An autoscaled workload sets no replicas: count the fewest its HorizontalPodAutoscaler keeps.
    const autoscaled = new Map<string, number>();
    for (const h of ofKind(objects, 'autoscaling', 'HorizontalPodAutoscaler')) {
      const t = h.spec?.scaleTargetRef;
      if (t?.name) autoscaled.set(`${namespaceOf(h)}/${t.kind}/${t.name}`, typeof h.spec.minReplicas === 'number' ? h.spec.minReplicas : 1);
    }
    for (const d of objects.filter((o) => groupOf(o) === 'apps' && (o.kind === 'Deployment' || o.kind === 'StatefulSet'))) {
      const tpl = d.spec?.template ?? {};
      this.workloads.push({
        key: `${namespaceOf(d)}/${d.metadata.name}`,
        namespace: namespaceOf(d),
        name: d.metadata.name,
        labels: tpl.metadata?.labels ?? {},
        annotations: tpl.metadata?.annotations ?? {},
        replicas: typeof d.spec?.replicas === 'number' ? d.spec.replicas : autoscaled.get(`${namespaceOf(d)}/${d.kind}/${d.metadata.name}`) ?? 1,
        serviceAccount: tpl.spec?.serviceAccountName ?? 'default',
        ports: (tpl.spec?.containers ?? []).flatMap((c: any) => (c.ports ?? []).map((p: any) => p.containerPort)),
      });
    }
  }

  /** The data plane of a namespace: Namespace labels/annotations, else its workloads' pod annotations. */
  public dataPlane(namespace: string): DataPlane {
    const ns = this.namespaces.get(namespace);
    const labels = ns?.metadata.labels ?? {};
    const ann = ns?.metadata.annotations ?? {};
    if (labels['istio.io/dataplane-mode'] === 'ambient') return 'istio-ambient';
    if (labels['istio-injection'] === 'enabled' || labels['istio.io/rev']) return 'istio-sidecar';
    if (ann['linkerd.io/inject'] === 'enabled') return 'linkerd';
    const pods = this.workloads.filter((w) => w.namespace === namespace);
    if (pods.some((w) => w.annotations['linkerd.io/inject'] === 'enabled')) return 'linkerd';
    return 'unknown';
  }

  /** Namespace object, when the manifests hold it. */
  public namespace(name: string): K8sObject | undefined {
    return this.namespaces.get(name);
  }

  /** Workloads a Service (by key) selects. */
  public workloadsOf(service: ServiceKey): Workload[] {
    const svc = this.services.get(service);
    if (!svc?.spec?.selector) return [];
    const ns = namespaceOf(svc);
    return this.workloads.filter((w) => w.namespace === ns && selects(svc.spec.selector, w.labels));
  }

  /**
   * Versions of a service: DestinationRule subsets for its host, per-version Services whose
   * selector adds a `version` label to the service's, and the version labels of its workloads.
   */
  public versions(service: ServiceKey): Map<string, VersionInfo> {
    const out = new Map<string, { subset?: string; versionService?: string }>();
    const [ns, name] = service.split('/');
    for (const dr of ofKind(this.objects, 'networking.istio.io', 'DestinationRule')) {
      if (resolveHost(String(dr.spec?.host ?? ''), namespaceOf(dr)) !== service) continue;
      for (const s of dr.spec?.subsets ?? []) out.set(s.labels?.version ?? s.name, { ...out.get(s.labels?.version ?? s.name), subset: s.name });
    }
    const apex = this.services.get(service);
    for (const [key, s] of this.services) {
      const v = s.spec?.selector?.version;
      if (key === service || !v || namespaceOf(s) !== ns) continue;
      const apexSel = apex?.spec?.selector ?? { app: name };
      if (!selects(apexSel, s.spec.selector)) continue;
      out.set(v, { ...out.get(v), versionService: s.metadata.name });
    }
    const pods = apex ? this.workloadsOf(service) : [];
    for (const w of pods) if (w.labels.version && !out.has(w.labels.version)) out.set(w.labels.version, {});
    const result = new Map<string, VersionInfo>();
    for (const [version, v] of [...out].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const replicas = pods.length === 0 ? undefined : pods.filter((w) => w.labels.version === version).reduce((n, w) => n + w.replicas, 0);
      result.set(version, { version, ...v, replicas });
    }
    return result;
  }
}

/**
 * Resolves an Istio/Kubernetes host relative to a namespace: `myservice` → `ns/myservice`,
 * `myservice.other` and `myservice.other.svc[.cluster.local]` → `other/myservice`. Other hosts
 * (external names, wildcards) come back unchanged.
 */
export function resolveHost(host: string, namespace: string): ServiceKey {
  if (host.includes('*')) return host;
  const parts = host.split('.');
  if (parts.length === 1) return `${namespace}/${host}`;
  if (parts.length === 2 || parts[2] === 'svc') return `${parts[1]}/${parts[0]}`;
  return host;
}

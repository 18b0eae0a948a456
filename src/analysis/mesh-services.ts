import type { AppModel } from '../models/app';
import type { ServiceModel } from '../models/service';

/**
 * Two MeshServices with one name in one namespace would emit two Services, ServiceAccounts and
 * DestinationRules with the same name; `kubectl apply` keeps whichever comes last. (istioctl has
 * no code for this; IST0116 DeploymentAssociatedToMultipleServices is the nearest runtime effect.)
 * @internal
 */
export function duplicateMeshServices(self: ServiceModel, app: AppModel): string[] {
  const twins = (app.servicesByName().get(`${self.namespace ?? ''}|${self.serviceName}`) ?? []).filter((o) => o !== self);
  return twins.map((o) =>
    `MeshService '${self.path}': service "${self.serviceName}" in namespace ${JSON.stringify(self.namespace ?? '(none)')} is also declared by '${o.path}'. ` +
    'Fix: give one of them a different serviceName, or declare both versions on one MeshService.');
}

/** Every mesh construct of one namespace renders for one backend: two data planes can't share its pods' config. @internal */
export function mixedBackends(app: AppModel, path: string, namespace: string | undefined, backend: { readonly id: string; readonly name: string }): string[] {
  const byNamespace = app.derived('backend-by-namespace', (a) => {
    const first = new Map<string, { path: string; backendId: string; backendName: string }>();
    for (const use of a.backendUses) if (!first.has(use.namespace ?? '')) first.set(use.namespace ?? '', use);
    return first;
  });
  const first = byNamespace.get(namespace ?? '');
  if (!first || first.backendId === backend.id) return [];
  return [`'${path}' renders for ${backend.name}, but '${first.path}' in the same namespace ${JSON.stringify(namespace ?? '(none)')} renders for ${first.backendName}. `
    + 'Fix: choose one backend per namespace (Mesh.use(chart, backend) on every chart of the namespace), or move one of them to another namespace.'];
}

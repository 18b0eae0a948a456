import { IConstruct } from 'constructs';

/** What the check needs of a MeshService (kept structural so analysis doesn't import constructs). */
export interface MeshServiceIdentity {
  readonly serviceName: string;
  readonly namespace?: string;
  readonly node: IConstruct['node'];
}

/**
 * Two MeshServices with one name in one namespace would emit two Services, ServiceAccounts and
 * DestinationRules with the same name; `kubectl apply` keeps whichever comes last. (istioctl has
 * no code for this; IST0116 DeploymentAssociatedToMultipleServices is the nearest runtime effect.)
 * @internal
 */
export function duplicateMeshServices(self: MeshServiceIdentity, all: readonly MeshServiceIdentity[]): string[] {
  const twins = all.filter((o) => o !== self && o.serviceName === self.serviceName && o.namespace === self.namespace);
  return twins.map((o) =>
    `MeshService '${self.node.path}': service "${self.serviceName}" in namespace ${JSON.stringify(self.namespace ?? '(none)')} is also declared by '${o.node.path}'. ` +
    'Fix: give one of them a different serviceName, or declare both versions on one MeshService.');
}

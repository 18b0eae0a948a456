// mTLS intent as plain data, and the scope resolution every backend shares: which policy decides
// a workload's mode. (Istio's semantics; the Linkerd and ambient backends map the result.)

/** The modes, as MtlsMode spells them. @internal */
export type MtlsModeModel = 'STRICT' | 'PERMISSIVE' | 'DISABLE' | 'UNSET';

/** The Istio root namespace: a selector-less policy there is mesh-wide. @internal */
export const MESH_ROOT_NAMESPACE = 'istio-system';

/** A PeerAuthentication as plain data. `ports` grows with `addPortLevelMtls()`. @internal */
export interface MtlsPolicyModel {
  readonly kind: 'PeerAuthentication';
  readonly path: string;
  readonly name: string;
  readonly namespace?: string;
  /** The selected workload (`app` label); undefined for a namespace-wide policy. */
  readonly serviceName?: string;
  readonly mode: MtlsModeModel;
  /** Container port → mode. */
  readonly ports: Map<number, MtlsModeModel>;
}

/** The mode a policy gives a container port: the port override, else the policy's mode. @internal */
export function policyModeForPort(policy: MtlsPolicyModel, port: number): MtlsModeModel {
  return policy.ports.get(port) ?? policy.mode;
}

/** The mode on a workload's port and the policy that decided it (none: the mesh default). @internal */
export interface EffectiveMtlsModel {
  readonly mode: MtlsModeModel;
  readonly policy?: MtlsPolicyModel;
}

/** Policies indexed once per synth by scope: `ns|app` for workload policies, `ns|` for namespace-wide. @internal */
export class MtlsIndex {
  private readonly first = new Map<string, MtlsPolicyModel>();

  public constructor(policies: readonly MtlsPolicyModel[]) {
    // Istio uses the oldest policy when several match; declaration order is the closest stand-in.
    for (const p of policies) {
      const key = scopeKey(p.namespace, p.serviceName);
      if (!this.first.has(key)) this.first.set(key, p);
    }
  }

  /**
   * The effective mTLS mode on a workload's port, resolved as Istio does: the workload-scoped
   * policy in its namespace (its port-level override first), then the namespace-wide policy, then
   * the mesh-wide one; UNSET defers to the next scope; with none, PERMISSIVE.
   */
  public effective(serviceName: string, namespace: string | undefined, port: number): EffectiveMtlsModel {
    for (const key of [scopeKey(namespace, serviceName), scopeKey(namespace, undefined), scopeKey(MESH_ROOT_NAMESPACE, undefined)]) {
      const policy = this.first.get(key);
      if (policy && policyModeForPort(policy, port) !== 'UNSET') return { mode: policyModeForPort(policy, port), policy };
    }
    return { mode: 'PERMISSIVE' };
  }

  /** The first policy declared for the scope of `policy` (the one Istio would apply). */
  public firstOfScope(policy: MtlsPolicyModel): MtlsPolicyModel | undefined {
    return this.first.get(scopeKey(policy.namespace, policy.serviceName));
  }
}

function scopeKey(namespace: string | undefined, serviceName: string | undefined): string {
  return `${namespace ?? ''}|${serviceName ?? ''}`;
}

// Which Kubernetes release the core kinds (Deployment, Service, ...) are judged by. Each version's
// OpenAPI v2 definitions are vendored in schemas/ (see schemas/PROVENANCE.md).

/**
 * A Kubernetes release whose core API definitions the validator can check against.
 * @see https://kubernetes.io/releases/
 */
export enum KubernetesVersion {
  /** Kubernetes 1.28: the API cdk8s-plus-28 (this package's peer) generates. The default. */
  V1_28 = '1.28',
  /** Kubernetes 1.36, the newest stable release vendored (e.g. `Service.spec.trafficDistribution`). */
  V1_36 = '1.36',
}

/** The version the validator uses when none is chosen: the API cdk8s-plus-28 targets. */
export const DEFAULT_KUBERNETES_VERSION = KubernetesVersion.V1_28;

/** The vendored definitions file (in schemas/) of each version. @internal */
export const DEFINITIONS_FILES: Readonly<Record<KubernetesVersion, string>> = {
  [KubernetesVersion.V1_28]: 'k8s-1.28.0-definitions.json',
  [KubernetesVersion.V1_36]: 'k8s-1.36-definitions.json',
};

/**
 * The version named by `value` (`'1.36'`, `'v1.36'`, `'1.36.2'`, or the enum), or an error that lists
 * the vendored ones. @internal
 */
export function kubernetesVersion(value: string | undefined, where: string): KubernetesVersion {
  if (value === undefined) return DEFAULT_KUBERNETES_VERSION;
  const minor = /^v?(\d+\.\d+)(\.\d+)?$/.exec(String(value).trim())?.[1];
  const found = Object.values(KubernetesVersion).find((v) => v === minor);
  if (!found) {
    const known = Object.values(KubernetesVersion).map((v) => `"${v}"`).join(', ');
    throw new Error(`${where}: prop 'kubernetesVersion' is ${JSON.stringify(value)}, which is not a vendored Kubernetes version. Fix: use one of ${known} (KubernetesVersion.V1_28 is the default; patch releases share their minor's API).`);
  }
  return found;
}

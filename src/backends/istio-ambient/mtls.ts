// PeerAuthentication under ambient: the same security.istio.io/v1 object, enforced by ztunnel.
// What ztunnel does not honour is refused, as Istio documents it: DISABLE has no effect (HBONE is
// always mTLS), and port-level modes apply only to workload-selector policies outside the root
// namespace.
import { propError } from '../../errors';
import { MESH_ROOT_NAMESPACE, MtlsPolicyModel } from '../../models/mtls';

const PA_DOCS = 'https://istio.io/latest/docs/reference/config/security/peer_authentication/';

/**
 * Everything of `policy` ztunnel would not honour, as messages naming the prop and the alternative.
 * @see https://istio.io/latest/docs/reference/config/security/peer_authentication/
 * @internal
 */
export function ambientMtlsProblems(policy: MtlsPolicyModel, backendName: string): string[] {
  const out: string[] = [];
  const err = (prop: string, value: unknown, problem: string, fix: string) =>
    out.push(propError(policy.kind, policy.path, prop, value, `${backendName} does not honour: ${problem}`, fix).message);
  if (policy.mode === 'DISABLE') {
    err('mode', 'DISABLE', `ztunnel always speaks mTLS (HBONE) between ambient workloads, so DISABLE has no effect (${PA_DOCS})`,
      'use MtlsMode.PERMISSIVE to also accept plaintext from callers outside the mesh, or MtlsMode.STRICT');
  }
  for (const [port, mode] of [...policy.ports].sort(([a], [b]) => a - b)) {
    const prop = 'portLevelMtls';
    if (mode === 'DISABLE') {
      err(prop, { port, mode }, 'ztunnel always speaks mTLS (HBONE) between ambient workloads, so a port-level DISABLE has no effect',
        'use MtlsMode.PERMISSIVE on the port to also accept plaintext on it (e.g. for a scraper outside the mesh)');
    } else if (policy.namespace === MESH_ROOT_NAMESPACE) {
      err(prop, { port, mode }, `ztunnel ignores workload-selector PeerAuthentications in the root namespace ${JSON.stringify(MESH_ROOT_NAMESPACE)}, so the port-level mode would not apply`,
        'create the PeerAuthentication in the namespace of the service it selects');
    }
  }
  return out;
}

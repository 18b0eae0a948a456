// mTLS analysis: which PeerAuthentication mode a MeshService's port gets, the client TLS its
// DestinationRule should use, and the istioctl-analyze checks that compare the two.
import { IConstruct } from 'constructs';
import type { IMeshService } from '../mesh-service';
import { DestinationTls, DestinationTlsMode } from '../security/destination-tls';
import { MtlsMode, PEER_AUTHENTICATION, PeerAuthentication } from '../security/peer-authentication';
import { registered } from './registry';

/** Istio's root namespace: a selector-less PeerAuthentication there is mesh-wide. @internal */
export const MESH_ROOT_NAMESPACE = 'istio-system';

/** The mode a workload port gets, and the policy that decided it (none: Istio's default, PERMISSIVE). @internal */
export interface EffectiveMtls {
  readonly mode: MtlsMode;
  readonly policy?: PeerAuthentication;
}

/** What the analysis needs from a MeshService. @internal */
export interface MtlsSubject extends IMeshService {
  readonly node: IConstruct['node'];
  /** The client TLS the user chose, if any. */
  readonly tls?: DestinationTls;
}

/**
 * The effective mTLS mode on `svc`'s port, resolved as Istio does: a workload-scoped policy in the
 * service's namespace (its port-level override first), then the namespace-wide policy, then the
 * mesh-wide one; UNSET defers to the next scope; with none, PERMISSIVE.
 * @internal
 */
export function effectiveMtls(root: IConstruct, svc: IMeshService): EffectiveMtls {
  const policies = registered<PeerAuthentication>(root, PEER_AUTHENTICATION);
  const scopes: Array<(p: PeerAuthentication) => boolean> = [
    (p) => p.namespace === svc.namespace && p.service?.serviceName === svc.serviceName,
    (p) => p.namespace === svc.namespace && p.namespaceWide,
    (p) => p.namespace === MESH_ROOT_NAMESPACE && p.namespaceWide,
  ];
  for (const inScope of scopes) {
    // Istio uses the oldest policy when several match; construct order is the closest stand-in.
    const policy = policies.find(inScope);
    if (policy && policy.modeForPort(svc.port) !== MtlsMode.UNSET) {
      return { mode: policy.modeForPort(svc.port), policy };
    }
  }
  return { mode: MtlsMode.PERMISSIVE };
}

/**
 * The client TLS of `svc`'s DestinationRule, or undefined to leave it to Istio's auto mTLS: the
 * chosen one; else ISTIO_MUTUAL when the workload's port is STRICT, DISABLE when it has mTLS
 * disabled (ISTIO_MUTUAL toward it would fail every request). Under PERMISSIVE nothing is set:
 * a forced ISTIO_MUTUAL turns auto mTLS off and breaks calls to pods not (yet) injected — exactly
 * the pods a PERMISSIVE migration is for.
 * @internal
 */
export function destinationTlsOf(svc: MtlsSubject): DestinationTls | undefined {
  if (svc.tls) return svc.tls;
  switch (effectiveMtls(svc.node.root, svc).mode) {
    case MtlsMode.STRICT: return DestinationTls.istioMutual();
    case MtlsMode.DISABLE: return DestinationTls.disable();
    default: return undefined;
  }
}

/**
 * IST0113 MTLSPolicyConflict and IST0128 NoServerCertificateVerificationDestinationLevel for the
 * DestinationRule of `svc`.
 * @internal
 */
export function checkDestinationTls(svc: MtlsSubject): string[] {
  const tls = svc.tls;
  if (!tls) return [];
  const where = `MeshService '${svc.node.path}': DestinationRule ${JSON.stringify(svc.serviceName)}`;
  const errors: string[] = [];
  const effective = effectiveMtls(svc.node.root, svc);
  const by = effective.policy
    ? `PeerAuthentication '${effective.policy.node.path}' (${effective.policy.namespaceWide ? 'namespace-wide' : `selector app=${svc.serviceName}`}, namespace ${JSON.stringify(effective.policy.namespace)})`
    : 'no PeerAuthentication (Istio default)';
  if (tls.mode === DestinationTlsMode.DISABLE && effective.mode === MtlsMode.STRICT) {
    errors.push(`IST0113 MTLSPolicyConflict: ${where} disables TLS (tls.mode DISABLE), but ${by} requires STRICT mTLS on port ${svc.port}, so every request would be refused. `
      + 'Fix: use DestinationTls.istioMutual() (the default), or make the workload PERMISSIVE with a PeerAuthentication scoped to this service.');
  }
  if (tls.mode === DestinationTlsMode.ISTIO_MUTUAL && effective.mode === MtlsMode.DISABLE) {
    errors.push(`IST0113 MTLSPolicyConflict: ${where} sends Istio mTLS (tls.mode ISTIO_MUTUAL), but ${by} disables mTLS on port ${svc.port}, so every request would fail. `
      + 'Fix: leave `tls` unset (it follows the PeerAuthentication), use DestinationTls.disable(), or set the PeerAuthentication to STRICT or PERMISSIVE.');
  }
  if ((tls.mode === DestinationTlsMode.SIMPLE || tls.mode === DestinationTlsMode.MUTUAL) && !tls.verifiesServer) {
    errors.push(`IST0128 NoServerCertificateVerificationDestinationLevel: ${where} has TLS mode set to ${tls.mode} but no caCertificates are set to validate server identity for host: ${svc.serviceName}. `
      + 'Fix: set caCertificates (a CA bundle path in the sidecar).');
  }
  return errors;
}

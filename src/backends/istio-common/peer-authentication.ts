// PeerAuthentication model → security.istio.io/v1 PeerAuthentication, and Istio's "one policy per
// scope" rule.
import { Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import {
  PeerAuthentication, PeerAuthenticationSpec, PeerAuthenticationSpecMtlsMode, PeerAuthenticationSpecPortLevelMtlsMode,
} from '../../../imports/security.istio.io';
import type { AppModel } from '../../models/app';
import type { MtlsPolicyModel } from '../../models/mtls';
import { appSelector } from '../../models/service';

/** @internal */
export function createPeerAuthentication(scope: Construct, policy: MtlsPolicyModel): PeerAuthentication {
  return new PeerAuthentication(scope, 'Resource', {
    metadata: { name: policy.name, namespace: policy.namespace },
    spec: Lazy.any({ produce: () => peerAuthenticationSpec(policy) }),
  });
}

/** @internal */
export function peerAuthenticationSpec(policy: MtlsPolicyModel): PeerAuthenticationSpec {
  const ports = [...policy.ports].sort(([a], [b]) => a - b);
  return {
    selector: policy.serviceName !== undefined ? { matchLabels: appSelector(policy.serviceName) } : undefined,
    mtls: { mode: policy.mode as string as PeerAuthenticationSpecMtlsMode },
    // The CRD requires minProperties: 1, so an empty map is left out.
    portLevelMtls: ports.length === 0 ? undefined : Object.fromEntries(
      ports.map(([port, mode]) => [String(port), { mode: mode as string as PeerAuthenticationSpecPortLevelMtlsMode }])),
  };
}

/**
 * At most one PeerAuthentication per namespace and selector: with several, Istio applies only the
 * oldest, so which one wins would depend on creation order.
 * @internal
 */
export function checkSinglePolicyPerScope(app: AppModel, policy: MtlsPolicyModel): string[] {
  const first = app.mtlsIndex().firstOfScope(policy);
  if (first && first !== policy) {
    const what = policy.serviceName === undefined ? 'namespace-wide PeerAuthentication' : `PeerAuthentication for service ${JSON.stringify(policy.serviceName)}`;
    return [`PeerAuthentication '${policy.path}': namespace ${JSON.stringify(policy.namespace)} already has the ${what} '${first.path}'; `
      + 'Istio applies only the oldest one. Fix: keep one policy per namespace and workload (put port overrides in the same policy).'];
  }
  return [];
}

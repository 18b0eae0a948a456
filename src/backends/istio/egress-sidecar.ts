// MeshEgress model → the namespace's default networking.istio.io/v1 Sidecar: egress hosts limited
// to the declared destinations and REGISTRY_ONLY, so the sidecars refuse anything else.
import { Construct } from 'constructs';
import { Sidecar, SidecarSpecOutboundTrafficPolicyMode } from '../../../imports/networking.istio.io';
import type { EgressModel } from '../../models/egress';

/** The selector-less Sidecar `default` of the namespace. @internal */
export function createEgressSidecar(scope: Construct, egress: EgressModel): Sidecar {
  return new Sidecar(scope, 'Resource', {
    metadata: { name: 'default' },
    spec: {
      egress: [{ hosts: [...egress.hosts] }],
      outboundTrafficPolicy: { mode: SidecarSpecOutboundTrafficPolicyMode.REGISTRY_UNDERSCORE_ONLY },
    },
  });
}

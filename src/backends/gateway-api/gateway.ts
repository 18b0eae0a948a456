// MeshIngress → gateway.networking.k8s.io/v1 Gateway for every Gateway API backend: one HTTPS
// listener per external host (a listener has one hostname), TLS terminated with the Secret, routes
// from the Gateway's namespace only. What the API server would default is written out.
import { Construct } from 'constructs';
import {
  Gateway, GatewaySpecListenersAllowedRoutesNamespacesFrom, GatewaySpecListenersTlsMode,
} from '../../../imports/gateway.networking.k8s.io';
import type { IngressModel } from '../../models/ingress';

/** The Gateway API Gateway of a MeshIngress, of class `gatewayClassName`. @internal */
export function createGatewayApiGateway(scope: Construct, ingress: IngressModel, gatewayClassName: string): Gateway {
  return new Gateway(scope, 'Resource', {
    metadata: { name: ingress.name },
    spec: {
      gatewayClassName,
      listeners: ingress.hosts.map((hostname, i) => ({
        name: `https-${i}`,
        hostname,
        port: ingress.port,
        protocol: 'HTTPS',
        tls: { mode: GatewaySpecListenersTlsMode.TERMINATE, certificateRefs: [{ group: '', kind: 'Secret', name: ingress.tlsSecret }] },
        allowedRoutes: { namespaces: { from: GatewaySpecListenersAllowedRoutesNamespacesFrom.SAME } },
      })),
    },
  });
}

// MeshIngress → networking.istio.io/v1 Gateway: an HTTPS server on the ingress gateway pods the
// selector picks, terminating TLS with the Secret (SIMPLE, credentialName). The TrafficSplit's
// VirtualService binds to it (gateways: [<name>, mesh], the external hosts).
import { Construct } from 'constructs';
import { Gateway, GatewaySpecServersTlsMode } from '../../../imports/networking.istio.io';
import type { IngressModel } from '../../models/ingress';

/** The Istio Gateway of a MeshIngress. @internal */
export function createIstioGateway(scope: Construct, ingress: IngressModel): Gateway {
  return new Gateway(scope, 'Resource', {
    metadata: { name: ingress.name },
    spec: {
      selector: { ...ingress.selector },
      servers: [{
        port: { number: ingress.port, name: 'https', protocol: 'HTTPS' },
        hosts: [...ingress.hosts],
        tls: { mode: GatewaySpecServersTlsMode.SIMPLE, credentialName: ingress.tlsSecret },
      }],
    },
  });
}

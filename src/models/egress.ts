// Egress as plain data: external dependencies (hosts outside the mesh) and a namespace's outbound
// restriction to declared destinations. Backends turn them into ServiceEntry / Sidecar or refuse.
import type { RetryModel } from './routing';

/** How the proxy speaks on an external port. */
export type ExternalProtocolModel = 'HTTP' | 'HTTPS' | 'HTTP2' | 'GRPC' | 'TLS' | 'TCP';

/** One port of an external service. @internal */
export interface ExternalPortModel {
  readonly number: number;
  readonly name: string;
  readonly protocol: ExternalProtocolModel;
}

/** An ExternalService as plain data. @internal */
export interface ExternalServiceModel {
  readonly kind: 'ExternalService';
  readonly path: string;
  readonly name: string;
  readonly namespace?: string;
  readonly hosts: readonly string[];
  readonly ports: readonly ExternalPortModel[];
  readonly resolution: 'DNS' | 'DNS_ROUND_ROBIN' | 'STATIC' | 'NONE';
  /** IP addresses (STATIC resolution). */
  readonly endpoints: readonly string[];
  readonly timeoutMs?: number;
  readonly retries?: RetryModel;
}

/** A MeshEgress as plain data: the namespace's declared outbound destinations. @internal */
export interface EgressModel {
  readonly kind: 'MeshEgress';
  readonly path: string;
  readonly namespace?: string;
  /** Istio Sidecar egress hosts, `<namespace>/<dns name>` or `<namespace>/*`. */
  readonly hosts: readonly string[];
  /** Where the declared destinations come from, for messages. */
  readonly destinations: readonly string[];
}

/** True for the protocols whose requests the proxy reads (timeouts and retries apply). @internal */
export function isHttpExternal(protocol: ExternalProtocolModel): boolean {
  return protocol === 'HTTP' || protocol === 'HTTP2' || protocol === 'GRPC';
}

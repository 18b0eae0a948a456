// The service model: what a MeshService declares, as plain data (no cdk8s, constructs or
// imports/). Backends render it; analysis reads it. Messages name `path` (the construct path).
import type { ResilienceModel } from './resilience';

/** The application protocol of a service port, as the package models it (values are MeshProtocol's). */
export type ProtocolModel = 'http' | 'http2' | 'grpc' | 'tcp';

/** One port of a service: the same number on the Service and the container. @internal */
export interface PortModel {
  readonly name: string;
  readonly port: number;
  readonly protocol: ProtocolModel;
}

/** True for protocols the mesh parses as HTTP (routing, L7 policy, HTTP probes). @internal */
export function isHttpProtocol(protocol: ProtocolModel): boolean {
  return protocol !== 'tcp';
}

/** One version of a service: a Deployment `<service>-<version>` with `app` + `version` labels. @internal */
export interface VersionModel {
  readonly name: string;
  readonly replicas: number;
  readonly image: string;
  /** The version's own resilience groups (they replace the service's, group by group). */
  readonly resilience?: ResilienceModel;
  /** Where the version was declared, for messages: `versions[1]` or `addVersion(options)`. */
  readonly prop?: string;
}

/** Where the application serves Prometheus metrics. @internal */
export interface MetricsModel {
  readonly path: string;
  readonly port: number;
}

/** An HTTP GET health probe of the pods (liveness, readiness or startup). @internal */
export interface HttpProbeModel {
  readonly path: string;
  /** Container port probed. */
  readonly port: number;
}

/** The client TLS a MeshService asks callers to use (Istio DestinationRule `trafficPolicy.tls`). @internal */
export interface ClientTlsModel {
  readonly mode: 'DISABLE' | 'SIMPLE' | 'MUTUAL' | 'ISTIO_MUTUAL';
  readonly caCertificates?: string;
  readonly caCrl?: string;
  readonly credentialName?: string;
  readonly clientCertificate?: string;
  readonly privateKey?: string;
  readonly sni?: string;
  readonly subjectAltNames?: readonly string[];
}

/** A MeshService as plain data. `versions` grows with `addVersion()`. @internal */
export interface ServiceModel {
  readonly kind: 'MeshService';
  /** Construct path, for messages. */
  readonly path: string;
  readonly serviceName: string;
  readonly namespace?: string;
  /** The primary port (routing, default probes and metrics): `ports[0]`. */
  readonly port: number;
  readonly portName: string;
  readonly protocol: ProtocolModel;
  /** Every port, the primary first. */
  readonly ports: readonly PortModel[];
  /** Labels on every object (the `labels` prop), without app/version. */
  readonly labels: { readonly [key: string]: string };
  readonly versions: VersionModel[];
  readonly metrics?: MetricsModel;
  /** The client TLS chosen in props; undefined = derived from the effective mTLS mode. */
  readonly tls?: ClientTlsModel;
  /** The HTTP GET probes of every version's pods (kubelet calls them in plain text). */
  readonly probes?: readonly HttpProbeModel[];
  /** Connection pool, outlier detection and load balancing toward the service (the `resilience` prop). */
  readonly resilience?: ResilienceModel;
}

/** What routing, policies and monitors need to know of a service they reference. @internal */
export interface ServiceRef {
  readonly serviceName: string;
  readonly namespace?: string;
  readonly port: number;
  readonly portName: string;
  readonly versionNames: readonly string[];
  readonly metrics?: MetricsModel;
  replicas?(version: string): number | undefined;
}

/** `<service>-<version>`: a version's Deployment and, for backends that route to Services, its own Service. @internal */
export function versionObjectName(serviceName: string, version: string): string {
  return `${serviceName}-${version}`;
}

/** The labels every pod of a version carries; `app` + `version` are what meshes and Kiali read. @internal */
export function podLabels(serviceName: string, version: string): { [key: string]: string } {
  return {
    'app': serviceName,
    'version': version,
    'app.kubernetes.io/name': serviceName,
    'app.kubernetes.io/version': version,
  };
}

/** The immutable selector of a version's pods: never cdk8s-plus's hashed metadata.addr. @internal */
export function versionSelector(serviceName: string, version: string): { [key: string]: string } {
  return { app: serviceName, version };
}

/** The selector of every version's pods of a service. @internal */
export function appSelector(serviceName: string): { [key: string]: string } {
  return { app: serviceName };
}

/** The labels of a service's own objects (Service, ServiceAccount, mesh config). @internal */
export function serviceLabels(model: Pick<ServiceModel, 'serviceName' | 'labels'>): { [key: string]: string } {
  return { ...model.labels, 'app': model.serviceName, 'app.kubernetes.io/name': model.serviceName };
}

/**
 * The host a routing object names: the Service's short name when the object lives in the
 * Service's namespace, its FQDN otherwise (a short name resolves in the routing object's own
 * namespace).
 * @internal
 */
export function serviceHost(serviceName: string, serviceNamespace: string | undefined, fromNamespace: string | undefined): string {
  if ((fromNamespace ?? '') === (serviceNamespace ?? '')) return serviceName;
  return serviceFqdn(serviceName, serviceNamespace);
}

/** `<service>.<namespace>.svc.cluster.local`. @internal */
export function serviceFqdn(serviceName: string, serviceNamespace: string | undefined): string {
  return `${serviceName}.${serviceNamespace ?? 'default'}.svc.cluster.local`;
}

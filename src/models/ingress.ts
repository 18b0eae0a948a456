// North–south traffic as plain data: a MeshService exposed under external hostnames, with TLS
// terminated at the mesh's ingress from a Secret. Routing renderers read the edges of a service
// (`edgesOf`) so a TrafficSplit's rules apply to edge traffic too.
import { propError } from '../errors';
import type { PropRef } from '../names';
import { AppModel, groupBy } from './app';

/** A MeshIngress as plain data. @internal */
export interface IngressModel {
  readonly kind: 'MeshIngress';
  readonly path: string;
  /** The gateway object's name. */
  readonly name: string;
  readonly namespace?: string;
  readonly serviceName: string;
  readonly serviceNamespace?: string;
  /** External hostnames (lower-case DNS names, `*.` wildcards allowed). */
  readonly hosts: readonly string[];
  /** The TLS Secret (`kubernetes.io/tls`). */
  readonly tlsSecret: string;
  /** The HTTPS port of the gateway. */
  readonly port: number;
  /** Gateway API backends: the GatewayClass; undefined when the user gave none. */
  readonly gatewayClassName?: string;
  /** Istio Gateway: the labels selecting the ingress gateway pods. */
  readonly selector: { readonly [key: string]: string };
  /** The optional props the user set (backends refuse those they can't honour). */
  readonly given: readonly string[];
}

/** What a routing object binds to for one ingress: the gateway (same namespace) and its hosts. @internal */
export interface EdgeModel {
  readonly gateway: string;
  readonly hosts: readonly string[];
  /** The ingress construct's path. */
  readonly path: string;
}

/** The kind MeshIngress models are recorded under in the AppModel. @internal */
export const INGRESS_KIND = 'MeshIngress';

/**
 * The ingresses exposing a service whose routing object lives in `routingNamespace`, in
 * declaration order (others are reported by the ingress).
 * @internal
 */
export function edgesOf(app: AppModel, serviceName: string, serviceNamespace: string | undefined, routingNamespace: string | undefined): EdgeModel[] {
  const byService = app.derived('ingresses-by-service', (a) => groupBy(a.list<IngressModel>(INGRESS_KIND), (i) => `${i.serviceNamespace ?? ''}|${i.serviceName}`));
  return (byService.get(`${serviceNamespace ?? ''}|${serviceName}`) ?? [])
    .filter((i) => (i.namespace ?? '') === (routingNamespace ?? ''))
    .map((i) => ({ gateway: i.name, hosts: i.hosts, path: i.path }));
}

/** An ingress claiming a host, with its declaration index. @internal */
export interface HostClaim {
  readonly ingress: IngressModel;
  readonly index: number;
  readonly host: string;
}

/**
 * Host conflicts in O(labels) per host rather than comparing every pair of ingresses: the first
 * claim of each host as written, and of each proper suffix of a host (what a wildcard `*.<suffix>`
 * covers).
 * @internal
 */
export function hostClaims(app: AppModel): { readonly byHost: Map<string, HostClaim>; readonly bySuffix: Map<string, HostClaim> } {
  return app.derived('ingress-host-claims', (a) => {
    const byHost = new Map<string, HostClaim>();
    const bySuffix = new Map<string, HostClaim>();
    a.list<IngressModel>(INGRESS_KIND).forEach((ingress, index) => {
      for (const host of ingress.hosts) {
        if (!byHost.has(host)) byHost.set(host, { ingress, index, host });
        const labels = host.split('.');
        for (let k = 1; k < labels.length; k++) {
          const suffix = labels.slice(k).join('.');
          if (!bySuffix.has(suffix)) bySuffix.set(suffix, { ingress, index, host });
        }
      }
    });
    return { byHost, bySuffix };
  });
}

/** The earliest claim overlapping `host`: the host itself, a wildcard covering it, or (for a wildcard) a host it covers. @internal */
export function firstOverlap(app: AppModel, host: string): HostClaim | undefined {
  const { byHost, bySuffix } = hostClaims(app);
  const labels = host.split('.');
  const found: Array<HostClaim | undefined> = [byHost.get(host)];
  for (let k = host.startsWith('*.') ? 2 : 1; k < labels.length; k++) found.push(byHost.get(`*.${labels.slice(k).join('.')}`));
  if (host.startsWith('*.')) found.push(bySuffix.get(host.slice(2)));
  return found.filter((c): c is HostClaim => c !== undefined).sort((a, b) => a.index - b.index)[0];
}

const LABEL = /^(\*|[a-z0-9]([-a-z0-9]*[a-z0-9])?)$/;

/**
 * A lower-case DNS name of at least two labels, optionally `*.` first; not an IP address nor a
 * cluster-internal name (`.svc.cluster.local`, `.cluster.local`).
 * @internal
 */
export function requireExternalHost(ref: PropRef, host: string): string {
  const fail = (problem: string): Error => propError(ref.construct, ref.path, ref.prop, host, problem,
    'use the public DNS name clients use, e.g. "shop.example.com" or "*.example.com"');
  if (typeof host !== 'string' || host.length === 0 || host.length > 253) throw fail('is not a DNS name');
  const labels = host.split('.');
  if (labels.length < 2 || labels.some((l) => l.length > 63 || !LABEL.test(l)) || labels.slice(1).includes('*')) {
    throw fail(host !== host.toLowerCase() ? 'is not a lower-case DNS name (Gateway hostnames are compared lower-case)' : 'is not a DNS name (lower-case labels of letters, digits and \'-\', at least two, with an optional leading \'*.\')');
  }
  if (labels.every((l) => /^[0-9]+$/.test(l))) throw fail('is an IP address, not a DNS name (TLS SNI and Gateway hostnames match names only)');
  if (host.endsWith('.cluster.local')) throw fail('is a cluster-internal name, which clients outside the mesh can\'t resolve');
  return host;
}

/** True if a request for some name could match both hosts (equal, or one a wildcard covering the other). @internal */
export function hostsOverlap(a: string, b: string): boolean {
  if (a === b) return true;
  const covers = (w: string, h: string) => w.startsWith('*.') && h.endsWith(w.slice(1));
  return covers(a, b) || covers(b, a);
}

/** The default `gatewaySelector`: the pods of Istio's default `istio-ingressgateway`. @internal */
export const DEFAULT_GATEWAY_SELECTOR: { readonly [key: string]: string } = { istio: 'ingressgateway' };

/**
 * Throws if the user set a gateway prop the backend's gateway has no place for: `gatewaySelector`
 * (only an Istio Gateway selects pods) or `gatewayClassName` (only a Gateway API Gateway has a class).
 * @internal
 */
export function refuseGatewayProp(ingress: IngressModel, prop: 'gatewaySelector' | 'gatewayClassName', backend: string): void {
  if (!ingress.given.includes(prop)) return;
  const value = prop === 'gatewaySelector' ? ingress.selector : ingress.gatewayClassName;
  throw propError(ingress.kind, ingress.path, prop, value, prop === 'gatewaySelector'
    ? `is an Istio Gateway selector, but ${backend} renders a Gateway API Gateway, whose controller deploys its own pods`
    : `is a Gateway API GatewayClass, but ${backend} renders an Istio Gateway (VirtualService routing), bound to existing ingress pods by gatewaySelector`,
  prop === 'gatewaySelector' ? 'choose the gateway with gatewayClassName instead' : 'leave gatewayClassName out, or render with new IstioSidecar({ routing: IstioRouting.GATEWAY_API })');
}

import { ApiObject, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { guardDuplicateObjects } from '../analysis/duplicate-objects';
import { mixedBackends } from '../analysis/mesh-services';
import { propError, show } from '../errors';
import { appModelOf } from '../mesh/app-model';
import type { IMeshBackend, IRendering } from '../mesh/backend';
import { Mesh } from '../mesh/mesh';
import { IMeshService, MeshService } from '../mesh-service';
import type { AppModel } from '../models/app';
import { DEFAULT_GATEWAY_SELECTOR, firstOverlap, hostsOverlap, INGRESS_KIND, IngressModel, requireExternalHost } from '../models/ingress';
import { isLabelKey, isLabelValue, PropRef, requireDns1123Label, requirePort } from '../names';
import { MeshProtocol } from '../service-ports';
import { keepJsonPatchesUnder } from '../api-object-patches';

/** Props of a MeshIngress. */
export interface MeshIngressProps {
  /** The MeshService exposed; edge requests follow its TrafficSplit (canary split, header rules) or its default route. */
  readonly service: IMeshService;
  /**
   * External hostnames clients use: lower-case DNS names, `*.example.com` wildcards allowed; no IP
   * addresses, no cluster-internal names.
   */
  readonly hosts: string[];
  /**
   * The `kubernetes.io/tls` Secret holding the certificate for the hosts. Istio Gateway
   * (VirtualService routing): it must live in the namespace of the ingress gateway pods
   * (`istio-system` for the default `istio-ingressgateway`); Gateway API: in the chart's namespace.
   * @see https://istio.io/latest/docs/tasks/traffic-management/ingress/secure-ingress/
   */
  readonly tlsSecret: string;
  /**
   * The HTTPS port of the gateway.
   * @default 443
   */
  readonly port?: number;
  /**
   * Name of the gateway object (Istio Gateway or Gateway API Gateway).
   * @default - the construct id
   */
  readonly name?: string;
  /**
   * Gateway API backends (Istio sidecar with HTTPRoute routing, Istio ambient, Linkerd): the
   * GatewayClass of the Gateway. Refused by the Istio sidecar backend with VirtualService routing.
   * @default 'istio' under Istio; required under Linkerd (it has no ingress of its own)
   * @see https://gateway-api.sigs.k8s.io/reference/spec/#gateway.networking.k8s.io/v1.GatewayClass
   */
  readonly gatewayClassName?: string;
  /**
   * Istio sidecar with VirtualService routing: the labels of the ingress gateway pods the Istio
   * Gateway configures. Refused by Gateway API backends (their controller deploys the gateway).
   * @default { istio: 'ingressgateway' }
   * @see https://istio.io/latest/docs/reference/config/networking/gateway/
   */
  readonly gatewaySelector?: { readonly [key: string]: string };
}

/**
 * North–south traffic: exposes a MeshService to clients outside the mesh under external
 * hostnames, with TLS terminated at the mesh's ingress from a Secret. The service's routing
 * applies to edge traffic too: Istio sidecar (VirtualService routing) renders an Istio `Gateway`
 * and binds the service's VirtualService to it (`gateways: [<name>, mesh]` — `mesh` keeps in-mesh
 * callers on the same rules — plus the external hosts); Gateway API backends render a Gateway API
 * `Gateway` (one HTTPS listener per host) and give the service's HTTPRoute a Gateway parentRef
 * beside its Service parentRef, and the hostnames. A single-version service gets its route too.
 * Only HTTPS is served: plain-HTTP redirects are left to the gateway installation.
 *
 * The ingress proxy calls the service with an identity of its own: an AuthorizationPolicy on the
 * exposed service must admit it (synth fails with `IngressDeniedByAuthorization` when the policy
 * admits only the app's MeshServices). Under Linkerd the gateway's pods must be meshed.
 *
 * @example
 * new MeshIngress(chart, 'frontend-ingress', { service: frontend, hosts: ['shop.example.com'], tlsSecret: 'shop-example-com-tls' });
 * @see https://istio.io/latest/docs/tasks/traffic-management/ingress/secure-ingress/
 * @see https://gateway-api.sigs.k8s.io/guides/tls/
 */
export class MeshIngress extends Construct {
  /** The service exposed. */
  public readonly service: IMeshService;
  /** The external hostnames. */
  public readonly hosts: readonly string[];
  /** Name of the gateway object. */
  public readonly name: string;
  /** Namespace of the gateway object (the chart's). */
  public readonly namespace?: string;
  /** The data plane this ingress renders for. */
  public readonly backend: IMeshBackend;

  private readonly rendering: IRendering;

  public constructor(scope: Construct, id: string, props: MeshIngressProps) {
    super(scope, id);
    guardDuplicateObjects(this);
    const ref = (prop: string): PropRef => ({ construct: INGRESS_KIND, path: this.node.path, prop });
    const fail = (prop: string, value: unknown, problem: string, fix: string) => propError(INGRESS_KIND, this.node.path, prop, value, problem, fix);
    if (!props || !MeshService.isMeshService(props.service)) {
      throw fail('service', props?.service, 'is not a MeshService', 'pass the MeshService to expose');
    }
    const service = props.service;
    this.service = service;
    this.namespace = Chart.of(this).namespace;
    this.name = requireDns1123Label(ref('name'), props.name ?? id);
    if ((service.namespace ?? '') !== (this.namespace ?? '')) {
      throw fail('service', service.serviceName, `is in namespace ${show(service.namespace)} but the ingress is in ${show(this.namespace)}, and the service's routes bind only to a gateway of their own namespace`,
        'create the MeshIngress in the chart of the service it exposes');
    }
    if (service.protocol === MeshProtocol.TCP) {
      throw fail('service', service.serviceName, `has the TCP port ${JSON.stringify(service.portName)} as its primary port, and the ingress terminates HTTPS and routes HTTP`,
        'expose an HTTP, HTTP/2 or gRPC service');
    }
    if (!Array.isArray(props.hosts) || props.hosts.length === 0) {
      throw fail('hosts', props.hosts, 'lists no hostname, so no client could reach the service', 'list the external DNS names, e.g. [\'shop.example.com\']');
    }
    const hosts = props.hosts.map((h, i) => requireExternalHost(ref(`hosts[${i}]`), h));
    const twice = hosts.findIndex((h, i) => hosts.findIndex((o) => hostsOverlap(o, h)) !== i);
    if (twice >= 0) {
      throw fail(`hosts[${twice}]`, hosts[twice], `overlaps ${JSON.stringify(hosts.find((o) => hostsOverlap(o, hosts[twice])))}, listed before it`, 'list each hostname once');
    }
    requireDns1123Subdomain(ref('tlsSecret'), props.tlsSecret);
    const port = props.port === undefined ? 443 : requirePort(ref('port'), props.port);
    if (props.gatewayClassName !== undefined) requireDns1123Subdomain(ref('gatewayClassName'), props.gatewayClassName);
    const selector = props.gatewaySelector ?? DEFAULT_GATEWAY_SELECTOR;
    const entries = Object.entries(selector ?? {});
    if (entries.length === 0 || entries.some(([k, v]) => !isLabelKey(k) || typeof v !== 'string' || !isLabelValue(v))) {
      throw fail('gatewaySelector', selector, 'is not a non-empty set of valid labels (an empty selector would configure every gateway)', 'give the ingress gateway pods\' labels, e.g. { istio: \'ingressgateway\' }');
    }
    this.hosts = hosts;
    const model: IngressModel = {
      kind: INGRESS_KIND, path: this.node.path, name: this.name, namespace: this.namespace,
      serviceName: service.serviceName, serviceNamespace: service.namespace, hosts, tlsSecret: props.tlsSecret, port,
      gatewayClassName: props.gatewayClassName, selector: { ...selector },
      given: (['gatewayClassName', 'gatewaySelector'] as const).filter((p) => props[p] !== undefined),
    };
    this.backend = Mesh._forConstruct(this, INGRESS_KIND, this.namespace);
    if (!this.backend.renderIngress) {
      throw fail('hosts', hosts, `can't be exposed by ${this.backend.name}, which has no ingress rendering`, 'render this namespace with a backend that has one (IstioSidecar, IstioAmbient, Linkerd)');
    }
    const app = appModelOf(this);
    this.rendering = this.backend.renderIngress(this, model, app);
    app.add(INGRESS_KIND, model);
    service._exposedBy(this.node.path);
    this.node.addValidation({ validate: () => [...conflictingHosts(app, model), ...unrouted(app, model, service)] });
    this.node.addValidation({ validate: () => mixedBackends(app, this.node.path, this.namespace, this.backend) });
    this.node.addValidation({ validate: () => this.rendering.validate?.() ?? [] });
    keepJsonPatchesUnder(this);
  }

  /** The gateway object the backend rendered (Istio Gateway or Gateway API Gateway). */
  public get resource(): ApiObject | undefined {
    return this.rendering.resource;
  }
}

function requireDns1123Subdomain(ref: PropRef, value: string): string {
  if (typeof value !== 'string' || value.length > 253 || !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(value)) {
    throw propError(ref.construct, ref.path, ref.prop, value, 'is not a Kubernetes object name (a DNS-1123 subdomain)', 'use lower-case letters, digits, \'-\' and \'.\', e.g. "shop-example-com-tls"');
  }
  return value;
}

/** Two ingresses for one external host: their gateways and routes conflict (IST0109-style, and Gateway API listener conflicts). */
function conflictingHosts(app: AppModel, model: IngressModel): string[] {
  const out: string[] = [];
  model.hosts.forEach((h, i) => {
    const first = firstOverlap(app, h);
    if (!first || first.ingress === model) return;
    out.push(`IST0109 ConflictingMeshGatewayVirtualServiceHosts: ${propError(INGRESS_KIND, model.path, `hosts[${i}]`, h,
      `is also exposed by '${first.ingress.path}' (host ${JSON.stringify(first.host)}, service ${JSON.stringify(first.ingress.serviceName)}): two gateways and routes for one host conflict, and which one answers is undefined`,
      'expose the host from one MeshIngress only (list several services\' routes under distinct hosts)').message}`);
  });
  return out;
}

/** Edge traffic needs a route in the ingress's namespace: a TrafficSplit there, or the service's default route. */
function unrouted(app: AppModel, model: IngressModel, service: MeshService): string[] {
  const routings = app.routingsByHost().get(`${model.serviceName}.${model.serviceNamespace ?? 'default'}`) ?? [];
  const elsewhere = routings.find((r) => (r.namespace ?? '') !== (model.namespace ?? ''));
  if (elsewhere) {
    return [propError(INGRESS_KIND, model.path, 'service', model.serviceName,
      `is routed by '${elsewhere.path}' in namespace ${show(elsewhere.namespace)}, whose route can't bind to this ingress's gateway in ${show(model.namespace)}: edge requests would follow no rule`,
      'create the TrafficSplit in the chart of the service and its MeshIngress').message];
  }
  if (routings.length > 0 || service.node.tryFindChild('DefaultRoute')) return [];
  return [propError(INGRESS_KIND, model.path, 'service', model.serviceName,
    'has no route the gateway could bind to: no TrafficSplit routes it and its routeToDefaultVersion is false, so edge requests would get 404',
    `route the service with a TrafficSplit, or drop routeToDefaultVersion: false on '${service.node.path}'`).message];
}

// The Istio sidecar data plane: namespace injection, DestinationRule subsets + VirtualService (or
// Gateway API HTTPRoute) routing, PeerAuthentication, AuthorizationPolicy, metrics merging on the
// sidecar's :15020, Telemetry — and the istioctl-analyze (IST) checks on them.
import { Construct } from 'constructs';
import type {
  IMeshBackend, IRendering, IRoutingRendering, IServiceRendering, NamespaceMetadata, NamespaceModel, RoutingInput, WorkloadDialect,
} from '../../mesh/backend';
import { propError } from '../../errors';
import type { AppModel } from '../../models/app';
import type { AuthorizationModel } from '../../models/authorization';
import type { MtlsPolicyModel } from '../../models/mtls';
import type { MonitorModel, ScrapeEndpointModel, SloModel, TelemetryModel } from '../../models/observability';
import type { ProtocolModel, ServiceModel } from '../../models/service';
import { createGatewayApiGateway, ISTIO_SIDECAR_GATEWAY_API, renderGatewayApiRoute } from '../gateway-api';
import { createIstioGateway } from './ingress-gateway';
import { createEgressSidecar } from './egress-sidecar';
import { createExternalRoutes, createServiceEntry } from '../istio-common/service-entry';
import type { EgressModel, ExternalServiceModel } from '../../models/egress';
import type { IngressModel } from '../../models/ingress';
import { refuseGatewayProp } from '../../models/ingress';
import { ingressDeniedByAuthorization } from '../../models/ingress-authorization';
import { createMonitor } from '../prometheus/monitor';
import { createPrometheusRule } from '../prometheus/slo-rule';
import { createAuthorizationPolicy } from '../istio-common/authorization-policy';
import { createRequestAuthentication, selectorPlacement } from '../istio-common/request-authentication';
import type { RequestAuthenticationModel } from '../../models/request-authentication';
import { checkClientTls, createDestinationRule, needsVersionDestinationRule } from './destination-rule';
import { versionObjectName } from '../../models/service';
import { hasResilience } from '../../models/resilience';
import { analyzeResilience } from '../istio-common/resilience-analysis';
import { ISTIO_MERGED_METRICS_PATH, ISTIO_MERGED_METRICS_PORT, metricsMergeAnnotations } from './metrics-merge';
import { checkSinglePolicyPerScope, createPeerAuthentication } from '../istio-common/peer-authentication';
import { identitiesWithoutMtls, plaintextScrapeUnderStrict } from './policy-analysis';
import { analyzeRouting } from './routing-analysis';
import { analyzeTelemetry, createTelemetry } from '../istio-common/telemetry';
import { createVirtualService } from './virtual-service';

/** Which API Istio sidecars are given their routing in. */
export enum IstioRouting {
  /** `networking.istio.io/v1` VirtualService + DestinationRule subsets (the classic API). */
  VIRTUAL_SERVICE = 'VirtualService',
  /**
   * `gateway.networking.k8s.io/v1` HTTPRoute attached to the Service (GAMMA, stable since Istio
   * 1.22), routing to one Service per version; no subsets.
   * @see https://istio.io/latest/docs/tasks/traffic-management/request-routing/
   */
  GATEWAY_API = 'HTTPRoute',
}

/** Props of the Istio sidecar backend. */
export interface IstioSidecarProps {
  /**
   * The routing API TrafficSplits render to. Never both for one host: Istio turns each HTTPRoute
   * into an internal VirtualService.
   * @default IstioRouting.VIRTUAL_SERVICE
   */
  readonly routing?: IstioRouting;
}

const INJECTION = 'istio-injection';
const REVISION = 'istio.io/rev';

/**
 * Istio in sidecar mode: every pod gets an Envoy sidecar (namespace label `istio-injection:
 * enabled`, or `istio.io/rev`), routing is a VirtualService over DestinationRule subsets — or, with
 * `routing: IstioRouting.GATEWAY_API`, an HTTPRoute over per-version Services.
 *
 * @example
 * Mesh.use(chart, new IstioSidecar({ routing: IstioRouting.GATEWAY_API }));
 * @see https://istio.io/latest/docs/ops/deployment/architecture/
 */
export class IstioSidecar implements IMeshBackend {
  public readonly id: string;
  public readonly name: string;
  /** The routing API used. */
  public readonly routing: IstioRouting;
  public readonly workload: WorkloadDialect;

  public constructor(props: IstioSidecarProps = {}) {
    this.routing = props.routing ?? IstioRouting.VIRTUAL_SERVICE;
    if (!Object.values(IstioRouting).includes(this.routing)) {
      throw propError('IstioSidecar', '(backend)', 'routing', this.routing, 'is not a routing API', 'use IstioRouting.VIRTUAL_SERVICE or IstioRouting.GATEWAY_API');
    }
    const gatewayApi = this.routing === IstioRouting.GATEWAY_API;
    // One routing API per namespace: a VirtualService and an HTTPRoute must never route one host,
    // and Gateway API routes need the per-version Services only this mode's MeshServices emit.
    this.id = gatewayApi ? 'istio-sidecar-gateway-api' : 'istio-sidecar';
    this.name = gatewayApi ? 'Istio sidecar (Gateway API routing)' : 'Istio sidecar';
    this.workload = {
      // Istio reads appProtocol before the port name; `http2` and `grpc` are its own values.
      appProtocol: (protocol: ProtocolModel) => protocol,
      podAnnotations: (svc: ServiceModel) => (svc.metrics ? metricsMergeAnnotations(svc.metrics) : {}),
      versionServices: gatewayApi,
    };
  }

  public namespaceMetadata(model: NamespaceModel): NamespaceMetadata {
    return {
      labels: model.revision !== undefined ? { [REVISION]: model.revision } : { [INJECTION]: 'enabled' },
      managedLabels: [INJECTION, REVISION].map((key) => ({
        key,
        why: 'is managed by MeshNamespace (both injection labels at once is IST0123 NamespaceMultipleInjectionLabels)',
        fix: 'use the `revision` prop to choose a revision',
      })),
    };
  }

  public renderService(scope: Construct, svc: ServiceModel, app: AppModel): IServiceRendering {
    const virtualService = this.routing === IstioRouting.VIRTUAL_SERVICE;
    const resource = virtualService || svc.tls || hasResilience(svc.resilience)
      ? createDestinationRule(scope, 'DestinationRule', app, svc, svc.serviceName, virtualService)
      : undefined;
    return {
      resource,
      // Gateway API routing sends traffic to the per-version Services: their hosts carry the policy.
      versionAdded: virtualService ? undefined : (version) => {
        if (!needsVersionDestinationRule(svc, version)) return;
        createDestinationRule(scope, `DestinationRule-${version.name}`, app, svc, versionObjectName(svc.serviceName, version.name), false, version);
      },
      validate: () => [...checkClientTls(app, svc), ...analyzeResilience(app, svc, this.name)],
    };
  }

  public renderRouting(scope: Construct, routing: RoutingInput, app: AppModel): IRoutingRendering {
    if (this.routing === IstioRouting.GATEWAY_API) return renderGatewayApiRoute(scope, routing, app, ISTIO_SIDECAR_GATEWAY_API);
    return {
      resource: createVirtualService(scope, routing),
      validate: () => analyzeRouting(routing, app),
    };
  }

  public renderMtlsPolicy(scope: Construct, policy: MtlsPolicyModel, app: AppModel): IRendering {
    return { resource: createPeerAuthentication(scope, policy), validate: () => checkSinglePolicyPerScope(app, policy) };
  }

  public renderAuthorization(scope: Construct, policy: AuthorizationModel, app: AppModel): IRendering {
    return { resource: createAuthorizationPolicy(scope, policy), validate: () => identitiesWithoutMtls(app, policy) };
  }

  /**
   * VirtualService routing: an Istio Gateway on the ingress gateway pods (`gatewaySelector`);
   * Gateway API routing: a Gateway API Gateway of class `gatewayClassName` (default `istio`).
   */
  public renderIngress(scope: Construct, ingress: IngressModel, app: AppModel): IRendering {
    if (this.routing === IstioRouting.GATEWAY_API) {
      refuseGatewayProp(ingress, 'gatewaySelector', this.name);
      const gatewayClass = ingress.gatewayClassName ?? 'istio';
      // Istio deploys a Gateway API Gateway's proxy beside it, as ServiceAccount <name>-<class>.
      const identity = { namespace: ingress.namespace ?? 'default', serviceAccount: `${ingress.name}-${gatewayClass}` };
      return {
        resource: createGatewayApiGateway(scope, ingress, gatewayClass),
        validate: () => ingressDeniedByAuthorization(ingress, app, {
          backend: this.name, identity,
          fix: `Caller.serviceAccount(${JSON.stringify(identity.namespace)}, ${JSON.stringify(identity.serviceAccount)}) (the ServiceAccount Istio deploys the Gateway's proxy with: <Gateway name>-<GatewayClass name>)`,
        }),
      };
    }
    refuseGatewayProp(ingress, 'gatewayClassName', this.name);
    const selector = Object.entries(ingress.selector).map(([k, v]) => `${k}=${v}`).join(',');
    return {
      resource: createIstioGateway(scope, ingress),
      validate: () => ingressDeniedByAuthorization(ingress, app, {
        backend: this.name,
        fix: `Caller.serviceAccount(<namespace>, <name>) of the ingress gateway pods (${selector}; istioctl's default gateway runs as 'istio-ingressgateway-service-account' in 'istio-system')`,
      }),
    };
  }

  /** A ServiceEntry, and a VirtualService per host for timeouts/retries. */
  public renderExternalService(scope: Construct, svc: ExternalServiceModel): IRendering {
    const resource = createServiceEntry(scope, svc);
    createExternalRoutes(scope, svc);
    return { resource };
  }

  /** The namespace's default Sidecar: the declared egress hosts, REGISTRY_ONLY. */
  public renderEgress(scope: Construct, egress: EgressModel): IRendering {
    return { resource: createEgressSidecar(scope, egress) };
  }

  /** A RequestAuthentication with the service's `app` selector, enforced by its sidecars. */
  public renderRequestAuthentication(scope: Construct, policy: RequestAuthenticationModel): IRendering {
    const placement = selectorPlacement(policy.serviceName);
    return { resource: createRequestAuthentication(scope, policy, () => placement) };
  }

  public scrapeEndpoint(monitor: Omit<MonitorModel, 'kind'>): ScrapeEndpointModel {
    const metrics = monitor.service.metrics!;
    return monitor.scrape === 'istio-merged'
      ? { port: ISTIO_MERGED_METRICS_PORT, path: ISTIO_MERGED_METRICS_PATH }
      : { port: metrics.port, path: metrics.path };
  }

  public renderMonitor(scope: Construct, monitor: MonitorModel, endpoint: ScrapeEndpointModel, app: AppModel): IRendering {
    return { resource: createMonitor(scope, monitor, endpoint), validate: () => plaintextScrapeUnderStrict(app, monitor, endpoint) };
  }

  public renderSlo(scope: Construct, slo: SloModel): IRendering {
    return { resource: createPrometheusRule(scope, slo) };
  }

  public renderTelemetry(scope: Construct, telemetry: TelemetryModel, app: AppModel): IRendering {
    return { resource: createTelemetry(scope, telemetry), validate: () => analyzeTelemetry(app, telemetry) };
  }
}

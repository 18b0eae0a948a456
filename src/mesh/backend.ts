// The seam between constructs and data planes. Constructs build plain models (src/models/) and
// hand them to the backend of their chart; a backend (src/backends/<data plane>/) turns them into
// typed objects and supplies its own analysis. Constructs only ever see this interface, so a new
// data plane is a new folder implementing it — no construct changes.
import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import type { AppModel } from '../models/app';
import type { AuthorizationModel, AuthorizationRuleModel } from '../models/authorization';
import type { MtlsPolicyModel } from '../models/mtls';
import type { MonitorModel, ScrapeEndpointModel, SloModel, TelemetryModel } from '../models/observability';
import type { EgressModel, ExternalServiceModel } from '../models/egress';
import type { IngressModel } from '../models/ingress';
import type { RequestAuthenticationModel } from '../models/request-authentication';
import type { RoutingModel, RuleModel } from '../models/routing';
import type { ProtocolModel, ServiceModel, ServiceRef, VersionModel } from '../models/service';

/** What a backend made for one construct, and the hooks the construct calls later. */
export interface IRendering {
  /** The main object (the construct's `'Resource'`), if the backend made one. */
  readonly resource?: ApiObject;
  /** Synth-time checks that need the whole app; messages name the construct and prop. */
  validate?(): string[];
}

/** What a backend made for a MeshService. */
export interface IServiceRendering extends IRendering {
  /** Called after a version's Deployment was created (per-version Services, subsets, …). */
  versionAdded?(version: VersionModel): void;
}

/** What a backend made for a TrafficSplit. */
export interface IRoutingRendering extends IRendering {
  /** Called when a rule is added (throws for rules the data plane can't express). */
  ruleAdded?(rule: RuleModel): void;
}

/** What a backend made for an AuthorizationPolicy. */
export interface IAuthorizationRendering extends IRendering {
  /** Called when an allow()/deny() rule is added (throws for rules the data plane can't express). */
  ruleAdded?(rule: AuthorizationRuleModel): void;
}

/** How a data plane wants a MeshService's Kubernetes workloads written. */
export interface WorkloadDialect {
  /** The Service port's `appProtocol` for a protocol. */
  appProtocol(protocol: ProtocolModel): string;
  /** Pod template annotations a version's pods get (besides the package's own). */
  podAnnotations(service: ServiceModel): { [key: string]: string };
  /** True if routing targets Services (Gateway API): MeshService then emits `<service>-<version>` Services. */
  readonly versionServices: boolean;
  /**
   * Annotations of the service's own Service (the one selecting every version), e.g. Linkerd's
   * failure accrual; throws for props the data plane can't express. Backends that need none
   * leave it out.
   * @default - no annotations
   */
  serviceAnnotations?(service: ServiceModel): { [key: string]: string };
}

/** What a MeshNamespace asks of the backend. */
export interface NamespaceModel {
  readonly path: string;
  readonly name: string;
  /** An Istio revision, if the user chose one. */
  readonly revision?: string;
  /** True if Pod Security is to be enforced (not only warned and audited). */
  readonly enforcePodSecurity: boolean;
}

/** The mesh labels and annotations of a Namespace. */
export interface NamespaceMetadata {
  readonly labels: { [key: string]: string };
  readonly annotations?: { [key: string]: string };
  /** Label keys the backend manages (the user may not set them), with why and what to use instead. */
  readonly managedLabels: ReadonlyArray<{ readonly key: string; readonly why: string; readonly fix: string }>;
}

/** A TrafficSplit, as the backend sees it. */
export interface RoutingInput {
  /** Construct id of the main routing object under the scope. @default 'Resource' */
  readonly id?: string;
  readonly path: string;
  readonly kind: string;
  readonly service: ServiceRef;
  /** The current routing model (rules added later included). */
  model(): RoutingModel;
}

/** A data plane: renders the models for one chart/namespace. */
export interface IMeshBackend {
  /** Stable id (`istio-sidecar`); two backends with different ids may not share a namespace. */
  readonly id: string;
  /** Human name for messages (`Istio sidecar`). */
  readonly name: string;
  /** How MeshService writes its workloads. */
  readonly workload: WorkloadDialect;
  /**
   * The Namespace's mesh labels/annotations; throws for props the data plane can't honour. `app`
   * (optional, for values that depend on policies declared later) is the namespace's app model.
   */
  namespaceMetadata(model: NamespaceModel, app?: AppModel): NamespaceMetadata;
  /**
   * Whether MeshNamespace enforces Pod Security (not only warns and audits) when
   * `enforcePodSecurity` is unset: true where the data plane adds no privileged init container.
   * @default false
   */
  readonly enforcesPodSecurityByDefault?: boolean;
  /**
   * Namespace-level objects of the data plane besides the Namespace (e.g. an ambient waypoint),
   * created under the MeshNamespace `scope`. Optional: backends without any leave it out.
   */
  renderNamespace?(scope: Construct, namespace: NamespaceModel, app: AppModel): IRendering;
  /** Mesh objects of a MeshService (e.g. a DestinationRule), created under `scope`. */
  renderService(scope: Construct, service: ServiceModel, app: AppModel): IServiceRendering;
  /** Routing objects of a TrafficSplit, created under `scope` (the main one with id 'Resource'). */
  renderRouting(scope: Construct, routing: RoutingInput, app: AppModel): IRoutingRendering;
  /** The data plane's form of a PeerAuthentication. */
  renderMtlsPolicy(scope: Construct, policy: MtlsPolicyModel, app: AppModel): IRendering;
  /** The data plane's form of an AuthorizationPolicy. */
  renderAuthorization(scope: Construct, policy: AuthorizationModel, app: AppModel): IAuthorizationRendering;
  /**
   * The ingress gateway object of a MeshIngress (Istio Gateway, or Gateway API Gateway); routing
   * renderers bind the service's routes to it through `RoutingModel.edges`. Throws for props the
   * data plane can't honour. Optional: a backend without it refuses MeshIngress, naming itself.
   */
  renderIngress?(scope: Construct, ingress: IngressModel, app: AppModel): IRendering;
  /**
   * The data plane's registry entry for an external dependency (Istio: ServiceEntry, and a
   * VirtualService per host for timeouts/retries); throws for what it can't honour. Optional: a
   * backend without it refuses ExternalService, naming itself.
   */
  renderExternalService?(scope: Construct, service: ExternalServiceModel, app: AppModel): IRendering;
  /**
   * The namespace's restriction of outbound traffic to declared hosts (Istio: a Sidecar with
   * REGISTRY_ONLY). Optional: a backend without it refuses MeshEgress, naming itself.
   */
  renderEgress?(scope: Construct, egress: EgressModel, app: AppModel): IRendering;
  /**
   * The data plane's form of a RequestAuthentication (JWT validation, plus the "require a token"
   * deny rule when `requireToken`); throws if it has none. Optional: a backend without it refuses
   * RequestAuthentication with a message naming it.
   */
  renderRequestAuthentication?(scope: Construct, policy: RequestAuthenticationModel, app: AppModel): IRendering;
  /** Where a monitor scrapes a service's pods under this data plane; throws if it can't work. */
  scrapeEndpoint(monitor: Omit<MonitorModel, 'kind'>): ScrapeEndpointModel;
  /** The PodMonitor/ServiceMonitor of a MeshMonitor. */
  renderMonitor(scope: Construct, monitor: MonitorModel, endpoint: ScrapeEndpointModel, app: AppModel): IRendering;
  /** The PrometheusRule of a ServiceLevelObjectives. */
  renderSlo(scope: Construct, slo: SloModel, app: AppModel): IRendering;
  /** Data-plane objects a MeshTelemetry renders to; throws if the data plane has no equivalent. */
  renderTelemetry(scope: Construct, telemetry: TelemetryModel, app: AppModel): IRendering;
}


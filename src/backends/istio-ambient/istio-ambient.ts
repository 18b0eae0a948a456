// The Istio ambient data plane: no sidecars. ztunnel (per node) gives every pod of a namespace
// labelled `istio.io/dataplane-mode: ambient` mTLS (HBONE) and L4 authorization; a waypoint
// (Envoy, a Gateway of class istio-waypoint) enforces L7 routing (HTTPRoute only) and targetRefs
// AuthorizationPolicies for the Services of namespaces labelled `istio.io/use-waypoint`.
import { ApiObject, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { Telemetry } from '../../../imports/telemetry.istio.io';
import { propError } from '../../errors';
import type {
  IMeshBackend, IRendering, IRoutingRendering, IServiceRendering, NamespaceMetadata, NamespaceModel, RoutingInput, WorkloadDialect,
} from '../../mesh/backend';
import type { AppModel } from '../../models/app';
import type { AuthorizationModel, IdentityModel } from '../../models/authorization';
import type { MtlsPolicyModel } from '../../models/mtls';
import type { MonitorModel, ScrapeEndpointModel, SloModel, TelemetryModel } from '../../models/observability';
import { effectiveResilience, firstDeclaredGroup, hasResilience, ResilienceModel, serviceResilience } from '../../models/resilience';
import { ProtocolModel, ServiceModel, serviceLabels, versionObjectName } from '../../models/service';
import { analyzeResilience } from '../istio-common/resilience-analysis';
import { createResilienceDestinationRule, isEmptyResilience } from '../istio-common/traffic-policy';
import { requireDns1123Label } from '../../names';
import { createMonitor } from '../prometheus/monitor';
import { createPrometheusRule } from '../prometheus/slo-rule';
import { checkSinglePolicyPerScope, createPeerAuthentication } from '../istio-common/peer-authentication';
import { analyzeTelemetry, telemetryProviders } from '../istio-common/telemetry';
import { renderAmbientAuthorization, targetRefs } from './authorization';
import { createRequestAuthentication } from '../istio-common/request-authentication';
import { createGatewayApiGateway } from '../gateway-api';
import { createServiceEntry } from '../istio-common/service-entry';
import type { EgressModel, ExternalServiceModel } from '../../models/egress';
import { IngressModel, refuseGatewayProp } from '../../models/ingress';
import type { RequestAuthenticationModel } from '../../models/request-authentication';
import { ambientMtlsProblems } from './mtls';
import { renderAmbientRoute } from './routing';
import { AMBIENT_NAMESPACE, AmbientNamespaceModel, createWaypointGateway, missingWaypoint, Waypoint, waypointCollisions } from './waypoint';

/** The identity a Prometheus enrolled in the mesh scrapes with. */
export interface ScraperIdentity {
  /** Namespace of Prometheus's pods. */
  readonly namespace: string;
  /** Their ServiceAccount. */
  readonly serviceAccount: string;
}

/**
 * Istio's sample Prometheus (`samples/addons/prometheus.yaml`): ServiceAccount `prometheus` in
 * `istio-system`.
 */
export const ISTIO_SAMPLE_PROMETHEUS: ScraperIdentity = { namespace: 'istio-system', serviceAccount: 'prometheus' };

/** Props of the Istio ambient backend. */
export interface IstioAmbientProps {
  /**
   * The waypoint of each namespace (L7 routing and authorization).
   * @default Waypoint.perNamespace() - a Gateway `waypoint` created with each MeshNamespace
   */
  readonly waypoint?: Waypoint;
  /**
   * Who scrapes the services' metrics. Ambient has no metrics merging: Prometheus, enrolled in the
   * mesh (its namespace labelled `istio.io/dataplane-mode: ambient`), scrapes the application's
   * metrics port over ztunnel mTLS, which STRICT accepts; where an AuthorizationPolicy protects a
   * service, its ztunnel policy admits this identity on the metrics port.
   * @default ISTIO_SAMPLE_PROMETHEUS - `istio-system/prometheus`
   * @see https://istio.io/latest/docs/ops/integrations/prometheus/
   */
  readonly scraper?: ScraperIdentity;
}

/**
 * Istio in ambient mode: no sidecars; ztunnel for mTLS and L4 policy, a waypoint per namespace
 * for HTTPRoute routing over per-version Services and L7 authorization.
 *
 * @example
 * Mesh.use(chart, new IstioAmbient());
 * @see https://istio.io/latest/docs/ambient/overview/
 */
export class IstioAmbient implements IMeshBackend {
  public readonly id = 'istio-ambient';
  public readonly name = 'Istio ambient';
  public readonly workload: WorkloadDialect;
  /**
   * Not enforced by default: ambient app pods have no istio-init container and meet `restricted`,
   * but the waypoint pods istiod creates only set a seccompProfile when istiod is installed with
   * `gateways.seccompProfile` (istio/istio#51826): on a default install an enforced `restricted`
   * namespace rejects its own waypoint. Set `enforcePodSecurity: true` once istiod sets it.
   */
  public readonly enforcesPodSecurityByDefault = false;
  /** The waypoint configuration. */
  public readonly waypoint: Waypoint;
  /** The scraper's identity. */
  public readonly scraper: ScraperIdentity;

  public constructor(props: IstioAmbientProps = {}) {
    this.waypoint = props.waypoint ?? Waypoint.perNamespace();
    if (!(this.waypoint instanceof Waypoint)) {
      throw propError('IstioAmbient', '(backend)', 'waypoint', this.waypoint, 'is not a Waypoint', 'use Waypoint.perNamespace({ name }) or Waypoint.none()');
    }
    const scraper = props.scraper ?? ISTIO_SAMPLE_PROMETHEUS;
    const ref = (prop: string) => ({ construct: 'IstioAmbient', path: '(backend)', prop: `scraper.${prop}` });
    this.scraper = { namespace: requireDns1123Label(ref('namespace'), scraper?.namespace), serviceAccount: requireDns1123Label(ref('serviceAccount'), scraper?.serviceAccount) };
    this.workload = {
      // Istio reads appProtocol before the port name; `http2` and `grpc` are its own values.
      appProtocol: (protocol: ProtocolModel) => protocol,
      // No sidecar, so no metrics-merging annotations: MeshMonitor scrapes the app's port.
      podAnnotations: () => ({}),
      versionServices: true,
    };
  }

  public namespaceMetadata(model: NamespaceModel): NamespaceMetadata {
    const waypoint = this.waypoint.name;
    if (model.revision !== undefined && waypoint === undefined) {
      throw propError('MeshNamespace', model.path, 'revision', model.revision,
        `has nothing to select under ${this.name} without a waypoint: ztunnel is not revisioned, and on the namespace istio.io/rev would make that revision's injector add sidecars`,
        'drop `revision`, or use a waypoint (its Gateway gets the istio.io/rev label)');
    }
    const managed = (key: string, why: string, fix: string) => ({ key, why, fix });
    return {
      labels: { 'istio.io/dataplane-mode': 'ambient', ...(waypoint !== undefined ? { 'istio.io/use-waypoint': waypoint } : {}) },
      managedLabels: [
        managed('istio.io/dataplane-mode', `is set by MeshNamespace under ${this.name}`, 'leave it to the backend'),
        managed('istio.io/use-waypoint', `is set by MeshNamespace under ${this.name} (the namespace's waypoint)`, 'configure it with new IstioAmbient({ waypoint: Waypoint.perNamespace({ name }) })'),
        managed('istio-injection', `would inject sidecars into the pods of an ambient namespace (${this.name} runs without them)`, 'leave it out'),
        managed('istio.io/rev', `would make that revision's injector add sidecars to the pods of an ambient namespace`, 'use the `revision` prop: under ambient it labels the waypoint Gateway'),
      ],
    };
  }

  public renderNamespace(scope: Construct, ns: NamespaceModel, app: AppModel): IRendering {
    const model: AmbientNamespaceModel = { path: ns.path, name: ns.name, waypoint: this.waypoint.name };
    app.add(AMBIENT_NAMESPACE, model);
    const resource = model.waypoint !== undefined ? createWaypointGateway(scope, ns, model.waypoint) : undefined;
    return { resource, validate: () => waypointCollisions(app, model, this.name) };
  }

  /**
   * Mesh objects of a MeshService: under ambient only for `resilience`, a DestinationRule traffic
   * policy per host (the apex and each version's Service) that the waypoint, an Envoy, applies to
   * the traffic it routes. Refused without a waypoint (ztunnel is L4 and applies no DestinationRule).
   */
  public renderService(scope: Construct, svc: ServiceModel, app: AppModel): IServiceRendering {
    this.refuseTls(svc);
    const requireWaypoint = (prop: string, model: ResilienceModel | undefined) => {
      const first = firstDeclaredGroup(model);
      if (this.waypoint.name !== undefined || !first) return;
      throw propError('MeshService', svc.path, `${prop}.${first.group}`, first.value,
        `needs a waypoint under ${this.name}: connection pool, outlier detection and load balancing are DestinationRule traffic policy that only the waypoint (Envoy) applies, and ztunnel (L4) ignores it`,
        'use new IstioAmbient({ waypoint: Waypoint.perNamespace() }) (the default), or drop `resilience`');
    };
    const labels = serviceLabels(svc);
    let resource: ApiObject | undefined;
    if (hasResilience(svc.resilience)) {
      requireWaypoint('resilience', svc.resilience);
      resource = createResilienceDestinationRule(scope, 'DestinationRule', svc.serviceName, labels, () => serviceResilience(svc.resilience));
    }
    return {
      resource,
      versionAdded: (v) => {
        if (isEmptyResilience(effectiveResilience(svc.resilience, v.resilience))) return;
        if (hasResilience(v.resilience)) requireWaypoint(`${v.prop}.resilience`, v.resilience);
        const host = versionObjectName(svc.serviceName, v.name);
        createResilienceDestinationRule(scope, `DestinationRule-${v.name}`, host, { ...labels, 'app.kubernetes.io/version': v.name },
          () => effectiveResilience(svc.resilience, v.resilience));
      },
      validate: () => analyzeResilience(app, svc, this.name),
    };
  }

  private refuseTls(svc: ServiceModel): void {
    if (svc.tls) {
      throw propError('MeshService', svc.path, 'tls', svc.tls.mode,
        `is client TLS for callers' sidecars (a DestinationRule), but ${this.name} has no sidecars: ztunnel always connects ambient workloads with mTLS (HBONE)`,
        'remove `tls` (mTLS is always on), or use the Istio sidecar backend for TLS origination');
    }
  }

  public renderRouting(scope: Construct, routing: RoutingInput, app: AppModel): IRoutingRendering {
    return renderAmbientRoute(scope, routing, app, this.waypoint.name);
  }

  public renderMtlsPolicy(scope: Construct, policy: MtlsPolicyModel, app: AppModel): IRendering {
    const now = ambientMtlsProblems(policy, this.name);
    if (now.length > 0) throw new Error(now[0]);
    return {
      resource: createPeerAuthentication(scope, policy),
      // Port-level modes may be added after construction.
      validate: () => [...ambientMtlsProblems(policy, this.name), ...checkSinglePolicyPerScope(app, policy)],
    };
  }

  public renderAuthorization(scope: Construct, policy: AuthorizationModel, app: AppModel): IRendering {
    const scraper: IdentityModel = this.scraper;
    return renderAmbientAuthorization(scope, policy, app, { backendName: this.name, waypoint: this.waypoint.name, scraper });
  }

  /** A Gateway API Gateway of class `gatewayClassName` (default `istio`): Istio deploys the ingress proxy for it. */
  public renderIngress(scope: Construct, ingress: IngressModel, app: AppModel): IRendering {
    refuseGatewayProp(ingress, 'gatewaySelector', this.name);
    if (ingress.name === this.waypoint.name) {
      throw propError(ingress.kind, ingress.path, 'name', ingress.name, `is the name of the namespace's waypoint (${this.name}): both are Gateways, and one would overwrite the other`,
        `name the ingress differently, e.g. ${JSON.stringify(`${ingress.serviceName}-ingress`)}`);
    }
    return {
      resource: createGatewayApiGateway(scope, ingress, ingress.gatewayClassName ?? 'istio'),
      validate: () => {
        // The ingress proxy routes itself and reaches the pods through ztunnel, which (under a
        // waypoint-attached AuthorizationPolicy) admits only the waypoint: edge requests would be denied.
        const locked = this.waypoint.name !== undefined && app.authorizations.find((a) => !a.denyAll && a.namespace === ingress.namespace
          && (a.serviceName === undefined || a.serviceName === ingress.serviceName));
        return locked ? [`IstioAmbient IngressDeniedByZtunnel: ${propError(ingress.kind, ingress.path, 'service', ingress.serviceName,
          `is protected by AuthorizationPolicy '${locked.path}', whose ztunnel policy admits only the waypoint, but ${this.name}'s ingress proxy sends edge requests to the pods directly: every one would be denied`,
          'expose a service without an AuthorizationPolicy under ambient, or use the Istio sidecar backend for this namespace (and allow the ingress gateway\'s identity on the policy)').message}`] : [];
      },
    };
  }

  /** A ServiceEntry (ztunnel reaches it); timeouts and retries need a waypoint for the ServiceEntry, which this backend does not render: refused. */
  public renderExternalService(scope: Construct, svc: ExternalServiceModel): IRendering {
    if (svc.timeoutMs !== undefined || svc.retries) {
      throw propError(svc.kind, svc.path, svc.timeoutMs !== undefined ? 'timeout' : 'retries', svc.timeoutMs !== undefined ? `${svc.timeoutMs}ms` : svc.retries,
        `can't be applied by ${this.name}: ztunnel is L4 only, and HTTP policies toward a ServiceEntry need a waypoint bound to it (istio.io/use-waypoint), which this package does not render`,
        'drop timeout and retries (set them in the client), or use the Istio sidecar backend');
    }
    return { resource: createServiceEntry(scope, svc) };
  }

  /** Refused: ambient pods have no sidecar to read a Sidecar resource. */
  public renderEgress(_scope: Construct, egress: EgressModel): IRendering {
    throw propError(egress.kind, egress.path, 'destinations', egress.destinations,
      `can't be enforced by ${this.name}: the Sidecar resource (egress hosts, REGISTRY_ONLY) configures sidecars, and ambient pods have none`,
      'restrict egress with an egress gateway or a NetworkPolicy, or use the Istio sidecar backend for this namespace');
  }

  /**
   * JWTs are validated by the waypoint (L7): the RequestAuthentication (and its require-token
   * policy) is attached to it with targetRefs; refused with `Waypoint.none()` (ztunnel can't read tokens).
   */
  public renderRequestAuthentication(scope: Construct, policy: RequestAuthenticationModel, app: AppModel): IRendering {
    const waypoint = this.waypoint.name;
    if (waypoint === undefined) {
      throw propError(policy.kind, policy.path, 'issuers', policy.issuers.map((i) => i.issuer),
        `can't be validated by ${this.name} without a waypoint (Waypoint.none()): ztunnel is L4 only and never sees a token`,
        'use a waypoint (new IstioAmbient() has one per namespace) for the namespace of this RequestAuthentication');
    }
    return {
      resource: createRequestAuthentication(scope, policy, () => ({ targetRefs: targetRefs(policy, app, waypoint) })),
      validate: () => {
        const why = missingWaypoint(app, policy.namespace, waypoint);
        return why ? [`IstioAmbient NoWaypoint: ${propError(policy.kind, policy.path, policy.serviceName === undefined ? 'name' : 'service', policy.serviceName ?? policy.name,
          `is attached to the waypoint (targetRefs) for it to validate tokens, but ${why}: nothing would validate them`,
          `add new MeshNamespace(chart, 'namespace') for namespace ${JSON.stringify(policy.namespace ?? '(none)')} with this backend`).message}`] : [];
      },
    };
  }

  /**
   * No metrics merging in ambient: both ScrapeTargets scrape the application's own endpoint (the
   * default ISTIO_MERGED meaning "the data plane's default path"), which works under STRICT for a
   * Prometheus enrolled in the mesh (see `scraper`).
   */
  public scrapeEndpoint(monitor: Omit<MonitorModel, 'kind'>): ScrapeEndpointModel {
    const metrics = monitor.service.metrics!;
    return { port: metrics.port, path: metrics.path };
  }

  public renderMonitor(scope: Construct, monitor: MonitorModel, endpoint: ScrapeEndpointModel): IRendering {
    return { resource: createMonitor(scope, monitor, endpoint) };
  }

  public renderSlo(scope: Construct, slo: SloModel): IRendering {
    return { resource: createPrometheusRule(scope, slo) };
  }

  /**
   * Namespace-wide: a selector-less Telemetry (ztunnel and the waypoint). For one service: attached
   * to its Services with `targetRefs` (the waypoint serves them; a selector would only reach ztunnel).
   */
  public renderTelemetry(scope: Construct, telemetry: TelemetryModel, app: AppModel): IRendering {
    const resource = new Telemetry(scope, 'Resource', {
      metadata: { name: telemetry.name },
      spec: Lazy.any({
        produce: () => ({
          targetRefs: telemetry.serviceName === undefined ? undefined : telemetryTargets(app, telemetry),
          ...telemetryProviders(telemetry),
        }),
      }),
    });
    return { resource, validate: () => analyzeTelemetry(app, telemetry) };
  }
}

function telemetryTargets(app: AppModel, t: TelemetryModel): Array<{ group: string; kind: string; name: string }> {
  const service = app.servicesByName().get(`${t.namespace ?? ''}|${t.serviceName}`)?.[0];
  const names = [t.serviceName!, ...(service?.versions ?? []).map((v) => versionObjectName(t.serviceName!, v.name))];
  return names.map((name) => ({ group: '', kind: 'Service', name }));
}

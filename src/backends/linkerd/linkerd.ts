// The Linkerd data plane (2.18 → 2.20, edge-26.x): namespace annotations, per-version Services +
// Gateway API HTTPRoutes with retry/timeout annotations, Server / MeshTLSAuthentication /
// AuthorizationPolicy, probes and the Prometheus scrape kept authorized, and the checks for what
// Linkerd would otherwise drop silently.
import { Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { propError } from '../../errors';
import type {
  IAuthorizationRendering, IMeshBackend, IRendering, IRoutingRendering, IServiceRendering, NamespaceMetadata, NamespaceModel, RoutingInput, WorkloadDialect,
} from '../../mesh/backend';
import type { AppModel } from '../../models/app';
import type { AuthorizationModel } from '../../models/authorization';
import type { MtlsPolicyModel } from '../../models/mtls';
import type { RequestAuthenticationModel } from '../../models/request-authentication';
import { IngressModel, refuseGatewayProp } from '../../models/ingress';
import { ingressDeniedByAuthorization } from '../../models/ingress-authorization';
import type { EgressModel, ExternalServiceModel } from '../../models/egress';
import { createGatewayApiGateway } from '../gateway-api';
import type { MonitorModel, ScrapeEndpointModel, SloModel, TelemetryModel } from '../../models/observability';
import type { ProtocolModel, ServiceModel } from '../../models/service';
import { createMonitor } from '../prometheus/monitor';
import { createPrometheusRule } from '../prometheus/slo-rule';
import { missingPolicyTargets, RenderedPolicyObject } from './analysis';
import { overlappingRules, renderAllowRule, requireLinkerdMtls, serviceOf } from './authorization';
import { failureAccrualAnnotations, refuseVersionResilience } from './failure-accrual';
import { renderLinkerdRouting } from './routing';
import { authorizeScrape, ensureServer, InboundNetworks, POLICY_OBJECTS } from './servers';

/** Props of the Linkerd backend. */
export interface LinkerdProps {
  /**
   * Networks an unmeshed Prometheus scrapes from: a NetworkAuthentication admitting them to GET
   * `<metrics path>` only, so scraping works under `all-authenticated` and behind allow-lists.
   * @default ['0.0.0.0/0', '::/0'] - any address (only the metrics path is opened)
   * @see https://linkerd.io/2-edge/reference/authorization-policy/#networkauthentication
   */
  readonly scrapeNetworks?: string[];
  /**
   * Networks the kubelet's probes come from, admitted to the probe paths once an inbound route is attached to a Server.
   * @default ['0.0.0.0/0', '::/0'] - as Linkerd's own default probe authorization
   */
  readonly probeNetworks?: string[];
  /**
   * The GatewayClass of the cluster's Gateway API ingress controller (Linkerd has no ingress of its
   * own), used by every MeshIngress that names none.
   * @default - none: a MeshIngress must set `gatewayClassName`
   * @see https://linkerd.io/2-edge/tasks/using-ingress/
   */
  readonly ingressGatewayClass?: string;
}

const INJECT = 'linkerd.io/inject';
const DEFAULT_POLICY = 'config.linkerd.io/default-inbound-policy';
const NAMESPACES = 'linkerd:namespaces';
const ANY = ['0.0.0.0/0', '::/0'];
/** Linkerd proxy ports: outbound 4140, inbound 4143, control 4190, admin 4191. */
const LINKERD_PROXY_PORTS = [4140, 4143, 4190, 4191];

/**
 * Linkerd: the same constructs rendered as config Linkerd honours. See README "Linkerd".
 *
 * @example
 * Mesh.use(app, new Linkerd());
 * @see https://linkerd.io/2-edge/features/server-policy/
 */
export class Linkerd implements IMeshBackend {
  public readonly id = 'linkerd';
  public readonly name = 'Linkerd';
  public readonly workload: WorkloadDialect = {
    // Linkerd reads `http`, `kubernetes.io/h2c` and `linkerd.io/opaque` (clients then skip protocol
    // detection); `http2`/`grpc` would be opaque TCP (no L7 routing). A TCP port must not be h2c:
    // the client's proxy would speak HTTP/2 to a database.
    appProtocol: (protocol: ProtocolModel) => (protocol === 'http' ? 'http' : protocol === 'tcp' ? 'linkerd.io/opaque' : 'kubernetes.io/h2c'),
    // On the pod template too: Linkerd reads it there (a label, or the Deployment's own metadata, is ignored).
    podAnnotations: () => ({ [INJECT]: 'enabled' }),
    versionServices: true,
    // Failure accrual (circuit breaking) is read from the annotations of the routes' parent Service.
    serviceAnnotations: (svc: ServiceModel) => failureAccrualAnnotations(svc),
  };
  private readonly networks: InboundNetworks;
  /** The GatewayClass MeshIngresses default to (`ingressGatewayClass`). */
  public readonly ingressGatewayClass?: string;

  public constructor(props: LinkerdProps = {}) {
    const cidrs = (prop: string, list: string[] | undefined): string[] => {
      const value = list ?? ANY;
      const bad = value.find((c) => typeof c !== 'string' || !/^([0-9.]+|[0-9a-fA-F:]+)\/[0-9]{1,3}$/.test(c));
      if (!Array.isArray(value) || value.length === 0 || bad !== undefined) {
        throw propError('Linkerd', '(backend)', prop, bad ?? value, 'is not a non-empty list of CIDRs', 'write e.g. [\'10.0.0.0/8\']');
      }
      return [...value];
    };
    this.networks = { scrape: cidrs('scrapeNetworks', props.scrapeNetworks), probes: cidrs('probeNetworks', props.probeNetworks) };
    this.ingressGatewayClass = props.ingressGatewayClass;
  }

  public namespaceMetadata(model: NamespaceModel, app?: AppModel): NamespaceMetadata {
    if (model.revision !== undefined) {
      throw propError('MeshNamespace', model.path, 'revision', model.revision, 'is an Istio revision, which Linkerd has no equivalent of',
        'drop `revision` (Linkerd upgrades its control plane in place)');
    }
    app?.add(NAMESPACES, model.name);
    return {
      labels: {},
      annotations: {
        [INJECT]: 'enabled',
        // Read at pod creation; a value it doesn't know falls back to the cluster default (fail-open),
        // so it is only ever one of the values below, or absent (no policy: the cluster default).
        [DEFAULT_POLICY]: Lazy.any({ produce: () => (app ? namespaceDefault(app, model.name) : undefined) }),
      },
      managedLabels: [INJECT, DEFAULT_POLICY].map((key) => ({
        key, why: 'is a Linkerd setting, which Linkerd reads only as an annotation (a label is silently ignored)',
        fix: 'let MeshNamespace write it: it annotates the Namespace (mtlsMode picks the default inbound policy)',
      })),
    };
  }

  public renderService(_scope: Construct, svc: ServiceModel, app: AppModel): IServiceRendering {
    // The proxy's own listeners in every meshed pod (linkerd-control-plane values `proxy.ports`):
    // an application port there collides with them (4191 is also the proxy's readiness probe).
    const used: Array<[string, number]> = [
      ...svc.ports.map((p, i): [string, number] => [`ports[${i}].port`, p.port]),
      ...(svc.metrics ? [['metrics', svc.metrics.port] as [string, number]] : []),
      ...(svc.probes ?? []).map((p): [string, number] => ['probes', p.port]),
    ];
    const clash = used.find(([, port]) => LINKERD_PROXY_PORTS.includes(port));
    if (clash) {
      throw propError('MeshService', svc.path, clash[0], clash[1], `is reserved by the Linkerd proxy in every meshed pod (${LINKERD_PROXY_PORTS.join(', ')}: outbound, inbound, control, admin)`,
        'use a port outside them (e.g. 8080)');
    }
    if (svc.tls && svc.tls.mode !== 'ISTIO_MUTUAL') {
      throw propError('MeshService', svc.path, 'tls', svc.tls.mode, 'is Istio\'s DestinationRule client TLS; Linkerd has no equivalent (meshed callers always use Linkerd\'s mTLS)',
        'drop `tls` under Linkerd (TLS to an external server is the application\'s own)');
    }
    return {
      versionAdded: (version) => refuseVersionResilience(svc, version),
      validate: () => (app.list(POLICY_OBJECTS).length && app.services[0] === svc ? missingPolicyTargets(app.list<RenderedPolicyObject>(POLICY_OBJECTS)) : []),
    };
  }

  public renderRouting(scope: Construct, routing: RoutingInput, app: AppModel): IRoutingRendering {
    return renderLinkerdRouting(scope, routing, app);
  }

  public renderMtlsPolicy(scope: Construct, policy: MtlsPolicyModel, app: AppModel): IRendering {
    requireLinkerdMtls(policy);
    const ref = { construct: policy.kind, path: policy.path };
    const rendered = new Set<number>();
    if (policy.serviceName !== undefined) {
      const service = serviceOf(app, policy.namespace, policy.serviceName)!;
      // A workload's own mode (and each port-level one) is a Server on that port with its accessPolicy.
      for (const port of [service.port, ...policy.ports.keys()]) {
        ensureServer(app, scope, ref, service, port);
        rendered.add(port);
      }
    }
    return {
      validate: () => {
        const errors: string[] = [];
        const first = app.mtlsIndex().firstOfScope(policy);
        if (first && first !== policy) {
          errors.push(`PeerAuthentication '${policy.path}': namespace ${JSON.stringify(policy.namespace)} already has the ${policy.serviceName === undefined ? 'namespace-wide PeerAuthentication' : `PeerAuthentication for service ${JSON.stringify(policy.serviceName)}`} '${first.path}', `
            + 'and Linkerd takes one inbound policy per scope: this one would be ignored. Fix: keep one policy per namespace and workload (put port overrides in the same policy).');
        }
        for (const [port, mode] of policy.ports) {
          if (mode === 'DISABLE') {
            try { requireLinkerdMtls(policy); } catch (e) { errors.push((e as Error).message); }
          } else if (!rendered.has(port)) {
            errors.push(propError(policy.kind, policy.path, 'addPortLevelMtls(options).port', port, 'was added after the policy was rendered for Linkerd, which gives each port its own Server',
              'pass the override in `portLevelMtls` when creating the PeerAuthentication').message);
          }
        }
        if (policy.serviceName === undefined && !app.list<string>(NAMESPACES).includes(policy.namespace ?? '')) {
          errors.push(propError(policy.kind, policy.path, 'namespace', policy.namespace, 'is a namespace-wide mode, which Linkerd reads from the Namespace\'s config.linkerd.io/default-inbound-policy annotation, and no MeshNamespace renders that Namespace',
            'declare the namespace with new MeshNamespace(chart, id, { mtlsMode }) in this app').message);
        }
        return errors;
      },
    };
  }

  public renderAuthorization(scope: Construct, policy: AuthorizationModel, app: AppModel): IAuthorizationRendering {
    const ref = { construct: policy.kind, path: policy.path };
    if (policy.trustDomain !== 'cluster.local') {
      throw propError(policy.kind, policy.path, 'trustDomain', policy.trustDomain, 'Linkerd cannot express: Linkerd resolves identityRefs in its install-time identity trust domain',
        'drop `trustDomain` (set identity.trustDomain when installing Linkerd)');
    }
    if (policy.serviceName !== undefined) ensureServer(app, scope, ref, serviceOf(app, policy.namespace, policy.serviceName)!, serviceOf(app, policy.namespace, policy.serviceName)!.port);
    return {
      ruleAdded: (rule) => renderAllowRule(app, scope, policy, rule, this.networks),
      validate: () => {
        const errors: string[] = [];
        if (policy.serviceName === undefined && policy.denyAll && !app.list<string>(NAMESPACES).includes(policy.namespace ?? '')) {
          errors.push(propError(policy.kind, policy.path, 'denyAll', true, 'is a namespace default-deny, which Linkerd reads from the Namespace\'s config.linkerd.io/default-inbound-policy annotation (deny), and no MeshNamespace renders that Namespace',
            'declare the namespace with new MeshNamespace(chart, id) in this app').message);
        }
        if (app.authorizations[0] === policy) errors.push(...overlappingRules(app.authorizations));
        return errors;
      },
    };
  }

  public scrapeEndpoint(monitor: Omit<MonitorModel, 'kind'>): ScrapeEndpointModel {
    // Linkerd has no metrics merging: both ScrapeTargets scrape the application's endpoint, which
    // renderMonitor authorizes for the scrape networks.
    const metrics = monitor.service.metrics!;
    return { port: metrics.port, path: metrics.path };
  }

  public renderMonitor(scope: Construct, monitor: MonitorModel, endpoint: ScrapeEndpointModel, app: AppModel): IRendering {
    const service = serviceOf(app, monitor.service.namespace, monitor.service.serviceName);
    if (service && (monitor.namespace ?? '') !== (service.namespace ?? '')) {
      throw propError(monitor.kind, monitor.path, 'service', service.serviceName,
        `is in namespace ${JSON.stringify(service.namespace ?? '')}, but this MeshMonitor is in ${JSON.stringify(monitor.namespace ?? '')}, and under Linkerd the scrape's Server route and NetworkAuthentication must live in the service's namespace (a Server only selects pods of its own namespace)`,
        'create the MeshMonitor in the chart of the service (its PodMonitor is then found by a Prometheus selecting monitors in that namespace)');
    }
    if (service) {
      const ref = { construct: monitor.kind, path: monitor.path };
      authorizeScrape(app, scope, ensureServer(app, scope, ref, service, endpoint.port), endpoint.path, this.networks, ref);
    }
    return { resource: createMonitor(scope, monitor, endpoint) };
  }

  public renderSlo(scope: Construct, slo: SloModel): IRendering {
    return { resource: createPrometheusRule(scope, slo) };
  }

  /**
   * Linkerd has no ingress of its own: a Gateway API Gateway for the ingress controller the user
   * names (`gatewayClassName` required), meshed by Linkerd like any workload.
   */
  public renderIngress(scope: Construct, ingress: IngressModel, app: AppModel): IRendering {
    refuseGatewayProp(ingress, 'gatewaySelector', this.name);
    const gatewayClass = ingress.gatewayClassName ?? this.ingressGatewayClass;
    if (gatewayClass === undefined) {
      throw propError(ingress.kind, ingress.path, 'gatewayClassName', undefined, 'is required under Linkerd, which has no ingress of its own (any Gateway API ingress controller works with it)',
        'name the GatewayClass of your ingress controller, e.g. gatewayClassName: \'envoy-gateway\', or once for all with new Linkerd({ ingressGatewayClass })');
    }
    return {
      resource: createGatewayApiGateway(scope, ingress, gatewayClass),
      validate: () => ingressDeniedByAuthorization(ingress, app, {
        backend: this.name,
        fix: `Caller.serviceAccount(<namespace>, <name>) of the ${JSON.stringify(gatewayClass)} gateway's proxy pods, which must be meshed themselves (linkerd.io/inject: enabled) to have an identity`,
      }),
    };
  }

  /** Refused: Linkerd has no registry of external services (it proxies egress as opaque destinations). */
  public renderExternalService(_scope: Construct, svc: ExternalServiceModel): IRendering {
    throw propError(svc.kind, svc.path, 'hosts', svc.hosts,
      'Linkerd cannot express: Linkerd has no ServiceEntry (external hosts are called directly, with no per-host ports, resolution, timeouts or retries)',
      'remove the ExternalService under Linkerd and set timeouts/retries in the client');
  }

  /** Refused: the package renders no Linkerd egress restriction. */
  public renderEgress(_scope: Construct, egress: EgressModel): IRendering {
    throw propError(egress.kind, egress.path, 'destinations', egress.destinations,
      'Linkerd cannot express: the Istio Sidecar egress-hosts / REGISTRY_ONLY restriction (Linkerd\'s EgressNetwork is not in the vendored policy CRDs)',
      'restrict egress with a NetworkPolicy, or render this namespace with the Istio sidecar backend');
  }

  /** Refused: Linkerd has no end-user (JWT) authentication. */
  public renderRequestAuthentication(_scope: Construct, policy: RequestAuthenticationModel): IRendering {
    throw propError(policy.kind, policy.path, 'issuers', policy.issuers.map((i) => i.issuer),
      'Linkerd cannot express: Linkerd has no end-user (JWT) authentication (its policy authenticates workloads by mTLS identity only)',
      'validate tokens in the application or at an ingress gateway in front of the mesh, or render this namespace with Istio');
  }

  public renderTelemetry(_scope: Construct, telemetry: TelemetryModel): IRendering {
    throw propError(telemetry.kind, telemetry.path, telemetry.accessLogging ? 'accessLogging' : 'tracing', telemetry.accessLogging ?? telemetry.tracing,
      'is Istio\'s Telemetry API, which Linkerd has no equivalent of',
      'remove the MeshTelemetry under Linkerd (Linkerd\'s proxy access logs are the config.linkerd.io/access-log pod annotation; tracing is the linkerd-jaeger extension)');
  }
}

/** The namespace's default inbound policy: `deny` under a namespace default-deny, else its mTLS mode's (maps built once per synth). */
function namespaceDefault(app: AppModel, namespace: string): string | undefined {
  const { denyAll, modes } = app.derived('linkerd:namespace-defaults', (a) => ({
    denyAll: new Set(a.authorizations.filter((p) => p.serviceName === undefined && p.denyAll).map((p) => p.namespace ?? '')),
    modes: new Map(a.mtlsPolicies.filter((p) => p.serviceName === undefined).reverse().map((p) => [p.namespace ?? '', p.mode] as const)),
  }));
  if (denyAll.has(namespace)) return 'deny';
  const mode = modes.get(namespace);
  if (mode === undefined || mode === 'UNSET') return undefined;
  return mode === 'STRICT' ? 'all-authenticated' : 'all-unauthenticated';
}

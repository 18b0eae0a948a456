import { ApiObject, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { duplicateMeshServices, mixedBackends } from './analysis/mesh-services';
import { withoutApiDefaults } from './api-defaults';
import { guardDuplicateObjects } from './analysis/duplicate-objects';
import { propError } from './errors';
import { HealthProbe } from './health-probe';
import { appModelOf } from './mesh/app-model';
import type { IMeshBackend, IRoutingRendering, IServiceRendering } from './mesh/backend';
import { Mesh } from './mesh/mesh';
import { appSelector, ServiceModel, serviceLabels, versionObjectName, versionSelector } from './models/service';
import type { RuleModel } from './models/routing';
import { edgesOf } from './models/ingress';
import { PropRef, requireDns1035Label, requireDns1123Label } from './names';
import { requireServiceLabels } from './service-labels';
import { MetricsEndpoint, ServiceMetrics } from './observability/metrics';
import { resolveResilience, ServiceResilience } from './resilience';
import { DestinationTls } from './security/destination-tls';
import { MeshProtocol, MeshServicePort, resolvePorts } from './service-ports';
import { createVersionDeployment, MeshServiceVersionOptions } from './workload';
import { editAsWritten, keepJsonPatchesUnder, setSorted } from './api-object-patches';

/** Props of a MeshService. */
export interface MeshServiceProps {
  /**
   * Name of the Service, ServiceAccount and DestinationRule, and the pods' `app` label.
   * @default - the construct id
   */
  readonly serviceName?: string;
  /** The versions to deploy: one Deployment and one DestinationRule subset each. More can be added with `addVersion()`. */
  readonly versions: MeshServiceVersionOptions[];
  /**
   * Container port the application listens on; the Service exposes the same port number. For
   * several ports, use `ports`.
   * @default 8080
   */
  readonly port?: number;
  /**
   * Every port the application listens on, the primary first (routing, default probes and the
   * default metrics endpoint use the primary): e.g. a gRPC port plus an HTTP admin port, or a TCP
   * port. Not together with `port`/`protocol`.
   * @default - one port: `port` with `protocol`
   */
  readonly ports?: MeshServicePort[];
  /**
   * Application protocol of the port: names it `<protocol>` and sets `appProtocol`.
   * @default MeshProtocol.HTTP
   */
  readonly protocol?: MeshProtocol;
  /**
   * Liveness probe.
   * @default HealthProbe.httpGet('/health'); HealthProbe.tcp() for MeshProtocol.GRPC
   */
  readonly liveness?: HealthProbe;
  /**
   * Readiness probe.
   * @default HealthProbe.httpGet('/ready'); HealthProbe.tcp() for MeshProtocol.GRPC
   */
  readonly readiness?: HealthProbe;
  /**
   * Startup probe, for slow-starting applications.
   * @default HealthProbe.none()
   */
  readonly startup?: HealthProbe;
  /**
   * Extra labels on every object (not on selectors, which are immutable).
   * @default - none
   * @throws for a label the package sets itself (`app`, `version`, `app.kubernetes.io/name`,
   *   `app.kubernetes.io/version`) or one a mesh reads to decide whether and how the pods are meshed
   *   (`sidecar.istio.io/inject`, `istio.io/dataplane-mode`, `istio.io/use-waypoint`,
   *   `istio.io/rev`, `linkerd.io/inject`, …): the service would leave the mesh while its mTLS and
   *   authorization are still rendered.
   */
  readonly labels?: { readonly [key: string]: string };
  /**
   * Where the application serves Prometheus metrics. Pods get Istio's metrics-merging annotations
   * (`prometheus.io/scrape|port|path`); `MeshMonitor` and `ServiceLevelObjectives` read it.
   * @see https://istio.io/latest/docs/ops/integrations/prometheus/
   * @default MetricsEndpoint.http() — GET /metrics on the service port; MetricsEndpoint.none() for MeshProtocol.GRPC
   */
  readonly metrics?: MetricsEndpoint;
  /**
   * The version that takes every request while no TrafficSplit routes the service. A service with
   * more than one version always has a route: without one, the Service would spread requests over
   * every version's pods by replica count, so a new version would take traffic the moment it is
   * deployed. A TrafficSplit for the service replaces this route.
   * @see https://istio.io/latest/docs/concepts/traffic-management/#virtual-services
   * @default - the first declared version
   */
  readonly defaultVersion?: string;
  /**
   * Render the route to `defaultVersion` when the service has several versions and no TrafficSplit.
   * Turn it off only if something else routes the service (e.g. a progressive-delivery controller).
   * @default true
   */
  readonly routeToDefaultVersion?: boolean;
  /**
   * Client TLS callers' sidecars use toward this service (DestinationRule `trafficPolicy.tls`).
   * @default - follows the workload's effective PeerAuthentication: ISTIO_MUTUAL when STRICT, DISABLE when mTLS is disabled on its port, and unset (Istio's auto mTLS) when PERMISSIVE or no policy applies
   * @see https://istio.io/latest/docs/reference/config/networking/destination-rule/#ClientTLSSettings
   */
  readonly tls?: DestinationTls;
  /**
   * Connection pool limits, outlier detection (circuit breaking) and load balancing; a version's
   * `resilience` replaces it group by group. See README "Resilience" for each data plane.
   * @default - none: the data plane's defaults
   * @see https://istio.io/latest/docs/reference/config/networking/destination-rule/#TrafficPolicy
   * @see https://linkerd.io/2-edge/reference/circuit-breaking/
   */
  readonly resilience?: ServiceResilience;
}

/** A MeshService as other constructs (TrafficSplit, policies, monitors) see it. */
export interface IMeshService {
  /** Name of the Service, ServiceAccount, DestinationRule and `app` label. */
  readonly serviceName: string;
  /** Namespace of the chart, if it sets one. */
  readonly namespace?: string;
  /** Container and Service port. */
  readonly port: number;
  /** Name of the primary Service and container port (`http`, `http2`, `grpc`, `tcp`, or as declared). */
  readonly portName: string;
  /** Declared version names, in declaration order. */
  readonly versionNames: string[];
  /** Where the application serves Prometheus metrics; undefined if it serves none. */
  readonly metrics?: ServiceMetrics;
  /**
   * Number of pods of a declared version, if known (routing analysis flags traffic to 0 pods).
   * @default - unknown: not checked
   */
  replicas?(version: string): number | undefined;
}

const KIND = 'MeshService';
const DEFAULT_ROUTE_ID = 'DefaultRoute';
const MESH_SERVICE = Symbol.for('cdk8s-mesh.MeshService');

/**
 * One service in the mesh: a Deployment per version, one Service, one ServiceAccount (its mTLS
 * identity), and a DestinationRule whose subsets are exactly the declared versions.
 *
 * @example
 * new MeshService(chart, 'myservice', {
 *   versions: [
 *     { name: 'v1', image: 'ghcr.io/acme/myservice:1.0.0' },
 *     { name: 'v2', image: 'ghcr.io/acme/myservice:2.0.0' },
 *   ],
 * });
 */
export class MeshService extends Construct implements IMeshService {
  /** True if `x` is a MeshService (works across copies of this package). */
  public static isMeshService(x: unknown): x is MeshService {
    return typeof x === 'object' && x !== null && MESH_SERVICE in x;
  }

  public readonly serviceName: string;
  public readonly namespace?: string;
  public readonly port: number;
  public readonly protocol: MeshProtocol;
  public readonly portName: string;
  /** Every port, the primary first. */
  public readonly ports: readonly Required<MeshServicePort>[];
  /** Where the application serves Prometheus metrics; undefined with `MetricsEndpoint.none()`. */
  public readonly metrics?: ServiceMetrics;
  /** The Service selecting every version's pods by `app`. */
  public readonly service: kplus.Service;
  /** The dedicated ServiceAccount: callers are authorized by its mTLS identity. */
  public readonly serviceAccount: kplus.ServiceAccount;
  /** The client TLS chosen in props; undefined means the default (see `MeshServiceProps.tls`). */
  public readonly tls?: DestinationTls;
  /** The data plane this service renders for (`Mesh.of(this)` when it was created). */
  public readonly backend: IMeshBackend;

  private readonly labels: { readonly [key: string]: string };
  private readonly probes: { liveness?: kplus.Probe; readiness?: kplus.Probe; startup?: kplus.Probe };
  private readonly _deployments = new Map<string, kplus.Deployment>();
  private readonly _versionServices = new Map<string, kplus.Service>();
  private readonly model: ServiceModel;
  private readonly rendering: IServiceRendering;
  private readonly defaultVersionProp?: string;
  private readonly routeToDefault: boolean;
  private routedBy?: string;
  private exposedBy?: string;
  private defaultRoute?: IRoutingRendering;
  private patchesKept = false;

  public constructor(scope: Construct, id: string, props: MeshServiceProps) {
    super(scope, id);
    if (props === null || typeof props !== 'object') {
      throw propError(KIND, this.node.path, 'props', props, 'is not an object', 'pass props such as { versions: [{ name: \'v1\', image: \'ghcr.io/acme/app:1.0.0\' }] }');
    }
    guardDuplicateObjects(this);
    Object.defineProperty(this, MESH_SERVICE, { value: true });
    const ref = (prop: string): PropRef => ({ construct: KIND, path: this.node.path, prop });

    this.serviceName = requireDns1035Label(ref('serviceName'), props.serviceName ?? id);
    this.namespace = Chart.of(this).namespace;
    this.ports = resolvePorts(ref(''), props);
    this.port = this.ports[0].port;
    this.protocol = this.ports[0].protocol;
    this.portName = this.ports[0].name;
    this.labels = requireServiceLabels(ref('labels'), props.labels);
    // A gRPC or TCP port can't answer GET /metrics or GET /health: such services get TCP probes and
    // no metrics endpoint unless one is declared (usually a separate HTTP port).
    const grpc = this.protocol === MeshProtocol.GRPC || this.protocol === MeshProtocol.TCP;
    this.metrics = (props.metrics ?? (grpc ? MetricsEndpoint.none() : MetricsEndpoint.http()))._resolve(ref('metrics'), this.port);
    this.tls = props.tls;
    this.tls?._validate(ref('tls'));
    const probes = {
      liveness: props.liveness ?? (grpc ? HealthProbe.tcp() : HealthProbe.httpGet('/health')),
      readiness: props.readiness ?? (grpc ? HealthProbe.tcp() : HealthProbe.httpGet('/ready')),
      startup: props.startup ?? HealthProbe.none(),
    };
    this.probes = {
      liveness: probes.liveness._toProbe(ref('liveness'), this.port),
      readiness: probes.readiness._toProbe(ref('readiness'), this.port),
      startup: probes.startup._toProbe(ref('startup'), this.port),
    };
    const httpProbes = Object.values(probes).map((p) => p._httpGet(this.port)).filter((p): p is { path: string; port: number } => p !== undefined);
    if (!Array.isArray(props.versions) || props.versions.length === 0) {
      throw propError(KIND, this.node.path, 'versions', props.versions, 'declares no version',
        'declare at least one version, e.g. [{ name: \'v1\', image: \'ghcr.io/acme/app:1.0.0\' }]');
    }

    this.backend = Mesh._forConstruct(this, KIND, this.namespace);
    const app = appModelOf(this);
    this.model = {
      kind: KIND,
      path: this.node.path,
      serviceName: this.serviceName,
      namespace: this.namespace,
      port: this.port,
      portName: this.portName,
      protocol: this.protocol,
      ports: this.ports,
      labels: this.labels,
      versions: [],
      metrics: this.metrics,
      tls: this.tls?._toModel(),
      probes: httpProbes,
      resilience: resolveResilience(ref('resilience'), props.resilience, this.protocol === MeshProtocol.TCP),
    };
    app.services.push(this.model);

    const commonLabels = serviceLabels(this.model);
    this.serviceAccount = new kplus.ServiceAccount(this, 'ServiceAccount', {
      metadata: { name: this.serviceName, labels: commonLabels },
      automountToken: false,
    });
    this.service = this.createService('Service', this.serviceName, commonLabels, appSelector(this.serviceName), this.backend.workload.serviceAnnotations?.(this.model));
    this.rendering = this.backend.renderService(this, this.model, app);

    if (props.defaultVersion !== undefined) requireDns1123Label(ref('defaultVersion'), props.defaultVersion);
    this.defaultVersionProp = props.defaultVersion;
    this.routeToDefault = props.routeToDefaultVersion ?? true;
    props.versions.forEach((v, i) => this.declareVersion(v, `versions[${i}]`));
    this.node.addValidation({ validate: () => this.checkDefaultRoute() });
    this.node.addValidation({ validate: () => duplicateMeshServices(this.model, app) });
    this.node.addValidation({ validate: () => mixedBackends(app, this.node.path, this.namespace, this.backend) });
    this.node.addValidation({ validate: () => this.rendering.validate?.() ?? [] });
    keepJsonPatchesUnder(this);
    this.patchesKept = true;
  }

  /** Declared version names, in declaration order. */
  public get versionNames(): string[] {
    return [...this._deployments.keys()];
  }

  /** Number of pods of `version` (its Deployment's replicas), or undefined if it is not declared. */
  public replicas(version: string): number | undefined {
    return this.model.versions.find((v) => v.name === version)?.replicas;
  }

  /** Every version's Deployment, in declaration order. */
  public get deployments(): kplus.Deployment[] {
    return [...this._deployments.values()];
  }

  /**
   * The Istio DestinationRule of the service's own host, when the backend renders one (Istio
   * sidecar mode: subsets for VirtualService routing; with Gateway API routing, or ambient, only
   * for `tls` or `resilience`).
   */
  public get destinationRule(): ApiObject | undefined {
    return this.rendering.resource;
  }

  /** The Deployment of `version`; throws if the version is not declared. */
  public deployment(version: string): kplus.Deployment {
    const d = this._deployments.get(version);
    if (!d) {
      throw propError(KIND, this.node.path, 'version', version, 'is not declared',
        `use one of ${this.versionNames.map((v) => JSON.stringify(v)).join(', ')} or addVersion() it first`);
    }
    return d;
  }

  /**
   * The Service `<service>-<version>` selecting only that version's pods, when the backend routes
   * to Services (Gateway API routing); undefined otherwise.
   */
  public versionService(version: string): kplus.Service | undefined {
    this.deployment(version);
    return this._versionServices.get(version);
  }

  /**
   * Adds a version: a Deployment `<service>-<version>` (and what the backend renders per version:
   * a DestinationRule subset, or a Service `<service>-<version>`).
   * @returns the version's Deployment
   */
  public addVersion(options: MeshServiceVersionOptions): kplus.Deployment {
    return this.declareVersion(options, 'addVersion(options)');
  }

  /** The version that takes every request while no TrafficSplit routes the service. */
  public get defaultVersion(): string {
    return this.defaultVersionProp ?? this.versionNames[0];
  }

  /**
   * Called by a TrafficSplit routing this service: it replaces the default route.
   * @internal
   */
  public _routedBy(path: string): void {
    this.routedBy ??= path;
    if (this.defaultRoute) {
      this.node.tryRemoveChild(DEFAULT_ROUTE_ID);
      this.defaultRoute = undefined;
    }
  }

  /**
   * Called by a MeshIngress exposing this service: edge traffic needs a route even to one version.
   * @internal
   */
  public _exposedBy(path: string): void {
    this.exposedBy ??= path;
    this.renderDefaultRoute();
  }

  private renderDefaultRoute(): void {
    if (!this.routeToDefault || this.routedBy !== undefined || this.defaultRoute || this.versionNames.length < (this.exposedBy ? 1 : 2)) return;
    const rule: RuleModel = { matches: [], destinations: [{ version: this.defaultVersion, prop: 'defaultVersion' }], prop: 'defaultVersion' };
    this.defaultRoute = this.backend.renderRouting(this, {
      id: DEFAULT_ROUTE_ID,
      path: this.node.path,
      kind: KIND,
      service: this,
      model: () => ({
        serviceName: this.serviceName, serviceNamespace: this.namespace, namespace: this.namespace,
        port: this.ports.length > 1 ? this.port : undefined, tcp: this.protocol === MeshProtocol.TCP || undefined, rules: [rule],
        edges: edgesOf(appModelOf(this), this.serviceName, this.namespace, this.namespace),
      }),
    }, appModelOf(this));
  }

  private checkDefaultRoute(): string[] {
    if (!this.defaultRoute) return [];
    const version = this.defaultVersion;
    if (!this.versionNames.includes(version)) {
      return [propError(KIND, this.node.path, 'defaultVersion', version, `is not a declared version (declared: ${this.versionNames.map((v) => JSON.stringify(v)).join(', ')}), and it takes every request while no TrafficSplit routes the service`,
        'name a declared version, or declare it (versions: [...] or addVersion())').message];
    }
    if (this.replicas(version) === 0) {
      return [propError(KIND, this.node.path, 'defaultVersion', version, 'has replicas: 0, and it takes every request while no TrafficSplit routes the service: every request would fail with 503',
        'scale the default version up, name another defaultVersion, or route the service with a TrafficSplit').message];
    }
    // The backend's own checks of the route (e.g. a data plane that would ignore it).
    return this.defaultRoute.validate?.() ?? [];
  }

  private createService(id: string, name: string, labels: { [key: string]: string }, selector: { [key: string]: string }, annotations?: { [key: string]: string }): kplus.Service {
    const service = new kplus.Service(this, id, {
      metadata: { name, labels, annotations: annotations && Object.keys(annotations).length > 0 ? annotations : undefined },
      ports: this.ports.map((p) => ({ port: p.port, targetPort: p.port, name: p.name, protocol: kplus.Protocol.TCP })),
    });
    for (const [key, value] of Object.entries(selector)) service.selectLabel(key, value);
    withoutApiDefaults(ApiObject.of(service));
    // cdk8s-plus-28's ServicePort has no appProtocol; meshes read it before the port name.
    const appProtocols = this.model.ports.map((p) => this.backend.workload.appProtocol(p.protocol));
    // Only the ports declared here: a port bound later (`svc.service.bind(...)`) keeps no appProtocol.
    editAsWritten(service, (doc) => appProtocols.forEach((appProtocol, i) => { if (doc.spec.ports[i]) setSorted(doc.spec.ports[i], 'appProtocol', appProtocol); }));
    return service;
  }

  private declareVersion(options: MeshServiceVersionOptions, prop: string): kplus.Deployment {
    const ref: PropRef = { construct: KIND, path: this.node.path, prop };
    if (options === null || typeof options !== 'object') {
      throw propError(KIND, this.node.path, prop, options, 'is not a version', 'give e.g. { name: \'v1\', image: \'ghcr.io/acme/app:1.0.0\' }');
    }
    if (options && this._deployments.has(options.name)) {
      throw propError(KIND, this.node.path, `${prop}.name`, options.name, 'is already declared',
        'give every version a unique name (e.g. "v1", "v2")');
    }
    // Per-version Services are DNS-1035 labels: `<service>-<version>` must fit in 63 characters.
    const objectName = versionObjectName(this.serviceName, String(options.name));
    if (this.backend.workload.versionServices && objectName.length > 63) {
      throw propError(KIND, this.node.path, `${prop}.name`, options.name,
        `makes the per-version Service ${JSON.stringify(objectName)} ${objectName.length} characters long, and ${this.backend.name} routes to one Service per version (Service names are at most 63)`,
        `shorten serviceName or the version name to ${63 - 1 - String(options.name).length} + ${String(options.name).length} characters or fewer`);
    }
    const deployment = createVersionDeployment(this, ref, {
      serviceName: this.serviceName,
      ports: this.ports,
      serviceAccount: this.serviceAccount,
      labels: this.labels,
      podAnnotations: this.backend.workload.podAnnotations(this.model),
      ...this.probes,
    }, options);
    this._deployments.set(options.name, deployment);
    // With an autoscaler, the fewest pods it keeps: what routing analysis must assume.
    const resilience = resolveResilience({ ...ref, prop: `${prop}.resilience` }, options.resilience, this.protocol === MeshProtocol.TCP);
    const version = { name: options.name, replicas: options.autoscaling ? (options.autoscaling.minReplicas ?? 2) : (options.replicas ?? 2), image: options.image, resilience, prop };
    this.model.versions.push(version);
    if (this.backend.workload.versionServices) {
      const name = versionObjectName(this.serviceName, options.name);
      this._versionServices.set(options.name, this.createService(`Service-${options.name}`, name,
        { ...serviceLabels(this.model), 'app.kubernetes.io/version': options.name }, versionSelector(this.serviceName, options.name)));
    }
    this.rendering.versionAdded?.(version);
    this.renderDefaultRoute();
    if (this.patchesKept) keepJsonPatchesUnder(this);
    return deployment;
  }
}

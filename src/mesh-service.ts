import { ApiObject, Chart, JsonPatch, Lazy } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { DestinationRule, DestinationRuleSpec } from '../imports/networking.istio.io';
import { duplicateMeshServices } from './analysis/mesh-services';
import { register, registered } from './analysis/registry';
import { propError } from './errors';
import { HealthProbe } from './health-probe';
import { checkDestinationTls, destinationTlsOf } from './analysis/mtls';
import { PropRef, requireAppPort, requireDns1035Label, requireLabels } from './names';
import { addMetricsMergeAnnotations, MetricsEndpoint, ServiceMetrics } from './observability/metrics';
import { DestinationTls } from './security/destination-tls';
import { createVersionDeployment, MeshServiceVersionOptions } from './workload';
import { guardDuplicateObjects } from './analysis/duplicate-objects';
import { keepJsonPatches } from './api-object-patches';

/**
 * The application protocol of a MeshService's port. Istio reads it from the Service port's
 * `appProtocol` (and the `<protocol>[-suffix]` port name); an undeclared protocol is treated as
 * opaque TCP and header routing silently stops working.
 * @see https://istio.io/latest/docs/ops/configuration/traffic-management/protocol-selection/
 */
export enum MeshProtocol {
  /** HTTP/1.1 */
  HTTP = 'http',
  /** HTTP/2 without TLS (h2c) */
  HTTP2 = 'http2',
  /** gRPC */
  GRPC = 'grpc',
}

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
   * Container port the application listens on; the Service exposes the same port number.
   * @default 8080
   */
  readonly port?: number;
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
   * Client TLS callers' sidecars use toward this service (DestinationRule `trafficPolicy.tls`).
   * @default - follows the workload's effective PeerAuthentication: ISTIO_MUTUAL when STRICT, DISABLE when mTLS is disabled on its port, and unset (Istio's auto mTLS) when PERMISSIVE or no policy applies
   * @see https://istio.io/latest/docs/reference/config/networking/destination-rule/#ClientTLSSettings
   */
  readonly tls?: DestinationTls;
}

/** A MeshService as other constructs (TrafficSplit, policies, monitors) see it. */
export interface IMeshService {
  /** Name of the Service, ServiceAccount, DestinationRule and `app` label. */
  readonly serviceName: string;
  /** Namespace of the chart, if it sets one. */
  readonly namespace?: string;
  /** Container and Service port. */
  readonly port: number;
  /** Name of the Service and container port (`http`, `http2`, `grpc`). */
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
  /** Where the application serves Prometheus metrics; undefined with `MetricsEndpoint.none()`. */
  public readonly metrics?: ServiceMetrics;
  /** The Service selecting every version's pods by `app`. */
  public readonly service: kplus.Service;
  /** The dedicated ServiceAccount: callers are authorized by its mTLS identity. */
  public readonly serviceAccount: kplus.ServiceAccount;
  /** The DestinationRule declaring one subset per version. */
  public readonly destinationRule: DestinationRule;
  /** The client TLS chosen in props; undefined means the default (see `MeshServiceProps.tls`). */
  public readonly tls?: DestinationTls;

  private readonly labels: { readonly [key: string]: string };
  private readonly probes: { liveness?: kplus.Probe; readiness?: kplus.Probe; startup?: kplus.Probe };
  private readonly _deployments = new Map<string, kplus.Deployment>();

  public constructor(scope: Construct, id: string, props: MeshServiceProps) {
    super(scope, id);
    guardDuplicateObjects(this);
    Object.defineProperty(this, MESH_SERVICE, { value: true });
    const ref = (prop: string): PropRef => ({ construct: KIND, path: this.node.path, prop });

    this.serviceName = requireDns1035Label(ref('serviceName'), props.serviceName ?? id);
    this.namespace = Chart.of(this).namespace;
    this.port = requireAppPort(ref('port'), props.port ?? 8080);
    this.protocol = props.protocol ?? MeshProtocol.HTTP;
    this.portName = this.protocol;
    this.labels = requireLabels(ref('labels'), props.labels);
    // A gRPC port can't answer GET /metrics or GET /health: gRPC services get TCP probes and no
    // metrics endpoint unless one is declared (usually a separate HTTP port).
    const grpc = this.protocol === MeshProtocol.GRPC;
    this.metrics = (props.metrics ?? (grpc ? MetricsEndpoint.none() : MetricsEndpoint.http()))._resolve(ref('metrics'), this.port);
    this.tls = props.tls;
    this.tls?._validate(ref('tls'));
    this.probes = {
      liveness: (props.liveness ?? (grpc ? HealthProbe.tcp() : HealthProbe.httpGet('/health')))._toProbe(ref('liveness'), this.port),
      readiness: (props.readiness ?? (grpc ? HealthProbe.tcp() : HealthProbe.httpGet('/ready')))._toProbe(ref('readiness'), this.port),
      startup: (props.startup ?? HealthProbe.none())._toProbe(ref('startup'), this.port),
    };
    if (!Array.isArray(props.versions) || props.versions.length === 0) {
      throw propError(KIND, this.node.path, 'versions', props.versions, 'declares no version',
        'declare at least one version, e.g. [{ name: \'v1\', image: \'ghcr.io/acme/app:1.0.0\' }]');
    }

    const commonLabels = { ...this.labels, 'app': this.serviceName, 'app.kubernetes.io/name': this.serviceName };

    this.serviceAccount = new kplus.ServiceAccount(this, 'ServiceAccount', {
      metadata: { name: this.serviceName, labels: commonLabels },
      automountToken: false,
    });

    this.service = new kplus.Service(this, 'Service', {
      metadata: { name: this.serviceName, labels: commonLabels },
      ports: [{ port: this.port, targetPort: this.port, name: this.portName, protocol: kplus.Protocol.TCP }],
    });
    this.service.selectLabel('app', this.serviceName);
    // cdk8s-plus-28's ServicePort has no appProtocol; Istio reads it before the port name.
    ApiObject.of(this.service).addJsonPatch(JsonPatch.add('/spec/ports/0/appProtocol', this.protocol));

    this.destinationRule = new DestinationRule(this, 'DestinationRule', {
      metadata: { name: this.serviceName, labels: commonLabels },
      // Lazy: versions added later with addVersion() become subsets too.
      spec: Lazy.any({ produce: () => this._destinationRuleSpec() }),
    });

    keepJsonPatches(this.serviceAccount, this.service, this.destinationRule);
    props.versions.forEach((v, i) => this.declareVersion(v, `versions[${i}]`));
    register(KIND, this);
    this.node.addValidation({ validate: () => duplicateMeshServices(this, registered<MeshService>(this, KIND)) });
    // IST0113/IST0128 need every PeerAuthentication in the app, so they run at synth.
    this.node.addValidation({ validate: () => checkDestinationTls(this) });
  }

  /** Declared version names, in declaration order. */
  public get versionNames(): string[] {
    return [...this._deployments.keys()];
  }

  /** Number of pods of `version` (its Deployment's replicas), or undefined if it is not declared. */
  public replicas(version: string): number | undefined {
    return this._deployments.get(version)?.replicas;
  }

  /** Every version's Deployment, in declaration order. */
  public get deployments(): kplus.Deployment[] {
    return [...this._deployments.values()];
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
   * Adds a version: a Deployment `<service>-<version>` and a DestinationRule subset.
   * @returns the version's Deployment
   */
  public addVersion(options: MeshServiceVersionOptions): kplus.Deployment {
    return this.declareVersion(options, 'addVersion(options)');
  }

  private declareVersion(options: MeshServiceVersionOptions, prop: string): kplus.Deployment {
    const ref: PropRef = { construct: KIND, path: this.node.path, prop };
    if (options && this._deployments.has(options.name)) {
      throw propError(KIND, this.node.path, `${prop}.name`, options.name, 'is already declared',
        'give every version a unique name (e.g. "v1", "v2")');
    }
    const deployment = createVersionDeployment(this, ref, {
      serviceName: this.serviceName,
      port: this.port,
      portName: this.portName,
      serviceAccount: this.serviceAccount,
      labels: this.labels,
      ...this.probes,
    }, options);
    if (this.metrics) addMetricsMergeAnnotations(deployment, this.metrics);
    this._deployments.set(options.name, deployment);
    return deployment;
  }

  /** @internal */
  public _destinationRuleSpec(): DestinationRuleSpec {
    const tls = destinationTlsOf(this);
    return {
      host: this.serviceName,
      subsets: this.versionNames.map((name) => ({ name, labels: { version: name } })),
      trafficPolicy: tls && { tls: tls._toKube() },
    };
  }
}

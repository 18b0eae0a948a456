import { ApiObject, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { guardDuplicateObjects } from '../analysis/duplicate-objects';
import { mixedBackends } from '../analysis/mesh-services';
import { propError } from '../errors';
import { appModelOf } from '../mesh/app-model';
import type { IMeshBackend, IRendering } from '../mesh/backend';
import { Mesh } from '../mesh/mesh';
import type { IMeshService } from '../mesh-service';
import type { MtlsPolicyModel } from '../models/mtls';
import { PropRef, requireDns1123Label, requirePort } from '../names';
import { keepJsonPatchesUnder } from '../api-object-patches';

/**
 * How a workload's sidecar accepts inbound connections.
 * @see https://istio.io/latest/docs/reference/config/security/peer_authentication/#PeerAuthentication-MutualTLS-Mode
 */
export enum MtlsMode {
  /** Only mutual TLS with an Istio identity is accepted (secure default). */
  STRICT = 'STRICT',
  /** Mutual TLS and plain text are both accepted: for migrating workloads into the mesh. */
  PERMISSIVE = 'PERMISSIVE',
  /** Mutual TLS is not accepted: plain text only. */
  DISABLE = 'DISABLE',
  /** Inherit the mode of the parent scope (namespace-wide, then mesh-wide policy). */
  UNSET = 'UNSET',
}

/** One port-level override of a workload-scoped PeerAuthentication. */
export interface PortLevelMtls {
  /** The **container** port the application listens on (not the Service port). */
  readonly port: number;
  /** The mode on that port. */
  readonly mode: MtlsMode;
}

/** Props of a PeerAuthentication. */
export interface PeerAuthenticationProps {
  /**
   * The workload the policy applies to (selected by its `app` label).
   * @default - every workload in the namespace (namespace-wide policy)
   */
  readonly service?: IMeshService;
  /**
   * The mutual TLS mode.
   * @default MtlsMode.STRICT
   */
  readonly mode?: MtlsMode;
  /**
   * Per-port overrides, keyed by container port. Only for a workload-scoped policy (`service`).
   * @default - none
   * @see https://istio.io/latest/docs/reference/config/security/peer_authentication/
   */
  readonly portLevelMtls?: PortLevelMtls[];
  /**
   * Name of the PeerAuthentication object.
   * @default - `default` for a namespace-wide policy (the Istio convention), the service name otherwise
   */
  readonly name?: string;
  /**
   * Namespace of the policy; a selector-less policy in the Istio root namespace (`istio-system`) is mesh-wide.
   * @default - the chart's namespace
   */
  readonly namespace?: string;
}

const KIND = 'PeerAuthentication';

/**
 * Which mTLS mode a namespace's (or one MeshService's) workloads accept: STRICT by default.
 * Istio renders a `security.istio.io/v1` PeerAuthentication; other backends their equivalent.
 *
 * @example
 * new PeerAuthentication(chart, 'mtls');                                  // namespace-wide STRICT
 * new PeerAuthentication(chart, 'legacy', { service: legacy, mode: MtlsMode.PERMISSIVE });
 * @see https://istio.io/latest/docs/reference/config/security/peer_authentication/
 */
export class PeerAuthentication extends Construct {
  /** The mode for the whole scope. */
  public readonly mode: MtlsMode;
  /** The workload this policy selects; undefined for a namespace-wide policy. */
  public readonly service?: IMeshService;
  /** The namespace the policy lives in (undefined if neither props nor chart set one). */
  public readonly namespace?: string;
  /** Name of the PeerAuthentication object. */
  public readonly name: string;
  /** The data plane this policy renders for. */
  public readonly backend: IMeshBackend;

  private readonly _ports = new Map<number, MtlsMode>();
  private readonly model: MtlsPolicyModel;
  private readonly rendering: IRendering;

  public constructor(scope: Construct, id: string, props: PeerAuthenticationProps = {}) {
    super(scope, id);
    guardDuplicateObjects(this);
    const ref = (prop: string): PropRef => ({ construct: KIND, path: this.node.path, prop });
    this.service = props.service;
    this.mode = requireMode(ref('mode'), props.mode ?? MtlsMode.STRICT);
    this.namespace = props.namespace === undefined ? Chart.of(this).namespace : requireDns1123Label(ref('namespace'), props.namespace);
    this.name = requireDns1123Label(ref('name'), props.name ?? this.service?.serviceName ?? 'default');
    if (this.service && this.service.namespace !== this.namespace) {
      throw propError(KIND, this.node.path, 'service', this.service.serviceName,
        `is in namespace ${JSON.stringify(this.service.namespace)} but the policy is in ${JSON.stringify(this.namespace)}, and a selector only applies in its own namespace`,
        'create the PeerAuthentication in the chart (or namespace) of the service');
    }
    (props.portLevelMtls ?? []).forEach((p, i) => this.declarePort(p, `portLevelMtls[${i}]`));

    this.backend = Mesh._forConstruct(this, KIND, this.namespace);
    const app = appModelOf(this);
    this.model = {
      kind: KIND,
      path: this.node.path,
      name: this.name,
      namespace: this.namespace,
      serviceName: this.service?.serviceName,
      mode: this.mode,
      ports: this._ports,
    };
    app.mtlsPolicies.push(this.model);
    this.rendering = this.backend.renderMtlsPolicy(this, this.model, app);
    this.node.addValidation({ validate: () => mixedBackends(app, this.node.path, this.namespace, this.backend) });
    this.node.addValidation({ validate: () => this.rendering.validate?.() ?? [] });
    keepJsonPatchesUnder(this);
  }

  /** The object the backend rendered (Istio: the PeerAuthentication), if any. */
  public get resource(): ApiObject | undefined {
    return this.rendering.resource;
  }

  /** Port-level overrides, in the order they were added. */
  public get portLevelMtls(): PortLevelMtls[] {
    return [...this._ports].map(([port, mode]) => ({ port, mode }));
  }

  /** True if the policy has no selector (applies to every workload of its namespace). */
  public get namespaceWide(): boolean {
    return this.service === undefined;
  }

  /**
   * Overrides the mode on one **container** port; needs a workload-scoped policy (`service`).
   * @returns the override added
   */
  public addPortLevelMtls(options: PortLevelMtls): PortLevelMtls {
    this.declarePort(options, 'addPortLevelMtls(options)');
    return { port: options.port, mode: options.mode };
  }

  /** The effective mode on a container port of the selected workload(s): the port override, else the policy's mode. */
  public modeForPort(port: number): MtlsMode {
    return this._ports.get(port) ?? this.mode;
  }

  private declarePort(options: PortLevelMtls, prop: string): void {
    if (options === null || typeof options !== 'object') {
      throw propError(KIND, this.node.path, prop, options, 'is not a port-level override', 'give { port: 8080, mode: MtlsMode.PERMISSIVE }');
    }
    if (!this.service) {
      throw propError(KIND, this.node.path, `${prop}.port`, options?.port,
        'is a port-level override on a namespace-wide policy (the CRD rule "portLevelMtls requires selector")',
        'set `service` to scope the policy to one MeshService, or create a separate workload-scoped PeerAuthentication for the override');
    }
    const port = requirePort({ construct: KIND, path: this.node.path, prop: `${prop}.port` }, options.port);
    const mode = requireMode({ construct: KIND, path: this.node.path, prop: `${prop}.mode` }, options.mode);
    if (this._ports.has(port)) {
      throw propError(KIND, this.node.path, `${prop}.port`, port, 'already has a port-level override', 'give each container port at most one mode');
    }
    this._ports.set(port, mode);
  }
}

function requireMode(ref: PropRef, mode: MtlsMode): MtlsMode {
  if (!Object.values(MtlsMode).includes(mode)) {
    throw propError(ref.construct, ref.path, ref.prop, mode, 'is not an mTLS mode', 'use MtlsMode.STRICT, PERMISSIVE, DISABLE or UNSET');
  }
  return mode;
}

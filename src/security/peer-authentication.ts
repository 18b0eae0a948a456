import { Chart, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import {
  PeerAuthentication as PeerAuthenticationResource,
  PeerAuthenticationSpec,
  PeerAuthenticationSpecMtlsMode,
  PeerAuthenticationSpecPortLevelMtlsMode,
} from '../../imports/security.istio.io';
import { propError } from '../errors';
import type { IMeshService } from '../mesh-service';
import { PropRef, requireDns1123Label, requirePort } from '../names';
import { register, registered } from '../analysis/registry';
import { guardDuplicateObjects } from '../analysis/duplicate-objects';
import { keepJsonPatches } from '../api-object-patches';

/** The registry kind PeerAuthentications record themselves under. @internal */
export const PEER_AUTHENTICATION = 'PeerAuthentication';

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
 * A `security.istio.io/v1` PeerAuthentication: which mTLS mode a namespace's (or one
 * MeshService's) sidecars accept. STRICT by default.
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
  /** The generated CRD object. */
  public readonly resource: PeerAuthenticationResource;

  private readonly _ports = new Map<number, MtlsMode>();

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

    this.resource = new PeerAuthenticationResource(this, 'Resource', {
      metadata: { name: this.name, namespace: this.namespace },
      spec: Lazy.any({ produce: () => this._toKube() }),
    });
    keepJsonPatches(this.resource);
    register(PEER_AUTHENTICATION, this);
    this.node.addValidation({ validate: () => checkSinglePolicyPerScope(this) });
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
   */
  public addPortLevelMtls(options: PortLevelMtls): void {
    this.declarePort(options, 'addPortLevelMtls(options)');
  }

  /** The effective mode on a container port of the selected workload(s): the port override, else the policy's mode. */
  public modeForPort(port: number): MtlsMode {
    return this._ports.get(port) ?? this.mode;
  }

  private declarePort(options: PortLevelMtls, prop: string): void {
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

  /** @internal */
  public _toKube(): PeerAuthenticationSpec {
    const ports = [...this._ports].sort(([a], [b]) => a - b);
    return {
      selector: this.service ? { matchLabels: { app: this.service.serviceName } } : undefined,
      mtls: { mode: this.mode as string as PeerAuthenticationSpecMtlsMode },
      // The CRD requires minProperties: 1, so an empty map is left out.
      portLevelMtls: ports.length === 0 ? undefined : Object.fromEntries(
        ports.map(([port, mode]) => [String(port), { mode: mode as string as PeerAuthenticationSpecPortLevelMtlsMode }])),
    };
  }
}

function requireMode(ref: PropRef, mode: MtlsMode): MtlsMode {
  if (!Object.values(MtlsMode).includes(mode)) {
    throw propError(ref.construct, ref.path, ref.prop, mode, 'is not an mTLS mode', 'use MtlsMode.STRICT, PERMISSIVE, DISABLE or UNSET');
  }
  return mode;
}

/**
 * At most one PeerAuthentication per namespace and selector: with several, Istio applies only the
 * oldest, so which one wins would depend on creation order.
 */
function checkSinglePolicyPerScope(policy: PeerAuthentication): string[] {
  const scope = (p: PeerAuthentication) => p.service?.serviceName;
  const same = registered<PeerAuthentication>(policy, PEER_AUTHENTICATION)
    .filter((c) => c.namespace === policy.namespace && scope(c) === scope(policy));
  if (same.length > 1 && same[0] !== policy) {
    const what = policy.namespaceWide ? 'namespace-wide PeerAuthentication' : `PeerAuthentication for service ${JSON.stringify(scope(policy))}`;
    return [`PeerAuthentication '${policy.node.path}': namespace ${JSON.stringify(policy.namespace)} already has the ${what} '${same[0].node.path}'; `
      + 'Istio applies only the oldest one. Fix: keep one policy per namespace and workload (put port overrides in the same policy).'];
  }
  return [];
}

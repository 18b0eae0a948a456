// The ambient waypoint: the L7 proxy (Envoy) Istio deploys for a `gateway.networking.k8s.io/v1`
// Gateway of class `istio-waypoint`. It enforces HTTPRoutes and targetRefs AuthorizationPolicies
// for the Services of namespaces labelled `istio.io/use-waypoint: <name>`. Also: which namespaces
// of the app have one in use, and the check that its name is clear of the app's names.
import { Construct } from 'constructs';
import { Gateway, GatewaySpecListenersAllowedRoutesNamespacesFrom } from '../../../imports/gateway.networking.k8s.io';
import { propError } from '../../errors';
import type { NamespaceModel } from '../../mesh/backend';
import type { AppModel } from '../../models/app';
import { versionObjectName } from '../../models/service';
import { requireDns1035Label } from '../../names';

/** Options of a per-namespace waypoint. */
export interface WaypointOptions {
  /**
   * Name of the Gateway — and of the Deployment, Service and ServiceAccount Istio creates for it,
   * so its identity is `<trust domain>/ns/<namespace>/sa/<name>`. Must not be the name of an app
   * Service, ServiceAccount or Deployment in the namespace.
   * @default 'waypoint' (what `istioctl waypoint apply` names it)
   */
  readonly name?: string;
}

/**
 * Which waypoint the namespaces of an `IstioAmbient` backend use.
 *
 * @example
 * new IstioAmbient({ waypoint: Waypoint.perNamespace({ name: 'shop-waypoint' }) });
 * @see https://istio.io/latest/docs/ambient/usage/waypoint/
 */
export class Waypoint {
  /**
   * One waypoint per namespace, created with the namespace's MeshNamespace (a Gateway of class
   * `istio-waypoint`, listener `mesh` on 15008/HBONE, `istio.io/waypoint-for: service`), and the
   * namespace labelled `istio.io/use-waypoint: <name>`.
   */
  public static perNamespace(options: WaypointOptions = {}): Waypoint {
    const name = requireDns1035Label({ construct: 'Waypoint', path: '(backend)', prop: 'name' }, options.name ?? 'waypoint');
    return new Waypoint(name);
  }

  /**
   * No waypoint: ztunnel only (mTLS and L4 authorization). TrafficSplits, a multi-version
   * service's default route and authorization by method or path are then synth errors (nothing
   * would enforce them).
   */
  public static none(): Waypoint {
    return new Waypoint(undefined);
  }

  private constructor(
    /** The Gateway's name; undefined for `Waypoint.none()`. */
    public readonly name: string | undefined,
  ) {}
}

/** A MeshNamespace rendered by the ambient backend, as whole-app analysis sees it. @internal */
export interface AmbientNamespaceModel {
  readonly path: string;
  readonly name: string;
  /** The waypoint the namespace is labelled to use; undefined without one. */
  readonly waypoint?: string;
}

/** AppModel kind of the ambient namespaces. @internal */
export const AMBIENT_NAMESPACE = 'IstioAmbientNamespace';

/** The ambient MeshNamespace of `namespace` (the first declared), if the app has one. @internal */
export function ambientNamespace(app: AppModel, namespace: string | undefined): AmbientNamespaceModel | undefined {
  const byName = app.derived('istio-ambient-namespaces', (a) => {
    const out = new Map<string, AmbientNamespaceModel>();
    for (const ns of a.list<AmbientNamespaceModel>(AMBIENT_NAMESPACE)) if (!out.has(ns.name)) out.set(ns.name, ns);
    return out;
  });
  return byName.get(namespace ?? '');
}

/** The waypoint's mTLS identity (Istio names its ServiceAccount after the Gateway). @internal */
export function waypointPrincipal(trustDomain: string, namespace: string | undefined, waypoint: string): string {
  return `${trustDomain}/ns/${namespace ?? 'default'}/sa/${waypoint}`;
}

/** The waypoint Gateway of a namespace. @internal */
export function createWaypointGateway(scope: Construct, ns: NamespaceModel, name: string): Gateway {
  return new Gateway(scope, 'Waypoint', {
    metadata: {
      name,
      namespace: ns.name,
      labels: {
        'istio.io/waypoint-for': 'service',
        // A revision selects the istiod that programs the waypoint (ztunnel is not revisioned).
        ...(ns.revision !== undefined ? { 'istio.io/rev': ns.revision } : {}),
      },
    },
    spec: {
      gatewayClassName: 'istio-waypoint',
      // allowedRoutes as the API server defaults it, so what is applied equals what is stored.
      listeners: [{ name: 'mesh', port: 15008, protocol: 'HBONE', allowedRoutes: { namespaces: { from: GatewaySpecListenersAllowedRoutesNamespacesFrom.SAME } } }],
    },
  });
}

/**
 * The waypoint's name must be clear of the app's Services, ServiceAccounts and Deployments in its
 * namespace: Istio creates a Deployment, Service and ServiceAccount under that name.
 * @internal
 */
export function waypointCollisions(app: AppModel, ns: AmbientNamespaceModel, backendName: string): string[] {
  if (ns.waypoint === undefined) return [];
  const names = app.derived('istio-ambient-app-names', (a) => {
    const out = new Map<string, string>();
    for (const svc of a.services) {
      const key = (name: string) => `${svc.namespace ?? ''}|${name}`;
      if (!out.has(key(svc.serviceName))) out.set(key(svc.serviceName), `the Service and ServiceAccount of MeshService '${svc.path}'`);
      for (const v of svc.versions) {
        const name = versionObjectName(svc.serviceName, v.name);
        if (!out.has(key(name))) out.set(key(name), `the Deployment and Service of version "${v.name}" of MeshService '${svc.path}'`);
      }
    }
    return out;
  });
  const owner = names.get(`${ns.name}|${ns.waypoint}`);
  if (!owner) return [];
  return [`IstioAmbient WaypointNameCollision: ${propError('MeshNamespace', ns.path, 'waypoint', ns.waypoint,
    `is the name of the namespace's waypoint (${backendName}), and also ${owner}: Istio creates the waypoint's Deployment, Service and ServiceAccount under the Gateway's name, so one would overwrite the other and the waypoint identity would be the app's`,
    `name the waypoint differently, e.g. new IstioAmbient({ waypoint: Waypoint.perNamespace({ name: ${JSON.stringify(`${ns.waypoint}-waypoint`)} }) })`).message}`];
}

/**
 * Why `namespace` has no waypoint `expected` in use (L7 routes and policies there are then not
 * enforced by anything), or undefined when it has.
 * @internal
 */
export function missingWaypoint(app: AppModel, namespace: string | undefined, expected: string | undefined): string | undefined {
  if (expected === undefined) return 'the backend has no waypoint (Waypoint.none()), and only a waypoint enforces L7 routing and policy in ambient mode';
  const ns = ambientNamespace(app, namespace);
  if (!ns) {
    return `namespace ${JSON.stringify(namespace ?? '(none)')} has no MeshNamespace rendered for Istio ambient, so nothing labels it istio.io/use-waypoint and creates waypoint ${JSON.stringify(expected)}`;
  }
  if (ns.waypoint !== expected) {
    return `MeshNamespace '${ns.path}' labels namespace ${JSON.stringify(ns.name)} with ${ns.waypoint === undefined ? 'no waypoint' : `waypoint ${JSON.stringify(ns.waypoint)}`}, not ${JSON.stringify(expected)}`;
  }
  return undefined;
}

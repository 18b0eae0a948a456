// Linkerd's inbound policy for one service port: a `Server` (policy.linkerd.io/v1beta3), created by
// the first construct that needs it (an AuthorizationPolicy, a MeshMonitor, a workload
// PeerAuthentication), and the inbound HTTPRoutes attached to it. Its `accessPolicy` is decided at
// synth, from every policy of the app: `deny` under an allow-list (or a namespace default-deny), else
// the port's effective mTLS mode (STRICT → all-authenticated, PERMISSIVE → all-unauthenticated).
//
// Attaching any HTTPRoute to a Server ends two defaults, so the first attachment also renders:
// a catch-all route (requests matching no route would get 404; this one carries the Server's
// accessPolicy and Server-level authorizations), and — Linkerd authorizes probe paths itself only
// while no route is attached — a probe route with a NetworkAuthentication for the kubelet.
import { Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { HttpRoute, HttpRouteSpecRulesMatches } from '../../../imports/gateway.networking.k8s.io';
import {
  AuthorizationPolicy, MeshTlsAuthentication, NetworkAuthentication, Server,
} from '../../../imports/policy.linkerd.io';
import type { AppModel } from '../../models/app';
import type { ServiceModel } from '../../models/service';
import { appSelector, serviceLabels } from '../../models/service';
import type { RouteRef } from '../gateway-api';
import type { RenderedPolicyObject } from './analysis';

const GROUP = 'policy.linkerd.io';
const REGISTRY = 'linkerd:servers';
/** Every Linkerd policy object rendered, for the reference checks. @internal */
export const POLICY_OBJECTS = 'linkerd:policy-objects';

/** One Server: a service's pods on one container port. @internal */
export interface ServerEntry {
  readonly name: string;
  readonly namespace?: string;
  readonly service: ServiceModel;
  readonly port: number;
  readonly server: Server;
  readonly scope: Construct;
  readonly ref: RouteRef;
  routed: boolean;
  metrics?: string;
}

/** Where the kubelet's probes and an unmeshed Prometheus connect from. @internal */
export interface InboundNetworks {
  readonly probes: readonly string[];
  readonly scrape: readonly string[];
}

function registry(app: AppModel): Map<string, ServerEntry> {
  let reg = app.list<Map<string, ServerEntry>>(REGISTRY)[0];
  if (!reg) app.add(REGISTRY, reg = new Map());
  return reg;
}

/** Records a rendered policy object for the reference checks. @internal */
export function recordPolicyObject(app: AppModel, entry: RenderedPolicyObject): void {
  app.add(POLICY_OBJECTS, entry);
}

/** The name of a service port's Server: `<service>-<port name>` on the service port, else `<service>-<port>`. @internal */
export function serverName(service: ServiceModel, port: number): string {
  return port === service.port ? `${service.serviceName}-${service.portName}` : `${service.serviceName}-${port}`;
}

/** The Server of `service` on `port`, created under `scope` if no construct made it yet. @internal */
export function ensureServer(app: AppModel, scope: Construct, ref: RouteRef, service: ServiceModel, port: number): ServerEntry {
  const reg = registry(app);
  const key = `${service.namespace ?? ''}|${service.serviceName}|${port}`;
  const found = reg.get(key);
  if (found) return found;
  const name = serverName(service, port);
  // A port the service doesn't declare (a metrics or probe port) is HTTP.
  const protocol = service.ports.find((p) => p.port === port)?.protocol ?? 'http';
  const server = new Server(scope, `Server-${port}`, {
    metadata: { name, labels: serviceLabels(service) },
    spec: {
      podSelector: { matchLabels: appSelector(service.serviceName) },
      // A named port resolves through the pods' container port names; other ports by number.
      port: port === service.port ? service.portName : port,
      // Per port. gRPC as HTTP/2: a `gRPC` Server reads GRPCRoutes only, so HTTPRoute policies would
      // not apply. TCP as opaque: HTTP/1 or HTTP/2 would parse a database's bytes as HTTP.
      proxyProtocol: protocol === 'http' ? 'HTTP/1' : protocol === 'tcp' ? 'opaque' : 'HTTP/2',
      accessPolicy: Lazy.any({ produce: () => accessPolicy(app, service, port) }),
    },
  });
  const entry: ServerEntry = { name, namespace: service.namespace, service, port, server, scope, ref, routed: false };
  reg.set(key, entry);
  recordPolicyObject(app, { namespace: service.namespace ?? 'default', object: server, ref });
  return entry;
}

/** Service-scoped allow-lists and namespace default-deny policies, by `ns|service` and `ns|`. */
function denyByDefault(app: AppModel): Set<string> {
  return app.derived('linkerd:deny-by-default', (a) => new Set(a.authorizations
    .filter((p) => p.denyAll || p.action === 'ALLOW')
    .map((p) => `${p.namespace ?? ''}|${p.serviceName ?? ''}`)));
}

/** The Server's accessPolicy: what requests no AuthorizationPolicy admits get. @internal */
export function accessPolicy(app: AppModel, service: ServiceModel, port: number): string {
  const deny = denyByDefault(app);
  if (deny.has(`${service.namespace ?? ''}|${service.serviceName}`) || deny.has(`${service.namespace ?? ''}|`)) return 'deny';
  return app.mtlsIndex().effective(service.serviceName, service.namespace, port).mode === 'STRICT' ? 'all-authenticated' : 'all-unauthenticated';
}

/** An inbound HTTPRoute on a Server (no backendRefs: inbound routes only select requests). @internal */
export function inboundRoute(app: AppModel, entry: ServerEntry, scope: Construct, id: string, name: string, matches: HttpRouteSpecRulesMatches[], ref: RouteRef): HttpRoute {
  const route = new HttpRoute(scope, id, {
    metadata: { name, labels: serviceLabels(entry.service) },
    spec: { parentRefs: [{ group: GROUP, kind: 'Server', name: entry.name }], rules: [{ matches }] },
  });
  recordPolicyObject(app, { namespace: entry.namespace ?? 'default', object: route, ref });
  return route;
}

/** The authentication an AuthorizationPolicy requires. @internal */
export type Authentication =
  | { readonly kind: 'MeshTLSAuthentication'; readonly identityRefs?: ReadonlyArray<{ kind: string; name: string; namespace?: string }>; readonly identities?: readonly string[] }
  | { readonly kind: 'NetworkAuthentication'; readonly networks: readonly string[] };

/**
 * An AuthorizationPolicy named `name` admitting `authn` to `target` (a Server or an inbound HTTPRoute),
 * with the authentication object of the same name.
 * @internal
 */
export function authorize(app: AppModel, scope: Construct, id: string, name: string, namespace: string | undefined, labels: { [key: string]: string },
  target: { kind: 'Server' | 'HTTPRoute'; name: string }, authn: Authentication, ref: RouteRef): AuthorizationPolicy {
  const ns = namespace ?? 'default';
  const auth = authn.kind === 'MeshTLSAuthentication'
    ? new MeshTlsAuthentication(scope, `${id}-MeshTLSAuthentication`, {
      metadata: { name, labels },
      spec: authn.identityRefs ? { identityRefs: authn.identityRefs.map((r) => ({ ...r })) } : { identities: [...authn.identities!] },
    })
    : new NetworkAuthentication(scope, `${id}-NetworkAuthentication`, {
      metadata: { name, labels },
      spec: { networks: authn.networks.map((cidr) => ({ cidr })) },
    });
  const policy = new AuthorizationPolicy(scope, id, {
    metadata: { name, labels },
    spec: {
      targetRef: { group: target.kind === 'Server' ? GROUP : 'gateway.networking.k8s.io', kind: target.kind, name: target.name },
      requiredAuthenticationRefs: [{ group: GROUP, kind: authn.kind, name }],
    },
  });
  recordPolicyObject(app, { namespace: ns, object: auth, ref });
  recordPolicyObject(app, { namespace: ns, object: policy, ref });
  return policy;
}

/**
 * Marks the Server as having inbound routes; the first time, renders the catch-all route and the
 * probe route (+ NetworkAuthentication + AuthorizationPolicy) for the service's HTTP probes on its port.
 * @internal
 */
export function attachRoutes(app: AppModel, entry: ServerEntry, networks: InboundNetworks): void {
  if (entry.routed) return;
  entry.routed = true;
  const labels = serviceLabels(entry.service);
  inboundRoute(app, entry, entry.scope, `Server-${entry.port}-DefaultRoute`, `${entry.name}-default`, [{ path: { type: 'PathPrefix' as any, value: '/' } }], entry.ref);
  const paths = [...new Set((entry.service.probes ?? []).filter((p) => p.port === entry.port).map((p) => p.path))];
  if (paths.length === 0) return;
  const name = `${entry.name}-probes`;
  inboundRoute(app, entry, entry.scope, `Server-${entry.port}-ProbeRoute`, name,
    paths.map((value) => ({ path: { type: 'Exact' as any, value }, method: 'GET' as any })), entry.ref);
  authorize(app, entry.scope, `Server-${entry.port}-ProbePolicy`, name, entry.namespace, labels, { kind: 'HTTPRoute', name },
    { kind: 'NetworkAuthentication', networks: networks.probes }, entry.ref);
}

/** The metrics route of a Server: GET `<path>` admitted from the scrape networks, once per Server. @internal */
export function authorizeScrape(app: AppModel, scope: Construct, entry: ServerEntry, path: string, networks: InboundNetworks, ref: RouteRef): void {
  if (entry.metrics !== undefined) return;
  entry.metrics = path;
  attachRoutes(app, entry, networks);
  const name = `${entry.name}-metrics`;
  inboundRoute(app, entry, scope, `Server-${entry.port}-MetricsRoute`, name, [{ path: { type: 'Exact' as any, value: path }, method: 'GET' as any }], ref);
  authorize(app, scope, `Server-${entry.port}-MetricsPolicy`, name, entry.namespace, serviceLabels(entry.service), { kind: 'HTTPRoute', name },
    { kind: 'NetworkAuthentication', networks: networks.scrape }, ref);
}

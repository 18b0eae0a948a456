// What each data plane reads of a Gateway API HTTPRoute, and the inputs every renderer function
// shares. Plain data: backends pick (or build) a dialect; nothing here knows a construct.

/**
 * What one data plane reads of `gateway.networking.k8s.io/v1` HTTPRoute. They differ: Linkerd
 * ignores any route with fields beyond Gateway API 1.2.1 and drops a route with a RequestMirror
 * filter whole; Istio reads the experimental `retry` field.
 * @see https://gateway-api.sigs.k8s.io/reference/spec/#gateway.networking.k8s.io/v1.HTTPRouteRule
 */
export interface GatewayApiDialect {
  /** The backend, as error messages name it: 'Istio sidecar (Gateway API routing)', 'Linkerd', 'Istio ambient'. */
  readonly backend: string;
  /**
   * Retries: `field` renders the experimental `rules[].retry` (GEP-1731); `external` means the
   * backend renders them elsewhere (Linkerd: `retry.linkerd.io/*` annotations), so the spec omits them.
   */
  readonly retries: 'field' | 'external';
  /**
   * Conditions the data plane retries on whenever `rules[].retry` is set, beside the listed codes
   * (Istio 1.30: connect-failure, refused-stream, unavailable, cancelled). A model retry condition
   * that is neither one of these nor a status-code class is refused. Read only with `retries: 'field'`.
   * @see https://github.com/istio/istio/blob/1.30.3/pilot/pkg/config/kube/gateway/conversion.go
   */
  readonly implicitRetryOn: readonly string[];
  /** Timeouts: `field` renders `rules[].timeouts`; `external` leaves them to the backend (Linkerd: `timeout.linkerd.io/*`). */
  readonly timeouts: 'field' | 'external';
  /** True if the data plane honours the RequestMirror filter (Linkerd: no — it drops the whole route). */
  readonly mirror: boolean;
  /** True if the data plane reads `rules[].name` (Gateway API ≥ 1.4); otherwise names are left out. */
  readonly ruleNames: boolean;
  /** Gateway API has no fault injection: always false, so a fault in the model is refused. */
  readonly faults: false;
  /**
   * True if `hostnames` on a route that also has a Service parent is ignored for that parent
   * (Istio: the mesh route's host is the Service). Linkerd matches them against every request's
   * authority, so in-mesh calls to `orders` would match no route of an exposed service: it gets
   * none (the Gateway's listeners, one per host, still select the edge hosts).
   */
  readonly hostnamesBesideServiceParent: boolean;
}

/**
 * Istio 1.30 in sidecar mode, routing with HTTPRoute instead of VirtualService (istiod turns each
 * HTTPRoute into an internal VirtualService; `retry` and RequestMirror `percent`/`fraction` are read).
 * @see https://istio.io/latest/docs/tasks/traffic-management/request-routing/
 */
export const ISTIO_SIDECAR_GATEWAY_API: GatewayApiDialect = {
  backend: 'Istio sidecar (Gateway API routing)',
  retries: 'field',
  implicitRetryOn: ['connect-failure', 'refused-stream', 'unavailable', 'cancelled'],
  timeouts: 'field',
  mirror: true,
  ruleNames: true,
  faults: false,
  hostnamesBesideServiceParent: true,
};

/** Istio 1.30 ambient mode: the waypoint (Envoy) runs the same HTTPRoute translation as the sidecar. */
export const ISTIO_AMBIENT_GATEWAY_API: GatewayApiDialect = { ...ISTIO_SIDECAR_GATEWAY_API, backend: 'Istio ambient' };

/**
 * Linkerd 2.18+ (edge-26.x): reads HTTPRoute up to Gateway API 1.2.1 (no rule names), takes
 * retries and timeouts from annotations, and drops any route with a RequestMirror filter.
 * @see https://linkerd.io/2-edge/reference/httproute/
 */
export const LINKERD_GATEWAY_API: GatewayApiDialect = {
  backend: 'Linkerd',
  retries: 'external',
  implicitRetryOn: [],
  timeouts: 'external',
  mirror: false,
  ruleNames: false,
  faults: false,
  hostnamesBesideServiceParent: false,
};

/** The Service an HTTPRoute attaches to (GAMMA: the apex Service) and its per-version Services. */
export interface GatewayApiService {
  /** The apex Service (selects every version), the route's parentRef. */
  readonly name: string;
  /**
   * Namespace of the Service and its per-version Services.
   * @default - the route's namespace
   */
  readonly namespace?: string;
  /** The Service port the route attaches to; the per-version Services expose the same port. */
  readonly port: number;
  /** The per-version Service that selects `app` + `version`, conventionally `<service>-<version>`. */
  versionService(version: string): string;
}

/** Where a route came from, for error messages (see src/errors.ts propError). */
export interface RouteRef {
  /** The construct type, e.g. `TrafficSplit`. */
  readonly construct: string;
  /** The construct's path, e.g. `mesh-demo/myservice-routing`. */
  readonly path: string;
}

// The shared Gateway API (GAMMA) renderer: pure functions from the routing model to HTTPRoute specs,
// and their analysis. Backends (Istio sidecar with HTTPRoute routing, Istio ambient, Linkerd) pick a
// dialect and wire these into their constructs.
export { GatewayApiDialect, GatewayApiService, RouteRef, ISTIO_SIDECAR_GATEWAY_API, ISTIO_AMBIENT_GATEWAY_API, LINKERD_GATEWAY_API } from './dialect';
export { requireExpressible, retryCodes, RETRY_CODE_CLASSES } from './expressible';
export { toHttpRouteSpec } from './http-route';
export { createGatewayApiGateway } from './gateway';
export { gatewayDuration, parseGatewayDuration } from './duration';
export { analyzeGatewayApiRouting, GatewayApiRouteInput } from './analysis';
export { renderGatewayApiRoute } from './route-rendering';

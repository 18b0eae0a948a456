// Ambient routing: a TrafficSplit (or a service's default route) becomes one HTTPRoute attached to
// the apex Service (GAMMA), enforced by the namespace's waypoint and routing to the per-version
// Services. The shape is the shared renderer's (backends/gateway-api/, ISTIO_AMBIENT_GATEWAY_API);
// this file wires it to the construct and adds the ambient check: a route with no waypoint in
// use is ignored by Istio.
import { Construct } from 'constructs';
import { propError } from '../../errors';
import type { IRoutingRendering, RoutingInput } from '../../mesh/backend';
import type { AppModel } from '../../models/app';
import { ISTIO_AMBIENT_GATEWAY_API, renderGatewayApiRoute } from '../gateway-api';
import { missingWaypoint } from './waypoint';

/** Renders a TrafficSplit (or a MeshService's default route) for ambient. @internal */
export function renderAmbientRoute(scope: Construct, routing: RoutingInput, app: AppModel, waypoint: string | undefined): IRoutingRendering {
  return renderGatewayApiRoute(scope, routing, app, ISTIO_AMBIENT_GATEWAY_API, () => routeWithoutWaypoint(routing, app, waypoint));
}

/** Ambient ignores an HTTPRoute on a Service that uses no waypoint (its status says it is not respected). */
function routeWithoutWaypoint(routing: RoutingInput, app: AppModel, waypoint: string | undefined): string[] {
  const why = missingWaypoint(app, routing.service.namespace, waypoint);
  if (!why) return [];
  const defaultRoute = routing.kind === 'MeshService';
  const fix = waypoint === undefined
    ? `use a waypoint (new IstioAmbient() has one per namespace)${defaultRoute ? ', or set routeToDefaultVersion: false and route the service elsewhere' : ', or remove the TrafficSplit'}`
    : `add new MeshNamespace(chart, 'namespace') for namespace ${JSON.stringify(routing.service.namespace ?? '(none)')} with this backend (it labels istio.io/use-waypoint and creates the waypoint)`;
  return [`IstioAmbient NoWaypoint: ${propError(routing.kind, routing.path, defaultRoute ? 'defaultVersion' : 'service', defaultRoute ? routing.model().rules[0]?.destinations[0]?.version : routing.service.serviceName,
    `is routed by an HTTPRoute, but ${why}: Istio ambient ignores the route (its status reports it as not respected) and requests spread over every version's pods`, fix).message}`];
}

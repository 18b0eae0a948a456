// Ambient routing: a TrafficSplit (or a service's default route) becomes one HTTPRoute attached to
// the apex Service (GAMMA), enforced by the namespace's waypoint and routing to the per-version
// Services. The shape is the shared renderer's (backends/gateway-api/, ISTIO_AMBIENT_GATEWAY_API);
// this file wires it to the construct and adds the ambient check: a route with no waypoint in
// use is ignored by Istio.
import { Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { HttpRoute } from '../../../imports/gateway.networking.k8s.io';
import { propError } from '../../errors';
import type { IRoutingRendering, RoutingInput } from '../../mesh/backend';
import type { AppModel } from '../../models/app';
import { versionObjectName } from '../../models/service';
import {
  analyzeGatewayApiRouting, GatewayApiService, ISTIO_AMBIENT_GATEWAY_API, requireExpressible, RouteRef, toHttpRouteSpec,
} from '../gateway-api';
import { missingWaypoint } from './waypoint';

/** Renders a TrafficSplit (or a MeshService's default route) for ambient. @internal */
export function renderAmbientRoute(scope: Construct, routing: RoutingInput, app: AppModel, waypoint: string | undefined): IRoutingRendering {
  const dialect = ISTIO_AMBIENT_GATEWAY_API;
  const ref: RouteRef = { construct: routing.kind, path: routing.path };
  const svc = routing.service;
  const service: GatewayApiService = {
    name: svc.serviceName,
    namespace: svc.namespace,
    port: svc.port,
    versionService: (version) => versionObjectName(svc.serviceName, version),
  };
  // Faults and other rules Gateway API can't express fail where they are written, naming ambient.
  for (const rule of routing.model().rules) requireExpressible(ref, rule, dialect);
  const resource = new HttpRoute(scope, routing.id ?? 'Resource', {
    metadata: { name: svc.serviceName, labels: { 'app': svc.serviceName, 'app.kubernetes.io/name': svc.serviceName } },
    spec: Lazy.any({ produce: () => toHttpRouteSpec(ref, routing.model(), service, dialect) }),
  });
  return {
    resource,
    ruleAdded: (rule) => requireExpressible(ref, rule, dialect),
    validate: () => {
      const model = routing.model();
      const errors: string[] = [];
      try {
        toHttpRouteSpec(ref, model, service, dialect);
      } catch (e) {
        errors.push((e as Error).message);
      }
      errors.push(...analyzeGatewayApiRouting([{ ref, model, service, versions: svc.versionNames, replicas: svc.replicas?.bind(svc) }], dialect));
      errors.push(...conflictingRoutes(routing, app));
      errors.push(...routeWithoutWaypoint(routing, app, waypoint));
      return errors;
    },
  };
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

/** Two routing objects for one Service: Gateway API merges them by precedence, then creation time. */
function conflictingRoutes(routing: RoutingInput, app: AppModel): string[] {
  const model = routing.model();
  const first = app.routingsByHost().get(`${model.serviceName}.${model.serviceNamespace ?? 'default'}`)?.[0];
  if (!first || first.path === routing.path) return [];
  return [`GatewayAPI ConflictingRoutes: ${propError(routing.kind, routing.path, 'service', routing.service.serviceName,
    `is already routed by '${first.path}': two routes attached to one Service port are merged by precedence and, on ties, by creation time`,
    `route the service from one TrafficSplit only (add these rules to '${first.path}' with addRule())`).message}`];
}

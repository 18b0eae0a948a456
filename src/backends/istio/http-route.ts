// Istio sidecar mode with Gateway API routing: a TrafficSplit becomes one HTTPRoute attached to the
// apex Service (GAMMA), routing to the per-version Services. The shape comes from the shared
// renderer (backends/gateway-api/); this file wires it to the construct and the app.
import { Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { HttpRoute } from '../../../imports/gateway.networking.k8s.io';
import type { IRoutingRendering, RoutingInput } from '../../mesh/backend';
import { propError } from '../../errors';
import type { AppModel } from '../../models/app';
import { versionObjectName } from '../../models/service';
import {
  analyzeGatewayApiRouting, GatewayApiDialect, GatewayApiService, requireExpressible, RouteRef, toHttpRouteSpec,
} from '../gateway-api';
import { routingHostKey } from './routing-analysis';

/** Renders a TrafficSplit (or a service's default route) as an HTTPRoute for `dialect`. @internal */
export function renderHttpRoute(scope: Construct, routing: RoutingInput, app: AppModel, dialect: GatewayApiDialect): IRoutingRendering {
  const ref: RouteRef = { construct: routing.kind, path: routing.path };
  const svc = routing.service;
  const service: GatewayApiService = {
    name: svc.serviceName,
    namespace: svc.namespace,
    port: svc.port,
    versionService: (version) => versionObjectName(svc.serviceName, version),
  };
  if (routing.model().tcp) {
    throw propError(routing.kind, routing.path, 'routeToDefaultVersion', true,
      `routes the TCP port ${JSON.stringify(svc.portName)} of a service with several versions, and ${dialect.backend} renders HTTPRoute only (a TCP service needs a TCPRoute)`,
      'set routeToDefaultVersion: false and scale the versions yourself, give the service one version, or use VirtualService routing (IstioRouting.VIRTUAL_SERVICE)');
  }
  // Rules the data plane can't express fail where they are written, naming the backend.
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
      // The precedence-preserving rendering can refuse a rule order; report it before anything is written.
      try {
        toHttpRouteSpec(ref, model, service, dialect);
      } catch (e) {
        errors.push((e as Error).message);
      }
      errors.push(...analyzeGatewayApiRouting([{ ref, model, service, versions: svc.versionNames, replicas: svc.replicas?.bind(svc) }], dialect));
      errors.push(...conflictingRoutes(routing, app));
      return errors;
    },
  };
}

/** Two routing objects for one Service: Gateway API merges them by precedence, then creation time. */
function conflictingRoutes(routing: RoutingInput, app: AppModel): string[] {
  const first = app.routingsByHost().get(routingHostKey(routing.model()))?.[0];
  if (!first || first.path === routing.path) return [];
  return [`GatewayAPI ConflictingRoutes: ${propError(routing.kind, routing.path, 'service', routing.service.serviceName,
    `is already routed by '${first.path}': two routes attached to one Service port are merged by precedence and, on ties, by creation time`,
    `route the service from one TrafficSplit only (add these rules to '${first.path}' with addRule())`).message}`];
}

// A TrafficSplit (or a service's default route) as one HTTPRoute attached to the apex Service
// (GAMMA), routing to the per-version Services: the wiring every single-route Gateway API backend
// shares (Istio sidecar with Gateway API routing, Istio ambient). Linkerd splits routes per policy
// and wires its own.
import { Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { HttpRoute } from '../../../imports/gateway.networking.k8s.io';
import { propError } from '../../errors';
import type { IRoutingRendering, RoutingInput } from '../../mesh/backend';
import type { AppModel } from '../../models/app';
import { versionObjectName } from '../../models/service';
import { analyzeGatewayApiRouting } from './analysis';
import { GatewayApiDialect, GatewayApiService, RouteRef } from './dialect';
import { requireExpressible } from './expressible';
import { toHttpRouteSpec } from './http-route';

/**
 * Renders `routing` as one HTTPRoute for `dialect`; `extraChecks` are the backend's own synth-time
 * checks on it (e.g. ambient's waypoint).
 * @internal
 */
export function renderGatewayApiRoute(scope: Construct, routing: RoutingInput, app: AppModel, dialect: GatewayApiDialect,
  extraChecks: () => string[] = () => []): IRoutingRendering {
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
      'set routeToDefaultVersion: false and scale the versions yourself, give the service one version, or use a backend that renders TCP routes (Istio sidecar with VirtualService routing)');
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
      errors.push(...extraChecks());
      return errors;
    },
  };
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

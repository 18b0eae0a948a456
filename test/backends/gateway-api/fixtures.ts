// Routing models built the way TrafficSplit builds them (normalizeRule), the seed's Service, and
// full HTTPRoute objects for the validator.
import { ApiObject, Testing } from 'cdk8s';
import { HttpRoute, HttpRouteSpec } from '../../../imports/gateway.networking.k8s.io';
import { GatewayApiService, RouteRef } from '../../../src/backends/gateway-api';
import { RoutingModel } from '../../../src/models/routing';
import { normalizeRule, TrafficRouteOptions, TrafficRule } from '../../../src/routing/route-options';
import { chart } from '../../util';

export const REF: RouteRef = { construct: 'TrafficSplit', path: 'test/myservice-routing' };

/** A routing model for `myservice` in namespace `test`: the rules, then the default route. */
export function routing(rules: TrafficRule[], defaultRoute?: TrafficRouteOptions, namespaces: { service?: string; route?: string } = {}): RoutingModel {
  const ref = (prop: string) => ({ ...REF, prop });
  return {
    serviceName: 'myservice',
    serviceNamespace: namespaces.service ?? 'test',
    namespace: namespaces.route ?? 'test',
    rules: [
      ...rules.map((r, i) => normalizeRule(ref(`rules[${i}]`), r)),
      ...(defaultRoute ? [normalizeRule(ref('defaultRoute'), defaultRoute)] : []),
    ],
  };
}

/** The seed's apex Service and its per-version Services `<service>-<version>`. */
export function service(name = 'myservice', port = 8080, namespace: string | undefined = 'test'): GatewayApiService {
  return { name, namespace, port, versionService: (v) => `${name}-${v}` };
}

/** The full object as the API server receives it (plain JSON, through the generated class's manifest()). */
export function httpRouteObject(spec: HttpRouteSpec, name = 'myservice', namespace = 'test'): any {
  return HttpRoute.manifest({ metadata: { name, namespace }, spec });
}

/**
 * Synthesizes the route in a chart, so the jest hook validates it (fast layer) and records it for
 * the server layer's dry-run in .ci/run; returns the synthesized object.
 */
export function synthesized(spec: HttpRouteSpec, name = 'myservice'): any {
  const c = chart();
  new ApiObject(c, name, httpRouteObject(spec, name));
  return Testing.synth(c).find((o: any) => o.kind === 'HTTPRoute' && o.metadata.name === name);
}

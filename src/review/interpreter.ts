// The interpreter: routing YAML → "request → versions with shares", for every backend.
import { gatewayRouting } from './gateway-routing';
import { istioRouting } from './istio-routing';
import { normalizeRequest, requestMatches, SampleRequest } from './match';
import { K8sObject } from './objects';
import { RouteDecision, RoutingModel, ServiceKey, ServiceRouting } from './routing-model';
import { Inventory, resolveHost } from './workloads';

/**
 * Reads the routing of every service in a set of manifests: Istio VirtualServices
 * (`networking.istio.io` v1, v1beta1, v1alpha3; first match wins) and Gateway API HTTPRoutes
 * attached to Services (GAMMA; Gateway API precedence across every rule of every route on the
 * Service; Linkerd's `retry.linkerd.io/*` / `timeout.linkerd.io/*` annotations). When a service
 * has both, the VirtualService is used and the HTTPRoutes are noted.
 *
 * @param objects parsed manifests (see `parseManifests`, `readManifests`)
 * @see routeRequest to send a request through the result
 */
export function interpretRouting(objects: readonly K8sObject[], inventory: Inventory = new Inventory(objects)): RoutingModel {
  const services = new Map<ServiceKey, ServiceRouting>();
  for (const r of istioRouting(objects)) services.set(r.service, r);
  for (const r of gatewayRouting(objects, inventory)) {
    const vs = services.get(r.service);
    if (!vs) services.set(r.service, r);
    else services.set(r.service, { ...vs, notes: [...vs.notes, `HTTPRoutes also attach to ${r.service}: never route one host with a VirtualService and an HTTPRoute (Istio merges them unpredictably); reviewed as the VirtualService`] });
  }
  return { services: new Map([...services].sort(([a], [b]) => (a < b ? -1 : 1))) };
}

function resolveRequestHost(model: RoutingModel, request: SampleRequest): ServiceKey {
  if (request.namespace) return resolveHost(request.host, request.namespace);
  if (request.host.includes('.')) return resolveHost(request.host, 'default');
  const found = [...model.services.keys()].find((k) => k.split('/')[1] === request.host);
  return found ?? resolveHost(request.host, 'default');
}

/**
 * Where a request goes: the first rule (in evaluation order) with a match the request meets
 * decides the versions and their shares. A service without routing rules load-balances over
 * all its pods (version `*`); a service whose rules all miss answers 404 (no shares).
 *
 * @example routeRequest(model, { host: 'myservice', headers: { version: 'v2' } }).shares
 * // [{ service: 'mesh-demo/myservice', version: 'v2', percent: 100, via: 'subset v2' }]
 */
export function routeRequest(model: RoutingModel, request: SampleRequest): RouteDecision {
  const service = resolveRequestHost(model, request);
  const routing = model.services.get(service);
  const none = { mirrors: [] };
  if (!routing) return { service, rule: 'no routing rules', shares: [{ service, version: '*', percent: 100, via: `Service ${service}` }], policy: none };
  const req = normalizeRequest(request, request.namespace);
  for (const rule of routing.rules) {
    if (rule.matches.length === 0 || rule.matches.some((m) => requestMatches(m, req))) {
      const shares = [...rule.shares].sort((a, b) => (a.service + a.version < b.service + b.version ? -1 : 1));
      return { service, rule: rule.key, shares, policy: rule.policy };
    }
  }
  return { service, rule: 'no route', shares: [], policy: none };
}

// A TrafficSplit under Linkerd: `gateway.networking.k8s.io/v1` HTTPRoutes on the apex Service,
// Gateway API 1.2.1 fields only (LINKERD_GATEWAY_API), one HTTPRoute per distinct retry/timeout
// policy (Linkerd reads them from route annotations, which cover the whole route). Gateway API picks
// among the matches of *all* routes on a parent by specificity and breaks ties by creation time, so
// rules of different routes must never tie or outrank an earlier rule: that is refused, naming both.
import { ApiObject, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { HttpRoute } from '../../../imports/gateway.networking.k8s.io';
import { propError } from '../../errors';
import type { IRoutingRendering, RoutingInput } from '../../mesh/backend';
import type { AppModel } from '../../models/app';
import type { RoutingModel, RuleModel } from '../../models/routing';
import { versionObjectName } from '../../models/service';
import {
  analyzeGatewayApiRouting, GatewayApiService, LINKERD_GATEWAY_API, requireExpressible, RouteRef, toHttpRouteSpec,
} from '../gateway-api';
import { CATCH_ALL, condOf, conj, describeCond, precedence } from '../gateway-api/conditions';
import { policyAnnotations, policyKey } from './annotations';
import { ignoredRouteFields } from './analysis';

/** One HTTPRoute of a TrafficSplit: the rules (by model index) sharing one policy. */
interface RouteGroup {
  readonly key: string;
  readonly annotations: { readonly [key: string]: string };
  readonly route: HttpRoute;
}

/** The routes' names: `<service>` for the first policy, `<service>-2`, `-3`, … in the order policies appear. @internal */
export function routeName(service: string, index: number): string {
  return index === 0 ? service : `${service}-${index + 1}`;
}

/** Renders a TrafficSplit (or a MeshService's default route) for Linkerd. @internal */
export function renderLinkerdRouting(scope: Construct, routing: RoutingInput, app: AppModel): IRoutingRendering {
  const ref: RouteRef = { construct: routing.kind, path: routing.path };
  const svc = routing.service;
  const service: GatewayApiService = {
    name: svc.serviceName, namespace: svc.namespace, port: svc.port, versionService: (v) => versionObjectName(svc.serviceName, v),
  };
  const groups: RouteGroup[] = [];
  const keyOf = (rule: RuleModel): { key: string; annotations: { [key: string]: string } } => {
    requireExpressible(ref, rule, LINKERD_GATEWAY_API);
    const annotations = policyAnnotations(ref, rule);
    return { key: policyKey(annotations), annotations };
  };
  const place = (rule: RuleModel) => {
    const { key, annotations } = keyOf(rule);
    if (groups.some((g) => g.key === key)) return;
    const index = groups.length;
    const route = new HttpRoute(scope, index === 0 ? (routing.id ?? 'Resource') : `${routing.id ?? 'Resource'}-${index + 1}`, {
      metadata: {
        name: routeName(svc.serviceName, index),
        labels: { 'app': svc.serviceName, 'app.kubernetes.io/name': svc.serviceName },
        annotations: Object.keys(annotations).length ? annotations : undefined,
      },
      spec: Lazy.any({ produce: () => toHttpRouteSpec(ref, subModel(routing.model(), key, keyOf), service, LINKERD_GATEWAY_API) }),
    });
    groups.push({ key, annotations, route });
  };
  for (const rule of routing.model().rules) place(rule);
  return {
    resource: groups[0]?.route,
    ruleAdded: (rule) => place(rule),
    validate: () => {
      const model = routing.model();
      const errors: string[] = [];
      for (const g of groups) {
        const sub = subModel(model, g.key, keyOf);
        try {
          toHttpRouteSpec(ref, sub, service, LINKERD_GATEWAY_API);
        } catch (e) {
          errors.push((e as Error).message);
          continue;
        }
        errors.push(...analyzeGatewayApiRouting([{ ref, model: sub, service, versions: svc.versionNames, replicas: svc.replicas?.bind(svc) }], LINKERD_GATEWAY_API));
        errors.push(...ignoredRouteFields(ref, ApiObject.of(g.route)));
      }
      errors.push(...crossRoutePrecedence(ref, model, (r) => keyOf(r).key, (key) => routeName(svc.serviceName, groups.findIndex((g) => g.key === key))));
      errors.push(...secondRouting(routing, app));
      return errors;
    },
  };
}

/** The rules of `model` with policy `key`, in order (each group's HTTPRoute renders this model). */
function subModel(model: RoutingModel, key: string, keyOf: (rule: RuleModel) => { key: string }): RoutingModel {
  return { ...model, rules: model.rules.filter((r) => keyOf(r).key === key) };
}

/**
 * Rules rendered into different HTTPRoutes: wherever an earlier rule's match and a later rule's
 * match can both hold, the earlier one must strictly outrank the later one under Gateway API
 * precedence — a tie would go to the older route (creation time, which `kubectl apply` does not
 * order reliably), and a later, more specific match would win outright. Refused, naming both.
 * @internal
 */
export function crossRoutePrecedence(ref: RouteRef, model: RoutingModel, keyOf: (rule: RuleModel) => string, nameOf: (key: string) => string): string[] {
  const out: string[] = [];
  const matches = model.rules.map((rule) => (rule.matches.length ? rule.matches.map((m) => ({ cond: condOf(m), prop: m.prop })) : [{ cond: CATCH_ALL, prop: rule.prop }]));
  model.rules.forEach((early, i) => {
    for (let j = i + 1; j < model.rules.length; j++) {
      const late = model.rules[j];
      if (keyOf(early) === keyOf(late)) continue;
      for (const a of matches[i]) {
        for (const b of matches[j]) {
          if (conj(a.cond, b.cond) === 'disjoint') continue;
          const order = precedence(a.cond, b.cond);
          if (order && order.order > 0) continue;
          const why = !order ? 'the precedence of a RegularExpression path is left to the implementation'
            : order.order === 0 ? 'they tie, and Linkerd breaks ties between HTTPRoutes by creation time, then name — not by the rule order'
              : order.why;
          out.push(propError(ref.construct, ref.path, b.prop, describeCond(b.cond),
            `can take requests that ${a.prop} (${describeCond(a.cond)}) matches first: ${late.prop} and ${early.prop} have different retry/timeout policies, so Linkerd gets them in separate HTTPRoutes ("${nameOf(keyOf(late))}" and "${nameOf(keyOf(early))}"), and across routes ${why}`,
            `give ${early.prop} and ${late.prop} the same timeout and retries (one HTTPRoute keeps their order), make their matches disjoint, or make ${early.prop}'s match more specific (an Exact or longer path, a method, more headers)`).message);
        }
      }
    }
  });
  return out;
}

/** A second routing object for the same Service: its routes would merge with the first's by precedence. */
function secondRouting(routing: RoutingInput, app: AppModel): string[] {
  const m = routing.model();
  const first = app.routingsByHost().get(`${m.serviceName}.${m.serviceNamespace ?? 'default'}`)?.[0];
  if (!first || first.path === routing.path) return [];
  return [`Linkerd ConflictingRoutes: ${propError(routing.kind, routing.path, 'service', routing.service.serviceName,
    `is already routed by '${first.path}': HTTPRoutes attached to one Service are merged by precedence and, on ties, by creation time`,
    `route the service from one TrafficSplit only (add these rules to '${first.path}' with addRule())`).message}`];
}

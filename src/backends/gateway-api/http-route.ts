// Routing model → Gateway API (GAMMA) HTTPRoute spec, for every data plane that routes with
// HTTPRoute. Everything the API server would default is written out (group, kind, weight, path
// match, header type, mirror denominator): what is applied equals what is stored.
import {
  HttpRouteSpec,
  HttpRouteSpecRules,
  HttpRouteSpecRulesBackendRefs,
  HttpRouteSpecRulesFilters,
  HttpRouteSpecRulesFiltersType,
  HttpRouteSpecRulesMatches,
  HttpRouteSpecRulesMatchesHeadersType,
  HttpRouteSpecRulesMatchesMethod,
  HttpRouteSpecRulesMatchesPathType,
  HttpRouteSpecRulesMatchesQueryParamsType,
} from '../../../imports/gateway.networking.k8s.io';
import { propError } from '../../errors';
import { MirrorModel, RoutingModel, RuleModel } from '../../models/routing';
import { Cond } from './conditions';
import { GatewayApiDialect, GatewayApiService, RouteRef } from './dialect';
import { gatewayDuration } from './duration';
import { requireExpressible, retryCodes } from './expressible';
import { Entry, orderEntries } from './precedence';

/** HTTPRoute's CEL limit on rules per route. */
const MAX_RULES = 16;

/**
 * The HTTPRoute spec of a routing model, attached (GAMMA) to the apex Service:
 * `parentRefs: [{group: '', kind: 'Service', name, port}]` (with `namespace` when the route lives
 * elsewhere), `backendRefs` naming the per-version Services with explicit weights summing to 100.
 *
 * Rules come out in an order and shape whose Gateway API precedence (most specific match wins)
 * reproduces the model's first-match-wins order: an earlier rule's conditions are combined with
 * a later, more specific match when both can match one request (e.g. header `x-canary: yes`
 * first, then prefix `/api`, renders an extra `/api` + `x-canary` match for the canary rule).
 * When that can't be written, it throws, naming both rules — it never emits a silently reordered
 * route. Path prefixes follow Gateway API: `StringMatch.prefix('/api')` matches /api and /api/…
 * by whole segments (not /apix, as a VirtualService's string prefix would).
 *
 * Timeouts become `timeouts.request` (the route timeout) and `timeouts.backendRequest` (the
 * per-try timeout, with retries); retries the experimental `retry` {attempts, codes}; a mirror a
 * RequestMirror filter with `percent` (or `fraction` for a fractional percentage); rule names
 * `rules[].name` — each only where `dialect` reads it.
 *
 * @throws a propError for anything the dialect can't express (see {@link requireExpressible}).
 * @see https://gateway-api.sigs.k8s.io/mesh/
 * @see https://gateway-api.sigs.k8s.io/reference/spec/#gateway.networking.k8s.io/v1.HTTPRoute
 */
export function toHttpRouteSpec(ref: RouteRef, model: RoutingModel, service: GatewayApiService, dialect: GatewayApiDialect): HttpRouteSpec {
  model.rules.forEach((rule) => requireExpressible(ref, rule, dialect));
  const namespace = (model.namespace ?? '') === (service.namespace ?? model.namespace ?? '') ? undefined : service.namespace;
  const groups = groupEntries(orderEntries(ref, model, dialect.backend));
  if (groups.length > MAX_RULES) {
    throw propError(ref.construct, ref.path, 'rules', `${model.rules.length} rules`,
      `render as ${groups.length} HTTPRoute rules (an HTTPRoute holds at most ${MAX_RULES}) to keep their first-match-wins order under Gateway API precedence`,
      'use fewer rules, or give later rules conditions that exclude earlier rules\' requests');
  }
  const names = new Map<number, number>();
  const rules = groups.map((group): HttpRouteSpecRules => {
    const rule = model.rules[group.rule];
    const seen = (names.get(group.rule) ?? 0) + 1;
    names.set(group.rule, seen);
    const name = rule.name !== undefined && dialect.ruleNames ? (seen === 1 ? rule.name : `${rule.name}-${seen}`) : undefined;
    return toRule(ref, rule, group.conds, name, service, namespace, dialect);
  });
  const named = rules.map((r) => r.name).filter((n): n is string => n !== undefined);
  const twice = named.find((n, i) => named.indexOf(n) !== i);
  if (twice !== undefined) {
    throw propError(ref.construct, ref.path, 'rules', twice, 'names two HTTPRoute rules (a rule split to keep its precedence is named <name>-2, <name>-3, …), and rule names must be unique',
      'give each rule a distinct name');
  }
  const edges = model.edges ?? [];
  return {
    parentRefs: [
      { group: '', kind: 'Service', name: service.name, ...(namespace ? { namespace } : {}), port: service.port },
      // MeshIngress: the same rules for edge traffic; the Gateway listeners pick the hostnames.
      ...[...new Set(edges.map((e) => e.gateway))].map((name) => ({ group: 'gateway.networking.k8s.io', kind: 'Gateway', name })),
    ],
    ...(edges.length && dialect.hostnamesBesideServiceParent ? { hostnames: [...new Set(edges.flatMap((e) => e.hosts))] } : {}),
    rules,
  };
}

/** Consecutive entries of one model rule become one HTTPRoute rule (order of matches kept). */
function groupEntries(entries: readonly Entry[]): Array<{ rule: number; conds: Cond[] }> {
  const out: Array<{ rule: number; conds: Cond[] }> = [];
  for (const e of entries) {
    const last = out[out.length - 1];
    if (last && last.rule === e.rule) last.conds.push(e.cond);
    else out.push({ rule: e.rule, conds: [e.cond] });
  }
  return out;
}

function toRule(ref: RouteRef, rule: RuleModel, conds: readonly Cond[], name: string | undefined, service: GatewayApiService,
  namespace: string | undefined, dialect: GatewayApiDialect): HttpRouteSpecRules {
  const backendRef = (version: string) => ({ group: '', kind: 'Service', name: service.versionService(version), ...(namespace ? { namespace } : {}), port: service.port });
  const backendRefs: HttpRouteSpecRulesBackendRefs[] = rule.destinations.map((d) => ({ ...backendRef(d.version), weight: d.weight ?? 100 }));
  const filters: HttpRouteSpecRulesFilters[] = rule.mirror && dialect.mirror
    ? [{ type: HttpRouteSpecRulesFiltersType.REQUEST_MIRROR, requestMirror: { backendRef: backendRef(rule.mirror.version), ...mirrorShare(ref, rule.mirror) } }]
    : [];
  const retries = dialect.retries === 'field' ? rule.retries : undefined;
  const codes = retries ? retryCodes(ref, rule, dialect) : [];
  const timeouts = dialect.timeouts === 'field' && (rule.timeoutMs !== undefined || retries?.perTryTimeoutMs !== undefined)
    ? {
      ...(rule.timeoutMs !== undefined ? { request: gatewayDuration(rule.timeoutMs) } : {}),
      // Istio applies backendRequest per try only when `retry` is set (otherwise as the route timeout).
      ...(retries?.perTryTimeoutMs !== undefined ? { backendRequest: gatewayDuration(retries.perTryTimeoutMs) } : {}),
    }
    : undefined;
  return {
    ...(name !== undefined ? { name } : {}),
    matches: conds.map(toMatch),
    ...(filters.length ? { filters } : {}),
    backendRefs,
    ...(timeouts ? { timeouts } : {}),
    ...(retries ? { retry: { attempts: retries.attempts, ...(codes.length && retries.attempts > 0 ? { codes } : {}) } } : {}),
  };
}

function toMatch(c: Cond): HttpRouteSpecRulesMatches {
  return {
    path: { type: c.path.type as HttpRouteSpecRulesMatchesPathType, value: c.path.value },
    ...(c.method ? { method: c.method as HttpRouteSpecRulesMatchesMethod } : {}),
    ...(c.headers.length ? { headers: c.headers.map(([name, v]) => ({ name, type: v.type as HttpRouteSpecRulesMatchesHeadersType, value: v.value })) } : {}),
    ...(c.queryParams.length ? { queryParams: c.queryParams.map(([name, v]) => ({ name, type: v.type as HttpRouteSpecRulesMatchesQueryParamsType, value: v.value })) } : {}),
  };
}

/** The mirrored share: `percent` when whole, else an exact `fraction` (denominator a power of ten, int32). */
function mirrorShare(ref: RouteRef, mirror: MirrorModel): { percent: number } | { fraction: { numerator: number; denominator: number } } {
  const p = mirror.percentage;
  if (Number.isInteger(p)) return { percent: p };
  for (let k = 1; k <= 7; k++) {
    if (Number(p.toFixed(k)) === p) return { fraction: { numerator: Math.round(p * 10 ** k), denominator: 100 * 10 ** k } };
  }
  throw propError(ref.construct, ref.path, `${mirror.prop}.percentage`, p, 'has more decimals than a Gateway API mirror fraction can hold',
    'round the percentage to at most 7 decimals');
}

// Whole-app checks for Gateway API routing, mirroring the Istio analysis (src/analysis/routing.ts)
// under Gateway API semantics: backends without a Service or pods, rules and matches that never
// win under Gateway API precedence, two routes on one Service port, regexes that aren't RE2.
// Plain data in, messages out: the backend decides when to run it (e.g. node.addValidation).
import { propError, show } from '../../errors';
import { RoutingModel, StringMatch, StringMatchKind } from '../../models/routing';
import { re2Problem } from '../../routing/re2';
import { describeCond } from './conditions';
import { GatewayApiDialect, GatewayApiService, RouteRef } from './dialect';
import { toHttpRouteSpec } from './http-route';
import { closeEntries, entryLabel, shadowOf } from './precedence';

/** One HTTPRoute the app renders, and what the analysis must know of the Service it routes. */
export interface GatewayApiRouteInput {
  /** Where the route comes from (messages name it). */
  readonly ref: RouteRef;
  /** Its routing model. */
  readonly model: RoutingModel;
  /** The Service it attaches to, and the per-version Service names. */
  readonly service: GatewayApiService;
  /** The versions the service declares: each has a per-version Service. */
  readonly versions: readonly string[];
  /**
   * Replicas of a version; 0 means its Service selects no pod.
   * @default - unknown: not checked
   */
  readonly replicas?: (version: string) => number | undefined;
}

type Report = (code: string, prop: string, value: unknown, problem: string, fix: string) => string;

/**
 * Every Gateway API routing error of the app, each starting with `GatewayAPI <Code>:` —
 * BackendNotFound (a version without a Service), NoPods (a version with replicas: 0),
 * UnreachableRule / IneffectiveMatch (never wins under Gateway API precedence),
 * ConflictingRoutes (a second route on one Service port in one namespace), InvalidRegex (not
 * RE2), NotExpressible (the renderer's refusal, so one list holds every problem).
 * @param routes every HTTPRoute-routed service of the app, in declaration order (the first of two conflicting routes is not reported)
 * @param dialect the data plane the routes are rendered for
 * @see https://gateway-api.sigs.k8s.io/reference/spec/#gateway.networking.k8s.io/v1.HTTPRouteRule
 */
export function analyzeGatewayApiRouting(routes: readonly GatewayApiRouteInput[], dialect: GatewayApiDialect): string[] {
  const out: string[] = [];
  const attached = new Map<string, GatewayApiRouteInput>();
  for (const route of routes) {
    const err: Report = (code, prop, value, problem, fix) => `GatewayAPI ${code}: ${propError(route.ref.construct, route.ref.path, prop, value, problem, fix).message}`;
    out.push(...consumerRoute(route, dialect, err), ...missingBackends(route, err), ...invalidRegexes(route.model, err), ...neverWinning(route, dialect, err));
    const ns = route.service.namespace ?? route.model.namespace ?? 'default';
    const key = `${route.model.namespace ?? 'default'} → ${ns}/${route.service.name}:${route.service.port}`;
    const first = attached.get(key);
    if (first) {
      out.push(err('ConflictingRoutes', 'service', route.service.name,
        `is already routed by '${first.ref.path}': two HTTPRoutes attached to Service ${ns}/${route.service.name} port ${route.service.port} are merged by precedence and, on ties, by creation time`,
        `route the service from one place only (add these rules to '${first.ref.path}')`));
    } else {
      attached.set(key, route);
    }
  }
  return out;
}

/**
 * A route in another namespace than its Service is a GAMMA *consumer* route: it only steers that
 * namespace's own clients, its cross-namespace backendRefs need a ReferenceGrant, and every other
 * client would lose the producer's routing. Refused: route a service from its own namespace.
 */
function consumerRoute(route: GatewayApiRouteInput, dialect: GatewayApiDialect, err: Report): string[] {
  const routeNs = route.model.namespace ?? '';
  const serviceNs = route.service.namespace ?? route.model.serviceNamespace ?? '';
  if (routeNs === serviceNs) return [];
  return [err('ConsumerRoute', 'service', route.service.name,
    `is in namespace ${JSON.stringify(serviceNs)} but this route would live in ${JSON.stringify(routeNs)}: under ${dialect.backend} (Gateway API, GAMMA) that is a consumer route, which only steers clients in ${JSON.stringify(routeNs)}, needs a ReferenceGrant for its backendRefs, and leaves every other client unrouted`,
    'create the TrafficSplit in the chart (namespace) of the service it routes')];
}

function missingBackends(route: GatewayApiRouteInput, err: Report): string[] {
  const { service, versions, replicas } = route;
  const out: string[] = [];
  const check = (prop: string, version: string, receives: boolean, fixZero: string) => {
    if (!versions.includes(version)) {
      out.push(err('BackendNotFound', `${prop}.version`, version,
        `is not a version of "${service.name}" (declared: ${versions.map((v) => show(v)).join(', ')}), so Service "${service.versionService(version)}" does not exist and its share of requests fails (ResolvedRefs: BackendNotFound)`,
        'route to a declared version, or declare it (versions: [...] or addVersion())'));
    } else if (receives && replicas?.(version) === 0) {
      out.push(err('NoPods', `${prop}.version`, version,
        `receives traffic, but version "${version}" has replicas: 0, so Service "${service.versionService(version)}" selects no pod and requests fail with 503`, fixZero));
    }
  };
  for (const rule of route.model.rules) {
    for (const d of rule.destinations) check(d.prop, d.version, (d.weight ?? 100) > 0, 'scale the version up, or give it weight 0 (Weight.percent(0)) until it has pods');
    if (rule.mirror) check(rule.mirror.prop, rule.mirror.version, true, 'scale the version up, or drop the mirror');
  }
  return out;
}

function invalidRegexes(model: RoutingModel, err: Report): string[] {
  const out: string[] = [];
  const check = (prop: string, m: StringMatch | undefined) => {
    const problem = m?.kind === StringMatchKind.REGEX ? re2Problem(m.value) : undefined;
    if (problem) {
      out.push(err('InvalidRegex', prop, m!.value, `is not a valid RE2 regular expression (${problem}), the syntax Envoy compiles Gateway API regexes with`,
        'use RE2 syntax (https://github.com/google/re2/wiki/Syntax): no lookahead/lookbehind, backreferences or possessive quantifiers'));
    }
  };
  for (const rule of model.rules) {
    for (const m of rule.matches) {
      for (const [name, sm] of m.headers) check(name === 'cookie' ? `${m.prop}.cookie` : `${m.prop}.headers[${JSON.stringify(name)}]`, sm);
      check(`${m.prop}.uri`, m.uri);
      for (const [name, sm] of m.queryParams) check(`${m.prop}.queryParams[${JSON.stringify(name)}]`, sm);
    }
  }
  return out;
}

/** Matches and rules that never win under Gateway API precedence, read off the entries the renderer emits. */
function neverWinning(route: GatewayApiRouteInput, dialect: GatewayApiDialect, err: Report): string[] {
  const { model, ref } = route;
  try {
    toHttpRouteSpec(ref, model, route.service, dialect);
  } catch (e) {
    return [`GatewayAPI NotExpressible: ${(e as Error).message}`];
  }
  const entries = closeEntries(ref, model, dialect.backend);
  const out: string[] = [];
  const reachable = new Set<number>();
  entries.forEach((e, i) => {
    const by = shadowOf(entries, i);
    if (!by || by.rule === e.rule) {
      reachable.add(e.rule);
      return;
    }
    if (e.origin && model.rules[e.rule].matches.length > 1) {
      out.push(err('IneffectiveMatch', e.origin, describeCond(e.cond),
        `never wins under Gateway API precedence: ${entryLabel(by)} (${describeCond(by.cond)}) matches every request it matches and ranks at least as high, so they go to ${model.rules[by.rule].prop}`,
        'remove the match, or move the more specific rule before the more general one'));
    }
  });
  model.rules.forEach((rule, i) => {
    if (reachable.has(i)) return;
    const what = rule.matches.length === 0 ? 'every request' : rule.matches.map((m) => m.prop).join(' or ');
    out.push(err('UnreachableRule', rule.prop, `${rule.name ? `${show(rule.name)}: ` : ''}${what} → ${rule.destinations.map((d) => d.version).join(', ')}`,
      'is never reached under Gateway API precedence: every request it matches goes to an earlier or more specific rule',
      'remove the rule, or move it before the rules that take its requests'));
  });
  return out;
}

// istioctl-analyze-style routing checks, run at synth (node.addValidation) because they need the
// whole app: versions added later with addVersion(), other TrafficSplits. They read the routing
// model, not rendered YAML, so each message names the construct and the prop to change.
import type { RoutingInput } from '../../mesh/backend';
import type { AppModel } from '../../models/app';
import { propError, show } from '../../errors';
import { MatchModel, RoutingModel, RuleModel, StringMatch, StringMatchKind } from '../../models/routing';
import type { ServiceRef } from '../../models/service';
import { re2Problem } from '../../routing/re2';

/** Every routing error of a TrafficSplit, each starting with the Istio analyzer code it mirrors. @internal */
export function analyzeRouting(source: RoutingInput, app: AppModel): string[] {
  const model = source.model();
  const err = (code: string, prop: string, value: unknown, problem: string, fix: string): string =>
    `${code}: ${propError(source.kind, source.path, prop, value, problem, fix).message}`;
  return [
    ...undeclaredVersions(source.service, model, err),
    ...scaledToZero(source.service, model, err),
    ...unreachableRules(model, err),
    ...invalidRegexes(model, err),
    ...conflictingHosts(source, app, err),
  ];
}

type Report = (code: string, prop: string, value: unknown, problem: string, fix: string) => string;

function undeclaredVersions(service: ServiceRef, model: RoutingModel, err: Report): string[] {
  const declared = service.versionNames;
  const problem = `is not a version of MeshService "${service.serviceName}" (declared: ${declared.map((v) => JSON.stringify(v)).join(', ')}), so its DestinationRule has no such subset`;
  const fix = 'route to a declared version, or declare it (versions: [...] or addVersion())';
  const out: string[] = [];
  for (const rule of model.rules) {
    for (const d of rule.destinations) {
      if (!declared.includes(d.version)) out.push(err('IST0101 ReferencedResourceNotFound', `${d.prop}.version`, d.version, problem, fix));
    }
    if (rule.mirror && !declared.includes(rule.mirror.version)) {
      out.push(err('IST0101 ReferencedResourceNotFound', `${rule.mirror.prop}.version`, rule.mirror.version, problem, fix));
    }
  }
  return out;
}

/**
 * Traffic to a version with no pods: its subset selects nothing and Envoy answers 503 "no healthy
 * upstream" (IST0173 DestinationRuleSubsetNotSelectPods). Zero-weight and undeclared destinations
 * are left to their own checks; a mirror to nothing is harmless but pointless, so it is flagged too.
 */
function scaledToZero(service: ServiceRef, model: RoutingModel, err: Report): string[] {
  if (!service.replicas) return [];
  const empty = (version: string) => service.versionNames.includes(version) && service.replicas!(version) === 0;
  const problem = (version: string) => `receives traffic, but version "${version}" of MeshService "${service.serviceName}" has replicas: 0, so its subset selects no pod and requests fail with 503`;
  const fix = 'scale the version up, or give it weight 0 (Weight.percent(0)) until it has pods';
  const out: string[] = [];
  for (const rule of model.rules) {
    for (const d of rule.destinations) {
      if ((d.weight ?? 100) > 0 && empty(d.version)) out.push(err('IST0173 DestinationRuleSubsetNotSelectPods', `${d.prop}.version`, d.version, problem(d.version), fix));
    }
    if (rule.mirror && empty(rule.mirror.version)) {
      out.push(err('IST0173 DestinationRuleSubsetNotSelectPods', `${rule.mirror.prop}.version`, rule.mirror.version, problem(rule.mirror.version), 'scale the version up, or drop the mirror'));
    }
  }
  return out;
}

/**
 * Rules evaluate in order and the first match wins (Istio's analyzeUnreachableHTTPRules): a rule
 * after a catch-all is never reached (IST0130); a match identical to — or, beyond istioctl,
 * covered by — an earlier rule's match never wins (IST0131), and a rule whose every match is so
 * covered is never reached (IST0130).
 */
function unreachableRules(model: RoutingModel, err: Report): string[] {
  const out: string[] = [];
  let catchAll: RuleModel | undefined;
  const earlier: Array<{ match: MatchModel; rule: RuleModel }> = [];
  for (const rule of model.rules) {
    if (catchAll) {
      out.push(err('IST0130 VirtualServiceUnreachableRule', rule.prop, describeRule(rule),
        `is never reached: ${catchAll.prop} has no matches, so it takes every request first`,
        `give ${catchAll.prop} a match, or remove it (defaultRoute already takes the requests no rule matches)`));
      continue;
    }
    if (rule.matches.length === 0) {
      catchAll = rule;
      continue;
    }
    let covered = 0;
    for (const match of rule.matches) {
      const same = earlier.find((e) => key(e.match) === key(match));
      const wider = same ?? earlier.find((e) => e.rule !== rule && covers(e.match, match));
      if (wider) {
        covered++;
        out.push(err('IST0131 VirtualServiceIneffectiveMatch', match.prop, describeMatch(match),
          same ? `is identical to ${same.match.prop}, which comes first` : `only matches requests that ${wider.match.prop} (${describeMatch(wider.match)}) already matches first`,
          'remove the match, or move the more specific rule before the more general one'));
      } else {
        earlier.push({ match, rule });
      }
    }
    if (covered === rule.matches.length) {
      out.push(err('IST0130 VirtualServiceUnreachableRule', rule.prop, describeRule(rule),
        'is never reached: every one of its matches is taken by an earlier rule',
        'remove the rule, or move it before the rules that take its requests'));
    }
  }
  return out;
}

function invalidRegexes(model: RoutingModel, err: Report): string[] {
  const out: string[] = [];
  const check = (prop: string, m: StringMatch | undefined): void => {
    if (m?.kind !== StringMatchKind.REGEX) return;
    const problem = re2Problem(m.value);
    if (problem) {
      out.push(err('IST0122 InvalidRegexp', prop, m.value, `is not a valid RE2 regular expression (${problem})`,
        'use RE2 syntax (https://github.com/google/re2/wiki/Syntax): no lookahead/lookbehind, backreferences or possessive quantifiers'));
    }
  };
  for (const rule of model.rules) {
    for (const m of rule.matches) {
      for (const [name, sm] of m.headers) check(`${m.prop}.headers[${JSON.stringify(name)}]`, sm);
      check(`${m.prop}.uri`, m.uri);
      for (const [name, sm] of m.queryParams) check(`${m.prop}.queryParams[${JSON.stringify(name)}]`, sm);
    }
  }
  return out;
}

/** The host key of a routing model: `<service>.<namespace>`. @internal */
export function routingHostKey(model: Pick<RoutingModel, 'serviceName' | 'serviceNamespace'>): string {
  return `${model.serviceName}.${model.serviceNamespace ?? 'default'}`;
}

/** Two routing objects for one host: Istio merges them unpredictably (IST0109). The first one declared wins the report. */
function conflictingHosts(source: RoutingInput, app: AppModel, err: Report): string[] {
  const mine = routingHostKey(source.model());
  const first = app.routingsByHost().get(mine)?.[0];
  if (!first || first.path === source.path) return [];
  return [err('IST0109 ConflictingMeshGatewayVirtualServiceHosts', 'service', source.service.serviceName,
    `is already routed by '${first.path}': two VirtualServices for host ${mine}.svc.cluster.local on the mesh gateway conflict`,
    `route the service from one TrafficSplit only (add these rules to '${first.path}' with addRule())`)];
}

/** A canonical form of a match: equal strings ⇔ equal conditions (names and order aside). */
function key(m: MatchModel): string {
  const sorted = (entries: ReadonlyArray<readonly [string, StringMatch]>) =>
    [...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([n, s]) => [n, s.kind, s.value]);
  return JSON.stringify([sorted(m.headers), m.uri?.kind, m.uri?.value, m.method, sorted(m.queryParams)]);
}

/** True if every request matching `narrow` also matches `wide` (decided conservatively: regexes only by equality). */
function covers(wide: MatchModel, narrow: MatchModel): boolean {
  const coversString = (w: StringMatch, n: StringMatch | undefined): boolean => n !== undefined && (
    (w.kind === n.kind && w.value === n.value)
    || (w.kind === StringMatchKind.PREFIX && n.kind !== StringMatchKind.REGEX && n.value.startsWith(w.value)));
  const coversAll = (w: ReadonlyArray<readonly [string, StringMatch]>, n: ReadonlyArray<readonly [string, StringMatch]>): boolean =>
    w.every(([name, sm]) => coversString(sm, n.find(([nn]) => nn === name)?.[1]));
  return coversAll(wide.headers, narrow.headers)
    && (wide.uri === undefined || coversString(wide.uri, narrow.uri))
    && (wide.method === undefined || wide.method === narrow.method)
    && coversAll(wide.queryParams, narrow.queryParams);
}

function describeMatch(m: MatchModel): string {
  const parts = [
    ...m.headers.map(([n, s]) => `header ${n} ${s.kind} '${s.value}'`),
    ...(m.uri ? [`uri ${m.uri.kind} '${m.uri.value}'`] : []),
    ...(m.method ? [`method ${m.method}`] : []),
    ...m.queryParams.map(([n, s]) => `query ${n} ${s.kind} '${s.value}'`),
  ];
  return parts.join(' and ');
}

function describeRule(rule: RuleModel): string {
  const what = rule.matches.length === 0 ? 'every request' : rule.matches.map(describeMatch).join(' or ');
  return `${rule.name ? `${show(rule.name)}: ` : ''}${what} → ${rule.destinations.map((d) => d.version).join(', ')}`;
}

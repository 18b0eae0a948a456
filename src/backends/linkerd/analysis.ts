// Linkerd-specific checks on what the backend rendered, as written (JSON patches included): the
// failures Linkerd reports only in a controller log line. Plain functions; the backend runs them at
// synth through its validate() hooks.
import { ApiObject } from 'cdk8s';
import type { RouteRef } from '../gateway-api';
import { LINKERD_DURATION, LINKERD_RETRY_CONDITIONS, LINKERD_ROUTE_ANNOTATIONS } from './annotations';

/** Filters that make Linkerd drop the whole route. @internal */
export const LINKERD_DROPPED_FILTERS: readonly string[] = ['RequestMirror', 'URLRewrite', 'ExtensionRef'];

/** HTTPRoute rule fields beyond Gateway API 1.2.1 (or ignored by Linkerd), with what to do instead. */
const IGNORED_RULE_FIELDS: { readonly [field: string]: string } = {
  name: 'rules[].name is Gateway API 1.4: Linkerd ignores a route that sets it; drop it',
  retry: 'rules[].retry is ignored by Linkerd: set retries on the TrafficSplit rule (rendered as retry.linkerd.io/* annotations)',
  sessionPersistence: 'rules[].sessionPersistence is not read by Linkerd; drop it',
  timeouts: 'rules[].timeouts is ignored by Linkerd before edge-25.11.3 and whenever a timeout annotation is set: set the timeout on the TrafficSplit rule (rendered as timeout.linkerd.io/request)',
};

/**
 * Problems Linkerd would hide in an HTTPRoute as written: a field it ignores or that makes it ignore
 * the route (rules[].name, retry, timeouts, sessionPersistence), a RequestMirror/URLRewrite/ExtensionRef
 * filter (the route is dropped whole), a malformed retry/timeout annotation (dropped or rejected).
 * @internal
 */
export function ignoredRouteFields(ref: RouteRef, route: ApiObject): string[] {
  const json = route.toJson();
  const out: string[] = [];
  const say = (what: string, fix: string) => out.push(`Linkerd IgnoredRoute: ${ref.construct} '${ref.path}': HTTPRoute ${json.metadata.name} ${what}. Fix: ${fix}.`);
  (json.spec?.rules ?? []).forEach((rule: any, i: number) => {
    for (const [field, fix] of Object.entries(IGNORED_RULE_FIELDS)) {
      if (rule[field] !== undefined) say(`sets rules[${i}].${field}, which Linkerd does not honour`, fix);
    }
    for (const f of rule.filters ?? []) {
      if (LINKERD_DROPPED_FILTERS.includes(f.type)) {
        say(`has a ${f.type} filter in rules[${i}]: Linkerd drops the whole route (only a controller log line says so)`, 'remove the filter (mirroring and rewrites are not available under Linkerd)');
      }
    }
  });
  const a = json.metadata.annotations ?? {};
  for (const key of [LINKERD_ROUTE_ANNOTATIONS.timeout, LINKERD_ROUTE_ANNOTATIONS.retryTimeout, 'timeout.linkerd.io/response', 'timeout.linkerd.io/idle']) {
    if (a[key] !== undefined && !LINKERD_DURATION.test(a[key])) say(`has ${key}: ${JSON.stringify(a[key])}, not one integer and a unit (ms, s, m, h, d)`, `write e.g. "2s" or "1500ms"`);
  }
  if (a[LINKERD_ROUTE_ANNOTATIONS.retryLimit] !== undefined && !/^[0-9]+$/.test(a[LINKERD_ROUTE_ANNOTATIONS.retryLimit])) {
    say(`has ${LINKERD_ROUTE_ANNOTATIONS.retryLimit}: ${JSON.stringify(a[LINKERD_ROUTE_ANNOTATIONS.retryLimit])}, not a whole number`, 'write e.g. "3"');
  }
  if (a[LINKERD_ROUTE_ANNOTATIONS.retryOn] !== undefined && !LINKERD_RETRY_CONDITIONS.test(a[LINKERD_ROUTE_ANNOTATIONS.retryOn])) {
    say(`has ${LINKERD_ROUTE_ANNOTATIONS.retryOn}: ${JSON.stringify(a[LINKERD_ROUTE_ANNOTATIONS.retryOn])}, not a comma-separated list (no spaces) of 5xx, gateway-error, codes or ranges`, 'write e.g. "5xx" or "502,503"');
  }
  return out;
}

/** A Linkerd policy object the backend rendered, for reference checks. @internal */
export interface RenderedPolicyObject {
  readonly namespace: string;
  readonly object: ApiObject;
  /** The construct that made it (messages name it). */
  readonly ref: RouteRef;
}

/**
 * AuthorizationPolicies whose `targetRef` (Server, HTTPRoute) or `requiredAuthenticationRefs` name no
 * object the app renders: Linkerd ignores such a policy (the target) or the whole authorization (an
 * authentication), so callers it should admit are denied — or, with the target gone, never checked.
 * @internal
 */
export function missingPolicyTargets(objects: readonly RenderedPolicyObject[]): string[] {
  const present = new Set<string>();
  const json = objects.map((o) => ({ ...o, json: o.object.toJson() }));
  for (const o of json) present.add(`${o.json.kind}|${o.namespace}|${o.json.metadata.name}`);
  const out: string[] = [];
  for (const o of json) {
    if (o.json.kind !== 'AuthorizationPolicy') continue;
    const refs = [o.json.spec?.targetRef, ...(o.json.spec?.requiredAuthenticationRefs ?? [])].filter(Boolean);
    for (const r of refs) {
      const kind = r.kind === 'HTTPRoute' ? 'HTTPRoute' : r.kind;
      if (kind === 'Namespace') continue;
      if (!present.has(`${kind}|${r.namespace ?? o.namespace}|${r.name}`)) {
        out.push(`Linkerd PolicyTargetNotFound: ${o.ref.construct} '${o.ref.path}': AuthorizationPolicy ${o.json.metadata.name} refers to ${kind} ${r.namespace ?? o.namespace}/${r.name}, which the app does not render, so Linkerd ignores ${r === o.json.spec?.targetRef ? 'the policy' : 'the authorization'}. Fix: keep the referenced object (check JSON patches that rename or remove it).`);
      }
    }
  }
  return out;
}

// AuthorizationPolicy under ambient. With a waypoint, a policy is attached to it with `targetRefs`
// — the apex Service plus every per-version Service (a targetRef to the apex does not cover
// requests addressed to `<service>-<version>`), or the waypoint Gateway for a namespace-wide
// policy — and the waypoint enforces all of it (caller identity, methods, paths, ports). A
// companion `selector` policy, enforced by ztunnel, lets only the waypoint (and the scraper, on
// the metrics port) reach the pods, so the waypoint can't be bypassed by calling a pod IP.
// Without a waypoint a policy is a `selector` policy for ztunnel, L4 fields only.
import { Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import {
  AuthorizationPolicy, AuthorizationPolicySpec, AuthorizationPolicySpecAction, AuthorizationPolicySpecRules, AuthorizationPolicySpecTargetRefs,
} from '../../../imports/security.istio.io';
import { propError, show } from '../../errors';
import type { IRendering } from '../../mesh/backend';
import { AppModel, groupBy } from '../../models/app';
import { AuthorizationModel, IdentityModel, principalOf } from '../../models/authorization';
import { appSelector, ServiceModel, versionObjectName } from '../../models/service';
import { authorizationPolicySpec, toRule } from '../istio-common/authorization-policy';
import { missingWaypoint, waypointPrincipal } from './waypoint';

/** What the ambient backend decided that its policies depend on. @internal */
export interface AmbientAuthorizationContext {
  readonly backendName: string;
  /** The waypoint's name; undefined with `Waypoint.none()`. */
  readonly waypoint?: string;
  /** The identity Prometheus scrapes with. */
  readonly scraper: IdentityModel;
}

/** AuthorizationPolicy's CRD limit on targetRefs. */
const MAX_TARGET_REFS = 16;
const locked = new WeakMap<AppModel, Set<string>>();

/** @internal */
export function renderAmbientAuthorization(scope: Construct, policy: AuthorizationModel, app: AppModel, ctx: AmbientAuthorizationContext): IRendering {
  const waypoint = policy.denyAll ? undefined : ctx.waypoint;
  const resource = new AuthorizationPolicy(scope, 'Resource', {
    metadata: { name: policy.name },
    spec: Lazy.any({ produce: () => (waypoint !== undefined ? waypointSpec(policy, app, waypoint) : ztunnelSpec(policy, app, ctx.scraper)) }),
  });
  // One ztunnel lock-down per protected scope (the first policy of a service, or of the namespace).
  const scope_ = `${policy.namespace ?? ''}|${policy.serviceName ?? ''}`;
  const seen = locked.get(app) ?? new Set<string>();
  locked.set(app, seen);
  if (waypoint !== undefined && !seen.has(scope_)) {
    seen.add(scope_);
    new AuthorizationPolicy(scope, 'Ztunnel', {
      metadata: { name: `${policy.name}-ztunnel` },
      spec: Lazy.any({ produce: () => lockdownSpec(policy, app, waypoint, ctx.scraper) }),
    });
  }
  return { resource, validate: () => (waypoint !== undefined ? checkAttached(policy, app, waypoint, ctx) : checkSelectorPolicy(policy, ctx)) };
}

/** The targetRefs form, enforced by the waypoint. */
function waypointSpec(policy: AuthorizationModel, app: AppModel, waypoint: string): AuthorizationPolicySpec {
  return {
    targetRefs: targetRefs(policy, app, waypoint),
    action: policy.rules.length > 0 ? policy.action as string as AuthorizationPolicySpecAction : undefined,
    rules: policy.rules.length > 0 ? policy.rules.map((r) => toRule(policy.trustDomain, r)) : undefined,
  };
}

/** The waypoint targetRefs of a policy: the apex and per-version Services, or the waypoint Gateway. @internal */
export function targetRefs(policy: Pick<AuthorizationModel, 'serviceName' | 'namespace'>, app: AppModel, waypoint: string): AuthorizationPolicySpecTargetRefs[] {
  if (policy.serviceName === undefined) return [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: waypoint }];
  const service = serviceOf(app, policy);
  const names = [policy.serviceName, ...(service?.versions ?? []).map((v) => versionObjectName(policy.serviceName!, v.name))];
  return names.map((name) => ({ group: '', kind: 'Service', name }));
}

/** The selector form, enforced by ztunnel; an ALLOW policy also admits the scraper to the metrics port(s). */
function ztunnelSpec(policy: AuthorizationModel, app: AppModel, scraper: IdentityModel): AuthorizationPolicySpec {
  const spec = authorizationPolicySpec(policy);
  const scrape = policy.action === 'ALLOW' ? scraperRule(policy, app, scraper) : undefined;
  return scrape ? { ...spec, rules: [...spec.rules ?? [], scrape] } : spec;
}

/** Only the waypoint (and the scraper) may reach the pods: ztunnel enforces it with the waypoint's identity. */
function lockdownSpec(policy: AuthorizationModel, app: AppModel, waypoint: string, scraper: IdentityModel): AuthorizationPolicySpec {
  const scrape = scraperRule(policy, app, scraper);
  return {
    selector: policy.serviceName !== undefined ? { matchLabels: appSelector(policy.serviceName) } : undefined,
    action: AuthorizationPolicySpecAction.ALLOW,
    rules: [
      { from: [{ source: { principals: [waypointPrincipal(policy.trustDomain, policy.namespace, waypoint)] } }] },
      ...(scrape ? [scrape] : []),
    ],
  };
}

/**
 * The scrape allowance: no metrics merging in ambient, so Prometheus (enrolled in the mesh) scrapes
 * the application's metrics port directly, with its own identity, past ztunnel's ALLOW list.
 */
function scraperRule(policy: AuthorizationModel, app: AppModel, scraper: IdentityModel): AuthorizationPolicySpecRules | undefined {
  const services = policy.serviceName !== undefined
    ? [serviceOf(app, policy)].filter((s): s is ServiceModel => s !== undefined)
    : servicesIn(app, policy.namespace);
  const ports = [...new Set(services.flatMap((s) => (s.metrics ? [s.metrics.port] : [])))].sort((a, b) => a - b);
  if (ports.length === 0) return undefined;
  return { from: [{ source: { principals: [principalOf(policy.trustDomain, scraper)] } }], to: [{ operation: { ports: ports.map(String) } }] };
}

function serviceOf(app: AppModel, policy: Pick<AuthorizationModel, 'serviceName' | 'namespace'>): ServiceModel | undefined {
  return app.servicesByName().get(`${policy.namespace ?? ''}|${policy.serviceName}`)?.[0];
}

function servicesIn(app: AppModel, namespace: string | undefined): ServiceModel[] {
  return app.derived('istio-ambient-services-by-namespace', (a) => groupBy(a.services, (s) => s.namespace ?? '')).get(namespace ?? '') ?? [];
}

function checkAttached(policy: AuthorizationModel, app: AppModel, waypoint: string, ctx: AmbientAuthorizationContext): string[] {
  const errors: string[] = [];
  const target = policy.serviceName === undefined ? `waypoint ${show(waypoint)}` : `service ${show(policy.serviceName)}`;
  const why = missingWaypoint(app, policy.namespace, waypoint);
  if (why) {
    errors.push(`IstioAmbient NoWaypoint: ${propError(policy.kind, policy.path, policy.serviceName === undefined ? 'name' : 'service', policy.serviceName ?? policy.name,
      `is a policy attached to ${target} (targetRefs) for the waypoint to enforce, but ${why}: nothing would enforce it`,
      `add new MeshNamespace(chart, 'namespace') for namespace ${show(policy.namespace ?? '(none)')} with this backend (it labels istio.io/use-waypoint and creates the waypoint)`).message}`);
  }
  if (policy.serviceName === undefined) return errors;
  const service = serviceOf(app, policy);
  if (!service) {
    errors.push(`IstioAmbient TargetNotFound: ${propError(policy.kind, policy.path, 'service', policy.serviceName,
      `is not a MeshService of this app in namespace ${show(policy.namespace ?? '(none)')}, so ${ctx.backendName} can't list its per-version Services in targetRefs (a targetRef to the apex Service does not cover requests addressed to <service>-<version>)`,
      'pass the MeshService itself as `service`, declared in the same app and namespace').message}`);
  } else if (service.versions.length + 1 > MAX_TARGET_REFS) {
    errors.push(propError(policy.kind, policy.path, 'service', policy.serviceName,
      `has ${service.versions.length} versions, so the policy would need ${service.versions.length + 1} targetRefs (the apex Service and one per version; the CRD allows ${MAX_TARGET_REFS})`,
      `keep at most ${MAX_TARGET_REFS - 1} versions of the service`).message);
  }
  return errors;
}

/** ztunnel enforces L4 only: Istio turns a selector policy with an L7 field into deny-all. */
function checkSelectorPolicy(policy: AuthorizationModel, ctx: AmbientAuthorizationContext): string[] {
  const errors: string[] = [];
  for (const rule of policy.rules) {
    const l7 = {
      methods: rule.methods, paths: rule.paths, from: rule.requestPrincipals ?? [], claims: (rule.claims ?? []).map((c) => c.claim),
    };
    for (const field of ['methods', 'paths', 'from', 'claims'] as const) {
      if (l7[field].length === 0) continue;
      errors.push(`IstioAmbient L7InSelectorPolicy: ${propError(policy.kind, policy.path, `${rule.prop}.${field}`, [...l7[field]],
        `is an L7 field in a workload-selector policy, which ${ctx.backendName} enforces in ztunnel (L4 only): Istio turns such a policy into deny-all${ctx.waypoint === undefined ? ' (the backend has no waypoint: Waypoint.none())' : ''}`,
        'use a waypoint (new IstioAmbient() has one per namespace) to authorize by method, path or end-user JWT, or authorize by caller and port only').message}`);
    }
  }
  return errors;
}

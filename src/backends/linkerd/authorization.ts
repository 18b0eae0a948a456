// AuthorizationPolicy / PeerAuthentication models → Linkerd policy. Linkerd authorizes by allow-list
// only: an `allow()` rule without methods or paths becomes an AuthorizationPolicy on the Server; one
// with methods/paths an inbound HTTPRoute with those matches and an AuthorizationPolicy on it; the
// callers one MeshTLSAuthentication per rule (`identityRefs` to ServiceAccounts, with their namespace,
// or to whole Namespaces). `deny()`, namespace-wide allow rules and DISABLE have no Linkerd form and
// are refused, naming Linkerd and the alternative.
import { Construct } from 'constructs';
import { HttpRouteSpecRulesMatches } from '../../../imports/gateway.networking.k8s.io';
import { propError } from '../../errors';
import type { AppModel } from '../../models/app';
import type { AuthorizationModel, AuthorizationRuleModel } from '../../models/authorization';
import { MESH_ROOT_NAMESPACE, MtlsPolicyModel } from '../../models/mtls';
import { quoteMeta } from '../../models/routing';
import { serviceLabels, ServiceModel } from '../../models/service';
import { attachRoutes, authorize, ensureServer, InboundNetworks, inboundRoute } from './servers';

const MAX_MATCHES = 64;

/** The service model a policy names (it was declared before the policy: constructs take the MeshService). */
export function serviceOf(app: AppModel, namespace: string | undefined, name: string): ServiceModel | undefined {
  return app.servicesByName().get(`${namespace ?? ''}|${name}`)?.[0];
}

/** Checks a rule is expressible under Linkerd and renders it. @internal */
export function renderAllowRule(app: AppModel, scope: Construct, policy: AuthorizationModel, rule: AuthorizationRuleModel, networks: InboundNetworks): void {
  const ref = { construct: policy.kind, path: policy.path };
  const fail = (prop: string, value: unknown, problem: string, fix: string): never => {
    throw propError(policy.kind, policy.path, prop, value, `Linkerd cannot express: ${problem}`, fix);
  };
  if (policy.action === 'DENY') {
    fail(rule.prop, 'DENY', 'Linkerd authorization is allow-list only (AuthorizationPolicy has no deny action)',
      'list the callers that may call with allow() instead; everything else is denied');
  }
  if (rule.requestPrincipals?.length || rule.claims?.length) {
    fail(rule.requestPrincipals?.length ? `${rule.prop}.from` : `${rule.prop}.claims`, rule.requestPrincipals ?? rule.claims!.map((c) => c.claim),
      'Linkerd has no end-user (JWT) authentication, so it can\'t authorize by request principal or claim',
      'validate tokens in the application or at an ingress gateway, and authorize mesh callers with Caller.meshService()/Caller.serviceAccount()');
  }
  if (policy.serviceName === undefined) {
    fail(rule.prop, 'a namespace-wide allow rule', 'a Linkerd AuthorizationPolicy targeting a Namespace applies only to pods a Server selects, so other pods keep the default policy',
      'give the AuthorizationPolicy a `service` (one per MeshService it protects)');
  }
  const service = serviceOf(app, policy.namespace, policy.serviceName!)!;
  const index = policy.rules.length;
  const name = index === 0 ? policy.name : `${policy.name}-${index + 1}`;
  const labels = serviceLabels(service);
  const identityRefs = [
    ...rule.identities.map((i) => ({ kind: 'ServiceAccount', name: i.serviceAccount, namespace: i.namespace })),
    ...rule.namespaces.map((ns) => ({ kind: 'Namespace', name: ns })),
  ];
  // No `from`: any meshed caller (identities '*'): Linkerd can't tell "any caller" per mTLS mode per route.
  const authn = identityRefs.length ? { kind: 'MeshTLSAuthentication' as const, identityRefs } : { kind: 'MeshTLSAuthentication' as const, identities: ['*'] };
  const ports = rule.ports.length ? rule.ports : [service.port];
  const matches = ruleMatches(rule, fail);
  ports.forEach((port, p) => {
    const entry = ensureServer(app, scope, ref, service, port);
    const objName = ports.length > 1 ? `${name}-${port}` : name;
    const id = `Rule${index}-${port}`;
    if (!matches) {
      authorize(app, scope, id, objName, policy.namespace, labels, { kind: 'Server', name: entry.name }, authn, ref);
      return;
    }
    attachRoutes(app, entry, networks);
    inboundRoute(app, entry, scope, `${id}-Route`, objName, matches, ref);
    authorize(app, scope, id, objName, policy.namespace, labels, { kind: 'HTTPRoute', name: objName }, authn, ref);
    void p;
  });
}

type Fail = (prop: string, value: unknown, problem: string, fix: string) => never;

/** The inbound HTTPRoute matches of a rule's methods × paths; undefined when it has neither. */
function ruleMatches(rule: AuthorizationRuleModel, fail: Fail): HttpRouteSpecRulesMatches[] | undefined {
  if (rule.methods.length === 0 && rule.paths.length === 0) return undefined;
  const paths = rule.paths.length ? rule.paths.map(pathMatch) : [{ type: 'PathPrefix', value: '/' }];
  const methods: Array<string | undefined> = rule.methods.length ? [...rule.methods] : [undefined];
  const nonStandard = rule.methods.findIndex((m) => !['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE', 'PATCH'].includes(m));
  if (nonStandard >= 0) {
    fail(`${rule.prop}.methods[${nonStandard}]`, rule.methods[nonStandard], 'Gateway API HTTPRoute matches the nine standard HTTP methods only', 'use GET, HEAD, POST, PUT, DELETE, CONNECT, OPTIONS, TRACE or PATCH');
  }
  if (paths.length * methods.length > MAX_MATCHES) {
    fail(rule.prop, `${methods.length} methods × ${paths.length} paths`, `an HTTPRoute rule holds at most ${MAX_MATCHES} matches`, 'split the rule into several allow() rules');
  }
  return methods.flatMap((method) => paths.map((path) => ({ path: path as any, ...(method ? { method: method as any } : {}) })));
}

/** An Istio-style policy path (exact, `prefix*`, `*suffix`, `*`, `{*}`/`{**}`) as a Gateway API path match. @internal */
export function pathMatch(path: string): { type: string; value: string } {
  if (path === '*') return { type: 'PathPrefix', value: '/' };
  if (!path.includes('*')) return { type: 'Exact', value: path };
  if (path.includes('{')) {
    const re = path.split('/').map((s) => (s === '{*}' ? '[^/]+' : s === '{**}' ? '.*' : quoteMeta(s))).join('/');
    return { type: 'RegularExpression', value: `^${re}$` };
  }
  if (path.endsWith('*')) return { type: 'RegularExpression', value: `^${quoteMeta(path.slice(0, -1))}.*$` };
  return { type: 'RegularExpression', value: `^.*${quoteMeta(path.slice(1))}$` };
}

/**
 * Two allow rules of one service whose routes can match one request but admit different callers:
 * Gateway API gives the request to the more specific route only, so the other rule's callers are
 * denied there (Istio would allow either). Refused, naming both.
 * @internal
 */
export function overlappingRules(policies: readonly AuthorizationModel[]): string[] {
  const out: string[] = [];
  const rules = policies.flatMap((p) => p.rules.filter((r) => r.methods.length || r.paths.length).map((r) => ({ p, r })));
  const callers = (r: AuthorizationRuleModel) => JSON.stringify([r.identities.map((i) => `${i.namespace}/${i.serviceAccount}`).sort(), [...r.namespaces].sort()]);
  for (let i = 0; i < rules.length; i++) {
    for (let j = i + 1; j < rules.length; j++) {
      const [a, b] = [rules[i], rules[j]];
      if (callers(a.r) === callers(b.r) || !mayOverlap(a.r, b.r)) continue;
      if (a.r.ports.length && b.r.ports.length && !a.r.ports.some((x) => b.r.ports.includes(x))) continue;
      out.push(propError(b.p.kind, b.p.path, b.r.prop, { methods: b.r.methods, paths: b.r.paths },
        `can match the same requests as '${a.p.path}' ${a.r.prop} with other callers: Linkerd gives each request to the most specific inbound HTTPRoute only, so one rule's callers would be denied what Istio allows`,
        'give the rules disjoint methods or paths, or list the same callers in both').message);
    }
  }
  return out;
}

function mayOverlap(a: AuthorizationRuleModel, b: AuthorizationRuleModel): boolean {
  if (a.methods.length && b.methods.length && !a.methods.some((m) => b.methods.includes(m))) return false;
  if (a.paths.length === 0 || b.paths.length === 0) return true;
  return a.paths.some((p) => b.paths.some((q) => pathsOverlap(p, q)));
}

function pathsOverlap(p: string, q: string): boolean {
  const exact = (s: string) => !s.includes('*') && !s.includes('{');
  const prefix = (s: string) => s.endsWith('*') && !s.startsWith('*') && !s.includes('{');
  if (exact(p) && exact(q)) return p === q;
  if (prefix(p) && exact(q)) return q.startsWith(p.slice(0, -1));
  if (exact(p) && prefix(q)) return p.startsWith(q.slice(0, -1));
  if (prefix(p) && prefix(q)) return p.slice(0, -1).startsWith(q.slice(0, -1)) || q.slice(0, -1).startsWith(p.slice(0, -1));
  return true;
}

/** Refuses what a PeerAuthentication asks that Linkerd can't do, at construction. @internal */
export function requireLinkerdMtls(policy: MtlsPolicyModel): void {
  const fail = (prop: string, value: unknown, problem: string, fix: string): never => {
    throw propError(policy.kind, policy.path, prop, value, `Linkerd cannot express: ${problem}`, fix);
  };
  if (policy.namespace === MESH_ROOT_NAMESPACE && policy.serviceName === undefined) {
    fail('namespace', policy.namespace, 'a mesh-wide policy is Istio\'s root namespace; Linkerd\'s cluster-wide default is the install setting proxy.defaultInboundPolicy',
      'set proxy.defaultInboundPolicy when installing Linkerd, and give each namespace its mode with MeshNamespace({ mtlsMode })');
  }
  const disable = (prop: string) => fail(prop, 'DISABLE', 'meshed Linkerd proxies always speak mTLS to each other, and no Linkerd policy makes a port refuse it',
    'use MtlsMode.PERMISSIVE (all-unauthenticated: plain-text callers are accepted too), or keep the port out of the mesh with the pod annotation config.linkerd.io/skip-inbound-ports');
  if (policy.mode === 'DISABLE') disable('mode');
  for (const [port, mode] of policy.ports) if (mode === 'DISABLE') disable(`portLevelMtls[port ${port}].mode`);
}

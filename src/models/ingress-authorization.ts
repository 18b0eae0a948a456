// A MeshIngress in front of a service whose AuthorizationPolicy admits only the app's own mesh
// services: the ingress proxy is a caller with an identity of its own, which no rule lists, so
// every edge request is refused (Istio: 403 "RBAC: access denied"; Linkerd: 403 / connection
// refused by the Server's policy) while the YAML looks complete. No istioctl analyzer reports it.
import { propError, show } from '../errors';
import type { AppModel } from './app';
import type { AuthorizationModel, AuthorizationRuleModel, IdentityModel } from './authorization';
import type { IngressModel } from './ingress';

/** Who sends an ingress's edge requests, as far as the backend knows. @internal */
export interface IngressProxy {
  /** The data plane, for the message (e.g. `IstioSidecar`). */
  readonly backend: string;
  /** The proxy's identity (and so its namespace), when the backend knows it (Istio deploys a Gateway API Gateway's proxy beside it). */
  readonly identity?: IdentityModel;
  /** How to name the proxy's identity, for the fix (e.g. `Caller.serviceAccount('shop', 'web-istio')`). */
  readonly fix: string;
}

/**
 * `IngressDeniedByAuthorization`: the ALLOW policies on the exposed service (and allow-nothing
 * ones) have no rule that could admit the ingress proxy. A rule could when it names no source,
 * names a JWT (edge clients may carry one), a namespace the proxy may run in, or an identity that
 * is not one of the app's MeshServices (it may be the proxy's). DENY policies are not read.
 * @internal
 */
export function ingressDeniedByAuthorization(ingress: IngressModel, app: AppModel, proxy: IngressProxy): string[] {
  const applies = (a: AuthorizationModel) => a.namespace === ingress.serviceNamespace
    && (a.serviceName === undefined || a.serviceName === ingress.serviceName)
    && (a.denyAll || a.action === 'ALLOW');
  const policies = app.authorizations.filter(applies);
  if (policies.length === 0) return [];
  const meshServices = app.servicesByName();
  const isProxy = (id: IdentityModel) => proxy.identity !== undefined
    && id.namespace === proxy.identity.namespace && id.serviceAccount === proxy.identity.serviceAccount;
  const couldAdmit = (r: AuthorizationRuleModel) => (r.identities.length === 0 && r.namespaces.length === 0)
    || (r.requestPrincipals?.length ?? 0) > 0
    || r.namespaces.some((ns) => proxy.identity === undefined || ns === proxy.identity.namespace)
    || r.identities.some((id) => isProxy(id) || !meshServices.has(`${id.namespace}|${id.serviceAccount}`));
  if (policies.some((a) => !a.denyAll && a.rules.some(couldAdmit))) return [];
  const policy = policies.find((a) => !a.denyAll) ?? policies[0];
  const what = policy.denyAll
    ? `which AuthorizationPolicy '${policy.path}' denies every request to (denyAll)`
    : `which AuthorizationPolicy '${policy.path}' protects with ALLOW rules for mesh services only (${show(policy.rules.flatMap((r) => r.identities.map((i) => i.serviceAccount)))})`;
  return [`${proxy.backend} IngressDeniedByAuthorization: ${propError(ingress.kind, ingress.path, 'service', ingress.serviceName,
    `is exposed to the edge, ${what}: no rule admits the ingress proxy that sends the edge requests, so every one would be denied`,
    `allow the proxy's identity on that policy, e.g. allow({ from: [${proxy.fix}] }), or expose a service the policy does not cover`).message}`];
}

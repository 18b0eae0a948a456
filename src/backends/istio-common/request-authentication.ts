// RequestAuthentication model → security.istio.io/v1 RequestAuthentication (+ the "require a
// token" DENY AuthorizationPolicy). Where it applies — a `selector` (sidecars) or `targetRefs`
// (the ambient waypoint) — is the caller's choice; the JWT rules are the same for every Istio data plane.
import { Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { AuthorizationPolicy, AuthorizationPolicySpecAction, RequestAuthentication, RequestAuthenticationSpecJwtRules } from '../../../imports/security.istio.io';
import type { RequestAuthenticationModel } from '../../models/request-authentication';
import { appSelector } from '../../models/service';

/** Where an Istio policy applies: a workload selector or targetRefs (read at synth: versions are added later). @internal */
export type PolicyPlacement =
  | { readonly selector?: { readonly matchLabels: { [key: string]: string } } }
  | { readonly targetRefs: Array<{ readonly group?: string; readonly kind: string; readonly name: string }> };

/** The selector placement: the service's `app` label, or the whole namespace. @internal */
export function selectorPlacement(serviceName: string | undefined): PolicyPlacement {
  return { selector: serviceName !== undefined ? { matchLabels: appSelector(serviceName) } : undefined };
}

/** The JWT rules of a model, as Istio writes them. @internal */
export function jwtRules(policy: RequestAuthenticationModel): RequestAuthenticationSpecJwtRules[] {
  return policy.issuers.map((i) => ({
    issuer: i.issuer,
    jwksUri: i.jwksUri,
    audiences: i.audiences.length > 0 ? [...i.audiences] : undefined,
    fromHeaders: i.fromHeaders.length > 0 ? i.fromHeaders.map((h) => ({ name: h.name, prefix: h.prefix })) : undefined,
    fromParams: i.fromParams.length > 0 ? [...i.fromParams] : undefined,
    fromCookies: i.fromCookies.length > 0 ? [...i.fromCookies] : undefined,
    forwardOriginalToken: i.forwardOriginalToken || undefined,
  }));
}

/** The RequestAuthentication, and with `requireToken` the DENY policy on token-less requests. @internal */
export function createRequestAuthentication(scope: Construct, policy: RequestAuthenticationModel, placement: () => PolicyPlacement): RequestAuthentication {
  const resource = new RequestAuthentication(scope, 'Resource', {
    metadata: { name: policy.name },
    spec: Lazy.any({ produce: () => ({ ...placement(), jwtRules: jwtRules(policy) }) }),
  });
  if (policy.requireToken) {
    new AuthorizationPolicy(scope, 'RequireToken', {
      metadata: { name: `${policy.name}-require-token` },
      spec: Lazy.any({
        produce: () => ({ ...placement(), action: AuthorizationPolicySpecAction.DENY, rules: [{ from: [{ source: { notRequestPrincipals: ['*'] } }] }] }),
      }),
    });
  }
  return resource;
}

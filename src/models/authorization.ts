// Authorization intent as plain data: who (identities, namespaces) may do what (methods, paths,
// ports) to which workload. Backends turn it into their policy objects.

/** A caller identity: a ServiceAccount in a namespace (Istio principal / Linkerd identityRef). @internal */
export interface IdentityModel {
  readonly namespace: string;
  readonly serviceAccount: string;
}

/** One rule: sources ORed within each list, fields ANDed. @internal */
export interface AuthorizationRuleModel {
  /** Callers by identity. */
  readonly identities: readonly IdentityModel[];
  /** Callers by namespace (any workload of it). */
  readonly namespaces: readonly string[];
  readonly methods: readonly string[];
  readonly paths: readonly string[];
  /** Container ports of the target. */
  readonly ports: readonly number[];
  /** End-user callers by JWT request principal (`<issuer>/<subject>`, `*` for any token). @default none */
  readonly requestPrincipals?: readonly string[];
  /** JWT claims the token must carry: each claim one of its values (ANDed across claims). @default none */
  readonly claims?: ReadonlyArray<{ readonly claim: string; readonly values: readonly string[] }>;
  /** Where it came from: `allow(rule)`. */
  readonly prop: string;
}

/** An AuthorizationPolicy as plain data. `rules` grows with `allow()`/`deny()`. @internal */
export interface AuthorizationModel {
  readonly kind: 'AuthorizationPolicy';
  readonly path: string;
  readonly name: string;
  readonly namespace?: string;
  /** The protected workload; undefined for every workload of the namespace. */
  readonly serviceName?: string;
  readonly trustDomain: string;
  readonly denyAll: boolean;
  action?: 'ALLOW' | 'DENY';
  readonly rules: AuthorizationRuleModel[];
}

/** `<trust-domain>/ns/<ns>/sa/<sa>`: the SPIFFE-style principal Istio matches. @internal */
export function principalOf(trustDomain: string, identity: IdentityModel): string {
  return `${trustDomain}/ns/${identity.namespace}/sa/${identity.serviceAccount}`;
}

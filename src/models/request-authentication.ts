// End-user (JWT) authentication as plain data: which issuers' tokens a workload validates and
// where the token is read from. Backends turn it into their request-authentication objects.

/** Where a token is read from: a header, with an optional prefix stripped (`Bearer `). @internal */
export interface JwtHeaderModel {
  readonly name: string;
  readonly prefix?: string;
}

/** One accepted issuer. @internal */
export interface JwtIssuerModel {
  readonly issuer: string;
  /** undefined: discovered from `<issuer>/.well-known/openid-configuration`. */
  readonly jwksUri?: string;
  readonly audiences: readonly string[];
  readonly fromHeaders: readonly JwtHeaderModel[];
  readonly fromParams: readonly string[];
  readonly fromCookies: readonly string[];
  readonly forwardOriginalToken: boolean;
  /** Where it came from: `issuers[0]`. */
  readonly prop: string;
}

/** A RequestAuthentication as plain data. @internal */
export interface RequestAuthenticationModel {
  readonly kind: 'RequestAuthentication';
  readonly path: string;
  readonly name: string;
  readonly namespace?: string;
  /** The workload validated; undefined for every workload of the namespace. */
  readonly serviceName?: string;
  readonly issuers: readonly JwtIssuerModel[];
  /** true: deny requests without a valid token; false: anonymous requests wanted; undefined: not said. */
  readonly requireToken?: boolean;
  readonly trustDomain: string;
}

import { ApiObject, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { guardDuplicateObjects } from '../analysis/duplicate-objects';
import { mixedBackends } from '../analysis/mesh-services';
import { propError, show } from '../errors';
import { appModelOf } from '../mesh/app-model';
import type { IMeshBackend, IRendering } from '../mesh/backend';
import { Mesh } from '../mesh/mesh';
import type { IMeshService } from '../mesh-service';
import type { JwtIssuerModel, RequestAuthenticationModel } from '../models/request-authentication';
import { PropRef, requireDns1123Label } from '../names';
import { keepJsonPatchesUnder } from '../api-object-patches';
import { DEFAULT_TRUST_DOMAIN } from './authorization';

/** A header the token is read from. */
export interface JwtHeader {
  /** Header name, e.g. `authorization` or `x-jwt-assertion`. */
  readonly name: string;
  /**
   * A prefix stripped before the token (`Bearer `, with its space).
   * @default - none: the whole header value is the token
   */
  readonly prefix?: string;
}

/**
 * One identity provider whose tokens are accepted.
 * @see https://istio.io/latest/docs/reference/config/security/jwt/#JWTRule
 */
export interface JwtIssuer {
  /** The token's `iss` claim, e.g. `https://auth.example.com`. */
  readonly issuer: string;
  /**
   * Where the signing keys are published (an `https://` URL).
   * @default - discovered from `<issuer>/.well-known/openid-configuration` (OpenID Connect)
   */
  readonly jwksUri?: string;
  /**
   * Accepted `aud` values (the token must carry one).
   * @default - any audience
   */
  readonly audiences?: string[];
  /**
   * Headers the token is read from.
   * @default - `Authorization: Bearer <token>`
   */
  readonly fromHeaders?: JwtHeader[];
  /**
   * Query parameters the token is read from.
   * @default - `access_token` is also read when no `fromHeaders` is given (Istio's default)
   */
  readonly fromParams?: string[];
  /**
   * Cookies the token is read from.
   * @default - none
   */
  readonly fromCookies?: string[];
  /**
   * Pass the token on to the workload (Istio strips it otherwise).
   * @default false
   */
  readonly forwardOriginalToken?: boolean;
}

/** Props of a RequestAuthentication. */
export interface RequestAuthenticationProps {
  /**
   * The MeshService whose requests are authenticated.
   * @default - every workload in the namespace
   */
  readonly service?: IMeshService;
  /** The accepted issuers (at least one). */
  readonly issuers: JwtIssuer[];
  /**
   * Deny requests that carry no valid token. A RequestAuthentication on its own only rejects
   * requests with an *invalid* token: a request with **no token at all is let through**
   * unauthenticated (Istio's documented behaviour, and the trap). `true` adds the "require a
   * token" rule — a DENY AuthorizationPolicy `<name>-require-token` on requests without a request
   * principal (`notRequestPrincipals: ['*']`), which applies to in-mesh callers too; `false` says
   * anonymous requests are intended. Left unset, synth fails unless an AuthorizationPolicy on the
   * target allows only JWT callers (`Caller.jwt()` / `Caller.anyToken()`).
   * @default - unset: a synth error unless an AuthorizationPolicy on the target uses JWT callers
   * @see https://istio.io/latest/docs/tasks/security/authentication/authn-policy/#require-a-valid-token
   */
  readonly requireToken?: boolean;
  /**
   * Name of the RequestAuthentication object.
   * @default - the construct id
   */
  readonly name?: string;
}

const KIND = 'RequestAuthentication';

/**
 * End-user authentication: the workload's proxy validates JWTs from the listed issuers (signature
 * against the JWKS, expiry, audience) and exposes the caller as a request principal
 * (`<iss>/<sub>`) that AuthorizationPolicy rules match with `Caller.jwt(issuer, subject?)` and
 * `claims`. **Alone it does not reject requests without a token** — set `requireToken`, or allow
 * only `Caller.anyToken()` / `Caller.jwt()` in an AuthorizationPolicy. Istio sidecar renders a
 * `security.istio.io/v1` RequestAuthentication with a selector; Istio ambient attaches it to the
 * waypoint (targetRefs); Linkerd has no JWT support and refuses it.
 *
 * @example
 * new RequestAuthentication(chart, 'jwt', {
 *   service: frontend,
 *   issuers: [{ issuer: 'https://auth.example.com', jwksUri: 'https://auth.example.com/.well-known/jwks.json', audiences: ['shop'] }],
 *   requireToken: true,
 * });
 * @see https://istio.io/latest/docs/reference/config/security/request_authentication/
 */
export class RequestAuthentication extends Construct {
  /** The workload authenticated; undefined for every workload of the namespace. */
  public readonly service?: IMeshService;
  /** Name of the object. */
  public readonly name: string;
  /** Namespace of the policy (the chart's). */
  public readonly namespace?: string;
  /** The data plane this policy renders for. */
  public readonly backend: IMeshBackend;

  private readonly rendering: IRendering;

  public constructor(scope: Construct, id: string, props: RequestAuthenticationProps) {
    super(scope, id);
    guardDuplicateObjects(this);
    const ref = (prop: string): PropRef => ({ construct: KIND, path: this.node.path, prop });
    this.service = props?.service;
    this.namespace = Chart.of(this).namespace;
    this.name = requireDns1123Label(ref('name'), props?.name ?? id);
    if (this.service && this.service.namespace !== this.namespace) {
      throw propError(KIND, this.node.path, 'service', this.service.serviceName,
        `is in namespace ${show(this.service.namespace)} but the policy is in ${show(this.namespace)}, and a selector only applies in its own namespace`,
        'create the RequestAuthentication in the chart of the service it protects');
    }
    if (!Array.isArray(props?.issuers) || props.issuers.length === 0) {
      throw propError(KIND, this.node.path, 'issuers', props?.issuers, 'lists no issuer, so no token could ever be valid',
        'list your identity provider, e.g. [{ issuer: \'https://auth.example.com\' }]');
    }
    if (props.requireToken !== undefined && typeof props.requireToken !== 'boolean') {
      throw propError(KIND, this.node.path, 'requireToken', props.requireToken, 'is not a boolean', 'pass true (deny token-less requests) or false');
    }
    const seen = new Set<string>();
    const issuers = props.issuers.map((issuer, i) => {
      const model = issuerModel(ref(`issuers[${i}]`), issuer);
      if (seen.has(model.issuer)) {
        throw propError(KIND, this.node.path, `issuers[${i}].issuer`, model.issuer, 'is listed twice (Istio rejects duplicate issuers)', 'list each issuer once');
      }
      seen.add(model.issuer);
      return model;
    });
    const model: RequestAuthenticationModel = {
      kind: KIND, path: this.node.path, name: this.name, namespace: this.namespace, serviceName: this.service?.serviceName,
      issuers, requireToken: props.requireToken, trustDomain: DEFAULT_TRUST_DOMAIN,
    };
    this.backend = Mesh._forConstruct(this, KIND, this.namespace);
    if (!this.backend.renderRequestAuthentication) {
      throw propError(KIND, this.node.path, 'issuers', issuers.map((i) => i.issuer), `can't be validated by ${this.backend.name}, which has no end-user (JWT) authentication`,
        'validate tokens in the application or at an ingress gateway, or render this namespace with Istio');
    }
    const app = appModelOf(this);
    app.add(KIND, model);
    this.rendering = this.backend.renderRequestAuthentication(this, model, app);
    this.node.addValidation({ validate: () => tokenNotRequired(app, model) });
    this.node.addValidation({ validate: () => mixedBackends(app, this.node.path, this.namespace, this.backend) });
    this.node.addValidation({ validate: () => this.rendering.validate?.() ?? [] });
    keepJsonPatchesUnder(this);
  }

  /** The object the backend rendered (Istio: the RequestAuthentication). */
  public get resource(): ApiObject | undefined {
    return this.rendering.resource;
  }
}

const HEADER = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const PARAM = /^[A-Za-z0-9_.~-]+$/;

function issuerModel(ref: PropRef, issuer: JwtIssuer): JwtIssuerModel {
  const fail = (prop: string, value: unknown, problem: string, fix: string): Error => propError(ref.construct, ref.path, `${ref.prop}.${prop}`, value, problem, fix);
  if (!issuer || typeof issuer.issuer !== 'string' || issuer.issuer === '' || /\s|\*/.test(issuer.issuer)) {
    throw fail('issuer', issuer?.issuer, 'is not a JWT issuer (the token\'s `iss` claim: non-empty, no spaces or \'*\')', 'use the issuer your identity provider writes in its tokens, e.g. "https://auth.example.com"');
  }
  if (issuer.jwksUri !== undefined && !isHttpsUrl(issuer.jwksUri)) {
    throw fail('jwksUri', issuer.jwksUri, 'is not an https:// URL (keys fetched over plain HTTP can be forged in transit)', 'give the provider\'s JWKS endpoint, e.g. "https://auth.example.com/.well-known/jwks.json"');
  }
  const list = <T>(prop: string, value: T[] | undefined, ok: (v: T) => boolean, fix: string): T[] => {
    if (value === undefined) return [];
    if (!Array.isArray(value) || value.length === 0) throw fail(prop, value, 'is an empty list', `leave ${prop} out for the default, or ${fix}`);
    value.forEach((v, i) => { if (!ok(v)) throw fail(`${prop}[${i}]`, v, `is not a valid ${prop === 'audiences' ? 'audience' : 'name'}`, fix); });
    return [...value];
  };
  const audiences = list('audiences', issuer.audiences, (a) => typeof a === 'string' && a !== '' && !/\s/.test(a), 'list the `aud` values your tokens carry, e.g. ["shop"]');
  const fromHeaders = list('fromHeaders', issuer.fromHeaders, (h) => !!h && typeof h.name === 'string' && HEADER.test(h.name) && (h.prefix === undefined || typeof h.prefix === 'string'),
    'give header names such as { name: \'authorization\', prefix: \'Bearer \' }').map((h) => ({ name: h.name.toLowerCase(), prefix: h.prefix }));
  const fromParams = list('fromParams', issuer.fromParams, (p) => typeof p === 'string' && PARAM.test(p), 'give query parameter names such as "access_token"');
  const fromCookies = list('fromCookies', issuer.fromCookies, (c) => typeof c === 'string' && HEADER.test(c), 'give cookie names such as "session"');
  return {
    issuer: issuer.issuer, jwksUri: issuer.jwksUri, audiences, fromHeaders, fromParams, fromCookies,
    forwardOriginalToken: issuer.forwardOriginalToken ?? false, prop: ref.prop,
  };
}

function isHttpsUrl(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  try {
    const url = new URL(value);
    return url.protocol === 'https:' && url.hostname !== '';
  } catch {
    return false;
  }
}

/**
 * The trap: a RequestAuthentication lets requests without a token through. With `requireToken`
 * unset, some AuthorizationPolicy on the target must allow only JWT callers.
 */
function tokenNotRequired(app: import('../models/app').AppModel, policy: RequestAuthenticationModel): string[] {
  if (policy.requireToken !== undefined) return [];
  const guarded = app.authorizations.some((a) => a.namespace === policy.namespace && a.action === 'ALLOW'
    && (a.serviceName === undefined || a.serviceName === policy.serviceName)
    && a.rules.length > 0 && a.rules.every((r) => (r.requestPrincipals?.length ?? 0) > 0 && r.identities.length + r.namespaces.length === 0));
  if (guarded) return [];
  const target = policy.serviceName !== undefined ? `service ${JSON.stringify(policy.serviceName)}` : `every workload in namespace ${show(policy.namespace)}`;
  return [propError(KIND, policy.path, 'requireToken', undefined,
    `leaves ${target} open to requests WITHOUT a token: a RequestAuthentication only rejects invalid tokens, and no AuthorizationPolicy on the target allows only JWT callers`,
    'set requireToken: true to deny token-less requests, allow only Caller.anyToken() / Caller.jwt(issuer) in an AuthorizationPolicy, or set requireToken: false if anonymous requests are intended').message];
}

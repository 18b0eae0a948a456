import { ApiObject, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { guardDuplicateObjects } from '../analysis/duplicate-objects';
import { mixedBackends } from '../analysis/mesh-services';
import { propError, show } from '../errors';
import { appModelOf } from '../mesh/app-model';
import type { IAuthorizationRendering, IMeshBackend } from '../mesh/backend';
import { Mesh } from '../mesh/mesh';
import type { IMeshService } from '../mesh-service';
import { AuthorizationModel, AuthorizationRuleModel, IdentityModel, principalOf } from '../models/authorization';
import { isDns1123Label, PropRef, requireDns1123Label, requirePort } from '../names';
import { keepJsonPatchesUnder } from '../api-object-patches';

/** The SPIFFE trust domain of an Istio mesh installed with defaults. */
export const DEFAULT_TRUST_DOMAIN = 'cluster.local';

/**
 * Who may call: a mesh workload (by its mTLS identity), a ServiceAccount, or every workload of a
 * namespace. Identities come from mTLS, so the target must not accept plain text (STRICT).
 * @see https://istio.io/latest/docs/reference/config/security/authorization-policy/#Source
 */
export class Caller {
  /** The pods of a MeshService: the principal of its dedicated ServiceAccount. */
  public static meshService(service: IMeshService): Caller {
    return new Caller('meshService', service.namespace, service.serviceName, service);
  }

  /** The pods running as ServiceAccount `name` in `namespace`. */
  public static serviceAccount(namespace: string, name: string): Caller {
    return new Caller('serviceAccount', namespace, name);
  }

  /**
   * An end user presenting a JWT from `issuer` (validated by a RequestAuthentication on the
   * target), with subject `subject` if given: the request principal `<issuer>/<subject>`.
   * @see https://istio.io/latest/docs/reference/config/security/authorization-policy/#Source
   */
  public static jwt(issuer: string, subject?: string): Caller {
    return new Caller('jwt', undefined, undefined, undefined, { issuer, subject });
  }

  /**
   * Any request carrying a valid JWT (request principal `*`): `allow({ from: [Caller.anyToken()] })`
   * is the "require a token" rule — a RequestAuthentication alone lets token-less requests through.
   */
  public static anyToken(): Caller {
    return new Caller('jwt', undefined, undefined, undefined, {});
  }

  /** Every mesh workload in `namespace`. */
  public static namespace(namespace: string): Caller {
    return new Caller('namespace', namespace, undefined);
  }

  private constructor(
    private readonly kind: 'meshService' | 'serviceAccount' | 'namespace' | 'jwt',
    /** The caller's namespace. */
    public readonly namespaceName: string | undefined,
    /** The caller's ServiceAccount; undefined for a whole namespace. */
    public readonly serviceAccountName: string | undefined,
    private readonly service?: IMeshService,
    private readonly token?: { readonly issuer?: string; readonly subject?: string },
  ) {}

  /**
   * The JWT request principal (`<issuer>/<subject>`, `<issuer>/*`, or `*`), or undefined for a
   * workload caller; throws for an issuer or subject that can't be one.
   * @internal
   */
  public _requestPrincipal(ref: PropRef): string | undefined {
    if (this.kind !== 'jwt') return undefined;
    const { issuer, subject } = this.token!;
    if (issuer === undefined) return '*';
    const bad = (v: unknown) => typeof v !== 'string' || v === '' || /\s|\*/.test(v);
    if (bad(issuer)) {
      throw propError(ref.construct, ref.path, `${ref.prop}.issuer`, issuer, 'is not a JWT issuer (the token\'s `iss` claim: non-empty, no spaces or \'*\')',
        'use the issuer your identity provider writes in its tokens, e.g. "https://auth.example.com"');
    }
    if (subject !== undefined && (bad(subject) || subject.includes('/'))) {
      throw propError(ref.construct, ref.path, `${ref.prop}.subject`, subject, 'is not a JWT subject (the `sub` claim: non-empty, no spaces, \'/\' or \'*\')',
        `leave it out to accept every subject of ${JSON.stringify(issuer)}, or give the user's \`sub\``);
    }
    return `${issuer}/${subject ?? '*'}`;
  }

  /**
   * The mTLS principal (`<trust-domain>/ns/<ns>/sa/<sa>`), or undefined for a namespace caller.
   * @internal
   */
  public _principal(ref: PropRef, trustDomain: string): string | undefined {
    const identity = this._identity(ref);
    return identity && principalOf(trustDomain, identity);
  }

  /**
   * The caller's identity (namespace + ServiceAccount), or undefined for a namespace caller;
   * throws if either is not a valid name.
   * @internal
   */
  public _identity(ref: PropRef): IdentityModel | undefined {
    if (this.kind === 'meshService' && this.namespaceName === undefined) {
      throw propError(ref.construct, ref.path, ref.prop, `Caller.meshService(${this.service?.serviceName})`,
        'has no namespace, so its mTLS identity (cluster.local/ns/<namespace>/sa/<serviceaccount>) is unknown',
        `give the chart of MeshService ${JSON.stringify(this.service?.serviceName)} a namespace (new Chart(app, id, { namespace }))`);
    }
    if (this.namespaceName === undefined || !isDns1123Label(this.namespaceName)) {
      throw propError(ref.construct, ref.path, `${ref.prop}.namespace`, this.namespaceName, 'is not a namespace name (a DNS-1123 label)',
        'use the caller\'s namespace, e.g. "shop"');
    }
    if (this.kind === 'namespace') return undefined;
    const sa = this.serviceAccountName;
    if (typeof sa !== 'string' || !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(sa) || sa.length > 253) {
      throw propError(ref.construct, ref.path, `${ref.prop}.serviceAccount`, sa, 'is not a ServiceAccount name (a DNS-1123 subdomain)',
        'use the ServiceAccount\'s name, e.g. "checkout"');
    }
    return { namespace: this.namespaceName, serviceAccount: sa };
  }
}

/** One rule: who (`from`) may do what (`methods`, `paths`, `ports`). Fields are ANDed; list items are ORed. */
export interface AuthorizationRuleOptions {
  /**
   * The callers; any one of them matches.
   * @default - any caller, including plain-text ones if the target is not STRICT
   */
  readonly from?: Caller[];
  /**
   * HTTP methods, upper-case (`GET`, `POST`); gRPC calls are always `POST`.
   * @default - any method
   */
  readonly methods?: string[];
  /**
   * Request paths: exact (`/api/users`), prefix (`/api/*`), suffix (`*.json`), any (`*`), or with
   * `{*}` / `{**}` segment templates.
   * @default - any path
   */
  readonly paths?: string[];
  /**
   * Container ports of the target the request goes to.
   * @default - any port
   */
  readonly ports?: number[];
  /**
   * JWT claims the caller's token must carry, by claim name: the claim must hold one of the
   * values (for a list claim such as `groups`, contain one). Needs a RequestAuthentication that
   * validates the token on the target.
   * @default - no claim condition
   * @see https://istio.io/latest/docs/reference/config/security/conditions/
   */
  readonly claims?: { readonly [claim: string]: string[] };
}

/** Props of an AuthorizationPolicy. */
export interface AuthorizationPolicyProps {
  /**
   * The MeshService the policy protects (selected by its `app` label).
   * @default - every workload in the namespace
   */
  readonly service?: IMeshService;
  /**
   * Make this an allow-nothing policy (`spec: {}`, or only a selector): deny every request to the
   * target. Other ALLOW policies on the same workloads still allow what they list, so this is the
   * namespace's default-deny.
   * @default false
   * @see https://istio.io/latest/docs/reference/config/security/authorization-policy/
   */
  readonly denyAll?: boolean;
  /**
   * Name of the AuthorizationPolicy object.
   * @default - the construct id
   */
  readonly name?: string;
  /**
   * The mesh's trust domain, the first part of every principal.
   * @default 'cluster.local'
   */
  readonly trustDomain?: string;
}

/** The action of an AuthorizationPolicy's rules. */
export enum AuthorizationAction {
  /** Requests matching a rule are allowed; with any ALLOW policy on a workload, everything else is denied. */
  ALLOW = 'ALLOW',
  /** Requests matching a rule are denied, whatever ALLOW policies say. */
  DENY = 'DENY',
}

const KIND = 'AuthorizationPolicy';
const STANDARD_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE', 'PATCH'];

/**
 * Who may call one MeshService (or every workload of a namespace): list callers with `allow()`,
 * or who may not with `deny()`. Rules added later are included. Istio renders a
 * `security.istio.io/v1` AuthorizationPolicy; other backends their equivalent.
 *
 * @example
 * const policy = new AuthorizationPolicy(chart, 'users-callers', { service: users });
 * policy.allow({ from: [Caller.meshService(frontend)], methods: ['GET'], paths: ['/api/users'] });
 *
 * new AuthorizationPolicy(chart, 'allow-nothing', { denyAll: true });   // namespace default-deny
 * @see https://istio.io/latest/docs/reference/config/security/authorization-policy/
 */
export class AuthorizationPolicy extends Construct {
  /** The workload protected; undefined for every workload of the namespace. */
  public readonly service?: IMeshService;
  /** Name of the AuthorizationPolicy object. */
  public readonly name: string;
  /** Namespace of the policy (the chart's). */
  public readonly namespace?: string;
  /** Trust domain of the principals. */
  public readonly trustDomain: string;
  /** True for an explicit allow-nothing policy. */
  public readonly denyAll: boolean;
  /** The data plane this policy renders for. */
  public readonly backend: IMeshBackend;

  private readonly model: AuthorizationModel;
  private readonly rendering: IAuthorizationRendering;

  public constructor(scope: Construct, id: string, props: AuthorizationPolicyProps = {}) {
    super(scope, id);
    guardDuplicateObjects(this);
    const ref = (prop: string): PropRef => ({ construct: KIND, path: this.node.path, prop });
    this.service = props.service;
    this.namespace = Chart.of(this).namespace;
    this.name = requireDns1123Label(ref('name'), props.name ?? id);
    this.denyAll = props.denyAll ?? false;
    this.trustDomain = props.trustDomain ?? DEFAULT_TRUST_DOMAIN;
    if (typeof this.trustDomain !== 'string' || !/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(this.trustDomain)) {
      throw propError(KIND, this.node.path, 'trustDomain', this.trustDomain, 'is not a trust domain',
        'use the mesh\'s trust domain (meshConfig.trustDomain), e.g. "cluster.local"');
    }
    if (this.service && this.service.namespace !== this.namespace) {
      throw propError(KIND, this.node.path, 'service', this.service.serviceName,
        `is in namespace ${show(this.service.namespace)} but the policy is in ${show(this.namespace)}, and a selector only applies in its own namespace`,
        'create the AuthorizationPolicy in the chart of the service it protects');
    }

    this.backend = Mesh._forConstruct(this, KIND, this.namespace);
    const app = appModelOf(this);
    this.model = {
      kind: KIND,
      path: this.node.path,
      name: this.name,
      namespace: this.namespace,
      serviceName: this.service?.serviceName,
      trustDomain: this.trustDomain,
      denyAll: this.denyAll,
      rules: [],
    };
    app.authorizations.push(this.model);
    this.rendering = this.backend.renderAuthorization(this, this.model, app);
    this.node.addValidation({ validate: () => this.validateRules() });
    this.node.addValidation({ validate: () => mixedBackends(app, this.node.path, this.namespace, this.backend) });
    this.node.addValidation({ validate: () => this.rendering.validate?.() ?? [] });
    keepJsonPatchesUnder(this);
  }

  /** The action (ALLOW, DENY), fixed by the first `allow()`/`deny()`; undefined before. */
  public get action(): AuthorizationAction | undefined {
    return this.model.action as AuthorizationAction | undefined;
  }

  /** The object the backend rendered (Istio: the AuthorizationPolicy), if any. */
  public get resource(): ApiObject | undefined {
    return this.rendering.resource;
  }

  /**
   * Allows requests matching `rule`; everything no ALLOW policy matches is denied.
   * @returns the rule as added (callers resolved to identities)
   */
  public allow(rule: AuthorizationRuleOptions): AuthorizationRuleOptions {
    return this.addRule(AuthorizationAction.ALLOW, rule, 'allow(rule)');
  }

  /**
   * Denies requests matching `rule`, whatever ALLOW policies say (DENY is evaluated first).
   * @returns the rule as added
   */
  public deny(rule: AuthorizationRuleOptions): AuthorizationRuleOptions {
    return this.addRule(AuthorizationAction.DENY, rule, 'deny(rule)');
  }

  private addRule(action: AuthorizationAction, rule: AuthorizationRuleOptions, prop: string): AuthorizationRuleOptions {
    if (this.denyAll) {
      throw propError(KIND, this.node.path, 'denyAll', true, `forbids ${prop}: an allow-nothing policy has no rules`,
        'create a separate AuthorizationPolicy for the rules, or drop denyAll');
    }
    if (this.model.action !== undefined && this.model.action !== action) {
      throw propError(KIND, this.node.path, prop, action, `differs from the policy's action ${this.model.action} (one action per policy)`,
        `create a separate AuthorizationPolicy for the ${action} rules`);
    }
    const model = this.ruleModel(rule ?? {}, prop);
    this.model.action = action;
    this.rendering.ruleAdded?.(model);
    this.model.rules.push(model);
    return rule;
  }

  private ruleModel(rule: AuthorizationRuleOptions, prop: string): AuthorizationRuleModel {
    const ref = (p: string): PropRef => ({ construct: KIND, path: this.node.path, prop: `${prop}.${p}` });
    const from = rule.from ?? [];
    const methods = rule.methods ?? [];
    const paths = rule.paths ?? [];
    const ports = rule.ports ?? [];
    for (const [name, list] of Object.entries({ from, methods, paths, ports })) {
      if (!Array.isArray(list) || (list.length === 0 && (rule as any)[name] !== undefined)) {
        throw propError(KIND, this.node.path, `${prop}.${name}`, list, 'is empty, which Istio reads as "anything"',
          `list at least one value, or leave ${name} out to match any`);
      }
    }
    const claims = Object.entries(rule.claims ?? {}).map(([claim, values], i) => requireClaim(ref('claims'), claim, values, i));
    if (from.length + methods.length + paths.length + ports.length + claims.length === 0) {
      throw propError(KIND, this.node.path, prop, rule, 'matches every request',
        'narrow it with from, methods, paths or ports (to deny everything, use denyAll: true)');
    }
    methods.forEach((m, i) => requireMethod(ref(`methods[${i}]`), m));
    paths.forEach((p, i) => requirePolicyPath(ref(`paths[${i}]`), p));
    ports.forEach((p, i) => requirePort(ref(`ports[${i}]`), p));
    this.checkRuleAgainstService(prop, methods, paths, ports);

    const identities: IdentityModel[] = [];
    const seen = new Set<string>();
    const namespaces: string[] = [];
    const requestPrincipals: string[] = [];
    from.forEach((caller, i) => {
      if (!(caller instanceof Caller)) {
        throw propError(KIND, this.node.path, `${prop}.from[${i}]`, caller, 'is not a Caller',
          'use Caller.meshService(svc), Caller.serviceAccount(namespace, name), Caller.namespace(namespace) or Caller.jwt(issuer)');
      }
      const principal = caller._requestPrincipal(ref(`from[${i}]`));
      if (principal !== undefined) {
        if (!requestPrincipals.includes(principal)) requestPrincipals.push(principal);
        return;
      }
      const identity = caller._identity(ref(`from[${i}]`));
      if (identity === undefined) {
        if (!namespaces.includes(caller.namespaceName!)) namespaces.push(caller.namespaceName!);
      } else if (!seen.has(principalOf(this.trustDomain, identity))) {
        seen.add(principalOf(this.trustDomain, identity));
        identities.push(identity);
      }
    });
    return {
      identities, namespaces, methods: [...methods], paths: [...paths], ports: [...ports], prop,
      ...(requestPrincipals.length > 0 ? { requestPrincipals } : {}),
      ...(claims.length > 0 ? { claims } : {}),
    };
  }

  /**
   * A rule the protected service can never match: a port it does not have, methods or paths on
   * TCP ports (the mesh sees no HTTP there: Istio never matches such an ALLOW rule, Linkerd's
   * opaque Server reads no routes), a method other than POST on gRPC ports.
   */
  private checkRuleAgainstService(prop: string, methods: readonly string[], paths: readonly string[], ports: readonly number[]): void {
    if (!this.service) return;
    const name = this.service.serviceName;
    const target = appModelOf(this).servicesByName().get(`${this.namespace ?? ''}|${name}`)?.[0];
    if (!target) return;
    const declared = target.ports.map((p) => p.port);
    ports.forEach((p, i) => {
      if (!declared.includes(p)) {
        throw propError(KIND, this.node.path, `${prop}.ports[${i}]`, p, `is not a port of MeshService ${show(name)} (${declared.join(', ')}): the rule would never match`,
          'use one of the service\'s ports (the container port), or leave ports out to match any');
      }
    });
    const reached = ports.length > 0 ? target.ports.filter((p) => ports.includes(p.port)) : target.ports;
    if (methods.length + paths.length > 0 && reached.every((p) => p.protocol === 'tcp')) {
      const field = methods.length > 0 ? 'methods' : 'paths';
      throw propError(KIND, this.node.path, `${prop}.${field}`, methods.length > 0 ? methods : paths,
        `needs HTTP, but ${ports.length > 0 ? 'the rule\'s ports are' : `every port of MeshService ${show(name)} is`} TCP: the mesh sees no methods or paths there, so the rule never matches (as an ALLOW rule it denies its callers)`,
        'drop methods and paths (authorize TCP callers by identity alone), or declare the port with an HTTP, HTTP2 or gRPC protocol');
    }
    const notPost = methods.find((m) => m !== 'POST');
    if (notPost !== undefined && reached.every((p) => p.protocol === 'grpc')) {
      throw propError(KIND, this.node.path, `${prop}.methods`, methods, `includes ${show(notPost)}, but ${ports.length > 0 ? 'the rule\'s ports are' : `every port of MeshService ${show(name)} is`} gRPC, and every gRPC call is a POST: that method never matches`,
        'drop methods (or use ["POST"]), and narrow by paths (`/package.Service/Method`)');
    }
  }

  private validateRules(): string[] {
    if (this.denyAll || this.model.rules.length > 0) return [];
    return [propError(KIND, this.node.path, 'rules', [],
      'makes an ALLOW policy with no rules: it denies every request to ' + (this.service ? `service ${JSON.stringify(this.service.serviceName)}` : `every workload in namespace ${show(this.namespace)}`),
      'add rules with allow({ from, methods, paths }), or pass denyAll: true if denying everything is the intent').message];
  }
}

function requireMethod(ref: PropRef, method: string): string {
  if (typeof method !== 'string' || !/^[A-Z][A-Z-]*$/.test(method)) {
    const upper = typeof method === 'string' ? method.toUpperCase() : '';
    throw propError(ref.construct, ref.path, ref.prop, method, 'is not an upper-case HTTP method (Istio matches methods case-sensitively)',
      STANDARD_METHODS.includes(upper) ? `write ${JSON.stringify(upper)}` : `use one of ${STANDARD_METHODS.join(', ')}`);
  }
  return method;
}

/** Istio path matching: exact, `prefix*`, `*suffix`, `*`, or `{*}`/`{**}` templates (no other `*`). */
function requirePolicyPath(ref: PropRef, path: string): string {
  const fix = 'use an exact path ("/api/users"), a prefix ("/api/*"), a suffix ("*.json"), "*", or {*}/{**} segments ("/api/{*}/orders")';
  if (typeof path !== 'string' || path === '' || /\s/.test(path)) {
    throw propError(ref.construct, ref.path, ref.prop, path, 'is not a request path', fix);
  }
  if (path === '*') return path;
  const template = path.includes('{');
  if (template) {
    const segments = path.split('/');
    const ok = path.startsWith('/') && segments.every((s, i) => !s.includes('{') && !s.includes('*')
      || s === '{*}' || (s === '{**}' && i === segments.length - 1));
    if (!ok) {
      throw propError(ref.construct, ref.path, ref.prop, path, 'is not a valid path template (only whole {*} segments, and {**} last)', fix);
    }
    return path;
  }
  const stars = (path.match(/\*/g) ?? []).length;
  const prefix = path.endsWith('*') && stars === 1 && path.startsWith('/');
  const suffix = path.startsWith('*') && stars === 1;
  if (stars === 0 ? !path.startsWith('/') : !(prefix || suffix)) {
    throw propError(ref.construct, ref.path, ref.prop, path, stars === 0 ? 'does not start with \'/\'' : 'has a \'*\' Istio does not support (only one, at the start or the end)', fix);
  }
  return path;
}

/** A claim condition: a claim name (letters, digits, `_-:.`) and at least one value. */
function requireClaim(ref: PropRef, claim: string, values: string[], _i: number): { claim: string; values: string[] } {
  if (!/^[A-Za-z0-9_:.-]+$/.test(claim)) {
    throw propError(ref.construct, ref.path, ref.prop, claim, 'is not a JWT claim name (letters, digits, \'_\', \'-\', \':\', \'.\')', 'name a top-level claim of the token, e.g. "groups"');
  }
  if (!Array.isArray(values) || values.length === 0 || values.some((v) => typeof v !== 'string' || v === '')) {
    throw propError(ref.construct, ref.path, `${ref.prop}[${JSON.stringify(claim)}]`, values, 'is not a non-empty list of non-empty values',
      `list the values the claim may hold, e.g. { ${claim}: ['admin'] }`);
  }
  return { claim, values: [...values] };
}

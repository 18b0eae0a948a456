// What the interpreter reads routing YAML into: per service, ordered rules "match → versions with shares".
import { RequestMatch } from './match';

/** `namespace/name` of a Kubernetes Service: how the reviewer names a service (a host). */
export type ServiceKey = string;

/** A share of the traffic a rule sends to one version of a service. */
export interface Share {
  readonly service: ServiceKey;
  /** The version label of the pods (Istio subset labels / per-version Service selector); `*` = every pod of the service. */
  readonly version: string;
  /** 0–100. */
  readonly percent: number;
  /** The subset or backend Service the manifest names (for messages). */
  readonly via: string;
}

/** A mirror: a copy of `percent` % of the rule's requests goes to `version` (responses ignored). */
export interface Mirror {
  readonly service: ServiceKey;
  readonly version: string;
  readonly percent: number;
  readonly via: string;
}

/** Policies of a rule, already in words (`2s`, `3 attempts, 500ms per try, on 5xx`). */
export interface RoutePolicy {
  readonly timeout?: string;
  readonly retries?: string;
  readonly fault?: string;
  readonly mirrors: readonly Mirror[];
}

/** One rule: the requests it takes and where they go. */
export interface RouteRule {
  /** Stable name for comparing states: the rule's `name`, else its matches in words; `default route` for a catch-all. */
  readonly key: string;
  /** ORed; empty = every request. */
  readonly matches: readonly RequestMatch[];
  /** Empty when the rule answers itself (redirect, direct response) or routes nowhere. */
  readonly shares: readonly Share[];
  readonly policy: RoutePolicy;
  /** The manifest it came from: `VirtualService mesh-demo/myservice http[1]`. */
  readonly origin: string;
}

/** The routing of one service (host), in evaluation order: the first rule that matches takes the request. */
export interface ServiceRouting {
  readonly service: ServiceKey;
  /** Which API the rules were read from. */
  readonly api: 'VirtualService' | 'HTTPRoute';
  /**
   * Rules in the order they are tried. For VirtualServices, the written order; for HTTPRoutes,
   * every match of every rule of every route on the Service, sorted by Gateway API precedence.
   */
  readonly rules: readonly RouteRule[];
  /** Things a reader must know (conflicting VirtualServices, routes a mesh ignores). */
  readonly notes: readonly string[];
}

/** The routing of every service found in a set of manifests. */
export interface RoutingModel {
  readonly services: ReadonlyMap<ServiceKey, ServiceRouting>;
}

/** Where one request goes. */
export interface RouteDecision {
  readonly service: ServiceKey;
  /** The key of the rule that took it; `no route` (404) or `no routing rules` (plain Service load balancing). */
  readonly rule: string;
  /** Sorted by version; percentages of the same rule sum to 100 (empty: 404 / not routed). */
  readonly shares: readonly Share[];
  readonly policy: RoutePolicy;
}

/** Formats a number of percent without noise: `90`, `33.33`. */
export function pct(n: number): string {
  return `${Math.round(n * 100) / 100}%`;
}

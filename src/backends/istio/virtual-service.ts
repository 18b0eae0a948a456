// Routing model → Istio VirtualService spec. The only file that knows the VirtualService shape; the
// Gateway API renderer (backends/gateway-api/) reads the same model.
import { Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import {
  VirtualService,
  VirtualServiceSpec,
  VirtualServiceSpecHttp,
  VirtualServiceSpecHttpMatch,
  VirtualServiceSpecHttpMatchHeaders,
} from '../../../imports/networking.istio.io';
import { MatchModel, RoutingModel, RuleModel, StringMatch } from '../../models/routing';
import { serviceHost } from '../../models/service';
import type { RoutingInput } from '../../mesh/backend';

/** The host the routing object names (short in the service's namespace, FQDN elsewhere). @internal */
export function routingHost(model: Pick<RoutingModel, 'serviceName' | 'serviceNamespace' | 'namespace'>): string {
  return serviceHost(model.serviceName, model.serviceNamespace, model.namespace);
}

/** The VirtualService spec of a routing model: one `http` entry per rule, in order. @internal */
export function toVirtualServiceSpec(model: RoutingModel): VirtualServiceSpec {
  const host = routingHost(model);
  if (model.tcp) {
    // An opaque TCP port: Istio matches it with `tcp` routes (no HTTP fields).
    const port = model.port === undefined ? undefined : { number: model.port };
    return { hosts: [host], tcp: model.rules.map((rule) => ({ route: rule.destinations.map((d) => ({ destination: { host, subset: d.version, port }, weight: d.weight })) })) };
  }
  const edges = model.edges ?? [];
  const gateways = [...new Set(edges.map((e) => e.gateway))];
  if (edges.length === 0) return { hosts: [host], http: model.rules.map((rule) => toHttpRoute(rule, host, model.port, gateways)) };
  // Bound to the ingress gateways too, keeping `mesh` so in-mesh callers follow the same rules.
  return {
    hosts: [host, ...new Set(edges.flatMap((e) => e.hosts))],
    gateways: [...gateways, 'mesh'],
    http: model.rules.map((rule) => toHttpRoute(rule, host, model.port, gateways)),
  };
}

/**
 * The `match` list of a rule. On a multi-port service (`port` set) every in-mesh match names the
 * routed port: a rule without `match.port` applies to every HTTP port of the host, and its
 * `destination.port` would send a request for another port to this one. Edge traffic arrives on
 * the gateway's own port, so with ingress gateways each match is written twice: `gateways: [mesh]`
 * with the port, and `gateways: [<ingress>]` without.
 */
function toMatches(rule: RuleModel, port: number | undefined, gateways: readonly string[]): VirtualServiceSpecHttpMatch[] | undefined {
  const base: VirtualServiceSpecHttpMatch[] = rule.matches.length > 0 ? rule.matches.map(toMatch) : [];
  if (port === undefined) return base.length > 0 ? base : undefined;
  const all = base.length > 0 ? base : [{}];
  if (gateways.length === 0) return all.map((m) => ({ ...m, port }));
  return [...all.map((m) => ({ ...m, port, gateways: ['mesh'] })), ...all.map((m) => ({ ...m, gateways: [...gateways] }))];
}

function toHttpRoute(rule: RuleModel, host: string, port: number | undefined, gateways: readonly string[]): VirtualServiceSpecHttp {
  const portSelector = port === undefined ? undefined : { number: port };
  return {
    name: rule.name,
    match: toMatches(rule, port, gateways),
    route: rule.destinations.map((d) => ({ destination: { host, subset: d.version, port: portSelector }, weight: d.weight })),
    timeout: ms(rule.timeoutMs),
    retries: rule.retries && {
      attempts: rule.retries.attempts,
      perTryTimeout: ms(rule.retries.perTryTimeoutMs),
      retryOn: rule.retries.retryOn.length > 0 ? rule.retries.retryOn.join(',') : undefined,
    },
    fault: rule.fault && {
      delay: rule.fault.delay && { fixedDelay: ms(rule.fault.delay.fixedMs), percentage: { value: rule.fault.delay.percentage } },
      abort: rule.fault.abort && { httpStatus: rule.fault.abort.httpStatus, percentage: { value: rule.fault.abort.percentage } },
    },
    mirror: rule.mirror && { host, subset: rule.mirror.version, port: portSelector },
    mirrorPercentage: rule.mirror && { value: rule.mirror.percentage },
  };
}

function toMatch(m: MatchModel): VirtualServiceSpecHttpMatch {
  return {
    headers: m.headers.length > 0 ? stringMatches(m.headers) : undefined,
    uri: m.uri && stringMatch(m.uri),
    method: m.method && { exact: m.method },
    queryParams: m.queryParams.length > 0 ? stringMatches(m.queryParams) : undefined,
  };
}

function stringMatches(entries: ReadonlyArray<readonly [string, StringMatch]>): { [key: string]: VirtualServiceSpecHttpMatchHeaders } {
  return Object.fromEntries(entries.map(([name, m]) => [name, stringMatch(m)]));
}

function stringMatch(m: StringMatch): VirtualServiceSpecHttpMatchHeaders {
  return { [m.kind]: m.value };
}

/** Milliseconds as an Istio (protobuf) duration: whole seconds as '2s', the rest as '1500ms'. */
function ms(value: number | undefined): string | undefined {
  if (value === undefined) return undefined;
  return value % 1000 === 0 ? `${value / 1000}s` : `${value}ms`;
}

/** The VirtualService of a TrafficSplit, named after the service; rules added later are rendered too. @internal */
export function createVirtualService(scope: Construct, routing: RoutingInput): VirtualService {
  const name = routing.service.serviceName;
  return new VirtualService(scope, routing.id ?? 'Resource', {
    metadata: { name, labels: { 'app': name, 'app.kubernetes.io/name': name } },
    spec: Lazy.any({ produce: () => toVirtualServiceSpec(routing.model()) }),
  });
}

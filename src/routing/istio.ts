// Routing model → Istio VirtualService spec. The only file that knows the VirtualService shape; a
// Gateway API HTTPRoute renderer would sit beside it and read the same model.
import {
  VirtualServiceSpec,
  VirtualServiceSpecHttp,
  VirtualServiceSpecHttpMatch,
  VirtualServiceSpecHttpMatchHeaders,
} from '../../imports/networking.istio.io';
import { MatchModel, RoutingModel, RuleModel, StringMatch } from './model';

/**
 * The host the routing object names: the Service's short name when the object lives in the
 * Service's namespace (the convention the MeshService's DestinationRule uses), its FQDN otherwise
 * (a short name resolves in the routing object's own namespace).
 * @internal
 */
export function routingHost(model: Pick<RoutingModel, 'serviceName' | 'serviceNamespace' | 'namespace'>): string {
  if ((model.namespace ?? '') === (model.serviceNamespace ?? '')) return model.serviceName;
  return `${model.serviceName}.${model.serviceNamespace ?? 'default'}.svc.cluster.local`;
}

/** The VirtualService spec of a routing model: one `http` entry per rule, in order. @internal */
export function toVirtualServiceSpec(model: RoutingModel): VirtualServiceSpec {
  const host = routingHost(model);
  return { hosts: [host], http: model.rules.map((rule) => toHttpRoute(rule, host)) };
}

function toHttpRoute(rule: RuleModel, host: string): VirtualServiceSpecHttp {
  return {
    name: rule.name,
    match: rule.matches.length > 0 ? rule.matches.map(toMatch) : undefined,
    route: rule.destinations.map((d) => ({ destination: { host, subset: d.version }, weight: d.weight })),
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
    mirror: rule.mirror && { host, subset: rule.mirror.version },
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

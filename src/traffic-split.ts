import { ApiObject, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { guardDuplicateObjects } from './analysis/duplicate-objects';
import { mixedBackends } from './analysis/mesh-services';
import { propError } from './errors';
import { appModelOf } from './mesh/app-model';
import type { IMeshBackend, IRoutingRendering, RoutingInput } from './mesh/backend';
import { Mesh } from './mesh/mesh';
import { IMeshService, MeshService } from './mesh-service';
import { edgesOf } from './models/ingress';
import { RoutingModel, RuleModel } from './models/routing';
import { MeshProtocol } from './service-ports';
import { normalizeRule, TrafficRouteOptions, TrafficRule } from './routing/route-options';
import { keepJsonPatchesUnder } from './api-object-patches';

/** Props of a TrafficSplit. */
export interface TrafficSplitProps {
  /** The MeshService whose traffic is routed; its versions are the DestinationRule subsets routed to. */
  readonly service: IMeshService;
  /**
   * Rules tried in order before the default route; the first whose match holds wins. More can be
   * added with `addRule()`.
   * @default - none: all traffic takes the default route
   * @see https://istio.io/latest/docs/reference/config/networking/virtual-service/#HTTPRoute
   */
  readonly rules?: TrafficRule[];
  /** Where requests that match no rule go: typically a weighted split between versions. */
  readonly defaultRoute: TrafficRouteOptions;
}

const KIND = 'TrafficSplit';

/**
 * How a MeshService's traffic is split between its versions: ordered match rules (headers, URI,
 * method, query parameters, cookies), then a weighted default route, each with optional timeout,
 * retries, fault injection and mirroring. Rendered by the chart's backend (`Mesh.of(this)`): for Istio
 * sidecar mode one `networking.istio.io/v1` VirtualService named after the service, routing to the
 * subsets of the service's DestinationRule; for Gateway API routing an HTTPRoute attached to the
 * service, routing to its per-version Services.
 *
 * @example
 * new TrafficSplit(chart, 'myservice-routing', {
 *   service: myservice,
 *   rules: [{ matches: [{ headers: { version: StringMatch.exact('v2') } }], destinations: [{ version: 'v2' }] }],
 *   defaultRoute: {
 *     destinations: [
 *       { version: 'v1', weight: Weight.fraction(0.9) },
 *       { version: 'v2', weight: Weight.fraction(0.1) },
 *     ],
 *   },
 * });
 */
export class TrafficSplit extends Construct {
  /** The service routed. */
  public readonly service: IMeshService;
  /** Namespace of the routing object (the chart's). */
  public readonly namespace?: string;
  /** The data plane this routing renders for (`Mesh.of(this)` when it was created). */
  public readonly backend: IMeshBackend;

  private readonly rules: RuleModel[] = [];
  private readonly defaultRule: RuleModel;
  private readonly rendering: IRoutingRendering;

  public constructor(scope: Construct, id: string, props: TrafficSplitProps) {
    super(scope, id);
    guardDuplicateObjects(this);
    if (!props || !props.service || typeof props.service.serviceName !== 'string') {
      throw propError(KIND, this.node.path, 'service', props?.service, 'is not a MeshService', 'pass the MeshService whose traffic to route');
    }
    if (!props.defaultRoute) {
      throw propError(KIND, this.node.path, 'defaultRoute', props.defaultRoute, 'is missing',
        'say where unmatched requests go, e.g. { destinations: [{ version: \'v1\' }] }');
    }
    this.service = props.service;
    this.namespace = Chart.of(this).namespace;
    if (MeshService.isMeshService(props.service) && props.service.protocol === MeshProtocol.TCP) {
      throw propError(KIND, this.node.path, 'service', props.service.serviceName,
        `has the TCP port ${JSON.stringify(props.service.portName)} as its primary port, and TCP traffic carries no headers, paths or methods to route on (the mesh would ignore the HTTP routes)`,
        'route an HTTP, HTTP/2 or gRPC service, or put its HTTP port first in `ports`');
    }
    if (this.namespace !== undefined && props.service.namespace === undefined) {
      // The VirtualService would have to name the host by FQDN, and the service's namespace is
      // only decided at `kubectl apply -n`: guessing "default" routes a host that may not exist.
      throw propError(KIND, this.node.path, 'service', props.service.serviceName,
        `has no namespace, while this TrafficSplit lives in namespace ${JSON.stringify(this.namespace)} and must name the service by its FQDN`,
        'give the MeshService\'s chart a namespace, or put the TrafficSplit in the same chart as the service');
    }
    if (props.defaultRoute && 'matches' in props.defaultRoute) {
      throw propError(KIND, this.node.path, 'defaultRoute.matches', (props.defaultRoute as TrafficRule).matches,
        'is set, but the default route takes every request no rule matches', 'put matched routes in `rules`');
    }
    this.defaultRule = normalizeRule(this.ref('defaultRoute'), props.defaultRoute);
    (props.rules ?? []).forEach((rule, i) => this.rules.push(normalizeRule(this.ref(`rules[${i}]`), rule)));

    this.backend = Mesh._forConstruct(this, KIND, this.namespace);
    // The service's default route (to its first version) gives way to this one.
    if (MeshService.isMeshService(this.service)) this.service._routedBy(this.node.path);
    const app = appModelOf(this);
    const input: RoutingInput = { path: this.node.path, kind: KIND, service: this.service, model: () => this._routingModel() };
    app.routings.push({ path: this.node.path, kind: KIND, host: `${this.service.serviceName}.${this.service.namespace ?? 'default'}`, backend: this.backend.id, namespace: this.namespace, model: input.model });
    this.rendering = this.backend.renderRouting(this, input, app);
    this.node.addValidation({ validate: () => mixedBackends(app, this.node.path, this.namespace, this.backend) });
    this.node.addValidation({ validate: () => this.sameBackendAsService() });
    this.node.addValidation({ validate: () => this.rendering.validate?.() ?? [] });
    keepJsonPatchesUnder(this);
  }

  /** The Istio VirtualService, when the backend renders one (Istio sidecar mode with VirtualService routing). */
  public get virtualService(): ApiObject | undefined {
    return this.rendering.resource?.kind === 'VirtualService' ? this.rendering.resource : undefined;
  }

  /** The main routing object the backend rendered (VirtualService or HTTPRoute). */
  public get resource(): ApiObject | undefined {
    return this.rendering.resource;
  }

  /**
   * Adds a rule after the existing rules and before the default route. Messages name it
   * `rules[<position>]`, counting the rules given in props first.
   * @returns the position of the rule among the rules (0 = tried first)
   */
  public addRule(rule: TrafficRule): number {
    const model = normalizeRule(this.ref(`rules[${this.rules.length}]`), rule);
    this.rendering.ruleAdded?.(model);
    this.rules.push(model);
    return this.rules.length - 1;
  }

  /** The routing model renderers and analysis read. @internal */
  public _routingModel(): RoutingModel {
    return {
      serviceName: this.service.serviceName,
      serviceNamespace: this.service.namespace,
      namespace: this.namespace,
      port: MeshService.isMeshService(this.service) && this.service.ports.length > 1 ? this.service.port : undefined,
      rules: [...this.rules, this.defaultRule],
      edges: edgesOf(appModelOf(this), this.service.serviceName, this.service.namespace, this.namespace),
    };
  }

  /** A route rendered for one data plane can't steer a service rendered for another (subsets vs per-version Services). */
  private sameBackendAsService(): string[] {
    const service = this.service;
    if (!MeshService.isMeshService(service) || service.backend.id === this.backend.id) return [];
    return [propError(KIND, this.node.path, 'service', service.serviceName,
      `renders for ${service.backend.name} ('${service.node.path}'), but this TrafficSplit renders for ${this.backend.name}, whose routes need objects the service does not have`,
      'render the TrafficSplit and the MeshService for the same backend (Mesh.use on both charts)').message];
  }

  private ref(prop: string) {
    return { construct: KIND, path: this.node.path, prop };
  }
}

import { Chart, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { VirtualService } from '../imports/networking.istio.io';
import { register } from './analysis/registry';
import { analyzeRouting, ROUTING_SOURCE, ROUTING_SOURCE_KIND, RoutingSource } from './analysis/routing';
import { propError } from './errors';
import { IMeshService } from './mesh-service';
import { toVirtualServiceSpec } from './routing/istio';
import { RoutingModel, RuleModel } from './routing/model';
import { normalizeRule, TrafficRouteOptions, TrafficRule } from './routing/route-options';
import { guardDuplicateObjects } from './analysis/duplicate-objects';
import { keepJsonPatches } from './api-object-patches';

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
 * retries, fault injection and mirroring. Renders one `networking.istio.io/v1` VirtualService named
 * after the service, routing to the subsets of the service's DestinationRule.
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
export class TrafficSplit extends Construct implements RoutingSource {
  /** The service routed. */
  public readonly service: IMeshService;
  /** Namespace of the VirtualService (the chart's). */
  public readonly namespace?: string;
  /** The generated VirtualService. */
  public readonly virtualService: VirtualService;
  /** @internal */
  public readonly [ROUTING_SOURCE] = KIND;

  private readonly rules: RuleModel[] = [];
  private readonly defaultRule: RuleModel;

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

    this.virtualService = new VirtualService(this, 'Resource', {
      metadata: {
        name: this.service.serviceName,
        labels: { 'app': this.service.serviceName, 'app.kubernetes.io/name': this.service.serviceName },
      },
      // Lazy: rules added later with addRule() are rendered too.
      spec: Lazy.any({ produce: () => toVirtualServiceSpec(this._routingModel()) }),
    });
    keepJsonPatches(this.virtualService);
    register(ROUTING_SOURCE_KIND, this);
    this.node.addValidation({ validate: () => analyzeRouting(this) });
  }

  /**
   * Adds a rule after the existing rules and before the default route. Messages name it
   * `rules[<position>]`, counting the rules given in props first.
   * @returns the position of the rule among the rules (0 = tried first)
   */
  public addRule(rule: TrafficRule): number {
    this.rules.push(normalizeRule(this.ref(`rules[${this.rules.length}]`), rule));
    return this.rules.length - 1;
  }

  /** The routing model renderers and analysis read. @internal */
  public _routingModel(): RoutingModel {
    return {
      serviceName: this.service.serviceName,
      serviceNamespace: this.service.namespace,
      namespace: this.namespace,
      rules: [...this.rules, this.defaultRule],
    };
  }

  private ref(prop: string) {
    return { construct: KIND, path: this.node.path, prop };
  }
}

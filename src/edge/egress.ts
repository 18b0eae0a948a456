import { ApiObject, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { guardDuplicateObjects } from '../analysis/duplicate-objects';
import { mixedBackends } from '../analysis/mesh-services';
import { propError, show } from '../errors';
import { appModelOf } from '../mesh/app-model';
import type { IMeshBackend, IRendering } from '../mesh/backend';
import { Mesh } from '../mesh/mesh';
import type { IMeshService } from '../mesh-service';
import type { EgressModel } from '../models/egress';
import { serviceFqdn } from '../models/service';
import { isDns1123Label } from '../names';
import { keepJsonPatchesUnder } from '../api-object-patches';
import { ExternalService } from './external-service';

/** Props of a MeshEgress. */
export interface MeshEgressProps {
  /**
   * Where the namespace's workloads may send requests: MeshServices (of any namespace) and
   * ExternalServices. Everything else is refused by the proxy (REGISTRY_ONLY: 502 for HTTP, a
   * reset connection for TCP).
   */
  readonly destinations: Array<IMeshService | ExternalService>;
  /**
   * Namespaces whose every service may be called too (e.g. `istio-system` for a tracing
   * collector, or this namespace itself).
   * @default - none
   */
  readonly namespaces?: string[];
}

const KIND = 'MeshEgress';

/**
 * Restricts a namespace's outbound traffic to declared destinations. Istio sidecar renders the
 * namespace's default `networking.istio.io/v1` Sidecar (no workload selector, so one per
 * namespace) with `egress.hosts` listing the destinations and `outboundTrafficPolicy:
 * REGISTRY_ONLY`, so a call to anything undeclared — another service of the mesh or the internet —
 * fails. Istio ambient (no sidecars read a Sidecar resource) and Linkerd refuse it.
 *
 * @example
 * new MeshEgress(chart, 'egress', { destinations: [users, stripe] });
 * @see https://istio.io/latest/docs/reference/config/networking/sidecar/
 */
export class MeshEgress extends Construct {
  /** Namespace restricted (the chart's). */
  public readonly namespace?: string;
  /** The data plane this renders for. */
  public readonly backend: IMeshBackend;

  private readonly rendering: IRendering;

  public constructor(scope: Construct, id: string, props: MeshEgressProps) {
    super(scope, id);
    guardDuplicateObjects(this);
    const fail = (prop: string, value: unknown, problem: string, fix: string) => propError(KIND, this.node.path, prop, value, problem, fix);
    this.namespace = Chart.of(this).namespace;
    if (this.namespace === undefined) {
      throw fail('namespace', undefined, 'is unset on the chart, and the Sidecar egress hosts name destinations relative to the namespace restricted', 'give the chart a namespace (new Chart(app, id, { namespace }))');
    }
    const destinations = props?.destinations;
    const namespaces = props?.namespaces ?? [];
    if (!Array.isArray(destinations) || (destinations.length === 0 && namespaces.length === 0)) {
      throw fail('destinations', destinations, 'declares no destination, so every outbound request would fail', 'list the MeshServices and ExternalServices the namespace calls');
    }
    const hosts: string[] = [];
    const names: string[] = [];
    destinations.forEach((d, i) => {
      if (ExternalService.isExternalService(d)) {
        for (const h of d.hosts) hosts.push(`${d.namespace ?? this.namespace}/${h}`);
        names.push(d.node.path);
      } else if (d && typeof (d as IMeshService).serviceName === 'string') {
        const svc = d as IMeshService;
        if (svc.namespace === undefined) {
          throw fail(`destinations[${i}]`, svc.serviceName, 'has no namespace, so its host <service>.<namespace>.svc.cluster.local is unknown', 'give the MeshService\'s chart a namespace');
        }
        hosts.push(`${svc.namespace}/${serviceFqdn(svc.serviceName, svc.namespace)}`);
        names.push(svc.serviceName);
      } else {
        throw fail(`destinations[${i}]`, d, 'is not a MeshService or an ExternalService', 'pass a MeshService or an ExternalService');
      }
    });
    namespaces.forEach((ns, i) => {
      if (typeof ns !== 'string' || !isDns1123Label(ns)) throw fail(`namespaces[${i}]`, ns, 'is not a namespace name (a DNS-1123 label)', 'use a namespace, e.g. "istio-system"');
      hosts.push(`${ns}/*`);
    });
    const model: EgressModel = { kind: KIND, path: this.node.path, namespace: this.namespace, hosts: [...new Set(hosts)], destinations: names };
    this.backend = Mesh._forConstruct(this, KIND, this.namespace);
    if (!this.backend.renderEgress) {
      throw fail('destinations', names, `can't be enforced by ${this.backend.name}, which has no outbound restriction`, 'render this namespace with the Istio sidecar backend');
    }
    const app = appModelOf(this);
    const first = app.list<EgressModel>(KIND).find((e) => e.namespace === this.namespace);
    if (first) {
      throw fail('destinations', names, `restricts namespace ${show(this.namespace)} again ('${first.path}' already does): Istio applies one selector-less Sidecar per namespace and ignores the others`,
        `list every destination in '${first.path}'`);
    }
    app.add(KIND, model);
    this.rendering = this.backend.renderEgress(this, model, app);
    this.node.addValidation({ validate: () => mixedBackends(app, this.node.path, this.namespace, this.backend) });
    this.node.addValidation({ validate: () => this.rendering.validate?.() ?? [] });
    keepJsonPatchesUnder(this);
  }

  /** The object the backend rendered (Istio: the Sidecar). */
  public get resource(): ApiObject | undefined {
    return this.rendering.resource;
  }
}

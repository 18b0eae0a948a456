import { ApiObject, Chart, Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { guardDuplicateObjects } from '../analysis/duplicate-objects';
import { mixedBackends } from '../analysis/mesh-services';
import { propError } from '../errors';
import { appModelOf } from '../mesh/app-model';
import type { IMeshBackend, IRendering } from '../mesh/backend';
import { Mesh } from '../mesh/mesh';
import { ExternalServiceModel, isHttpExternal } from '../models/egress';
import { requireExternalHost } from '../models/ingress';
import { PropRef, requireDns1123Label, requirePort } from '../names';
import { millis, normalizeRetries, RetryPolicy } from '../routing/route-options';
import { keepJsonPatchesUnder } from '../api-object-patches';

/** How the workload talks to an external port. */
export enum ExternalProtocol {
  /** Plain HTTP/1.1: the proxy reads requests (timeouts and retries apply). */
  HTTP = 'HTTP',
  /** HTTP/2 in clear text. */
  HTTP2 = 'HTTP2',
  /** gRPC in clear text. */
  GRPC = 'GRPC',
  /** HTTPS originated by the workload itself: the proxy sees TLS only (routed by SNI). */
  HTTPS = 'HTTPS',
  /** Any TLS originated by the workload (routed by SNI). */
  TLS = 'TLS',
  /** Opaque TCP. */
  TCP = 'TCP',
}

/** How the proxy finds the external service's addresses. */
export enum ExternalResolution {
  /** Resolve the hosts in DNS, connecting to the first address (Istio's DNS). */
  DNS = 'DNS',
  /** Resolve in DNS, spreading connections over every address. */
  DNS_ROUND_ROBIN = 'DNS_ROUND_ROBIN',
  /** Fixed IP addresses (`endpoints`). */
  STATIC = 'STATIC',
  /** No resolution: forward to the address the workload connected to (needed for wildcard hosts). */
  NONE = 'NONE',
}

/** One port of an external service. */
export interface ExternalPort {
  /** The port number, e.g. 443. */
  readonly port: number;
  /** The protocol on it. */
  readonly protocol: ExternalProtocol;
  /**
   * The port's name.
   * @default - the protocol and number, e.g. `https-443`
   */
  readonly name?: string;
}

/** Props of an ExternalService. */
export interface ExternalServiceProps {
  /** The DNS names the workloads call, e.g. `api.stripe.com`; `*.example.com` needs `resolution: NONE`. */
  readonly hosts: string[];
  /** The ports called (at least one). */
  readonly ports: ExternalPort[];
  /**
   * How addresses are found.
   * @default ExternalResolution.DNS
   * @see https://istio.io/latest/docs/reference/config/networking/service-entry/#ServiceEntry-Resolution
   */
  readonly resolution?: ExternalResolution;
  /**
   * IP addresses of the service (`resolution: STATIC` only, and then required).
   * @default - none
   */
  readonly endpoints?: string[];
  /**
   * Timeout of each request toward the service (HTTP, HTTP2 or gRPC ports only).
   * @default - none (Istio's default: no timeout)
   */
  readonly timeout?: Duration;
  /**
   * Retries toward the service (HTTP, HTTP2 or gRPC ports only).
   * @default - Istio's default retries
   */
  readonly retries?: RetryPolicy;
  /**
   * Name of the ServiceEntry (and of the VirtualService for timeouts/retries).
   * @default - the construct id
   */
  readonly name?: string;
}

const KIND = 'ExternalService';

/**
 * An external dependency (a host outside the mesh) as a first-class object: Istio renders a
 * `networking.istio.io/v1` ServiceEntry (`MESH_EXTERNAL`: hosts, ports, protocol, resolution),
 * plus a VirtualService per host for `timeout`/`retries`. Reference it from `MeshEgress`
 * destinations like a MeshService. Istio ambient renders the ServiceEntry but refuses timeouts and
 * retries (they need a waypoint for the ServiceEntry); Linkerd refuses it.
 *
 * @example
 * const stripe = new ExternalService(chart, 'stripe', { hosts: ['api.stripe.com'], ports: [{ port: 443, protocol: ExternalProtocol.TLS }] });
 * @see https://istio.io/latest/docs/reference/config/networking/service-entry/
 */
export class ExternalService extends Construct {
  /** Marks external services for `MeshEgress`. @internal */
  public static isExternalService(x: unknown): x is ExternalService {
    return x instanceof ExternalService;
  }

  /** The hosts. */
  public readonly hosts: readonly string[];
  /** Name of the ServiceEntry. */
  public readonly name: string;
  /** Namespace of the ServiceEntry (the chart's). */
  public readonly namespace?: string;
  /** The data plane this renders for. */
  public readonly backend: IMeshBackend;

  private readonly rendering: IRendering;

  public constructor(scope: Construct, id: string, props: ExternalServiceProps) {
    super(scope, id);
    guardDuplicateObjects(this);
    const ref = (prop: string): PropRef => ({ construct: KIND, path: this.node.path, prop });
    const fail = (prop: string, value: unknown, problem: string, fix: string) => propError(KIND, this.node.path, prop, value, problem, fix);
    this.namespace = Chart.of(this).namespace;
    this.name = requireDns1123Label(ref('name'), props?.name ?? id);
    const resolution = props?.resolution ?? ExternalResolution.DNS;
    if (!Object.values(ExternalResolution).includes(resolution)) {
      throw fail('resolution', resolution, 'is not a resolution', 'use ExternalResolution.DNS, DNS_ROUND_ROBIN, STATIC or NONE');
    }
    if (!Array.isArray(props?.hosts) || props.hosts.length === 0) {
      throw fail('hosts', props?.hosts, 'lists no host', 'list the DNS names the workloads call, e.g. [\'api.stripe.com\']');
    }
    const hosts = props.hosts.map((h, i) => requireExternalHost(ref(`hosts[${i}]`), h));
    const wildcard = hosts.findIndex((h) => h.startsWith('*.'));
    if (wildcard >= 0 && resolution !== ExternalResolution.NONE) {
      throw fail(`hosts[${wildcard}]`, hosts[wildcard], `is a wildcard, which ${resolution} resolution can't look up (Istio rejects the ServiceEntry)`,
        'list the exact hosts, or set resolution: ExternalResolution.NONE');
    }
    if (!Array.isArray(props.ports) || props.ports.length === 0) {
      throw fail('ports', props.ports, 'lists no port', 'list the ports called, e.g. [{ port: 443, protocol: ExternalProtocol.TLS }]');
    }
    const ports = props.ports.map((p, i) => {
      requirePort(ref(`ports[${i}].port`), p?.port);
      if (!Object.values(ExternalProtocol).includes(p.protocol)) {
        throw fail(`ports[${i}].protocol`, p.protocol, 'is not a protocol', 'use ExternalProtocol.HTTP, HTTPS, HTTP2, GRPC, TLS or TCP');
      }
      const name = p.name ?? `${p.protocol.toLowerCase()}-${p.port}`;
      requireDns1123Label(ref(`ports[${i}].name`), name);
      return { number: p.port, name, protocol: p.protocol };
    });
    const dup = ports.findIndex((p, i) => ports.findIndex((o) => o.number === p.number || o.name === p.name) !== i);
    if (dup >= 0) throw fail(`ports[${dup}]`, props.ports[dup], 'repeats the number or name of an earlier port', 'list each port once');
    const endpoints = props.endpoints ?? [];
    if ((resolution === ExternalResolution.STATIC) !== (endpoints.length > 0)) {
      throw fail('endpoints', props.endpoints, resolution === ExternalResolution.STATIC ? 'is empty, but STATIC resolution has no other source of addresses' : `is set, but ${resolution} resolution ignores it`,
        resolution === ExternalResolution.STATIC ? 'list the service\'s IP addresses' : 'drop endpoints, or set resolution: ExternalResolution.STATIC');
    }
    endpoints.forEach((e, i) => {
      if (typeof e !== 'string' || !/^(\d{1,3})(\.\d{1,3}){3}$/.test(e) || e.split('.').some((o) => Number(o) > 255)) {
        throw fail(`endpoints[${i}]`, e, 'is not an IPv4 address', 'give an address such as "203.0.113.10"');
      }
    });
    const timeoutMs = props.timeout === undefined ? undefined : millis(ref('timeout'), props.timeout);
    const retries = props.retries === undefined ? undefined : normalizeRetries(ref('retries'), props.retries);
    if ((timeoutMs !== undefined || retries) && !ports.some((p) => isHttpExternal(p.protocol))) {
      const prop = timeoutMs !== undefined ? 'timeout' : 'retries';
      throw fail(prop, timeoutMs !== undefined ? props.timeout!.toHumanString() : props.retries, 'needs an HTTP, HTTP2 or gRPC port: with TLS or TCP the proxy never reads a request to time out or retry',
        `drop ${prop}, or call the service over plain HTTP from the workload (a port with ExternalProtocol.HTTP)`);
    }
    if ((timeoutMs !== undefined || retries) && wildcard >= 0) {
      throw fail(`hosts[${wildcard}]`, hosts[wildcard], 'is a wildcard, and timeouts/retries are a VirtualService per host, whose destination must be a real host', 'list the exact hosts to set timeout or retries');
    }
    this.hosts = hosts;
    const model: ExternalServiceModel = { kind: KIND, path: this.node.path, name: this.name, namespace: this.namespace, hosts, ports, resolution, endpoints: [...endpoints], timeoutMs, retries };
    this.backend = Mesh._forConstruct(this, KIND, this.namespace);
    if (!this.backend.renderExternalService) {
      throw fail('hosts', hosts, `can't be declared to ${this.backend.name}, which has no external-service registry`, 'render this namespace with Istio');
    }
    const app = appModelOf(this);
    app.add(KIND, model);
    this.rendering = this.backend.renderExternalService(this, model, app);
    this.node.addValidation({ validate: () => mixedBackends(app, this.node.path, this.namespace, this.backend) });
    this.node.addValidation({ validate: () => this.rendering.validate?.() ?? [] });
    keepJsonPatchesUnder(this);
  }

  /** The object the backend rendered (Istio: the ServiceEntry). */
  public get resource(): ApiObject | undefined {
    return this.rendering.resource;
  }
}

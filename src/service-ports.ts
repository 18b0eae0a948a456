// The ports of a MeshService: what users write (one `port` + `protocol`, or a `ports` list) → the
// port models every backend renders. Names follow Istio's `<protocol>[-suffix]` convention (IST0118)
// and Kubernetes' container port name rule (IANA_SVC_NAME: ≤ 15 characters).
import { propError } from './errors';
import { PropRef, requireAppPort } from './names';

/**
 * The application protocol of a MeshService's port. Meshes read it from the Service port's
 * `appProtocol` (and, in Istio, the `<protocol>[-suffix]` port name); a port declared with the wrong
 * protocol is parsed wrongly — TCP bytes read as HTTP make clients fail to connect.
 * @see https://istio.io/latest/docs/ops/configuration/traffic-management/protocol-selection/
 * @see https://linkerd.io/2-edge/features/protocol-detection/
 */
export enum MeshProtocol {
  /** HTTP/1.1 */
  HTTP = 'http',
  /** HTTP/2 without TLS (h2c) */
  HTTP2 = 'http2',
  /** gRPC */
  GRPC = 'grpc',
  /**
   * Opaque TCP (Redis, PostgreSQL, a custom binary protocol, TLS the app terminates itself): the mesh
   * forwards bytes and applies mTLS and L4 policy, but no HTTP routing or L7 authorization.
   */
  TCP = 'tcp',
}

/** One port of a MeshService (the container listens on it; the Service exposes the same number). */
export interface MeshServicePort {
  /** The port number, 1–65535, not one the mesh proxy binds. */
  readonly port: number;
  /**
   * The application protocol.
   * @default MeshProtocol.HTTP
   */
  readonly protocol?: MeshProtocol;
  /**
   * Name of the Service and container port: `<protocol>` or `<protocol>-<suffix>` (Istio's naming
   * convention), at most 15 characters.
   * @default - `<protocol>` for the first port of its protocol, `<protocol>-<port>` for the others
   */
  readonly name?: string;
}

const PORT_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/**
 * Resolves the `port`/`protocol` or `ports` props into port models, the primary first.
 * @internal
 */
export function resolvePorts(ref: PropRef, props: { port?: number; protocol?: MeshProtocol; ports?: MeshServicePort[] }): Required<MeshServicePort>[] {
  const fail = (prop: string, value: unknown, problem: string, fix: string) => propError(ref.construct, ref.path, prop, value, problem, fix);
  if (props.ports !== undefined && (props.port !== undefined || props.protocol !== undefined)) {
    throw fail(props.port !== undefined ? 'port' : 'protocol', props.port ?? props.protocol, 'is set together with `ports`',
      'declare every port in `ports` (the first is the primary port), or use `port`/`protocol` for a single port');
  }
  const written: MeshServicePort[] = props.ports ?? [{ port: props.port ?? 8080, protocol: props.protocol }];
  if (!Array.isArray(written) || written.length === 0) {
    throw fail('ports', written, 'declares no port', 'declare at least one, e.g. [{ port: 8080, protocol: MeshProtocol.HTTP }]');
  }
  const single = props.ports === undefined;
  const seenProtocols = new Set<string>();
  const out: Required<MeshServicePort>[] = [];
  written.forEach((p, i) => {
    const at = (field: string) => (single ? field : `ports[${i}].${field}`);
    const port = requireAppPort({ ...ref, prop: at('port') }, p?.port);
    const protocol = p.protocol ?? MeshProtocol.HTTP;
    if (!Object.values(MeshProtocol).includes(protocol)) {
      throw fail(at('protocol'), protocol, 'is not a MeshProtocol', 'use MeshProtocol.HTTP, HTTP2, GRPC or TCP');
    }
    const name = p.name ?? (seenProtocols.has(protocol) ? `${protocol}-${port}` : protocol);
    seenProtocols.add(protocol);
    if (typeof name !== 'string' || !PORT_NAME.test(name) || name.length > 15 || name.includes('--')
      || !(name === protocol || name.startsWith(`${protocol}-`))) {
      throw fail(at('name'), name, `is not a port name for ${protocol}: Istio reads \`<protocol>[-suffix]\` (IST0118 PortNameIsNotUnderNamingConvention) and Kubernetes allows at most 15 lower-case letters, digits and single '-'`,
        `name it "${protocol}" or "${protocol}-<suffix>", e.g. "${protocol}-admin"`);
    }
    const clash = out.find((o) => o.port === port || o.name === name);
    if (clash) {
      throw fail(at(clash.port === port ? 'port' : 'name'), clash.port === port ? port : name, 'is declared twice',
        'give every port its own number and name');
    }
    out.push({ name, port, protocol });
  });
  return out;
}

import { propError } from '../errors';
import type { ClientTlsModel } from '../models/service';
import { PropRef } from '../names';

/**
 * The TLS mode a client sidecar uses toward a destination (DestinationRule `trafficPolicy.tls.mode`).
 * @see https://istio.io/latest/docs/reference/config/networking/destination-rule/#ClientTLSSettings-TLSmode
 */
export enum DestinationTlsMode {
  /** Plain text. */
  DISABLE = 'DISABLE',
  /** TLS originated by the sidecar, server certificate verified against `caCertificates`. */
  SIMPLE = 'SIMPLE',
  /** Mutual TLS with a client certificate you provide. */
  MUTUAL = 'MUTUAL',
  /** Mutual TLS with the Istio-issued workload certificates (matches a STRICT PeerAuthentication). */
  ISTIO_MUTUAL = 'ISTIO_MUTUAL',
}

/** Server verification and naming options shared by SIMPLE and MUTUAL TLS. */
export interface DestinationTlsOptions {
  /**
   * Path (in the sidecar) of the CA certificates that verify the server certificate.
   * @default - none: synth fails with IST0128 (a `credentialName` does not count, as in istioctl)
   */
  readonly caCertificates?: string;
  /**
   * Path of the certificate revocation list used when verifying the server certificate.
   * @default - none
   */
  readonly caCrl?: string;
  /**
   * Name of a Secret (in the client's namespace) holding the client certificate, key and `ca.crt`.
   * @default - none: files are used
   */
  readonly credentialName?: string;
  /**
   * SNI presented in the TLS handshake.
   * @default - none
   */
  readonly sni?: string;
  /**
   * Names the server certificate's SAN must match.
   * @default - none
   */
  readonly subjectAltNames?: string[];
}

/** Options of MUTUAL TLS with your own client certificate. */
export interface MutualDestinationTlsOptions extends DestinationTlsOptions {
  /**
   * Path of the client certificate file.
   * @default - none: `credentialName` must be set
   */
  readonly clientCertificate?: string;
  /**
   * Path of the client private key file.
   * @default - none: `credentialName` must be set
   */
  readonly privateKey?: string;
}

/**
 * The client TLS settings of a MeshService's DestinationRule: how callers' sidecars connect to it.
 *
 * @example
 * DestinationTls.istioMutual();   // the default: Istio mTLS
 * DestinationTls.simple({ caCertificates: '/etc/certs/ca.pem', sni: 'db.example.com' });
 * @see https://istio.io/latest/docs/reference/config/networking/destination-rule/#ClientTLSSettings
 */
export class DestinationTls {
  /** Istio mutual TLS with workload certificates: what a STRICT PeerAuthentication expects. */
  public static istioMutual(): DestinationTls {
    return new DestinationTls(DestinationTlsMode.ISTIO_MUTUAL, {});
  }

  /** Plain text: only toward workloads whose PeerAuthentication is PERMISSIVE or DISABLE (else IST0113). */
  public static disable(): DestinationTls {
    return new DestinationTls(DestinationTlsMode.DISABLE, {});
  }

  /** TLS originated by the sidecar; give `caCertificates` so the server is verified (IST0128 otherwise). */
  public static simple(options: DestinationTlsOptions = {}): DestinationTls {
    return new DestinationTls(DestinationTlsMode.SIMPLE, options);
  }

  /** Mutual TLS with your own client certificate (`clientCertificate` + `privateKey`, or `credentialName`). */
  public static mutual(options: MutualDestinationTlsOptions): DestinationTls {
    return new DestinationTls(DestinationTlsMode.MUTUAL, options);
  }

  private constructor(
    /** The TLS mode. */
    public readonly mode: DestinationTlsMode,
    /** Certificates and names. */
    public readonly options: MutualDestinationTlsOptions,
  ) {}

  /**
   * True if the server certificate is verified against `caCertificates` — exactly what istioctl's
   * IST0128 analyzer checks (destinationrule/ca-certificates.go). A `credentialName` does not count:
   * on a DestinationRule without a workloadSelector sidecars don't read it.
   */
  public get verifiesServer(): boolean {
    return this.options.caCertificates !== undefined;
  }

  /**
   * Checks the settings that do not need the rest of the tree.
   * @internal
   */
  public _validate(ref: PropRef): void {
    const o = this.options;
    for (const key of ['caCertificates', 'caCrl', 'credentialName', 'sni', 'clientCertificate', 'privateKey'] as const) {
      const v = o[key];
      if (v !== undefined && (typeof v !== 'string' || v.trim() === '')) {
        throw propError(ref.construct, ref.path, `${ref.prop}.${key}`, v, 'is empty', `give a non-empty ${key} or leave it out`);
      }
    }
    if (this.mode === DestinationTlsMode.MUTUAL && o.credentialName === undefined && (o.clientCertificate === undefined || o.privateKey === undefined)) {
      throw propError(ref.construct, ref.path, `${ref.prop}.clientCertificate`, o.clientCertificate,
        'leaves MUTUAL TLS without a client certificate and key',
        'set both clientCertificate and privateKey, or credentialName (a Secret holding tls.crt, tls.key and ca.crt)');
    }
  }

  /** The settings as plain data, for the backend to render. @internal */
  public _toModel(): ClientTlsModel {
    const o = this.options;
    return {
      mode: this.mode,
      caCertificates: o.caCertificates,
      caCrl: o.caCrl,
      credentialName: o.credentialName,
      clientCertificate: o.clientCertificate,
      privateKey: o.privateKey,
      sni: o.sni,
      subjectAltNames: o.subjectAltNames && [...o.subjectAltNames],
    };
  }
}

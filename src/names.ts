import { propError } from './errors';

// Kubernetes name rules (k8s.io/apimachinery/pkg/util/validation), in one place.
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const MAX_LABEL = 63;

/** True if `value` is an RFC 1123 label: lower-case alphanumerics and '-', ≤ 63 chars. */
export function isDns1123Label(value: string): boolean {
  return value.length <= MAX_LABEL && DNS1123_LABEL.test(value);
}

/** True if `value` is an RFC 1035 label (Service names): like RFC 1123 but starts with a letter. */
export function isDns1035Label(value: string): boolean {
  return value.length <= MAX_LABEL && DNS1035_LABEL.test(value);
}

/** True if `value` may be a Kubernetes label value. */
export function isLabelValue(value: string): boolean {
  return value.length <= MAX_LABEL && LABEL_VALUE.test(value);
}

/**
 * Identifies the prop being checked, for error messages.
 * @internal
 */
export interface PropRef {
  readonly construct: string;
  readonly path: string;
  readonly prop: string;
}

/** @internal */
export function requireDns1123Label(ref: PropRef, value: string): string {
  if (typeof value !== 'string' || !isDns1123Label(value)) {
    throw propError(ref.construct, ref.path, ref.prop, value,
      'is not a DNS-1123 label',
      'use at most 63 lower-case letters, digits and \'-\', starting and ending with a letter or digit (e.g. "v2")');
  }
  return value;
}

/** @internal */
export function requireDns1035Label(ref: PropRef, value: string): string {
  if (typeof value !== 'string' || !isDns1035Label(value)) {
    throw propError(ref.construct, ref.path, ref.prop, value,
      'is not a DNS-1035 label (Kubernetes Service names must be)',
      'use at most 63 lower-case letters, digits and \'-\', starting with a letter and ending with a letter or digit (e.g. "users-api")');
  }
  return value;
}

/** @internal */
export function requirePort(ref: PropRef, value: number): number {
  if (!Number.isInteger(value) || value < 1 || value > 65535) {
    throw propError(ref.construct, ref.path, ref.prop, value, 'is not a port number between 1 and 65535',
      'use an integer TCP port between 1 and 65535 (e.g. 8080)');
  }
  return value;
}

/** @internal */
export function requireNonNegativeInteger(ref: PropRef, value: number): number {
  if (!Number.isInteger(value) || value < 0) {
    throw propError(ref.construct, ref.path, ref.prop, value, 'is not a whole number ≥ 0', 'use an integer such as 0, 1 or 3');
  }
  return value;
}

/** @internal */
export function requirePositiveInteger(ref: PropRef, value: number): number {
  if (!Number.isInteger(value) || value < 1) {
    throw propError(ref.construct, ref.path, ref.prop, value, 'is not a whole number ≥ 1', 'use an integer such as 1 or 3');
  }
  return value;
}

/** @internal */
export function requireHttpPath(ref: PropRef, value: string): string {
  if (typeof value !== 'string' || !value.startsWith('/') || /\s/.test(value)) {
    throw propError(ref.construct, ref.path, ref.prop, value, 'is not an absolute HTTP path',
      'start the path with \'/\' and leave out spaces (e.g. "/health")');
  }
  return value;
}

const LABEL_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** True if `key` may be a Kubernetes label (or annotation) key: `[prefix/]name`. */
export function isLabelKey(key: string): boolean {
  const slash = key.lastIndexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (prefix !== undefined && (prefix.length === 0 || prefix.length > 253 || !DNS1123_SUBDOMAIN.test(prefix))) return false;
  return name.length <= MAX_LABEL && LABEL_NAME.test(name);
}

/** Checks every key and value of a labels prop; the API server rejects the object otherwise. @internal */
export function requireLabels(ref: PropRef, labels: { readonly [key: string]: string } | undefined): { [key: string]: string } {
  for (const [key, value] of Object.entries(labels ?? {})) {
    if (!isLabelKey(key)) {
      throw propError(ref.construct, ref.path, `${ref.prop}[${JSON.stringify(key)}]`, key, 'is not a valid label key',
        'use an optional DNS-subdomain prefix and \'/\', then at most 63 letters, digits, \'-\', \'_\' or \'.\' starting and ending alphanumeric (e.g. "team" or "acme.io/team")');
    }
    if (typeof value !== 'string' || !isLabelValue(value)) {
      throw propError(ref.construct, ref.path, `${ref.prop}[${JSON.stringify(key)}]`, value, 'is not a valid label value',
        'use at most 63 letters, digits, \'-\', \'_\' or \'.\', starting and ending alphanumeric, or ""');
    }
  }
  return { ...labels };
}

/**
 * Ports the Istio sidecar binds in every injected pod (istio.io "Ports used by Istio"): an
 * application can't listen on them, and 15020/15090 are the metrics endpoints scraped for it.
 */
export const ISTIO_RESERVED_PORTS: readonly number[] = [15000, 15001, 15004, 15006, 15008, 15009, 15020, 15021, 15053, 15090];

/** A port the application container listens on: 1–65535 and not one the sidecar owns. @internal */
export function requireAppPort(ref: PropRef, value: number): number {
  requirePort(ref, value);
  if (ISTIO_RESERVED_PORTS.includes(value)) {
    throw propError(ref.construct, ref.path, ref.prop, value, 'is reserved by the Istio sidecar in every injected pod',
      `use a port outside ${ISTIO_RESERVED_PORTS.join(', ')} (e.g. 8080)`);
  }
  return value;
}

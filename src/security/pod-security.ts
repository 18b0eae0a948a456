import { editAsWritten, setSorted } from '../api-object-patches';
import * as kplus from 'cdk8s-plus-28';
import { propError } from '../errors';
import { PropRef, requireHttpPath, requireNonNegativeInteger } from '../names';

/**
 * A Pod Security Standards level.
 * @see https://kubernetes.io/docs/concepts/security/pod-security-standards/
 */
export enum PodSecurityStandard {
  /** Hardened: non-root, no privilege escalation, capabilities drop ALL (+ NET_BIND_SERVICE only), seccomp. */
  RESTRICTED = 'restricted',
  /** Minimal: blocks known privilege escalations; allows a short list of added capabilities. */
  BASELINE = 'baseline',
  /** Unrestricted. */
  PRIVILEGED = 'privileged',
}

/**
 * Per-version overrides of the pods' security settings. Every field defaults to the Pod Security
 * Standards "restricted" profile; an override that breaks `standard` throws.
 */
export interface PodSecurityOptions {
  /**
   * The Pod Security Standards level these pods must meet; overrides beyond it are rejected.
   * Lower it only together with the namespace's `pod-security.kubernetes.io/enforce` label.
   * @default PodSecurityStandard.RESTRICTED
   */
  readonly standard?: PodSecurityStandard;
  /**
   * UID of the application container (never 0, never 1337: IST0144, the sidecar's UID).
   * @default - the image's USER, which must be numeric and non-zero (`runAsNonRoot` is always set)
   */
  readonly runAsUser?: number;
  /**
   * Primary GID of the application container (never 1337: traffic from GID 1337 bypasses the sidecar).
   * @default - the image's group
   */
  readonly runAsGroup?: number;
  /**
   * Supplementary group that owns mounted volumes.
   * @default - none
   */
  readonly fsGroup?: number;
  /**
   * Mount the container's root filesystem read-only (not part of PSS; extra hardening).
   * @default true
   */
  readonly readOnlyRootFilesystem?: boolean;
  /**
   * Allow a process to gain more privileges than its parent (setuid binaries). Not allowed by `restricted`.
   * @default false
   */
  readonly allowPrivilegeEscalation?: boolean;
  /**
   * Capabilities added after dropping ALL. `restricted` allows only NET_BIND_SERVICE; `baseline` a short list.
   * @default - none
   */
  readonly addCapabilities?: kplus.Capability[];
  /**
   * Absolute paths made writable with an emptyDir volume each (e.g. `/tmp`), for apps that write
   * scratch files under a read-only root filesystem.
   * @default - none
   */
  readonly writablePaths?: string[];
  /**
   * Mount the ServiceAccount token (only apps that call the Kubernetes API need it).
   * @default false
   */
  readonly automountServiceAccountToken?: boolean;
}

/** Validated pod security settings of one version. @internal */
export interface ResolvedPodSecurity {
  readonly standard: PodSecurityStandard;
  readonly runAsUser?: number;
  readonly runAsGroup?: number;
  readonly fsGroup?: number;
  readonly readOnlyRootFilesystem: boolean;
  readonly allowPrivilegeEscalation: boolean;
  readonly addCapabilities: kplus.Capability[];
  readonly writablePaths: string[];
  readonly automountServiceAccountToken: boolean;
}

/** The UID (and GID) of the Istio sidecar; istio-iptables exempts its traffic from redirection. */
const ISTIO_PROXY_ID = 1337;

/** Capabilities each level allows to be added (PSS "Capabilities" controls). */
const ALLOWED_CAPABILITIES: Record<PodSecurityStandard, readonly string[] | undefined> = {
  [PodSecurityStandard.RESTRICTED]: ['NET_BIND_SERVICE'],
  [PodSecurityStandard.BASELINE]: ['AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD',
    'NET_BIND_SERVICE', 'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT'],
  [PodSecurityStandard.PRIVILEGED]: undefined,
};

/**
 * Checks one version's `podSecurity` and fills in the restricted defaults.
 * @internal
 */
export function resolvePodSecurity(ref: PropRef, options: PodSecurityOptions = {}): ResolvedPodSecurity {
  const at = (prop: string): PropRef => ({ ...ref, prop: `${ref.prop}.${prop}` });
  const standard = options.standard ?? PodSecurityStandard.RESTRICTED;
  if (!Object.values(PodSecurityStandard).includes(standard)) {
    throw propError(ref.construct, ref.path, at('standard').prop, standard, 'is not a Pod Security Standards level',
      'use PodSecurityStandard.RESTRICTED, BASELINE or PRIVILEGED');
  }
  const runAsUser = options.runAsUser === undefined ? undefined : requireNonNegativeInteger(at('runAsUser'), options.runAsUser);
  if (runAsUser === 0) {
    throw propError(ref.construct, ref.path, at('runAsUser').prop, 0, 'is root, and the pods set runAsNonRoot (the kubelet refuses to start them)',
      'run as a non-zero UID such as 10001');
  }
  if (runAsUser === ISTIO_PROXY_ID) {
    throw propError(ref.construct, ref.path, at('runAsUser').prop, runAsUser,
      'is reserved for the Istio sidecar (IST0144 InvalidApplicationUID): its traffic would bypass the proxy',
      'run as another non-zero UID such as 10001');
  }
  const runAsGroup = options.runAsGroup === undefined ? undefined : requireNonNegativeInteger(at('runAsGroup'), options.runAsGroup);
  if (runAsGroup === ISTIO_PROXY_ID) {
    throw propError(ref.construct, ref.path, at('runAsGroup').prop, runAsGroup,
      'is the Istio sidecar\'s GID: istio-iptables exempts traffic from GID 1337, so the app would bypass the proxy',
      'run as another GID such as 10001');
  }
  const fsGroup = options.fsGroup === undefined ? undefined : requireNonNegativeInteger(at('fsGroup'), options.fsGroup);

  const allowPrivilegeEscalation = options.allowPrivilegeEscalation ?? false;
  if (allowPrivilegeEscalation && standard === PodSecurityStandard.RESTRICTED) {
    throw propError(ref.construct, ref.path, at('allowPrivilegeEscalation').prop, true, 'is not allowed by the "restricted" Pod Security Standard',
      'leave it false, or set standard: PodSecurityStandard.BASELINE (and label the namespace to match)');
  }
  const addCapabilities = [...(options.addCapabilities ?? [])];
  const allowed = ALLOWED_CAPABILITIES[standard];
  for (const cap of addCapabilities) {
    if (allowed && !allowed.includes(cap)) {
      throw propError(ref.construct, ref.path, at('addCapabilities').prop, cap, `is not allowed by the "${standard}" Pod Security Standard`,
        `add only ${allowed.join(', ')}, or choose a lower \`standard\` (and label the namespace to match)`);
    }
  }
  if (new Set(addCapabilities).size !== addCapabilities.length) {
    throw propError(ref.construct, ref.path, at('addCapabilities').prop, addCapabilities, 'lists a capability twice', 'list each capability once');
  }

  const writablePaths = [...(options.writablePaths ?? [])];
  writablePaths.forEach((p, i) => {
    requireHttpPath(at(`writablePaths[${i}]`), p);
    if (p === '/' || p.endsWith('/') || p.includes('//') || p.split('/').includes('..')) {
      throw propError(ref.construct, ref.path, at(`writablePaths[${i}]`).prop, p, 'is not a clean absolute directory path',
        'give a directory such as "/tmp" or "/var/cache/nginx" (no trailing \'/\', no \'..\')');
    }
    if (writablePaths.indexOf(p) !== i || writablePaths.some((q) => volumeName(q) === volumeName(p) && q !== p)) {
      throw propError(ref.construct, ref.path, at(`writablePaths[${i}]`).prop, p, 'is listed twice (or maps to the same volume name as another path)',
        'list each directory once');
    }
  });

  return {
    standard,
    runAsUser,
    runAsGroup,
    fsGroup,
    readOnlyRootFilesystem: options.readOnlyRootFilesystem ?? true,
    allowPrivilegeEscalation,
    addCapabilities,
    writablePaths,
    automountServiceAccountToken: options.automountServiceAccountToken ?? false,
  };
}

/**
 * The pod-level securityContext (seccomp is added by `applyPodSecurity`). UID/GID are set on the
 * app container only: the injected istio-proxy sets its own (1337).
 * @internal
 */
export function podSecurityContext(s: ResolvedPodSecurity): kplus.PodSecurityContextProps {
  return { ensureNonRoot: true, fsGroup: s.fsGroup };
}

/** The application container's securityContext. @internal */
export function containerSecurityContext(s: ResolvedPodSecurity): kplus.ContainerSecurityContextProps {
  return {
    ensureNonRoot: true,
    user: s.runAsUser,
    group: s.runAsGroup,
    privileged: false,
    readOnlyRootFilesystem: s.readOnlyRootFilesystem,
    allowPrivilegeEscalation: s.allowPrivilegeEscalation,
    capabilities: { drop: [kplus.Capability.ALL], add: s.addCapabilities.length > 0 ? s.addCapabilities : undefined },
    seccompProfile: { type: kplus.SeccompProfileType.RUNTIME_DEFAULT },
  };
}

/**
 * What cdk8s-plus-28 can't express through props: the pod-level seccomp profile, and an emptyDir
 * volume per writable path.
 * @internal
 */
export function applyPodSecurity(deployment: kplus.Deployment, s: ResolvedPodSecurity): void {
  const container = deployment.containers[0];
  for (const path of s.writablePaths) {
    const name = volumeName(path);
    container.mount(path, kplus.Volume.fromEmptyDir(deployment, `Volume-${name}`, name));
  }
  // The pod-level seccomp profile is not modelled by cdk8s-plus-28's PodSecurityContext; setting
  // it on the pod too covers the injected istio-proxy container under the restricted profile.
  editAsWritten(deployment, (doc) => setSorted(doc.spec.template.spec.securityContext, 'seccompProfile', { type: 'RuntimeDefault' }));
}

/** `/var/cache/nginx` → `writable-var-cache-nginx`: a stable DNS-1123 name that can't clash with the sidecar's `istio-*` volumes. */
function volumeName(path: string): string {
  const rest = path.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  return `writable-${rest}`.slice(0, 63).replace(/-+$/, '');
}

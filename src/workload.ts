import { ApiObject, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { withoutApiDefaults } from './api-defaults';
import { createAutoscaler, createDisruptionBudget, resolveAutoscaling, VersionAutoscaling, VersionDisruptionBudget } from './availability';
import { propError } from './errors';
import { podLabels, versionSelector } from './models/service';
import { PropRef, requireDns1123Label, requireNonNegativeInteger } from './names';
import { applyPodSecurity, containerSecurityContext, PodSecurityOptions, podSecurityContext, resolvePodSecurity } from './security/pod-security';
import { editAsWritten, keepJsonPatches } from './api-object-patches';
import type { ServiceResilience } from './resilience';

/**
 * One version of a MeshService: its own Deployment `<service>-<version>` and DestinationRule
 * subset `<version>`.
 */
export interface MeshServiceVersionOptions {
  /**
   * Version name: the pods' `version` label and the DestinationRule subset name (a DNS-1123 label).
   */
  readonly name: string;
  /** Container image, ideally pinned by tag or digest (e.g. `ghcr.io/acme/users:1.4.2`). */
  readonly image: string;
  /**
   * Number of pods.
   * @default 2
   */
  readonly replicas?: number;
  /**
   * Environment variables of the container, in the order given.
   * @default - none
   */
  readonly env?: { readonly [name: string]: string };
  /**
   * CPU and memory requests/limits.
   * @default - requests cpu 100m, memory 128Mi; limit memory 256Mi (no CPU limit, to avoid throttling)
   */
  readonly resources?: kplus.ContainerResources;
  /**
   * When the kubelet pulls the image.
   * @default kplus.ImagePullPolicy.IF_NOT_PRESENT
   */
  readonly imagePullPolicy?: kplus.ImagePullPolicy;
  /**
   * Entrypoint override.
   * @default - the image's ENTRYPOINT
   */
  readonly command?: string[];
  /**
   * Arguments to the entrypoint.
   * @default - the image's CMD
   */
  readonly args?: string[];
  /**
   * Scale this version with a HorizontalPodAutoscaler (autoscaling/v2) instead of a fixed `replicas`.
   * @default - no autoscaler: `replicas` pods
   */
  readonly autoscaling?: VersionAutoscaling;
  /**
   * A PodDisruptionBudget for this version's pods.
   * @default - none
   */
  readonly disruptionBudget?: VersionDisruptionBudget;
  /**
   * Overrides of the pods' security settings (UID/GID, writable paths, capabilities, …).
   * @default - the Pod Security Standards "restricted" profile, read-only root filesystem, no token
   */
  readonly podSecurity?: PodSecurityOptions;
  /**
   * This version's connection pool, outlier detection or load balancing, replacing the service's
   * `resilience` group by group (`outlierDetection: false` turns it off for this version). Istio:
   * the subset's (or the version Service host's) DestinationRule `trafficPolicy`.
   * @default - the service's `resilience`
   * @see https://istio.io/latest/docs/reference/config/networking/destination-rule/#Subset
   */
  readonly resilience?: ServiceResilience;
}

/** What a version's Deployment needs from its MeshService. @internal */
export interface WorkloadContext {
  readonly serviceName: string;
  readonly ports: readonly { readonly name: string; readonly port: number }[];
  readonly serviceAccount: kplus.IServiceAccount;
  readonly liveness?: kplus.Probe;
  readonly readiness?: kplus.Probe;
  readonly startup?: kplus.Probe;
  readonly labels: { readonly [key: string]: string };
  /** Pod annotations the data plane asks for (after the package's own). */
  readonly podAnnotations: { readonly [key: string]: string };
}

/** Default resources: small requests, a memory limit, no CPU limit. */
const DEFAULT_RESOURCES: kplus.ContainerResources = {
  cpu: { request: kplus.Cpu.millis(100) },
  memory: { request: Size.mebibytes(128), limit: Size.mebibytes(256) },
};

/**
 * Validates one version's options and creates its Deployment.
 * @internal
 */
export function createVersionDeployment(scope: Construct, ref: PropRef, ctx: WorkloadContext, v: MeshServiceVersionOptions): kplus.Deployment {
  const name = requireDns1123Label({ ...ref, prop: `${ref.prop}.name` }, v.name);
  if (typeof v.image !== 'string' || v.image.trim() === '' || /\s/.test(v.image)) {
    throw propError(ref.construct, ref.path, `${ref.prop}.image`, v.image, 'is not a container image reference',
      'give a non-empty image without spaces, e.g. "ghcr.io/acme/users:1.4.2"');
  }
  const replicas = v.replicas === undefined ? undefined : requireNonNegativeInteger({ ...ref, prop: `${ref.prop}.replicas` }, v.replicas);
  const autoscaling = resolveAutoscaling(ref, v.autoscaling, replicas);
  for (const key of Object.keys(v.env ?? {})) {
    if (!/^[-._a-zA-Z][-._a-zA-Z0-9]*$/.test(key)) {
      throw propError(ref.construct, ref.path, `${ref.prop}.env`, key, 'is not a valid environment variable name',
        'use letters, digits, \'_\', \'-\' and \'.\', not starting with a digit (e.g. "LOG_LEVEL")');
    }
  }

  const security = resolvePodSecurity({ ...ref, prop: `${ref.prop}.podSecurity` }, v.podSecurity);

  const labels = { ...ctx.labels, ...podLabels(ctx.serviceName, name) };
  const deployment = new kplus.Deployment(scope, `Deployment-${name}`, {
    metadata: { name: `${ctx.serviceName}-${name}`, labels },
    replicas,
    // cdk8s-plus would select on a hash of the construct path; selectors are immutable, so a
    // renamed construct would break `kubectl apply`. Select on app/version instead.
    select: false,
    podMetadata: {
      labels,
      // `kubectl logs/exec` pick the app container, not the mesh proxy.
      annotations: { 'kubectl.kubernetes.io/default-container': ctx.serviceName, ...ctx.podAnnotations },
    },
    serviceAccount: ctx.serviceAccount,
    automountServiceAccountToken: security.automountServiceAccountToken,
    securityContext: podSecurityContext(security),
    containers: [{
      name: ctx.serviceName,
      image: v.image,
      imagePullPolicy: v.imagePullPolicy ?? kplus.ImagePullPolicy.IF_NOT_PRESENT,
      // `ports` (not `portNumber`): portNumber would add cdk8s-plus's TCP startup probe.
      ports: ctx.ports.map((p) => ({ number: p.port, name: p.name })),
      command: v.command,
      args: v.args,
      envVariables: Object.fromEntries(Object.entries(v.env ?? {}).map(([k, val]) => [k, kplus.EnvValue.fromValue(val)])),
      resources: v.resources ?? DEFAULT_RESOURCES,
      liveness: ctx.liveness,
      readiness: ctx.readiness,
      startup: ctx.startup,
      securityContext: containerSecurityContext(security),
    }],
  });
  keepJsonPatches(deployment);
  deployment.select(kplus.LabelSelector.of({ labels: versionSelector(ctx.serviceName, name) }));
  applyPodSecurity(deployment, security);
  selectByAppAndVersion(deployment, versionSelector(ctx.serviceName, name));
  withoutApiDefaults(ApiObject.of(deployment));
  // cdk8s-plus labels every workload's pods with a hash of the construct path even with
  // `select: false` (workload.js podMetadata). A hash in the pod template rolls every pod when a
  // construct id changes and shows up in GitOps diffs; nothing here selects on it. (cdk8s-plus
  // `connections`/NetworkPolicy helpers do, so they are not used with MeshService pods.)
  editAsWritten(deployment, (doc) => { delete doc.spec.template.metadata.labels['cdk8s.io/metadata.addr']; });
  // With replicas unset, cdk8s-plus writes its default (2) unless an autoscaler targets the Deployment.
  if (autoscaling) createAutoscaler(scope, `Autoscaler-${name}`, ctx.serviceName, name, deployment, autoscaling);
  if (v.disruptionBudget !== undefined) {
    createDisruptionBudget(scope, `DisruptionBudget-${name}`, ref, ctx.serviceName, name, autoscaling?.minReplicas ?? replicas ?? 2, v.disruptionBudget);
  }
  return deployment;
}

/**
 * cdk8s-plus APIs that take a workload as a pod selector (`exposeViaService`, `Service.select`,
 * NetworkPolicy peers, pod (anti-)affinity) select on the `cdk8s.io/metadata.addr` label — which
 * MeshService strips from its pods, so they would select nothing. Point them at the pods'
 * `app` + `version` labels instead.
 */
function selectByAppAndVersion(deployment: kplus.Deployment, labels: { [key: string]: string }): void {
  const namespace = deployment.metadata.namespace;
  Object.defineProperty(deployment, 'toPodSelectorConfig', {
    value: (): kplus.PodSelectorConfig => ({
      labelSelector: kplus.LabelSelector.of({ labels }),
      namespaces: namespace ? { names: [namespace] } : undefined,
    }),
  });
}

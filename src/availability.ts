// Autoscaling and disruption budgets of one MeshService version: a HorizontalPodAutoscaler
// (autoscaling/v2) and a PodDisruptionBudget (policy/v1) selecting the version's app/version pods.
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { propError } from './errors';
import { versionObjectName, versionSelector } from './models/service';
import { PropRef, requirePositiveInteger } from './names';

/**
 * Autoscaling of one version (a `HorizontalPodAutoscaler`, autoscaling/v2). The version's Deployment
 * then sets no `replicas`: GitOps tools would otherwise fight the autoscaler on every sync.
 * @see https://kubernetes.io/docs/tasks/run-application/horizontal-pod-autoscale/
 */
export interface VersionAutoscaling {
  /**
   * Fewest pods (at least 1: scaling to zero needs the alpha HPAScaleToZero feature gate).
   * @default 2
   */
  readonly minReplicas?: number;
  /** Most pods; at least `minReplicas`. */
  readonly maxReplicas: number;
  /**
   * Target average CPU utilization, in percent of the CPU request.
   * @default 80 - when no memory target is given either
   */
  readonly cpuUtilizationPercent?: number;
  /**
   * Target average memory utilization, in percent of the memory request.
   * @default - no memory target
   */
  readonly memoryUtilizationPercent?: number;
}

/**
 * How many of a version's pods voluntary disruptions (node drains, upgrades) may take down at once —
 * give exactly one of the two.
 * @see https://kubernetes.io/docs/concepts/workloads/pods/disruptions/
 */
export interface VersionDisruptionBudget {
  /**
   * Pods that must stay available; below the version's replica count (or `autoscaling.minReplicas`),
   * or no node could ever be drained.
   * @default - unset (use maxUnavailable)
   */
  readonly minAvailable?: number;
  /**
   * Pods that may be unavailable at once; at least 1, or no node could ever be drained.
   * @default - unset (use minAvailable)
   */
  readonly maxUnavailable?: number;
}

/** The resolved autoscaling of a version. @internal */
export interface ResolvedAutoscaling {
  readonly minReplicas: number;
  readonly maxReplicas: number;
  readonly cpu?: number;
  readonly memory?: number;
}

/** Checks `autoscaling` (and that `replicas` is not set with it). @internal */
export function resolveAutoscaling(ref: PropRef, a: VersionAutoscaling | undefined, replicas: number | undefined): ResolvedAutoscaling | undefined {
  if (a === undefined) return undefined;
  const at = (p: string): PropRef => ({ ...ref, prop: `${ref.prop}.autoscaling.${p}` });
  if (replicas !== undefined) {
    throw propError(ref.construct, ref.path, `${ref.prop}.replicas`, replicas, 'is set together with autoscaling, and a Deployment with replicas fights its autoscaler on every GitOps sync',
      'leave replicas out and set autoscaling.minReplicas');
  }
  if (a.minReplicas === 0) {
    throw propError(ref.construct, ref.path, at('minReplicas').prop, 0, 'scales the version to zero, which needs the alpha HPAScaleToZero feature gate (and a version with no pods answers 503)',
      'use minReplicas ≥ 1');
  }
  const minReplicas = requirePositiveInteger(at('minReplicas'), a.minReplicas ?? 2);
  const maxReplicas = requirePositiveInteger(at('maxReplicas'), a.maxReplicas);
  if (minReplicas > maxReplicas) {
    throw propError(ref.construct, ref.path, at('maxReplicas').prop, maxReplicas, `is below minReplicas (${minReplicas})`, 'make maxReplicas at least minReplicas');
  }
  const percent = (p: string, v: number | undefined): number | undefined => {
    if (v === undefined) return undefined;
    if (!Number.isInteger(v) || v < 1) {
      throw propError(ref.construct, ref.path, at(p).prop, v, 'is not a whole percentage ≥ 1 of the request', 'use e.g. 70 (percent of the container\'s request)');
    }
    return v;
  };
  const memory = percent('memoryUtilizationPercent', a.memoryUtilizationPercent);
  const cpu = percent('cpuUtilizationPercent', a.cpuUtilizationPercent) ?? (memory === undefined ? 80 : undefined);
  return { minReplicas, maxReplicas, cpu, memory };
}

/** Creates the version's HorizontalPodAutoscaler. @internal */
export function createAutoscaler(scope: Construct, id: string, serviceName: string, version: string, deployment: kplus.Deployment, a: ResolvedAutoscaling): kplus.HorizontalPodAutoscaler {
  const metrics = [
    ...(a.cpu !== undefined ? [kplus.Metric.resourceCpu(kplus.MetricTarget.averageUtilization(a.cpu))] : []),
    ...(a.memory !== undefined ? [kplus.Metric.resourceMemory(kplus.MetricTarget.averageUtilization(a.memory))] : []),
  ];
  return new kplus.HorizontalPodAutoscaler(scope, id, {
    metadata: { name: versionObjectName(serviceName, version) },
    target: deployment,
    minReplicas: a.minReplicas,
    maxReplicas: a.maxReplicas,
    metrics,
  });
}

/** Checks a disruption budget against the version's pod count and creates it. @internal */
export function createDisruptionBudget(scope: Construct, id: string, ref: PropRef, serviceName: string, version: string, pods: number, b: VersionDisruptionBudget): kplus.k8s.KubePodDisruptionBudget {
  const at = (p: string) => `${ref.prop}.disruptionBudget.${p}`;
  if ((b.minAvailable === undefined) === (b.maxUnavailable === undefined)) {
    throw propError(ref.construct, ref.path, `${ref.prop}.disruptionBudget`, b, 'must set exactly one of minAvailable and maxUnavailable (the Kubernetes API refuses both)',
      'set maxUnavailable: 1 (the usual choice) or minAvailable');
  }
  if (b.maxUnavailable !== undefined && (!Number.isInteger(b.maxUnavailable) || b.maxUnavailable < 1)) {
    throw propError(ref.construct, ref.path, at('maxUnavailable'), b.maxUnavailable, 'lets no pod be disrupted, so no node running one could ever be drained',
      'use maxUnavailable ≥ 1');
  }
  if (b.minAvailable !== undefined && (!Number.isInteger(b.minAvailable) || b.minAvailable < 0 || b.minAvailable >= pods)) {
    throw propError(ref.construct, ref.path, at('minAvailable'), b.minAvailable,
      b.minAvailable >= pods ? `is not below the version's ${pods} pod(s), so no pod may ever be evicted and every node drain blocks` : 'is not a whole number ≥ 0',
      `use minAvailable ≤ ${Math.max(0, pods - 1)}, or maxUnavailable: 1`);
  }
  return new kplus.k8s.KubePodDisruptionBudget(scope, id, {
    metadata: { name: versionObjectName(serviceName, version) },
    spec: {
      selector: { matchLabels: versionSelector(serviceName, version) },
      minAvailable: b.minAvailable === undefined ? undefined : kplus.k8s.IntOrString.fromNumber(b.minAvailable),
      maxUnavailable: b.maxUnavailable === undefined ? undefined : kplus.k8s.IntOrString.fromNumber(b.maxUnavailable),
    },
  });
}

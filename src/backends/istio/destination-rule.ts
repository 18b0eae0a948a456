// MeshService → Istio DestinationRule: one subset per version, and the client TLS that follows the
// workload's effective mTLS mode. Also the istioctl-analyze checks comparing the two (IST0113,
// IST0128).
import { Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import {
  DestinationRule, DestinationRuleSpec, DestinationRuleSpecTrafficPolicyPortLevelSettings, DestinationRuleSpecTrafficPolicyPortLevelSettingsTlsMode,
  DestinationRuleSpecTrafficPolicyTls, DestinationRuleSpecTrafficPolicyTlsMode,
} from '../../../imports/networking.istio.io';
import type { AppModel } from '../../models/app';
import type { EffectiveMtlsModel } from '../../models/mtls';
import { effectiveResilience, hasResilience, serviceResilience } from '../../models/resilience';
import { ClientTlsModel, ServiceModel, serviceLabels, VersionModel } from '../../models/service';
import { isEmptyResilience, resiliencePolicy } from '../istio-common/traffic-policy';

/** The effective mTLS mode on a MeshService's port. @internal */
export function effectiveMtlsOf(app: AppModel, svc: Pick<ServiceModel, 'serviceName' | 'namespace' | 'port'>, port = svc.port): EffectiveMtlsModel {
  return app.mtlsIndex().effective(svc.serviceName, svc.namespace, port);
}

/**
 * `trafficPolicy.portLevelSettings` for the ports whose mTLS differs from the primary port's
 * (PeerAuthentication `portLevelMtls`): DISABLE toward a port with mTLS disabled (auto mTLS would
 * still send mTLS to the sidecar, whose inbound on that port is plain text), ISTIO_MUTUAL toward a
 * STRICT port when the primary's is DISABLE. A PERMISSIVE port takes either, so it inherits.
 * With the service's `tls` chosen in props, nothing: checkClientTls judges every port.
 * @internal
 */
export function portLevelTls(app: AppModel, svc: ServiceModel): DestinationRuleSpecTrafficPolicyPortLevelSettings[] {
  if (svc.tls) return [];
  const primary = clientTlsOf(app, svc)?.mode;
  return svc.ports.filter((p) => p.port !== svc.port).flatMap((p) => {
    const mode = effectiveMtlsOf(app, svc, p.port).mode;
    const want = mode === 'STRICT' ? 'ISTIO_MUTUAL' : mode === 'DISABLE' ? 'DISABLE' : undefined;
    return want !== undefined && want !== primary ? [{ port: { number: p.port }, tls: { mode: want as DestinationRuleSpecTrafficPolicyPortLevelSettingsTlsMode } }] : [];
  });
}

/**
 * The client TLS of `svc`'s DestinationRule, or undefined to leave it to Istio's auto mTLS: the
 * chosen one; else ISTIO_MUTUAL when the workload's port is STRICT, DISABLE when it has mTLS
 * disabled (ISTIO_MUTUAL toward it would fail every request). Under PERMISSIVE nothing is set:
 * a forced ISTIO_MUTUAL turns auto mTLS off and breaks calls to pods not (yet) injected — exactly
 * the pods a PERMISSIVE migration is for.
 * @internal
 */
export function clientTlsOf(app: AppModel, svc: ServiceModel): ClientTlsModel | undefined {
  if (svc.tls) return svc.tls;
  switch (effectiveMtlsOf(app, svc).mode) {
    case 'STRICT': return { mode: 'ISTIO_MUTUAL' };
    case 'DISABLE': return { mode: 'DISABLE' };
    default: return undefined;
  }
}

/** The `trafficPolicy.tls` of a client TLS model. @internal */
export function toClientTls(tls: ClientTlsModel): DestinationRuleSpecTrafficPolicyTls {
  return {
    mode: tls.mode as string as DestinationRuleSpecTrafficPolicyTlsMode,
    caCertificates: tls.caCertificates,
    caCrl: tls.caCrl,
    credentialName: tls.credentialName,
    clientCertificate: tls.clientCertificate,
    privateKey: tls.privateKey,
    sni: tls.sni,
    subjectAltNames: tls.subjectAltNames && tls.subjectAltNames.length > 0 ? [...tls.subjectAltNames] : undefined,
  };
}

/**
 * The DestinationRule of a MeshService, named and hosted after the service. With `subsets`, one
 * subset per version (VirtualService routing), each with the version's own resilience groups as a
 * subset-level `trafficPolicy`; without, only the traffic policy (Gateway API routing targets
 * per-version Services, which need no subsets). With `version`, the DestinationRule of that
 * version's Service host, carrying the version's effective resilience. Spec computed at synth, so
 * versions and policies added later count.
 * @internal
 */
export function createDestinationRule(scope: Construct, id: string, app: AppModel, svc: ServiceModel, host: string, subsets: boolean, version?: VersionModel): DestinationRule {
  return new DestinationRule(scope, id, {
    metadata: { name: host, labels: version ? { ...serviceLabels(svc), 'app.kubernetes.io/version': version.name } : serviceLabels(svc) },
    spec: Lazy.any({ produce: () => destinationRuleSpec(app, svc, host, subsets, version) }),
  });
}

/** True if the version's Service host needs a DestinationRule of its own (Gateway API routing). @internal */
export function needsVersionDestinationRule(svc: ServiceModel, version: VersionModel): boolean {
  return !isEmptyResilience(effectiveResilience(svc.resilience, version.resilience));
}

function destinationRuleSpec(app: AppModel, svc: ServiceModel, host: string, subsets: boolean, version?: VersionModel): DestinationRuleSpec {
  const tls = clientTlsOf(app, svc);
  const resilience = version ? effectiveResilience(svc.resilience, version.resilience) : serviceResilience(svc.resilience);
  const ports = portLevelTls(app, svc);
  const policy = { tls: tls && toClientTls(tls), ...resiliencePolicy(resilience), ...(ports.length > 0 ? { portLevelSettings: ports } : {}) };
  return {
    host,
    subsets: subsets ? svc.versions.map((v) => ({ name: v.name, labels: { version: v.name }, trafficPolicy: subsetPolicy(svc, v) })) : undefined,
    trafficPolicy: Object.values(policy).some((v) => v !== undefined) ? policy : undefined,
  };
}

/**
 * A subset's own groups (Istio merges the DestinationRule's others into it). `outlierDetection:
 * false` is rendered as ejection turned off (consecutive5xxErrors 0), else the subset would inherit
 * the DestinationRule's.
 */
function subsetPolicy(svc: ServiceModel, v: VersionModel): any {
  if (!hasResilience(v.resilience)) return undefined;
  const r = v.resilience!;
  const own = resiliencePolicy({ connectionPool: r.connectionPool, outlierDetection: r.outlierDetection || undefined, loadBalancer: r.loadBalancer });
  const inherited = r.outlierDetection === false && svc.resilience?.outlierDetection;
  const policy = { ...own, outlierDetection: inherited ? { consecutive5XxErrors: 0 } : own.outlierDetection };
  return Object.values(policy).some((x) => x !== undefined) ? policy : undefined;
}

/**
 * IST0113 MTLSPolicyConflict and IST0128 NoServerCertificateVerificationDestinationLevel for the
 * DestinationRule of `svc`.
 * @internal
 */
export function checkClientTls(app: AppModel, svc: ServiceModel): string[] {
  const tls = svc.tls;
  if (!tls) return [];
  const where = `MeshService '${svc.path}': DestinationRule ${JSON.stringify(svc.serviceName)}`;
  const errors: string[] = [];
  // Every port: the DestinationRule's tls applies to all of them (portLevelMtls may differ per port).
  for (const port of svc.ports.map((p) => p.port)) {
    const effective = effectiveMtlsOf(app, svc, port);
    const by = effective.policy
      ? `PeerAuthentication '${effective.policy.path}' (${effective.policy.serviceName === undefined ? 'namespace-wide' : `selector app=${svc.serviceName}`}, namespace ${JSON.stringify(effective.policy.namespace)})`
      : 'no PeerAuthentication (Istio default)';
    if (tls.mode === 'DISABLE' && effective.mode === 'STRICT') {
      errors.push(`IST0113 MTLSPolicyConflict: ${where} disables TLS (tls.mode DISABLE), but ${by} requires STRICT mTLS on port ${port}, so every request would be refused. `
        + 'Fix: use DestinationTls.istioMutual() (the default), or make the workload PERMISSIVE with a PeerAuthentication scoped to this service.');
    }
    if (tls.mode === 'ISTIO_MUTUAL' && effective.mode === 'DISABLE') {
      errors.push(`IST0113 MTLSPolicyConflict: ${where} sends Istio mTLS (tls.mode ISTIO_MUTUAL), but ${by} disables mTLS on port ${port}, so every request would fail. `
        + 'Fix: leave `tls` unset (it follows the PeerAuthentication), use DestinationTls.disable(), or set the PeerAuthentication to STRICT or PERMISSIVE.');
    }
  }
  if ((tls.mode === 'SIMPLE' || tls.mode === 'MUTUAL') && tls.caCertificates === undefined) {
    errors.push(`IST0128 NoServerCertificateVerificationDestinationLevel: ${where} has TLS mode set to ${tls.mode} but no caCertificates are set to validate server identity for host: ${svc.serviceName}. `
      + 'Fix: set caCertificates (a CA bundle path in the sidecar).');
  }
  return errors;
}

// Fields cdk8s-plus writes that only restate a Kubernetes API default (or say nothing): they make
// every GitOps diff longer without changing what runs, so the package leaves them out of the
// objects it creates. Each entry is the API server's own default for the field.
import { ApiObject } from 'cdk8s';

type Json = { [key: string]: any };

const ROLLING_UPDATE_DEFAULT = JSON.stringify({ rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' }, type: 'RollingUpdate' });

function omitIf(obj: Json | undefined, key: string, isDefault: (v: any) => boolean): void {
  if (obj && key in obj && isDefault(obj[key])) delete obj[key];
}

const equals = (value: unknown) => (v: unknown) => v === value;
const emptyArray = (v: unknown) => Array.isArray(v) && v.length === 0;
const emptyObject = (v: unknown) => typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).length === 0;

function omitProbeDefaults(probe: Json | undefined): void {
  omitIf(probe, 'failureThreshold', equals(3));
  omitIf(probe?.httpGet, 'scheme', equals('HTTP'));
}

function omitPodSpecDefaults(spec: Json | undefined): void {
  if (!spec) return;
  omitIf(spec, 'dnsPolicy', equals('ClusterFirst'));
  omitIf(spec, 'hostNetwork', equals(false));
  omitIf(spec, 'restartPolicy', equals('Always'));
  omitIf(spec, 'setHostnameAsFQDN', equals(false));
  omitIf(spec, 'terminationGracePeriodSeconds', equals(30));
  // fsGroupChangePolicy only means something with an fsGroup.
  if (spec.securityContext && spec.securityContext.fsGroup === undefined) delete spec.securityContext.fsGroupChangePolicy;
  for (const c of [...(spec.containers ?? []), ...(spec.initContainers ?? [])]) {
    omitProbeDefaults(c.livenessProbe);
    omitProbeDefaults(c.readinessProbe);
    omitProbeDefaults(c.startupProbe);
  }
}

/** Removes API-default noise from one manifest (Deployment, Service, Namespace), in place. @internal */
export function omitApiDefaults(manifest: Json): Json {
  const spec = manifest.spec;
  switch (manifest.kind) {
    case 'Deployment':
      omitIf(spec, 'minReadySeconds', equals(0));
      omitIf(spec, 'progressDeadlineSeconds', equals(600));
      omitIf(spec, 'strategy', (v) => JSON.stringify(v) === ROLLING_UPDATE_DEFAULT);
      omitPodSpecDefaults(spec?.template?.spec);
      break;
    case 'Service':
      omitIf(spec, 'externalIPs', emptyArray);
      omitIf(spec, 'type', equals('ClusterIP'));
      break;
    case 'Namespace':
      omitIf(manifest, 'spec', emptyObject);
      break;
  }
  return manifest;
}

/** Makes `obj` synthesize without API-default noise (after its JSON patches). @internal */
export function withoutApiDefaults<T extends ApiObject>(obj: T): T {
  const toJson = obj.toJson.bind(obj);
  // A plain assignment: keepJsonPatches() may wrap it again (then patches apply after this).
  obj.toJson = () => omitApiDefaults(toJson());
  return obj;
}

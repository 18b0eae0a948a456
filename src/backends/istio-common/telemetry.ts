// MeshTelemetry model → telemetry.istio.io/v1 Telemetry, with IST0159/IST0160.
import { Construct } from 'constructs';
import { Telemetry, TelemetrySpec } from '../../../imports/telemetry.istio.io';
import { AppModel, groupBy } from '../../models/app';
import type { TelemetryModel } from '../../models/observability';
import { appSelector } from '../../models/service';

/** @internal */
export function createTelemetry(scope: Construct, t: TelemetryModel): Telemetry {
  return new Telemetry(scope, 'Resource', {
    metadata: { name: t.name },
    spec: {
      selector: t.serviceName !== undefined ? { matchLabels: appSelector(t.serviceName) } : undefined,
      ...telemetryProviders(t),
    },
  });
}

/** What a Telemetry configures, whatever it applies to (selector or targetRefs). @internal */
export function telemetryProviders(t: TelemetryModel): Pick<TelemetrySpec, 'accessLogging' | 'tracing'> {
  return {
    accessLogging: t.accessLogging && [t.accessLogging.disabled
      ? { disabled: true }
      : { providers: (t.accessLogging.providers ?? []).map((name) => ({ name })) }],
    tracing: t.tracing && [t.tracing.disableSpanReporting
      ? { disableSpanReporting: true }
      : { providers: t.tracing.providers?.map((name) => ({ name })), randomSamplingPercentage: t.tracing.randomSamplingPercentage }],
  };
}

/** IST0159 / IST0160: two Telemetries for one workload, or two namespace-wide ones. @internal */
export function analyzeTelemetry(app: AppModel, t: TelemetryModel): string[] {
  const byScope = app.derived('telemetry-by-scope', (a) => groupBy(a.list<TelemetryModel>('MeshTelemetry'), (o) => `${o.namespace ?? ''}|${o.serviceName ?? ''}`));
  const peers = byScope.get(`${t.namespace ?? ''}|${t.serviceName ?? ''}`) ?? [];
  if (peers.length < 2) return [];
  const ns = JSON.stringify(t.namespace ?? '');
  const names = peers.map((o) => JSON.stringify(o.name)).join(', ');
  if (t.serviceName === undefined) {
    return [`IST0160 MultipleTelemetriesWithoutWorkloadSelectors: MeshTelemetry '${t.path}': the Telemetries ${names} in namespace ${ns} `
      + 'have no workload selector, so which one applies to a pod is undefined. Fix: keep one namespace-wide MeshTelemetry and give the others a `service`.'];
  }
  return [`IST0159 ConflictingTelemetryWorkloadSelectors: MeshTelemetry '${t.path}': the Telemetries ${names} in namespace ${ns} `
    + `select the same workload (app=${JSON.stringify(t.serviceName)}), so which one applies is undefined. Fix: merge them into one MeshTelemetry for that service.`];
}

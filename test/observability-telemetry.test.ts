import { Chart, Testing } from 'cdk8s';
import { AccessLogging, MeshService, MeshTelemetry, Tracing } from '../src';
import { chart, object } from './util';

const users = (c: Chart) => new MeshService(c, 'users', { versions: [{ name: 'v1', image: 'ghcr.io/acme/users:1.0.0' }] });

describe('MeshTelemetry', () => {
  test('snapshot: namespace-wide access logging and 1% trace sampling', () => {
    const c = chart();
    new MeshTelemetry(c, 'telemetry', { accessLogging: AccessLogging.enabled(), tracing: Tracing.randomSampling(1) });
    expect(object(c, 'Telemetry', 'default')).toMatchSnapshot();
  });

  test('namespace-wide: telemetry.istio.io/v1, no selector, envoy access log provider', () => {
    const c = chart();
    new MeshTelemetry(c, 'telemetry', { accessLogging: AccessLogging.enabled() });
    const t = object(c, 'Telemetry', 'default');
    expect(t.apiVersion).toBe('telemetry.istio.io/v1');
    expect(t.metadata.namespace).toBe('test');
    expect(t.spec).toEqual({ accessLogging: [{ providers: [{ name: 'envoy' }] }] });
  });

  test('per workload: selects the service by app, named after it', () => {
    const c = chart();
    new MeshTelemetry(c, 'users-telemetry', { service: users(c), tracing: Tracing.randomSampling(12.5, { providers: ['otel'] }), accessLogging: AccessLogging.disabled() });
    expect(object(c, 'Telemetry', 'users').spec).toEqual({
      selector: { matchLabels: { app: 'users' } },
      accessLogging: [{ disabled: true }],
      tracing: [{ providers: [{ name: 'otel' }], randomSamplingPercentage: 12.5 }],
    });
  });

  test('Tracing.disabled() stops span reporting', () => {
    const c = chart();
    new MeshTelemetry(c, 't', { tracing: Tracing.disabled() });
    expect(object(c, 'Telemetry', 'default').spec.tracing).toEqual([{ disableSpanReporting: true }]);
  });

  test.each([0, 100])('sampling %p%% is accepted', (p) => {
    const c = chart();
    new MeshTelemetry(c, 't', { tracing: Tracing.randomSampling(p) });
    expect(object(c, 'Telemetry', 'default').spec.tracing[0].randomSamplingPercentage).toBe(p);
  });

  test('a namespace-wide Telemetry per namespace, and one per workload beside it, pass analysis', () => {
    const app = Testing.app();
    const a = new Chart(app, 'a', { namespace: 'a' });
    const b = new Chart(app, 'b', { namespace: 'b' });
    new MeshTelemetry(a, 't', { accessLogging: AccessLogging.enabled() });
    new MeshTelemetry(b, 't', { accessLogging: AccessLogging.enabled() });
    new MeshTelemetry(a, 'users-telemetry', { service: users(a), tracing: Tracing.randomSampling(100) });
    expect(() => app.synth()).not.toThrow();
  });
});

describe('MeshTelemetry bad input and analysis', () => {
  test.each([-1, 100.1, NaN])('fails when the sampling percentage is %p', (p) => {
    expect(() => new MeshTelemetry(chart(), 't', { tracing: Tracing.randomSampling(p) }))
      .toThrow(/MeshTelemetry 'test\/t': prop 'tracing\.randomSamplingPercentage' is .*, which is not a percentage between 0 and 100\. Fix:/);
  });

  test('fails when nothing is configured', () => {
    expect(() => new MeshTelemetry(chart(), 't', {})).toThrow("MeshTelemetry 'test/t': prop 'accessLogging' is undefined, which leaves the Telemetry empty");
  });

  test('fails when access logging names no provider', () => {
    expect(() => new MeshTelemetry(chart(), 't', { accessLogging: AccessLogging.enabled({ providers: [] }) }))
      .toThrow("prop 'accessLogging.providers' is [], which does not name any provider");
  });

  test('fails when two namespace-wide Telemetries share a namespace (IST0160)', () => {
    const app = Testing.app();
    const c = new Chart(app, 'c', { namespace: 'shop' });
    new MeshTelemetry(c, 'logs', { accessLogging: AccessLogging.enabled(), name: 'logs' });
    new MeshTelemetry(c, 'traces', { tracing: Tracing.randomSampling(1), name: 'traces' });
    expect(() => Testing.synth(c)).toThrow(
      'IST0160 MultipleTelemetriesWithoutWorkloadSelectors: MeshTelemetry \'c/logs\': the Telemetries "logs", "traces" in namespace "shop" have no workload selector');
  });

  test('fails when two Telemetries select the same workload (IST0159)', () => {
    const c = chart();
    const svc = users(c);
    new MeshTelemetry(c, 'a', { service: svc, accessLogging: AccessLogging.enabled(), name: 'users-logs' });
    new MeshTelemetry(c, 'b', { service: svc, tracing: Tracing.randomSampling(5), name: 'users-traces' });
    expect(() => Testing.synth(c)).toThrow(
      'IST0159 ConflictingTelemetryWorkloadSelectors: MeshTelemetry \'test/a\': the Telemetries "users-logs", "users-traces" in namespace "test" select the same workload (app="users")');
  });
});

// Issue 11, item 2: on every object the package creates, what a JSON patch says is what is written
// (and then validated); a patch that can't be applied names the object and the path.
import { ApiObject, Chart, JsonPatch, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import {
  AccessLogging, AuthorizationPolicy, ManifestValidator, MeshMonitor, MeshNamespace, MeshService, MeshTelemetry, PeerAuthentication,
  ServiceLevelObjectives, TrafficSplit,
} from '../src';
import { keepJsonPatches } from '../src/api-object-patches';
import { allowInvalidManifests } from './validation-hook';
import { chart, object } from './util';

const VERSIONS = [{ name: 'v1', image: 'ghcr.io/acme/payments:1.0.0', replicas: 4 }, { name: 'v2', image: 'ghcr.io/acme/payments:2.0.0', replicas: 4 }];

function payments(c: Chart = chart()) {
  return { c, svc: new MeshService(c, 'payments', { versions: VERSIONS }) };
}

describe('a JSON patch with the wire name is written (the issue\'s inputs)', () => {
  test('DestinationRule outlierDetection.consecutive5xxErrors', () => {
    const { c, svc } = payments();
    ApiObject.of(svc.destinationRule!).addJsonPatch(JsonPatch.add('/spec/trafficPolicy', {}));
    ApiObject.of(svc.destinationRule!).addJsonPatch(JsonPatch.add('/spec/trafficPolicy/outlierDetection', { consecutive5xxErrors: 2, interval: '5s' }));
    expect(object(c, 'DestinationRule', 'payments').spec.trafficPolicy).toEqual({ outlierDetection: { consecutive5xxErrors: 2, interval: '5s' } });
  });

  test('PrometheusRule rule keep_firing_for', () => {
    const { c, svc } = payments();
    const slo = new ServiceLevelObjectives(c, 'slo', { service: svc, availability: { percent: 99.9 } });
    ApiObject.of(slo).addJsonPatch(JsonPatch.add('/spec/groups/1/rules/0/keep_firing_for', '10m'));
    const rule = object(c, 'PrometheusRule', 'payments-slo').spec.groups[1].rules[0];
    expect(rule.keep_firing_for).toBe('10m');
    expect(rule.alert).toBe('AvailabilityErrorBudgetBurn');
  });

  test('the TypeScript name cdk8s used to re-map is written as given, and so refused by the validator', () => {
    const c = allowInvalidManifests(chart());
    const { svc } = payments(c);
    ApiObject.of(svc.destinationRule!).addJsonPatch(JsonPatch.add('/spec/trafficPolicy', { outlierDetection: { consecutive5XxErrors: 2 } }));
    const dr = Testing.synth(c).find((o: any) => o.kind === 'DestinationRule');
    expect(dr.spec.trafficPolicy.outlierDetection).toEqual({ consecutive5XxErrors: 2 });
  });
});

describe('a misspelt field fails the fast validator instead of vanishing', () => {
  const cases: Array<[string, (c: Chart, svc: MeshService) => ApiObject, string, unknown]> = [
    ['DestinationRule', (_c, svc) => ApiObject.of(svc.destinationRule!), '/spec/trafficPolicyy', { tls: { mode: 'ISTIO_MUTUAL' } }],
    ['VirtualService', (c, svc) => ApiObject.of(new TrafficSplit(c, 'split', { service: svc, defaultRoute: { destinations: [{ version: 'v1' }] } })), '/spec/http/0/timout', '2s'],
    ['PeerAuthentication', (c, svc) => ApiObject.of(new PeerAuthentication(c, 'pa', { service: svc })), '/spec/mtls/mod', 'STRICT'],
    ['AuthorizationPolicy', (c, svc) => ApiObject.of(new AuthorizationPolicy(c, 'authz', { service: svc, denyAll: true })), '/spec/actionn', 'DENY'],
    ['PodMonitor', (c, svc) => ApiObject.of(new MeshMonitor(c, 'mon', { service: svc })), '/spec/podMetricsEndpoints/0/intervall', '30s'],
    ['PrometheusRule', (c, svc) => ApiObject.of(new ServiceLevelObjectives(c, 'slo', { service: svc, availability: { percent: 99.9 } })), '/spec/groups/1/rules/0/keep_firing', '10m'],
    ['Telemetry', (c, svc) => ApiObject.of(new MeshTelemetry(c, 'tel', { service: svc, accessLogging: AccessLogging.enabled() })), '/spec/tracin', []],
    ['Deployment (cdk8s-plus)', (_c, svc) => ApiObject.of(svc.deployment('v1')), '/spec/minReadySecondz', 5],
    ['Service (cdk8s-plus)', (_c, svc) => ApiObject.of(svc.service), '/spec/ports/0/appProtocoll', 'http'],
    ['ServiceAccount (cdk8s-plus)', (_c, svc) => ApiObject.of(svc.serviceAccount), '/automountServiceAccountTokn', true],
  ];

  test.each(cases)('%s', (_, target, path, value) => {
    const c = allowInvalidManifests(chart());
    const { svc } = payments(c);
    const obj = target(c, svc);
    obj.addJsonPatch(JsonPatch.add(path, value));
    const objects = Testing.synth(c);
    const written = objects.find((o: any) => o.kind === obj.kind && o.metadata.name === obj.name);
    // The patch is written…
    const segments = path.split('/').slice(1);
    expect(segments.reduce((n: any, k) => n?.[k], written)).toEqual(value);
    // …and the fast validator names it.
    const result = new ManifestValidator().validate([written]);
    expect(result.valid).toBe(false);
    expect(JSON.stringify(result.errors)).toContain(segments[segments.length - 1]);
  });

  test('MeshNamespace Namespace (cdk8s-plus)', () => {
    const c = allowInvalidManifests(chart(null));
    const ns = new MeshNamespace(c, 'ns', { name: 'payments' });
    ApiObject.of(ns).addJsonPatch(JsonPatch.add('/spec', { finalizer: ['kubernetes'] }));
    const written = Testing.synth(c).find((o: any) => o.kind === 'Namespace');
    expect(written.spec).toEqual({ finalizer: ['kubernetes'] });
    const result = new ManifestValidator().validate([written]);
    expect(JSON.stringify(result.errors)).toContain('finalizer');
  });
});

describe('a patch that can\'t be applied names the object and the path', () => {
  test('fails when the parent of an added path does not exist (the issue\'s DestinationRule input)', () => {
    const { c, svc } = payments();
    ApiObject.of(svc.destinationRule!).addJsonPatch(JsonPatch.add('/spec/trafficPolicy/outlierDetection/consecutive5xxErrors', 2));
    expect(() => Testing.synth(c)).toThrow("DestinationRule test/payments (construct 'test/payments/DestinationRule'): JSON patch "
      + '{"op":"add","path":"/spec/trafficPolicy/outlierDetection/consecutive5xxErrors","value":2} can\'t be applied: '
      + "'/spec/trafficPolicy' does not exist in the object as written (/spec has 'host', 'subsets'). Fix: patch paths of the object as written");
    expect(() => Testing.synth(c)).not.toThrow(/Cannot set properties of undefined/);
  });

  test.each<[string, JsonPatch, string]>([
    ['remove of a missing field', JsonPatch.remove('/spec/template/spec/hostPID'), "'/spec/template/spec/hostPID' does not exist in the object as written"],
    ['replace past the end of a list', JsonPatch.replace('/spec/template/spec/containers/1/image', 'x'), "'/spec/template/spec/containers/1' does not exist: '/spec/template/spec/containers' is a list of 1 item(s)"],
    ['move from a missing field', JsonPatch.move('/spec/paused', '/spec/replicas'), "its 'from': '/spec/paused' does not exist"],
    ['a path without a leading slash', JsonPatch.add('spec/paused', true), 'path "spec/paused" is not a JSON pointer'],
    ['a field below a string', JsonPatch.add('/metadata/name/x', 1), "'/metadata/name/x' does not exist: '/metadata/name' is a string, not an object"],
  ])('fails on a Deployment: %s', (_, patch, message) => {
    const { c, svc } = payments();
    ApiObject.of(svc.deployment('v2')).addJsonPatch(patch);
    expect(() => Testing.synth(c)).toThrow(`Deployment test/payments-v2 (construct 'test/payments/Deployment-v2/Resource'): JSON patch {`);
    expect(() => Testing.synth(c)).toThrow(message);
  });

  test('appends to a list with "-" and inserts at its length', () => {
    const { c, svc } = payments();
    ApiObject.of(svc.deployment('v1')).addJsonPatch(
      JsonPatch.add('/spec/template/spec/tolerations', []),
      JsonPatch.add('/spec/template/spec/tolerations/-', { key: 'a', operator: 'Exists' }),
      JsonPatch.add('/spec/template/spec/tolerations/1', { key: 'b', operator: 'Exists' }),
    );
    expect(object(c, 'Deployment', 'payments-v1').spec.template.spec.tolerations).toEqual([{ key: 'a', operator: 'Exists' }, { key: 'b', operator: 'Exists' }]);
  });
});

describe('keepJsonPatches', () => {
  test('is idempotent and leaves an unpatched object exactly as rendered', () => {
    const a = payments();
    const before = JSON.stringify(Testing.synth(a.c));
    keepJsonPatches(a.svc.destinationRule!, a.svc.destinationRule!, a.svc.deployment('v1'));
    expect(JSON.stringify(Testing.synth(a.c))).toBe(before);
  });

  test('moves patches added before it, and works on any generated class (a plain cdk8s-plus ConfigMap)', () => {
    const c = chart();
    const scope = new Construct(c, 'x');
    const cm = new kplus.ConfigMap(scope, 'cm', { metadata: { name: 'cm' }, data: { a: '1' } });
    ApiObject.of(cm).addJsonPatch(JsonPatch.add('/data/b', '2'));
    keepJsonPatches(cm);
    ApiObject.of(cm).addJsonPatch(JsonPatch.replace('/data/a', '3'));
    expect(object(c, 'ConfigMap', 'cm').data).toEqual({ a: '3', b: '2' });
  });
});

describe('patched fields land where cdk8s would have put them (stable GitOps diffs)', () => {
  test('keys of the patched object and of the written value are sorted; apiVersion, kind, metadata stay first', () => {
    // `aaa` is not a DestinationRule field: only the key order is under test here.
    const { c, svc } = payments(allowInvalidManifests(chart()));
    ApiObject.of(svc.destinationRule!).addJsonPatch(
      JsonPatch.add('/spec/trafficPolicy', { outlierDetection: { interval: '5s', consecutive5xxErrors: 2 } }),
      JsonPatch.add('/aaa', 1),
    );
    const dr = object(c, 'DestinationRule', 'payments');
    expect(Object.keys(dr)).toEqual(['apiVersion', 'kind', 'metadata', 'aaa', 'spec']);
    expect(Object.keys(dr.spec)).toEqual(['host', 'subsets', 'trafficPolicy']);
    expect(Object.keys(dr.spec.trafficPolicy.outlierDetection)).toEqual(['consecutive5xxErrors', 'interval']);
  });
});

test('toJson() is idempotent: rendering twice applies each patch once (cdk8s-core#954 made that a real risk)', () => {
  const { svc } = payments();
  const obj = ApiObject.of(svc.deployment('v1'));
  obj.addJsonPatch(JsonPatch.add('/spec/template/spec/tolerations', []), JsonPatch.add('/spec/template/spec/tolerations/-', { key: 'a', operator: 'Exists' }));
  expect(obj.toJson()).toEqual(obj.toJson());
  expect(obj.toJson().spec.template.spec.tolerations).toHaveLength(1);
});

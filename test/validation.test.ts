import { App, ApiObject, Chart, JsonPatch, Testing } from 'cdk8s';
import {
  assertValidManifests, ManifestValidation, ManifestValidator, MeshService, validateChart, validateManifests,
} from '../src';
import { MeshDemoChart } from '../src/example';
import { BROKEN_CHARTS } from './broken-charts';
import { chart } from './util';
import { allowInvalidManifests, expectRejection } from './validation-hook';

const V1 = [{ name: 'v1', image: 'ghcr.io/acme/users:1.0.0' }];

describe('validateManifests (fast layer)', () => {
  test('accepts the example app: core kinds and the DestinationRule are all validated', () => {
    const demo = new MeshDemoChart(Testing.app());
    const objects = demo.toJson().length;
    expect(objects).toBeGreaterThanOrEqual(14); // 2 services, routing, mTLS, authz, monitor, SLO rules
    expect(validateChart(demo)).toEqual({ valid: true, validated: objects, errors: [], unvalidated: [] });
  });

  test.each(BROKEN_CHARTS)('fails on $name, naming the object, the path and the schema message', (broken) => {
    const result = validateChart(broken.chart());
    expect(result.valid).toBe(false);
    expect(result.errors).toContainEqual(expect.objectContaining({ object: `${broken.kind} test/${broken.objectName}` }));
    expect(result.errors.map((e) => `${e.path}: ${e.message}`).join('\n')).toContain(broken.fastError);
  });

  test('fails when a list-map key repeats (x-kubernetes-list-type: map), which JSON Schema cannot see', () => {
    const se = {
      apiVersion: 'networking.istio.io/v1', kind: 'ServiceEntry', metadata: { name: 'ext', namespace: 'test' },
      spec: { hosts: ['example.com'], ports: [{ name: 'a', number: 1 }, { name: 'a', number: 2 }] },
    };
    expect(validateManifests([se]).errors).toEqual([
      { object: 'ServiceEntry test/ext', path: 'spec.ports[1]', message: 'Duplicate value: {"name":"a"}' },
    ]);
  });

  test('fails when a CEL rule on an integer field is violated (integers reach CEL as int)', () => {
    const se = {
      apiVersion: 'networking.istio.io/v1', kind: 'ServiceEntry', metadata: { name: 'ext', namespace: 'test' },
      spec: { hosts: ['example.com'], ports: [{ name: 'a', number: 70000 }] },
    };
    expect(validateManifests([se]).errors).toEqual([
      { object: 'ServiceEntry test/ext', path: 'spec.ports[0].number', message: 'Invalid value: 70000: port must be between 1-65535' },
    ]);
  });

  test('fails when a core kind misses a required field, in the API server\'s words', () => {
    const svc = { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { ports: [{ name: 'http' }] } };
    expect(validateManifests([svc]).errors).toEqual([{ object: 'Service s', path: 'spec.ports[0].port', message: 'Required value' }]);
  });

  test('fails on a kind with no vendored schema, unless allowUnknownKinds lists it as unvalidated', () => {
    const cert = { apiVersion: 'cert-manager.io/v1', kind: 'Certificate', metadata: { name: 'c', namespace: 'test' }, spec: {} };
    expect(validateManifests([cert]).errors[0].message).toContain('no schema for apiVersion "cert-manager.io/v1" kind "Certificate"');
    expect(validateManifests([cert], { allowUnknownKinds: true })).toEqual({
      valid: true, validated: 0, errors: [], unvalidated: ['cert-manager.io/v1 Certificate test/c'],
    });
  });

  test('validates kinds from extra CRDs passed in `crds`', () => {
    const crd = {
      apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'widgets.acme.io' },
      spec: {
        group: 'acme.io', scope: 'Namespaced', names: { kind: 'Widget', plural: 'widgets' },
        versions: [{
          name: 'v1', served: true, storage: true,
          schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', properties: { size: { type: 'integer' } } } } } },
        }],
      },
    };
    const validator = new ManifestValidator({ crds: [crd] });
    const widget = (spec: object) => ({ apiVersion: 'acme.io/v1', kind: 'Widget', metadata: { name: 'w' }, spec });
    expect(validator.validate([widget({ size: 3 })]).valid).toBe(true);
    expect(validator.validate([widget({ colour: 'red' })]).errors.map((e) => e.message)).toEqual(['unknown field "spec.colour"']);
  });

  test('assertValidManifests throws every problem, one per line', () => {
    const c = allowInvalidManifests(chart()); // deliberately broken below
    const svc = new MeshService(c, 'users', { versions: V1 });
    ApiObject.of(svc.deployment('v1')).addJsonPatch(JsonPatch.replace('/spec/replicas', 'two'));
    ApiObject.of(svc.destinationRule!).addJsonPatch(JsonPatch.replace('/spec/host', 42));
    expect(() => assertValidManifests(c.toJson())).toThrow(
      '2 manifest validation error(s):\n'
      + 'DestinationRule test/users: spec.host: Invalid value: "integer": spec.host in body must be of type string: "integer"\n'
      + 'Deployment test/users-v1: spec.replicas: Invalid value: "two": must be integer',
    );
  });

  test('an unknown field patched into a package object reaches the manifest, so the validator refuses it (issue 11, item 2)', () => {
    // Before keepJsonPatches the generated class's toJson() dropped it silently.
    const c = expectRejection(chart());
    const svc = new MeshService(c, 'users', { versions: V1 });
    ApiObject.of(svc.destinationRule!).addJsonPatch(JsonPatch.add('/spec/bogusField', 1));
    expect(() => Testing.synth(c)).toThrow('DestinationRule test/users: spec.bogusField: unknown field "spec.bogusField"');
  });
});

describe('ManifestValidation.attach (cdk8s validation)', () => {
  test('fails app.synth when an object in the chart is invalid', () => {
    const app = Testing.app();
    const c = allowInvalidManifests(new Chart(app, 'test', { namespace: 'test', disableResourceNameHashes: true }));
    ManifestValidation.attach(c);
    const svc = new MeshService(c, 'users', { versions: V1 });
    ApiObject.of(svc.destinationRule!).addJsonPatch(JsonPatch.replace('/spec/host', 42));
    expect(() => app.synth()).toThrow('DestinationRule test/users: spec.host: Invalid value: "integer": spec.host in body must be of type string: "integer"');
  });

  test('passes a valid chart', () => {
    const app = new App({ outdir: require('os').tmpdir() + '/mesh-validation-attach' });
    const c = new Chart(app, 'test', { namespace: 'test', disableResourceNameHashes: true });
    ManifestValidation.attach(c);
    new MeshService(c, 'users', { versions: V1 });
    expect(() => app.synthYaml()).not.toThrow();
  });
});

describe('the test-suite hook (every synthesized chart is validated)', () => {
  test('fails Testing.synth of a broken chart that did not opt out, quoting the schema message', () => {
    const c = expectRejection(chart());
    new ApiObject(c, 'legacy', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'legacy' }, spec: { ports: [{ port: 80 }] } } as any)
      .addJsonPatch(JsonPatch.add('/spec/bogusField', 1));
    expect(() => Testing.synth(c)).toThrow(/fast validation layer rejected chart 'test'[^]*Service test\/legacy: spec.bogusField: unknown field "spec.bogusField"/);
  });
});

// The Kubernetes version of the core schemas is selectable (issue 16, item 4): 1.28 stays the
// default; 1.36 judges a Service the way a current cluster does. And CRDs passed in are applied as
// the API server would: one with a vendored CRD's name replaces it whole.
import { Testing } from 'cdk8s';
import { KubernetesVersion, ManifestValidator } from '../src';
import { MeshDemoChart } from '../src/example';
import { packageRoot, readCrdDocuments, vendoredCrdFiles } from '../src/validation/schemas';
import { CACHE_DIR } from './validation-hook';

const service = (spec: object) => ({
  apiVersion: 'v1', kind: 'Service', metadata: { name: 'users', namespace: 'shop' },
  spec: { selector: { app: 'users' }, ports: [{ name: 'http', port: 8080 }], ...spec },
});
const messages = (v: ManifestValidator, objects: object[]) => v.validate(objects).errors.map((e) => `${e.path}: ${e.message}`);

describe('kubernetesVersion', () => {
  const v128 = new ManifestValidator({ cacheDir: CACHE_DIR });
  const v136 = new ManifestValidator({ cacheDir: CACHE_DIR, kubernetesVersion: KubernetesVersion.V1_36 });

  test('1.28 is the default', () => {
    expect(v128.kubernetesVersion).toBe(KubernetesVersion.V1_28);
  });

  test('spec.trafficDistribution passes with 1.36 selected and is an unknown field under 1.28', () => {
    const svc = service({ trafficDistribution: 'PreferClose' });
    expect(messages(v136, [svc])).toEqual([]);
    expect(v136.validate([svc]).validated).toBe(1);
    expect(messages(v128, [svc])).toEqual(['spec.trafficDistribution: unknown field "spec.trafficDistribution"']);
  });

  test('the example app is valid under 1.36 as under 1.28 (every core kind it writes)', () => {
    const objects = Testing.synth(new MeshDemoChart(Testing.app()));
    const result = v136.validate(objects);
    expect(result.errors).toEqual([]);
    expect(result.validated).toBe(objects.length);
  });

  test('1.36 still refuses what 1.36 does not have, and types what it has', () => {
    expect(messages(v136, [service({ trafficDistributon: 'PreferClose' })])).toEqual(['spec.trafficDistributon: unknown field "spec.trafficDistributon"']);
    expect(messages(v136, [service({ trafficDistribution: 7 })])).toEqual([expect.stringMatching(/^spec\.trafficDistribution: .*string/)]);
  });

  test('IntOrString and Quantity take their wire forms under 1.36 too (targetPort 8080 or "http"; cpu 1 or "100m")', () => {
    const deployment = {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'users', namespace: 'shop' },
      spec: {
        selector: { matchLabels: { app: 'users' } },
        template: {
          metadata: { labels: { app: 'users' } },
          spec: { containers: [{ name: 'app', image: 'users:1', resources: { limits: { cpu: 1, memory: '256Mi' }, requests: { cpu: '100m' } } }] },
        },
      },
    };
    const objects = [service({ ports: [{ port: 80, targetPort: 8080 }, { name: 'b', port: 81, targetPort: 'http' }] }), deployment];
    expect(messages(v136, objects)).toEqual([]);
    expect(messages(v128, objects)).toEqual([]);
  });

  test('"v1.36", "1.36.2" name 1.36; an unvendored version fails naming the prop, the value and the choices', () => {
    expect(new ManifestValidator({ kubernetesVersion: 'v1.36' }).kubernetesVersion).toBe(KubernetesVersion.V1_36);
    expect(new ManifestValidator({ kubernetesVersion: '1.36.2' }).kubernetesVersion).toBe(KubernetesVersion.V1_36);
    expect(() => new ManifestValidator({ kubernetesVersion: '1.19' })).toThrow(
      'ManifestValidator: prop \'kubernetesVersion\' is "1.19", which is not a vendored Kubernetes version. Fix: use one of "1.28", "1.36"',
    );
  });
});

describe('CRDs passed in are applied as the server would', () => {
  const vendored = readCrdDocuments(vendoredCrdFiles(packageRoot()));
  const peerAuthentication = (apiVersion: string) => ({
    apiVersion, kind: 'PeerAuthentication', metadata: { name: 'default', namespace: 'shop' }, spec: { mtls: { mode: 'STRICT' } },
  });

  test('a CRD with a vendored CRD\'s name replaces it whole: a version it drops is no longer served', () => {
    const original = vendored.find((c) => c.metadata.name === 'peerauthentications.security.istio.io')!;
    expect(original.spec.versions.map((v: any) => v.name)).toEqual(expect.arrayContaining(['v1', 'v1beta1']));
    const onlyV1 = structuredClone(original);
    onlyV1.spec.versions = onlyV1.spec.versions.filter((v: any) => v.name === 'v1');
    const before = new ManifestValidator({ cacheDir: CACHE_DIR });
    const after = new ManifestValidator({ cacheDir: CACHE_DIR, crds: [onlyV1] });
    expect(messages(before, [peerAuthentication('security.istio.io/v1beta1')])).toEqual([]);
    expect(messages(after, [peerAuthentication('security.istio.io/v1')])).toEqual([]);
    expect(messages(after, [peerAuthentication('security.istio.io/v1beta1')])).toEqual([
      '<root>: no schema for apiVersion "security.istio.io/v1beta1" kind "PeerAuthentication" (pass its CRD in `crds`, or set `allowUnknownKinds`)',
    ]);
  });

  test('its defaults are filled before its schema and CEL rules judge the object', () => {
    const crd = {
      apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'gadgets.acme.io' },
      spec: {
        group: 'acme.io', scope: 'Namespaced', names: { kind: 'Gadget', plural: 'gadgets' },
        versions: [{
          name: 'v1', served: true, storage: true,
          schema: {
            openAPIV3Schema: {
              type: 'object',
              properties: {
                spec: {
                  type: 'object',
                  properties: { mode: { type: 'string', default: 'fast' }, limit: { type: 'integer' } },
                  'x-kubernetes-validations': [{ rule: "self.mode != 'fast' || has(self.limit)", message: 'fast mode needs a limit' }],
                },
              },
            },
          },
        }],
      },
    };
    const v = new ManifestValidator({ crds: [crd] });
    const gadget = (spec: object) => ({ apiVersion: 'acme.io/v1', kind: 'Gadget', metadata: { name: 'g', namespace: 'shop' }, spec });
    expect(messages(v, [gadget({ mode: 'slow' })])).toEqual([]);
    expect(messages(v, [gadget({ limit: 3 })])).toEqual([]);
    // Only the default makes this one fail: the server fills mode: fast, then the rule needs a limit.
    expect(messages(v, [gadget({})])).toEqual([expect.stringContaining('fast mode needs a limit')]);
  });

  test('something that is not a CRD fails naming the prop and the fix', () => {
    expect(() => new ManifestValidator({ crds: [{ kind: 'ConfigMap' }] }).validate([service({})])).toThrow(
      /ManifestValidator: prop 'crds' holds "ConfigMap", which is not a CustomResourceDefinition .* Fix: pass parsed apiextensions.k8s.io\/v1 CustomResourceDefinition documents\./,
    );
  });
});

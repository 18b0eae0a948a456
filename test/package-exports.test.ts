// The package root is its whole API (issue 16, item 2): every construct, its props and every public
// enum import from 'cdk8s-mesh'; internals (tagged @internal, or not meant for consumers) do not.
// Read with the TypeScript checker over src/, so a new construct that is not exported fails here.
import { packageApi } from './ts-program';

const api = packageApi();
const rootExports = new Set(api.rootExports);
const { constructs, enums, internals } = api;

test('the source has constructs and enums to check (the scan works)', () => {
  expect(constructs).toEqual(expect.arrayContaining(['MeshService', 'TrafficSplit', 'PeerAuthentication', 'AuthorizationPolicy', 'MeshMonitor', 'ServiceLevelObjectives']));
  expect(enums).toEqual(expect.arrayContaining(['MtlsMode', 'HttpMethod', 'KubernetesVersion']));
});

test('every construct and its props type import from the package root', () => {
  const missing = constructs.flatMap((c) => [c, ...(api.interfaces.includes(`${c}Props`) ? [`${c}Props`] : [])])
    .filter((n) => !rootExports.has(n));
  expect(missing).toEqual([]);
});

test('every public enum imports from the package root', () => {
  expect(enums.filter((e) => !rootExports.has(e))).toEqual([]);
});

test('nothing tagged @internal is exported from the root; createVersionDeployment is not', () => {
  expect(internals.filter((n) => rootExports.has(n))).toEqual([]);
  expect(rootExports.has('createVersionDeployment')).toBe(false);
});

// The server layer finds its cluster the way kubectl does (issue 16, item 5), through
// @kubernetes/client-node: KUBECONFIG files merged, contexts, exec credential plugins (EKS, GKE and
// AKS all authenticate this way). Real kubeconfig files and a real plugin process; no server needed.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { prefetchTargets, targetFromEnv } from './server/kube-client';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-kubeconfig-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const write = (name: string, text: string) => {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
};

// An exec credential plugin, as `aws eks get-token` is one: prints an ExecCredential with a token.
const plugin = write('get-token.js', `process.stdout.write(JSON.stringify({
  apiVersion: 'client.authentication.k8s.io/v1beta1', kind: 'ExecCredential',
  status: { token: 'from-plugin-' + (process.env.CLUSTER_NAME || '?') },
}));`);

const prod = write('prod.yaml', `apiVersion: v1
kind: Config
current-context: prod
clusters:
- name: prod
  cluster: { server: "https://prod.example.internal:6443", certificate-authority-data: ${Buffer.from('PROD CA').toString('base64')} }
users:
- name: eks-user
  user:
    exec:
      apiVersion: client.authentication.k8s.io/v1beta1
      command: ${process.execPath}
      args: [${plugin}]
      env: [{ name: CLUSTER_NAME, value: prod }]
      interactiveMode: Never
contexts:
- name: prod
  context: { cluster: prod, user: eks-user }
`);
const local = write('local.yaml', `apiVersion: v1
kind: Config
current-context: local
clusters:
- name: local
  cluster: { server: "https://127.0.0.1:16443", insecure-skip-tls-verify: true }
- name: prod
  cluster: { server: "https://shadowed.example.internal" }
users:
- name: anon
  user: { token: test }
contexts:
- name: local
  context: { cluster: local, user: anon }
- name: bad
  context: { cluster: prod-insecure, user: anon }
`);
const insecure = write('insecure.yaml', `apiVersion: v1
kind: Config
current-context: c
clusters: [{ name: c, cluster: { server: "https://10.0.0.1:6443", insecure-skip-tls-verify: true } }]
users: [{ name: u, user: { token: t } }]
contexts: [{ name: c, context: { cluster: c, user: u } }]
`);
const env = (extra: NodeJS.ProcessEnv) => ({ PATH: process.env.PATH, ...extra });

// Every configuration below, resolved in one child process instead of one each (each as it would
// be alone; targetFromEnv takes the prefetched result for an identical environment).
prefetchTargets([
  env({ KUBECONFIG: prod }),
  env({ KUBECONFIG: [prod, local].join(path.delimiter) }),
  env({ KUBECONFIG: [local, prod].join(path.delimiter) }),
  env({ KUBECONFIG: [prod, local].join(path.delimiter), MESH_KUBE_CONTEXT: 'local' }),
  env({ KUBECONFIG: prod, MESH_KUBE_CONTEXT: 'staging' }),
  env({ KUBECONFIG: insecure }),
]);

test('an exec credential plugin supplies the bearer token, the CA comes from the cluster', () => {
  const t = targetFromEnv(env({ KUBECONFIG: prod }))!;
  expect(t.server).toBe('https://prod.example.internal:6443');
  expect(t.source).toBe(`KUBECONFIG ${prod} (context prod)`);
  expect(t.headers.Authorization).toBe('Bearer from-plugin-prod');
  expect(t.ca?.toString()).toBe('PROD CA');
  expect(t.insecure).toBe(false);
});

test('KUBECONFIG files merge as kubectl merges them: the first to set a name or current-context wins', () => {
  const t = targetFromEnv(env({ KUBECONFIG: [prod, local].join(path.delimiter) }))!;
  expect(t.server).toBe('https://prod.example.internal:6443'); // prod.yaml's current-context and its "prod" cluster
  const reversed = targetFromEnv(env({ KUBECONFIG: [local, prod].join(path.delimiter) }))!;
  expect([reversed.server, reversed.headers.Authorization, reversed.insecure]).toEqual(['https://127.0.0.1:16443', 'Bearer test', true]);
});

test('MESH_KUBE_CONTEXT picks a context of the merged config, like kubectl --context', () => {
  const t = targetFromEnv(env({ KUBECONFIG: [prod, local].join(path.delimiter), MESH_KUBE_CONTEXT: 'local' }))!;
  expect([t.server, t.source]).toEqual(['https://127.0.0.1:16443', `KUBECONFIG ${prod}${path.delimiter}${local} (context local)`]);
  expect(() => targetFromEnv(env({ KUBECONFIG: prod, MESH_KUBE_CONTEXT: 'staging' }))).toThrow(`KUBECONFIG ${prod}: no context named "staging" (contexts: prod)`);
});

test('TLS verification is skipped for loopback servers only', () => {
  expect(() => targetFromEnv(env({ KUBECONFIG: insecure }))).toThrow('refusing to skip TLS verification for non-loopback server https://10.0.0.1:6443');
});

test('no KUBECONFIG: CRD_TEST_SERVER_URL (loopback only), else nothing configured', () => {
  expect(targetFromEnv(env({}))).toBeUndefined();
  expect(targetFromEnv(env({ CRD_TEST_SERVER_URL: 'https://127.0.0.1:1234' }))).toMatchObject({ server: 'https://127.0.0.1:1234', insecure: true });
  expect(() => targetFromEnv(env({ CRD_TEST_SERVER_URL: 'https://example.com' }))).toThrow('only a loopback test server may be used without a kubeconfig');
});

test('a configuration nobody prefetched resolves in a process of its own (the server layer\'s path)', () => {
  const t = targetFromEnv(env({ KUBECONFIG: local }))!;
  expect([t.server, t.source, t.headers.Authorization]).toEqual(['https://127.0.0.1:16443', `KUBECONFIG ${local} (context local)`, 'Bearer test']);
});

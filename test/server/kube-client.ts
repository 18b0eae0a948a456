// The server layer's Kubernetes API client. Where to send and how to authenticate is resolved the
// way kubectl does, by @kubernetes/client-node (kube-target.mjs: kubeconfig merging, contexts,
// exec credential plugins for EKS/GKE/AKS); requests are plain Node HTTPS with what it resolved.
import { spawnSync } from 'child_process';
import * as http from 'http';
import * as https from 'https';
import * as path from 'path';

/** Where requests go and how they authenticate. */
export interface KubeTarget {
  readonly server: string;
  /** Where the target came from, for messages. */
  readonly source: string;
  /** Headers the credentials add (`Authorization: Bearer …`). */
  readonly headers: Readonly<Record<string, string>>;
  readonly ca?: Buffer;
  readonly cert?: Buffer;
  readonly key?: Buffer;
  /** Skip TLS verification: only ever for a loopback server. */
  readonly insecure: boolean;
}

/** The response of one request: HTTP status and the parsed JSON body. */
export interface KubeResponse {
  readonly status: number;
  readonly body: any;
}

const isLoopback = (server: string) => ['127.0.0.1', 'localhost', '[::1]', '::1'].includes(new URL(server).hostname);
const buffer = (b64?: string) => (b64 ? Buffer.from(b64, 'base64') : undefined);

/**
 * The API server the environment names, or undefined when none is configured: `KUBECONFIG` (its
 * files merged, the current context or `$MESH_KUBE_CONTEXT`), else `CRD_TEST_SERVER_URL` (a
 * loopback test server, anonymous). Exec credential plugins run once, here.
 */
export function targetFromEnv(env: NodeJS.ProcessEnv = process.env): KubeTarget | undefined {
  if (!env.KUBECONFIG) {
    if (!env.CRD_TEST_SERVER_URL) return undefined;
    const server = env.CRD_TEST_SERVER_URL;
    if (!isLoopback(server)) throw new Error(`CRD_TEST_SERVER_URL=${server}: only a loopback test server may be used without a kubeconfig`);
    return { server, source: 'CRD_TEST_SERVER_URL', headers: {}, insecure: true };
  }
  const key = JSON.stringify(env);
  const t = prefetched.get(key) ?? resolveInChild([env])[0];
  prefetched.delete(key);
  if (t.error) throw new Error(t.error);
  if (t.none) return undefined;
  return { server: t.server, source: t.source, headers: t.headers ?? {}, ca: buffer(t.ca), cert: buffer(t.cert), key: buffer(t.key), insecure: t.insecure === true };
}

/** What kube-target.mjs printed for an environment, by the environment's JSON. */
const prefetched = new Map<string, any>();

/**
 * Resolves the kubeconfig environments `envs` in one child process (each as it would be alone;
 * loading @kubernetes/client-node is most of a resolution's time); the next
 * {@link targetFromEnv} call with an identical environment takes its result instead of starting
 * a process. For tests that resolve many configurations.
 */
export function prefetchTargets(envs: NodeJS.ProcessEnv[]): void {
  const withConfig = envs.filter((e) => e.KUBECONFIG);
  resolveInChild(withConfig).forEach((t, i) => prefetched.set(JSON.stringify(withConfig[i]), t));
}

function resolveInChild(envs: NodeJS.ProcessEnv[]): any[] {
  if (envs.length === 0) return [];
  const script = path.join(__dirname, 'kube-target.mjs');
  const run = envs.length === 1
    ? spawnSync(process.execPath, [script], { env: envs[0], encoding: 'utf8', timeout: 60_000 })
    : spawnSync(process.execPath, [script, '--batch'], { input: JSON.stringify(envs), encoding: 'utf8', timeout: 60_000 });
  const line = run.stdout?.trim().split('\n').pop();
  if (run.status !== 0 || !line) throw new Error(`resolving the API server (test/server/kube-target.mjs) failed: ${run.stderr || run.error?.message || `exit ${run.status}`}`);
  return envs.length === 1 ? [JSON.parse(line)] : JSON.parse(line);
}

/** Sends one request; `body` is sent as JSON, or as YAML when it is a string. */
export function request(target: KubeTarget, method: string, urlPath: string, body?: unknown): Promise<KubeResponse> {
  const url = new URL(urlPath, target.server);
  const payload = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
  const headers: Record<string, string> = { ...target.headers, Accept: 'application/json' };
  if (payload !== undefined) headers['Content-Type'] = typeof body === 'string' ? 'application/yaml' : 'application/json';
  const options: https.RequestOptions = {
    method, headers, ca: target.ca, cert: target.cert, key: target.key,
    rejectUnauthorized: !(target.insecure && isLoopback(target.server)),
  };
  const transport = url.protocol === 'http:' ? http : https;
  return new Promise((resolve, reject) => {
    const req = transport.request(url, options, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let parsed: any = text;
        try { parsed = JSON.parse(text); } catch { /* not JSON: keep the text */ }
        resolve({ status: res.statusCode ?? 0, body: parsed });
      });
    });
    req.on('error', reject);
    req.setTimeout(30_000, () => req.destroy(new Error(`${method} ${url}: timed out`)));
    if (payload !== undefined) req.write(payload);
    req.end();
  });
}

const CRDS = '/apis/apiextensions.k8s.io/v1/customresourcedefinitions';

/** Creates the CRDs (an existing one is left as it is) and waits until each is Established. */
export async function ensureCrds(target: KubeTarget, crds: any[], timeoutMs = 90_000): Promise<{ created: number; existing: number }> {
  let created = 0;
  let existing = 0;
  for (const crd of crds) {
    const res = await request(target, 'POST', CRDS, crd);
    if (res.status === 409) existing++;
    else if (res.status === 201 || res.status === 200) created++;
    else throw new Error(`creating CRD ${crd.metadata.name}: HTTP ${res.status}: ${res.body?.message ?? res.body}`);
  }
  const deadline = Date.now() + timeoutMs;
  for (const crd of crds) {
    for (;;) {
      const res = await request(target, 'GET', `${CRDS}/${crd.metadata.name}`);
      const established = (res.body?.status?.conditions ?? []).some((c: any) => c.type === 'Established' && c.status === 'True');
      if (established) break;
      if (Date.now() > deadline) throw new Error(`CRD ${crd.metadata.name} not Established after ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  return { created, existing };
}

/** The collection URL of a custom resource: `/apis/{group}/{version}/namespaces/{ns}/{plural}`. */
export function resourcePath(apiVersion: string, plural: string, namespace: string | undefined): string {
  return namespace ? `/apis/${apiVersion}/namespaces/${namespace}/${plural}` : `/apis/${apiVersion}/${plural}`;
}

/**
 * Creates `body` with `dryRun=All&fieldValidation=Strict`: the server validates it completely
 * (schema, unknown fields, CEL) and stores nothing. Returns undefined when accepted, else the message.
 */
export async function dryRunCreate(target: KubeTarget, collection: string, body: unknown): Promise<string | undefined> {
  const res = await request(target, 'POST', `${collection}?dryRun=All&fieldValidation=Strict`, body);
  if (res.status === 200 || res.status === 201) return undefined;
  return `HTTP ${res.status}: ${typeof res.body === 'string' ? res.body : res.body?.message ?? JSON.stringify(res.body)}`;
}

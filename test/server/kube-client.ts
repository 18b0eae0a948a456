// A minimal Kubernetes API client for the server layer: Node HTTPS, no kubectl. Reads the target
// from the environment: CRD_TEST_SERVER_URL (anonymous), else KUBECONFIG's current context.
import * as fs from 'fs';
import * as http from 'http';
import * as https from 'https';
import * as path from 'path';
import * as YAML from 'yaml';

/** Where requests go and how they authenticate. */
export interface KubeTarget {
  readonly server: string;
  /** Where the target came from, for messages. */
  readonly source: string;
  readonly token?: string;
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

function readData(base: string, data?: string, file?: string): Buffer | undefined {
  if (data) return Buffer.from(data, 'base64');
  if (file) return fs.readFileSync(path.resolve(base, file));
  return undefined;
}

/** The API server the environment names, or undefined when none is configured. */
export function targetFromEnv(env: NodeJS.ProcessEnv = process.env): KubeTarget | undefined {
  if (env.CRD_TEST_SERVER_URL) {
    const server = env.CRD_TEST_SERVER_URL;
    if (!isLoopback(server)) throw new Error(`CRD_TEST_SERVER_URL=${server}: only a loopback test server may be used without a kubeconfig`);
    return { server, source: 'CRD_TEST_SERVER_URL', insecure: true };
  }
  if (!env.KUBECONFIG) return undefined;
  const file = env.KUBECONFIG.split(path.delimiter)[0];
  const config = YAML.parse(fs.readFileSync(file, 'utf8'));
  const named = (list: any[], name: string, what: string) => {
    const found = (list ?? []).find((x) => x.name === name);
    if (!found) throw new Error(`KUBECONFIG ${file}: no ${what} named "${name}"`);
    return found;
  };
  const context = named(config.contexts, config['current-context'], 'context').context;
  const cluster = named(config.clusters, context.cluster, 'cluster').cluster;
  const user = context.user ? named(config.users, context.user, 'user').user ?? {} : {};
  if (user.exec || user['auth-provider']) {
    throw new Error(`KUBECONFIG ${file}: exec/auth-provider credentials are not supported here; use a token or client certificate`);
  }
  const base = path.dirname(file);
  const server: string = cluster.server;
  const skip = cluster['insecure-skip-tls-verify'] === true;
  if (skip && !isLoopback(server)) {
    throw new Error(`KUBECONFIG ${file}: refusing to skip TLS verification for non-loopback server ${server}; set certificate-authority-data`);
  }
  return {
    server,
    source: `KUBECONFIG ${file} (context ${config['current-context']})`,
    token: user.token ?? (user.tokenFile ? fs.readFileSync(path.resolve(base, user.tokenFile), 'utf8').trim() : undefined),
    ca: readData(base, cluster['certificate-authority-data'], cluster['certificate-authority']),
    cert: readData(base, user['client-certificate-data'], user['client-certificate']),
    key: readData(base, user['client-key-data'], user['client-key']),
    insecure: skip,
  };
}

/** Sends one request; `body` is sent as JSON, or as YAML when it is a string. */
export function request(target: KubeTarget, method: string, urlPath: string, body?: unknown): Promise<KubeResponse> {
  const url = new URL(urlPath, target.server);
  const payload = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (payload !== undefined) headers['Content-Type'] = typeof body === 'string' ? 'application/yaml' : 'application/json';
  if (target.token) headers.Authorization = `Bearer ${target.token}`;
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

// Resolves the API server and credentials the way kubectl does, with @kubernetes/client-node:
// KUBECONFIG's files merged (the first file to set a cluster, user, context or current-context
// wins), the current context (or $MESH_KUBE_CONTEXT, like `kubectl --context`), and the user's
// credentials — token, client certificate, or an exec credential plugin (aws eks get-token,
// gke-gcloud-auth-plugin, kubelogin) run now. Prints one JSON line for kube-client.ts.
// A separate Node process: @kubernetes/client-node is ESM-only, which jest's CommonJS runtime can't load.
// With --batch it reads a JSON array of environments on stdin and prints one JSON array: each is
// resolved in turn with process.env replaced by it (exec plugins inherit it, as they would from
// a process of their own), so a test resolving many configurations loads client-node once.
import { KubeConfig } from '@kubernetes/client-node';
import * as path from 'node:path';

const isLoopback = (server) => ['127.0.0.1', 'localhost', '[::1]', '::1'].includes(new URL(server).hostname);
const b64 = (v) => (v === undefined || v === null ? undefined : Buffer.from(v).toString('base64'));

async function resolve() {
  const env = process.env;
  if (!env.KUBECONFIG) return { none: true };
  const files = env.KUBECONFIG.split(path.delimiter).filter(Boolean);
  const merged = { clusters: [], users: [], contexts: [], currentContext: undefined };
  for (const file of files) {
    const one = new KubeConfig();
    one.loadFromFile(file);
    for (const key of ['clusters', 'users', 'contexts']) {
      for (const item of one[key]) if (!merged[key].some((x) => x.name === item.name)) merged[key].push(item);
    }
    merged.currentContext ??= one.currentContext || undefined;
  }
  const kc = new KubeConfig();
  kc.loadFromOptions(merged);
  const context = env.MESH_KUBE_CONTEXT || merged.currentContext;
  const where = `KUBECONFIG ${files.join(path.delimiter)}`;
  if (!context) throw new Error(`${where}: no current-context (set one, or MESH_KUBE_CONTEXT)`);
  if (!kc.getContextObject(context)) throw new Error(`${where}: no context named "${context}" (contexts: ${merged.contexts.map((c) => c.name).join(', ') || 'none'})`);
  kc.setCurrentContext(context);
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new Error(`${where}: context "${context}" names no known cluster`);
  if (cluster.skipTLSVerify && !isLoopback(cluster.server)) {
    throw new Error(`${where}: refusing to skip TLS verification for non-loopback server ${cluster.server}; set certificate-authority-data`);
  }
  const opts = { headers: {} };
  await kc.applyToHTTPSOptions(opts); // token, client certificate, exec plugin, CA
  return {
    server: cluster.server, source: `${where} (context ${context})`, headers: opts.headers,
    ca: b64(opts.ca), cert: b64(opts.cert), key: b64(opts.key), insecure: cluster.skipTLSVerify === true,
  };
}

const settle = () => resolve().catch((e) => ({ error: e instanceof Error ? e.message : String(e) }));

if (process.argv[2] === '--batch') {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  const results = [];
  for (const env of JSON.parse(Buffer.concat(chunks).toString('utf8'))) {
    for (const key of Object.keys(process.env)) delete process.env[key];
    Object.assign(process.env, env);
    results.push(await settle());
  }
  process.stdout.write(`${JSON.stringify(results)}\n`);
} else {
  process.stdout.write(`${JSON.stringify(await settle())}\n`);
}

// The real layer: a Kubernetes API server (the CRD test server in .ci/run, or any cluster in
// KUBECONFIG) validates what the package writes. Runs after the specs (jest.server.config.js; in npm test the same jest run),
// whose hook recorded every custom resource the example app and the test charts synthesized.
import * as fs from 'fs';
import * as path from 'path';
import { Testing } from 'cdk8s';
import { ManifestValidator } from '../../src';
import { MeshDemoChart } from '../../src/example';
import { packageRoot, readCrdDocuments, vendoredCrdFiles } from '../../src/validation/schemas';
import { BROKEN_CHARTS } from '../broken-charts';
import { CACHE_DIR, MANIFESTS_DIR } from '../validation-hook';
import { ALL_VECTOR_SUITES, readVectors, vectorId } from '../vectors';
import { dryRunCreate, ensureCrds, KubeTarget, resourcePath, targetFromEnv } from './kube-client';

// Here, not only in jest.server.config.js: npm test's multi-project run reads only the root testTimeout (jestjs/jest#9696).
jest.setTimeout(120000);

const target = targetFromEnv();
const validator = new ManifestValidator({ cacheDir: CACHE_DIR });
const say = (line: string) => process.stdout.write(`${line}\n`);

/**
 * Where a newer API server words an error differently from the `_err` istio/api wrote for the
 * Kubernetes it tests against: each expected substring may also match one of these.
 */
const ERROR_ALTERNATIVES: Record<string, string[]> = {
  // Newer servers drop the type name from CEL rule errors on objects...
  'spec.configPatches[0].match: Invalid value: "object": only support waypointMatch when context is WAYPOINT':
    ['spec.configPatches[0].match: Invalid value: only support waypointMatch when context is WAYPOINT'],
  // ...and print the offending scalar instead of its type.
  'spec.configPatches[0].match.waypoint.portNumber: Invalid value: "integer": port must be between 1-65535':
    ['spec.configPatches[0].match.waypoint.portNumber: Invalid value: 65536: port must be between 1-65535'],
  // A null field is dropped before validation, so it is reported as missing.
  'spec in body must be of type object: "null"': ['spec: Required value'],
  'spec.url in body must be of type string: "null"': ['spec.url: Required value'],
};

/** Every distinct custom resource the specs recorded (they run first), plus the example app's, with where it came from. */
function recordedCustomResources(): Array<{ origin: string; object: any }> {
  const seen = new Map<string, { origin: string; object: any }>();
  const add = (origin: string, object: any) => {
    const key = JSON.stringify(object);
    if (!seen.has(key)) seen.set(key, { origin, object });
  };
  for (const o of Testing.synth(new MeshDemoChart(Testing.app()))) {
    if (validator.customResource(o.apiVersion, o.kind)) add('example app (src/example.ts)', o);
  }
  const files = fs.existsSync(MANIFESTS_DIR) ? fs.readdirSync(MANIFESTS_DIR).sort() : [];
  for (const f of files) {
    for (const line of fs.readFileSync(path.join(MANIFESTS_DIR, f), 'utf8').split('\n').filter(Boolean)) {
      const { test, object } = JSON.parse(line);
      add(`${f.replace(/\.jsonl$/, '')} › ${test}`, object);
    }
  }
  return [...seen.values()];
}

function collectionFor(o: any): string {
  const cr = validator.customResource(o.apiVersion, o.kind);
  if (!cr) throw new Error(`${o.apiVersion} ${o.kind} is not a vendored custom resource`);
  return resourcePath(o.apiVersion, cr.plural, cr.namespaced ? o.metadata?.namespace ?? 'default' : undefined);
}

if (!target) {
  describe('server layer', () => {
    test('skipped: no Kubernetes API server configured (set KUBECONFIG or CRD_TEST_SERVER_URL; .ci/run starts one)', () => {
      // Information, not a warning: a plain line on stdout, no console.warn stack frame.
      say('\nserver validation layer: skipped, no API server configured. To run it: '
        + 'eval "$(../shared/tools/crd-test-server/start.sh)" (or set KUBECONFIG), then npm run test:server. .ci/run always runs it.\n');
      // .ci/run sets MESH_REQUIRE_SERVER=1: there, a missing server is a failure, never a skip.
      if (process.env.MESH_REQUIRE_SERVER === '1') {
        throw new Error('MESH_REQUIRE_SERVER=1: the server layer must run here, but neither KUBECONFIG nor CRD_TEST_SERVER_URL is set (did crd-test-server/start.sh fail?)');
      }
    });
  });
} else {
  describe(`server layer (${target.source}: ${target.server})`, () => {
    const t: KubeTarget = target;

    beforeAll(async () => {
      // Every CustomResourceDefinition in crds/*.yaml (Istio, Prometheus Operator, Gateway API,
      // Linkerd), created with POST: a client-side apply of the HTTPRoute CRD would overflow the
      // last-applied annotation. Other documents (the Gateway API file's ValidatingAdmissionPolicy
      // and its binding, which this server can't serve) are not CRDs and are left out.
      const crds = readCrdDocuments(vendoredCrdFiles(packageRoot()));
      const { created, existing } = await ensureCrds(t, crds);
      say(`\nserver layer: ${crds.length} vendored CRDs Established (${created} created, ${existing} already there) on ${t.server}`);
    });

    test('accepts every custom resource the example app and the test charts synthesized (dryRun=All, fieldValidation=Strict)', async () => {
      const recorded = recordedCustomResources();
      // The example app alone has one; the tests recorded more unless the specs did not run first.
      expect(recorded.length).toBeGreaterThan(1);
      const rejections: string[] = [];
      for (const { origin, object } of recorded) {
        const error = await dryRunCreate(t, collectionFor(object), object);
        if (error) rejections.push(`${object.kind} ${object.metadata?.name} (from ${origin}): ${error}`);
      }
      const kinds = [...new Set(recorded.map((r) => r.object.kind))].sort().join(', ');
      say(`server validation layer: ${recorded.length} distinct custom resources sent (${kinds}), ${rejections.length} rejected`);
      expect(rejections).toEqual([]);
    });

    test.each(BROKEN_CHARTS.filter((b) => b.serverError).map((b) => [b.name, b]))('rejects %s with the server\'s message', async (_n, broken) => {
      const object = broken.chart().toJson().find((o: any) => o.kind === broken.kind && o.metadata.name === broken.objectName);
      expect(await dryRunCreate(t, collectionFor(object), object)).toContain(broken.serverError);
    });

    describe.each(ALL_VECTOR_SUITES.map((suite) => [path.basename(suite.dir), suite]))('validation vectors %s', (suiteName, suite) => {
      const vectors = readVectors(suite);
      const counts = { accepted: 0, rejected: 0 };
      afterAll(() => say(`server validation layer: ${suiteName} vectors: ${counts.accepted} valid accepted, ${counts.rejected} invalid rejected with the expected message (of ${vectors.length})`));

      test.each(vectors.map((v) => [vectorId(v), v]))('%s', async (_id, v) => {
        // The YAML text itself is sent, so the server's own YAML decoder reads it.
        const error = await dryRunCreate(t, collectionFor(v.object), v.text);
        if (v.valid) {
          expect(error).toBeUndefined();
          counts.accepted++;
        } else {
          const accepted = [v.err!, ...(ERROR_ALTERNATIVES[v.err!] ?? [])].map((a) => a.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
          expect({ error }).toEqual({ error: expect.stringMatching(new RegExp(accepted.join('|'))) });
          counts.rejected++;
        }
      });
    });
  });
}

// Property: any whole app built from the public API — random services, versions, ports, rules,
// weights, policies, monitors, SLOs, on either Istio routing API — either synthesizes manifests the
// fast validator accepts, or fails with one of the package's own errors (a prop error naming the
// construct and the fix, or a synth-time analysis finding). Never invalid output, never a raw
// TypeError. MESH_PROPERTY_RUNS overrides the number of runs (10,000 by default, in two shards).
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart, Duration, Testing } from 'cdk8s';
import * as fc from 'fast-check';
import {
  AuthorizationPolicy, Caller, HttpMethod, IstioRouting, IstioSidecar, Mesh, MeshMonitor, MeshNamespace,
  MeshProtocol, MeshService, MtlsMode, PeerAuthentication, RetryOn, ScrapeTarget, ServiceLevelObjectives, StringMatch,
  TrafficSplit, Weight,
} from '../../src';
import { skipEmitIdentity } from '../setup/emit-identity';
import { shardsToRun } from '../suites/shards';
import { allowInvalidManifests, validateOnce } from '../validation-hook';

const RUNS = Number(process.env.MESH_PROPERTY_RUNS ?? 10000);

/** Mostly a good value, sometimes a bad one (so both outcomes are common). */
const mostly = <T>(good: fc.Arbitrary<T>, bad: fc.Arbitrary<T>, badWeight = 1): fc.Arbitrary<T> =>
  fc.oneof({ weight: 30, arbitrary: good }, { weight: badWeight, arbitrary: bad });

/** Usually absent, sometimes there. */
const rarely = <T>(arb: fc.Arbitrary<T>, weight = 1): fc.Arbitrary<T | undefined> =>
  fc.oneof({ weight: 10, arbitrary: fc.constant(undefined) }, { weight: Math.round(weight * 2), arbitrary: arb });

const versionName = mostly(fc.constantFrom('v1', 'v2', 'v3'), fc.constantFrom('canary', 'V1', ''));
const port = mostly(fc.constantFrom(8080, 9090, 6379), fc.constantFrom(15020, 0, 70000));
const protocol = mostly(fc.constantFrom(MeshProtocol.HTTP, MeshProtocol.HTTP2, MeshProtocol.GRPC), fc.constant(MeshProtocol.TCP), 2);
const stringMatch = mostly(
  fc.oneof(
    fc.constantFrom('v2', 'beta', '/api', '/api/v1').map((v) => StringMatch.exact(v)),
    fc.constantFrom('/api', '/static').map((v) => StringMatch.prefix(v)),
    fc.constantFrom('^v[0-9]+$', '^/api/.*').map((v) => StringMatch.regex(v)),
  ),
  fc.oneof(fc.constantFrom('', '(?=x)', '[').map((v) => StringMatch.regex(v)), fc.constantFrom('', 'beta').map((v) => StringMatch.prefix(v))),
);
const match = fc.record({
  headers: fc.option(fc.dictionary(mostly(fc.constantFrom('version', 'x-canary'), fc.constantFrom('X-Canary', 'cookie', 'bad header')), stringMatch, { maxKeys: 2 }), { nil: undefined }),
  uri: rarely(stringMatch),
  method: fc.option(fc.constantFrom(HttpMethod.GET, HttpMethod.POST), { nil: undefined }),
  queryParams: rarely(fc.dictionary(mostly(fc.constant('beta'), fc.constant('')), stringMatch, { maxKeys: 1 })),
}, { requiredKeys: [] });
/** 1–3 distinct versions with percentages summing to 100 — or, sometimes, a broken weight list. */
const destinations = mostly<{ version: string; weight?: Weight }[]>(
  fc.tuple(fc.subarray(['v1', 'v2', 'v3'], { minLength: 1 }), fc.integer({ min: 0, max: 100 })).map(([vs, cut]) => vs.map((version, i) => ({
    version,
    weight: vs.length === 1 ? undefined : Weight.percent(i === 0 ? cut : i === 1 ? 100 - cut : 0),
  }))),
  fc.array(fc.record({ version: versionName, weight: fc.option(fc.integer({ min: -10, max: 110 }).map((n) => Weight.percent(n)), { nil: undefined }) }, { requiredKeys: ['version'] }), { maxLength: 3 }),
);
const duration = mostly(fc.constantFrom(Duration.millis(500), Duration.seconds(2), Duration.seconds(5)), fc.constant(Duration.millis(0)));
const routeOptions = fc.record({
  destinations,
  timeout: rarely(duration, 2),
  retries: rarely(fc.record({
    attempts: mostly(fc.integer({ min: 0, max: 4 }), fc.constant(-1)),
    perTryTimeout: fc.option(duration, { nil: undefined }),
    retryOn: fc.option(fc.subarray([RetryOn.FIVE_XX, RetryOn.GATEWAY_ERROR, RetryOn.CONNECT_FAILURE, RetryOn.httpStatus(503)]), { nil: undefined }),
  }, { requiredKeys: ['attempts'] }), 2),
  fault: rarely(fc.record({ abort: fc.record({ httpStatus: mostly(fc.constant(503), fc.constant(99)), percentage: fc.option(mostly(fc.constant(10), fc.constant(150)), { nil: undefined }) }) }), 0.3),
  mirror: rarely(fc.record({ version: versionName, percentage: fc.option(mostly(fc.constantFrom(5, 50), fc.constant(-1)), { nil: undefined }) }, { requiredKeys: ['version'] }), 0.5),
}, { requiredKeys: ['destinations'] });
const rule = fc.tuple(routeOptions, rarely(fc.array(match, { minLength: 1, maxLength: 2 })))
  .map(([r, matches]) => ({ ...r, matches }));

const service = fc.record({
  ports: rarely(mostly(
    fc.subarray([8080, 9090, 6379], { minLength: 1, maxLength: 2 }).chain((ps) => fc.tuple(...ps.map((p) => fc.record({ port: fc.constant(p), protocol })))),
    fc.array(fc.record({ port, protocol }), { minLength: 1, maxLength: 2 }),
  ), 2),
  versions: mostly(
    fc.subarray(['v1', 'v2', 'v3'], { minLength: 1 }).chain((vs) => fc.tuple(...vs.map((name) => fc.record({ name: fc.constant(name), replicas: mostly(fc.constantFrom(1, 2), fc.constant(0)) })))),
    fc.array(fc.record({ name: versionName, replicas: fc.constantFrom(0, 1) }), { minLength: 1, maxLength: 3 }),
  ),
  routing: fc.option(fc.record({ rules: fc.array(rule, { maxLength: 3 }), defaultRoute: routeOptions }), { nil: undefined }),
  mtls: rarely(fc.constantFrom(MtlsMode.STRICT, MtlsMode.PERMISSIVE, MtlsMode.DISABLE, MtlsMode.UNSET)),
  authz: rarely(fc.record({
    methods: fc.option(mostly<string[]>(fc.constant(['GET']), fc.constantFrom(['get'], [])), { nil: undefined }),
    paths: fc.option(mostly<string[]>(fc.constantFrom(['/api/*'], ['/a/{*}/b']), fc.constant(['api'])), { nil: undefined }),
    fromSelf: fc.boolean(),
  }), 2),
  monitor: rarely(mostly(fc.constant(ScrapeTarget.ISTIO_MERGED), fc.constant(ScrapeTarget.APPLICATION)), 2),
  slo: rarely(fc.record({ availability: mostly(fc.constantFrom(99.9, 99), fc.constantFrom(50, 100)), latency: fc.boolean() })),
});
const appSpec = fc.record({
  gatewayApi: fc.boolean(),
  namespace: fc.constantFrom('shop', undefined),
  meshNamespace: fc.option(fc.constantFrom(MtlsMode.STRICT, MtlsMode.PERMISSIVE), { nil: undefined }),
  services: fc.array(service, { minLength: 1, maxLength: 3 }),
});

type AppSpec = typeof appSpec extends fc.Arbitrary<infer T> ? T : never;

let appsBuilt = 0;
/** One output folder for every app (Testing.app() makes a temporary folder per app; nothing here writes to it). */
const OUTDIR = fs.mkdtempSync(path.join(os.tmpdir(), 'whole-app-property-'));
afterAll(() => fs.rmSync(OUTDIR, { recursive: true, force: true }));

function build(spec: AppSpec): Chart {
  const app: App = Testing.app({ outdir: OUTDIR });
  if (spec.gatewayApi) Mesh.use(app, new IstioSidecar({ routing: IstioRouting.GATEWAY_API }));
  const chart = allowInvalidManifests(new Chart(app, 'app', { namespace: spec.namespace, disableResourceNameHashes: true }));
  // Every 10th app still goes through the emitter byte-identity check (test/setup/emit-identity.ts).
  if (appsBuilt++ % 10 !== 0) skipEmitIdentity(chart);
  if (spec.meshNamespace && spec.namespace) new MeshNamespace(chart, 'ns', { mtlsMode: spec.meshNamespace });
  const built: MeshService[] = [];
  spec.services.forEach((s, i) => {
    const svc = new MeshService(chart, `svc${i}`, {
      serviceName: ['users', 'orders', 'cache'][i],
      ...(s.ports ? { ports: s.ports } : {}),
      versions: s.versions.map((v) => ({ name: v.name, image: `ghcr.io/acme/svc${i}:1`, replicas: v.replicas })),
    });
    built.push(svc);
    if (s.routing) new TrafficSplit(chart, `routing${i}`, { service: svc, rules: s.routing.rules, defaultRoute: s.routing.defaultRoute });
    if (s.mtls) new PeerAuthentication(chart, `mtls${i}`, { service: svc, mode: s.mtls });
    if (s.authz) {
      new AuthorizationPolicy(chart, `authz${i}`, { service: svc }).allow({
        from: s.authz.fromSelf ? [Caller.meshService(built[0])] : undefined, methods: s.authz.methods, paths: s.authz.paths,
      });
    }
    if (s.monitor) new MeshMonitor(chart, `monitor${i}`, { service: svc, scrape: s.monitor });
    if (s.slo) {
      new ServiceLevelObjectives(chart, `slo${i}`, {
        service: svc, availability: { percent: s.slo.availability },
        ...(s.slo.latency ? { latency: { percent: 99, threshold: Duration.millis(300) }, buckets: [0.1, 0.3, 1] } : {}),
      });
    }
  });
  return chart;
}

/** The package's own errors: a prop error (construct, prop, value, fix) or synth-time findings. */
function isPackageError(e: unknown): boolean {
  if (!(e instanceof Error) || e.constructor !== Error) return false;
  const m = e.message;
  return /^\w+ '[^']*': prop '[^']*' is .*Fix: /s.test(m)
    || (m.startsWith('Validation failed with the following errors:') && /Fix: /.test(m))
    || /^synthRenderings|^Mesh '/.test(m);
}

/** Two shards of RUNS / 2 runs, seeds SEED and SEED + 1: in `npm test` one per worker (test/suites/groups.ts). */
const SHARDS = 2;
const SEED = Number(process.env.MESH_PROPERTY_SEED ?? 20261203);

for (const shard of shardsToRun(SHARDS)) describe(`shard ${shard + 1} of ${SHARDS} (seed ${SEED + shard})`, () => {
  const runs = Math.ceil(RUNS / SHARDS);
  test(`${runs} random whole apps synthesize valid manifests or fail with the package's own error`, () => {
    let valid = 0;
    let refused = 0;
    const reasons: string[] = [];
    fc.assert(fc.property(appSpec, (spec) => {
      let objects: any[];
      try {
        objects = Testing.synth(build(spec));
      } catch (e) {
        if (!isPackageError(e)) throw new Error(`not a package error: ${(e as Error)?.stack ?? e}`);
        refused++;
        if (process.env.MESH_PROPERTY_DEBUG) reasons.push((e as Error).message.replace(/^Validation failed with the following errors:\s*/, '').split('\n')[0].replace(/'[^']*'/g, "'…'").replace(/"[^"]*"/g, '"…"').slice(0, 110));
        return;
      }
      const result = validateOnce(objects);
      if (!result.valid) throw new Error(`invalid output:\n${result.errors.slice(0, 5).map((x) => `${x.object}: ${x.message}`).join('\n')}`);
      valid++;
    }), { numRuns: runs, seed: SEED + shard });
    // Non-vacuity: both outcomes happen a fair share of the time.
    if (!process.env.MESH_PROPERTY_DEBUG) expect(valid).toBeGreaterThan(runs * 0.05);
    expect(refused).toBeGreaterThan(runs * 0.05);
    if (reasons.length) console.log(Object.entries(reasons.reduce((m, r) => ({ ...m, [r]: (m[r] ?? 0) + 1 }), {} as Record<string, number>)).sort((a, b) => b[1] - a[1]).slice(0, 25).map(([r, n]) => `${n} ${r}`).join('\n'));
    console.log(`whole-app property, shard ${shard + 1} of ${SHARDS}: ${valid} valid apps, ${refused} refused with the package's errors (${runs} runs)`);
  }, 600000);
});

// What the benchmark synthesizes. `mesh`: N services with two versions each, by MeshService;
// `baseline`: the same objects by hand (./baseline.ts); `heavy`: per service a MeshService (2
// versions), a TrafficSplit (header rule + 90/10), a workload-scoped PeerAuthentication, an
// AuthorizationPolicy with one allow rule, a MeshMonitor and ServiceLevelObjectives.
//
// Only the public API (src/index.ts) is used, through a `Library` handle, so the paired bench can
// build the same workload with another checkout's package (scripts/bench/paired.ts).
// Nothing but types is imported at the top: a paired run of another checkout must not also load
// this checkout's package and cdk8s.
import type * as cdk8s from 'cdk8s';
import type { Chart } from 'cdk8s';
import type * as local from '../../src';

export type Variant = 'mesh' | 'baseline' | 'heavy';
/** The package's public API, from this checkout or another one. */
export type Library = typeof local;
/** The cdk8s module the library was built against (its own node_modules). */
export type Cdk8s = Pick<typeof cdk8s, 'App' | 'Chart' | 'Duration'>;

export function versionsOf(i: number) {
  return [
    { name: 'v1', image: `ghcr.io/acme/svc-${i}:1.0.0`, replicas: 2 },
    { name: 'v2', image: `ghcr.io/acme/svc-${i}:2.0.0`, replicas: 1 },
  ];
}

/** Adds N services to a fresh chart of `app`, with this checkout's package. */
export function build(app: cdk8s.App, variant: Variant, n: number): Chart {
  /* eslint-disable @typescript-eslint/no-require-imports */
  return buildWith(require('../../src'), require('cdk8s'), app, variant, n);
}

/** Adds N services to a fresh chart of `app`, with the given package and cdk8s. */
export function buildWith(lib: Library, k: Cdk8s, app: cdk8s.App, variant: Variant, n: number): Chart {
  const chart = new k.Chart(app, 'bench', { namespace: 'bench', disableResourceNameHashes: true });
  let previous: InstanceType<Library['MeshService']> | undefined;
  for (let i = 0; i < n; i++) {
    if (variant === 'baseline') {
      (require('./baseline') as typeof import('./baseline')).handWrittenService(chart, `svc-${i}`, versionsOf(i));
      continue;
    }
    const service = new lib.MeshService(chart, `svc-${i}`, { versions: versionsOf(i) });
    if (variant === 'heavy') heavy(lib, k, chart, `svc-${i}`, service, previous ?? service);
    previous = service;
  }
  return chart;
}

function heavy(lib: Library, k: Cdk8s, chart: Chart, id: string, service: InstanceType<Library['MeshService']>, caller: InstanceType<Library['MeshService']>): void {
  new lib.TrafficSplit(chart, `${id}-routing`, {
    service,
    rules: [{ name: 'version-header', matches: [{ headers: { version: lib.StringMatch.exact('v2') } }], destinations: [{ version: 'v2' }] }],
    defaultRoute: {
      destinations: [
        { version: 'v1', weight: lib.Weight.fraction(0.9) },
        { version: 'v2', weight: lib.Weight.fraction(0.1) },
      ],
    },
  });
  new lib.PeerAuthentication(chart, `${id}-mtls`, { service, mode: lib.MtlsMode.STRICT });
  const callers = new lib.AuthorizationPolicy(chart, `${id}-callers`, { service });
  callers.allow({ from: [lib.Caller.meshService(caller)], methods: ['GET'], paths: ['/api'] });
  new lib.MeshMonitor(chart, `${id}-monitor`, { service });
  new lib.ServiceLevelObjectives(chart, `${id}-slo`, {
    service,
    availability: { percent: 99.9 },
    latency: { percent: 99, threshold: k.Duration.millis(300) },
    buckets: [0.05, 0.1, 0.3, 1],
  });
}

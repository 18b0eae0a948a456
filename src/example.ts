// The example app's chart: the seed design note's `myservice`, deployed to the mesh.
// src/main.ts synthesizes it; the tests snapshot it. Read it as a showcase of the package.
import { Chart, Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { MeshMonitor, MeshService, ServiceLevelObjectives } from './index';

/** Namespace `mesh-demo`: the seed's `myservice` in two versions. */
export class MeshDemoChart extends Chart {
  public readonly myservice: MeshService;

  public constructor(scope: Construct, id: string = 'mesh-demo') {
    super(scope, id, { namespace: 'mesh-demo', disableResourceNameHashes: true });

    // The seed's Go service: listens on :8080, GET /health (liveness), GET /ready (readiness) —
    // MeshService's defaults, spelled out here for the reader.
    this.myservice = new MeshService(this, 'myservice', {
      port: 8080,
      versions: [
        { name: 'v1', image: 'ghcr.io/acme/myservice:1.0.0', replicas: 2 },
        { name: 'v2', image: 'ghcr.io/acme/myservice:2.0.0', replicas: 1 },
      ],
    });

    // Observability: the seed's histogram http_request_duration_seconds{method,path,status} on
    // GET /metrics (MeshService's default metrics endpoint). The PodMonitor scrapes it merged into
    // the sidecar's :15020/stats/prometheus, which works under STRICT mTLS; the PrometheusRule
    // turns the histogram into SLO burn-rate alerts per version (v2 is judged on its own).
    new MeshMonitor(this, 'myservice-monitor', { service: this.myservice });
    new ServiceLevelObjectives(this, 'myservice-slo', {
      service: this.myservice,
      availability: { percent: 99.9 },
      latency: { percent: 99, threshold: Duration.millis(300) },
      buckets: [0.05, 0.1, 0.3, 1],
    });
  }
}

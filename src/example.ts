// The example app's chart: the seed design note's `myservice`, deployed to the mesh.
// src/main.ts synthesizes it; the tests snapshot it. Read it as a showcase of the package.
import { Chart, Duration } from 'cdk8s';
import { Construct } from 'constructs';
import {
  AuthorizationPolicy, Caller, MeshIngress, MeshMonitor, MeshNamespace, MeshService, ServiceLevelObjectives,
  StringMatch, TrafficSplit, Weight,
} from './index';

/**
 * Namespace `mesh-demo`: the seed's `myservice` in two versions with the seed's A/B routing,
 * called by `frontend` under STRICT mTLS, scraped by Prometheus and guarded by SLO alerts.
 */
export class MeshDemoChart extends Chart {
  public readonly myservice: MeshService;
  public readonly frontend: MeshService;
  public readonly myserviceRouting: TrafficSplit;

  public constructor(scope: Construct, id: string = 'mesh-demo') {
    super(scope, id, { namespace: 'mesh-demo', disableResourceNameHashes: true });

    // The namespace itself, enrolled in the mesh (Istio: `istio-injection: enabled`), with the seed's
    // mTLS section: a namespace-wide STRICT PeerAuthentication, so every workload in mesh-demo
    // accepts mutual TLS only (the DestinationRules use ISTIO_MUTUAL). Applying dist/ to a fresh
    // cluster with the mesh installed works as is: the Namespace comes first.
    new MeshNamespace(this, 'namespace');

    // The seed's Go service: listens on :8080, GET /health (liveness), GET /ready (readiness) —
    // MeshService's defaults, spelled out here for the reader.
    // Day 2: circuit breaking — a pod answering 5 consecutive 5xx is taken out of callers' load
    // balancing for 30 s (Istio: DestinationRule outlierDetection; Linkerd: failure accrual on the
    // Service). v1 scales with an HPA (2–6 pods at 80 % CPU; its Deployment sets no `replicas`) and
    // keeps all but one pod through node drains (PDB). v2 runs 2 pods: with one, ejecting it would
    // fail every request routed to v2 (synth refuses that).
    this.myservice = new MeshService(this, 'myservice', {
      port: 8080,
      resilience: { outlierDetection: { consecutive5xxErrors: 5, baseEjectionTime: Duration.seconds(30) } },
      versions: [
        {
          name: 'v1', image: 'ghcr.io/acme/myservice:1.0.0',
          autoscaling: { minReplicas: 2, maxReplicas: 6, cpuUtilizationPercent: 80 },
          disruptionBudget: { maxUnavailable: 1 },
        },
        { name: 'v2', image: 'ghcr.io/acme/myservice:2.0.0', replicas: 2 },
      ],
    });

    // A caller, with its own ServiceAccount: its mTLS identity is cluster.local/ns/mesh-demo/sa/frontend.
    this.frontend = new MeshService(this, 'frontend', {
      versions: [{ name: 'v1', image: 'ghcr.io/acme/frontend:1.0.0' }],
    });

    // North–south: frontend is reachable from outside the mesh as shop.example.com, TLS from the
    // Secret shop-example-com-tls, through the mesh's ingress (Istio sidecar: an Istio Gateway bound
    // to frontend's VirtualService; Gateway API backends: a Gateway + the HTTPRoute's Gateway parent).
    // With an Istio Gateway on the shared istio-ingressgateway, the Secret must live in that
    // gateway's namespace (istio-system); a Gateway API Gateway reads it from mesh-demo.
    new MeshIngress(this, 'frontend-ingress', { service: this.frontend, hosts: ['shop.example.com'], tlsSecret: 'shop-example-com-tls' });

    // The seed's traffic section: requests with header `version: v2` go to v2; the rest are split
    // A/B, VersionA 0.9 / VersionB 0.1 (rendered as weights 90 / 10).
    this.myserviceRouting = new TrafficSplit(this, 'myservice-routing', {
      service: this.myservice,
      rules: [
        { name: 'version-header', matches: [{ headers: { version: StringMatch.exact('v2') } }], destinations: [{ version: 'v2' }] },
      ],
      defaultRoute: {
        destinations: [
          { version: 'v1', weight: Weight.fraction(0.9) },
          { version: 'v2', weight: Weight.fraction(0.1) },
        ],
      },
    });

    // Zero trust: myservice answers frontend's GET /api/users and nothing else.
    const callers = new AuthorizationPolicy(this, 'myservice-callers', { service: this.myservice });
    callers.allow({ from: [Caller.meshService(this.frontend)], methods: ['GET'], paths: ['/api/users'] });

    // The seed's observability section: the histogram http_request_duration_seconds{method,path,status}
    // on GET /metrics (MeshService's default metrics endpoint). The PodMonitor scrapes it merged into
    // the sidecar's :15020/stats/prometheus, which works under STRICT mTLS and is not subject to the
    // AuthorizationPolicy; the PrometheusRule turns the histogram into SLO burn-rate alerts per
    // version (v2 is judged on its own).
    new MeshMonitor(this, 'myservice-monitor', { service: this.myservice });
    new ServiceLevelObjectives(this, 'myservice-slo', {
      service: this.myservice,
      availability: { percent: 99.9 },
      latency: { percent: 99, threshold: Duration.millis(300) },
      buckets: [0.05, 0.1, 0.3, 1],
    });
  }
}

// The seed scenario as a platform team writes it in its own cdk8s app: `myservice` in two versions,
// header `version: v2` → v2, everything else 90 % v1 / 10 % v2, STRICT mTLS, only `frontend` may
// call it, scraped by Prometheus under STRICT mTLS, with SLO burn-rate alerts.
import { App, Chart, Duration } from 'cdk8s';
import {
  AuthorizationPolicy, Caller, MeshMonitor, MeshNamespace, MeshService, ServiceLevelObjectives,
  StringMatch, TrafficSplit, Weight,
} from 'cdk8s-mesh';

const app = new App();
const chart = new Chart(app, 'mesh-demo', { namespace: 'mesh-demo', disableResourceNameHashes: true });

// Namespace with istio-injection and a namespace-wide STRICT PeerAuthentication.
new MeshNamespace(chart, 'namespace');

// Listens on :8080, GET /health and GET /ready (the defaults), metrics on GET /metrics.
const myservice = new MeshService(chart, 'myservice', {
  versions: [
    { name: 'v1', image: 'ghcr.io/acme/myservice:1.0.0', replicas: 2 },
    { name: 'v2', image: 'ghcr.io/acme/myservice:2.0.0', replicas: 1 },
  ],
});
const frontend = new MeshService(chart, 'frontend', { versions: [{ name: 'v1', image: 'ghcr.io/acme/frontend:1.0.0' }] });

new TrafficSplit(chart, 'myservice-routing', {
  service: myservice,
  rules: [{ name: 'version-header', matches: [{ headers: { version: StringMatch.exact('v2') } }], destinations: [{ version: 'v2' }] }],
  defaultRoute: {
    destinations: [
      { version: 'v1', weight: Weight.fraction(0.9) },
      { version: 'v2', weight: Weight.fraction(0.1) },
    ],
  },
});

new AuthorizationPolicy(chart, 'myservice-callers', { service: myservice })
  .allow({ from: [Caller.meshService(frontend)], methods: ['GET'], paths: ['/api/users'] });

new MeshMonitor(chart, 'myservice-monitor', { service: myservice });
new ServiceLevelObjectives(chart, 'myservice-slo', {
  service: myservice,
  availability: { percent: 99.9 },
  latency: { percent: 99, threshold: Duration.millis(300) },
  buckets: [0.05, 0.1, 0.3, 1],
});

app.synth();

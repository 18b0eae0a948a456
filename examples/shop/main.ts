// A multi-namespace shop: storefront (web), catalog and payments each in their own namespace and
// chart, calling each other across namespaces under STRICT mTLS with explicit callers; a canary
// of catalog v2; SLOs on payments. Plus objects cdk8s-mesh did not create (a ConfigMap from
// cdk8s-plus, a plain Service with `trafficDistribution`), which the validation plugin in
// cdk8s.yaml checks too — against Kubernetes 1.36, the release this shop's clusters run.
import { ApiObject, App, Chart, Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import {
  AuthorizationPolicy, Caller, HttpMethod, MeshMonitor, MeshNamespace, MeshService, ServiceLevelObjectives,
  StringMatch, TrafficSplit, Weight,
} from 'cdk8s-mesh';

/** One namespace of the shop: the Namespace (enrolled in the mesh, STRICT mTLS) first. */
class ShopNamespace extends Chart {
  public constructor(scope: Construct, namespace: string) {
    super(scope, namespace, { namespace, disableResourceNameHashes: true });
    new MeshNamespace(this, 'namespace');
  }
}

const app = new App();

const catalogNs = new ShopNamespace(app, 'catalog');
const catalog = new MeshService(catalogNs, 'catalog', {
  versions: [
    { name: 'v1', image: 'ghcr.io/acme/catalog:1.4.0', replicas: 3 },
    { name: 'v2', image: 'ghcr.io/acme/catalog:2.0.0-rc.1', replicas: 1 },
  ],
});
// Canary: internal testers (header x-canary: 1) get v2; everyone else 95 / 5.
new TrafficSplit(catalogNs, 'catalog-routing', {
  service: catalog,
  rules: [{ name: 'testers', matches: [{ headers: { 'x-canary': StringMatch.exact('1') } }], destinations: [{ version: 'v2' }] }],
  defaultRoute: {
    destinations: [{ version: 'v1', weight: Weight.percent(95) }, { version: 'v2', weight: Weight.percent(5) }],
    timeout: Duration.seconds(2),
  },
});

const paymentsNs = new ShopNamespace(app, 'payments');
const payments = new MeshService(paymentsNs, 'payments', {
  versions: [{ name: 'v1', image: 'ghcr.io/acme/payments:3.1.0', replicas: 2 }],
});
new MeshMonitor(paymentsNs, 'payments-monitor', { service: payments });
new ServiceLevelObjectives(paymentsNs, 'payments-slo', {
  service: payments,
  availability: { percent: 99.95 },
  latency: { percent: 99, threshold: Duration.millis(500) },
  buckets: [0.1, 0.25, 0.5, 1],
});

const storefrontNs = new ShopNamespace(app, 'storefront');
const web = new MeshService(storefrontNs, 'web', { versions: [{ name: 'v1', image: 'ghcr.io/acme/web:8.2.0', replicas: 2 }] });

// Who may call whom, across namespaces: web reads the catalog and posts payments; nothing else.
new AuthorizationPolicy(catalogNs, 'catalog-callers', { service: catalog })
  .allow({ from: [Caller.meshService(web)], methods: [HttpMethod.GET] });
new AuthorizationPolicy(paymentsNs, 'payments-callers', { service: payments })
  .allow({ from: [Caller.meshService(web)], methods: [HttpMethod.POST], paths: ['/payments'] });

// Objects the package did not create: the plugin validates them as well.
new kplus.ConfigMap(storefrontNs, 'web-config', { metadata: { name: 'web-config' }, data: { CATALOG_URL: 'http://catalog.catalog:8080' } });
new ApiObject(storefrontNs, 'web-zonal', {
  apiVersion: 'v1', kind: 'Service',
  metadata: { name: 'web-zonal' },
  spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 8080 }], trafficDistribution: 'PreferClose' },
});

app.synth();

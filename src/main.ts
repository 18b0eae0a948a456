// The example app that `npm run synth` and `cdk8s synth` run: the seed scenario, once per
// rendering, each in its own folder under dist/ (one GitOps Application per folder).
import { IstioAmbient, IstioRouting, IstioSidecar, Linkerd, Mesh } from './index';
import { MeshDemoChart } from './example';
import { synthRenderings } from './renderings';
import { printSynthReport } from './synth-report';

synthRenderings({
  // Istio sidecar mode, VirtualService + DestinationRule subsets (the default backend).
  'istio-sidecar': (app) => {
    new MeshDemoChart(app);
  },
  // Istio sidecar mode routing with Gateway API HTTPRoute (GAMMA) over per-version Services.
  'istio-sidecar-gateway-api': (app) => {
    Mesh.use(app, new IstioSidecar({ routing: IstioRouting.GATEWAY_API }));
    new MeshDemoChart(app);
  },
  // Istio ambient mode: ztunnel + a waypoint per namespace, HTTPRoute routing, targetRefs policies.
  'istio-ambient': (app) => {
    Mesh.use(app, new IstioAmbient());
    new MeshDemoChart(app);
  },
  // Linkerd: namespace annotations, per-version Services + HTTPRoute, Server + MeshTLSAuthentication
  // + AuthorizationPolicy, the probe and scrape routes the allow-list needs.
  'linkerd': (app) => {
    Mesh.use(app, new Linkerd({ ingressGatewayClass: 'envoy-gateway' }));
    // Linkerd has no ingress of its own: the backend names the cluster's Gateway API ingress controller.
    new MeshDemoChart(app);
  },
});
printSynthReport();

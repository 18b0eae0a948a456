// The example app that `npm run synth` and `cdk8s synth` run: the seed scenario, once per
// rendering, each in its own folder under dist/ (one GitOps Application per folder).
import { IstioRouting, IstioSidecar, Mesh } from './index';
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
});
printSynthReport();

// The example app that `npm run synth` and `cdk8s synth` run: writes dist/mesh-demo.k8s.yaml.
import { MeshDemoChart } from './example';
import { synthAtomically } from './synth';

synthAtomically((app) => {
  new MeshDemoChart(app);
});

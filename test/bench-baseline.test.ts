import { App, Testing, Yaml } from 'cdk8s';
import { build } from '../scripts/bench/workload';

// The benchmark compares MeshService with a hand-written baseline; the comparison is only fair
// while both emit the same bytes.
test('the benchmark baseline emits byte-identical YAML to MeshService', () => {
  const synth = (variant: 'mesh' | 'baseline') => Yaml.stringify(...Testing.synth(build(new App(), variant, 3)));
  const mesh = synth('mesh');
  expect(mesh).toContain('kind: DestinationRule');
  expect(synth('baseline')).toEqual(mesh);
});

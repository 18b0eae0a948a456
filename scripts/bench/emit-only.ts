// Serializing the same objects with cdk8s's Yaml.stringify and with the fast emitter, in one
// process, alternately: `node -r ./scripts/register.js scripts/bench/emit-only.ts [variant] [n] [rounds]`.
// It isolates the emitter from construct building and cdk8s's resolve, which the synth figures include.
import { App, Yaml } from 'cdk8s';
import { stringifyDocuments } from '../../src/emit/yaml';
import { median, spread } from './stats';
import { build, Variant } from './workload';

const [variant = 'mesh', nArg = '1000', roundsArg = '7'] = process.argv.slice(2);
const docs = build(new App({ outdir: 'unused' }), variant as Variant, Number(nArg)).toJson();
const cdk8s: number[] = []; const fast: number[] = [];
const time = (f: () => string, into: number[]) => {
  const t = process.hrtime.bigint();
  const s = f();
  into.push(Number(process.hrtime.bigint() - t) / 1e6);
  return s;
};
for (let i = 0; i < Number(roundsArg); i++) {
  const a = time(() => Yaml.stringify(...docs), cdk8s);
  const b = time(() => stringifyDocuments(docs), fast);
  if (a !== b) throw new Error('the fast emitter differs from Yaml.stringify');
}
console.log(`${variant} N=${nArg}, ${docs.length} objects: cdk8s Yaml.stringify ${spread(cdk8s)}, fast ${spread(fast)}, ratio ${(median(fast) / median(cdk8s)).toFixed(2)}× (identical)`);

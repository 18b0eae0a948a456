import * as fs from 'fs';
import * as YAML from 'yaml';
import { Testing } from 'cdk8s';
import { MeshDemoChart } from '/work/wt-7/src/example';
import { validateManifests, formatValidationErrors } from '/work/wt-7/src';
let t = Date.now();
const r = validateManifests(Testing.synth(new MeshDemoChart(Testing.app())));
console.log('example', r.validated, r.valid, formatValidationErrors(r), Date.now() - t);
const dir = '/work/wt-7/test/vectors/istio-1.30.3/';
t = Date.now();
let ok = 0, bad = 0;
for (const f of fs.readdirSync(dir).filter(f => f.endsWith('.yaml'))) {
  for (const d of YAML.parseAllDocuments(fs.readFileSync(dir + f, 'utf8'))) {
    const o: any = d.toJS(); if (!o) continue;
    const err = o._err; delete o._err;
    const res = validateManifests([o]);
    const expectValid = f.includes('-valid');
    if (res.valid === expectValid) ok++; else { bad++; console.log('MISMATCH', f, o.metadata.name, err, formatValidationErrors(res)); }
    if (!expectValid && process.env.V) console.log(f, o.metadata.name, '|', err, '|', formatValidationErrors(res));
  }
}
console.log(ok, bad, Date.now() - t);

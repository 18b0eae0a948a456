import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Chart } from 'cdk8s';
import { MeshService, synthRenderings } from '../src';
import { MeshDemoChart } from '../src/example';

describe('synthRenderings', () => {
  let dir: string;
  beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'renderings-')); });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
  const tree = (d: string): string[] => fs.readdirSync(d, { recursive: true }).map(String).sort();

  test('writes one folder per rendering', () => {
    synthRenderings({ a: (app) => { new MeshDemoChart(app); }, b: (app) => { new MeshDemoChart(app); } }, path.join(dir, 'out'));
    expect(tree(path.join(dir, 'out'))).toEqual(['a', 'a/mesh-demo.k8s.yaml', 'b', 'b/mesh-demo.k8s.yaml']);
  });

  test('fails when a later rendering fails, leaving the earlier output untouched and no staging folder', () => {
    const out = path.join(dir, 'out');
    synthRenderings({ a: (app) => { new MeshDemoChart(app); } }, out);
    const before = fs.readFileSync(path.join(out, 'a', 'mesh-demo.k8s.yaml'), 'utf8');
    expect(() => synthRenderings({
      a: (app) => { new MeshDemoChart(app, 'changed'); },
      b: (app) => { new MeshService(new Chart(app, 'x'), 'users', { versions: [{ name: 'v1', image: 'x:1' }], port: 0 }); },
    }, out)).toThrow("prop 'port' is 0");
    expect(tree(out)).toEqual(['a', 'a/mesh-demo.k8s.yaml']);
    expect(fs.readFileSync(path.join(out, 'a', 'mesh-demo.k8s.yaml'), 'utf8')).toBe(before);
    expect(fs.readdirSync(dir)).toEqual(['out']);
  });

  test('fails when a folder name is not a plain name', () => {
    expect(() => synthRenderings({ '../up': () => undefined }, path.join(dir, 'out'))).toThrow('folder "../up" is not a lower-case name');
  });
});

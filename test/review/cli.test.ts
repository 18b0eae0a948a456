// The CLI: sides as directories or files, --git, formats, --fail-on exit codes, the bin entry.
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { EXIT, main } from '../../src/review/cli';
import { deleteV1, edited, example, removeV1OneStep, routeAwayFromV1, toYaml } from './history';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'review-cli-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function write(name: string, objects: any[]): string {
  const dir = path.join(tmp, name);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'mesh-demo.k8s.yaml'), toYaml(objects));
  return dir;
}

function run(...argv: string[]): { code: number; out: string; err: string } {
  let out = '';
  let err = '';
  const code = main(argv, { out: (t) => { out += t; }, err: (t) => { err += t; } });
  return { code, out, err };
}

const base = example();
const v0 = write('v0', base);
const oneStep = write('one-step', edited(base, removeV1OneStep));
const step1Objects = edited(base, routeAwayFromV1);
const step1 = write('step1', step1Objects);
const step2 = write('step2', edited(step1Objects, deleteV1));

describe('cdk8s-mesh review', () => {
  test('--fail-on high: non-zero for the one-step removal of a routed version, 0 for each of the two steps', () => {
    const bad = run('review', v0, oneStep, '--fail-on', 'high');
    expect(bad.code).toBe(EXIT.RISK);
    expect(bad.out).toContain('version v1 is removed in the same change');
    expect(run('review', v0, step1, '--fail-on', 'high').code).toBe(EXIT.OK);
    expect(run('review', step1, step2, '--fail-on', 'high').code).toBe(EXIT.OK);
    expect(run('review', v0, step1, '--fail-on', 'medium').code).toBe(EXIT.RISK); // the 90-point shift
  });

  test('Markdown by default: the change in words and the Mermaid diagrams; files work as sides', () => {
    const { code, out } = run('review', path.join(v0, 'mesh-demo.k8s.yaml'), path.join(step1, 'mesh-demo.k8s.yaml'));
    expect(code).toBe(EXIT.OK);
    expect(out).toContain('- routing: default route: v1 90% → 0%, v2 10% → 100%');
    expect(out.match(/```mermaid\nflowchart LR/g)).toHaveLength(2);
  });

  test('--format json and text; --max-shift', () => {
    const json = JSON.parse(run('review', v0, step1, '--format', 'json').out);
    expect(json.risks.map((r: any) => r.id)).toEqual(['large-shift']);
    expect(JSON.parse(run('review', v0, step1, '--format', 'json', '--max-shift', '100').out).risks).toEqual([]);
    expect(run('review', v0, oneStep, '--format', 'text').out).toMatch(/^\[HIGH\] mesh-demo\/myservice: version v1 is removed/m);
  });

  test('bad usage exits 2 with a message that says what to do', () => {
    expect(run('review', v0).code).toBe(EXIT.ERROR);
    const missing = run('review', v0, path.join(tmp, 'nope'));
    expect(missing).toMatchObject({ code: EXIT.ERROR });
    expect(missing.err).toContain('does not exist. Fix:');
    expect(run('review', v0, v0, '--format', 'xml').code).toBe(EXIT.ERROR);
    expect(run('review', v0, v0, '--max-shift', 'lots').err).toContain('between 0 and 100');
    expect(run('review', v0, v0, '--fail-on', 'urgent').code).toBe(EXIT.ERROR);
  });

  test('--git <ref> <path>: the before side is the same path at that revision', () => {
    const repo = path.join(tmp, 'repo');
    fs.mkdirSync(path.join(repo, 'dist'), { recursive: true });
    const git = (...args: string[]): string => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd: repo, encoding: 'utf8' });
    git('init', '-q');
    fs.writeFileSync(path.join(repo, 'dist', 'mesh-demo.k8s.yaml'), toYaml(base));
    git('add', '.');
    git('commit', '-qm', 'v0');
    fs.writeFileSync(path.join(repo, 'dist', 'mesh-demo.k8s.yaml'), toYaml(edited(base, removeV1OneStep)));
    const r = run('review', '--git', 'HEAD', path.join(repo, 'dist'), '--fail-on', 'high');
    expect(r.code).toBe(EXIT.RISK);
    expect(r.out).toContain('version v1 removed');
    expect(run('review', '--git', 'no-such-ref', path.join(repo, 'dist')).err).toContain('Fix: pass a revision that exists');
  });

  test('the bin entry runs from a checkout (help, exit codes)', () => {
    const bin = path.join(__dirname, '..', '..', 'bin', 'cdk8s-mesh.js');
    const help = spawnSync(process.execPath, [bin, 'review', '--help'], { encoding: 'utf8' });
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('Exit codes:');
    expect(spawnSync(process.execPath, [bin, 'review', v0, oneStep, '--fail-on', 'high'], { encoding: 'utf8' }).status).toBe(EXIT.RISK);
  });
});

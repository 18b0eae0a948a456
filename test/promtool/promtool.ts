// Runs Prometheus's own promtool on rule files the package synthesizes. Found at $PROMTOOL, else
// where scripts/install-promtool.sh puts it (.tools/prometheus/usr/bin/promtool), else on PATH.
import { execFile, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as YAML from 'yaml';

/** The promtool binary, or undefined when none is installed. */
export function findPromtool(): string | undefined {
  const candidates = [
    process.env.PROMTOOL,
    path.join(__dirname, '..', '..', '.tools', 'prometheus', 'usr', 'bin', 'promtool'),
    ...(process.env.PATH ?? '').split(path.delimiter).filter(Boolean).map((d) => path.join(d, 'promtool')),
  ];
  return candidates.find((c): c is string => !!c && spawnSync(c, ['--version'], { encoding: 'utf8' }).status === 0);
}

/** promtool's version line, e.g. `promtool, version 2.42.0+ds (…)`. */
export function promtoolVersion(bin: string): string {
  return spawnSync(bin, ['--version'], { encoding: 'utf8' }).stdout.split('\n')[0];
}

export interface PromtoolResult {
  readonly status: number | null;
  readonly output: string;
}

/** A scratch directory for one promtool run; removed by the caller with `rmSync`. */
export function scratch(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-promtool-'));
}

/** Writes `files` (name → object) into `dir` as YAML. */
function writeFiles(dir: string, files: Record<string, unknown>): void {
  for (const [name, content] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), YAML.stringify(content, { lineWidth: 0 }));
}

/** Writes `files` (name → object, written as YAML) into `dir` and runs `promtool <args>` there. */
export function promtool(bin: string, dir: string, files: Record<string, unknown>, args: string[]): PromtoolResult {
  writeFiles(dir, files);
  const r = spawnSync(bin, args, { cwd: dir, encoding: 'utf8', timeout: 60000 });
  return { status: r.status, output: `${r.stdout ?? ''}${r.stderr ?? ''}${r.error ? String(r.error) : ''}` };
}

const queue: Array<() => void> = [];
let running = 0;
/** promtool runs at once: one per core (the promtool layer runs alone, after the main jest run). */
const PARALLEL = Math.max(1, os.availableParallelism());

/**
 * Like {@link promtool} in a scratch directory of its own (removed afterwards), started now and
 * run alongside others, one per core: a test file submits its runs while it is collected and
 * awaits each in its test. Never rejects: a failed run is a non-zero `status`.
 */
export function promtoolAsync(bin: string, files: Record<string, unknown>, args: string[]): Promise<PromtoolResult> {
  return new Promise((resolve) => {
    const start = () => {
      running++;
      const done = (result: PromtoolResult, dir?: string) => {
        if (dir) fs.rmSync(dir, { recursive: true, force: true });
        resolve(result);
        running--;
        queue.shift()?.();
      };
      let dir: string | undefined;
      try {
        dir = scratch();
        writeFiles(dir, files);
        execFile(bin, args, { cwd: dir, encoding: 'utf8', timeout: 60000 }, (error, stdout, stderr) => {
          const status = error ? (typeof error.code === 'number' ? error.code : null) : 0;
          done({ status, output: `${stdout ?? ''}${stderr ?? ''}${error && typeof error.code !== 'number' ? String(error) : ''}` }, dir);
        });
      } catch (e) {
        // Writing the files failed: a failed run, and the queue goes on.
        done({ status: null, output: String(e) }, dir);
      }
    };
    if (running < PARALLEL) start(); else queue.push(start);
  });
}

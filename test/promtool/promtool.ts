// Runs Prometheus's own promtool on rule files the package synthesizes. Found at $PROMTOOL, else
// where scripts/install-promtool.sh puts it (.tools/prometheus/usr/bin/promtool), else on PATH.
import { spawn, spawnSync } from 'child_process';
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

/** One `promtool test rules` case: a rule file and a unit-test file that reads it as `rules.yaml`. */
export interface RuleTest {
  readonly rules: unknown;
  readonly test: unknown;
}

export interface RuleTestResult {
  /** promtool printed `SUCCESS` for this test file. */
  readonly passed: boolean;
  /** What promtool printed for this test file (stdout and stderr in the order written). */
  readonly output: string;
}

/** promtool processes at once: one per core (the promtool files run beside the main run's last files). */
const PARALLEL = Math.max(1, os.availableParallelism());
let pending: Array<{ readonly test: RuleTest; readonly resolve: (r: RuleTestResult) => void }> = [];

/**
 * Runs `promtool test rules` on `test`, batched: every case submitted in the same tick (a test
 * file submits its cases while it is collected) goes into one of {@link PARALLEL} promtool runs
 * (`promtool test rules case-0/test.yaml case-1/test.yaml …`), each case in a folder of its own. One
 * process per case cost ~40 ms of start-up each, as much as the evaluation. Never rejects: a case
 * promtool printed no `SUCCESS` for is `passed: false`.
 */
export function promtoolTestRules(bin: string, test: RuleTest): Promise<RuleTestResult> {
  return new Promise((resolve) => {
    if (pending.length === 0) setImmediate(() => flush(bin));
    pending.push({ test, resolve });
  });
}

function flush(bin: string): void {
  const cases = pending;
  pending = [];
  const batches = Array.from({ length: Math.min(PARALLEL, cases.length) }, (_, b) => cases.filter((_c, i) => i % PARALLEL === b));
  for (const batch of batches) runBatch(bin, batch);
}

/** promtool's report, one section per test file: `Unit Testing:  <file>` then `SUCCESS` or `FAILED:` and what failed. */
function sections(output: string): Map<string, string> {
  const bySection = new Map<string, string>();
  const parts = output.split(/^Unit Testing: +(\S+)$/m);
  for (let i = 1; i < parts.length; i += 2) bySection.set(parts[i], `Unit Testing:  ${parts[i]}${parts[i + 1]}`);
  return bySection;
}

function runBatch(bin: string, batch: typeof pending): void {
  let dir: string | undefined;
  let finished = false;
  const finish = (results: RuleTestResult[]) => {
    if (finished) return;
    finished = true;
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
    batch.forEach((c, i) => c.resolve(results[i]));
  };
  const failAll = (why: string) => finish(batch.map(() => ({ passed: false, output: why })));
  try {
    dir = scratch();
    const files = batch.map((c, i) => {
      const caseDir = path.join(dir!, `case-${i}`);
      fs.mkdirSync(caseDir);
      writeFiles(caseDir, { 'rules.yaml': c.test.rules, 'test.yaml': c.test.test });
      return `case-${i}/test.yaml`;
    });
    // One file for stdout and stderr: promtool prints a file's header on stdout and its failures on
    // stderr, so only the order of writes ties a failure to its test file.
    const outFile = path.join(dir, 'output.txt');
    const fd = fs.openSync(outFile, 'w');
    let child;
    try {
      child = spawn(bin, ['test', 'rules', ...files], { cwd: dir, stdio: ['ignore', fd, fd], timeout: 60000 });
    } finally {
      fs.closeSync(fd);
    }
    child.on('error', (e) => failAll(`promtool did not run: ${e}`));
    child.on('exit', (status, signal) => {
      try {
        const output = fs.readFileSync(outFile, 'utf8');
        const bySection = sections(output);
        // A case's output is its own section only: a case promtool never reached (killed at the
        // timeout, say) must not show another case's FAILED as its own.
        const results = files.map((f) => {
          const section = bySection.get(f);
          if (section === undefined) return { passed: false, output: `promtool printed no result for ${f} (exit ${status ?? signal})` };
          return { passed: /^ {2}SUCCESS$/m.test(section), output: section };
        });
        // promtool fails the run exactly when a file failed: anything else means the report was misread.
        const consistent = (status === 0) === results.every((r) => r.passed);
        finish(consistent ? results : results.map((r) => ({ passed: false, output: `promtool exited ${status ?? signal}, which its report does not explain; this case: ${r.output}` })));
      } catch (e) {
        failAll(`reading promtool's report failed: ${e}`);
      }
    });
  } catch (e) {
    // Writing the files or starting promtool failed: every case of the batch failed.
    failAll(String(e));
  }
}

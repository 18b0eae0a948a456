// test/setup/layered-runner.js: the files that read the run's records start only after every other
// file of the run has finished (jest's own runner does the running; stood in for here).
import * as path from 'path';
import TestRunner from 'jest-runner';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const LayeredRunner = require('./setup/layered-runner') as typeof TestRunner;

const ROOT = path.resolve(__dirname, '..');
const file = (rel: string) => ({ path: path.join(ROOT, rel) }) as any;
const rel = (tests: Array<{ path: string }>) => tests.map((t) => path.relative(ROOT, t.path));

/** The phases LayeredRunner hands to jest's runner, each as the files it holds. */
async function phases(files: string[], interruptAfterFirst = false): Promise<string[][]> {
  const calls: string[][] = [];
  let interrupted = false;
  const spy = jest.spyOn(TestRunner.prototype, 'runTests').mockImplementation(async (tests) => {
    calls.push(rel(tests as any));
    interrupted = interruptAfterFirst;
  });
  try {
    const runner = new LayeredRunner({ maxWorkers: 2 } as any, {});
    await runner.runTests(files.map(file), { isInterrupted: () => interrupted } as any, { serial: false });
  } finally {
    spy.mockRestore();
  }
  return calls;
}

describe('LayeredRunner', () => {
  test("is every npm test project's runner, with no runnerOptions (jest keeps one runner per runner and options: two would run in no set order)", () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const suite = require('../jest.suite.config.js') as { projects: Array<string | Record<string, unknown>> };
    const projects = suite.projects.map((p) => (typeof p === 'string'
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      ? require(p.replace('<rootDir>', ROOT)) as Record<string, unknown>
      : p));
    expect(projects.length).toBeGreaterThanOrEqual(3);
    expect(projects.map((p) => ({ runner: p.runner, runnerOptions: p.runnerOptions }))).toEqual(
      projects.map(() => ({ runner: '<rootDir>/test/setup/layered-runner.js', runnerOptions: undefined })));
  });

  test('runs the server layer and promtool check rules after every other file, in a second phase', async () => {
    expect(await phases([
      'test/server/server.test.ts', 'test/suites/group-1.suite.ts', 'test/promtool/check-rules.test.ts',
      'test/promtool/slo-alerts.test.ts', 'test/suites/group-2.suite.ts',
    ])).toEqual([
      ['test/suites/group-1.suite.ts', 'test/promtool/slo-alerts.test.ts', 'test/suites/group-2.suite.ts'],
      ['test/server/server.test.ts', 'test/promtool/check-rules.test.ts'],
    ]);
  });

  test('one phase when the run holds only one kind (a layer config alone, a group alone)', async () => {
    expect(await phases(['test/server/server.test.ts'])).toEqual([['test/server/server.test.ts']]);
    expect(await phases(['test/suites/group-3.suite.ts'])).toEqual([['test/suites/group-3.suite.ts']]);
  });

  test('an interrupted first phase starts no second', async () => {
    expect(await phases(['test/suites/group-1.suite.ts', 'test/server/server.test.ts'], true)).toEqual([['test/suites/group-1.suite.ts']]);
  });

  test('a file merely named like a reader elsewhere is not one (paths are matched from the repository root)', async () => {
    expect(await phases(['test/review/server/server.test.ts', 'test/check-rules.test.ts'])).toEqual([
      ['test/review/server/server.test.ts', 'test/check-rules.test.ts'],
    ]);
  });
});

// jest runner for `npm test` (jest.suite.config.js) and the layer configs: runs the test files that
// read what the others recorded in .validation/ (the server layer, `promtool check rules` on every
// recorded PrometheusRule) only once every other file of the run has finished — in the same jest
// process, where they used to take a second `jest` run (~1 s of start-up, and one file at a time at
// the end). Everything else is jest's own runner (jest-runner), called once per phase. Every project of
// jest.suite.config.js names this runner (test/layered-runner.test.ts checks): jest keeps one
// runner per runner path, so it sees the whole run. Under `--shard` a shard may hold the readers
// without every spec group: they then read only what that shard recorded.
'use strict';
const path = require('path');
const TestRunner = require('jest-runner').default;

/** Test files that read the run's records (test/validation-hook.ts writes them), by path from the repository root. */
const READS_RECORDS = ['test/server/', 'test/promtool/check-rules.test.ts'];
const ROOT = path.resolve(__dirname, '..', '..');

const readsRecords = (test) => {
  const rel = path.relative(ROOT, test.path).split(path.sep).join('/');
  return READS_RECORDS.some((p) => (p.endsWith('/') ? rel.startsWith(p) : rel === p));
};

class LayeredRunner extends TestRunner {
  async runTests(tests, watcher, options) {
    const recording = tests.filter((t) => !readsRecords(t));
    const reading = tests.filter(readsRecords);
    if (recording.length) await super.runTests(recording, watcher, options);
    if (reading.length && !watcher.isInterrupted()) await super.runTests(reading, watcher, options);
  }
}

module.exports = LayeredRunner;

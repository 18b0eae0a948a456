// jest testEnvironment for the grouped run (jest.suite.config.js, what `npm test` runs): one test
// file there (test/suites/*.suite.ts) holds several spec files, each wrapped in a describe named
// after it (test/suites/groups.ts). Each spec keeps its own snapshot file and snapshot names, as if
// jest had run it alone: at every test start this swaps in the spec's SnapshotState, the test name
// without the spec's describe, and the spec's path as `testPath` (test/validation-hook.ts names its
// records by it). At the end each spec's snapshots are saved and counted into the file's summary.
//
// Why group at all: measured on the 2-core machine, a jest test file costs ~0.7 s before its first
// assertion (a fresh module registry re-evaluates cdk8s, cdk8s-plus-28 and the package, and runs
// them cold); 14 spec files took 16.1 s alone and 6.5 s in one group.
'use strict';
const path = require('path');
const { TestEnvironment } = require('jest-environment-node');
const { SnapshotState } = require('jest-snapshot');

class SuiteEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    this.projectConfig = config.projectConfig;
    this.globalConfig = config.globalConfig;
    /** describe name of a spec → its absolute path; filled by test/suites/groups.ts. */
    this.specs = new Map();
    /** absolute spec path → its SnapshotState, created on the spec's first test. */
    this.snapshots = new Map();
    this.global.__meshSuiteSpecs = this.specs;
  }

  /** The spec describe a test belongs to, and the test's name below it. */
  specOf(test) {
    const names = [];
    for (let block = test; block; block = block.parent) names.unshift(block.name);
    names.shift(); // ROOT_DESCRIBE_BLOCK
    const spec = this.specs.get(names[0]);
    return spec ? { spec, name: names.slice(1).join(' ') } : undefined;
  }

  snapshotStateFor(spec) {
    let state = this.snapshots.get(spec);
    if (!state) {
      const p = this.projectConfig;
      const file = path.join(path.dirname(spec), '__snapshots__', `${path.basename(spec)}.snap`);
      state = new SnapshotState(file, {
        expand: this.globalConfig.expand, prettierPath: p.prettierPath, rootDir: p.rootDir,
        snapshotFormat: p.snapshotFormat, updateSnapshot: this.globalConfig.updateSnapshot,
      });
      this.snapshots.set(spec, state);
    }
    return state;
  }

  /** The test id jest-circus reports, without the spec's describe (as when the spec runs alone). */
  withoutSpec(id) {
    if (typeof id !== 'string') return id;
    for (const name of this.specs.keys()) if (id.startsWith(`${name} `)) return id.slice(name.length + 1);
    return id;
  }

  async handleTestEvent(event, state) {
    const expect = this.global.expect;
    if (event.name === 'run_start') {
      // A test.only in one spec would silently skip every other spec of its group.
      if (state.hasFocusedTests) state.unhandledErrors.push(new Error('test.only / describe.only in a spec of a grouped run (jest.suite.config.js) skips the other specs of its group: run that spec alone with `npx jest <file>` instead'));
    } else if (event.name === 'run_describe_start') {
      // beforeAll hooks of a spec see its path, as they would alone (test/validation-hook.ts names records by it).
      const block = event.describeBlock;
      if (block.parent?.name === 'ROOT_DESCRIBE_BLOCK' && this.specs.has(block.name)) expect.setState({ testPath: this.specs.get(block.name) });
    } else if (event.name === 'test_start') {
      const found = this.specOf(event.test);
      if (!found) return;
      const current = expect.getState();
      this.fileSnapshotState ??= current.snapshotState;
      // jest-snapshot names a snapshot by currentConcurrentTestName() (jest-circus's lookup of the
      // test running now, also right for test.concurrent) else by currentTestName: both without
      // the spec's describe.
      this.jestConcurrentName ??= current.currentConcurrentTestName;
      const jestName = this.jestConcurrentName;
      expect.setState({
        currentTestName: found.name,
        currentConcurrentTestName: jestName ? () => this.withoutSpec(jestName()) : undefined,
        testPath: found.spec, snapshotState: this.snapshotStateFor(found.spec),
      });
    } else if (event.name === 'test_done' || event.name === 'test_skip' || event.name === 'test_todo') {
      // As jest does for a file (_addSnapshotData): the snapshots of a failed, skipped or
      // filtered-out test are not obsolete, so `-u` must not remove them.
      const found = this.specOf(event.test);
      const failed = event.name === 'test_done' && event.test.errors.length > 0;
      if (found && (failed || event.name !== 'test_done')) this.snapshotStateFor(found.spec).markSnapshotsAsCheckedForTest(found.name);
    } else if (event.name === 'run_finish') {
      const summary = this.fileSnapshotState;
      for (const [spec, state] of this.snapshots) {
        // Obsolete snapshots count (and, without -u, fail --ci) as they do when the spec runs alone.
        if (summary && summary !== state) for (const key of state.getUncheckedKeys()) summary._uncheckedKeys.add(`${path.relative(this.projectConfig.rootDir, spec)} › ${key}`);
        state.removeUncheckedKeys(); // only with -u (updateSnapshot 'all'), as jest does
        state.save();
        if (summary && summary !== state) {
          for (const k of ['added', 'matched', 'unmatched', 'updated']) summary[k] += state[k];
        }
      }
    }
  }
}

module.exports = SuiteEnvironment;

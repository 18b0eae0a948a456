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

  async handleTestEvent(event) {
    if (event.name === 'test_start') {
      const found = this.specOf(event.test);
      if (!found) return;
      const expect = this.global.expect;
      this.fileSnapshotState ??= expect.getState().snapshotState;
      // jest-snapshot names a snapshot by currentConcurrentTestName() when set (jest-circus sets it
      // for every test), else by currentTestName: both are the name below the spec's describe.
      expect.setState({
        currentTestName: found.name, currentConcurrentTestName: () => found.name,
        testPath: found.spec, snapshotState: this.snapshotStateFor(found.spec),
      });
    } else if (event.name === 'run_finish') {
      const summary = this.fileSnapshotState;
      for (const state of this.snapshots.values()) {
        if (this.globalConfig.updateSnapshot === 'all') state.removeUncheckedKeys();
        state.save();
        if (summary && summary !== state) {
          for (const k of ['added', 'matched', 'unmatched', 'updated']) summary[k] += state[k];
        }
      }
    }
  }
}

module.exports = SuiteEnvironment;

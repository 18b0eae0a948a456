// What `npm test` runs, in one jest process on both cores:
// - every spec file jest.config.js runs, grouped a few per test file (test/suites/groups.ts) so each
//   jest module registry serves several specs. Snapshots, names and hooks stay per spec
//   (test/setup/suite-environment.js). `npx jest <file>` (jest.config.js) still runs one spec alone;
// - Prometheus's own rule engine on the SLO alerts (jest.promtool.config.js);
// - then, once those have finished, the files that read what they recorded in .validation/:
//   `promtool check rules` on every recorded PrometheusRule and the server layer
//   (test/setup/layered-runner.js orders the two phases).
const base = require('./jest.config');

const { maxWorkers, ...project } = base;

/** @type {import('jest').Config} */
module.exports = {
  maxWorkers,
  projects: [
    {
      ...project,
      rootDir: __dirname,
      testMatch: ['<rootDir>/test/suites/*.suite.ts'],
      testPathIgnorePatterns: ['/node_modules/'],
      testEnvironment: '<rootDir>/test/setup/suite-environment.js',
      runner: '<rootDir>/test/setup/layered-runner.js',
    },
    '<rootDir>/jest.promtool.config.js',
    '<rootDir>/jest.server.config.js',
  ],
};

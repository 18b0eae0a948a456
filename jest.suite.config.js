// What `npm test` runs: the same spec files as jest.config.js, grouped a few per test file
// (test/suites/groups.ts) so each jest module registry serves several specs. Snapshots, names and
// hooks stay per spec (test/setup/suite-environment.js). `npx jest <file>` (jest.config.js) still
// runs one spec in isolation.
const base = require('./jest.config');

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  testMatch: ['<rootDir>/test/suites/*.suite.ts'],
  testPathIgnorePatterns: ['/node_modules/'],
  testEnvironment: '<rootDir>/test/setup/suite-environment.js',
};

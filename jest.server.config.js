// The server validation layer (test/server/): runs after the specs (in npm test, the same jest run), whose hook recorded
// the synthesized custom resources in .validation/. Without KUBECONFIG / CRD_TEST_SERVER_URL it
// reports that it skipped.
const base = require('./jest.config');

/** @type {import('jest').Config} */
module.exports = {
  roots: ['<rootDir>/test/server'],
  testMatch: ['**/*.test.ts'],
  transform: base.transform,
  testEnvironment: 'node',
  // Alone (npm run test:*). In npm test's multi-project run jest reads only the root testTimeout
  // (jestjs/jest#9696), so each file also sets its own with jest.setTimeout.
  testTimeout: 120000,
  // Files reading the main run's records go after the others (test/setup/layered-runner.js).
  runner: '<rootDir>/test/setup/layered-runner.js',
};

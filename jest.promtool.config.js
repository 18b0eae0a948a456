// Prometheus's own rule engine (test/promtool/): check-rules runs after the specs (in npm test, the same jest run), whose hook recorded
// every PrometheusRule the tests synthesized in .validation/. Without promtool
// (scripts/install-promtool.sh installs it) it reports that it skipped; .ci/run sets
// MESH_REQUIRE_PROMTOOL=1, which turns the skip into a failure.
const base = require('./jest.config');

/** @type {import('jest').Config} */
module.exports = {
  roots: ['<rootDir>/test/promtool'],
  testMatch: ['**/*.test.ts'],
  transform: base.transform,
  testEnvironment: 'node',
  // Alone (npm run test:*). In npm test's multi-project run jest reads only the root testTimeout
  // (jestjs/jest#9696), so each file also sets its own with jest.setTimeout.
  testTimeout: 60000,
  // Files reading the main run's records go after the others (test/setup/layered-runner.js).
  runner: '<rootDir>/test/setup/layered-runner.js',
};

// Prometheus's own rule engine (test/promtool/): runs after the main jest run, whose hook recorded
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
  testTimeout: 60000,
};

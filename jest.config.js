/** @type {import('jest').Config} */
module.exports = {
  // Rooted at test/ so compiled output in lib/ is never collected twice.
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // The server layer and promtool have configs of their own (jest.server.config.js, jest.promtool.config.js); npm test runs them in its jest process (jest.suite.config.js).
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/server/', '<rootDir>/test/promtool/'],
  // @swc/jest only transpiles (the fastest measured path); `npm test` type-checks with tsc first.
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022' } }] },
  testEnvironment: 'node',
  // Both cores (jest's default is cores - 1, i.e. one worker here). The validator's cache
  // (.validation/cache, see test/validation-hook.ts) is shared by the workers.
  maxWorkers: 2,
  // Every synthesized chart is validated against the schemas (test/validation-hook.ts).
  setupFilesAfterEnv: ['<rootDir>/test/setup/validate-synth.ts', '<rootDir>/test/setup/emit-identity.ts'],
  globalSetup: '<rootDir>/test/setup/global-setup.js',
  globalTeardown: '<rootDir>/test/setup/global-teardown.js',
};

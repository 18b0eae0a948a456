/** @type {import('jest').Config} */
module.exports = {
  // Rooted at test/ so compiled output in lib/ is never collected twice.
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // @swc/jest only transpiles (the fastest measured path); `npm test` type-checks with tsc first.
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022' } }] },
  testEnvironment: 'node',
};

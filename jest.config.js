/**
 * `npm test` runs every tier; `npm run test:unit` and `npm run test:terraform` split them. Two workers at least: jest's
 * default (cores - 1) runs a 2-core machine in band, so the unit suites would wait while the Terraform tier waits on
 * terraform child processes; with two, they overlap. Stryker's areas override this (one worker).
 */
const { availableParallelism } = require('node:os');
const swc = ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } }];
module.exports = {
  testEnvironment: 'node',
  maxWorkers: Math.max(2, availableParallelism() - 1),
  transform: { '^.+\\.ts$': swc },
  // Jest's transform cache in the project (git-ignored with node_modules), not /tmp/jest_<uid>: a test run leaves
  // nothing in the system temp directory (tsx's compile cache, tsx-<uid>, is the one reused entry there).
  cacheDirectory: '<rootDir>/node_modules/.cache/jest',
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  // The emulated tier has its own command and config (npm run test:emulated, jest.emulated.config.js).
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/emulated/'],
  setupFilesAfterEnv: ['<rootDir>/test/setup.ts'],
  // Every test's temporary files live in one per-run directory that is removed at the end (test/global-tmpdir.ts).
  globalSetup: '<rootDir>/test/global-setup.ts',
  globalTeardown: '<rootDir>/test/global-teardown.ts',
  // reports/ holds Stryker's sandboxes (copies of the repository) while `npm run mutate` runs.
  modulePathIgnorePatterns: ['<rootDir>/cdktf.out', '<rootDir>/reports'],
};

/** Unit and rules tiers run in parallel; the Terraform tier (test/terraform) is slow and runs alone via `npm run test:terraform`. */
const swc = ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } }];
module.exports = {
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': swc },
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  setupFilesAfterEnv: ['<rootDir>/test/setup.ts'],
  // Every test's temporary files live in one per-run directory that is removed at the end (test/global-tmpdir.ts).
  globalSetup: '<rootDir>/test/global-setup.ts',
  globalTeardown: '<rootDir>/test/global-teardown.ts',
  // reports/ holds Stryker's sandboxes (copies of the repository) while `npm run mutate` runs.
  modulePathIgnorePatterns: ['<rootDir>/cdktf.out', '<rootDir>/reports'],
};

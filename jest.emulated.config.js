/**
 * `npm run test:emulated`: the platform's whole life against the emulated AWS (test/emulated/, docs/emulated-aws.md).
 * In band: the tier is one ordered story, and Terraform already keeps the 2 cores busy.
 */
const base = require('./jest.config');

module.exports = {
  ...base,
  maxWorkers: 1,
  testMatch: ['<rootDir>/test/emulated/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/'],
};

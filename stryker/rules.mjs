import { area } from './base.mjs';

export default area('rules', {
  mutate: ['tools/rules/policy.ts', 'tools/rules/context.ts', 'tools/rules/helpers.ts'],
  tests: ['test/rules/**/*.test.ts'],
  cdktfMatchers: false,
});

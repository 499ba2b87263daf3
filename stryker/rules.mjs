import { area } from './base.mjs';

export default area('rules', {
  mutate: ['tools/rules/policy.ts', 'tools/rules/context.ts', 'tools/rules/helpers.ts'],
  // The unit tests of the rules; fixture-platform.test.ts (every rule over the synthesized fixture platform) would add
  // a synthesis to every mutant's run, and the rules' behaviour is pinned case by case in the others.
  tests: ['test/tools/rules/!(fixture-platform).test.ts', 'test/tools/rules/checks/*.test.ts'],
  cdktfMatchers: false,
});

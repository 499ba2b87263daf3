import { area } from './base.mjs';

export default area('rules', {
  mutate: ['tools/rules/policy.ts', 'tools/rules/context.ts', 'tools/rules/helpers.ts'],
  // The unit tests of the rules; example.test.ts (every rule over the synthesized example) would add a synthesis of
  // the example to every mutant's run, and the rules' behaviour is pinned case by case in the others.
  tests: ['test/rules/!(example).test.ts'],
  cdktfMatchers: false,
});

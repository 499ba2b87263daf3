import { area } from './base.mjs';

// The whole plan review: levels, change detection (plan and --base), cost, synth index, review rendering and the runner.
export default area('plan-review', {
  mutate: ['tools/plan-review/*.ts'],
  tests: ['test/tools/plan-review/**/*.test.ts'],
  // No plan-review test uses cdktf's matchers; skipping them saves about a second per mutant.
  cdktfMatchers: false,
});

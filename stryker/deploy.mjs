import { area } from './base.mjs';

// The bootstrap/apply decisions: apply order, the stale-contract stop, what to wait for and what a status means,
// command lines, and what bootstrap creates per account. The SDK adapter (sdk.ts), the wiring (run.ts,
// decommission.ts, wiring.ts) and bootstrap's main() only do I/O and are left to the Terraform tier.
export default area('deploy', {
  mutate: [
    'tools/apply/flow.ts',
    'tools/apply/waiter.ts',
    'tools/apply/targets.ts',
    // From the option types on: the specs above are help text (static mutants would re-run every test).
    'tools/apply/options.ts:38-89',
    'tools/apply/wait.ts',
    'model/bootstrap.ts',
    // The argument checks, order and output, not the help text above them nor main() below (synth/terraform I/O).
    'tools/bootstrap.ts:40-97',
  ],
  tests: [
    'test/apply/decisions.test.ts',
    'test/apply/flow.test.ts',
    'test/apply/wait.test.ts',
    'test/apply/options.test.ts',
    'test/bootstrap/config.test.ts',
    'test/bootstrap/tool.test.ts',
    'test/bootstrap/iam.test.ts',
    'test/bootstrap/plan.test.ts',
  ],
  cdktfMatchers: false,
});

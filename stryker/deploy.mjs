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
    'test/tools/apply/decisions.test.ts',
    'test/tools/apply/flow.test.ts',
    'test/tools/apply/wait.test.ts',
    'test/tools/apply/options.test.ts',
    'test/model/bootstrap.test.ts',
    'test/tools/bootstrap.test.ts',
    'test/constructs/bootstrap/iam.test.ts',
    'test/tools/bootstrap-plan.test.ts',
  ],
  cdktfMatchers: false,
});

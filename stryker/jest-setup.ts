// Loaded only in Stryker runs (stryker/base.mjs): a property that fails stops at its first counterexample instead of
// shrinking it, since a mutant only needs to be detected, not explained. Same runs, same seeds otherwise.
import fc from 'fast-check';

fc.configureGlobal({ ...fc.readConfigureGlobal(), endOnFailure: true });

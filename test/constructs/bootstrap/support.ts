import { Testing } from 'cdktf';
import { bootstrapPlan, validateBootstrap, type BootstrapPlan } from '../../../model/bootstrap';
import { loadPlatformConfig } from '../../../model/load';
import { BootstrapStack } from '../../../stacks/bootstrap-stack';
import { FIXTURE_CONFIG, fixtureConfigWith, type ConfigEdits } from '../../support/config-fixture';

export const OWNER = '111111111111';
export const ANALYTICS = '222222222222';
export const MARKETING = '333333333333';

/** The bootstrap plan of the example (or of an edited copy); throws on validation problems. */
export function planOf(edits?: ConfigEdits): BootstrapPlan {
  const dir = edits ? fixtureConfigWith(edits) : FIXTURE_CONFIG;
  const config = loadPlatformConfig(dir, { ownerOnly: true });
  const problems = validateBootstrap(config);
  if (problems.length > 0) throw new Error(problems.map((p) => `${p.path}: ${p.message}`).join('\n'));
  return bootstrapPlan(config);
}

/** Synthesized bootstrap stack of one account, offline like the Terraform tier. */
export function synthBootstrap(plan: BootstrapPlan, accountId: string): any {
  const account = plan.accounts.find((a) => a.accountId === accountId)!;
  const stack = new BootstrapStack(Testing.app(), { plan, account, mode: 'offline-preview' });
  return JSON.parse(Testing.synth(stack));
}

export const resources = (tf: any, type: string): any[] => Object.values(tf.resource?.[type] ?? {});
export const one = (tf: any, type: string): any => {
  const found = resources(tf, type);
  if (found.length !== 1) throw new Error(`expected one ${type}, found ${found.length}`);
  return found[0];
};

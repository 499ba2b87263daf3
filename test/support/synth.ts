import { Testing } from 'cdktf';
import type { TerraformStack } from 'cdktf';
import type { PlatformConfig } from '../../model/model';
import type { ProviderMode } from '../../constructs/common/account-provider';
import { OwnerStack } from '../../stacks/owner-stack';
import { ParticipantStack } from '../../stacks/participant-stack';

export interface SynthesizedStack {
  /** The stack JSON as a string, for cdktf's matchers. */
  readonly json: string;
  /** The parsed stack JSON, for exact assertions. */
  readonly tf: any;
}

function synthesize(stack: TerraformStack): SynthesizedStack {
  const json = Testing.synth(stack);
  return { json, tf: JSON.parse(json) };
}

export function synthOwner(config: PlatformConfig, mode: ProviderMode = 'real'): SynthesizedStack {
  return synthesize(new OwnerStack(Testing.app(), { config, mode }));
}

export function synthParticipant(config: PlatformConfig, team: string, mode: ProviderMode = 'real'): SynthesizedStack {
  const teamConfig = config.teams.find((t) => t.team === team);
  if (!teamConfig || !config.contract) throw new Error(`no team ${team} or no contract in the test config`);
  return synthesize(new ParticipantStack(Testing.app(), { config, team: teamConfig, contract: config.contract, mode }));
}

/** All resources of one type, by construct-derived id. */
export function resourcesOf(tf: any, type: string): Record<string, any> {
  return tf.resource?.[type] ?? {};
}

export function only(tf: any, type: string): any {
  const all = Object.values(resourcesOf(tf, type));
  if (all.length !== 1) throw new Error(`expected exactly one ${type}, found ${all.length}`);
  return all[0];
}

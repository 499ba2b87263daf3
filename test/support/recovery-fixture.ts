import { readFileSync, writeFileSync } from 'node:fs';
import { parse } from 'yaml';
import { join } from 'node:path';
import { RECOVERY_CONTRACT_FILE } from '../../model/contract';
import { loadPlatformConfig } from '../../model/load';
import { platformSchema } from '../../model/schema/platform';
import type { PlatformConfig } from '../../model/model';
import type { RecoveryMode } from '../../model/schema/environment';
import { exampleContract } from '../../tools/publish-network';
import { fixtureConfigWith, type ConfigEdits } from './config-fixture';

/** The recovery section the recovery tests use: us-west-2, a created VPC that does not overlap any fixture's primary. */
export const RECOVERY_SECTION = {
  region: 'us-west-2',
  network: {
    create: {
      cidr: '10.50.0.0/16',
      availabilityZones: ['us-west-2a', 'us-west-2b'],
      privateSubnetCidrs: ['10.50.0.0/20', '10.50.16.0/20'],
    },
  },
};

export interface RecoveryEdits extends ConfigEdits {
  /** Recovery mode per team file and environment name. @default analytics' first environment warm-standby, marketing's backup-restore */
  readonly modes?: Readonly<Record<string, Readonly<Record<string, RecoveryMode>>>>;
}

const DEFAULT_MODES: Readonly<Record<string, Readonly<Record<string, RecoveryMode>>>> = {
  analytics: { 'analytics-prod': 'warm-standby' },
  marketing: { 'marketing-campaigns': 'backup-restore' },
};

/**
 * A copy of the fixture platform with platform.yaml's `recovery` set to {@link RECOVERY_SECTION}, the given environments asking
 * for recovery and a placeholder recovery contract published for it, as `npm run publish-network -- --recovery --example`
 * would write. Returns the configuration directory.
 */
export function recoveryConfigWith(edits: RecoveryEdits = {}): string {
  const modes = edits.modes ?? DEFAULT_MODES;
  const teams: Record<string, (team: any) => void> = {};
  for (const name of new Set([...Object.keys(modes), ...Object.keys(edits.teams ?? {})])) {
    teams[name] = (team) => {
      for (const env of team.environments ?? []) {
        delete env.recovery;
        const mode = modes[name]?.[env.name];
        if (mode) env.recovery = mode;
      }
      edits.teams?.[name]?.(team);
    };
  }
  const dir = fixtureConfigWith({
    ...edits,
    // The recovery section leaves the primary contract's fingerprint as it is; only the caller's edits may not.
    republishContract: edits.republishContract ?? edits.platform !== undefined,
    teams,
    platform: (p) => {
      p.recovery = structuredClone(RECOVERY_SECTION);
      edits.platform?.(p);
    },
  });
  // Read without validating the teams: negative tests publish for a configuration whose team files are wrong.
  const platform = platformSchema.parse(parse(readFileSync(join(dir, 'platform.yaml'), 'utf8')));
  writeFileSync(join(dir, RECOVERY_CONTRACT_FILE), JSON.stringify(exampleContract(platform, 'recovery'), null, 2));
  return dir;
}

export const loadRecoveryExample = (edits: RecoveryEdits = {}): PlatformConfig => loadPlatformConfig(recoveryConfigWith(edits));

import { App } from 'cdktf';
import { recoveredEnvironments, type PlatformConfig, type TerraformRole } from '../model/model';
import type { ProviderMode } from '../constructs/common/account-provider';
import { REPO_ROOT_CONTEXT } from '../constructs/common/state-backend';
import { OwnerStack } from './owner-stack';
import { ParticipantStack, reconcileRoleHolders } from './participant-stack';
import { failoverListProblems } from '../model/recovery';
import { RecoveryStack } from './recovery-stack';
import { assertUniqueNames } from './unique-names';

export interface BuildAppOptions {
  readonly outdir: string;
  /** @default 'real' */
  readonly mode?: ProviderMode;
  /** @default 'deploy' */
  readonly terraformRole?: TerraformRole;
  /**
   * `recovery`: only the recovery region's stacks, which read nothing of the primary region (a regional outage's
   * plan and apply); `primary`: only the primary region's.
   * @default 'all'
   */
  readonly regions?: 'all' | 'primary' | 'recovery';
  /** Backup-restore environments being failed over, as `team/environment`: their recovery stacks create them. @default none */
  readonly failover?: readonly string[];
}

/**
 * Builds every stack from a validated configuration. Participant stacks need the network contract. Throws
 * `DuplicateNameError` (before anything is written) when two declarations share a name AWS keeps unique.
 */
export function buildApp(config: PlatformConfig, options: BuildAppOptions): App {
  const app = new App({ outdir: options.outdir, skipValidation: false, context: { [REPO_ROOT_CONTEXT]: config.repoRoot } });
  const { mode, terraformRole } = options;
  const regions = options.regions ?? 'all';
  const failoverProblems = failoverListProblems(config.teams, options.failover ?? []);
  if (failoverProblems.length > 0) throw new Error(failoverProblems.join('\n'));
  if (regions !== 'recovery') {
    new OwnerStack(app, { config, mode, terraformRole });
    if (config.contract) {
      const holders = reconcileRoleHolders(config.teams);
      for (const team of config.teams) {
        new ParticipantStack(app, {
          config,
          team,
          contract: config.contract,
          mode,
          terraformRole,
          holdsReconcileRole: holders.has(team.team),
        });
      }
    }
  }
  if (regions !== 'primary' && config.platform.recovery) {
    new OwnerStack(app, { config, mode, terraformRole, site: 'recovery' });
    if (config.recoveryContract) {
      const recovering = config.teams.filter((t) => recoveredEnvironments(t).length > 0);
      const holders = reconcileRoleHolders(recovering);
      for (const team of recovering) {
        new RecoveryStack(app, {
          config,
          team,
          recoveryContract: config.recoveryContract,
          mode,
          terraformRole,
          holdsReconcileRole: holders.has(team.team),
          failoverEnvironments: (options.failover ?? [])
            .filter((f) => f.startsWith(`${team.team}/`))
            .map((f) => f.slice(team.team.length + 1)),
        });
      }
    }
  }
  assertUniqueNames(app);
  return app;
}

import { App } from 'cdktf';
import type { PlatformConfig, TerraformRole } from '../model/model';
import type { ProviderMode } from '../constructs/common/account-provider';
import { REPO_ROOT_CONTEXT } from '../constructs/common/state-backend';
import { OwnerStack } from './owner-stack';
import { ParticipantStack, reconcileRoleHolders } from './participant-stack';
import { assertUniqueNames } from './unique-names';

export interface BuildAppOptions {
  readonly outdir: string;
  /** @default 'real' */
  readonly mode?: ProviderMode;
  /** @default 'deploy' */
  readonly terraformRole?: TerraformRole;
}

/**
 * Builds every stack from a validated configuration. Participant stacks need the network contract. Throws
 * `DuplicateNameError` (before anything is written) when two declarations share a name AWS keeps unique.
 */
export function buildApp(config: PlatformConfig, options: BuildAppOptions): App {
  const app = new App({ outdir: options.outdir, skipValidation: false, context: { [REPO_ROOT_CONTEXT]: config.repoRoot } });
  const { mode, terraformRole } = options;
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
  assertUniqueNames(app);
  return app;
}

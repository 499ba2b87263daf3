/**
 * Which environment a command talks to, in which region, as which role: resolved from the team
 * configuration, with flags overriding.
 */
import type { EnvironmentConfig, PlatformConfig, PlatformFile, TeamConfig } from '../model/model';
import { REGION, iamRoleArn, partitionOf } from '../contracts/aws';
import { teamAccessRoleName, teamResourcePrefix } from '../contracts/names';
import { UsageError } from './errors';
import type { TargetOptions } from './args';

/**
 * The team's access role, created by the participant stack and trusted by `access.principals`; its name
 * comes from contracts/names.ts, which the construct uses too.
 */
export function teamAccessRoleArn(
  platform: Pick<PlatformFile, 'platform' | 'region'>,
  team: Pick<TeamConfig, 'team' | 'accountId'>,
): string {
  return iamRoleArn(partitionOf(platform.region), team.accountId, teamAccessRoleName(teamResourcePrefix(platform.platform, team.team)));
}

export interface Target {
  readonly team: string;
  readonly accountId: string;
  readonly environment: EnvironmentConfig;
  readonly region: string;
  /** Role to assume before asking for tokens; undefined means "use the current credentials as they are". */
  readonly roleArn?: string;
  readonly privateWebserver: boolean;
}

/** Looks the team and environment up and applies `--region`, `--role` and `--no-role`. */
export function resolveTarget(
  config: Pick<PlatformConfig, 'platform' | 'teams'>,
  options: Pick<TargetOptions, 'team' | 'env' | 'region' | 'role'>,
): Target {
  const team = config.teams.find((t) => t.team === options.team);
  if (!team) {
    const known = config.teams.map((t) => t.team).join(', ') || 'none';
    throw new UsageError(`unknown team "${options.team}"`, `teams in this configuration: ${known} (each is a file in config/teams/)`);
  }
  const environment = team.environments.find((e) => e.name === options.env);
  if (!environment) {
    const known = team.environments.map((e) => e.name).join(', ') || 'none';
    throw new UsageError(
      `team "${team.team}" has no environment "${options.env}"`,
      `environments of ${team.team}: ${known} (environments[].name in ${team.file})`,
    );
  }
  if (options.region !== undefined && !REGION.test(options.region))
    throw new UsageError(`--region must be a region name such as eu-west-1, got "${options.region}"`);
  const region = options.region ?? config.platform.region;
  // Without access.principals the stack has nobody to trust, so there is no access role to assume.
  const roleArn =
    options.role === null
      ? undefined
      : (options.role ?? (team.access ? teamAccessRoleArn({ ...config.platform, region }, team) : undefined));
  return {
    team: team.team,
    accountId: team.accountId,
    environment,
    region,
    roleArn,
    privateWebserver: environment.webserverAccessMode === 'PRIVATE_ONLY',
  };
}

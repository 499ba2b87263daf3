/**
 * Which environment a command talks to, in which region, as which role: resolved from the team
 * configuration, with flags overriding.
 */
import type { EnvironmentConfig, PlatformConfig, PlatformFile, TeamConfig } from '../../config/model';
import { partitionOf } from '../../config/model';
import { teamAccessRoleName } from '../../constructs/mwaa/team-access-role';
import { UsageError } from './errors';
import type { TargetOptions } from './args';

/**
 * The team's access role, created by the participant stack (constructs/mwaa/team-access-role.ts) and
 * trusted by `access.principals`. The CLI's single place for the name; it mirrors the construct:
 * `<platform>-<team>-airflow-access`, shortened with a hash past 64 characters like every bounded name.
 */
export function teamAccessRoleArn(platform: Pick<PlatformFile, 'platform' | 'region'>, team: Pick<TeamConfig, 'team' | 'accountId'>): string {
  return `arn:${partitionOf(platform.region)}:iam::${team.accountId}:role/${teamAccessRoleName(`${platform.platform}-${team.team}`)}`;
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

const REGION = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/;

/** Looks the team and environment up and applies `--region`, `--role` and `--no-role`. */
export function resolveTarget(config: Pick<PlatformConfig, 'platform' | 'teams'>, options: Pick<TargetOptions, 'team' | 'env' | 'region' | 'role'>): Target {
  const team = config.teams.find((t) => t.team === options.team);
  if (!team) {
    const known = config.teams.map((t) => t.team).join(', ') || 'none';
    throw new UsageError(`unknown team "${options.team}"`, `teams in this configuration: ${known} (each is a file in config/teams/)`);
  }
  const environment = team.environments.find((e) => e.name === options.env);
  if (!environment) {
    const known = team.environments.map((e) => e.name).join(', ') || 'none';
    throw new UsageError(`team "${team.team}" has no environment "${options.env}"`, `environments of ${team.team}: ${known} (environments[].name in ${team.file})`);
  }
  if (options.region !== undefined && !REGION.test(options.region)) throw new UsageError(`--region must be a region name such as eu-west-1, got "${options.region}"`);
  const region = options.region ?? config.platform.region;
  // Without access.principals the stack has nobody to trust, so there is no access role to assume.
  const roleArn = options.role === null ? undefined : options.role ?? (team.access ? teamAccessRoleArn({ ...config.platform, region }, team) : undefined);
  return {
    team: team.team,
    accountId: team.accountId,
    environment,
    region,
    roleArn,
    privateWebserver: environment.webserverAccessMode === 'PRIVATE_ONLY',
  };
}

import type { PlatformFile } from '../schema/platform';
import type { TeamConfig } from '../model';
import type { ConfigProblem } from '../errors';

/**
 * Checks that span team files: unique team names, file name = team name, no team in the owner
 * account, environment names unique per account, the platform's quota and webserver policy.
 */
export function validateTeams(platform: PlatformFile, teams: readonly TeamConfig[]): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const teamByName = new Map<string, TeamConfig>();
  const envOwner = new Map<string, { team: TeamConfig; index: number }>();

  for (const team of teams) {
    const expectedFile = `${team.team}.yaml`;
    const base = team.file.split(/[\\/]/).pop()!;
    if (base !== expectedFile && base !== `${team.team}.yml`) {
      problems.push({ file: team.file, path: 'team', message: `team "${team.team}" must live in a file named ${expectedFile}` });
    }
    const other = teamByName.get(team.team);
    if (other) problems.push({ file: team.file, path: 'team', message: `team name "${team.team}" is already used by ${other.file}` });
    teamByName.set(team.team, team);

    if (team.accountId === platform.owner.accountId) {
      problems.push({ file: team.file, path: 'accountId', message: `${team.accountId} is the owner (network) account; participants must use their own accounts` });
    }

    if (team.environments.length > platform.mwaa.maxEnvironmentsPerTeam) {
      problems.push({
        file: team.file,
        path: 'environments',
        message: `${team.environments.length} environments requested; the platform allows at most ${platform.mwaa.maxEnvironmentsPerTeam} per team (mwaa.maxEnvironmentsPerTeam in platform.yaml)`,
      });
    }

    team.environments.forEach((env, index) => {
      const key = `${team.accountId}/${env.name}`;
      const previous = envOwner.get(key);
      if (previous) {
        const where = previous.team === team ? `environments[${previous.index}]` : `${previous.team.file} environments[${previous.index}]`;
        problems.push({
          file: team.file,
          path: `environments[${index}].name`,
          message: `environment name "${env.name}" is already used in account ${team.accountId} by ${where}; names must be unique per account`,
        });
      } else {
        envOwner.set(key, { team, index });
      }
      if (env.webserverAccessMode === 'PUBLIC_ONLY' && !platform.mwaa.allowPublicWebserver) {
        problems.push({
          file: team.file,
          path: `environments[${index}].webserverAccessMode`,
          message: 'PUBLIC_ONLY is not allowed on this platform (mwaa.allowPublicWebserver is false); use PRIVATE_ONLY',
        });
      }
    });
  }
  return problems;
}

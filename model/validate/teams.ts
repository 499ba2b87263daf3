import type { PlatformFile } from '../schema/platform';
import type { TeamConfig } from '../model';
import type { ConfigProblem } from '../errors';

/**
 * Checks that span team files: unique team names, file name = team name, no team in the owner
 * account, environment names unique per account, the platform's quota and webserver policy.
 */
export function validateTeams(platform: PlatformFile, teams: readonly TeamConfig[]): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const envOwner = new Map<string, { team: TeamConfig; index: number }>();

  // A duplicate is reported on every file involved: each team's reviewer sees it in their own file.
  const sameName = new Map<string, TeamConfig[]>();
  for (const team of teams) sameName.set(team.team, [...(sameName.get(team.team) ?? []), team]);
  for (const group of sameName.values()) {
    if (group.length < 2) continue;
    for (const team of group) {
      const others = group
        .filter((t) => t !== team)
        .map((t) => t.file)
        .join(', ');
      problems.push({
        file: team.file,
        path: 'team',
        message: `team name "${team.team}" is also used by ${others}; each team has exactly one file`,
      });
    }
  }

  for (const team of teams) {
    const expectedFile = `${team.team}.yaml`;
    const base = team.file.split(/[\\/]/).pop()!;
    if (base !== expectedFile && base !== `${team.team}.yml`) {
      problems.push({ file: team.file, path: 'team', message: `team "${team.team}" must live in a file named ${expectedFile}` });
    }

    if (team.accountId === platform.owner.accountId) {
      problems.push({
        file: team.file,
        path: 'accountId',
        message: `${team.accountId} is the owner (network) account; participants must use their own accounts`,
      });
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
        if (previous.team !== team) {
          problems.push({
            file: previous.team.file,
            path: `environments[${previous.index}].name`,
            message: `environment name "${env.name}" is also used in account ${team.accountId} by ${team.file} environments[${index}]; names must be unique per account`,
          });
        }
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

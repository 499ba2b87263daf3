import type { EnvironmentConfig, TeamConfig } from '../model';
import { validateAirflowOptions } from '../airflow-options';
import { ENVIRONMENT_CLASSES, airflowVersionProblem, environmentCapacity } from '../environment';
import { confineTeamPath, defaultDagsPath } from '../paths';
import type { FieldProblem } from './network';

export interface TeamFilesContext {
  /** Repository root: team paths are relative to it and confined to its `teams/<team>/`. */
  readonly repoRoot: string;
}

/**
 * Per-team checks of the MWAA environments that need no other team: class ranges, Airflow version,
 * configuration options (reserved keys, class paths that must resolve) and the files the team uploads,
 * each confined to `teams/<team>/` (model/paths.ts). Paths are relative to the team file.
 */
export function validateTeamEnvironments(team: TeamConfig, context: TeamFilesContext): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const dagsPath = team.dagsPath ?? defaultDagsPath(team.team);
  const dags = confineTeamPath(context.repoRoot, team.team, dagsPath, 'directory');
  // The default folder may be absent (nothing to upload yet); a folder the team named must exist.
  if (!dags.ok && (team.dagsPath !== undefined || !dags.missing)) problems.push({ path: 'dagsPath', message: dags.message });
  const dagsDir = dags.ok ? dags.real : undefined;

  team.environments.forEach((env, index) => {
    const at = (field: string) => `environments[${index}].${field}`;
    problems.push(...validateCapacity(env).map((p) => ({ path: at(p.path), message: p.message })));

    const files: Array<{ field: 'requirementsFile' | 'pluginsFile' | 'startupScriptFile'; suffix: RegExp; what: string }> = [
      { field: 'requirementsFile', suffix: /\.txt$/, what: 'a requirements .txt file' },
      { field: 'pluginsFile', suffix: /\.zip$/, what: 'a .zip archive' },
      { field: 'startupScriptFile', suffix: /\.sh$/, what: 'a .sh shell script' },
    ];
    const real: Partial<Record<(typeof files)[number]['field'], string>> = {};
    for (const { field, suffix, what } of files) {
      const path = env[field];
      if (path === undefined) continue;
      if (!suffix.test(path)) {
        problems.push({ path: at(field), message: `${path} must be ${what}` });
        continue;
      }
      const confined = confineTeamPath(context.repoRoot, team.team, path, 'file');
      if (confined.ok) real[field] = confined.real;
      else problems.push({ path: at(field), message: confined.message });
    }

    for (const p of validateAirflowOptions(env.airflowConfigurationOptions, {
      dagsDir,
      dagsPath,
      pluginsZip: real.pluginsFile,
      pluginsPath: env.pluginsFile,
      secretsBackend: env.secretsBackend !== undefined,
    })) {
      problems.push({
        path: p.key === undefined ? at('airflowConfigurationOptions') : `${at('airflowConfigurationOptions')}["${p.key}"]`,
        message: p.message,
      });
    }
  });
  return problems;
}

/** Class, version and capacity ranges of one environment; paths relative to the environment. */
export function validateCapacity(env: EnvironmentConfig): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const version = airflowVersionProblem(env.airflowVersion);
  if (version) problems.push({ path: 'airflowVersion', message: version });
  const ranges = ENVIRONMENT_CLASSES[env.environmentClass];
  if (!ranges) {
    problems.push({
      path: 'environmentClass',
      message: `"${env.environmentClass}" is not an MWAA environment class; use one of ${Object.keys(ENVIRONMENT_CLASSES).join(', ')}`,
    });
    return problems;
  }
  const inRange = (field: keyof EnvironmentConfig, [lo, hi]: readonly [number, number], what: string) => {
    const value = env[field] as number | undefined;
    if (value === undefined || (value >= lo && value <= hi)) return;
    const allowed = lo === hi ? `exactly ${lo}` : `${lo} to ${hi}`;
    problems.push({ path: field, message: `${value} ${what} is outside what ${env.environmentClass} allows: ${allowed}` });
  };
  inRange('schedulers', ranges.schedulers, 'schedulers');
  inRange('minWorkers', ranges.workers, 'minimum workers');
  inRange('maxWorkers', ranges.workers, 'maximum workers');
  inRange('minWebservers', ranges.webservers, 'minimum webservers');
  inRange('maxWebservers', ranges.webservers, 'maximum webservers');

  const capacity = environmentCapacity(env);
  if (capacity.minWorkers > capacity.maxWorkers) {
    problems.push({
      path: 'minWorkers',
      message: `minWorkers (${capacity.minWorkers}) must not exceed maxWorkers (${capacity.maxWorkers})`,
    });
  }
  if (capacity.minWebservers > capacity.maxWebservers) {
    problems.push({
      path: 'minWebservers',
      message: `minWebservers (${capacity.minWebservers}) must not exceed maxWebservers (${capacity.maxWebservers})`,
    });
  }
  return problems;
}

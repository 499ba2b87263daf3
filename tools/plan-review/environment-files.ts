/**
 * Startup scripts and requirements files as review items: a startup script runs as the environment's execution
 * role before Airflow starts, on every start; a requirements file decides what is installed there. Their diff is
 * read from the files (the plan holds only an S3 object). Pure.
 */
import { participantStackName } from '../../contracts/names';
import type { TeamFileChange } from './team-files';

export type EnvironmentFileKind = 'startup script' | 'requirements file';

/** Files the environments name (`startupScriptFile`, `requirementsFile`), path → kind. */
export type ConfiguredEnvironmentFiles = ReadonlyMap<string, EnvironmentFileKind>;

/**
 * A repository-relative path as the team's configuration names it (`teams/<team>/…`, relative to the platform's
 * root): the team folders of a platform configured elsewhere (PLATFORM_CONFIG=bench/config) are under `bench/teams/`.
 */
const inTeamFolder = (path: string): { readonly team: string; readonly path: string } | undefined => {
  const m = /(?:^|\/)(teams\/([^/]+)\/.+)$/.exec(path);
  return m ? { team: m[2], path: m[1] } : undefined;
};

/** The kind of a team file: as the configuration names it, else by its name (a removed or renamed file). */
export function environmentFileKind(path: string, configured: ConfiguredEnvironmentFiles = new Map()): EnvironmentFileKind | undefined {
  const own = inTeamFolder(path);
  const named = configured.get(path) ?? (own ? configured.get(own.path) : undefined);
  if (named) return named;
  if (!own) return undefined;
  if (/\.sh$/.test(path)) return 'startup script';
  if (/(^|\/)requirements[^/]*\.txt$/.test(path)) return 'requirements file';
  return undefined;
}

const WHY: Readonly<Record<EnvironmentFileKind, string>> = {
  'startup script': "runs as the environment's execution role before Airflow starts, on every start",
  'requirements file': 'decides what every scheduler, worker and webserver installs on start',
};

export interface EnvironmentFileItem {
  readonly stack: string;
  readonly level: 'review';
  readonly title: string;
  readonly details: readonly string[];
}

/** One review item per added, modified or removed startup script or requirements file, with its diff. */
export function environmentFileItems(
  files: readonly TeamFileChange[],
  configured: ConfiguredEnvironmentFiles,
  fenceFor: (text: string) => string,
): EnvironmentFileItem[] {
  return files.flatMap((f) => {
    const kind = environmentFileKind(f.path, configured);
    const team = inTeamFolder(f.path)?.team;
    if (!kind || !team) return [];
    const size = f.status === 'modified' ? ` (+${f.added} / −${f.removed} lines)` : f.status === 'added' ? ` (${f.added} lines)` : '';
    const fence = f.diff ? fenceFor(f.diff) : '';
    return [
      {
        stack: participantStackName(team),
        level: 'review' as const,
        title: `${kind} \`${f.path.replace(/`/g, "'")}\` ${f.status}${size} — ${WHY[kind]}`,
        details: f.diff ? [`${fence}diff`, ...f.diff.replace(/\n$/, '').split('\n'), fence] : [],
      },
    ];
  });
}

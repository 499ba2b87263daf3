import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { TeamFile } from './schema/team';
import { defaultDagsPath, repoPath } from './paths';

/** A file to upload, read at synth so `cdktf.out` embeds it and stays relocatable. */
export interface ArtifactFile {
  /** Key inside the bucket. */
  readonly key: string;
  /** The file as text when it is UTF-8 (DAGs, requirements, scripts): readable in a plan diff. */
  readonly text?: string;
  /** Base64 of the file's bytes, for binary files (plugins archives). */
  readonly contentBase64?: string;
  /** Hex MD5 of the bytes: `source_hash`, so a changed file is an in-place update of its object. */
  readonly md5: string;
}

export type EnvironmentArtifactKind = 'requirements' | 'plugins' | 'startupScript';

export interface TeamArtifacts {
  /** Every file under the team's DAG folder, keyed `dags/<relative path>`. */
  readonly dags: readonly ArtifactFile[];
  /** Per environment name: its requirements, plugins archive and startup script, when configured. */
  readonly environments: Readonly<Record<string, Partial<Record<EnvironmentArtifactKind, ArtifactFile>>>>;
}

/** Never uploaded: byte code, caches, editor and VCS files. */
const SKIP = /(^|\/)(__pycache__|\.git|\.pytest_cache|\.mypy_cache|\.DS_Store)(\/|$)|\.py[co]$/;

const utf8 = new TextDecoder('utf-8', { fatal: true });

function artifact(key: string, bytes: Buffer): ArtifactFile {
  const md5 = createHash('md5').update(bytes).digest('hex');
  if (!bytes.includes(0)) {
    try {
      return { key, text: utf8.decode(bytes), md5 };
    } catch {
      // not UTF-8: fall through to base64
    }
  }
  return { key, contentBase64: bytes.toString('base64'), md5 };
}

function listFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => (entry.isDirectory() ? listFiles(join(dir, entry.name)) : entry.isFile() ? [join(dir, entry.name)] : []))
    .sort();
}

/**
 * Reads what a team uploads to its DAG bucket. Paths in the team file are relative to the repository
 * root (the working directory at synth); the configuration was validated, so configured files exist.
 * A missing default DAG folder uploads nothing.
 */
export function readTeamArtifacts(team: TeamFile, repoRoot: string = process.cwd()): TeamArtifacts {
  const dagsDir = repoPath(team.dagsPath ?? defaultDagsPath(team.team), repoRoot);
  const dags =
    existsSync(dagsDir) && statSync(dagsDir).isDirectory()
      ? listFiles(dagsDir)
          .map((file) => relative(dagsDir, file).split(sep).join('/'))
          .filter((path) => !SKIP.test(path))
          .map((path) => artifact(`dags/${path}`, readFileSync(join(dagsDir, path))))
      : [];

  const environments: Record<string, Partial<Record<EnvironmentArtifactKind, ArtifactFile>>> = {};
  for (const env of team.environments) {
    const files: Partial<Record<EnvironmentArtifactKind, ArtifactFile>> = {};
    // One object per environment, so each environment moves to a new version on its own schedule.
    if (env.requirementsFile) files.requirements = artifact(`environments/${env.name}/requirements.txt`, readFileSync(repoPath(env.requirementsFile, repoRoot)));
    if (env.pluginsFile) files.plugins = artifact(`environments/${env.name}/plugins.zip`, readFileSync(repoPath(env.pluginsFile, repoRoot)));
    if (env.startupScriptFile) files.startupScript = artifact(`environments/${env.name}/startup.sh`, readFileSync(repoPath(env.startupScriptFile, repoRoot)));
    environments[env.name] = files;
  }
  return { dags, environments };
}

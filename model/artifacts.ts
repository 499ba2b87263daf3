import { PLATFORM_DAGS_FOLDER } from '../contracts/recovery';
import { createHash } from 'node:crypto';
import { lstatSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { TeamFile } from './schema/team';
import { confineTeamPath, defaultDagsPath, describeType, isInside, realTeamFolder, teamFolder } from './paths';
import type { FieldProblem } from './validate/network';

/**
 * A file to upload, read at synth so `cdktf.out` embeds it and stays relocatable.
 *
 * Always base64, never `content`: Terraform evaluates `${…}` and `%{…}` in every string of a JSON
 * configuration, and cdktf resolves `${TfToken[…]}` in every string it synthesizes, so a DAG holding
 * `${file("/home/runner/.aws/credentials")}` would upload a file of the CI runner, and `echo ${HOME}` would fail
 * the plan. The base64 alphabet (A-Z a-z 0-9 + / =) holds none of `$`, `%`, `{`, so nothing in a file can be
 * interpreted, whatever its bytes (non-UTF-8, NUL, empty). Chosen over escaping (`$${`, `%%{`: one rule to
 * get right in every string, and cdktf tokens still resolve) and over a TerraformAsset `source` (a path the
 * provider opens at apply, outside the plan, with cdktf copying the file into `cdktf.out` and hashing it
 * itself). The price is a plan that shows base64, so the plan review shows a diff computed from the files
 * ({@link diffTeamArtifacts} in `team-files-diff.ts`). A changed file changes `content_base64` and
 * `source_hash`: the provider uploads a new version in place (same address, new `version_id`).
 */
export interface ArtifactFile {
  /** Key inside the bucket. */
  readonly key: string;
  /** Base64 of the file's exact bytes (`content_base64`); the empty string for an empty file. */
  readonly contentBase64: string;
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

/**
 * Characters a DAG file's name may not hold: the name becomes the object key, a Terraform string that would
 * evaluate `${…}`/`%{…}` (and cdktf tokens); control characters and backslashes make keys nobody can read.
 */
// eslint-disable-next-line no-control-regex -- control characters are exactly what this refuses
const UNSAFE_NAME = /[$%{}\\\u0000-\u001f\u007f]/;

export function artifactOf(key: string, bytes: Buffer): ArtifactFile {
  return { key, contentBase64: bytes.toString('base64'), md5: createHash('md5').update(bytes).digest('hex') };
}

/** The exact bytes of an artifact (for diffs and tests). */
export const artifactBytes = (file: ArtifactFile): Buffer => Buffer.from(file.contentBase64, 'base64');

interface Walk {
  readonly files: Array<{ readonly rel: string; readonly real: string }>;
  readonly problems: string[];
}

/**
 * Every file of a DAG tree, following symlinks only while their target stays inside the team's folder;
 * a link leading out, a loop, or anything that is neither file nor folder is reported, at any depth.
 */
function walkDags(dir: string, rel: string, teamRoot: string, folder: string, dagsPath: string, seen: Set<string>, walk: Walk): void {
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const path = rel ? `${rel}/${entry.name}` : entry.name;
    if (SKIP.test(path)) continue;
    const shown = `${dagsPath}/${path}`;
    if (UNSAFE_NAME.test(entry.name)) {
      walk.problems.push(
        `${JSON.stringify(shown)}: file and folder names may not contain $, %, {, }, backslashes or control characters (they become S3 keys, which Terraform would evaluate)`,
      );
      continue;
    }
    const absolute = join(dir, entry.name);
    let real = absolute;
    if (entry.isSymbolicLink()) {
      try {
        real = realpathSync(absolute);
      } catch {
        walk.problems.push(
          `${shown} is a symbolic link to a target that does not exist; remove it, or point it at a file inside ${folder}/`,
        );
        continue;
      }
      if (!isInside(teamRoot, real)) {
        walk.problems.push(
          `${shown} is a symbolic link to ${real}, outside ${folder}/; links in a DAG folder must stay inside the team's folder`,
        );
        continue;
      }
    }
    const stats = entry.isSymbolicLink() ? statSync(real) : lstatSync(absolute);
    if (stats.isDirectory()) {
      if (seen.has(real)) {
        walk.problems.push(`${shown} links back to a folder already uploaded (a symbolic-link loop); remove the link`);
        continue;
      }
      walkDags(real, path, teamRoot, folder, dagsPath, new Set([...seen, real]), walk);
    } else if (stats.isFile()) {
      walk.files.push({ rel: path, real });
    } else {
      walk.problems.push(`${shown} is ${describeType(stats)}; only regular files and folders are uploaded`);
    }
  }
}

export interface TeamArtifactsResult {
  readonly artifacts: TeamArtifacts;
  /** Files that cannot be uploaded, by field (`dagsPath`, `environments[0].requirementsFile`). */
  readonly problems: FieldProblem[];
}

/**
 * Reads what a team uploads to its DAG bucket, confined to `teams/<team>/` of `repoRoot` (see
 * {@link confineTeamPath}). The field-level checks (suffix, existence) are in validate/environment.ts; this
 * reports what only a walk of the DAG tree finds. A missing default DAG folder uploads nothing.
 */
export function readTeamArtifacts(team: TeamFile, repoRoot: string): TeamArtifactsResult {
  const problems: FieldProblem[] = [];
  const dagsPath = team.dagsPath ?? defaultDagsPath(team.team);
  const confined = confineTeamPath(repoRoot, team.team, dagsPath, 'directory');
  const teamRoot = realTeamFolder(repoRoot, team.team).real;
  let dags: ArtifactFile[] = [];
  if (confined.ok && teamRoot) {
    const walk: Walk = { files: [], problems: [] };
    walkDags(confined.real, '', teamRoot, teamFolder(team.team), dagsPath.replace(/\/+$/, ''), new Set([confined.real]), walk);
    problems.push(...walk.problems.map((message) => ({ path: 'dagsPath', message })));
    dags = walk.files.map(({ rel, real }) => artifactOf(`dags/${rel}`, readFileSync(real)));
    // The platform's backup and restore DAGs live there in every recovered environment: a team file would replace them.
    for (const file of dags.filter((d) => d.key.startsWith(`${PLATFORM_DAGS_FOLDER}/`))) {
      problems.push({
        path: 'dagsPath',
        message: `${dagsPath.replace(/\/+$/, '')}/${file.key.slice('dags/'.length)} is in ${PLATFORM_DAGS_FOLDER.slice('dags/'.length)}/, the folder reserved for the platform's recovery DAGs; move it to another folder`,
      });
    }
    dags = dags.filter((d) => !d.key.startsWith(`${PLATFORM_DAGS_FOLDER}/`));
  }

  const environments: Record<string, Partial<Record<EnvironmentArtifactKind, ArtifactFile>>> = {};
  const kinds: ReadonlyArray<[EnvironmentArtifactKind, 'requirementsFile' | 'pluginsFile' | 'startupScriptFile', string]> = [
    ['requirements', 'requirementsFile', 'requirements.txt'],
    ['plugins', 'pluginsFile', 'plugins.zip'],
    ['startupScript', 'startupScriptFile', 'startup.sh'],
  ];
  for (const env of team.environments) {
    const files: Partial<Record<EnvironmentArtifactKind, ArtifactFile>> = {};
    // One object per environment, so each environment moves to a new version on its own schedule.
    for (const [kind, field, name] of kinds) {
      const path = env[field];
      if (path === undefined) continue;
      const file = confineTeamPath(repoRoot, team.team, path, 'file');
      if (file.ok) files[kind] = artifactOf(`environments/${env.name}/${name}`, readFileSync(file.real));
    }
    environments[env.name] = files;
  }
  return { artifacts: { dags, environments }, problems };
}

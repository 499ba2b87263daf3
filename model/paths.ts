/**
 * Where team files live, and the confinement rule for every path a team names: after following symlinks it
 * must stay inside that team's own folder `teams/<team>/`. Team input is untrusted (a pull request), and CI
 * reads these files with credentials for every account, so a path is data, never a way out of the team's folder.
 */
import { lstatSync, realpathSync, statSync, type Stats } from 'node:fs';
import { basename, dirname, isAbsolute, join, normalize, relative, sep } from 'node:path';

/** The folder holding every team's files, relative to the repository root. */
export const TEAMS_FOLDER = 'teams';

/** Repository-relative folder a team's paths must stay inside. */
export const teamFolder = (team: string) => `${TEAMS_FOLDER}/${team}`;

/** Repository-relative folder whose files become the bucket's `dags/`. */
export const defaultDagsPath = (team: string) => `${teamFolder(team)}/dags`;

/** What a path must name. */
export type PathKind = 'file' | 'directory';

export type ConfinedPath =
  | { readonly ok: true; /** Real (symlink-free) absolute path. */ readonly real: string }
  | {
      readonly ok: false;
      /** What is wrong and the rule, without the field name. */ readonly message: string;
      /** The path does not exist at all. */ readonly missing?: boolean;
    };

const inside = (root: string, path: string) => {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
};

/** The real path of the team's folder, or undefined when it does not exist or is itself a way out (a symlink elsewhere). */
export function realTeamFolder(repoRoot: string, team: string): { real?: string; problem?: string } {
  const teams = join(repoRoot, TEAMS_FOLDER);
  let realTeams: string;
  try {
    realTeams = realpathSync(teams);
  } catch {
    return {};
  }
  let real: string;
  try {
    real = realpathSync(join(teams, team));
  } catch {
    return {};
  }
  // teams/<team> itself must be a real folder of teams/, not a link to /etc or to another team's folder.
  if (real !== join(realTeams, team))
    return { problem: `${teamFolder(team)} is a symbolic link to ${real}; a team's folder must be a real folder` };
  if (!statSync(real).isDirectory()) return { problem: `${teamFolder(team)} is not a folder` };
  return { real };
}

/** `a regular file`, `a socket`… for messages. */
export function describeType(stats: Stats): string {
  if (stats.isFile()) return 'a regular file';
  if (stats.isDirectory()) return 'a folder';
  if (stats.isSymbolicLink()) return 'a symbolic link';
  if (stats.isSocket()) return 'a socket';
  if (stats.isFIFO()) return 'a named pipe';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  return 'not a regular file';
}

/**
 * Resolves a repository-relative path a team wrote in its file. Refused: absolute paths, `..` escapes,
 * paths outside `teams/<team>/` (another team's folder included), symlinks whose target is outside it,
 * and anything that is not a regular file (for `file`) or a folder (for `directory`).
 */
export function confineTeamPath(repoRoot: string, team: string, path: string, kind: PathKind): ConfinedPath {
  const folder = teamFolder(team);
  const rule = `paths are relative to the repository root and must stay inside ${folder}/`;
  if (path.includes('\0')) return { ok: false, message: `contains a NUL character; ${rule}` };
  if (isAbsolute(path) || /^[a-zA-Z]:[\\/]/.test(path) || path.startsWith('\\')) {
    return {
      ok: false,
      message: `${path} is an absolute path; ${rule}, e.g. ${folder}/${kind === 'directory' ? 'dags' : basename(path.replace(/\\/g, '/')) || 'requirements.txt'}`,
    };
  }
  if (path.split(/[\\/]/).includes('..')) return { ok: false, message: `${path} contains "..": ${rule}` };
  const lexical = normalize(path).split(sep).join('/');
  if (lexical !== folder && !lexical.startsWith(`${folder}/`)) return { ok: false, message: `${path} is outside ${folder}/: ${rule}` };

  const root = realTeamFolder(repoRoot, team);
  if (root.problem) return { ok: false, message: root.problem };
  const absolute = join(repoRoot, lexical);
  let real: string;
  try {
    real = realpathSync(absolute);
  } catch {
    let dangling = false;
    try {
      dangling = lstatSync(absolute).isSymbolicLink();
    } catch {
      // nothing there at all
    }
    if (dangling) return { ok: false, message: `${path} is a symbolic link to a target that does not exist; ${rule}` };
    // A missing file behind a linked folder (`teams/<team>/deps -> /etc`): the link is the problem, not the file.
    for (let parent = dirname(absolute); root.real && inside(join(repoRoot, folder), parent); parent = dirname(parent)) {
      let realParent: string;
      try {
        realParent = realpathSync(parent);
      } catch {
        continue;
      }
      if (!inside(root.real, realParent)) {
        return {
          ok: false,
          message: `${path} goes through ${relative(repoRoot, parent).split(sep).join('/')}, a symbolic link to ${realParent}, outside ${folder}/; ${rule}`,
        };
      }
      break;
    }
    return { ok: false, missing: true, message: `${kind === 'file' ? 'file' : 'folder'} ${path} does not exist (${rule})` };
  }
  const shownReal = inside(realpathSync(repoRoot), real) ? relative(realpathSync(repoRoot), real).split(sep).join('/') : real;
  if (!root.real || !inside(root.real, real))
    return { ok: false, message: `${path} resolves (through a symbolic link) to ${shownReal}, outside ${folder}/; ${rule}` };
  const stats = statSync(real);
  if (kind === 'file' && !stats.isFile()) return { ok: false, message: `${path} is ${describeType(stats)}; it must be a regular file` };
  if (kind === 'directory' && !stats.isDirectory()) return { ok: false, message: `${path} is ${describeType(stats)}; it must be a folder` };
  return { ok: true, real };
}

/** True when `path` (real) lies inside `root` (real). */
export const isInside = inside;

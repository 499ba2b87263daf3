/**
 * Where synthesis reads its configuration and writes Terraform JSON: the variable names, their defaults and how a
 * relative value resolves, in one place for main.ts, every tool and the `mwaa` command. A relative value is
 * relative to the repository root, never to the working directory, so `npm run <tool>` from a sub-folder reads
 * the same files as from the root. Pure path arithmetic: no file is read here.
 */
import { isAbsolute, join, relative, resolve } from 'node:path';
import { TEAMS_FOLDER } from './paths';

/** Configuration directory; its parent is the repository root team paths (`teams/<team>/…`) are relative to. */
export const CONFIG_DIR_VARIABLE = 'PLATFORM_CONFIG';
/** Where the synthesized stacks go. */
export const OUTDIR_VARIABLE = 'CDKTF_OUTDIR';
export const DEFAULT_CONFIG_DIR = 'config';
export const DEFAULT_OUTDIR = 'cdktf.out';

/** The repository root (this file is in `<root>/model/`). */
export const REPOSITORY_ROOT = resolve(__dirname, '..');

export type SettingsEnv = Readonly<Record<string, string | undefined>>;

/** The configuration directory as an absolute path: PLATFORM_CONFIG (an empty value counts as unset), else `config`. */
export const configDirOf = (env: SettingsEnv, root: string = REPOSITORY_ROOT): string =>
  resolve(root, env[CONFIG_DIR_VARIABLE] || DEFAULT_CONFIG_DIR);

/** The synthesis output directory as an absolute path: CDKTF_OUTDIR, else `cdktf.out`. */
export const outdirOf = (env: SettingsEnv, root: string = REPOSITORY_ROOT): string => resolve(root, env[OUTDIR_VARIABLE] || DEFAULT_OUTDIR);

/**
 * The configuration directory relative to the repository root, for reading the same configuration in another
 * checkout of it (a base revision); undefined when it lies outside the repository.
 */
export function configDirInRepository(env: SettingsEnv, root: string = REPOSITORY_ROOT): string | undefined {
  const rel = relative(root, configDirOf(env, root));
  return rel === '..' || rel.startsWith('../') || isAbsolute(rel) ? undefined : rel || '.';
}

/** The root team paths (`teams/<team>/…` in team files) resolve against: the configuration directory's parent. */
export const teamPathsRootOf = (configDir: string): string => resolve(configDir, '..');

/**
 * The folder of the team folders (`teams/<team>/`: DAGs, requirements, plugins) of a configuration, as `configDir`
 * is given (relative stays relative): beside the configuration directory, never the repository's own `teams/` when
 * PLATFORM_CONFIG points elsewhere.
 */
export const teamFoldersOf = (configDir: string): string => join(configDir, '..', TEAMS_FOLDER);

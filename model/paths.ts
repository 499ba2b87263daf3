/** Where team files live in the repository. */
import { isAbsolute, resolve } from 'node:path';

/** Repository-relative folder whose files become the bucket's `dags/`. */
export const defaultDagsPath = (team: string) => `teams/${team}/dags`;

/** Absolute path of a repository-relative path (the repository root is the working directory at synth). */
export const repoPath = (path: string, repoRoot: string = process.cwd()) => (isAbsolute(path) ? path : resolve(repoRoot, path));


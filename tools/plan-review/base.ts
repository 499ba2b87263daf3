/**
 * `--base <git-ref>`: the base revision synthesized in a temporary git worktree (removed afterwards), and the
 * team files of both revisions read from disk. Thin I/O around the pure comparison in changes.ts / team-files.ts.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  renameSync,
  rmSync,
  symlinkSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join, normalize, sep } from 'node:path';
import type { StackJson } from '../rules';
import { describeType } from '../../model/paths';
import { CONFIG_DIR_VARIABLE, configDirInRepository, teamFoldersOf, type SettingsEnv } from '../../model/synth-settings';
import { listStacks, readStack } from '../lib/stacks';

function git(root: string, args: readonly string[]): string {
  const r = spawnSync('git', ['-C', root, ...args], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')} failed (exit ${r.status}):\n${r.stderr || r.stdout}`);
  return r.stdout;
}

/** PLATFORM_CONFIG as a path inside the repository, so each revision reads its own copy. */
export function configInRepo(root: string, env: SettingsEnv): string {
  const rel = configDirInRepository(env, root);
  if (rel === undefined) {
    throw new Error(
      `--base compares two revisions of the repository, but ${CONFIG_DIR_VARIABLE}=${env[CONFIG_DIR_VARIABLE]} is outside it (${root}); use a configuration inside the repository`,
    );
  }
  return rel;
}

export interface BaseSnapshot {
  readonly ref: string;
  readonly commit: string;
  readonly stacks: ReadonlyMap<string, StackJson>;
  /** Team files of the base revision, path → content. */
  readonly teamFiles: ReadonlyMap<string, string>;
}

/**
 * Directories whose files the review diffs as team files, repository-relative: the team folders of the configured
 * platform (beside its configuration directory, model/synth-settings.ts) and its team files. A folder outside the
 * repository (a configuration at the root has its parent outside) is never read.
 */
export const teamFileDirs = (configDir: string): string[] =>
  [...new Set([teamFoldersOf(configDir), join(configDir, 'teams')])].filter(
    (d) => d !== '..' && !d.startsWith(`..${sep}`) && !isAbsolute(d),
  );

/** Larger files are compared by digest: a review shows what changed in a DAG, not megabytes of data. */
export const MAX_REVIEWED_FILE_BYTES = 256 * 1024;

/**
 * Every file under `dirs` (relative to `root`), path → content. Team input is untrusted and this runs on the CI
 * runner before (and whatever) validation says: links are never followed (a link to a runner file would put that
 * file into the review posted on the pull request) but shown as `symbolic link to <target>`; pipes, sockets and
 * devices are never opened (a pipe would hang the job, /dev/zero would exhaust it); binary and large files are
 * shown by size and SHA-256.
 */
export function readTree(root: string, dirs: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (rel: string): void => {
    const abs = join(root, rel);
    const stats = lstatSync(abs, { throwIfNoEntry: false });
    if (!stats) return;
    if (stats.isDirectory()) {
      for (const e of readdirSync(abs).sort()) if (e !== '__pycache__' && !e.startsWith('.')) walk(join(rel, e));
    } else if (stats.isSymbolicLink()) {
      out.set(rel, `(symbolic link to ${readlinkSync(abs)})`);
    } else if (!stats.isFile()) {
      out.set(rel, `(${describeType(stats)}, not read)`);
    } else {
      const bytes = readFileSync(abs);
      const digest = () => `${bytes.length} bytes, SHA-256 ${createHash('sha256').update(bytes).digest('hex')}`;
      let text: string | undefined;
      try {
        text =
          bytes.length <= MAX_REVIEWED_FILE_BYTES && !bytes.includes(0)
            ? new TextDecoder('utf-8', { fatal: true }).decode(bytes)
            : undefined;
      } catch {
        text = undefined;
      }
      out.set(rel, text ?? `(${bytes.length > MAX_REVIEWED_FILE_BYTES ? 'large' : 'binary'} file: ${digest()})`);
    }
  };
  // `teams` or `config` replaced by a link would have every path below it resolved through the link: walk from the
  // link instead, which shows it as the link it is, like any link further down.
  for (const d of dirs) walk(firstLinkOnPath(root, d) ?? d);
  return out;
}

/** The first component of `rel` (below `root`) that is a symbolic link, as a path relative to `root`. */
function firstLinkOnPath(root: string, rel: string): string | undefined {
  let path = '';
  for (const part of normalize(rel).split(sep)) {
    path = join(path, part);
    if (lstatSync(join(root, path), { throwIfNoEntry: false })?.isSymbolicLink()) return path;
  }
  return undefined;
}

/** Packages no Lambda bundle contains (the SDK is external, the rest is synthesis tooling): symlinked, not copied. */
const NEVER_BUNDLED = new Set([
  '@aws-sdk',
  '@smithy',
  '@cdktf',
  'cdktf',
  'cdktf-cli',
  'typescript',
  '@swc',
  '@esbuild',
  'esbuild',
  '@stryker-mutator',
  '@babel',
]);

/**
 * The worktree needs the packages. Hard links rather than one symlink: the Lambda bundle's comments name package
 * paths relative to the checkout, and through a symlink they would differ from the working tree's, so an unchanged
 * stack would look changed. The big packages no bundle contains are symlinked. Falls back to symlinks across file
 * systems.
 */
function linkNodeModules(root: string, dir: string): void {
  const from = join(root, 'node_modules');
  if (!existsSync(from)) return;
  const to = join(dir, 'node_modules');
  mkdirSync(to);
  for (const entry of readdirSync(from)) {
    const src = join(from, entry);
    if (NEVER_BUNDLED.has(entry) || entry === '.bin') symlinkSync(src, join(to, entry));
    else if (spawnSync('cp', ['-al', src, join(to, entry)]).status !== 0) {
      rmSync(join(to, entry), { recursive: true, force: true });
      symlinkSync(src, join(to, entry));
    }
  }
}

/** Removes the worktree: unregistered at once, its files deleted in the background (hard links are slow to unlink). */
function removeWorktree(root: string, dir: string): void {
  const trash = `${dir}.removing`;
  try {
    renameSync(dir, trash);
  } catch {
    rmSync(dir, { recursive: true, force: true });
  }
  spawnSync('git', ['-C', root, 'worktree', 'prune'], { encoding: 'utf8' });
  if (existsSync(trash)) spawn('rm', ['-rf', trash], { detached: true, stdio: 'ignore' }).unref();
}

/**
 * Synthesizes `ref` in a temporary worktree with the same environment (preview mode, config path) as the working
 * tree, and returns its stacks and team files. The worktree is removed whatever happens.
 */
export function synthesizeBase(root: string, ref: string, env: NodeJS.ProcessEnv, preview: 'offline' | 'live'): BaseSnapshot {
  const commit = git(root, ['rev-parse', '--verify', `${ref}^{commit}`]).trim();
  const configDir = configInRepo(root, env);
  const dir = mkdtempSync(join(tmpdir(), 'plan-base-'));
  try {
    git(root, ['worktree', 'add', '--detach', '--quiet', dir, commit]);
    linkNodeModules(root, dir);
    const outdir = join(dir, 'cdktf.out');
    // The base is only compared, never planned or applied: the CI guards (no example contract, no local state) are
    // not for it. The contract pull request's base is still on the example contract.
    const { CI: _ci, ...baseEnv } = env;
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'main.ts'], {
      cwd: dir,
      env: { ...baseEnv, PLATFORM_CONFIG: configDir, CDKTF_OUTDIR: outdir, ...(preview === 'offline' ? { PREVIEW: 'offline' } : {}) },
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    if (r.status !== 0)
      throw new Error(`synthesis of the base ${ref} (${commit.slice(0, 12)}) failed with exit ${r.status}:\n${r.stderr || r.stdout}`);
    const stacks = new Map(listStacks(outdir).map((s) => [s, readStack(outdir, s)]));
    return { ref, commit, stacks, teamFiles: readTree(dir, teamFileDirs(configDir)) };
  } finally {
    removeWorktree(root, dir);
  }
}

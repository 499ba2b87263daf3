/**
 * A corpus of hostile and broken team inputs (test/corpus/cases/<case>/). Each case is laid over a copy of
 * the fixture platform (test/fixtures/platform):
 *   config/teams/…     team files (replacing or beside the fixture's)
 *   teams/…            team folders
 *   setup.json         optional: { symlinks: {link: target}, fifos: [path], sockets: [path] } — links, pipes and
 *                      sockets are made here at run time (git stores neither pipes nor sockets)
 *   expected.txt       the exact problems, one `file at path: message` per line (`<repo>` stands for the
 *                      temporary repository), or the single word `accepted`: then every file under the case's
 *                      teams/<team>/dags must be uploaded with exactly its bytes.
 * Every case also goes through main.ts's synthesis (what `npm run synth` runs), in this process: a bad case must
 * exit 1 with exactly its problems on stderr and nothing written to cdktf.out; an accepted case must exit 0 with the
 * exact bytes of every file in the synthesized `content_base64`. One case goes through the command line as a process
 * too (a Node process per case cost more than all the cases). The loader is also called on its own, where the
 * problems come back as data (every line must match, nothing more).
 */
import { spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  statSync,
  symlinkSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative } from 'node:path';
import { ConfigError } from '../../model/errors';
import { loadPlatformConfig } from '../../model/load';
import { artifactBytes } from '../../model/artifacts';
import { main } from '../../main';
import { FIXTURE_ROOT } from '../support/fixture-paths';

const ROOT = join(__dirname, '..', '..');
const CASES = join(__dirname, 'cases');
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');

interface Setup {
  readonly symlinks?: Readonly<Record<string, string>>;
  readonly fifos?: readonly string[];
  readonly sockets?: readonly string[];
  /** Character devices (mknod c 1 3, the numbers of /dev/null): needs CAP_MKNOD, so such cases skip without it. */
  readonly devices?: readonly string[];
}

const canMknod = (() => {
  const probe = join(mkdtempSync(join(tmpdir(), 'corpus-mknod-')), 'null');
  const made = spawnSync('mknod', [probe, 'c', '1', '3']).status === 0;
  rmSync(dirname(probe), { recursive: true, force: true });
  return made;
})();

const created: string[] = [];
afterAll(() => created.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** The fixture platform (config/ and teams/) with the case laid over it; returns the repository root. */
function materialize(name: string): string {
  const repo = realpathSync(mkdtempSync(join(tmpdir(), `corpus-${name}-`)));
  created.push(repo);
  cpSync(join(FIXTURE_ROOT, 'config'), join(repo, 'config'), { recursive: true });
  cpSync(join(FIXTURE_ROOT, 'teams'), join(repo, 'teams'), { recursive: true });
  const dir = join(CASES, name);
  for (const part of ['config', 'teams']) if (existsSync(join(dir, part))) cpSync(join(dir, part), join(repo, part), { recursive: true });
  const setup = readSetup(name);
  for (const [link, target] of Object.entries(setup.symlinks ?? {})) {
    mkdirSync(dirname(join(repo, link)), { recursive: true });
    rmSync(join(repo, link), { recursive: true, force: true });
    symlinkSync(target, join(repo, link));
  }
  for (const fifo of setup.fifos ?? []) {
    mkdirSync(dirname(join(repo, fifo)), { recursive: true });
    const r = spawnSync('mkfifo', [join(repo, fifo)]);
    if (r.status !== 0) throw new Error(`mkfifo failed: ${r.stderr}`);
  }
  for (const device of setup.devices ?? []) {
    mkdirSync(dirname(join(repo, device)), { recursive: true });
    const r = spawnSync('mknod', [join(repo, device), 'c', '1', '3']);
    if (r.status !== 0) throw new Error(`mknod failed: ${r.stderr}`);
  }
  for (const socket of setup.sockets ?? []) {
    mkdirSync(dirname(join(repo, socket)), { recursive: true });
    // A listening Unix socket left behind by a process that exits without closing it. Made by its name in its own
    // folder: a socket's address holds at most 107 bytes, and a long TMPDIR (macOS, a CI runner) made longer paths.
    const r = spawnSync(
      process.execPath,
      ['-e', `require('net').createServer().listen(${JSON.stringify(basename(socket))}, () => process.exit(0))`],
      { cwd: dirname(join(repo, socket)) },
    );
    if (r.status !== 0 || !lstatSync(join(repo, socket)).isSocket()) throw new Error(`socket not made: ${r.stderr}`);
  }
  return repo;
}

const readSetup = (name: string): Setup =>
  existsSync(join(CASES, name, 'setup.json')) ? JSON.parse(readFileSync(join(CASES, name, 'setup.json'), 'utf8')) : {};
const expectedOf = (name: string) =>
  readFileSync(join(CASES, name, 'expected.txt'), 'utf8')
    .split('\n')
    .filter((line) => line !== '');

const lineOf = (repo: string) => (p: { file: string; path: string; message: string }) =>
  `${p.file}${p.path ? ` at ${p.path}` : ''}: ${p.message}`.split(repo).join('<repo>');

function problemsOf(repo: string): string[] | 'accepted' {
  try {
    loadPlatformConfig(join(repo, 'config'));
    return 'accepted';
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return error.problems.map(lineOf(repo));
  }
}

/** Files under a folder (following links, as a reader of the repository sees them), repository-relative. */
function filesUnder(repo: string, folder: string): string[] {
  const walk = (dir: string): string[] =>
    readdirSync(dir).flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? walk(path) : [relative(join(repo, folder), path)];
    });
  return existsSync(join(repo, folder)) ? walk(join(repo, folder)).sort() : [];
}

const cases = readdirSync(CASES)
  .filter((name) => lstatSync(join(CASES, name)).isDirectory())
  .filter((name) => canMknod || !readSetup(name).devices)
  .sort();
const bad = cases.filter((name) => expectedOf(name)[0] !== 'accepted');
const accepted = cases.filter((name) => expectedOf(name)[0] === 'accepted');

it('holds at least 40 cases', () => {
  expect(bad.length + accepted.length).toBeGreaterThanOrEqual(40);
});

interface Run {
  readonly repo: string;
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

const envOf = (repo: string) => ({
  ...process.env,
  PLATFORM_CONFIG: join(repo, 'config'),
  CDKTF_OUTDIR: join(repo, 'cdktf.out'),
  PREVIEW: 'offline',
});

/**
 * main.ts's synthesis in this process (what `npm run synth` runs, without a Node process per case) on the case's
 * repository, with its output in a folder that must not appear on failure. Its lines are collected as the command
 * prints them: one line each, newline-terminated.
 */
function runMain(name: string): Run {
  const repo = materialize(name);
  let stdout = '';
  let stderr = '';
  const status = main(envOf(repo), { log: (line) => (stdout += `${line}\n`), error: (line) => (stderr += `${line}\n`) });
  return { repo, status, stdout, stderr: stderr.split(repo).join('<repo>') };
}

/** main.ts as the process `npm run synth` starts, for the one test that the command line itself exits 1 and prints. */
function runMainProcess(name: string): Run {
  const repo = materialize(name);
  const r = spawnSync(TSX, [join(ROOT, 'main.ts')], { cwd: tmpdir(), env: envOf(repo), encoding: 'utf8' });
  return { repo, status: r.status, stdout: r.stdout, stderr: r.stderr.split(repo).join('<repo>') };
}

const refusal = (expected: string[]) =>
  `Invalid platform configuration (${expected.length} problem${expected.length === 1 ? '' : 's'}); nothing was synthesized:\n${expected.map((l) => `  ${l}\n`).join('')}`;

it('the command line (main.ts as a process) exits 1 with exactly the problems on stderr, writing nothing to cdktf.out', () => {
  const name = bad[0];
  const run = runMainProcess(name);
  expect(run.status).toBe(1);
  expect(run.stdout).toBe('');
  expect(run.stderr).toBe(refusal(expectedOf(name)));
  expect(readdirSync(run.repo).filter((f) => f.startsWith('cdktf.out'))).toEqual([]);
});

describe.each(bad)('corpus case %s', (name) => {
  it('is refused with exactly the expected problems, each naming file, field and what is allowed', () => {
    const repo = materialize(name);
    expect(problemsOf(repo)).toEqual(expectedOf(name));
  });

  it("makes main.ts's synthesis exit 1 with exactly these problems on stderr, writing nothing to cdktf.out", () => {
    const run = runMain(name);
    expect(run.status).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(refusal(expectedOf(name)));
    expect(readdirSync(run.repo).filter((f) => f.startsWith('cdktf.out'))).toEqual([]);
  });
});

describe.each(accepted)('corpus case %s (accepted)', (name) => {
  it("uploads every file of the team's DAG folder with exactly its bytes", () => {
    const repo = materialize(name);
    const config = loadPlatformConfig(join(repo, 'config'));
    const teams = readdirSync(join(CASES, name, 'teams'));
    expect(teams.length).toBeGreaterThan(0);
    for (const team of teams) {
      const files = filesUnder(repo, `teams/${team}/dags`);
      const uploaded = config.artifacts[team].dags;
      expect(uploaded.map((f) => f.key).sort()).toEqual(files.map((f) => `dags/${f}`));
      for (const file of uploaded) expect(artifactBytes(file).equals(readFileSync(join(repo, 'teams', team, file.key)))).toBe(true);
    }
  });

  it("synthesizes through main.ts's synthesis with the exact bytes of every DAG file in content_base64", () => {
    const run = runMain(name);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    for (const team of readdirSync(join(CASES, name, 'teams'))) {
      const stack = JSON.parse(readFileSync(join(run.repo, 'cdktf.out', 'stacks', `participant-${team}`, 'cdk.tf.json'), 'utf8'));
      const objects = Object.values(stack.resource.aws_s3_object ?? {}) as Array<{
        key: string;
        content_base64?: string;
        content?: string;
      }>;
      const dags = objects.filter((o) => o.key.startsWith('dags/'));
      const files = filesUnder(run.repo, `teams/${team}/dags`);
      expect(files.length).toBeGreaterThan(0);
      expect(dags.map((o) => o.key).sort()).toEqual(files.map((f) => `dags/${f}`));
      for (const object of dags) {
        expect(object.content).toBeUndefined();
        expect(object.content_base64).toBe(readFileSync(join(run.repo, 'teams', team, object.key)).toString('base64'));
      }
    }
  });
});

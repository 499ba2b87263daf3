/**
 * A corpus of hostile and broken team inputs (test/corpus/cases/<case>/). Each case is laid over a copy of
 * the example repository:
 *   config/teams/…     team files (replacing or beside the example's)
 *   teams/…            team folders
 *   setup.json         optional: { symlinks: {link: target}, fifos: [path], main: true } — symlinks and pipes
 *                      are made here at run time (robuster than storing them in git); `main` runs main.ts too
 *   expected.txt       the exact problems, one `file at path: message` per line (`<repo>` stands for the
 *                      temporary repository), or the single word `accepted`: then every file under the case's
 *                      teams/<team>/dags must be uploaded with exactly its bytes.
 * Bad cases are loaded in-process (every line must match, nothing more); the `main` subset also runs main.ts
 * as a process: exit 1, every line on stderr, nothing written to cdktf.out.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { ConfigError } from '../../model/errors';
import { loadPlatformConfig } from '../../model/load';
import { artifactBytes } from '../../model/artifacts';

const ROOT = join(__dirname, '..', '..');
const CASES = join(__dirname, 'cases');
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');

interface Setup {
  readonly symlinks?: Readonly<Record<string, string>>;
  readonly fifos?: readonly string[];
  readonly main?: boolean;
}

const created: string[] = [];
afterAll(() => created.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** The example repository's data with the case laid over it; returns the repository root. */
function materialize(name: string): string {
  const repo = realpathSync(mkdtempSync(join(tmpdir(), `corpus-${name}-`)));
  created.push(repo);
  cpSync(join(ROOT, 'config'), join(repo, 'config'), { recursive: true });
  cpSync(join(ROOT, 'teams'), join(repo, 'teams'), { recursive: true });
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
  return repo;
}

const readSetup = (name: string): Setup => (existsSync(join(CASES, name, 'setup.json')) ? JSON.parse(readFileSync(join(CASES, name, 'setup.json'), 'utf8')) : {});
const expectedOf = (name: string) => readFileSync(join(CASES, name, 'expected.txt'), 'utf8').split('\n').filter((line) => line !== '');

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

const cases = readdirSync(CASES).filter((name) => lstatSync(join(CASES, name)).isDirectory()).sort();
const bad = cases.filter((name) => expectedOf(name)[0] !== 'accepted');
const accepted = cases.filter((name) => expectedOf(name)[0] === 'accepted');

it('holds at least 40 cases', () => {
  expect(bad.length + accepted.length).toBeGreaterThanOrEqual(40);
});

describe.each(bad)('corpus case %s', (name) => {
  it('is refused with exactly the expected problems, each naming file, field and what is allowed', () => {
    const repo = materialize(name);
    expect(problemsOf(repo)).toEqual(expectedOf(name));
  });

  if (readSetup(name).main) {
    it('makes main.ts exit 1, print every problem and write nothing to cdktf.out', () => {
      const repo = materialize(name);
      const outdir = join(repo, 'cdktf.out');
      const r = spawnSync(TSX, [join(ROOT, 'main.ts')], {
        cwd: tmpdir(),
        env: { ...process.env, PLATFORM_CONFIG: join(repo, 'config'), CDKTF_OUTDIR: outdir, PREVIEW: 'offline' },
        encoding: 'utf8',
      });
      expect(r.status).toBe(1);
      const stderr = r.stderr.split(repo).join('<repo>');
      expect(stderr).toContain('nothing was synthesized');
      for (const line of expectedOf(name)) expect(stderr).toContain(`  ${line}`);
      expect(existsSync(outdir)).toBe(false);
      expect(readdirSync(repo).filter((f) => f.startsWith('cdktf.out'))).toEqual([]);
    });
  }
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
});

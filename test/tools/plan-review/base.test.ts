import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { StackJson } from '../../../tools/rules/types';
import { createHash } from 'node:crypto';
import { configInRepo, MAX_REVIEWED_FILE_BYTES, readTree, synthesizeBase, teamFileDirs } from '../../../tools/plan-review/base';
import { changesFromConfigs, sameStack } from '../../../tools/plan-review/changes';
import { reviewPlans } from '../../../tools/plan-review/review';
import { changedStacks, mergePartials, type PartialReview } from '../../../tools/plan-review/run';
import { diffTeamFiles } from '../../../tools/plan-review/team-files';

const ROOT = resolve(__dirname, '..', '..', '..');

describe('offline comparison of configurations', () => {
  const a: StackJson = { resource: { aws_s3_bucket: { b: { '//': { metadata: { path: 's/bucket' } }, bucket: 'x', tags: { A: '1' } } } } };

  it('treats metadata and key order as no change, and any resource difference as a change', () => {
    const reordered: StackJson = {
      resource: { aws_s3_bucket: { b: { tags: { A: '1' }, bucket: 'x', '//': { metadata: { path: 'moved/bucket' } } } } },
    };
    expect(sameStack(a, reordered)).toBe(true);
    expect(sameStack(a, { resource: { aws_s3_bucket: { b: { bucket: 'x', tags: { A: '2' } } } } })).toBe(false);
  });

  it('lists added, removed and changed resources; force-new arguments make a replacement', () => {
    const head: StackJson = { resource: { aws_s3_bucket: { b: { bucket: 'y', tags: { A: '1' } } }, aws_sqs_queue: { q: { name: 'q' } } } };
    expect(changesFromConfigs(a, head).map((c) => `${c.kind} ${c.address}${c.replacePaths ? ` ${c.replacePaths.join()}` : ''}`)).toEqual([
      'replace aws_s3_bucket.b bucket',
      'create aws_sqs_queue.q',
    ]);
    expect(changesFromConfigs(head, a).map((c) => `${c.kind} ${c.address}`)).toEqual(['replace aws_s3_bucket.b', 'delete aws_sqs_queue.q']);
  });

  it('splits stacks into changed (including added and removed) and unchanged', () => {
    const base = new Map([
      ['owner', a],
      ['participant-a', a],
      ['participant-gone', a],
    ]);
    const head = new Map([
      ['owner', a],
      ['participant-a', { resource: {} }],
      ['participant-new', a],
    ]);
    expect(changedStacks(base, head)).toEqual({ changed: ['participant-a', 'participant-gone', 'participant-new'], unchanged: ['owner'] });
  });

  it('diffs team files from their contents', () => {
    const base = new Map([
      ['teams/a/dags/x.py', 'a\nb\n'],
      ['teams/a/old.txt', 'z\n'],
      ['config/teams/a.yaml', 'team: a\n'],
    ]);
    const head = new Map([
      ['teams/a/dags/x.py', 'a\nc\nd\n'],
      ['teams/a/dags/y.py', 'y\n'],
      ['config/teams/a.yaml', 'team: a\n'],
    ]);
    expect(diffTeamFiles(base, head)).toEqual([
      { path: 'teams/a/dags/x.py', status: 'modified', added: 2, removed: 1 },
      { path: 'teams/a/dags/y.py', status: 'added', added: 1, removed: 0 },
      { path: 'teams/a/old.txt', status: 'removed', added: 0, removed: 1 },
    ]);
  });

  it("reads the configured platform's team folders and team files, skipping caches and hidden files", () => {
    const root = mkdtempSync(join(tmpdir(), 'plan-tree-'));
    try {
      for (const [f, c] of [
        ['teams/a/dags/x.py', 'x'],
        ['teams/a/__pycache__/x.pyc', 'c'],
        ['teams/a/.hidden', 'h'],
        ['teams/.git/config', 'g'],
        ['config/teams/a.yaml', 'team: a'],
        ['bench/teams/b/dags/y.py', 'y'],
        ['bench/config/teams/b.yaml', 'team: b'],
        ['other/y', 'y'],
      ]) {
        mkdirSync(join(root, f, '..'), { recursive: true });
        writeFileSync(join(root, f), c);
      }
      expect(teamFileDirs('config')).toEqual(['teams', 'config/teams']);
      expect([...readTree(root, teamFileDirs('config'))]).toEqual([
        ['teams/a/dags/x.py', 'x'],
        ['config/teams/a.yaml', 'team: a'],
      ]);
      // PLATFORM_CONFIG elsewhere: that platform's team folders (beside its configuration), never the repository's teams/.
      expect(teamFileDirs('bench/config')).toEqual(['bench/teams', 'bench/config/teams']);
      expect([...readTree(root, teamFileDirs('bench/config'))]).toEqual([
        ['bench/teams/b/dags/y.py', 'y'],
        ['bench/config/teams/b.yaml', 'team: b'],
      ]);
      // A configuration at the repository root has its team folders outside the repository: not read.
      expect(teamFileDirs('.')).toEqual(['teams']);
      expect(readTree(root, ['missing']).size).toBe(0);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('never follows a link, opens a pipe or a device, or quotes binary and large files (team input is untrusted)', () => {
    const root = mkdtempSync(join(tmpdir(), 'plan-tree-'));
    try {
      mkdirSync(join(root, 'teams/a/dags'), { recursive: true });
      mkdirSync(join(root, 'outside'));
      writeFileSync(join(root, 'outside/secret'), 'aws_secret_access_key = abc\n');
      symlinkSync(join(root, 'outside/secret'), join(root, 'teams/a/dags/creds.py'));
      symlinkSync(join(root, 'outside'), join(root, 'teams/a/dags/linked'));
      expect(spawnSync('mkfifo', [join(root, 'teams/a/dags/pipe.py')]).status).toBe(0);
      writeFileSync(join(root, 'teams/a/dags/latin1.py'), Buffer.from([0xe9, 0x0a]));
      writeFileSync(join(root, 'teams/a/dags/big.csv'), 'x'.repeat(MAX_REVIEWED_FILE_BYTES + 1));
      const tree = readTree(root, ['teams']);
      expect(Object.fromEntries(tree)).toEqual({
        'teams/a/dags/big.csv': `(large file: ${MAX_REVIEWED_FILE_BYTES + 1} bytes, SHA-256 ${createHash('sha256')
          .update('x'.repeat(MAX_REVIEWED_FILE_BYTES + 1))
          .digest('hex')})`,
        'teams/a/dags/creds.py': `(symbolic link to ${join(root, 'outside/secret')})`,
        'teams/a/dags/latin1.py': `(binary file: 2 bytes, SHA-256 ${createHash('sha256')
          .update(Buffer.from([0xe9, 0x0a]))
          .digest('hex')})`,
        'teams/a/dags/linked': `(symbolic link to ${join(root, 'outside')})`,
        'teams/a/dags/pipe.py': '(a named pipe, not read)',
      });
      expect([...tree.values()].join('\n')).not.toContain('aws_secret_access_key');
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('shows teams/ or the configuration directory replaced by a link as that link, and reads nothing through it', () => {
    const root = mkdtempSync(join(tmpdir(), 'plan-tree-'));
    try {
      mkdirSync(join(root, 'runner', 'teams'), { recursive: true });
      writeFileSync(join(root, 'runner', 'id_rsa'), 'PRIVATE KEY');
      writeFileSync(join(root, 'runner', 'teams', 'a.yaml'), 'PRIVATE KEY');
      symlinkSync(join(root, 'runner'), join(root, 'teams'));
      symlinkSync(join(root, 'runner'), join(root, 'config'));
      const tree = readTree(root, teamFileDirs('config'));
      expect(Object.fromEntries(tree)).toEqual({
        teams: `(symbolic link to ${join(root, 'runner')})`,
        config: `(symbolic link to ${join(root, 'runner')})`,
      });
      expect(Object.fromEntries(readTree(root, ['./config/teams']))).toEqual({ config: `(symbolic link to ${join(root, 'runner')})` });
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('quotes a text file of exactly the size limit; a binary one of that size is binary, not large', () => {
    const root = mkdtempSync(join(tmpdir(), 'plan-tree-'));
    try {
      mkdirSync(join(root, 'teams'));
      const text = 'y'.repeat(MAX_REVIEWED_FILE_BYTES);
      const binary = Buffer.alloc(MAX_REVIEWED_FILE_BYTES);
      writeFileSync(join(root, 'teams', 'limit.csv'), text);
      writeFileSync(join(root, 'teams', 'zeros.bin'), binary);
      expect(Object.fromEntries(readTree(root, ['teams']))).toEqual({
        'teams/limit.csv': text,
        'teams/zeros.bin': `(binary file: ${MAX_REVIEWED_FILE_BYTES} bytes, SHA-256 ${createHash('sha256').update(binary).digest('hex')})`,
      });
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('diffs what changed in each file when asked, for the reviewer to read', () => {
    const base = new Map([
      ['teams/a/dags/x.py', 'a\nb\n'],
      ['teams/a/old.txt', 'z\n'],
    ]);
    const head = new Map([
      ['teams/a/dags/x.py', "a\ncmd = 'echo ${HOME}'\n"],
      ['teams/a/dags/y.py', 'y\n'],
    ]);
    expect(diffTeamFiles(base, head, { withDiff: true }).map((f) => [f.path, f.diff])).toEqual([
      ['teams/a/dags/x.py', "--- a/teams/a/dags/x.py\n+++ b/teams/a/dags/x.py\n@@ -1,2 +1,2 @@\n a\n-b\n+cmd = 'echo ${HOME}'\n"],
      ['teams/a/dags/y.py', '--- /dev/null\n+++ b/teams/a/dags/y.py\n@@ -0,0 +1,1 @@\n+y\n'],
      ['teams/a/old.txt', '--- a/teams/a/old.txt\n+++ /dev/null\n@@ -1,1 +0,0 @@\n-z\n'],
    ]);
  });

  it('needs the configuration inside the repository for --base', () => {
    expect(configInRepo('/repo', { PLATFORM_CONFIG: 'rel/config' })).toBe('rel/config');
    expect(configInRepo('/repo', { PLATFORM_CONFIG: '' })).toBe('config');
    expect(() => configInRepo('/repo', { PLATFORM_CONFIG: '/repository-next/config' })).toThrow(
      '--base compares two revisions of the repository, but PLATFORM_CONFIG=/repository-next/config is outside it (/repo); use a configuration inside the repository',
    );
    expect(configInRepo('/repo', {})).toBe('config');
    expect(configInRepo('/repo', { PLATFORM_CONFIG: '/repo/bench/config' })).toBe('bench/config');
    expect(() => configInRepo('/repo', { PLATFORM_CONFIG: '/tmp/config' })).toThrow(/outside it/);
    // A relative value that climbs out is outside too (it used to pass through unchecked).
    expect(() => configInRepo('/repo', { PLATFORM_CONFIG: '../elsewhere/config' })).toThrow(/outside it/);
  });

  it('merges matrix results into one review input', () => {
    const part = (stack: string, over: Partial<PartialReview> = {}): PartialReview => ({
      mode: 'live',
      base: 'origin/main',
      inputs: [{ stack, config: a }],
      errors: [],
      unchanged: ['owner', 'participant-b', 'participant-c'],
      findings: [],
      suppressed: [],
      teamFiles: [{ path: 'teams/b/dags/x.py', status: 'added', added: 1, removed: 0 }],
      capacity: [],
      ...over,
    });
    const m = mergePartials([
      part('participant-b'),
      part('participant-c', { errors: [{ stack: 'participant-d', stage: 'plan', message: 'boom' }] }),
    ]);
    expect(m.inputs.map((i) => i.stack)).toEqual(['participant-b', 'participant-c']);
    expect(m.unchanged).toEqual(['owner']);
    expect(m.errors).toEqual([{ stack: 'participant-d', stage: 'plan', message: 'boom' }]);
    expect(m.teamFiles).toHaveLength(1);
    expect(() => mergePartials([])).toThrow(/no partial/);
  });

  it('keeps each finding, suppressed finding and stack item once when shards report the same one, and sorts unchanged stacks', () => {
    const finding = (rule: string, stack: string, message = 'no public access block') =>
      ({ rule, stack, resource: 'aws_s3_bucket.b', message, level: 'high' }) as never;
    const suppressed = { ...(finding('CKV_AWS_21', 'participant-b') as object), reason: 'versioned elsewhere' } as never;
    const orphan = { stack: 'participant-gone', level: 'high' as const, title: 'state without configuration' };
    const part = (over: Partial<PartialReview>): PartialReview => ({
      mode: 'base',
      inputs: [],
      errors: [],
      unchanged: [],
      findings: [],
      suppressed: [],
      teamFiles: [],
      capacity: [],
      ...over,
    });
    const m = mergePartials([
      part({
        unchanged: ['participant-z', 'owner'],
        findings: [finding('CKV2_AWS_6', 'participant-b'), finding('CKV2_AWS_6', 'participant-c')],
        suppressed: [suppressed],
        stackItems: [orphan],
      }),
      part({
        unchanged: ['participant-z', 'participant-a'],
        findings: [finding('CKV2_AWS_6', 'participant-b'), finding('CKV2_AWS_6', 'participant-b', 'other')],
        suppressed: [suppressed],
        stackItems: [orphan, { ...orphan, stack: 'participant-old' }],
      }),
      part({}),
    ]);
    expect(m.unchanged).toEqual(['owner', 'participant-a', 'participant-z']);
    expect(m.findings).toEqual([
      finding('CKV2_AWS_6', 'participant-b'),
      finding('CKV2_AWS_6', 'participant-c'),
      finding('CKV2_AWS_6', 'participant-b', 'other'),
    ]);
    expect(m.suppressed).toEqual([suppressed]);
    expect(m.stackItems).toEqual([orphan, { ...orphan, stack: 'participant-old' }]);
    expect(m).not.toHaveProperty('base');
  });

  it('lists changed and unchanged stacks in name order whatever the order of the two snapshots', () => {
    const base = new Map([
      ['participant-b', a],
      ['owner', a],
      ['participant-a', a],
    ]);
    const head = new Map([
      ['participant-c', a],
      ['participant-a', { resource: {} }],
      ['owner', a],
      ['participant-b', a],
    ]);
    expect(changedStacks(base, head)).toEqual({ changed: ['participant-a', 'participant-c'], unchanged: ['owner', 'participant-b'] });
  });
});

describe('--base on a git fixture (a temporary repository with two commits)', () => {
  let repo: string;
  const git = (...args: string[]) => {
    const r = spawnSync('git', ['-C', repo, ...args], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(r.stderr);
    return r.stdout;
  };
  // A stand-in app: one stack per team file, its maxWorkers in an MWAA environment.
  const app = `import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
// Like main.ts's guards: CI refuses what this fixture stands for (the example contract).
if (process.env.CI === 'true') { console.error('refused in CI'); process.exit(1); }
const out = process.env.CDKTF_OUTDIR || 'cdktf.out';
const dir = (process.env.PLATFORM_CONFIG || 'config') + '/teams';
for (const f of readdirSync(dir)) {
  const t = JSON.parse(readFileSync(dir + '/' + f, 'utf8'));
  const stack = 'participant-' + t.team;
  mkdirSync(out + '/stacks/' + stack, { recursive: true });
  const env = { name: t.team + '-prod', environment_class: 'mw1.small', airflow_version: '2.10.3', min_workers: 1, max_workers: t.maxWorkers, schedulers: 2, webserver_access_mode: 'PRIVATE_ONLY' };
  writeFileSync(out + '/stacks/' + stack + '/cdk.tf.json', JSON.stringify({ resource: { aws_mwaa_environment: { env: { '//': { metadata: { path: stack + '/mwaa/environment-' + t.team + '-prod/environment' } }, ...env } } } }));
}
`;
  // The stack the stand-in app writes for one team.
  const fixtureStack = (t: string, maxWorkers: number): StackJson => ({
    resource: {
      aws_mwaa_environment: {
        env: {
          '//': { metadata: { path: `participant-${t}/mwaa/environment-${t}-prod/environment` } },
          name: `${t}-prod`,
          environment_class: 'mw1.small',
          airflow_version: '2.10.3',
          min_workers: 1,
          max_workers: maxWorkers,
          schedulers: 2,
          webserver_access_mode: 'PRIVATE_ONLY',
        },
      },
    },
  });
  const team = (name: string, maxWorkers: number) =>
    writeFileSync(join(repo, 'config', 'teams', `${name}.json`), JSON.stringify({ team: name, maxWorkers }));

  beforeAll(() => {
    repo = mkdtempSync(join(tmpdir(), 'plan-base-fixture-'));
    git('init', '-q', '-b', 'main');
    git('config', 'user.email', 't@example.com');
    git('config', 'user.name', 't');
    mkdirSync(join(repo, 'config', 'teams'), { recursive: true });
    mkdirSync(join(repo, 'teams', 'b', 'dags'), { recursive: true });
    mkdirSync(join(repo, 'node_modules'));
    symlinkSync(join(ROOT, 'node_modules', 'tsx'), join(repo, 'node_modules', 'tsx'));
    writeFileSync(join(repo, '.gitignore'), 'node_modules\ncdktf.out\n');
    writeFileSync(join(repo, 'main.ts'), app);
    team('a', 3);
    team('b', 3);
    writeFileSync(join(repo, 'teams', 'b', 'dags', 'report.py'), 'print(1)\n');
    git('add', '-A');
    git('commit', '-qm', 'two teams');
    team('b', 5);
    writeFileSync(join(repo, 'teams', 'b', 'dags', 'load.py'), 'print(2)\nprint(3)\n');
    git('add', '-A');
    git('commit', '-qm', 'team b scales and adds a DAG');
  });
  afterAll(() => rmSync(repo, { recursive: true, force: true }));

  it('synthesizes the base in a temporary worktree, removes it, and finds the changed team and its files', () => {
    const env = { ...process.env, PLATFORM_CONFIG: undefined, CDKTF_OUTDIR: undefined };
    const base = synthesizeBase(repo, 'HEAD~1', env, 'offline');
    expect([...base.stacks.keys()].sort()).toEqual(['participant-a', 'participant-b']);
    // The temporary worktree is no longer registered.
    expect(git('worktree', 'list', '--porcelain').match(/^worktree /gm)).toHaveLength(1);

    const out = join(repo, 'cdktf.out');
    spawnSync(process.execPath, ['--import', 'tsx', 'main.ts'], { cwd: repo, env: { ...env, CDKTF_OUTDIR: out } });
    const head = new Map(
      ['participant-a', 'participant-b'].map((s) => [
        s,
        JSON.parse(readFileSync(join(out, 'stacks', s, 'cdk.tf.json'), 'utf8')) as StackJson,
      ]),
    );
    const split = changedStacks(base.stacks, head);
    expect(split).toEqual({ changed: ['participant-b'], unchanged: ['participant-a'] });

    const teamFiles = diffTeamFiles(base.teamFiles, readTree(repo, teamFileDirs('config')));
    expect(teamFiles).toEqual([
      { path: 'config/teams/b.json', status: 'modified', added: 1, removed: 1 },
      { path: 'teams/b/dags/load.py', status: 'added', added: 2, removed: 0 },
    ]);
    // What the review makes of it is the next test's, from the same stacks (kept out of this slow test).
    expect(base.stacks.get('participant-b')).toEqual(fixtureStack('b', 3));
    expect(head.get('participant-b')).toEqual(fixtureStack('b', 5));
  });

  it('reviews the changed team from the two configurations: unchanged stacks on one line, the scaling change, the team files', () => {
    const teamFiles = [
      { path: 'config/teams/b.json', status: 'modified' as const, added: 1, removed: 1 },
      { path: 'teams/b/dags/load.py', status: 'added' as const, added: 2, removed: 0 },
    ];
    const r = reviewPlans([{ stack: 'participant-b', team: 'b', baseConfig: fixtureStack('b', 3), config: fixtureStack('b', 5) }], {
      mode: 'base',
      base: 'HEAD~1',
      unchanged: ['participant-a'],
      teamFiles,
    });
    expect(r.result).toBe('review');
    expect(r.markdown).toContain('**Unchanged** (configuration identical to `HEAD~1`, not planned): `participant-a`');
    expect(r.markdown).toContain('| b | b-prod _(changed)_ | mw1.small | 2.10.3 | 1–3 → **1–5** |');
    expect(r.markdown).toContain('class/scaling: max_workers 3 → 5');
    expect(r.markdown).toContain('| `teams/b/dags/load.py` | added (2 lines) |');
  });

  it('synthesizes the base without the CI guards: it is only compared (the base of the contract pull request is on the example contract)', () => {
    const env = { ...process.env, PLATFORM_CONFIG: undefined, CDKTF_OUTDIR: undefined };
    const refused = spawnSync(process.execPath, ['--import', 'tsx', 'main.ts'], {
      cwd: repo,
      env: { ...env, CI: 'true', CDKTF_OUTDIR: join(repo, 'ci.out') },
      encoding: 'utf8',
    });
    expect(refused.stderr).toContain('refused in CI');
    const base = synthesizeBase(repo, 'HEAD~1', { ...env, CI: 'true' }, 'live');
    expect([...base.stacks.keys()].sort()).toEqual(['participant-a', 'participant-b']);
  });

  it('fails with the git error for a ref that does not exist', () => {
    expect(() => synthesizeBase(repo, 'no-such-ref', process.env, 'offline')).toThrow(
      /^git rev-parse --verify no-such-ref\^\{commit\} failed \(exit 128\):\nfatal: /,
    );
  });

  it("a base whose synthesis fails names ref, commit, exit code and its output; it ran with the run's preview and configuration and the packages", () => {
    // A base revision whose app reports what it was given, then fails.
    const report = `import { realpathSync } from 'node:fs';
const inTree = (p: string) => realpathSync('node_modules/' + p).startsWith(realpathSync('.'));
const seen = { PREVIEW: process.env.PREVIEW ?? null, PLATFORM_CONFIG: process.env.PLATFORM_CONFIG, CI: process.env.CI ?? null, outInTree: process.env.CDKTF_OUTDIR === process.cwd() + '/cdktf.out',
  copied: inTree('pkg/index.js'), linked: { sdk: !inTree('@aws-sdk/client.js'), bin: !inTree('.bin/tool') } };
(process.env.REPORT_TO === 'stdout' ? console.log : console.error)(JSON.stringify(seen));
process.exit(3);
`;
    git('checkout', '-q', '-b', 'broken');
    writeFileSync(join(repo, 'main.ts'), report);
    git('commit', '-qam', 'broken app');
    const commit = git('rev-parse', 'HEAD').trim();
    git('checkout', '-q', 'main');
    for (const [f, c] of [
      ['pkg/index.js', 'module.exports = 1;\n'],
      ['@aws-sdk/client.js', ''],
      ['.bin/tool', ''],
    ]) {
      mkdirSync(join(repo, 'node_modules', f, '..'), { recursive: true });
      writeFileSync(join(repo, 'node_modules', f), c);
    }
    const seen = (env: NodeJS.ProcessEnv, preview: 'offline' | 'live') => {
      let message = '';
      try {
        synthesizeBase(
          repo,
          'broken',
          { ...process.env, PLATFORM_CONFIG: undefined, CDKTF_OUTDIR: undefined, PREVIEW: undefined, ...env },
          preview,
        );
      } catch (error) {
        message = (error as Error).message;
      }
      const [first, ...rest] = message.split('\n');
      expect(first).toBe(`synthesis of the base broken (${commit.slice(0, 12)}) failed with exit 3:`);
      return JSON.parse(rest.join('\n')) as Record<string, unknown>;
    };
    try {
      expect(seen({ CI: 'true' }, 'offline')).toEqual({
        PREVIEW: 'offline',
        PLATFORM_CONFIG: 'config',
        CI: null,
        outInTree: true,
        copied: true,
        linked: { sdk: true, bin: true },
      });
      expect(seen({ REPORT_TO: 'stdout' }, 'live')).toEqual(expect.objectContaining({ PREVIEW: null, PLATFORM_CONFIG: 'config' }));
      expect(seen({ PLATFORM_CONFIG: join(repo, 'config') }, 'live')).toEqual(expect.objectContaining({ PLATFORM_CONFIG: 'config' }));
    } finally {
      rmSync(join(repo, 'node_modules', 'pkg'), { recursive: true });
      rmSync(join(repo, 'node_modules', '@aws-sdk'), { recursive: true });
      rmSync(join(repo, 'node_modules', '.bin'), { recursive: true });
    }
    expect(git('worktree', 'list', '--porcelain').match(/^worktree /gm)).toHaveLength(1);
  });
});

describe('npm run plan when the configuration is invalid', () => {
  it('writes a FAILED review over the previous one and exits 2 (invalid configuration), never a success code', () => {
    const dir = mkdtempSync(join(tmpdir(), 'plan-failed-'));
    const out = join(dir, 'review.md');
    writeFileSync(out, '**Result: ✅ no changes** (stale)');
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'tools/plan-review/run.ts', '--detailed-exitcode', '--out', out], {
      cwd: ROOT,
      env: { ...process.env, PREVIEW: 'offline', PLATFORM_CONFIG: join(dir, 'no-config'), CDKTF_OUTDIR: join(dir, 'out') },
      encoding: 'utf8',
    });
    expect(r.status).toBe(2);
    const review = readFileSync(out, 'utf8');
    expect(review).toContain('**Result: ❌ FAILED**');
    expect(review).not.toContain('stale');
    expect(review).toContain('failed at configuration');
    expect(existsSync(join(dir, 'review.full.md'))).toBe(true);
    rmSync(dir, { recursive: true, force: true });
  });
});

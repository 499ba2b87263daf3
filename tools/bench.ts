/**
 * `npm run bench`: speed figures measured in one run on this machine, printed with ratios and the targets.
 * Nothing here asserts; tests never time anything. `npm run bench -- --help` lists the options; exit codes
 * follow tools/cli.ts (0 measured, 1 a measured command failed, 2 usage).
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { EXIT, runToolAsMain, type CommandLine } from './cli';
import { initAsync, requireTerraform, runAsync } from './terraform';

const ROOT = join(__dirname, '..');
// The tests' platform (a copy of the shipped example), not config/: figures stay comparable whatever a platform configures.
const BENCH_PLATFORM = join(ROOT, 'test', 'fixtures', 'platform');

/** Runs per median: synth is fast and noisy, plan and test are slow (--quick: one run each). */
const SYNTH_RUNS = 7;
const SCALING_SYNTH_RUNS = 5;
const SLOW_RUNS = 3;
/** The scaling target compares synth of this many generated teams with synth of one (ratio ≤ 2). */
const SCALING_TEAMS = 50;
/** Generated teams get accounts from here up, clear of the example's accounts. */
const FIRST_BENCH_ACCOUNT = 400000000000;

export const BENCH_COMMAND = {
  command: 'npm run bench --',
  summary: `Measure synth of the example, synth of ${SCALING_TEAMS} generated teams against one, terraform validate, npm run plan (offline) and the full npm test, and print the figures with their targets.`,
  options: {
    quick: { type: 'boolean', description: `one run of npm run plan and npm test instead of ${SLOW_RUNS}` },
    'no-test': { type: 'boolean', description: 'skip the full npm test timing' },
    'only-base': {
      type: 'boolean',
      description: 'only the --base figures: a one-team change at 50 teams against the full review and a single-stack plan',
    },
  },
  exitCodes: { [EXIT.ok]: 'measured', [EXIT.failed]: 'a measured command failed (terraform missing, synth, plan or test failing)' },
} as const;

function seconds(command: string, args: string[], env: Record<string, string> = {}): number {
  const started = process.hrtime.bigint();
  const r = spawnSync(command, args, { cwd: ROOT, env: { ...process.env, ...env }, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (r.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} exited ${r.status}:\n${r.stderr.slice(-2000)}`);
  }
  return Number(process.hrtime.bigint() - started) / 1e9;
}

function secondsIn(cwd: string, args: string[], env: Record<string, string>): number {
  const started = process.hrtime.bigint();
  const r = spawnSync(process.execPath, ['--import', 'tsx', ...args], {
    cwd,
    env: { ...process.env, ...env },
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  if (r.status !== 0) throw new Error(`${args.join(' ')} in ${cwd} exited ${r.status}:\n${r.stderr.slice(-3000)}`);
  return Number(process.hrtime.bigint() - started) / 1e9;
}

const git = (cwd: string, ...args: string[]): string => {
  const r = spawnSync('git', ['-C', cwd, ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
};

/**
 * `--base` at 50 teams, measured in one run: a copy of the repository (tracked files, packages hard-linked) with a
 * committed 50-team configuration, one team's file changed in the working tree. Three reviews, all offline:
 * the one-team change with `--base HEAD`, the full review of every stack, and a plan of that one stack.
 */
async function baseFigures(rows: string[][], fmt: (s: number) => string): Promise<void> {
  const repo = mkdtempSync(join(tmpdir(), 'bench-base-repo-'));
  try {
    for (const f of git(ROOT, 'ls-files', '-z').split('\0').filter(Boolean)) {
      mkdirSync(join(repo, f, '..'), { recursive: true });
      try {
        cpSync(join(ROOT, f), join(repo, f));
      } catch {
        // deleted in the working tree
      }
    }
    // Hard links, as the base worktree gets them: both checkouts then bundle the Lambda identically.
    spawnSync('cp', ['-al', join(ROOT, 'node_modules'), join(repo, 'node_modules')]);
    const generated = generatedConfig(50);
    cpSync(generated, join(repo, 'bench-config'), { recursive: true });
    rmSync(generated, { recursive: true, force: true });
    writeFileSync(join(repo, '.gitignore'), 'node_modules\ncdktf.out\nplan-review*.md\n');
    git(repo, 'init', '-q', '-b', 'main');
    git(repo, 'add', '-A');
    git(repo, '-c', 'user.name=bench', '-c', 'user.email=bench@example.com', 'commit', '-qm', '50 teams');
    const teamFile = join(repo, 'bench-config', 'teams', 'bench-000.yaml');
    const team = parse(readFileSync(teamFile, 'utf8'));
    team.environments[0].maxWorkers = Number(team.environments[0].maxWorkers ?? 3) + 1;
    writeFileSync(teamFile, stringify(team));

    const env = { PLATFORM_CONFIG: 'bench-config', PREVIEW: 'offline' };
    const run = ['tools/plan-review/run.ts'];
    const base = secondsIn(repo, [...run, '--base', 'HEAD'], env);
    const full = secondsIn(repo, run, env);
    const one = secondsIn(repo, [...run, '--stack', 'participant-bench-000'], env);
    const review = readFileSync(join(repo, 'plan-review.md'), 'utf8');
    if (!review.includes('participant-bench-000')) throw new Error('the single-stack review does not name participant-bench-000');
    rows.push(['review of a one-team change at 50 teams, --base HEAD (offline, 1 run)', fmt(base), '']);
    rows.push(['full offline review of the same 50 teams (51 stacks planned, 1 run)', fmt(full), '']);
    rows.push(['offline plan review of that one stack (--stack, 1 run)', fmt(one), '']);
    rows.push(['ratio --base / full review', `${((base / full) * 100).toFixed(1)} %`, '≤ 15 %']);
    rows.push(['ratio --base / single-stack plan', (base / one).toFixed(2), '≤ 2.00']);
  } finally {
    rmSync(repo, { recursive: true, force: true });
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function times(runs: number, measure: () => number): number[] {
  return Array.from({ length: runs }, measure);
}

const synthOnce = (configDir: string, outdir: string) => () =>
  seconds(process.execPath, ['--import', 'tsx', 'main.ts'], { PLATFORM_CONFIG: configDir, CDKTF_OUTDIR: outdir, PREVIEW: 'offline' });

/**
 * A copy of the fixture platform with `teams` generated participant teams (one public small environment
 * each); returns its config directory. Each team gets its own copy of marketing's folder, since team paths
 * are confined to `teams/<team>/`.
 */
function generatedConfig(teams: number): string {
  const root = mkdtempSync(join(tmpdir(), `bench-${teams}-teams-`));
  const dir = join(root, 'config');
  cpSync(join(BENCH_PLATFORM, 'config'), dir, { recursive: true });
  rmSync(join(dir, 'teams'), { recursive: true, force: true });
  mkdirSync(join(dir, 'teams'));
  const platform = parse(readFileSync(join(dir, 'platform.yaml'), 'utf8'));
  platform.network.interfaceEndpointQuota = 1000;
  writeFileSync(join(dir, 'platform.yaml'), stringify(platform));
  const template = parse(readFileSync(join(BENCH_PLATFORM, 'config', 'teams', 'marketing.yaml'), 'utf8'));
  for (let i = 0; i < teams; i++) {
    const team = `bench-${String(i).padStart(3, '0')}`;
    cpSync(join(BENCH_PLATFORM, 'teams', 'marketing'), join(root, 'teams', team), { recursive: true });
    const file = { ...template, team, accountId: String(FIRST_BENCH_ACCOUNT + i) };
    file.environments = template.environments.map((env: Record<string, unknown>) => ({
      ...env,
      name: `${team}-env`,
      requirementsFile: `teams/${team}/requirements.txt`,
    }));
    if (file.access) file.access = { ...file.access, principals: [`arn:aws:iam::${FIRST_BENCH_ACCOUNT + i}:role/BenchUsers`] };
    writeFileSync(join(dir, 'teams', `${team}.yaml`), stringify(file));
  }
  return dir;
}

/** Seconds `terraform validate` takes over the example's stacks, once initialized. */
async function validateSeconds(outdir: string): Promise<number> {
  const stacks = ['owner', 'participant-analytics', 'participant-marketing'];
  for (const stack of stacks) await initAsync(join(outdir, 'stacks', stack));
  const started = process.hrtime.bigint();
  for (const stack of stacks) await runAsync(join(outdir, 'stacks', stack), ['validate', '-no-color']);
  return Number(process.hrtime.bigint() - started) / 1e9;
}

async function main({ values }: CommandLine<typeof BENCH_COMMAND.options>): Promise<number> {
  const quick = values.quick;
  requireTerraform();
  const scratch = mkdtempSync(join(tmpdir(), 'bench-out-'));
  const fmt = (s: number) => `${s.toFixed(2)} s`;
  const rows: string[][] = [];
  if (values['only-base']) {
    rmSync(scratch, { recursive: true, force: true });
    await baseFigures(rows, fmt);
    print(rows);
    return EXIT.ok;
  }

  const synthExample = median(times(SYNTH_RUNS, synthOnce(join(BENCH_PLATFORM, 'config'), join(scratch, 'example'))));
  rows.push([`median synth of the example (node --import tsx main.ts, 3 stacks, ${SYNTH_RUNS} runs)`, fmt(synthExample), 'well under 2 s']);

  const one = generatedConfig(1);
  const fifty = generatedConfig(SCALING_TEAMS);
  const synthOne = median(times(SCALING_SYNTH_RUNS, synthOnce(one, join(scratch, 'one'))));
  const synthFifty = median(times(SCALING_SYNTH_RUNS, synthOnce(fifty, join(scratch, 'fifty'))));
  rows.push(['median synth, 1 generated team', fmt(synthOne), '']);
  rows.push([`median synth, ${SCALING_TEAMS} generated teams`, fmt(synthFifty), '']);
  rows.push([`ratio synth(${SCALING_TEAMS} teams) / synth(1 team)`, (synthFifty / synthOne).toFixed(2), '≤ 2.00']);

  const validate = await validateSeconds(join(scratch, 'example'));
  rows.push(['terraform validate of the same 3 stacks (initialized)', fmt(validate), '']);
  rows.push(['ratio synth / terraform validate', (synthExample / validate).toFixed(2), '']);

  const planRuns = quick ? 1 : SLOW_RUNS;
  const plan = median(
    times(planRuns, () => seconds('npm', ['run', '-s', 'plan'], { PREVIEW: 'offline', PLATFORM_CONFIG: join(BENCH_PLATFORM, 'config') })),
  );
  rows.push([`median npm run plan of the example, offline (${planRuns} run${planRuns > 1 ? 's' : ''})`, fmt(plan), '≤ 15 s']);

  if (!values['no-test']) {
    const testRuns = quick ? 1 : SLOW_RUNS;
    const test = median(times(testRuns, () => seconds('npm', ['test', '--silent'])));
    rows.push([`median full npm test (${testRuns} run${testRuns > 1 ? 's' : ''})`, fmt(test), '']);
    rows.push(['ratio npm test / npm run plan', (test / plan).toFixed(2), '']);
  }

  await baseFigures(rows, fmt);

  rmSync(scratch, { recursive: true, force: true });
  [one, fifty].forEach((d) => rmSync(join(d, '..'), { recursive: true, force: true }));
  print(rows);
  return EXIT.ok;
}

function print(rows: string[][]): void {
  const width = Math.max(...rows.map((r) => r[0].length));
  console.log(`bench on ${cpus().length} cores, node ${process.version}\n`);
  for (const [what, value, target] of rows) console.log(`${what.padEnd(width)}  ${value.padStart(9)}  ${target ? `target ${target}` : ''}`);
}

if (require.main === module) runToolAsMain(BENCH_COMMAND, main);

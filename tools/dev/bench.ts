/**
 * `npm run bench`: speed figures measured in one run on this machine, printed with ratios and the targets, and
 * written into docs/development.md (between its `bench:` markers, with the date and the machine). Nothing here
 * asserts; tests never time anything. Every figure runs on the tests' fixture platform (test/fixtures/platform) or on
 * one the bench generates from its platform.yaml and contract (generated teams and DAGs), never on config/ or teams/, and
 * everything is written under one temporary folder that is removed however the run ends (finished, failed,
 * interrupted). `npm run bench -- --help` lists the options; exit codes follow tools/lib/cli.ts (0 measured,
 * 1 a measured command failed, 2 usage).
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { iamRoleArn } from '../../contracts/aws';
import { EXIT, runToolAsMain, type CommandLine } from '../lib/cli';
import { initAsync, requireTerraform, runAsync } from '../lib/terraform';

const ROOT = join(__dirname, '..', '..');
// The tests' platform (a copy of the shipped example), not config/: figures stay comparable whatever a platform configures.
const BENCH_PLATFORM = join(ROOT, 'test', 'fixtures', 'platform');

/** Runs per median: synth is fast and noisy, plan and test are slow (--quick: one run each). */
const SYNTH_RUNS = 7;
const SCALING_SYNTH_RUNS = 5;
const SLOW_RUNS = 3;
/** Issue 22's targets on an idle 2-core machine: the inner loop's unit tier and the whole `npm test`. */
const UNIT_TIER_TARGET_S = 30;
const NPM_TEST_TARGET_S = 90;
/** The scaling target compares synth of this many generated teams with synth of one (ratio ≤ 2). */
const SCALING_TEAMS = 50;
/** Generated teams get accounts from here up, clear of the example's accounts. */
const FIRST_BENCH_ACCOUNT = 400000000000;

export const BENCH_COMMAND = {
  command: 'npm run bench --',
  summary: `Measure synth of the example, synth of ${SCALING_TEAMS} generated teams against one, terraform validate, npm run plan (offline), the unit tier and the full npm test, and print the figures with their targets.`,
  options: {
    quick: { type: 'boolean', description: `one run of npm run plan, the unit tier and npm test instead of ${SLOW_RUNS}` },
    'no-test': { type: 'boolean', description: 'skip the unit-tier and full npm test timings' },
    'only-test': { type: 'boolean', description: 'only the unit-tier (npm run test:unit) and full npm test timings' },
    'no-base': { type: 'boolean', description: 'skip the --base figures at 50 teams (the longest part: a full review of 51 stacks)' },
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

/**
 * CPU seconds (user + system) of the waited-for children of this process so far, from /proc/self/stat (cutime and
 * cstime, in clock ticks); undefined where there is no /proc. On a shared machine the wall time depends on the others'
 * load, the CPU time much less: both are reported.
 */
export function childCpuSeconds(stat = '/proc/self/stat', ticksPerSecond = 100): number | undefined {
  if (!existsSync(stat)) return undefined;
  const text = readFileSync(stat, 'utf8');
  // Fields after the command name (which may hold spaces) start at the state, field 3; cutime is field 16, cstime 17.
  // Linux's USER_HZ, the unit of both, is 100 on every architecture Node supports.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[16 - 3]) + Number(fields[17 - 3])) / ticksPerSecond;
}

/** Wall and CPU seconds of one run of a command (CPU undefined without /proc). */
function wallAndCpu(command: string, args: string[]): { wall: number; cpu: number | undefined } {
  const before = childCpuSeconds();
  const wall = seconds(command, args);
  const after = childCpuSeconds();
  return { wall, cpu: before === undefined || after === undefined ? undefined : after - before };
}

/** The median wall and CPU times of `runs` runs of a test command, as a row with its target. */
function testRow(what: string, runs: number, command: string, args: string[], target: string, fmt: (s: number) => string): string[] {
  const measured = Array.from({ length: runs }, () => wallAndCpu(command, args));
  const cpus = measured.map((m) => m.cpu).filter((c): c is number => c !== undefined);
  const cpu = cpus.length === measured.length ? `, CPU ${fmt(median(cpus))}` : '';
  return [
    `${what} (${runs} run${runs > 1 ? 's' : ''}; median wall${cpu ? ', median CPU user+sys' : ''})`,
    `${fmt(median(measured.map((m) => m.wall)))}${cpu}`,
    target,
  ];
}

/** The unit tier and the full `npm test`, with their targets (wall time, idle machine). */
function testRows(runs: number, fmt: (s: number) => string): string[][] {
  return [
    testRow(
      'Unit tier, `npm run test:unit`',
      runs,
      'npm',
      ['run', '-s', 'test:unit', '--', '--silent'],
      `≤ ${UNIT_TIER_TARGET_S} s wall`,
      fmt,
    ),
    testRow('Full `npm test` (tsc, deps, lint, every jest tier)', runs, 'npm', ['test', '--silent'], `≤ ${NPM_TEST_TARGET_S} s wall`, fmt),
  ];
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
async function baseFigures(scratch: string, rows: string[][], fmt: (s: number) => string): Promise<void> {
  const repo = join(scratch, 'base-repo');
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
  writeGeneratedPlatform(repo, 'bench-config', SCALING_TEAMS);
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
  rows.push([`One-team change at ${SCALING_TEAMS} teams, \`npm run plan -- --base HEAD\` (offline, 1 run)`, fmt(base), '']);
  rows.push([`Full offline review of the same ${SCALING_TEAMS} teams (${SCALING_TEAMS + 1} stacks planned, 1 run)`, fmt(full), '']);
  rows.push(['Offline review of that one stack alone (`--stack participant-bench-000`, 1 run)', fmt(one), '']);
  rows.push(['`--base` / full review', `**${((base / full) * 100).toFixed(1)} %**`, '≤ 15 %']);
  rows.push(['`--base` / single-stack plan', `**${(base / one).toFixed(2)}**`, '≤ 2']);
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

/** The DAG every generated team ships: Airflow only, so no requirements file (pip could not reach PyPI from the VPC). */
const GENERATED_DAG = `from datetime import datetime

from airflow import DAG
from airflow.operators.empty import EmptyOperator

with DAG("bench", start_date=datetime(2026, 1, 1), schedule=None, catchup=False):
    EmptyOperator(task_id="noop")
`;

/**
 * Writes a platform of `teams` generated participant teams into `repo` (config in `repo/<configDirName>`, each
 * team's folder in `repo/teams/<team>`) and returns the config directory. platform.yaml and the network contract come
 * from `platformFrom` (the fixture platform's by default, test/fixtures/platform; the contract's fingerprint does not cover the endpoint quota raised
 * here); the teams, their one small public environment and their DAG are generated, so nothing depends on the
 * shipped teams.
 */
export function writeGeneratedPlatform(
  repo: string,
  configDirName: string,
  teams: number,
  platformFrom = join(BENCH_PLATFORM, 'config'),
): string {
  const dir = join(repo, configDirName);
  mkdirSync(join(dir, 'teams'), { recursive: true });
  cpSync(join(platformFrom, 'network-contract.json'), join(dir, 'network-contract.json'));
  const platform = parse(readFileSync(join(platformFrom, 'platform.yaml'), 'utf8'));
  platform.network.interfaceEndpointQuota = 1000;
  platform.mwaa = { ...platform.mwaa, allowPublicWebserver: true };
  writeFileSync(join(dir, 'platform.yaml'), stringify(platform));
  for (let i = 0; i < teams; i++) {
    const team = `bench-${String(i).padStart(3, '0')}`;
    const accountId = String(FIRST_BENCH_ACCOUNT + i);
    mkdirSync(join(repo, 'teams', team, 'dags'), { recursive: true });
    writeFileSync(join(repo, 'teams', team, 'dags', 'bench.py'), GENERATED_DAG);
    const file = {
      team,
      accountId,
      access: { principals: [iamRoleArn('aws', accountId, 'BenchUsers')], airflowRole: 'Viewer' },
      environments: [
        { name: `${team}-env`, environmentClass: 'mw1.small', webserverAccessMode: 'PUBLIC_ONLY', minWorkers: 1, maxWorkers: 3 },
      ],
    };
    writeFileSync(join(dir, 'teams', `${team}.yaml`), stringify(file));
  }
  return dir;
}

/**
 * Runs `work` with a fresh temporary folder and removes it however the run ends: returned, thrown, or interrupted
 * (SIGINT, SIGTERM, SIGHUP: a child started with spawnSync gets the terminal's signal too, and the handler runs once
 * it has returned).
 */
export async function withScratch<T>(prefix: string, work: (dir: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const remove = () => rmSync(dir, { recursive: true, force: true });
  const signals = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 } as const;
  const handlers = Object.entries(signals).map(([signal, code]) => {
    const handler = () => {
      remove();
      process.exit(code);
    };
    process.once(signal, handler);
    return [signal, handler] as const;
  });
  try {
    return await work(dir);
  } finally {
    for (const [signal, handler] of handlers) process.removeListener(signal, handler);
    remove();
  }
}

export const BENCH_DOC = 'docs/development.md';
export type BenchTable = 'figures' | 'tests' | 'base';
export const benchMarkers = (table: BenchTable) =>
  [`<!-- bench:${table} begin (generated by npm run bench) -->`, `<!-- bench:${table} end -->`] as const;

/** The figures as the markdown table (with when and where they were measured) that docs/development.md shows. */
export function benchTable(rows: readonly string[][], machine: string): string {
  return [
    machine,
    '',
    '| Figure | Value | Target |',
    '| --- | --- | --- |',
    ...rows.map((r) => `| ${r.map((c) => c.replace(/\|/g, '\\|')).join(' | ')} |`),
  ].join('\n');
}

/** `document` with the text between `table`'s markers replaced; throws, naming the file, when the markers are missing. */
export function rewriteBenchTable(document: string, table: BenchTable, content: string): string {
  const [begin, end] = benchMarkers(table);
  const from = document.indexOf(begin);
  const to = document.indexOf(end);
  if (from < 0 || to < from) throw new Error(`${BENCH_DOC} has no bench table markers (${begin} … ${end})`);
  return `${document.slice(0, from + begin.length)}\n${content}\n${document.slice(to)}`;
}

/** "Measured 2026-12-06 on …": the date, cores and CPU, Node, Terraform and the load the figures were taken under. */
function machineLine(now: Date, args: readonly string[] = process.argv.slice(2)): string {
  const cpu = cpus();
  const terraform = /Terraform v(\S+)/.exec(spawnSync('terraform', ['version'], { encoding: 'utf8' }).stdout ?? '')?.[1] ?? 'unknown';
  const load = loadavg()
    .map((l) => l.toFixed(1))
    .join(' / ');
  return (
    `Measured by \`npm run bench${args.length ? ` -- ${args.join(' ')}` : ''}\` on ${now.toISOString().slice(0, 10)}: ${cpu.length} cores (${cpu[0]?.model.trim() ?? 'unknown CPU'}), ` +
    `Node ${process.version}, Terraform ${terraform}, load average ${load} (1/5/15 min) when the run ended.`
  );
}

function writeBenchTable(table: BenchTable, rows: readonly string[][]): void {
  const file = join(ROOT, BENCH_DOC);
  if (!existsSync(file)) return;
  writeFileSync(file, rewriteBenchTable(readFileSync(file, 'utf8'), table, benchTable(rows, machineLine(new Date()))));
  console.log(`${BENCH_DOC}: ${table} table rewritten`);
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
  const fmt = (s: number) => `${s.toFixed(2)} s`;
  return withScratch('bench-', async (scratch) => {
    if (values['only-base']) {
      const rows: string[][] = [];
      await baseFigures(scratch, rows, fmt);
      print(rows);
      writeBenchTable('base', rows);
      return EXIT.ok;
    }
    if (values['only-test']) {
      const rows = testRows(quick ? 1 : SLOW_RUNS, fmt);
      print(rows);
      writeBenchTable('tests', rows);
      return EXIT.ok;
    }
    const rows: string[][] = [];
    const synthExample = median(times(SYNTH_RUNS, synthOnce(join(BENCH_PLATFORM, 'config'), join(scratch, 'example'))));
    rows.push([
      `Median synth of the example (\`node --import tsx main.ts\`, 3 stacks, ${SYNTH_RUNS} runs)`,
      fmt(synthExample),
      'well under 2 s',
    ]);

    const one = writeGeneratedPlatform(join(scratch, 'one-team'), 'config', 1);
    const fifty = writeGeneratedPlatform(join(scratch, 'fifty-teams'), 'config', SCALING_TEAMS);
    const synthOne = median(times(SCALING_SYNTH_RUNS, synthOnce(one, join(scratch, 'one'))));
    const synthFifty = median(times(SCALING_SYNTH_RUNS, synthOnce(fifty, join(scratch, 'fifty'))));
    rows.push([
      `Synth of ${SCALING_TEAMS} generated teams / synth of 1 (medians of ${SCALING_SYNTH_RUNS} runs)`,
      `${fmt(synthFifty)} / ${fmt(synthOne)} = **${(synthFifty / synthOne).toFixed(2)}**`,
      '≤ 2',
    ]);

    const validate = await validateSeconds(join(scratch, 'example'));
    rows.push([
      'Synth / `terraform validate` of the same three stacks (initialized)',
      `${fmt(synthExample)} / ${fmt(validate)} = ${(synthExample / validate).toFixed(2)}`,
      '',
    ]);

    const planRuns = quick ? 1 : SLOW_RUNS;
    const plan = median(
      times(planRuns, () =>
        seconds('npm', ['run', '-s', 'plan'], {
          PREVIEW: 'offline',
          PLATFORM_CONFIG: join(BENCH_PLATFORM, 'config'),
          CDKTF_OUTDIR: join(scratch, 'plan'),
        }),
      ),
    );
    rows.push([`Median \`npm run plan\` of the example, offline (${planRuns} run${planRuns > 1 ? 's' : ''})`, fmt(plan), '≤ 15 s']);

    print(rows);
    writeBenchTable('figures', rows);
    if (!values['no-test']) {
      const tests = testRows(quick ? 1 : SLOW_RUNS, fmt);
      print(tests);
      writeBenchTable('tests', tests);
    }
    if (values['no-base']) return EXIT.ok;

    const baseRows: string[][] = [];
    await baseFigures(scratch, baseRows, fmt);
    print(baseRows);
    writeBenchTable('base', baseRows);
    return EXIT.ok;
  });
}

function print(rows: string[][]): void {
  const width = Math.max(...rows.map((r) => r[0].length));
  console.log(`bench on ${cpus().length} cores, node ${process.version}\n`);
  for (const [what, value, target] of rows) console.log(`${what.padEnd(width)}  ${value.padStart(9)}  ${target ? `target ${target}` : ''}`);
}

if (require.main === module) runToolAsMain(BENCH_COMMAND, main);

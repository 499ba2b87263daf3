/**
 * `npm run mutate [-- <area>...]`: mutation testing (Stryker, jest runner) one area after another, then a table per
 * area from its report. An area is a file `stryker/<area>.mjs` (settings shared in `stryker/base.mjs`); its report
 * and incremental state live in `reports/mutation/<area>/` (git-ignored), so a rerun after a small change re-tests
 * only the mutants and tests that changed. `--readme` rewrites the mutation table of docs/development.md from the reports (the flag kept its name).
 * Not part of .ci/run: a full area takes tens of minutes on the 2-core machine. Exit codes: tools/lib/cli.ts.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { EXIT, runToolAsMain, UsageError, type CommandLine } from '../lib/cli';

export const MUTATE_COMMAND = {
  command: 'npm run mutate --',
  summary:
    'Runs Stryker for each named area (stryker/<area>.mjs; every area when none is named), one after another, then prints ' +
    'a table per area from reports/mutation/<area>/mutation.json: mutants, killed, timeout, survived, no coverage, score ' +
    '((killed + timeout) / valid mutants, uncovered included) and the files mutated.',
  options: {
    readme: { type: 'boolean', description: 'rewrite the mutation table of docs/development.md (between its markers) from the reports' },
    'report-only': { type: 'boolean', description: 'run nothing: print (and with --readme, record) the existing reports' },
    concurrency: { type: 'string', valueName: 'n', description: 'Stryker test runner processes (stryker/base.mjs keeps 1 on 2 cores)' },
  },
  positionals: { usage: '[<area>...]', description: 'areas to run, the names of stryker/*.mjs other than base', max: Infinity },
  exitCodes: { [EXIT.ok]: 'every Stryker run succeeded', [EXIT.failed]: 'a Stryker run failed, or a report is missing or unreadable' },
} as const;

/** Mutant statuses of the mutation-testing-report-schema that Stryker writes. */
type Status = 'Killed' | 'Timeout' | 'Survived' | 'NoCoverage' | 'Ignored' | 'CompileError' | 'RuntimeError' | 'Pending';

export interface MutationReport {
  readonly files: Readonly<
    Record<string, { readonly mutants: ReadonlyArray<{ readonly status: Status; readonly statusReason?: string }> }>
  >;
}

export interface AreaSummary {
  readonly area: string;
  /** Files mutated, as the report names them (repository-relative). */
  readonly files: readonly string[];
  /** Valid mutants: killed + timeout + survived + no coverage (Stryker's denominator of the mutation score). */
  readonly mutants: number;
  readonly killed: number;
  readonly timeout: number;
  readonly survived: number;
  readonly noCoverage: number;
  /** Excluded by a `// Stryker disable` comment (status Ignored): not in the score; kept under 3 % of the area. */
  readonly disabled: number;
  /** Ignored because only code outside any test reaches them (module-level constants; `ignoreStatic` in base.mjs). */
  readonly staticIgnored: number;
  /** Compile or runtime errors: invalid mutants, not in the score. */
  readonly errors: number;
  /** Percent, one decimal; NaN when the area has no valid mutant. */
  readonly score: number;
}

/** Stryker's statusReason for a mutant skipped by `ignoreStatic`. */
const STATIC_REASON = /^Static mutant/;

const AREA_FILE = /^([a-z0-9][a-z0-9-]*)\.mjs$/;

/** The areas defined in `strykerDir`: every `<area>.mjs` but `base.mjs`, sorted. */
export function knownAreas(strykerDir: string): string[] {
  return readdirSync(strykerDir)
    .map((f) => AREA_FILE.exec(f)?.[1])
    .filter((a): a is string => a !== undefined && a !== 'base')
    .sort();
}

/** The areas to run: the named ones in the order given (duplicates once), or all known areas when none is named. */
export function selectAreas(requested: readonly string[], known: readonly string[]): string[] {
  if (requested.length === 0) return [...known];
  const unknown = requested.filter((a) => !known.includes(a));
  if (unknown.length > 0) {
    throw new UsageError(
      `unknown area${unknown.length > 1 ? 's' : ''} ${unknown.map((a) => `"${a}"`).join(', ')}; known areas: ${known.join(', ')}`,
    );
  }
  return [...new Set(requested)];
}

export function summarize(area: string, report: MutationReport): AreaSummary {
  const count: Record<Status, number> = {
    Killed: 0,
    Timeout: 0,
    Survived: 0,
    NoCoverage: 0,
    Ignored: 0,
    CompileError: 0,
    RuntimeError: 0,
    Pending: 0,
  };
  let staticIgnored = 0;
  for (const file of Object.values(report.files)) {
    for (const m of file.mutants) {
      if (m.status === 'Ignored' && STATIC_REASON.test(m.statusReason ?? '')) staticIgnored += 1;
      else count[m.status] += 1;
    }
  }
  const mutants = count.Killed + count.Timeout + count.Survived + count.NoCoverage;
  const detected = count.Killed + count.Timeout;
  return {
    area,
    files: Object.keys(report.files).sort(),
    mutants,
    killed: count.Killed,
    timeout: count.Timeout,
    survived: count.Survived,
    noCoverage: count.NoCoverage,
    disabled: count.Ignored,
    staticIgnored,
    errors: count.CompileError + count.RuntimeError,
    score: mutants === 0 ? NaN : Math.round((1000 * detected) / mutants) / 10,
  };
}

const pct = (score: number) => (Number.isNaN(score) ? 'n/a' : `${score.toFixed(1)} %`);

/** The console table of one area. */
export function renderSummary(s: AreaSummary, durationSeconds?: number): string {
  const rows: Array<[string, string]> = [
    ['mutants', String(s.mutants)],
    ['killed', String(s.killed)],
    ['timeout', String(s.timeout)],
    ['survived', String(s.survived)],
    ['no coverage', String(s.noCoverage)],
    ['disabled', String(s.disabled)],
    ['static (ignored)', String(s.staticIgnored)],
    ...(s.errors > 0 ? [['compile/runtime errors', String(s.errors)] as [string, string]] : []),
    ['score', pct(s.score)],
    ...(durationSeconds !== undefined ? [['duration', formatDuration(durationSeconds)] as [string, string]] : []),
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  return [
    `Mutation testing: ${s.area}`,
    ...rows.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`),
    `  files:`,
    ...s.files.map((f) => `    ${f}`),
  ].join('\n');
}

export function formatDuration(seconds: number): string {
  const m = Math.floor(seconds / 60);
  const s = Math.round(seconds - 60 * m);
  return m > 0 ? `${m} min ${s} s` : `${s} s`;
}

/** Where the mutation table lives (repository-relative). */
export const MUTATION_TABLE_FILE = 'docs/development.md';
export const README_BEGIN = '<!-- mutation-scores begin (generated by npm run mutate -- --readme) -->';
export const README_END = '<!-- mutation-scores end -->';
const HEADER = [
  '| Area | Files mutated | Mutants | Killed | Timeout | Survived | No coverage | Disabled | Static (ignored) | Score | Duration | Measured |',
  '| --- | --- | --: | --: | --: | --: | --: | --: | --: | --: | --: | --- |',
];

/** One README row; `duration` is the last full or incremental run's wall time, `date` an ISO day. */
export function readmeRow(s: AreaSummary, date: string, durationSeconds: number | undefined): string {
  const files = s.files.map((f) => `\`${f}\``).join(', ');
  const duration = durationSeconds === undefined ? '' : formatDuration(durationSeconds);
  const n = [s.mutants, s.killed, s.timeout, s.survived, s.noCoverage, s.disabled, s.staticIgnored].map(String);
  return `| \`${s.area}\` | ${files} | ${n.join(' | ')} | **${pct(s.score)}** | ${duration} | ${date} |`;
}

/**
 * The README with its mutation table rewritten: rows of `fresh` areas replaced (or added), rows of other areas kept as
 * they were (each engineer's reports live in their own work tree), sorted by area. Throws when the markers are missing.
 */
export function rewriteReadme(readme: string, fresh: ReadonlyMap<string, string>): string {
  const begin = readme.indexOf(README_BEGIN);
  const end = readme.indexOf(README_END);
  if (begin < 0 || end < begin) throw new Error(`${MUTATION_TABLE_FILE} has no mutation table markers (${README_BEGIN} … ${README_END})`);
  const inside = readme.slice(begin + README_BEGIN.length, end);
  const rows = new Map<string, string>();
  for (const line of inside.split('\n')) {
    const area = /^\| `([^`]+)` \|/.exec(line)?.[1];
    if (area) rows.set(area, line);
  }
  for (const [area, row] of fresh) rows.set(area, row);
  const body = [...rows.keys()].sort().map((a) => rows.get(a)!);
  return `${readme.slice(0, begin)}${README_BEGIN}\n${[...HEADER, ...body].join('\n')}\n${readme.slice(end)}`;
}

interface RunRecord {
  readonly durationSeconds: number;
  readonly date: string;
}

function main(root: string) {
  return (cli: CommandLine<typeof MUTATE_COMMAND.options>): number => {
    const strykerDir = join(root, 'stryker');
    const areas = selectAreas(cli.positionals, knownAreas(strykerDir));
    const concurrency = cli.values.concurrency;
    if (concurrency !== undefined && !/^[1-9][0-9]*$/.test(concurrency)) {
      throw new UsageError(`option --concurrency needs a positive whole number, got "${concurrency}"`);
    }
    const failed: string[] = [];
    const fresh = new Map<string, string>();
    for (const area of areas) {
      const dir = join(root, 'reports', 'mutation', area);
      const recordFile = join(dir, 'run.json');
      if (!cli.values['report-only']) {
        console.log(`\n== npx stryker run stryker/${area}.mjs`);
        const started = Date.now();
        const run = spawnSync(
          join(root, 'node_modules', '.bin', 'stryker'),
          ['run', `stryker/${area}.mjs`, ...(concurrency ? ['--concurrency', concurrency] : [])],
          { cwd: root, stdio: 'inherit' },
        );
        if (run.status !== 0) {
          console.error(`mutate: Stryker failed for area ${area} (${run.error?.message ?? `exit ${run.status ?? run.signal}`})`);
          failed.push(area);
          continue;
        }
        mkdirSync(dir, { recursive: true });
        const record: RunRecord = { durationSeconds: (Date.now() - started) / 1000, date: new Date().toISOString().slice(0, 10) };
        writeFileSync(recordFile, `${JSON.stringify(record)}\n`);
      }
      const reportFile = join(dir, 'mutation.json');
      if (!existsSync(reportFile)) {
        console.error(`mutate: no report for area ${area} at ${reportFile}; run \`npm run mutate -- ${area}\``);
        failed.push(area);
        continue;
      }
      const summary = summarize(area, JSON.parse(readFileSync(reportFile, 'utf8')) as MutationReport);
      const record = existsSync(recordFile) ? (JSON.parse(readFileSync(recordFile, 'utf8')) as RunRecord) : undefined;
      console.log(`\n${renderSummary(summary, record?.durationSeconds)}`);
      const date = record?.date ?? statSync(reportFile).mtime.toISOString().slice(0, 10);
      fresh.set(area, readmeRow(summary, date, record?.durationSeconds));
    }
    if (cli.values.readme && fresh.size > 0) {
      const tableFile = join(root, MUTATION_TABLE_FILE);
      writeFileSync(tableFile, rewriteReadme(readFileSync(tableFile, 'utf8'), fresh));
      console.log(`\n${MUTATION_TABLE_FILE}: mutation table rows rewritten for ${[...fresh.keys()].join(', ')}`);
    }
    return failed.length > 0 ? EXIT.failed : EXIT.ok;
  };
}

if (require.main === module) runToolAsMain(MUTATE_COMMAND, main(resolve(__dirname, '..', '..')));

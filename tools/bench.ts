/**
 * `npm run bench`: speed figures measured in one run on this machine, printed with ratios and the targets.
 * Nothing here asserts; tests never time anything.
 *
 *   --quick     one run of `npm run plan` and `npm test` instead of three
 *   --no-test   skip the full `npm test` timing
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { initAsync, requireTerraform, runAsync } from './terraform';

const ROOT = join(__dirname, '..');
const quick = process.argv.includes('--quick');
const skipTest = process.argv.includes('--no-test');

function seconds(command: string, args: string[], env: Record<string, string> = {}): number {
  const started = process.hrtime.bigint();
  const r = spawnSync(command, args, { cwd: ROOT, env: { ...process.env, ...env }, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (r.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} exited ${r.status}:\n${r.stderr.slice(-2000)}`);
  }
  return Number(process.hrtime.bigint() - started) / 1e9;
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

/** A copy of the example with `teams` generated participant teams (one public small environment each). */
function generatedConfig(teams: number): string {
  const dir = mkdtempSync(join(tmpdir(), `bench-${teams}-teams-`));
  cpSync(join(ROOT, 'config'), dir, { recursive: true });
  rmSync(join(dir, 'teams'), { recursive: true, force: true });
  mkdirSync(join(dir, 'teams'));
  const platform = parse(readFileSync(join(dir, 'platform.yaml'), 'utf8'));
  platform.network.interfaceEndpointQuota = 1000;
  writeFileSync(join(dir, 'platform.yaml'), stringify(platform));
  const template = parse(readFileSync(join(ROOT, 'config', 'teams', 'marketing.yaml'), 'utf8'));
  for (let i = 0; i < teams; i++) {
    const team = `bench-${String(i).padStart(3, '0')}`;
    const file = { ...template, team, accountId: String(400000000000 + i), dagsPath: 'teams/marketing/dags' };
    file.environments = template.environments.map((env: any) => ({ ...env, name: `${team}-env` }));
    if (file.access) file.access = { ...file.access, principals: [`arn:aws:iam::${400000000000 + i}:role/BenchUsers`] };
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

async function main(): Promise<void> {
  requireTerraform();
  const scratch = mkdtempSync(join(tmpdir(), 'bench-out-'));
  const fmt = (s: number) => `${s.toFixed(2)} s`;
  const rows: string[][] = [];

  const synthExample = median(times(7, synthOnce(join(ROOT, 'config'), join(scratch, 'example'))));
  rows.push(['median synth of the example (node --import tsx main.ts, 3 stacks, 7 runs)', fmt(synthExample), 'well under 2 s']);

  const one = generatedConfig(1);
  const fifty = generatedConfig(50);
  const synthOne = median(times(5, synthOnce(one, join(scratch, 'one'))));
  const synthFifty = median(times(5, synthOnce(fifty, join(scratch, 'fifty'))));
  rows.push(['median synth, 1 generated team', fmt(synthOne), '']);
  rows.push(['median synth, 50 generated teams', fmt(synthFifty), '']);
  rows.push(['ratio synth(50 teams) / synth(1 team)', (synthFifty / synthOne).toFixed(2), '≤ 2.00']);

  const validate = await validateSeconds(join(scratch, 'example'));
  rows.push(['terraform validate of the same 3 stacks (initialized)', fmt(validate), '']);
  rows.push(['ratio synth / terraform validate', (synthExample / validate).toFixed(2), '']);

  const planRuns = quick ? 1 : 3;
  const plan = median(times(planRuns, () => seconds('npm', ['run', '-s', 'plan'], { PREVIEW: 'offline' })));
  rows.push([`median npm run plan of the example, offline (${planRuns} run${planRuns > 1 ? 's' : ''})`, fmt(plan), '≤ 15 s']);

  if (!skipTest) {
    const testRuns = quick ? 1 : 3;
    const test = median(times(testRuns, () => seconds('npm', ['test', '--silent'])));
    rows.push([`median full npm test (${testRuns} run${testRuns > 1 ? 's' : ''})`, fmt(test), '']);
    rows.push(['ratio npm test / npm run plan', (test / plan).toFixed(2), '']);
  }

  rmSync(scratch, { recursive: true, force: true });
  [one, fifty].forEach((d) => rmSync(d, { recursive: true, force: true }));
  const width = Math.max(...rows.map((r) => r[0].length));
  console.log(`bench on ${require('node:os').cpus().length} cores, node ${process.version}\n`);
  for (const [what, value, target] of rows) console.log(`${what.padEnd(width)}  ${value.padStart(9)}  ${target ? `target ${target}` : ''}`);
}

main().catch((error) => {
  console.error(`bench failed: ${(error as Error).message}`);
  process.exitCode = 1;
});

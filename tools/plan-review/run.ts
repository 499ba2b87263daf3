/**
 * `npm run plan`: synthesize, then per stack `terraform init` (mirror only) → `plan -out=tfplan` → `show -json`,
 * two stacks at a time, and write plan-review.md at the repository root.
 *
 *   npm run plan -- [--stack <name>] [--detailed-exitcode] [--no-synth] [--out <file>]   (--help for all)
 *
 * Offline preview (placeholder credentials, see main.ts) when PREVIEW=offline or no AWS credentials are present.
 * Exit codes follow tools/cli.ts: 0 success; 1 error (synthesis, terraform, any stack failing to plan); 2 usage or
 * invalid configuration; with --detailed-exitcode 0 = no changes, 3 = changes, 4 = risky changes (docs/plan-review.md).
 */
import { appendFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConfigError } from '../../model/errors';
import { EXIT as TOOL_EXIT, parseCommandLine, runToolAsMain, UsageError, type CommandLine } from '../cli';
import { initAndPlanAsync, requireTerraform, showJsonAsync } from '../terraform';
import type { StackJson } from '../rules/types';
import { teamOfStack as teamOf } from '../../contracts/names';
import { runRulesOverStacks } from '../rules';
import { listStacks, loadPlatformInputs, previewMode, readStack, stackDir, synthesize, type PlatformInputs } from '../stacks';
import { capacityFigures } from './pipeline';
import { reviewPlans, type Risk, type StackPlanInput, type TerraformPlanJson } from './review';

const ROOT = resolve(__dirname, '..', '..');
/** The provider is CPU-bound; CI runners and dev boxes here have two cores. */
const PARALLEL = 2;

/** The convention's codes, plus the plan's own results with --detailed-exitcode (from 3: 2 is always usage). */
export const EXIT = { ok: TOOL_EXIT.ok, error: TOOL_EXIT.failed, usage: TOOL_EXIT.usage, changes: 3, risky: 4 } as const;

/** Exit code for a finished run (pure, for tests). */
export function exitCode(risk: Risk, failed: boolean, detailed: boolean): number {
  if (failed) return EXIT.error;
  if (!detailed) return EXIT.ok;
  return risk === 'risky' ? EXIT.risky : risk === 'changes' ? EXIT.changes : EXIT.ok;
}

/** Runs `fn` over items with at most `limit` in flight, preserving order of results. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

export const PLAN_COMMAND = {
  command: 'npm run plan --',
  summary:
    'Synthesize, then per stack terraform init (provider mirror only), plan and show -json, two stacks at a time, and write the plan review (markdown) at the repository root. Offline preview when PREVIEW=offline or no AWS credentials are present.',
  options: {
    stack: { type: 'string', valueName: 'name', description: 'plan only this stack, e.g. owner or participant-<team>' },
    'detailed-exitcode': { type: 'boolean', description: `exit ${EXIT.ok} no changes, ${EXIT.changes} changes, ${EXIT.risky} risky changes` },
    'no-synth': { type: 'boolean', description: 'plan the existing cdktf.out (CDKTF_OUTDIR) instead of synthesizing' },
    out: { type: 'string', valueName: 'file', default: 'plan-review.md', description: 'where the review is written, relative to the repository root' },
  },
  exitCodes: {
    [EXIT.ok]: 'success (with --detailed-exitcode: no changes in any stack)',
    [EXIT.error]: 'error: terraform or the mirror missing, synthesis failed, a stack failed to plan',
    [EXIT.changes]: 'with --detailed-exitcode: changes, none of them risky',
    [EXIT.risky]: 'with --detailed-exitcode: risky changes (see docs/plan-review.md)',
  },
} as const;

interface Args {
  readonly stack?: string;
  readonly detailed: boolean;
  readonly synth: boolean;
  readonly out: string;
}

const toArgs = ({ values }: CommandLine<typeof PLAN_COMMAND.options>): Args => ({
  stack: values.stack,
  detailed: values['detailed-exitcode'],
  synth: !values['no-synth'],
  out: values.out,
});

/** The run's arguments (pure, for tests); throws UsageError on a bad command line or for --help. */
export function parseArgs(argv: readonly string[]): Args {
  const cli = parseCommandLine(PLAN_COMMAND, argv);
  if (!cli) throw new UsageError('--help is handled by the runner');
  return toArgs(cli);
}

async function planStack(outdir: string, stack: string): Promise<{ stack: string; plan?: TerraformPlanJson; error?: string }> {
  const dir = stackDir(outdir, stack);
  const started = Date.now();
  try {
    await initAndPlanAsync(dir, 'tfplan');
    const plan = (await showJsonAsync(dir, 'tfplan')) as TerraformPlanJson;
    console.error(`  ✓ ${stack} planned in ${Math.round((Date.now() - started) / 1000)}s`);
    return { stack, plan };
  } catch (error) {
    console.error(`  ✗ ${stack} failed: ${(error as Error).message.split('\n').slice(0, 8).join('\n    ')}`);
    return { stack, error: (error as Error).message };
  }
}

async function main(cli: CommandLine<typeof PLAN_COMMAND.options>): Promise<number> {
  const args = toArgs(cli);
  const preview = previewMode(process.env);
  const outdir = resolve(ROOT, process.env.CDKTF_OUTDIR || 'cdktf.out');
  try {
    requireTerraform();
    console.error(`plan: ${preview === 'offline' ? 'offline preview (no AWS credentials or PREVIEW=offline)' : 'live, with AWS credentials'}`);
    // The config first: an invalid file is a usage error (exit 2) naming file and field, not a failed synthesis.
    if (args.synth) loadPlatformInputs(ROOT, process.env);
    if (args.synth) synthesize(ROOT, process.env, preview);
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    console.error(`plan failed: ${(error as Error).message}`);
    return EXIT.error;
  }

  let stacks: string[];
  try {
    const all = listStacks(outdir);
    stacks = args.stack ? all.filter((s) => s === args.stack) : all;
    if (!stacks.length && args.stack) throw new UsageError(`no stack ${args.stack} in ${outdir} (have: ${all.join(', ')})`);
    if (!stacks.length) throw new Error(`no stacks in ${outdir}`);
  } catch (error) {
    if (error instanceof UsageError) throw error;
    console.error((error as Error).message);
    return EXIT.error;
  }

  const results = await mapLimit(stacks, PARALLEL, (s) => planStack(outdir, s));

  // Suppressions and capacity come from the config; a hand-made cdktf.out may have none, which is not fatal.
  let inputs: PlatformInputs | undefined;
  try {
    inputs = loadPlatformInputs(ROOT, process.env);
  } catch (error) {
    console.error(`warning: platform config not loaded, review has no suppressions/capacity: ${(error as Error).message.split('\n')[0]}`);
  }
  const jsonOf = new Map<string, StackJson>(stacks.map((s) => [s, readStack(outdir, s)]));
  const rulesRun = inputs ? runRulesOverStacks([...jsonOf].map(([stack, json]) => ({ stack, json })), inputs) : undefined;

  const planned: StackPlanInput[] = results
    .filter((r) => r.plan)
    .map((r) => ({ stack: r.stack, ...(teamOf(r.stack) ? { team: teamOf(r.stack) } : {}), plan: r.plan! }));
  const errors = results.filter((r) => r.error).map((r) => ({ stack: r.stack, message: r.error! }));
  const review = reviewPlans(planned, {
    preview,
    errors,
    suppressed: rulesRun?.suppressed ?? [],
    capacity: inputs?.config ? capacityFigures(inputs.config) : [],
  });

  writeFileSync(resolve(ROOT, args.out), review.markdown);
  if (process.env.GITHUB_STEP_SUMMARY) appendFileSync(process.env.GITHUB_STEP_SUMMARY, review.markdown + '\n');
  console.log(review.summary);
  if (rulesRun?.findings.length) console.log(`note: ${rulesRun.findings.length} unsuppressed security finding(s); run npm run check`);
  console.error(`wrote ${args.out}`);
  return exitCode(review.risk, errors.length > 0, args.detailed);
}

if (require.main === module) runToolAsMain(PLAN_COMMAND, main);

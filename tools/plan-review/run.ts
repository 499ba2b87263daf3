/**
 * `npm run plan`: synthesize, then per stack `terraform init` (mirror only) → `plan -out=tfplan` → `show -json`,
 * two stacks at a time, and write plan-review.md at the repository root.
 *
 *   npx tsx tools/plan-review/run.ts [--stack <name>] [--detailed-exitcode] [--no-synth] [--out <file>]
 *
 * Offline preview (placeholder credentials, see main.ts) when PREVIEW=offline or no AWS credentials are present.
 * Exit codes: 0 success; 1 error (synthesis, config, any stack failing to plan); with --detailed-exitcode
 * 0 = no changes, 2 = changes, 3 = risky changes (see docs/plan-review.md).
 */
import { appendFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
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

export const EXIT = { ok: 0, error: 1, changes: 2, risky: 3 } as const;

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

interface Args {
  readonly stack?: string;
  readonly detailed: boolean;
  readonly synth: boolean;
  readonly out: string;
}

export function parseArgs(argv: readonly string[]): Args {
  const value = (flag: string): string | undefined => {
    const i = argv.indexOf(flag);
    if (i < 0) return undefined;
    const v = argv[i + 1];
    if (!v || v.startsWith('--')) throw new Error(`${flag} needs a value`);
    return v;
  };
  const known = new Set(['--stack', '--detailed-exitcode', '--no-synth', '--out']);
  const unknown = argv.filter((a, i) => a.startsWith('--') && !known.has(a) && !(i > 0 && ['--stack', '--out'].includes(argv[i - 1])));
  if (unknown.length) throw new Error(`unknown option(s): ${unknown.join(' ')}`);
  return { stack: value('--stack'), detailed: argv.includes('--detailed-exitcode'), synth: !argv.includes('--no-synth'), out: value('--out') ?? 'plan-review.md' };
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

async function main(argv: readonly string[]): Promise<number> {
  let args: Args;
  try {
    args = parseArgs(argv);
  } catch (error) {
    console.error((error as Error).message);
    return EXIT.error;
  }
  const preview = previewMode(process.env);
  const outdir = join(ROOT, process.env.CDKTF_OUTDIR || 'cdktf.out');
  try {
    requireTerraform();
    console.error(`plan: ${preview === 'offline' ? 'offline preview (no AWS credentials or PREVIEW=offline)' : 'live, with AWS credentials'}`);
    if (args.synth) synthesize(ROOT, process.env, preview);
  } catch (error) {
    console.error(`plan failed: ${(error as Error).message}`);
    return EXIT.error;
  }

  let stacks: string[];
  try {
    const all = listStacks(outdir);
    stacks = args.stack ? all.filter((s) => s === args.stack) : all;
    if (!stacks.length) throw new Error(`no stack ${args.stack} in ${outdir} (have: ${all.join(', ')})`);
  } catch (error) {
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

  writeFileSync(join(ROOT, args.out), review.markdown);
  if (process.env.GITHUB_STEP_SUMMARY) appendFileSync(process.env.GITHUB_STEP_SUMMARY, review.markdown + '\n');
  console.log(review.summary);
  if (rulesRun?.findings.length) console.log(`note: ${rulesRun.findings.length} unsuppressed security finding(s); run npm run check`);
  console.error(`wrote ${args.out}`);
  return exitCode(review.risk, errors.length > 0, args.detailed);
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (error) => {
      console.error(error);
      process.exitCode = EXIT.error;
    },
  );
}

/**
 * `npm run plan`: synthesize, plan, review; writes plan-review.md (the PR comment, under GitHub's limit) and
 * plan-review.full.md (everything; also appended to $GITHUB_STEP_SUMMARY).
 *
 *   npm run plan -- [--stack <a,b>] [--base <git-ref>] [--detailed-exitcode] [--no-synth] [--out <file>]
 *                   [--list-changed] [--partial <file>] [--merge <file>...]
 *
 * --base <ref>     synthesizes <ref> in a temporary git worktree; stacks whose configuration is identical are
 *                  listed as unchanged and not planned. Offline (no credentials) the changed stacks are reviewed
 *                  from the two configurations without Terraform; with credentials only they are planned.
 * --list-changed   with --base: print {"changed":[…],"unchanged":[…]} and exit (the workflow's job matrix)
 * --partial <file> write this run's review input as JSON instead of markdown (one matrix job)
 * --merge <files>  render one review from partial files (the matrix's merge job); no synthesis, no Terraform
 *
 * Exit codes follow tools/lib/cli.ts: 0 success; 1 FAILED (synthesis, init or plan of any stack, nothing reviewed);
 * 2 usage or invalid configuration; with --detailed-exitcode 0 = no changes, 3 = info/review changes, 4 = high
 * items. A failed run is never 0, and a FAILED review replaces any previous one.
 */
import { appendFileSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConfigError } from '../../model/errors';
import type { PlatformConfig } from '../../model/model';
import { configDirInRepository, configDirOf, outdirOf } from '../../model/synth-settings';
import { isCi } from '../../model/validate/deployment';
import { EXIT as TOOL_EXIT, parseCommandLine, runToolAsMain, UsageError, type CommandLine } from '../lib/cli';
import { initAndPlanAsync, requireTerraform, showJsonAsync, TerraformError } from '../lib/terraform';
import { OWNER_STACK, RECOVERY_OWNER_STACK, recoveryResourcePrefix, teamOfRecoveryStack, teamOfStack } from '../../contracts/names';
import { runRulesOverStacks, type Finding as RuleFinding, type StackJson, type SuppressedFinding } from '../rules';
import { listStacks, loadPlatformInputs, previewMode, readStack, stackDir, synthesize, type PlatformInputs } from '../lib/stacks';
import { capacityFigures } from './pipeline';
import { readTree, synthesizeBase, teamFileDirs, configInRepo, type BaseSnapshot } from './base';
import { sameStack } from './changes';
import type { PriceTable } from './cost';
import {
  fenceFor,
  reviewPlans,
  type Result,
  type ReviewOptions,
  type StackError,
  type StackInput,
  type StackItem,
  type TerraformPlanJson,
} from './review';
import { configuredRecoveryStacks, orphanReviewItems, scanForOrphans } from './orphans';
import { diffTeamFiles, type TeamFileChange } from './team-files';
import { credentialHint } from './credentials';
import { environmentFileItems, type ConfiguredEnvironmentFiles, type EnvironmentFileKind } from './environment-files';
import prices from './prices.json';
import { mapLimit } from '../lib/concurrency';

const ROOT = resolve(__dirname, '..', '..');
/** The provider is CPU-bound; CI runners and dev boxes here have two cores. */
const PARALLEL = 2;

/** The convention's codes (tools/lib/cli.ts), plus the plan's own results with --detailed-exitcode (from 3: 2 is usage). */
export const EXIT = { ok: TOOL_EXIT.ok, error: TOOL_EXIT.failed, usage: TOOL_EXIT.usage, changes: 3, high: 4 } as const;

/** Exit code for a finished run (pure, for tests): failure is 1 with or without --detailed-exitcode. */
export function exitCode(result: Result, detailed: boolean): number {
  if (result === 'failed') return EXIT.error;
  if (!detailed) return EXIT.ok;
  return result === 'high' ? EXIT.high : result === 'none' ? EXIT.ok : EXIT.changes;
}

export interface Args {
  readonly stacks?: readonly string[];
  readonly detailed: boolean;
  readonly synth: boolean;
  readonly out: string;
  readonly base?: string;
  readonly listChanged: boolean;
  readonly partial?: string;
  readonly merge?: readonly string[];
}

export const PLAN_COMMAND = {
  command: 'npm run plan --',
  summary:
    'Synthesize, plan and review: per stack terraform init (provider mirror only), plan and show -json, two at a time, then the review (plan-review.md for the PR comment, plan-review.full.md with everything). With --base only the stacks whose configuration differs from that git ref are reviewed: offline from the two configurations, with AWS credentials by planning just those. Offline preview when PREVIEW=offline or no AWS credentials are present.',
  options: {
    stack: { type: 'string', valueName: 'a,b', description: 'review only these stacks (comma-separated), e.g. owner,participant-<team>' },
    base: {
      type: 'string',
      valueName: 'git-ref',
      description: 'compare with this revision, synthesized in a temporary git worktree; unchanged stacks are not planned',
    },
    'detailed-exitcode': {
      type: 'boolean',
      description: `exit ${EXIT.ok} no changes, ${EXIT.changes} review/info changes, ${EXIT.high} high items`,
    },
    'no-synth': { type: 'boolean', description: 'review the existing cdktf.out (CDKTF_OUTDIR) instead of synthesizing' },
    out: {
      type: 'string',
      valueName: 'file',
      default: 'plan-review.md',
      description: 'where the review is written (the full one next to it as <name>.full.md), relative to the repository root',
    },
    'list-changed': {
      type: 'boolean',
      description: 'with --base: print {"changed":[...],"unchanged":[...]} and exit (the workflow matrix)',
    },
    partial: {
      type: 'string',
      valueName: 'file',
      description: "write this run's review input as JSON instead of markdown (one matrix job)",
    },
    merge: { type: 'boolean', description: 'render one review from the partial files given as arguments (the merge job)' },
  },
  positionals: { usage: '[partial.json ...]', description: 'with --merge: the partial results to combine', max: 1000 },
  exitCodes: {
    [EXIT.ok]: 'success (with --detailed-exitcode: no changes in any stack)',
    [EXIT.error]: 'FAILED: terraform or the mirror missing, synthesis, init or plan of a stack failed, or nothing was reviewed',
    [EXIT.changes]: 'with --detailed-exitcode: changes, none of them high',
    [EXIT.high]: 'with --detailed-exitcode: risky changes, at least one high item (see docs/plan-review.md)',
  },
} as const;

const toArgs = ({ values, positionals }: CommandLine<typeof PLAN_COMMAND.options>): Args => {
  if (values.merge && !positionals.length) throw new UsageError('--merge needs at least one partial file');
  if (!values.merge && positionals.length)
    throw new UsageError(`unexpected argument: ${positionals.join(' ')} (partial files go with --merge)`);
  if (values['list-changed'] && !values.base) throw new UsageError('--list-changed needs --base <git-ref>');
  const stacks = values.stack?.split(',').filter(Boolean);
  return {
    ...(stacks?.length ? { stacks } : {}),
    detailed: values['detailed-exitcode'],
    synth: !values['no-synth'],
    out: values.out,
    ...(values.base ? { base: values.base } : {}),
    listChanged: values['list-changed'],
    ...(values.partial ? { partial: values.partial } : {}),
    ...(values.merge ? { merge: positionals } : {}),
  };
};

/** The run's arguments (pure, for tests); throws UsageError on a bad command line or for --help. */
export function parseArgs(argv: readonly string[]): Args {
  const cli = parseCommandLine(PLAN_COMMAND, argv);
  if (!cli) throw new UsageError('--help is handled by the runner');
  return toArgs(cli);
}

/** What one run contributes to a review: the matrix jobs write it, the merge job combines them. */
export interface PartialReview {
  readonly mode: NonNullable<ReviewOptions['mode']>;
  readonly base?: string;
  readonly inputs: readonly StackInput[];
  readonly errors: readonly StackError[];
  readonly unchanged: readonly string[];
  readonly findings: readonly RuleFinding[];
  readonly suppressed: readonly SuppressedFinding[];
  readonly teamFiles: readonly TeamFileChange[];
  /** Stack-level items outside any plan (orphaned state); found once, by the shard that runs the scan. */
  readonly stackItems?: readonly StackItem[];
  readonly capacity: NonNullable<ReviewOptions['capacity']>;
}

/** Combines matrix results: stacks and errors concatenated, the shared parts taken once. Pure. */
export function mergePartials(parts: readonly PartialReview[]): PartialReview {
  if (!parts.length) throw new Error('no partial reviews to merge');
  const byStack = <T extends { stack: string }>(xs: readonly T[]): T[] => [...new Map(xs.map((x) => [x.stack, x])).values()];
  const reviewed = new Set(parts.flatMap((p) => p.inputs.map((i) => i.stack)));
  return {
    mode: parts[0].mode,
    ...(parts[0].base ? { base: parts[0].base } : {}),
    inputs: byStack(parts.flatMap((p) => p.inputs)),
    errors: parts.flatMap((p) => p.errors),
    unchanged: [...new Set(parts.flatMap((p) => p.unchanged))].filter((s) => !reviewed.has(s)).sort(),
    findings: [...new Map(parts.flatMap((p) => p.findings).map((f) => [`${f.rule}|${f.stack}|${f.resource}|${f.message}`, f])).values()],
    suppressed: [
      ...new Map(parts.flatMap((p) => p.suppressed).map((f) => [`${f.rule}|${f.stack}|${f.resource}|${f.message}`, f])).values(),
    ],
    teamFiles: parts[0].teamFiles,
    // Every shard scans the same state: keep each item once.
    stackItems: [...new Map(parts.flatMap((p) => p.stackItems ?? []).map((i) => [`${i.stack}\n${i.title}`, i])).values()],
    capacity: parts[0].capacity,
  };
}

/** Which stacks differ between base and head configurations (added and removed ones count as changed). Pure. */
export function changedStacks(
  base: ReadonlyMap<string, StackJson>,
  head: ReadonlyMap<string, StackJson>,
): { changed: string[]; unchanged: string[] } {
  const all = [...new Set([...base.keys(), ...head.keys()])].sort();
  const changed = all.filter((s) => !base.has(s) || !head.has(s) || !sameStack(base.get(s)!, head.get(s)!));
  return { changed, unchanged: all.filter((s) => !changed.includes(s)) };
}

async function planStack(outdir: string, stack: string): Promise<{ stack: string; plan?: TerraformPlanJson; error?: StackError }> {
  const dir = stackDir(outdir, stack);
  const started = Date.now();
  try {
    await initAndPlanAsync(dir, 'tfplan');
    const plan = (await showJsonAsync(dir, 'tfplan')) as TerraformPlanJson;
    console.error(`  ✓ ${stack} planned in ${Math.round((Date.now() - started) / 1000)}s`);
    return { stack, plan };
  } catch (error) {
    const stage = error instanceof TerraformError ? error.args[0] : 'plan';
    console.error(`  ✗ ${stack} failed at ${stage}`);
    return { stack, error: { stack, stage, message: (error as Error).message } };
  }
}

/**
 * What the review reads of each stack: team (of a participant or recovery stack), platform name prefix (with the
 * region for the recovery region's stacks), its account and the platform's accounts, the plan (when planned), the
 * synthesized configuration of head and base. Pure; a stack only the base has is orphaned.
 */
export function stackInputsFor(
  stacks: readonly string[],
  sources: {
    readonly head: ReadonlyMap<string, StackJson>;
    readonly base?: ReadonlyMap<string, StackJson>;
    readonly plans?: ReadonlyMap<string, TerraformPlanJson>;
    readonly config?: PlatformConfig;
  },
): StackInput[] {
  const { head, base, plans, config } = sources;
  const platformAccounts = config ? [config.platform.owner.accountId, ...config.teams.map((t) => t.accountId)] : undefined;
  return stacks.map((stack) => {
    const team = teamOfStack(stack) ?? teamOfRecoveryStack(stack);
    const account = accountOf(stack, config);
    const plan = plans?.get(stack);
    return {
      ...(platformAccounts ? { platformAccounts } : {}),
      ...(config ? { platform: namePrefixOf(stack, config) } : {}),
      stack,
      ...(team ? { team } : {}),
      ...(account ? { accountId: account } : {}),
      ...(plan ? { plan } : {}),
      ...(head.has(stack) ? { config: head.get(stack)! } : {}),
      ...(base?.has(stack) ? { baseConfig: base.get(stack)! } : {}),
    };
  });
}

function accountOf(stack: string, config: PlatformConfig | undefined): string | undefined {
  if (!config) return undefined;
  if (stack === OWNER_STACK || stack === RECOVERY_OWNER_STACK) return config.platform.owner.accountId;
  const team = teamOfStack(stack) ?? teamOfRecoveryStack(stack);
  return config.teams.find((t) => t.team === team)?.accountId;
}

/** The prefix a stack's per-account names start with: the recovery region's stacks carry the region in it. */
function namePrefixOf(stack: string, config: PlatformConfig): string {
  const { platform, recovery } = config.platform;
  const inRecovery = stack === RECOVERY_OWNER_STACK || teamOfRecoveryStack(stack) !== undefined;
  return inRecovery && recovery ? recoveryResourcePrefix(platform, recovery.region) : platform;
}

/** The startup scripts and requirements files the environments name, by path from the repository root. */
export function configuredEnvironmentFiles(config: PlatformConfig | undefined): ConfiguredEnvironmentFiles {
  const out = new Map<string, EnvironmentFileKind>();
  for (const env of (config?.teams ?? []).flatMap((t) => t.environments)) {
    if (env.startupScriptFile) out.set(env.startupScriptFile, 'startup script');
    if (env.requirementsFile) out.set(env.requirementsFile, 'requirements file');
  }
  return out;
}

/** The workflow run's page (job summary and artifacts), from the variables GitHub Actions sets. */
export function runUrl(env: NodeJS.ProcessEnv): string | undefined {
  const { GITHUB_SERVER_URL: server, GITHUB_REPOSITORY: repo, GITHUB_RUN_ID: run } = env;
  return server && repo && run ? `${server}/${repo}/actions/runs/${run}` : undefined;
}

function writeReview(args: Args, options: ReviewOptions, inputs: readonly StackInput[], printSummary = true): Result {
  const url = runUrl(process.env);
  const review = reviewPlans(inputs, { prices: prices as unknown as PriceTable, ...(url ? { fullReviewUrl: url } : {}), ...options });
  const out = resolve(ROOT, args.out);
  writeFileSync(out, review.markdown);
  writeFileSync(fullPath(out), review.full);
  if (process.env.GITHUB_STEP_SUMMARY) appendFileSync(process.env.GITHUB_STEP_SUMMARY, review.full + '\n');
  if (printSummary) console.log(review.summary);
  console.error(`wrote ${args.out} (${review.markdown.length} characters) and ${fullPath(args.out)}`);
  return review.result;
}

const fullPath = (out: string): string => out.replace(/(\.md)?$/, '.full.md');

/**
 * A failed run still writes a review, so the pull request shows FAILED instead of an old result. The message is
 * printed once: by the review's summary, or, with `printed: false`, by the caller (an invalid configuration is
 * rethrown and reported by tools/lib/cli.ts, exit 2).
 */
function failed(args: Args, stage: string, message: string, mode: ReviewOptions['mode'], printed = true): number {
  if (args.partial) {
    if (printed) console.error(`plan FAILED at ${stage}:\n${message}`);
    const p: PartialReview = {
      mode: mode ?? 'offline',
      ...(args.base ? { base: args.base } : {}),
      inputs: [],
      errors: [{ stack: '(all stacks)', stage, message }],
      unchanged: [],
      findings: [],
      suppressed: [],
      teamFiles: [],
      capacity: [],
    };
    writeFileSync(resolve(ROOT, args.partial), JSON.stringify(p));
  } else {
    // A failed comparison names the ref it was made against, as a finished one does.
    const options = {
      ...(mode ? { mode } : {}),
      ...(args.base ? { base: args.base } : {}),
      errors: [{ stack: '(all stacks)', stage, message }],
    };
    writeReview(args, options, [], printed);
  }
  return EXIT.error;
}

export const FIRST_DEPLOYMENT_NOTE =
  'the committed network contract is still the shipped example (first deployment: the owner stack is not applied yet), ' +
  'which synthesis refuses in CI with real credentials; this pull request is compared offline, as without credentials. ' +
  'Once merged, the apply job applies the owner and opens the "Publish the network contract" pull request';

/**
 * A pull-request plan in CI with credentials (TERRAFORM_ROLE=plan) while the committed contract is the example and
 * state is already in S3: every pull request of a first deployment until the contract pull request is merged. The
 * guards refuse that synthesis (they protect applies); the read-only review falls back to the offline comparison
 * instead of failing, so the pull requests that lead to the owner's first apply can be reviewed and merged. A local
 * backend is not covered: that synthesis fails with the guard's message (bootstrap the state bucket first).
 */
export function isFirstDeploymentPlan(env: NodeJS.ProcessEnv, config: () => PlatformConfig | undefined): boolean {
  if (previewMode(env) !== 'live' || !isCi(env) || env.TERRAFORM_ROLE !== 'plan') return false;
  let loaded: PlatformConfig | undefined;
  try {
    loaded = config();
  } catch {
    return false; // an invalid configuration is reported by the run itself
  }
  return loaded?.contract?.source === 'example' && loaded.platform.backend.type === 's3';
}

/** The command (exported for in-process tests); `npm run plan` runs it through the tools' convention (tools/lib/cli.ts). */
export async function runPlan(cli: CommandLine<typeof PLAN_COMMAND.options>): Promise<number> {
  const args = toArgs(cli);
  // Never leave a previous run's review behind.
  for (const f of [args.out, fullPath(args.out)]) rmSync(resolve(ROOT, f), { force: true });

  if (args.merge) {
    try {
      const merged = mergePartials(args.merge.map((f) => JSON.parse(readFileSync(resolve(f), 'utf8')) as PartialReview));
      const result = writeReview(
        args,
        {
          mode: merged.mode,
          ...(merged.base ? { base: merged.base } : {}),
          errors: merged.errors,
          unchanged: merged.unchanged,
          findings: merged.findings,
          suppressed: merged.suppressed,
          teamFiles: merged.teamFiles,
          capacity: merged.capacity,
          stackItems: merged.stackItems ?? [],
        },
        merged.inputs,
      );
      return exitCode(result, args.detailed);
    } catch (error) {
      return failed(args, 'merge', (error as Error).message, undefined);
    }
  }

  const firstDeployment = isFirstDeploymentPlan(process.env, () => loadPlatformInputs(ROOT, process.env).config);
  if (firstDeployment) console.error(`plan: ${FIRST_DEPLOYMENT_NOTE}`);
  const preview = firstDeployment ? 'offline' : previewMode(process.env);
  const outdir = outdirOf(process.env, ROOT);
  const mode: NonNullable<ReviewOptions['mode']> = args.base && preview === 'offline' ? 'base' : preview;
  console.error(
    `plan: ${mode === 'base' ? `offline comparison with ${args.base}` : mode === 'offline' ? 'offline preview (no AWS credentials or PREVIEW=offline)' : 'live, with AWS credentials'}`,
  );
  try {
    if (mode !== 'base') requireTerraform();
    // The config first: an invalid file is a usage error (exit 2) naming file and field, not a failed synthesis.
    if (args.synth) loadPlatformInputs(ROOT, process.env);
    if (args.synth) synthesize(ROOT, process.env, preview);
  } catch (error) {
    if (error instanceof ConfigError) {
      failed(args, 'configuration', error.message, mode, false);
      throw error;
    }
    return failed(args, 'synth', (error as Error).message, mode);
  }

  let head: Map<string, StackJson>;
  let base: BaseSnapshot | undefined;
  try {
    head = new Map(listStacks(outdir).map((s) => [s, readStack(outdir, s)]));
    if (args.base) base = synthesizeBase(ROOT, args.base, process.env, preview);
  } catch (error) {
    return failed(args, args.base ? 'synth (base)' : 'synth', (error as Error).message, mode);
  }

  const split = base ? changedStacks(base.stacks, head) : { changed: [...head.keys()], unchanged: [] };
  if (args.listChanged) {
    console.log(JSON.stringify(split));
    return EXIT.ok;
  }
  const unknown = (args.stacks ?? []).filter((s) => !head.has(s) && !base?.stacks.has(s));
  if (unknown.length) throw new UsageError(`no stack ${unknown.join(', ')} in ${outdir} (have: ${[...head.keys()].join(', ')})`);
  const selected = split.changed.filter((s) => !args.stacks || args.stacks.includes(s));
  const unchanged = split.unchanged.filter((s) => !args.stacks || args.stacks.includes(s));

  // Terraform only where the configuration changed, and only when there is something to learn from it.
  const toPlan = mode === 'base' ? [] : selected.filter((s) => head.has(s));
  const results = await mapLimit(toPlan, PARALLEL, (s) => planStack(outdir, s));
  const planOf = new Map(results.filter((r) => r.plan).map((r) => [r.stack, r.plan!]));
  const errors = results.filter((r) => r.error).map((r) => r.error!);
  const hint = credentialHint(errors);
  if (hint) console.error(hint);

  let inputs: PlatformInputs | undefined;
  try {
    inputs = loadPlatformInputs(ROOT, process.env);
  } catch (error) {
    console.error(
      `warning: platform config not loaded, review has no suppressions, capacity or accounts: ${(error as Error).message.split('\n')[0]}`,
    );
  }
  const reviewed = selected.filter((s) => !errors.some((e) => e.stack === s));
  const stackInputs = stackInputsFor(reviewed, { head, ...(base ? { base: base.stacks } : {}), plans: planOf, config: inputs?.config });
  const rulesRun = inputs
    ? runRulesOverStacks(
        reviewed.filter((s) => head.has(s)).map((stack) => ({ stack, json: head.get(stack)! })),
        inputs,
      )
    : undefined;
  // Only a comparison with --base needs the configuration inside the repository (both revisions are read there).
  // Repository-relative where it can be (it names the folder in messages), absolute otherwise.
  const configDir = base ? configInRepo(ROOT, process.env) : (configDirInRepository(process.env, ROOT) ?? configDirOf(process.env, ROOT));
  const teamFiles = base ? diffTeamFiles(base.teamFiles, readTree(ROOT, teamFileDirs(configDir)), { withDiff: true }) : [];
  // State without configuration (a team file removed before `npm run decommission`) is high in every review.
  const orphanScan = inputs?.config
    ? await scanForOrphans(
        ROOT,
        inputs.config.platform.backend,
        inputs.config.teams.map((t) => t.team),
        { live: preview === 'live', configDir, recoveryStacks: configuredRecoveryStacks(inputs.config) },
      )
    : { orphans: [], notes: [] };
  const partial: PartialReview = {
    mode,
    stackItems: [
      ...orphanReviewItems(orphanScan),
      ...(hint ? [{ stack: '(credentials)', level: 'info' as const, title: hint.replace(/^plan: /, '') }] : []),
      ...environmentFileItems(teamFiles, configuredEnvironmentFiles(inputs?.config), fenceFor),
      ...(firstDeployment ? [{ stack: '(network contract)', level: 'info' as const, title: FIRST_DEPLOYMENT_NOTE }] : []),
    ],
    ...(args.base ? { base: args.base } : {}),
    inputs: stackInputs,
    errors,
    unchanged,
    findings: rulesRun?.findings ?? [],
    suppressed: rulesRun?.suppressed ?? [],
    teamFiles,
    capacity: inputs?.config ? capacityFigures(inputs.config) : [],
  };
  if (args.partial) {
    writeFileSync(resolve(ROOT, args.partial), JSON.stringify(partial));
    console.error(`wrote ${args.partial}: ${stackInputs.length} stack(s), ${errors.length} failure(s)`);
    return errors.length ? EXIT.error : EXIT.ok;
  }
  const result = writeReview(
    args,
    {
      mode,
      ...(args.base ? { base: args.base } : {}),
      errors,
      unchanged,
      findings: partial.findings,
      suppressed: partial.suppressed,
      teamFiles,
      capacity: partial.capacity,
      stackItems: partial.stackItems ?? [],
    },
    stackInputs,
  );
  return exitCode(result, args.detailed);
}

if (require.main === module) runToolAsMain(PLAN_COMMAND, runPlan);

/**
 * Plan review: a pure function from per-stack inputs (Terraform plan JSON and/or synthesized configurations)
 * to the reviewer's markdown. No I/O — tools/plan-review/run.ts does the synthesis, Terraform calls and writes.
 */
import { stackOrder, teamOfRecoveryStack } from '../../contracts/names';
import { RECOVERY_STACK_OUTPUTS } from '../../contracts/outputs';
import { blocksOf, type Finding as RuleFinding, type StackJson, type SuppressedFinding } from '../rules';
import { changesFromConfigs, changesFromPlan, type Obj, type ResourceChange } from './changes';
import {
  deltaText,
  estimateStack,
  labelEnvironments,
  NOT_ESTIMATED,
  pricesCommand,
  range,
  stackTotalText,
  totalText,
  unpricedRegions,
  usd,
  type CostBlock,
  type PriceTable,
  type StackCost,
} from './cost';
import { ENV_COLUMNS, envCell, environmentRows, type EnvironmentRow } from './environments';
import { attributeDiff, findingsFor, levelRank, maxLevel, type Finding, type Level, type LevelContext } from './levels';
import type { TerraformPlanJson } from './plan-json';
import { indexStack, type SynthIndex } from './synth-index';
import type { TeamFileChange } from './team-files';
import { orphanable, orphanedStackItem } from './orphaned';

export type { TerraformPlanJson } from './plan-json';
export type { Finding, Level } from './levels';

/** Marker the workflow uses to find and update its single PR comment. */
export const REVIEW_MARKER = '<!-- mwaa-plan-review -->';
/** GitHub rejects comment bodies over 65,536 characters. */
export const GITHUB_COMMENT_LIMIT = 65_536;
export const DEFAULT_MAX_MARKDOWN = 60_000;

export type Result = 'failed' | Level | 'none';

export interface StackInput {
  readonly stack: string;
  /** Set for participant stacks; enables the cross-team checks. */
  readonly team?: string;
  /** The platform's name: what it names once per account on purpose is then no cross-team finding. */
  readonly platform?: string;
  /** Account the stack deploys into (grants to any other account are cross-account). */
  readonly accountId?: string;
  /** The platform's accounts (owner and every team): trust among them is review, beyond them high. */
  readonly platformAccounts?: readonly string[];
  /** `terraform show -json` of the stack's plan; when absent the review compares `baseConfig` with `config`. */
  readonly plan?: TerraformPlanJson;
  /** Synthesized configuration (cdk.tf.json) of the working tree: names, symbolic policies, costs. */
  readonly config?: StackJson;
  /** Synthesized configuration of the base revision (`--base`); undefined for a stack the change adds. */
  readonly baseConfig?: StackJson;
}

/**
 * An item about a whole stack rather than one resource (for example an orphaned stack: state with no
 * configuration). Rendered with the resource findings of its level; a `high` item makes the result high.
 */
export interface StackItem {
  readonly stack: string;
  readonly level: Level;
  readonly title: string;
  readonly details?: readonly string[];
  /** An orphaned stack: a row of its own in the per-stack table, though nothing of it is planned. */
  readonly orphaned?: true;
  /** What an orphaned stack keeps costing (with a price table). */
  readonly cost?: StackCost;
}

export interface StackError {
  readonly stack: string;
  /** synth, init, plan or show. */
  readonly stage: string;
  /** Complete message (Terraform's whole stderr). */
  readonly message: string;
}

export interface CapacityItem {
  readonly name: string;
  readonly used: number;
  readonly limit: number;
  readonly unit?: string;
  readonly note?: string;
}

export interface ReviewOptions {
  /** 'offline' = offline preview plans; 'base' = offline comparison of configurations; 'live' = real plans. */
  readonly mode?: 'offline' | 'base' | 'live';
  /** Git ref compared with (`--base`). */
  readonly base?: string;
  readonly errors?: readonly StackError[];
  /** Stacks whose configuration is identical to the base: listed on one line, not planned. */
  readonly unchanged?: readonly string[];
  /** Unsuppressed security-rule findings (tools/rules): shown as high. */
  readonly findings?: readonly RuleFinding[];
  readonly suppressed?: readonly SuppressedFinding[];
  readonly capacity?: readonly CapacityItem[];
  /** Extra stack-level items, e.g. orphaned stacks. */
  readonly stackItems?: readonly StackItem[];
  readonly teamFiles?: readonly TeamFileChange[];
  readonly prices?: PriceTable;
  /** YYYY-MM-DD, for EKS support windows. */
  readonly today?: string;
  /** Region when a configuration has none. */
  readonly region?: string;
  readonly teamOwns?: (team: string, name: string) => boolean;
  readonly maxMarkdownChars?: number;
  /** The run's page (job summary, artifacts) the shortened comment links to. */
  readonly fullReviewUrl?: string;
}

export interface StackReview {
  readonly stack: string;
  readonly team?: string;
  readonly source: 'plan' | 'config';
  readonly counts: { readonly create: number; readonly update: number; readonly replace: number; readonly delete: number };
  readonly changes: readonly ResourceChange[];
  readonly findings: readonly Finding[];
  /** Changes with no finding: the standard resources. */
  readonly info: readonly ResourceChange[];
  readonly level: Level | 'none';
  readonly environments: readonly EnvironmentRow[];
  readonly cost?: { readonly before: StackCost; readonly after: StackCost };
  readonly index: SynthIndex;
  readonly baseIndex?: SynthIndex;
}

export interface ReviewResult {
  /** The PR comment: under `maxMarkdownChars`, high items and the summary first. */
  readonly markdown: string;
  /** Everything (job summary / artifact). */
  readonly full: string;
  readonly summary: string;
  readonly result: Result;
  readonly stacks: readonly StackReview[];
}

/** Default ownership test: the team name appears as a whole token (`mwaa-marketing-dags`, `alias/marketing`). */
export function nameCarriesTeam(team: string, name: string): boolean {
  const esc = team.toLowerCase().replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(^|[^a-z0-9])${esc}([^a-z0-9]|$)`).test(name.toLowerCase());
}

const managed = (json: StackJson | undefined): CostBlock[] =>
  json
    ? blocksOf(json)
        .filter((b) => b.mode === 'managed')
        .map((b) => ({ address: b.address, type: b.type, props: b.props }))
    : [];

const planSide = (plan: TerraformPlanJson, side: 'before' | 'after'): CostBlock[] =>
  (plan.resource_changes ?? [])
    .filter((rc) => rc.mode !== 'data' && rc.change[side])
    .filter((rc) => !(side === 'before' && rc.change.actions.join(',') === 'create'))
    .map((rc) => ({ address: rc.address, type: rc.type, props: rc.change[side] as Obj }));

/**
 * In a recovery stack, an environment's name with what it is there and where (`analytics-prod (warm standby,
 * us-west-2)`), from the stack's own output; undefined elsewhere, so primary lines keep the plain name.
 */
function recoveryEnvironmentLabel(
  stack: string,
  json: StackJson | undefined,
  region: string | undefined,
): (env: string) => string | undefined {
  if (teamOfRecoveryStack(stack) === undefined) return () => undefined;
  const outputs = (json as { output?: Record<string, { value?: unknown }> } | undefined)?.output;
  const modes = (outputs?.[RECOVERY_STACK_OUTPUTS.environments]?.value ?? {}) as Record<string, { mode?: string } | undefined>;
  return (env) => {
    const mode = modes[env]?.mode;
    const what = mode === 'warm-standby' ? 'warm standby' : mode === 'backup-restore' ? 'backup-restore, failed over' : 'recovery';
    return `${env} (${what}${region ? `, ${region}` : ''})`;
  };
}

export function reviewStack(input: StackInput, options: ReviewOptions): StackReview {
  const index = indexStack(input.stack, input.config);
  const baseIndex = input.baseConfig ? indexStack(input.stack, input.baseConfig) : undefined;
  const changes = input.plan ? changesFromPlan(input.plan) : changesFromConfigs(input.baseConfig, input.config);
  const ctx: LevelContext = {
    stack: input.stack,
    ...(input.team ? { team: input.team } : {}),
    ...(input.platform ? { platform: input.platform } : {}),
    ...(input.accountId ? { accountId: input.accountId } : {}),
    ...(input.platformAccounts ? { platformAccounts: input.platformAccounts } : {}),
    head: index,
    ...(baseIndex ? { base: baseIndex } : {}),
    teamOwns: options.teamOwns ?? nameCarriesTeam,
  };
  const counts = { create: 0, update: 0, replace: 0, delete: 0 };
  const findings: Finding[] = [];
  const info: ResourceChange[] = [];
  for (const c of changes) {
    counts[c.kind]++;
    const f = findingsFor(c, ctx);
    if (f.length) findings.push(...f);
    else info.push(c);
  }
  const beforeBlocks = input.plan ? planSide(input.plan, 'before') : managed(input.baseConfig);
  const afterBlocks = input.config ? managed(input.config) : input.plan ? planSide(input.plan, 'after') : [];
  const envs = (bs: CostBlock[]) => bs.filter((b) => b.type === 'aws_mwaa_environment').map((b) => b.props);
  const region = index.region ?? baseIndex?.region ?? options.region;
  const today = options.today ?? new Date().toISOString().slice(0, 10);
  const before = recoveryEnvironmentLabel(input.stack, input.baseConfig ?? input.config, region);
  const after = recoveryEnvironmentLabel(input.stack, input.config ?? input.baseConfig, region);
  const cost = options.prices
    ? {
        before: labelEnvironments(estimateStack(beforeBlocks, options.prices, region, today), before),
        after: labelEnvironments(estimateStack(afterBlocks, options.prices, region, today), after),
      }
    : undefined;
  const level = maxLevel([...findings.map((f) => f.level), ...(info.length ? (['info'] as const) : [])]);
  return {
    stack: input.stack,
    ...(input.team ? { team: input.team } : {}),
    source: input.plan ? 'plan' : 'config',
    counts,
    changes,
    findings,
    info,
    level,
    environments: environmentRows(envs(beforeBlocks), envs(afterBlocks)),
    ...(cost ? { cost } : {}),
    index,
    ...(baseIndex ? { baseIndex } : {}),
  };
}

/** A participant or recovery stack the base configuration has and the head has not: orphaned, never a list of deletes. */
const isOrphanedInput = (i: StackInput): boolean => !!orphanable(i.stack) && !!i.baseConfig && !i.config && !i.plan;

/**
 * Orphaned stacks as stack items, merged with the state scan's item of the same stack (one item per stack).
 * Pure.
 */
export function orphanItems(inputs: readonly StackInput[], options: ReviewOptions): { items: StackItem[]; others: StackItem[] } {
  const today = options.today ?? new Date().toISOString().slice(0, 10);
  const items: StackItem[] = inputs.filter(isOrphanedInput).flatMap((i) => {
    const region = indexStack(i.stack, i.baseConfig).region ?? options.region;
    const item = orphanedStackItem(i.stack, i.baseConfig!, {
      today,
      ...(options.prices ? { prices: options.prices } : {}),
      ...(region ? { region } : {}),
    });
    return item
      ? [
          {
            stack: item.stack,
            level: item.level,
            title: item.title,
            details: item.details,
            orphaned: true as const,
            ...(item.cost ? { cost: item.cost } : {}),
          },
        ]
      : [];
  });
  const others: StackItem[] = [];
  for (const extra of options.stackItems ?? []) {
    const same = items.findIndex((o) => o.stack === extra.stack && o.title === extra.title);
    if (same < 0) others.push(extra);
    // The state scan knows where the state is: keep that line, once.
    else items[same] = { ...items[same], details: [...(items[same].details ?? []), ...(extra.details ?? []).map((d) => `- ${d}`)] };
  }
  return { items, others };
}

export function reviewPlans(inputs: readonly StackInput[], options: ReviewOptions = {}): ReviewResult {
  const orphans = orphanItems(inputs, options);
  options = { ...options, stackItems: [...orphans.items, ...orphans.others] };
  const stacks = [...inputs]
    .filter((i) => !isOrphanedInput(i))
    .sort((a, b) => stackOrder(a.stack, b.stack))
    .map((s) => reviewStack(s, options));
  const errors = options.errors ?? [];
  const nothing = stacks.length === 0 && !(options.unchanged ?? []).length && !orphans.items.length;
  const extraLevels = [...(options.stackItems ?? []).map((i) => i.level), ...((options.findings ?? []).length ? (['high'] as const) : [])];
  const result: Result = errors.length || nothing ? 'failed' : maxLevel([...stacks.map((s) => s.level), ...extraLevels]);
  const max = Math.min(options.maxMarkdownChars ?? DEFAULT_MAX_MARKDOWN, GITHUB_COMMENT_LIMIT - 100);
  const full = render(stacks, result, options, 0, []);
  let markdown = full;
  // Step by step, least important first; a step that changes nothing (the review has no such part) is not named.
  const dropped: string[] = [];
  for (let step = 1, previous = full; markdown.length > max && step < SHRINK_STEPS.length; step++) {
    const bare = render(stacks, result, options, step, []);
    if (bare === previous) continue;
    previous = bare;
    dropped.push(SHRINK_STEPS[step]);
    markdown = render(stacks, result, options, step, dropped);
  }
  if (markdown.length > max) {
    const note = `\n\n…\n\n_Truncated to fit a GitHub comment: ${fullReviewPointer(options)}._\n`;
    markdown = markdown.slice(0, max - note.length) + note;
  }
  return { markdown, full, summary: renderSummary(stacks, result, options), result, stacks };
}

const HEADLINE: Readonly<Record<Result, string>> = {
  failed: '❌ FAILED',
  high: '🔴 HIGH — platform review required',
  review: '🟡 REVIEW — changes to look at',
  info: '🟢 INFO — standard changes only',
  none: '✅ no changes',
};
const LEVEL_ICON: Readonly<Record<Level, string>> = { high: '🔴', review: '🟡', info: '🟢' };

const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const total = (stacks: readonly StackReview[], k: keyof StackReview['counts']): number => stacks.reduce((n, s) => n + s.counts[k], 0);
const countLevel = (s: StackReview, l: Level): number => s.findings.filter((f) => f.level === l).length;

function renderSummary(stacks: readonly StackReview[], result: Result, options: ReviewOptions): string {
  const high =
    stacks.reduce((n, s) => n + countLevel(s, 'high'), 0) +
    (options.findings?.length ?? 0) +
    (options.stackItems ?? []).filter((i) => i.level === 'high').length;
  const lines = [
    `Plan review: ${result.toUpperCase()} — ${stacks.length} stack(s) reviewed${options.unchanged?.length ? `, ${options.unchanged.length} unchanged` : ''}: ` +
      `${total(stacks, 'create')} to create, ${total(stacks, 'update')} to update, ${total(stacks, 'replace')} to replace, ${total(stacks, 'delete')} to delete; ${high} high item(s).`,
    ...stacks.map(
      (s) =>
        `  ${s.stack}: ${s.level} +${s.counts.create} ~${s.counts.update} -/+${s.counts.replace} -${s.counts.delete}; high ${countLevel(s, 'high')}, review ${countLevel(s, 'review')}`,
    ),
    // Stack-level high items (an orphaned stack) belong to no reviewed stack: name them here, or the console counts
    // a high item it never shows.
    ...(options.stackItems ?? []).filter((i) => i.level === 'high').map((i) => `  ${i.stack}: high: ${i.title}`),
  ];
  for (const e of options.errors ?? []) lines.push(`FAILED ${e.stack} (${e.stage}):\n${e.message.trimEnd().replace(/^/gm, '    ')}`);
  if (!stacks.length && !options.unchanged?.length) lines.push('FAILED: no stack was reviewed');
  return lines.join('\n');
}

const isDiff = (d: readonly string[]): boolean => d.length >= 2 && d[0] === '```diff' && d[d.length - 1] === '```';

/**
 * Identical lines are one: findings with the same text name every resource once; findings of one resource with
 * the same title (a group's rules) share one diff block, repeated lines counted.
 */
export function mergeFindings(fs: readonly Finding[]): Array<{ f: Finding; names: string[]; addresses: string[] }> {
  const byName = new Map<string, Finding>();
  for (const f of fs) {
    const key = `${f.level}|${f.name}|${f.title}`;
    const prior = byName.get(key);
    if (prior && isDiff(prior.details) && isDiff(f.details)) {
      byName.set(key, {
        ...prior,
        address: prior.address,
        details: ['```diff', ...prior.details.slice(1, -1), ...f.details.slice(1, -1), '```'],
      });
    } else if (!prior) byName.set(key, f);
    else byName.set(`${key}|${byName.size}`, f);
  }
  const counted = [...byName.values()].map((f) => {
    if (!isDiff(f.details)) return f;
    const n = new Map<string, number>();
    for (const l of f.details.slice(1, -1)) n.set(l, (n.get(l) ?? 0) + 1);
    return { ...f, details: ['```diff', ...[...n].map(([l, k]) => (k > 1 ? `${l} (×${k})` : l)), '```'] };
  });
  const out = new Map<string, { f: Finding; names: string[]; addresses: string[] }>();
  for (const f of counted) {
    const key = `${f.level}|${f.title}|${f.details.join('\n')}`;
    const e = out.get(key) ?? { f, names: [], addresses: [] };
    if (!e.names.includes(f.name)) e.names.push(f.name);
    if (f.address) e.addresses.push(f.address);
    out.set(key, e);
  }
  return [...out.values()];
}

const shortName = (stack: string, name: string): string => (name.startsWith(`${stack} / `) ? name.slice(stack.length + 3) : name);

function findingLines(stack: string, fs: readonly Finding[], withDetails: boolean, withStack: boolean): string[] {
  const out: string[] = [];
  for (const { f, names } of mergeFindings(fs)) {
    const who = names.map((n) => `**${shortName(stack, n)}**`).join(', ');
    out.push(`- ${withStack ? `\`${stack}\` · ` : ''}${who}${names.length > 1 ? ` (×${names.length})` : ''} · ${f.title}`);
    if (withDetails) for (const d of f.details) out.push(`  ${d}`);
  }
  return out;
}

function costTotals(stacks: readonly StackReview[]): { after: StackCost[]; text: string; delta: string } {
  const pairs = stacks.flatMap((s) => (s.cost ? [s.cost] : []));
  const after = pairs.map((p) => p.after);
  const sum = (k: 'min' | 'max') => Math.round(after.reduce((n, c) => n + c[k], 0) * 100) / 100;
  const unpriced = after.reduce((n, c) => n + c.unpriced, 0);
  const priced = after.reduce((n, c) => n + c.lines.length, 0) - unpriced;
  return { after, text: totalText(sum('min'), sum('max'), priced, unpriced, ' per month'), delta: deltaText(pairs) };
}

/** Lines of one team file's diff in the review. */
const MAX_DIFF_LINES = 200;

/**
 * What the comment leaves out, least important first: each step drops one more part until the comment fits.
 * The comment names every part it dropped and points to the full review.
 */
export const SHRINK_STEPS = [
  'nothing (the full review)',
  'the attribute diffs of standard changes',
  'the Terraform address tables',
  'the price sources',
  'the cost lines of each stack (totals kept)',
  'unchanged environments',
  'the suppressed findings table (count kept)',
  'the diffs of the team files',
  'review diffs beyond their first lines',
  'the diffs of review items',
  'team files beyond the first 50',
  'review items (counted per stack) and the diffs of high items',
] as const;

/** Lines of a review item's diff kept at the step that cuts them. */
const CUT_DIFF_LINES = 12;

/** What to render at one shrink step (0: everything). */
interface Detail {
  readonly infoDetails: boolean;
  readonly addresses: boolean;
  /** renderCost's own scale: 0 everything, 2 no price sources, 3 no cost lines. */
  readonly cost: number;
  readonly unchangedEnvironments: boolean;
  readonly suppressedTable: boolean;
  readonly teamFileDiffs: boolean;
  /** Lines of each review diff kept (Infinity: all; 0: none). */
  readonly reviewDiffLines: number;
  readonly allTeamFiles: boolean;
  readonly reviewItems: boolean;
  readonly highDetails: boolean;
}

const detailAt = (step: number): Detail => ({
  infoDetails: step < 1,
  addresses: step < 2,
  cost: step < 3 ? 0 : step < 4 ? 2 : 3,
  unchangedEnvironments: step < 5,
  suppressedTable: step < 6,
  teamFileDiffs: step < 7,
  reviewDiffLines: step < 8 ? Infinity : step < 9 ? CUT_DIFF_LINES : 0,
  allTeamFiles: step < 10,
  reviewItems: step < 11,
  highDetails: step < 11,
});

/** Where the full review is: the run's page (job summary) when the workflow says which run, and the artifact. */
export function fullReviewPointer(options: ReviewOptions): string {
  return options.fullReviewUrl
    ? `the full review is in the [job summary](${options.fullReviewUrl}) and its \`plan-review\` artifact`
    : 'the full review is in the job summary and the `plan-review` artifact';
}

/** A diff block cut to `n` lines, saying how many it left out. */
function cutDiff(details: readonly string[], n: number): string[] {
  const fenced = details.length >= 2 && /^`{3,}diff$/.test(details[0]) && details[details.length - 1] === details[0].slice(0, -4);
  if (n === Infinity || !fenced) return [...details];
  if (n === 0) return [];
  const body = details.slice(1, -1);
  if (body.length <= n) return [...details];
  return [details[0], ...body.slice(0, n), `… ${body.length - n} more line(s) in the full review`, details[details.length - 1]];
}

function render(stacks: readonly StackReview[], result: Result, options: ReviewOptions, step: number, dropped: readonly string[]): string {
  const detail = detailAt(step);
  const out: string[] = [REVIEW_MARKER, '## MWAA platform plan review', ''];
  const errors = options.errors ?? [];
  out.push(`**Result: ${HEADLINE[result]}**${errors.length ? ` — ${errors.length} stack(s) failed` : ''}`, '');
  if (dropped.length)
    out.push(
      `> ✂️ **Shortened to fit a GitHub comment**: this comment leaves out ${dropped.join('; ')}. ${fullReviewPointer(options).replace(/^t/, 'T')}.`,
      '',
    );
  if (options.mode === 'offline') {
    out.push(
      '> ℹ️ Offline preview: planned without AWS credentials or remote state, so every resource shows as a create and account-specific values are placeholders.',
      '',
    );
  } else if (options.mode === 'base') {
    out.push(
      `> ℹ️ Compared offline with \`${options.base ?? 'base'}\`: the synthesized configurations of both revisions, no Terraform state. Replacements are predicted from the provider's force-new arguments.`,
      '',
    );
  } else if (options.mode === 'live' && options.base) {
    out.push(`> ℹ️ Planned with credentials; only stacks whose configuration differs from \`${options.base}\` were planned.`, '');
  }
  if (!stacks.length && !options.unchanged?.length)
    out.push('> ❌ **No stack was reviewed**: nothing was synthesized or every stack failed.', '');

  // Summary table.
  const orphanRows = [...new Map((options.stackItems ?? []).filter((i) => i.orphaned).map((i) => [i.stack, i] as const)).values()].filter(
    (i) => !stacks.some((s) => s.stack === i.stack),
  );
  const withCost = stacks.some((s) => s.cost) || orphanRows.some((i) => i.cost);
  out.push(
    `| Stack | Level | + | ~ | -/+ | - | High | Review |${withCost ? ' Monthly estimate | Δ |' : ''}`,
    `|---|---|--:|--:|--:|--:|--:|--:|${withCost ? '--:|--:|' : ''}`,
  );
  for (const s of stacks) {
    const c = s.cost;
    const costCells = withCost ? ` ${c ? stackTotalText(c.after) : '—'} | ${c ? deltaText([c]) : '—'} |` : '';
    out.push(
      `| \`${s.stack}\` | ${s.level === 'none' ? '—' : `${LEVEL_ICON[s.level]} ${s.level}`} | ${s.counts.create} | ${s.counts.update} | ${s.counts.replace} | ${s.counts.delete} | ${countLevel(s, 'high')} | ${countLevel(s, 'review')} |${costCells}`,
    );
  }
  // Nothing of an orphaned stack is planned, but it keeps running: a row, so the table names every stack at stake.
  for (const i of orphanRows)
    out.push(
      `| \`${i.stack}\` | ${LEVEL_ICON[i.level]} orphaned | 0 | 0 | 0 | 0 | ${i.level === 'high' ? 1 : 0} | ${i.level === 'review' ? 1 : 0} |${withCost ? ` ${i.cost ? `${stackTotalText(i.cost)} while it stays` : '—'} | — |` : ''}`,
    );
  for (const e of errors)
    if (!stacks.some((s) => s.stack === e.stack))
      out.push(`| \`${e.stack}\` | ❌ failed (${e.stage}) | | | | | | |${withCost ? ' | |' : ''}`);
  out.push('');
  if (options.unchanged?.length)
    out.push(
      `**Unchanged** (configuration identical to \`${options.base ?? 'base'}\`, not planned): ${options.unchanged.map((s) => `\`${s}\``).join(', ')}`,
      '',
    );

  if (errors.length) {
    out.push('### ❌ Failed', '');
    for (const e of errors)
      out.push(`**\`${e.stack}\` failed at ${e.stage}:**`, '', '```text', e.message.trimEnd().replace(/```/g, "'''"), '```', '');
  }

  // High items first: they decide the review.
  const high: string[] = [];
  for (const i of (options.stackItems ?? []).filter((x) => x.level === 'high')) {
    high.push(`- \`${i.stack}\` · **stack** · ${i.title}`);
    if (detail.highDetails) for (const d of i.details ?? []) high.push(`  ${d}`);
  }
  for (const s of stacks)
    high.push(
      ...findingLines(
        s.stack,
        s.findings.filter((f) => f.level === 'high'),
        detail.highDetails,
        true,
      ),
    );
  for (const f of options.findings ?? []) {
    const s = stacks.find((x) => x.stack === f.stack);
    const name = s?.index.blocks.has(f.resource) ? shortName(f.stack, s.index.name(f.resource)) : f.resource;
    high.push(
      `- \`${f.stack}\` · **${name}** · security rule ${f.checkovId && f.checkovId !== f.rule ? `${f.rule} (${f.checkovId})` : f.rule}: ${f.message}`,
    );
  }
  if (high.length) out.push('### 🔴 High', '', ...high, '');

  // Environment table per team.
  const envStacks = stacks.filter((s) => s.environments.some((r) => detail.unchangedEnvironments || r.status !== 'unchanged'));
  if (envStacks.length) {
    out.push(
      '### Environments',
      '',
      `| Team | Environment | ${ENV_COLUMNS.map(([, h]) => h).join(' | ')} |`,
      `|---|---|${ENV_COLUMNS.map(() => '---').join('|')}|`,
    );
    for (const s of envStacks) {
      for (const r of s.environments) {
        if (!detail.unchangedEnvironments && r.status === 'unchanged') continue;
        const tag = r.status === 'unchanged' ? '' : ` _(${r.status})_`;
        out.push(`| ${s.team ?? s.stack} | ${r.name}${tag} | ${ENV_COLUMNS.map(([k]) => envCell(r, k)).join(' | ')} |`);
      }
    }
    out.push('');
  }

  if (withCost) out.push(...renderCost(stacks, options, detail.cost));

  // Review items and info per stack.
  const reviewStacks = stacks.filter(
    (s) =>
      s.findings.some((f) => f.level === 'review') ||
      s.info.length ||
      (options.stackItems ?? []).some((i) => i.stack === s.stack && i.level !== 'high'),
  );
  if (reviewStacks.length) out.push('### 🟡 Review and 🟢 info by stack', '');
  for (const s of reviewStacks) {
    out.push(`#### \`${s.stack}\`${s.team ? ` (team \`${s.team}\`)` : ''}`, '');
    out.push(
      ...stackItemLines(
        (options.stackItems ?? []).filter((x) => x.stack === s.stack && x.level !== 'high'),
        detail,
        false,
      ),
    );
    const review = s.findings.filter((f) => f.level === 'review');
    if (!detail.reviewItems && review.length)
      out.push(`- 🟡 ${review.length} review item(s): IAM, security group rules or environment settings (details in the full review)`);
    else
      out.push(
        ...findingLines(
          s.stack,
          review.map((f) => ({ ...f, details: cutDiff(f.details, detail.reviewDiffLines) })),
          true,
          false,
        ).map((l) => l.replace(/^- /, '- 🟡 ')),
      );
    out.push(...renderInfo(s, detail.infoDetails ? 0 : 1));
    if (detail.addresses) {
      const addressed = [
        ...new Map([
          ...s.findings.map((f) => [f.name, f.address] as const),
          ...s.info.map(
            (c) =>
              [s.index.blocks.has(c.address) ? s.index.name(c.address) : (s.baseIndex?.name(c.address) ?? c.address), c.address] as const,
          ),
        ]).entries(),
      ].filter(([n, a]) => a && n !== a);
      if (addressed.length) {
        out.push('', '<details><summary>Terraform addresses</summary>', '', '| Resource | Address |', '|---|---|');
        for (const [n, a] of addressed) out.push(`| ${cell(shortName(s.stack, n))} | \`${cell(a)}\` |`);
        out.push('', '</details>');
      }
    }
    out.push('');
  }
  // Items of stacks this review has no section for (state notes, the network contract, a stack not reviewed).
  const elsewhere = (options.stackItems ?? []).filter((i) => i.level !== 'high' && !reviewStacks.some((s) => s.stack === i.stack));
  if (elsewhere.length) out.push('### Other items', '', ...stackItemLines(elsewhere, detail, true), '');

  if (options.teamFiles?.length) {
    out.push(
      '### Team files',
      '',
      '_From the files themselves (DAGs, requirements, team configuration), not from Terraform._',
      '',
      '| File | Change |',
      '|---|---|',
    );
    const files = detail.allTeamFiles ? options.teamFiles : options.teamFiles.slice(0, 50);
    for (const f of files)
      out.push(
        `| \`${cell(f.path)}\` | ${f.status}${f.status === 'modified' ? ` (+${f.added} / −${f.removed} lines)` : f.status === 'added' ? ` (${f.added} lines)` : ''} |`,
      );
    if (files.length < options.teamFiles.length) out.push(`| … | ${options.teamFiles.length - files.length} more |`);
    out.push('');
    // What changed in each file, read from the files (the plan holds only base64); dropped first when the review is too long.
    const diffs = detail.teamFileDiffs ? files.filter((f) => f.diff) : [];
    if (diffs.length) {
      out.push('<details><summary>What changed in the team files</summary>', '');
      for (const f of diffs) {
        const lines = f.diff!.split('\n');
        const shown =
          lines.length > MAX_DIFF_LINES ? [...lines.slice(0, MAX_DIFF_LINES), `… ${lines.length - MAX_DIFF_LINES} more lines`] : lines;
        // A fence longer than any run of backticks in the file, so a DAG cannot close it and write into the review.
        const fence = fenceFor(f.diff!);
        out.push(`\`${cell(f.path)}\``, '', `${fence}diff`, ...shown, fence, '');
      }
      out.push('</details>', '');
    }
  }

  out.push('### Suppressed security findings', '');
  if (!options.suppressed?.length) out.push('None.', '');
  else if (!detail.suppressedTable)
    out.push(`${options.suppressed.length} suppressed finding(s), each with its reason in platform.yaml (listed in the full review).`, '');
  else {
    out.push('| Rule | Stack | Resource | Finding | Reason |', '|---|---|---|---|---|');
    for (const f of options.suppressed)
      out.push(
        `| ${cell(f.checkovId ? `${f.rule} (${f.checkovId})` : f.rule)} | \`${cell(f.stack)}\` | \`${cell(f.resource)}\` | ${cell(f.message)} | ${cell(f.reason)} |`,
      );
    out.push('');
  }

  if (options.capacity?.length) {
    out.push('### Capacity headroom', '', '| Metric | Used | Limit | Headroom | Status |', '|---|--:|--:|--:|---|');
    for (const c of options.capacity) {
      const pct = c.limit > 0 ? Math.round((c.used / c.limit) * 100) : 100;
      const status = c.used > c.limit ? '❌ over limit' : pct >= 80 ? `⚠️ ${pct}% used` : `✅ ${pct}% used`;
      const unit = c.unit ? ` ${c.unit}` : '';
      out.push(
        `| ${cell(c.name)}${c.note ? ` — ${cell(c.note)}` : ''} | ${c.used}${unit} | ${c.limit}${unit} | ${c.limit - c.used}${unit} | ${status} |`,
      );
    }
    out.push('');
  }
  return out.join('\n');
}

/** Stack items: title, and their details while review diffs are shown (a high item's while high details are). */
function stackItemLines(items: readonly StackItem[], detail: Detail, withStack: boolean): string[] {
  const out: string[] = [];
  for (const i of items) {
    out.push(`- ${LEVEL_ICON[i.level]} ${withStack ? `\`${i.stack}\` · ` : ''}**stack** · ${i.title}`);
    for (const d of cutDiff(i.details ?? [], detail.reviewDiffLines)) out.push(`  ${d}`);
  }
  return out;
}

/** A fence longer than any run of backticks in `text`, so a team file cannot close it and write into the review. */
export const fenceFor = (text: string): string => '`'.repeat(Math.max(3, ...[...text.matchAll(/`+/g)].map((m) => m[0].length + 1)));

function renderInfo(s: StackReview, detail: number): string[] {
  const out: string[] = [];
  const creates = s.info.filter((c) => c.kind === 'create');
  if (creates.length) {
    const types = new Map<string, number>();
    for (const c of creates) types.set(c.type, (types.get(c.type) ?? 0) + 1);
    const list = [...types].sort((a, b) => b[1] - a[1]).map(([t, n]) => `${n} ${t.replace(/^aws_/, '')}`);
    out.push(
      `- 🟢 ${s.team ? 'standard team baseline' : 'standard platform resources'}: ${creates.length} resource(s) created${detail < 1 ? ` (${list.join(', ')})` : ''}`,
    );
  }
  const others = s.info.filter((c) => c.kind !== 'create');
  if (detail >= 1) {
    if (others.length) out.push(`- 🟢 ${others.length} other standard change(s)`);
    return out;
  }
  const ctx = { stack: s.stack, head: s.index, ...(s.baseIndex ? { base: s.baseIndex } : {}), teamOwns: () => true } as LevelContext;
  const lines = new Map<string, string[]>();
  for (const c of others) {
    const name = shortName(s.stack, s.index.blocks.has(c.address) ? s.index.name(c.address) : (s.baseIndex?.name(c.address) ?? c.address));
    const attrs = c.kind === 'update' ? attributeDiff(c, ctx) : [];
    const key = `${c.kind}|${attrs.join('\n')}`;
    lines.set(key, [...(lines.get(key) ?? []), name]);
  }
  for (const [key, names] of lines) {
    const [kind, ...attrs] = key.split('|');
    const diff = attrs.join('|').split('\n').filter(Boolean);
    out.push(
      `- 🟢 ${kind} ${names.map((n) => `**${n}**`).join(', ')}${names.length > 1 ? ` (×${names.length})` : ''}${diff.length ? `: ${diff.map((d) => `\`${d.replace(/`/g, "'")}\``).join('; ')}` : ''}`,
    );
  }
  return out;
}

function renderCost(stacks: readonly StackReview[], options: ReviewOptions, detail: number): string[] {
  const out: string[] = ['### Monthly cost estimate', ''];
  const t = costTotals(stacks);
  const missing = unpricedRegions(t.after);
  out.push(
    `**Total of the reviewed stacks: ${t.text}** (workers at configured minimum–maximum), ${t.delta} from this change` +
      (missing.length
        ? `; items without a figure in \`tools/plan-review/prices.json\` are not in the totals: \`${pricesCommand(missing)}\` fills them from the AWS Price List`
        : '') +
      '.',
    '',
  );
  if (detail < 3) {
    out.push('| Stack | Item | Arithmetic | Per month |', '|---|---|---|--:|');
    for (const s of stacks) {
      if (!s.cost) continue;
      const lines = s.cost.after.lines;
      if (!lines.length) continue;
      const envs = new Map<string, { min: number; max: number; unpriced: number; priced: number }>();
      for (const l of lines) {
        const v =
          l.min === null || l.max === null ? `no price${s.cost.after.region ? ` (${s.cost.after.region})` : ''}` : range(l.min, l.max);
        out.push(`| \`${s.stack}\` | ${cell(l.item)}${l.paidBy ? ` _(paid by ${l.paidBy})_` : ''} | ${cell(l.detail)} | ${v} |`);
        if (l.environment) {
          const e = envs.get(l.environment) ?? { min: 0, max: 0, unpriced: 0, priced: 0 };
          if (l.min === null || l.max === null) e.unpriced++;
          else {
            e.priced++;
            e.min += l.min;
            e.max += l.max;
          }
          envs.set(l.environment, e);
        }
      }
      for (const [env, e] of envs)
        out.push(
          `| \`${s.stack}\` | **environment ${cell(env)}** | subtotal | **${totalText(Math.round(e.min * 100) / 100, Math.round(e.max * 100) / 100, e.priced, e.unpriced)}** |`,
        );
      const { before, after } = s.cost;
      out.push(`| \`${s.stack}\` | **stack total** | before: ${stackTotalText(before)} | **${stackTotalText(after)}** |`);
    }
    out.push('');
  }
  out.push(`_Not estimated: ${NOT_ESTIMATED.join('; ')}._`, '');
  if (detail < 2 && options.prices) {
    const used = new Set(
      stacks.flatMap((s) =>
        (s.cost ? [...s.cost.after.lines, ...s.cost.before.lines] : []).map((l) => l.source).filter((x): x is string => !!x),
      ),
    );
    if (used.size) {
      out.push('<details><summary>Price sources</summary>', '');
      for (const id of used) {
        const src = options.prices.sources[id];
        if (src)
          out.push(
            `- \`${id}\`: ${src.url ? `<${src.url}>` : '(no source found)'} — ${src.what} (${src.publicationDate ? `offer published ${src.publicationDate}, ` : ''}read ${src.readOn})`,
          );
      }
      out.push('', '</details>', '');
    }
  }
  return out;
}

export { usd };
export type { StackCost, PriceTable, ResourceChange };
export const levelOrder = levelRank;

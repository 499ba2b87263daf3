/**
 * Plan review: a pure function from `terraform show -json` output (one per stack) to the reviewer's markdown.
 * No I/O — tools/plan-review/run.ts does the terraform calls and file writes.
 */
import { stackOrder } from '../../contracts/names';
import type { SuppressedFinding } from '../rules/types';
import { flagsFor, nameCarriesTeam, type Flag, type FlagKind } from './flags';
import { changeKind, type ChangeKind, type TerraformPlanJson } from './plan-json';

export type { TerraformPlanJson } from './plan-json';
export type { Flag, FlagKind } from './flags';

/** Marker the workflow uses to find and update its single PR comment. */
export const REVIEW_MARKER = '<!-- mwaa-plan-review -->';

/** GitHub rejects comments over 65,536 characters; keep room for the marker and truncation note. */
export const DEFAULT_MAX_MARKDOWN = 60_000;

export type Risk = 'none' | 'changes' | 'risky';

export interface StackPlanInput {
  readonly stack: string;
  /** Set for participant stacks; enables the cross-team checks. */
  readonly team?: string;
  readonly plan: TerraformPlanJson;
}

/** A capacity figure to render, e.g. interface endpoints used/quota or SQS endpoint policy characters. */
export interface CapacityItem {
  readonly name: string;
  readonly used: number;
  readonly limit: number;
  readonly unit?: string;
  readonly note?: string;
}

export interface ReviewOptions {
  readonly suppressed?: readonly SuppressedFinding[];
  readonly capacity?: readonly CapacityItem[];
  /** 'offline' = planned with placeholder credentials and no remote state: values are indicative. */
  readonly preview?: 'offline' | 'live';
  /** Stacks that failed to plan; rendered so a reviewer sees them (the runner exits 1). */
  readonly errors?: ReadonlyArray<{ readonly stack: string; readonly message: string }>;
  /** Whether a name belongs to the team; default: the team name appears as a whole token. */
  readonly teamOwns?: (team: string, name: string) => boolean;
  readonly maxMarkdownChars?: number;
}

export interface ChangeCounts {
  readonly create: number;
  readonly update: number;
  readonly replace: number;
  readonly delete: number;
}

export interface ChangedResource {
  readonly address: string;
  readonly type: string;
  readonly kind: Exclude<ChangeKind, 'no-op' | 'read'>;
  readonly flags: readonly FlagKind[];
}

export interface StackReview {
  readonly stack: string;
  readonly team?: string;
  readonly counts: ChangeCounts;
  readonly changes: readonly ChangedResource[];
  readonly flags: readonly Flag[];
  readonly risk: Risk;
}

export interface ReviewResult {
  readonly markdown: string;
  readonly summary: string;
  readonly risk: Risk;
  readonly stacks: readonly StackReview[];
}

const RISK_ORDER: readonly Risk[] = ['none', 'changes', 'risky'];
const maxRisk = (rs: readonly Risk[]): Risk => rs.reduce<Risk>((m, r) => (RISK_ORDER.indexOf(r) > RISK_ORDER.indexOf(m) ? r : m), 'none');

const SYMBOL: Readonly<Record<ChangedResource['kind'], string>> = {
  create: '`+` create',
  update: '`~` update',
  replace: '`-/+` replace',
  delete: '`-` delete',
  forget: '`.` forget',
};

const FLAG_LABEL: Readonly<Record<FlagKind, string>> = {
  destructive: 'destructive',
  iam: 'IAM',
  'resource-policy': 'resource policy',
  'security-group': 'security group',
  'sqs-endpoint-policy': 'SQS endpoint policy',
  'cross-team': 'cross-team',
};

/** Owner first (participants depend on it), then participants by name. */

export function reviewStack(input: StackPlanInput, teamOwns: (team: string, name: string) => boolean): StackReview {
  const counts = { create: 0, update: 0, replace: 0, delete: 0 };
  const changes: ChangedResource[] = [];
  const flags: Flag[] = [];
  for (const rc of input.plan.resource_changes ?? []) {
    if (rc.mode === 'data') continue;
    const kind = changeKind(rc.change.actions);
    if (kind === 'no-op' || kind === 'read') continue;
    if (kind !== 'forget') counts[kind]++;
    const f = flagsFor(rc, { team: input.team, teamOwns });
    flags.push(...f);
    changes.push({ address: rc.address, type: rc.type, kind, flags: [...new Set(f.map((x) => x.kind))] });
  }
  const risk: Risk = flags.length ? 'risky' : changes.length ? 'changes' : 'none';
  return { stack: input.stack, ...(input.team ? { team: input.team } : {}), counts, changes, flags, risk };
}

export function reviewPlans(input: readonly StackPlanInput[], options: ReviewOptions = {}): ReviewResult {
  const teamOwns = options.teamOwns ?? nameCarriesTeam;
  const stacks = [...input].sort((a, b) => stackOrder(a.stack, b.stack)).map((s) => reviewStack(s, teamOwns));
  const risk = maxRisk(stacks.map((s) => s.risk));
  const max = options.maxMarkdownChars ?? DEFAULT_MAX_MARKDOWN;
  let markdown = renderMarkdown(stacks, risk, options, false);
  if (markdown.length > max) markdown = renderMarkdown(stacks, risk, options, true);
  if (markdown.length > max) {
    markdown = markdown.slice(0, max - 200) + '\n\n…\n\n_Truncated: the full report is in the job summary of the workflow run and in plan-review.md._\n';
  }
  return { markdown, summary: renderSummary(stacks, risk, options), risk, stacks };
}

const total = (stacks: readonly StackReview[], k: keyof ChangeCounts): number => stacks.reduce((n, s) => n + s.counts[k], 0);

const RISK_BADGE: Readonly<Record<Risk, string>> = {
  none: '✅ no changes',
  changes: '🟡 changes',
  risky: '🔴 risky changes — platform review required',
};

function renderSummary(stacks: readonly StackReview[], risk: Risk, options: ReviewOptions): string {
  const flagCount = stacks.reduce((n, s) => n + s.flags.length, 0);
  const lines = [
    `Plan review: ${risk.toUpperCase()} — ${stacks.length} stack(s): ${total(stacks, 'create')} to create, ` +
      `${total(stacks, 'update')} to update, ${total(stacks, 'replace')} to replace, ${total(stacks, 'delete')} to delete; ` +
      `${flagCount} risk flag(s).`,
    ...stacks.map(
      (s) =>
        `  ${s.stack}: +${s.counts.create} ~${s.counts.update} -/+${s.counts.replace} -${s.counts.delete}` +
        (s.flags.length ? ` — ${s.flags.length} flag(s): ${[...new Set(s.flags.map((f) => FLAG_LABEL[f.kind]))].join(', ')}` : ''),
    ),
  ];
  if (options.suppressed?.length) lines.push(`Suppressed security findings: ${options.suppressed.length}`);
  for (const e of options.errors ?? []) lines.push(`ERROR planning ${e.stack}: ${e.message.split('\n')[0]}`);
  return lines.join('\n');
}

const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

function renderMarkdown(stacks: readonly StackReview[], risk: Risk, options: ReviewOptions, compact: boolean): string {
  const out: string[] = [REVIEW_MARKER, '## MWAA platform plan review', ''];
  out.push(`**Result: ${RISK_BADGE[risk]}**`, '');
  if (options.preview === 'offline') {
    out.push(
      '> ℹ️ Offline preview: planned without AWS credentials or remote state, so every resource shows as a create ' +
        'and account-specific values are placeholders. Run with credentials for the real diff.',
      '',
    );
  }
  for (const e of options.errors ?? []) {
    out.push(`> ❌ **${cell(e.stack)} failed to plan:** ${cell(e.message.split('\n').slice(0, 3).join(' '))}`, '');
  }
  out.push('| Stack | Create | Update | Replace | Delete | Flags |', '|---|--:|--:|--:|--:|---|');
  for (const s of stacks) {
    const kinds = [...new Set(s.flags.map((f) => FLAG_LABEL[f.kind]))].join(', ');
    out.push(`| \`${s.stack}\` | ${s.counts.create} | ${s.counts.update} | ${s.counts.replace} | ${s.counts.delete} | ${kinds || '—'} |`);
  }
  out.push('');

  const flagged = stacks.filter((s) => s.flags.length);
  if (flagged.length) {
    out.push('### ⚠️ Risk flags', '');
    for (const s of flagged) {
      for (const f of s.flags) {
        out.push(`- **${FLAG_LABEL[f.kind]}** · \`${s.stack}\` · ${f.title}`);
        if (!compact) for (const d of f.details) out.push(`  ${d}`);
      }
    }
    out.push('');
  }

  for (const s of stacks) {
    out.push(`### Stack \`${s.stack}\`${s.team ? ` (team \`${s.team}\`)` : ''}`, '');
    if (!s.changes.length) {
      out.push('No changes.', '');
      continue;
    }
    out.push(`${s.counts.create} to create, ${s.counts.update} to update, ${s.counts.replace} to replace, ${s.counts.delete} to delete.`, '');
    if (compact) continue;
    out.push('<details><summary>Changed resources</summary>', '', '| Action | Resource | Flags |', '|---|---|---|');
    for (const c of s.changes) out.push(`| ${SYMBOL[c.kind]} | \`${cell(c.address)}\` | ${c.flags.map((k) => FLAG_LABEL[k]).join(', ') || ''} |`);
    out.push('', '</details>', '');
  }

  out.push('### Suppressed security findings', '');
  if (!options.suppressed?.length) out.push('None.', '');
  else {
    out.push('| Rule | Stack | Resource | Finding | Reason |', '|---|---|---|---|---|');
    for (const f of options.suppressed) {
      const rule = f.checkovId ? `${f.rule} (${f.checkovId})` : f.rule;
      out.push(`| ${cell(rule)} | \`${cell(f.stack)}\` | \`${cell(f.resource)}\` | ${cell(f.message)} | ${cell(f.reason)} |`);
    }
    out.push('');
  }

  out.push('### Capacity headroom', '');
  if (!options.capacity?.length) out.push('No capacity figures were provided.', '');
  else {
    out.push('| Metric | Used | Limit | Headroom | Status |', '|---|--:|--:|--:|---|');
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

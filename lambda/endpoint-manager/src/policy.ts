/**
 * The SQS interface endpoint policy that lists the Celery queues MWAA environments may use.
 *
 * Managed form (the function refuses to modify anything else):
 *   {"Version":"2012-10-17","Statement":[{"Sid":"AllowRegisteredCeleryQueues","Effect":"Allow",
 *     "Principal":"*","Action":"sqs:*","Resource":[<sorted entries>]}]}
 * Entries are exact queue ARNs `arn:P:sqs:R:OWNER:airflow-celery-...`, or, after compaction,
 * `arn:P:sqs:R:OWNER:airflow-celery-*` (never an account wildcard).
 *
 * Empty form: the placeholder of contracts/sqs-endpoint-policy.ts, dropped as soon as a real queue is listed.
 *
 * Pure module: no SDK imports. Sizes are counted in characters of the compact JSON we write.
 */
import { IAM_POLICY_VERSION } from '../../../contracts/iam-policy';
import { isCeleryQueueName, parseSqsArn } from './names';
import {
  CELERY_QUEUE_PREFIX,
  POLICY_SIZE_LIMIT,
  SQS_ENDPOINT_POLICY_SID,
  celeryWildcardArn,
  placeholderQueueArn,
  serializeSqsEndpointPolicy,
  type PolicyScope,
} from '../../../contracts/sqs-endpoint-policy';

export { SQS_ENDPOINT_POLICY_SID, celeryWildcardArn, placeholderQueueArn, serializeSqsEndpointPolicy, type PolicyScope };
/** Maximum size of a VPC endpoint policy, in characters (the default of POLICY_SIZE_LIMIT). */
export const DEFAULT_POLICY_SIZE_LIMIT = POLICY_SIZE_LIMIT;

export type PolicyParseResult =
  | { readonly ok: true; readonly resources: readonly string[] }
  | { readonly ok: false; readonly reason: string };

export type PolicyUpdate =
  | {
      readonly ok: true;
      /** True when `document` differs from the document of the input resources. */
      readonly changed: boolean;
      readonly resources: readonly string[];
      readonly document: string;
      /** Queue-owner accounts whose exact entries were replaced by a wildcard to fit the limit. */
      readonly compactedAccounts: readonly string[];
      /** Wildcards left in place because other live queues (or unknown ones) may still need them. */
      readonly keptWildcards: readonly string[];
    }
  | { readonly ok: false; readonly reason: string };

type Entry = { readonly kind: 'queue' | 'wildcard'; readonly account: string };

/** Classifies an entry of the managed form; undefined for anything that is not ours. */
function classifyEntry(entry: string, scope: PolicyScope): Entry | undefined {
  const arn = parseSqsArnOrWildcard(entry);
  if (!arn || arn.partition !== scope.partition || arn.region !== scope.region) return undefined;
  // Stryker disable next-line ObjectLiteral,StringLiteral: only kind 'queue' is ever compared; a wildcard entry only needs to be recognised as ours
  if (arn.name === `${CELERY_QUEUE_PREFIX}*`) return { kind: 'wildcard', account: arn.account };
  return isCeleryQueueName(arn.name) ? { kind: 'queue', account: arn.account } : undefined;
}

function parseSqsArnOrWildcard(entry: string) {
  if (entry.endsWith(`:${CELERY_QUEUE_PREFIX}*`)) {
    const parsed = parseSqsArn(`${entry.slice(0, -1)}x`);
    return parsed && { ...parsed, name: `${CELERY_QUEUE_PREFIX}*` };
  }
  return parseSqsArn(entry);
}

/** True when an exact ARN or an owner-account wildcard in `resources` allows `queueArn`. */
export function isQueueAllowed(resources: Iterable<string>, queueArn: string, scope: PolicyScope): boolean {
  const queue = parseSqsArn(queueArn);
  if (!queue || !isCeleryQueueName(queue.name)) return false;
  const all = new Set(resources);
  if (all.has(queueArn)) return true;
  const inScope = queue.partition === scope.partition && queue.region === scope.region;
  return inScope && all.has(celeryWildcardArn(scope, queue.account));
}

/**
 * Parses the endpoint's current policy. EC2 may return it URL-encoded; anything that is not exactly
 * the managed form is refused, so a hand-edited or default (full-access) policy is never rewritten
 * by guesswork.
 */
export function parseSqsEndpointPolicy(text: string | undefined, scope: PolicyScope): PolicyParseResult {
  if (!text) return { ok: false, reason: 'the SQS endpoint has no policy document' };
  let decoded = text.trim();
  if (decoded.startsWith('%7B')) {
    try {
      decoded = decodeURIComponent(decoded);
    } catch {
      return { ok: false, reason: 'the SQS endpoint policy is not valid URL-encoded JSON' };
    }
  }
  let document: unknown;
  try {
    document = JSON.parse(decoded);
  } catch {
    return { ok: false, reason: 'the SQS endpoint policy is not valid JSON' };
  }
  const statements = isRecord(document) ? document.Statement : undefined;
  if (!isRecord(document) || document.Version !== IAM_POLICY_VERSION || !Array.isArray(statements) || statements.length !== 1) {
    return { ok: false, reason: 'the SQS endpoint policy is not in the managed form (one statement, Version 2012-10-17)' };
  }
  const statement: unknown = statements[0];
  if (
    !isRecord(statement) ||
    statement.Sid !== SQS_ENDPOINT_POLICY_SID ||
    statement.Effect !== 'Allow' ||
    statement.Principal !== '*' ||
    statement.Action !== 'sqs:*' ||
    Object.keys(statement).some((key) => !['Sid', 'Effect', 'Principal', 'Action', 'Resource'].includes(key))
  ) {
    return { ok: false, reason: `the SQS endpoint policy statement is not the managed ${SQS_ENDPOINT_POLICY_SID} statement` };
  }
  const raw = typeof statement.Resource === 'string' ? [statement.Resource] : statement.Resource;
  if (!Array.isArray(raw) || raw.some((entry) => typeof entry !== 'string')) {
    return { ok: false, reason: 'the SQS endpoint policy Resource is not a list of ARNs' };
  }
  const placeholder = placeholderQueueArn(scope);
  const resources: string[] = [];
  for (const entry of raw as string[]) {
    if (entry === placeholder) continue;
    if (!classifyEntry(entry, scope)) {
      return { ok: false, reason: `the SQS endpoint policy lists "${entry}", which is not a Celery queue ARN of ${scope.region}` };
    }
    resources.push(entry);
  }
  return { ok: true, resources: [...new Set(resources)].sort() };
}

/**
 * Adds queues. If the result would exceed `limit`, entries of the same queue-owner account are
 * compacted into that account's `airflow-celery-*` wildcard, largest saving first, until it fits;
 * if even full compaction cannot fit, nothing changes and the update is refused.
 */
export function addQueuesToPolicy(
  resources: readonly string[],
  queueArns: readonly string[],
  scope: PolicyScope,
  limit: number,
): PolicyUpdate {
  assertCeleryQueues(queueArns, scope);
  const entries = new Set(resources);
  for (const queueArn of queueArns) {
    if (!isQueueAllowed(entries, queueArn, scope)) entries.add(queueArn);
  }
  return finish(resources, entries, scope, limit, []);
}

/**
 * Removes one queue. An exact entry is simply dropped. A wildcard covering the queue is only touched
 * when `liveQueues` (every queue still in use, from a complete reconcile) is given:
 *  - no other live queue of that owner account: the wildcard is dropped;
 *  - otherwise it is replaced by those live queues' exact ARNs if they fit, else kept.
 * Without `liveQueues` (a single DELETED event) the wildcard is kept: we cannot prove no other
 * environment uses it, and cutting a live environment off SQS is worse than a short-lived extra
 * allowance that the next complete reconcile removes.
 */
export function removeQueueFromPolicy(
  resources: readonly string[],
  queueArn: string,
  scope: PolicyScope,
  limit: number,
  liveQueues?: ReadonlySet<string>,
): PolicyUpdate {
  assertCeleryQueues([queueArn], scope);
  const entries = new Set(resources);
  entries.delete(queueArn);
  const account = parseSqsArn(queueArn)!.account;
  const wildcard = celeryWildcardArn(scope, account);
  const kept: string[] = [];
  if (entries.has(wildcard)) {
    if (liveQueues === undefined) {
      kept.push(wildcard);
    } else {
      const stillLive = [...liveQueues].filter(
        // isQueueAllowed through this account's wildcard implies the queue is of this account and scope.
        (live) => live !== queueArn && isQueueAllowed([wildcard], live, scope),
      );
      const expanded = new Set(entries);
      expanded.delete(wildcard);
      stillLive.forEach((live) => expanded.add(live));
      if (stillLive.length === 0 || serializeSqsEndpointPolicy(expanded, scope).length <= limit) {
        entries.delete(wildcard);
        stillLive.forEach((live) => entries.add(live));
      } else {
        kept.push(wildcard);
      }
    }
  }
  return finish(resources, entries, scope, limit, kept);
}

/**
 * The least-privilege policy for a complete set of live queues (complete reconcile): exact ARNs,
 * compacted only as far as the limit requires. Replaces whatever wildcards were there.
 */
export function policyForLiveQueues(
  currentResources: readonly string[],
  liveQueues: ReadonlySet<string>,
  scope: PolicyScope,
  limit: number,
): PolicyUpdate {
  assertCeleryQueues([...liveQueues], scope);
  return finish(currentResources, new Set(liveQueues), scope, limit, []);
}

function finish(
  before: readonly string[],
  entries: Set<string>,
  scope: PolicyScope,
  limit: number,
  keptWildcards: readonly string[],
): PolicyUpdate {
  const fitted = fitWithinLimit(entries, scope, limit);
  if (!fitted.fits) {
    return {
      ok: false,
      reason:
        `the SQS endpoint policy would need ${fitted.compactedLength} characters ` +
        `even with every queue-owner account compacted, over the ${limit}-character limit`,
    };
  }
  const document = serializeSqsEndpointPolicy(fitted.entries, scope);
  return {
    ok: true,
    changed: document !== serializeSqsEndpointPolicy(before, scope),
    resources: [...fitted.entries].sort(),
    document,
    compactedAccounts: fitted.compactedAccounts,
    keptWildcards,
  };
}

/** Compacts accounts in order until the document fits; when none fits, the length with every account compacted. */
function fitWithinLimit(
  entries: ReadonlySet<string>,
  scope: PolicyScope,
  limit: number,
):
  | { readonly fits: true; readonly entries: Set<string>; readonly compactedAccounts: readonly string[] }
  | { readonly fits: false; readonly compactedLength: number } {
  let current = new Set(entries);
  const compactedAccounts: string[] = [];
  if (serializeSqsEndpointPolicy(current, scope).length <= limit) return { fits: true, entries: current, compactedAccounts };
  for (const account of compactionOrder(current, scope)) {
    current = compactAccount(current, scope, account);
    compactedAccounts.push(account);
    if (serializeSqsEndpointPolicy(current, scope).length <= limit) return { fits: true, entries: current, compactedAccounts };
  }
  return { fits: false, compactedLength: serializeSqsEndpointPolicy(current, scope).length };
}

/**
 * Accounts in compaction order, biggest saving first (ties by account id). No saving is negative (a queue
 * name is never shorter than the `airflow-celery-*` wildcard) and a zero saving never makes room, so
 * such accounts are harmlessly last.
 */
function compactionOrder(entries: ReadonlySet<string>, scope: PolicyScope): string[] {
  const savings = new Map<string, number>();
  for (const entry of entries) {
    const classified = classifyEntry(entry, scope);
    // Stryker disable next-line OptionalChaining: every entry here is classified (parsed from the managed form or asserted)
    if (classified?.kind !== 'queue') continue;
    savings.set(classified.account, (savings.get(classified.account) ?? 0) + entry.length + 3); // +3: quotes and comma
  }
  return [...savings.entries()]
    .map(([account, saved]) => ({
      account,
      saving: saved - (entries.has(celeryWildcardArn(scope, account)) ? 0 : celeryWildcardArn(scope, account).length + 3),
    }))
    .sort((a, b) => b.saving - a.saving || a.account.localeCompare(b.account))
    .map((candidate) => candidate.account);
}

function compactAccount(entries: ReadonlySet<string>, scope: PolicyScope, account: string): Set<string> {
  const result = new Set<string>();
  for (const entry of entries) {
    // The account's queues and its wildcard go; the wildcard is added back below.
    // Stryker disable next-line OptionalChaining: every entry here is classified (parsed from the managed form or asserted)
    if (classifyEntry(entry, scope)?.account === account) continue;
    result.add(entry);
  }
  result.add(celeryWildcardArn(scope, account));
  return result;
}

function assertCeleryQueues(queueArns: readonly string[], scope: PolicyScope): void {
  for (const queueArn of queueArns) {
    if (classifyEntry(queueArn, scope)?.kind !== 'queue') {
      // Callers validate events first; reaching this is a programming error, not bad input.
      throw new Error(`not a Celery queue ARN of ${scope.partition}/${scope.region}: ${queueArn}`);
    }
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Which environments to wait for, read from a stack's saved plan (`terraform show -json tfplan`), and
 * the order stacks are applied in. Pure.
 */
import { OWNER_STACK, RECOVERY_OWNER_STACK, teamOfRecoveryStack, teamOfStack } from '../../contracts/names';
import { airflowVersionChange } from '../../model/airflow-versions';
import type { WaitTarget } from './wait';

/** The part of `terraform show -json` this reads. */
export interface PlanJson {
  readonly resource_changes?: ReadonlyArray<{
    readonly type: string;
    readonly mode?: string;
    readonly change: {
      readonly actions: readonly string[];
      readonly before: Readonly<Record<string, unknown>> | null;
      readonly after: Readonly<Record<string, unknown>> | null;
    };
  }>;
}

/**
 * MWAA environments the plan creates, updates or replaces (goal AVAILABLE) or only deletes (goal
 * DELETED), in `region` when it is a recovery stack's plan. A no-op environment is not waited for: nothing the apply does can change its status.
 */
export function environmentsChangedBy(plan: PlanJson, team: string, accountId: string, region?: string): WaitTarget[] {
  const out: WaitTarget[] = [];
  const where = region ? { region } : {};
  for (const rc of plan.resource_changes ?? []) {
    if (rc.type !== 'aws_mwaa_environment' || rc.mode === 'data') continue;
    const actions = rc.change.actions;
    const name = (rc.change.after?.name ?? rc.change.before?.name) as string | undefined;
    if (typeof name !== 'string') continue;
    if (actions.includes('create') || actions.includes('update')) out.push({ team, accountId, name, goal: 'AVAILABLE', ...where });
    else if (actions.includes('delete')) out.push({ team, accountId, name, goal: 'DELETED', ...where });
  }
  return out.sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * Why the plan must not be applied: MWAA environments it would replace because their Airflow version changed
 * (hashicorp/aws forces a new environment on a major bump, 2.x → 3.x). Applying would delete the environment with
 * its metadata database (run history, connections, variables) and create an empty one, whether or not MWAA could
 * have upgraded it in place; each message says which way is open (the model's airflowVersionChange()). Pure.
 */
export function airflowVersionReplacements(plan: PlanJson): string[] {
  const out: string[] = [];
  for (const rc of plan.resource_changes ?? []) {
    if (rc.type !== 'aws_mwaa_environment' || rc.mode === 'data') continue;
    const { actions, before, after } = rc.change;
    if (!actions.includes('delete') || !actions.includes('create') || !before || !after) continue;
    const from = before.airflow_version;
    const to = after.airflow_version;
    if (typeof from !== 'string' || typeof to !== 'string' || from === to) continue;
    const name = String(after.name ?? before.name);
    const change = airflowVersionChange(from, to, name);
    out.push(
      `it would replace MWAA environment ${name} (a new, empty environment) for Airflow ${from} → ${to}` +
        (change.kind === 'none' ? '' : `: ${change.message}`),
    );
  }
  return out;
}

/**
 * Apply order, in waves:
 * - `first`: the owner, then the recovery region's owner (each publishes the contract the next waves read: the
 *   participants read the owner's, the recovery stacks the recovery owner's);
 * - `recovery`: the teams' recovery stacks, before their participants: a participant's replication rule names the
 *   replica bucket and the recovery key's alias of its recovery stack, and S3 refuses a rule whose destination does
 *   not exist;
 * - `then`: every participant. Stacks of one wave are independent of each other.
 */
export function applyWaves(stacks: readonly string[]): {
  readonly first: readonly string[];
  readonly recovery: readonly string[];
  readonly then: readonly string[];
} {
  return {
    first: [OWNER_STACK, RECOVERY_OWNER_STACK].filter((s) => stacks.includes(s)),
    recovery: stacks.filter((s) => teamOfRecoveryStack(s) !== undefined).sort(),
    then: stacks.filter((s) => s !== OWNER_STACK && teamOfStack(s) !== undefined).sort(),
  };
}

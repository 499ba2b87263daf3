/**
 * The one allow-list of differences a re-plan shows after applying to the emulator, each with why it is the
 * emulator's (moto's) and not the platform's. Anything else a re-plan shows fails the emulated tier.
 */

/**
 * Resource type → attribute → reason. An attribute path's first segment is matched. Empty: the extension echoes
 * what moto dropped (Lambda DeadLetterConfig/LoggingConfig, descriptions of security group rules that reference a
 * group or a prefix list; emulator/awsemu/fixes.py), so a re-plan after apply shows no change at all, and the
 * emulated tier's second apply asserts exactly that. A new entry needs its reason and a moto gap that cannot be fixed.
 */
export const ALLOWED_DRIFT: Readonly<Record<string, Readonly<Record<string, string>>>> = {};

/** What the emulator may still hold after the platform is destroyed, with why (none of it is the platform's). */
export const PLATFORM_LEFTOVERS: readonly string[] = [];

/** `stack address: attr, attr` lines (replan's output format) whose attributes are not all allowed. */
export function unexpectedDrift(output: string, allowList: typeof ALLOWED_DRIFT = ALLOWED_DRIFT): string[] {
  const unexpected: string[] = [];
  for (const line of output.split('\n')) {
    const m = /^drift (\S+) (\S+) (update|create|delete|replace):\s*(.*)$/.exec(line.trim());
    if (!m) continue;
    const [, , address, action, attributes] = m;
    const type = address.split('.').filter((part) => part.startsWith('aws_'))[0] ?? '';
    const allowed = allowList[type] ?? {};
    const attrs = attributes.split(', ').filter(Boolean);
    if (action !== 'update' || attrs.length === 0 || attrs.some((a) => !(a.split('.')[0] in allowed))) unexpected.push(line.trim());
  }
  return unexpected;
}

interface ResourceChange {
  readonly address: string;
  readonly change: { readonly actions: readonly string[]; readonly before: unknown; readonly after: unknown };
}

/** Top-level attributes whose values differ between before and after (unknown after-values count as different). */
export function changedAttributes(before: unknown, after: unknown): string[] {
  const b = (before ?? {}) as Record<string, unknown>;
  const a = (after ?? {}) as Record<string, unknown>;
  const keys = new Set([...Object.keys(b), ...Object.keys(a)]);
  return [...keys].filter((k) => JSON.stringify(b[k] ?? null) !== JSON.stringify(a[k] ?? null) && k !== 'tags_all').sort();
}

/** The drift lines of one stack's plan JSON. */
export function driftLines(stack: string, plan: { readonly resource_changes?: readonly ResourceChange[] }): string[] {
  const lines: string[] = [];
  for (const rc of plan.resource_changes ?? []) {
    const actions = rc.change.actions;
    if (actions.length === 1 && (actions[0] === 'no-op' || actions[0] === 'read')) continue;
    const action = actions.length === 2 ? 'replace' : actions[0];
    lines.push(`drift ${stack} ${rc.address} ${action}: ${changedAttributes(rc.change.before, rc.change.after).join(', ')}`);
  }
  return lines;
}

/** The subset of `terraform show -json <planfile>` (format_version 1.x) the review reads. */

export type PlanAction = 'no-op' | 'create' | 'read' | 'update' | 'delete' | 'forget';

export interface PlanResourceChange {
  readonly address: string;
  readonly module_address?: string;
  readonly mode?: 'managed' | 'data';
  readonly type: string;
  readonly name: string;
  readonly index?: string | number;
  readonly provider_name?: string;
  readonly action_reason?: string;
  readonly change: {
    readonly actions: readonly PlanAction[];
    readonly before: Readonly<Record<string, unknown>> | null;
    readonly after: Readonly<Record<string, unknown>> | null;
    /** true or a nested object/array of booleans marking values known only after apply. */
    readonly after_unknown?: unknown;
    readonly replace_paths?: ReadonlyArray<ReadonlyArray<string | number>>;
    readonly importing?: unknown;
  };
}

export interface TerraformPlanJson {
  readonly format_version: string;
  readonly terraform_version?: string;
  readonly resource_changes?: readonly PlanResourceChange[];
  readonly errored?: boolean;
}

/** Review-level classification of a change's `actions`. */
export type ChangeKind = 'create' | 'update' | 'replace' | 'delete' | 'forget' | 'no-op' | 'read';

export function changeKind(actions: readonly PlanAction[]): ChangeKind {
  const a = actions.join(',');
  switch (a) {
    case 'create':
    case 'update':
    case 'delete':
    case 'forget':
    case 'read':
      return a;
    case 'delete,create':
    case 'create,delete':
      return 'replace';
    default:
      return 'no-op';
  }
}

/** Whether `after_unknown` marks `attr` (or the whole object) as known after apply. */
export function isUnknown(afterUnknown: unknown, attr: string): boolean {
  if (afterUnknown === true) return true;
  if (!afterUnknown || typeof afterUnknown !== 'object') return false;
  const v = (afterUnknown as Record<string, unknown>)[attr];
  return v === true;
}

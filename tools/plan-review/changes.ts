/**
 * One change model for both sources the review reads: a Terraform plan (`terraform show -json`) and the
 * offline difference between two synthesized configurations (`--base`). Pure.
 */
import { blocksOf, type StackJson } from '../rules';
import { changeKind, isUnknown, type TerraformPlanJson } from './plan-json';

export type Obj = Readonly<Record<string, unknown>>;
export type Kind = 'create' | 'update' | 'replace' | 'delete';

export interface ResourceChange {
  readonly address: string;
  readonly type: string;
  readonly kind: Kind;
  /** Plan: prior state. Offline: the base configuration (references unresolved). */
  readonly before: Obj | null;
  readonly after: Obj | null;
  /** Plan only: `after_unknown`. */
  readonly afterUnknown?: unknown;
  readonly replacePaths?: ReadonlyArray<ReadonlyArray<string | number>>;
  readonly actionReason?: string;
  /** 'plan' = from Terraform; 'config' = from comparing synthesized configurations. */
  readonly source: 'plan' | 'config';
}

/** Resources in a plan: changes (no-op and reads dropped) and every resource's known state before and after. */
export function changesFromPlan(plan: TerraformPlanJson): ResourceChange[] {
  const out: ResourceChange[] = [];
  for (const rc of plan.resource_changes ?? []) {
    if (rc.mode === 'data') continue;
    const k = changeKind(rc.change.actions);
    if (k === 'no-op' || k === 'read' || k === 'forget') continue;
    out.push({
      address: rc.address,
      type: rc.type,
      kind: k,
      before: k === 'create' ? null : rc.change.before,
      after: k === 'delete' ? null : rc.change.after,
      afterUnknown: rc.change.after_unknown,
      ...(rc.change.replace_paths?.length ? { replacePaths: rc.change.replace_paths } : {}),
      ...(rc.action_reason ? { actionReason: rc.action_reason } : {}),
      source: 'plan',
    });
  }
  return out;
}

/** Arguments whose change makes the provider replace the resource (from the provider schema's ForceNew). */
export const FORCE_NEW: Readonly<Record<string, readonly string[]>> = {
  aws_mwaa_environment: ['name'],
  aws_s3_bucket: ['bucket', 'bucket_prefix'],
  aws_eks_cluster: ['name'],
  aws_vpc: ['cidr_block'],
  aws_subnet: ['cidr_block', 'availability_zone', 'vpc_id'],
  aws_vpc_endpoint: ['service_name', 'vpc_id', 'vpc_endpoint_type'],
  aws_iam_role: ['name', 'name_prefix', 'path'],
  aws_security_group: ['name', 'vpc_id'],
  aws_sqs_queue: ['name', 'fifo_queue'],
  aws_cloudwatch_log_group: ['name'],
  aws_kms_alias: ['name'],
  aws_eks_node_group: ['node_group_name', 'subnet_ids', 'instance_types', 'capacity_type', 'ami_type'],
  aws_sns_topic: ['name', 'name_prefix', 'fifo_topic'],
  aws_sns_topic_policy: ['arn'],
  // `replica` is not among them: the provider adds and removes replica regions in place.
  aws_secretsmanager_secret: ['name', 'name_prefix'],
  aws_s3_bucket_replication_configuration: ['bucket'],
};

/** Metadata that is not infrastructure: construct paths, explicit ordering. */
const NOT_STATE = new Set(['//', 'depends_on']);

const strip = (props: Obj): Obj => Object.fromEntries(Object.entries(props).filter(([k]) => !NOT_STATE.has(k)));

/** Canonical JSON: object keys sorted, so equal configurations compare equal as text. */
export function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .filter((k) => k !== '//')
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Obj)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** Whether two synthesized stacks describe the same infrastructure (metadata and ordering ignored). */
export function sameStack(a: StackJson, b: StackJson): boolean {
  const view = (s: StackJson): unknown => ({
    resource: Object.fromEntries(blocksOf(s).map((x) => [x.address, strip(x.props)])),
    provider: s.provider,
    terraform: s.terraform,
    output: s.output,
  });
  return canonical(view(a)) === canonical(view(b));
}

/** Offline: managed resources added, removed or changed between two configurations of one stack. */
export function changesFromConfigs(base: StackJson | undefined, head: StackJson | undefined): ResourceChange[] {
  const managed = (s: StackJson | undefined) =>
    new Map(
      blocksOf(s ?? {})
        .filter((b) => b.mode === 'managed')
        .map((b) => [b.address, b]),
    );
  const b = managed(base);
  const h = managed(head);
  const out: ResourceChange[] = [];
  for (const [address, blk] of h) {
    const prior = b.get(address);
    const after = strip(blk.props);
    if (!prior) {
      out.push({ address, type: blk.type, kind: 'create', before: null, after, source: 'config' });
      continue;
    }
    const before = strip(prior.props);
    if (canonical(before) === canonical(after)) continue;
    const forced = FORCE_NEW[blk.type]?.filter((a) => canonical(before[a]) !== canonical(after[a])) ?? [];
    out.push({
      address,
      type: blk.type,
      kind: forced.length ? 'replace' : 'update',
      before,
      after,
      ...(forced.length ? { replacePaths: forced.map((a) => [a]) } : {}),
      source: 'config',
    });
  }
  for (const [address, blk] of b) {
    if (!h.has(address)) out.push({ address, type: blk.type, kind: 'delete', before: strip(blk.props), after: null, source: 'config' });
  }
  return out;
}

/** Top-level attributes whose value differs, for the attribute-level diff. */
export function changedAttributes(c: ResourceChange): Array<{ readonly attr: string; readonly before: unknown; readonly after: unknown }> {
  if (c.kind === 'create' || c.kind === 'delete') return [];
  const before = c.before ?? {};
  const after = c.after ?? {};
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  const unknown = (k: string): boolean => isUnknown(c.afterUnknown, k);
  return keys
    .filter((k) => k !== 'tags_all' && !(c.source === 'plan' && ['id', 'arn'].includes(k)))
    .filter((k) => unknown(k) || canonical(before[k] ?? null) !== canonical(after[k] ?? null))
    .map((k) => ({ attr: k, before: before[k], after: unknown(k) ? '(known after apply)' : after[k] }));
}

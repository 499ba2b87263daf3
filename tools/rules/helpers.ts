/** Small helpers for reading cdktf JSON props (nested blocks may be objects or arrays; booleans may be strings). */
import type { NormalizedPolicy, NormalizedStatement, RuleContext, TfBlock } from './types';

type Obj = Readonly<Record<string, unknown>>;

/** Nested block(s) as an array, whether synthesized as an object or a list. */
export function nested(v: unknown): Obj[] {
  // undefined and null fall out in the filter: no separate check (it would only be an equivalent mutant).
  return (Array.isArray(v) ? v : [v]).filter((x): x is Obj => !!x && typeof x === 'object');
}

export const first = (v: unknown): Obj | undefined => nested(v)[0];

export const isTrue = (v: unknown): boolean => v === true || v === 'true';
export const isFalse = (v: unknown): boolean => v === false || v === 'false';

/** An unresolved Terraform expression: rules do not guess its value. */
export const isToken = (v: unknown): boolean => typeof v === 'string' && v.includes('${');

export const strings = (v: unknown): string[] => (v === undefined || v === null ? [] : (Array.isArray(v) ? v : [v]).map(String));

/** Identity policies attached to a resource: `policy` of *_policy types, `inline_policy` blocks of a role. */
export function identityPolicies(r: TfBlock, ctx: RuleContext): Array<{ readonly label: string; readonly doc: NormalizedPolicy }> {
  const out: Array<{ label: string; doc: NormalizedPolicy }> = [];
  const add = (label: string, v: unknown): void => {
    const doc = ctx.policy(v);
    if (doc && doc !== 'unresolved') out.push({ label, doc });
  };
  if (r.type === 'aws_iam_role')
    for (const p of nested(r.props.inline_policy)) add(`inline policy ${String(p.name ?? '')}`.trim(), p.policy);
  else add('policy', r.props.policy);
  return out;
}

/** Resource types that carry identity policies (an aws_iam_role through its `inline_policy`). */
export const IDENTITY_POLICY_TYPES: readonly string[] = [
  'aws_iam_policy',
  'aws_iam_role_policy',
  'aws_iam_user_policy',
  'aws_iam_group_policy',
  'aws_iam_role',
];

export const stmtLabel = (s: NormalizedStatement, i: number): string => (s.sid ? `statement "${s.sid}"` : `statement #${i + 1}`);

/**
 * Stack index for rules: every resource/data block of one cdk.tf.json, plus reference resolution.
 * cdktf renders cross-resource values as `${aws_s3_bucket.dags_1A2B.id}`; rules correlate resources through
 * those references (or, when a value is a literal, through equal literal values).
 */
import { parsePolicyJson, policyFromDocumentData } from './policy';
import type { NormalizedPolicy, RuleContext, RuleSettings, StackJson, TfBlock } from './types';

/** The block a reference names: `${[data.]type.name` and whatever follows (`[0]`, `.attribute`), which does not matter. */
const REF = /\$\{(data\.)?([a-z][a-z0-9_]*)\.([A-Za-z0-9_-]+)/;

export function blocksOf(json: StackJson): TfBlock[] {
  const out: TfBlock[] = [];
  for (const [mode, section] of [
    ['managed', json.resource],
    ['data', json.data],
  ] as const) {
    for (const [type, byName] of Object.entries(section ?? {})) {
      for (const [name, props] of Object.entries(byName ?? {})) {
        const meta = (props['//'] as { metadata?: { path?: string } } | undefined)?.metadata;
        out.push({
          mode,
          type,
          name,
          address: mode === 'data' ? `data.${type}.${name}` : `${type}.${name}`,
          ...(meta?.path ? { path: meta.path } : {}),
          props,
        });
      }
    }
  }
  return out;
}

/** True when `value` is (or contains) a reference to `target`. */
export function refersTo(value: unknown, target: TfBlock): boolean {
  if (typeof value !== 'string') return false;
  return (
    value.includes('${' + target.address + '.') ||
    value.includes('${' + target.address + '}') ||
    value.includes('${' + target.address + '[')
  );
}

export const DEFAULT_SETTINGS: RuleSettings = { allowPublicWebserver: false };

export function buildContext(
  json: StackJson,
  stack: string,
  settings: RuleSettings = DEFAULT_SETTINGS,
): { readonly ctx: RuleContext; readonly blocks: readonly TfBlock[] } {
  const blocks = blocksOf(json);
  const byAddress = new Map(blocks.map((b) => [b.address, b]));
  const byType = new Map<string, TfBlock[]>();
  for (const b of blocks) if (b.mode === 'managed') byType.set(b.type, [...(byType.get(b.type) ?? []), b]);

  const resolve = (value: unknown): TfBlock | undefined => {
    if (typeof value !== 'string') return undefined;
    const m = REF.exec(value);
    if (!m) return undefined;
    return byAddress.get(`${m[1] ? 'data.' : ''}${m[2]}.${m[3]}`);
  };

  const ctx: RuleContext = {
    stack,
    settings,
    resources: (type) => byType.get(type) ?? [],
    resolve,
    referencing: (type, attr, target) =>
      (byType.get(type) ?? []).filter((r) => {
        const v = r.props[attr];
        if (refersTo(v, target)) return true;
        // Literal correlation: `bucket = "mwaa-x-dags"` on both the bucket and its config resource.
        return typeof v === 'string' && !v.includes('${') && v === target.props[attr];
      }),
    policy: (value): NormalizedPolicy | 'unresolved' | undefined => {
      if (value === undefined || value === null || value === '') return undefined;
      if (typeof value === 'string' && value.trim().startsWith('${') && value.trim().endsWith('}') && !value.includes('"Statement"')) {
        const target = resolve(value);
        if (target?.type === 'aws_iam_policy_document' && target.mode === 'data') return policyFromDocumentData(target.props);
        return 'unresolved';
      }
      return parsePolicyJson(value) ?? 'unresolved';
    },
  };
  return { ctx, blocks };
}

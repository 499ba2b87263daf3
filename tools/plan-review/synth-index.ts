/**
 * The review's view of one stack's synthesized configuration (cdk.tf.json): readable names from the construct
 * paths cdktf records in `//` metadata, references rendered symbolically (`<dag-bucket>.arn/*`), and policies
 * Terraform only knows after apply read from the configuration instead. Pure.
 */
import {
  blocksOf,
  parsePolicyJson,
  policyFromDocumentData,
  type NormalizedPolicy,
  type NormalizedStatement,
  type StackJson,
  type TfBlock,
} from '../rules';

/** Leaf construct ids that only repeat what the parent says (`dag-bucket/bucket`, `execution-role/role`). */
const GENERIC_LEAVES = new Set([
  'bucket',
  'role',
  'sg',
  'environment',
  'key',
  'cluster',
  'function',
  'queue',
  'resource',
  'default',
  'this',
  'policy-document',
]);

export interface SynthIndex {
  readonly stack: string;
  readonly blocks: ReadonlyMap<string, TfBlock>;
  /** `participant-analytics / mwaa / analytics-prod / execution-role`; the address when there is no metadata. */
  name(address: string): string;
  /** Short symbol for a reference target: `dag-bucket`, `execution-role`. */
  symbol(address: string): string;
  /** `${aws_s3_bucket.x.arn}/*` → `<dag-bucket>.arn/*`, recursively through arrays and objects. */
  symbolize<T>(value: T): T;
  /** A resource's policy attribute from the configuration, references symbolic; undefined if not a policy. */
  policy(address: string, attr: string): NormalizedPolicy | undefined;
  /** The AWS provider's region of this stack. */
  readonly region?: string;
}

const REF = /\$\{(data\.)?([a-z][a-z0-9_]*)\.([A-Za-z0-9_-]+)((?:\[[^\]]*\])?(?:\.[A-Za-z0-9_]+)*)\}/g;

function segmentsOf(path: string | undefined): string[] {
  if (!path) return [];
  const parts = path.split('/');
  if (parts.length > 2 && GENERIC_LEAVES.has(parts[parts.length - 1])) parts.pop();
  // `environment-analytics-prod` reads as the environment's name.
  return parts.map((p) => p.replace(/^environment-/, ''));
}

export function indexStack(stack: string, json: StackJson | undefined): SynthIndex {
  const blocks = new Map((json ? blocksOf(json) : []).map((b) => [b.address, b]));
  const name = (address: string): string => {
    const segs = segmentsOf(blocks.get(address)?.path);
    return segs.length ? segs.join(' / ') : address;
  };
  const symbol = (address: string): string => {
    const segs = segmentsOf(blocks.get(address)?.path);
    return segs.length > 1
      ? segs[segs.length - 1]
      : address
          .replace(/^data\./, '')
          .split('.')
          .slice(1)
          .join('.')
          .replace(/_[0-9A-F]{8}$/, '');
  };
  const symbolizeString = (s: string): string =>
    s.replace(REF, (whole, data: string | undefined, type: string, nameId: string, rest: string) => {
      const address = `${data ? 'data.' : ''}${type}.${nameId}`;
      if (!blocks.has(address)) return whole;
      return `<${symbol(address)}>${rest}`;
    });
  const symbolize = <T>(value: T): T => {
    if (typeof value === 'string') return symbolizeString(value) as T;
    if (Array.isArray(value)) return value.map((v) => symbolize(v)) as T;
    if (value && typeof value === 'object') {
      return Object.fromEntries(
        Object.entries(value)
          .filter(([k]) => k !== '//')
          .map(([k, v]) => [k, symbolize(v)]),
      ) as T;
    }
    return value;
  };
  const policy = (address: string, attr: string): NormalizedPolicy | undefined => {
    const v = blocks.get(address)?.props[attr];
    return policyOfValue(v, blocks, symbolize);
  };
  const provider = (json?.provider as { aws?: Array<{ region?: string }> } | undefined)?.aws;
  const region = Array.isArray(provider) ? provider.find((p) => typeof p.region === 'string')?.region : undefined;
  return { stack, blocks, name, symbol, symbolize, policy, ...(region ? { region } : {}) };
}

function symbolizeDoc(doc: NormalizedPolicy, symbolize: <T>(v: T) => T): NormalizedPolicy {
  return { statements: doc.statements.map((s): NormalizedStatement => symbolize(s)) };
}

/** A policy value from configuration: JSON text (references inside strings) or `${data.aws_iam_policy_document.x.json}`. */
export function policyOfValue(v: unknown, blocks: ReadonlyMap<string, TfBlock>, symbolize: <T>(v: T) => T): NormalizedPolicy | undefined {
  if (typeof v !== 'string' || v === '') return undefined;
  const trimmed = v.trim();
  const whole = /^\$\{data\.aws_iam_policy_document\.([A-Za-z0-9_-]+)\.json\}$/.exec(trimmed);
  if (whole) {
    const target = blocks.get(`data.aws_iam_policy_document.${whole[1]}`);
    if (!target) return undefined;
    const doc = policyFromDocumentData(target.props);
    return doc === 'unresolved' ? undefined : symbolizeDoc(doc, symbolize);
  }
  const doc = parsePolicyJson(v);
  return doc ? symbolizeDoc(doc, symbolize) : undefined;
}

/**
 * IAM policy normalization shared by the rules (synth JSON) and the plan review (plan JSON).
 * Both JSON policy text and `aws_iam_policy_document` statement blocks become the same `NormalizedStatement` shape,
 * so "is this open?" and "which statements changed?" are answered once.
 */
import type { NormalizedPolicy, NormalizedStatement } from './types';

type Principals = NonNullable<NormalizedStatement['principals']>;

const list = (v: unknown): string[] | undefined => {
  if (v === undefined || v === null) return undefined;
  const arr = Array.isArray(v) ? v : [v];
  return arr.map((x) => String(x)).sort();
};

/** `Principal` / `NotPrincipal` JSON → [{type, identifiers}] ("*" → type '*'). */
function jsonPrincipals(v: unknown): Principals | undefined {
  if (v === undefined || v === null) return undefined;
  if (v === '*') return [{ type: '*', identifiers: ['*'] }];
  if (typeof v !== 'object') return [{ type: 'AWS', identifiers: [String(v)] }];
  return Object.entries(v as Record<string, unknown>)
    .map(([type, ids]) => ({ type, identifiers: list(ids) ?? [] }))
    .sort((a, b) => a.type.localeCompare(b.type));
}

function jsonConditions(v: unknown): NormalizedStatement['conditions'] {
  const out: Array<{ test: string; variable: string; values: string[] }> = [];
  // Object.entries of a string or number yields no object values, so only a mapping of mappings contributes.
  for (const [test, vars] of Object.entries((v ?? {}) as Record<string, unknown>)) {
    if (!vars || typeof vars !== 'object') continue;
    for (const [variable, values] of Object.entries(vars as Record<string, unknown>)) {
      out.push({ test, variable, values: list(values) ?? [] });
    }
  }
  return sortConditions(out);
}

const sortConditions = <T extends { test: string; variable: string }>(c: T[]): T[] =>
  c.sort((a, b) => `${a.test}|${a.variable}`.localeCompare(`${b.test}|${b.variable}`));

function jsonStatement(s: Record<string, unknown>): NormalizedStatement {
  return {
    ...(s.Sid !== undefined ? { sid: String(s.Sid) } : {}),
    effect: s.Effect === 'Deny' ? 'Deny' : 'Allow',
    actions: list(s.Action),
    notActions: list(s.NotAction),
    resources: list(s.Resource),
    notResources: list(s.NotResource),
    principals: jsonPrincipals(s.Principal),
    notPrincipals: jsonPrincipals(s.NotPrincipal),
    conditions: jsonConditions(s.Condition),
  };
}

/** Parses IAM policy JSON text; undefined when it is not JSON (e.g. an unresolved `${jsonencode(...)}`). */
export function parsePolicyJson(text: unknown): NormalizedPolicy | undefined {
  let doc: unknown = text;
  if (typeof text === 'string') {
    try {
      doc = JSON.parse(text);
    } catch {
      return undefined;
    }
  }
  // A primitive has no Statement property; only null and undefined need the guard.
  const raw = (doc as { Statement?: unknown } | null | undefined)?.Statement;
  if (raw === undefined) return undefined;
  const statements = (Array.isArray(raw) ? raw : [raw]).filter((s): s is Record<string, unknown> => !!s && typeof s === 'object');
  return { statements: statements.map(jsonStatement) };
}

/** Nested blocks as a list of objects: absent (null in plan JSON), a single block, or a list with holes. */
const blocks = (v: unknown): Array<Record<string, unknown>> =>
  (Array.isArray(v) ? v : [v]).filter((b): b is Record<string, unknown> => !!b && typeof b === 'object');

function docPrincipals(v: unknown): Principals | undefined {
  const b = blocks(v);
  if (b.length === 0) return undefined;
  return b.map((p) => ({ type: String(p.type), identifiers: list(p.identifiers) ?? [] })).sort((a, c) => a.type.localeCompare(c.type));
}

/** `data.aws_iam_policy_document` props → document (source_policy_documents that are literal JSON are merged in). */
export function policyFromDocumentData(props: Readonly<Record<string, unknown>>): NormalizedPolicy | 'unresolved' {
  const statements: NormalizedStatement[] = [];
  const sources = [props.source_policy_documents, props.override_policy_documents].flatMap((v) =>
    v === undefined || v === null ? [] : Array.isArray(v) ? v : [v],
  );
  for (const src of sources) {
    const parsed = parsePolicyJson(src);
    if (!parsed) return 'unresolved';
    statements.push(...parsed.statements);
  }
  for (const s of blocks(props.statement)) {
    statements.push({
      ...(s.sid !== undefined ? { sid: String(s.sid) } : {}),
      effect: s.effect === 'Deny' ? 'Deny' : 'Allow',
      actions: list(s.actions),
      notActions: list(s.not_actions),
      resources: list(s.resources),
      notResources: list(s.not_resources),
      principals: docPrincipals(s.principals),
      notPrincipals: docPrincipals(s.not_principals),
      conditions: sortConditions(
        blocks(s.condition).map((c) => ({ test: String(c.test), variable: String(c.variable), values: list(c.values) ?? [] })),
      ),
    });
  }
  return { statements };
}

/** Stable text of a statement without its Sid (renaming a Sid is not a permission change). */
export function canonicalStatement(s: NormalizedStatement): string {
  const principal = (ps: NormalizedStatement['principals']): unknown =>
    ps && (ps.length === 1 && ps[0].type === '*' ? '*' : Object.fromEntries(ps.map((p) => [p.type, p.identifiers])));
  const condition: Record<string, Record<string, readonly string[]>> = {};
  for (const k of s.conditions) (condition[k.test] ??= {})[k.variable] = k.values;
  // JSON.stringify leaves out the fields that are undefined.
  return JSON.stringify({
    Effect: s.effect,
    Principal: principal(s.principals),
    NotPrincipal: principal(s.notPrincipals),
    Action: s.actions,
    NotAction: s.notActions,
    Resource: s.resources,
    NotResource: s.notResources,
    Condition: s.conditions.length ? condition : undefined,
  });
}

/** Multiset difference of normalized statements. */
export function diffStatements(
  before: NormalizedPolicy | undefined,
  after: NormalizedPolicy | undefined,
): { readonly added: readonly string[]; readonly removed: readonly string[] } {
  const b = (before?.statements ?? []).map(canonicalStatement);
  const a = (after?.statements ?? []).map(canonicalStatement);
  const remaining = [...b];
  const added: string[] = [];
  for (const s of a) {
    const i = remaining.indexOf(s);
    if (i >= 0) remaining.splice(i, 1);
    else added.push(s);
  }
  return { added, removed: remaining };
}

export const isWildcardPrincipal = (s: NormalizedStatement): boolean =>
  !!s.principals?.some((p) => p.identifiers.includes('*') && (p.type === '*' || p.type === 'AWS'));

/** Condition keys that tie a service principal to this account/resource (confused-deputy protection). */
export const SOURCE_CONDITION_KEYS = ['aws:sourceaccount', 'aws:sourcearn', 'aws:sourceorgid', 'aws:sourceorgpaths'];

export const hasSourceCondition = (s: NormalizedStatement): boolean =>
  s.conditions.some((c) => SOURCE_CONDITION_KEYS.includes(c.variable.toLowerCase()));

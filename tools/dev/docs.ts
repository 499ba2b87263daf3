/**
 * `npm run docs`: regenerate docs/configuration.md, the configuration reference, from the zod schemas (terraform-docs style).
 * Descriptions live next to the zod definitions (`.meta({ description })`, see model/schema/meta.ts); the type
 * and default come from the schema unless `typeLabel`/`defaultLabel` override them. `npm run docs -- --check`
 * changes nothing and exits 1 when docs/configuration.md is stale (exit codes: tools/lib/cli.ts); test/tools/dev/docs.test.ts runs the same check.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { z } from 'zod';
import '../../model/schema/meta';
import { EXIT, runToolAsMain, type CommandLine } from '../lib/cli';
import { platformSchema } from '../../model/schema/platform';
import { teamSchema } from '../../model/schema/team';
import { STATEFUL_TYPES } from '../plan-review/levels';
import { rules, type Rule } from '../rules';

export interface ReferenceRow {
  /** Field path as a user writes it: `network.create.cidr`, `environments[].name`. */
  readonly path: string;
  readonly type: string;
  readonly default: string;
  readonly description: string | undefined;
}

type Meta = z.GlobalMeta;
// zod 4 keeps a schema's structure in `_zod.def`; the public classes expose no common walker.
type Def = { type: string; [k: string]: unknown };
const def = (s: z.core.$ZodType): Def => s._zod.def as unknown as Def;

/** Unwraps optional/default/readonly layers, merging their metadata (outer layers win). */
function unwrap(schema: z.core.$ZodType) {
  const layers: Meta[] = [];
  let optional = false;
  let defaultValue: { value: unknown } | undefined;
  let s = schema;
  for (;;) {
    const m = z.globalRegistry.get(s);
    if (m) layers.push(m);
    const d = def(s);
    if (d.type === 'optional') optional = true;
    else if (d.type === 'default' || d.type === 'prefault') defaultValue ??= { value: d.defaultValue };
    else if (d.type !== 'readonly' && d.type !== 'nullable') break;
    s = d.innerType as z.core.$ZodType;
  }
  const meta: Meta = Object.assign({}, ...layers.reverse());
  return { inner: s, meta, optional, defaultValue };
}

const code = (v: string) => `\`${v}\``;

/** A value as a user would write it in YAML flow style. */
function flow(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(flow).join(', ')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.entries(value)
      .map(([k, v]) => `${k}: ${flow(v)}`)
      .join(', ')}}`;
  }
  return String(value);
}

function inferType(s: z.core.$ZodType): string {
  const d = def(s);
  const bag = s._zod.bag as { minimum?: number; maximum?: number; format?: string };
  switch (d.type) {
    case 'string':
      return 'string';
    case 'boolean':
      return 'boolean';
    case 'number': {
      const kind = bag.format?.includes('int') ? 'integer' : 'number';
      const min = bag.minimum !== undefined && Number.isFinite(bag.minimum) && Math.abs(bag.minimum) < 2 ** 52 ? bag.minimum : undefined;
      const max = bag.maximum !== undefined && Number.isFinite(bag.maximum) && Math.abs(bag.maximum) < 2 ** 52 ? bag.maximum : undefined;
      if (min !== undefined && max !== undefined) return `${kind} (${min}–${max})`;
      if (min !== undefined) return `${kind} ≥ ${min}`;
      if (max !== undefined) return `${kind} ≤ ${max}`;
      return kind;
    }
    case 'enum':
      return Object.values(d.entries as Record<string, string>)
        .map(code)
        .join(' | ');
    case 'literal':
      return (d.values as unknown[]).map((v) => code(String(v))).join(' | ');
    case 'record':
      return 'map';
    case 'object':
      return 'mapping';
    case 'array': {
      const element = unwrap(d.element as z.core.$ZodType);
      if (def(element.inner).type === 'object') return 'list of mappings';
      return `list of ${element.meta.typeLabel ?? inferType(element.inner)}`;
    }
    case 'union':
      return [...new Set((d.options as z.core.$ZodType[]).map((o) => inferType(unwrap(o).inner)))].join(' | ');
    default:
      return d.type;
  }
}

function inferDefault(u: ReturnType<typeof unwrap>): string {
  if (u.meta.defaultLabel) return u.meta.defaultLabel;
  if (u.defaultValue) {
    const v = u.defaultValue.value;
    // A mapping whose default is what its fields default to reads better as that than as a copy of them.
    if (v && typeof v === 'object' && !Array.isArray(v) && def(u.inner).type === 'object') {
      const empty = (u.inner as z.ZodType).safeParse({});
      if (empty.success && JSON.stringify(empty.data) === JSON.stringify(v)) return 'fields’ defaults';
    }
    return code(flow(v));
  }
  return u.optional ? 'unset' : 'required';
}

/** The fields of a mapping: an object's shape, or every option of a (discriminated) union of objects merged. */
function fieldsOf(s: z.core.$ZodType): Array<[string, z.core.$ZodType[]]> | undefined {
  const d = def(s);
  if (d.type === 'object') return Object.entries(d.shape as Record<string, z.core.$ZodType>).map(([k, v]) => [k, [v]]);
  if (d.type === 'union') {
    const options = (d.options as z.core.$ZodType[]).map((o) => fieldsOf(unwrap(o).inner));
    if (options.some((o) => o === undefined)) return undefined;
    const merged = new Map<string, z.core.$ZodType[]>();
    for (const option of options) for (const [k, v] of option!) merged.set(k, [...(merged.get(k) ?? []), ...v]);
    return [...merged];
  }
  return undefined;
}

/** One row per field, depth first, in schema order. Fields of list elements are written `list[].field`. */
export function referenceRows(schema: z.core.$ZodType, prefix = ''): ReferenceRow[] {
  const fields = fieldsOf(unwrap(schema).inner);
  if (!fields) throw new Error(`${prefix || 'schema'} is not a mapping`);
  const rows: ReferenceRow[] = [];
  for (const [key, variants] of fields) {
    const path = prefix ? `${prefix}.${key}` : key;
    const us = variants.map(unwrap);
    // A key in several union options (a discriminator such as backend.type) takes the first description
    // and the union of the options' types.
    const u = us.find((x) => x.meta.description) ?? us[0];
    const type = u.meta.typeLabel ?? [...new Set(us.map((x) => inferType(x.inner)))].join(' | ');
    rows.push({ path, type, default: inferDefault(u), description: u.meta.description });
    if (u.meta.collapse) continue;
    const inner = def(u.inner);
    if (fieldsOf(u.inner)) rows.push(...referenceRows(u.inner, path));
    else if (inner.type === 'array') {
      const element = unwrap(inner.element as z.core.$ZodType);
      if (fieldsOf(element.inner) && !element.meta.collapse) rows.push(...referenceRows(element.inner, `${path}[]`));
    }
  }
  return rows;
}

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function renderTable(rows: readonly ReferenceRow[]): string {
  const missing = rows.filter((r) => !r.description).map((r) => r.path);
  if (missing.length)
    throw new Error(`fields without a description (add .meta({ description }) next to the zod definition): ${missing.join(', ')}`);
  return [
    '| Field | Type | Default | Description |',
    '| --- | --- | --- | --- |',
    ...rows.map((r) => `| ${cell(code(r.path))} | ${cell(r.type)} | ${cell(r.default)} | ${cell(r.description!)} |`),
  ].join('\n');
}

/** The sections of docs/configuration.md this generator owns, each between `<!-- config-reference:<name> begin/end -->` markers. */
export const SECTIONS = { platform: platformSchema, team: teamSchema } as const;

export function renderReference(document: string): string {
  let out = document;
  for (const [name, schema] of Object.entries(SECTIONS)) {
    const begin = `<!-- config-reference:${name} begin (generated by npm run docs from model/schema; edit the descriptions there) -->`;
    const end = `<!-- config-reference:${name} end -->`;
    const from = out.indexOf(begin);
    const to = out.indexOf(end);
    if (from < 0 || to < from) throw new Error(`${REFERENCE_NAME} has no "${begin}" … "${end}" section`);
    out = `${out.slice(0, from + begin.length)}\n${renderTable(referenceRows(schema))}\n${out.slice(to)}`;
  }
  return out;
}

/** Repository-relative, as every message names files. */
export const REFERENCE_NAME = 'docs/configuration.md';
export const REFERENCE = resolve(__dirname, '..', '..', REFERENCE_NAME);

/** Docs sections generated from code, each between `<!-- generated:<name> begin … -->` and `<!-- generated:<name> end -->`. */
export const GENERATED_DOCS: ReadonlyArray<{ readonly file: string; readonly name: string; readonly render: () => string }> = [
  {
    file: resolve(__dirname, '..', '..', 'docs', 'plan-review.md'),
    name: 'stateful-types',
    render: () =>
      [...STATEFUL_TYPES]
        .sort()
        .map((type) => `- \`${type}\``)
        .join('\n'),
  },
  {
    file: resolve(__dirname, '..', '..', 'docs', 'plan-review.md'),
    name: 'security-rules',
    render: () => renderRulesTable(rules),
  },
];

/** The security rules as a table, grouped by service, from each rule's own id, service, severity, title and details. */
export function renderRulesTable(list: readonly Rule[]): string {
  const rows = [...list].sort((a, b) => a.service.localeCompare(b.service));
  return [
    '| Id | Service | Severity | Checks |',
    '| --- | --- | --- | --- |',
    ...rows.map((r) => `| ${r.id} | ${r.service} | ${r.severity} | ${cell(r.details ? `${r.title}: ${r.details}` : r.title)} |`),
  ].join('\n');
}

/** `text` with each generated section of `file` rendered anew. */
export function renderGenerated(file: string, text: string): string {
  let out = text;
  for (const section of GENERATED_DOCS.filter((s) => s.file === file)) {
    const beginAt = out.indexOf(`<!-- generated:${section.name} begin`);
    const endMarker = `<!-- generated:${section.name} end -->`;
    const to = out.indexOf(endMarker);
    if (beginAt < 0 || to < beginAt) throw new Error(`${file} has no generated:${section.name} begin … end section`);
    const from = out.indexOf('-->', beginAt) + 3;
    out = `${out.slice(0, from)}\n${section.render()}\n${out.slice(to)}`;
  }
  return out;
}

export const DOCS_COMMAND = {
  command: 'npm run docs --',
  summary:
    'Regenerate the configuration reference docs/configuration.md from the zod schemas in model/schema (descriptions from .meta()), and the tables in docs/ generated from code (stateful types of the plan review, the security rules).',
  options: {
    check: { type: 'boolean', description: 'change nothing; exit 1 when docs/configuration.md or a generated docs section is stale' },
  },
  exitCodes: {
    [EXIT.ok]: 'docs/configuration.md and the generated docs sections are up to date (or were regenerated)',
    [EXIT.failed]: 'with --check: docs/configuration.md or a generated docs section is stale; or a field has no description',
  },
} as const;

function main({ values }: CommandLine<typeof DOCS_COMMAND.options>): number {
  let stale = false;
  const files: Array<[string, (text: string) => string]> = [
    [REFERENCE, renderReference],
    ...[...new Set(GENERATED_DOCS.map((s) => s.file))].map((file): [string, (text: string) => string] => [
      file,
      (t) => renderGenerated(file, t),
    ]),
  ];
  for (const [file, render] of files) {
    const current = readFileSync(file, 'utf8');
    const next = render(current);
    const name = relative(resolve(__dirname, '..', '..'), file);
    if (next === current) {
      if (!values.check) console.log(`${name} is up to date`);
      continue;
    }
    stale = true;
    if (values.check) console.error(`${name}: a generated section is stale; run npm run docs`);
    else {
      writeFileSync(file, next);
      console.log(`${name}: generated sections regenerated`);
    }
  }
  return values.check && stale ? EXIT.failed : EXIT.ok;
}

if (require.main === module) runToolAsMain(DOCS_COMMAND, main);

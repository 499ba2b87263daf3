import { readFileSync } from 'node:fs';
import { z } from 'zod';
import '../../../model/schema/meta';
import { strictObject } from '../../../model/schema/common';
import {
  GENERATED_DOCS,
  REFERENCE,
  referenceRows,
  renderGenerated,
  renderReference,
  renderRulesTable,
  renderTable,
  SECTIONS,
} from '../../../tools/dev/docs';
import { rules, type Rule } from '../../../tools/rules';

describe('docs/configuration.md, the configuration reference (npm run docs)', () => {
  test('docs/configuration.md is what npm run docs generates from the schemas', () => {
    const reference = readFileSync(REFERENCE, 'utf8');
    // On failure: run `npm run docs` and commit docs/configuration.md.
    expect(renderReference(reference)).toBe(reference);
  });

  test.each(GENERATED_DOCS.map((s) => [s.name, s.file]))('the generated section %s of %s is what npm run docs generates', (_name, file) => {
    const text = readFileSync(file, 'utf8');
    // On failure: run `npm run docs` and commit the docs file.
    expect(renderGenerated(file, text)).toBe(text);
  });

  test('a generated section is replaced whole, and a file without its markers is an error', () => {
    const { file, name } = GENERATED_DOCS.find((s) => s.name === 'stateful-types')!;
    // The file's other generated sections, empty: each is rendered on its own.
    const others = GENERATED_DOCS.filter((s) => s.file === file && s.name !== name)
      .map((s) => `\n<!-- generated:${s.name} begin -->\n<!-- generated:${s.name} end -->`)
      .join('');
    const stale = `intro\n<!-- generated:${name} begin (note) -->\n- \`aws_gone\`\n<!-- generated:${name} end -->\nafter\n${others}`;
    const fresh = renderGenerated(file, stale);
    expect(fresh).not.toContain('aws_gone');
    expect(fresh).toContain('- `aws_mwaa_environment`\n');
    expect(fresh.startsWith(`intro\n<!-- generated:${name} begin (note) -->\n- \``)).toBe(true);
    expect(fresh).toContain(`\n<!-- generated:${name} end -->\nafter\n`);
    expect(() => renderGenerated(file, 'no markers')).toThrow(`generated:${name} begin`);
  });

  test.each(Object.entries(SECTIONS))('every %s field has a description', (_name, schema) => {
    expect(
      referenceRows(schema)
        .filter((r) => !r.description)
        .map((r) => r.path),
    ).toEqual([]);
  });

  test('a field without a description fails the generator, naming the field', () => {
    const schema = strictObject({ documented: z.string().meta({ description: 'Documented' }), bare: z.number().optional() });
    expect(() => renderTable(referenceRows(schema))).toThrow(/without a description.*: bare$/);
  });

  test('a check chained after .meta() drops the description (zod clones without metadata), so the field counts as undocumented', () => {
    const schema = strictObject({ late: z.string().meta({ description: 'Lost' }).regex(/x/) });
    expect(referenceRows(schema)[0].description).toBeUndefined();
  });

  test('rows: nested mappings, list items, unions, inferred and overridden types and defaults', () => {
    const schema = strictObject({
      name: z.string().meta({ description: 'Name' }),
      size: z.number().int().min(1).max(9).default(3).meta({ description: 'Size' }),
      mode: z.enum(['a', 'b']).optional().meta({ description: 'Mode' }),
      opts: strictObject({ on: z.boolean().default(true).meta({ description: 'On' }) })
        .default({ on: true })
        .meta({ description: 'Options' }),
      items: z
        .array(strictObject({ id: z.string().meta({ typeLabel: '`i-…`', description: 'Id' }) }))
        .default([])
        .meta({ description: 'Items' }),
      kind: z
        .discriminatedUnion('type', [
          strictObject({ type: z.literal('x').meta({ defaultLabel: '`x`', description: 'Kind' }) }),
          strictObject({ type: z.literal('y'), extra: z.string().meta({ defaultLabel: 'required with y', description: 'Extra' }) }),
        ])
        .default({ type: 'x' })
        .meta({ description: 'Kinds' }),
      packed: strictObject({ a: z.string() }).optional().meta({ collapse: true, typeLabel: '`{a}`', description: 'Packed | piped' }),
    });
    expect(referenceRows(schema)).toEqual([
      { path: 'name', type: 'string', default: 'required', description: 'Name' },
      { path: 'size', type: 'integer (1–9)', default: '`3`', description: 'Size' },
      { path: 'mode', type: '`a` | `b`', default: 'unset', description: 'Mode' },
      { path: 'opts', type: 'mapping', default: 'fields’ defaults', description: 'Options' },
      { path: 'opts.on', type: 'boolean', default: '`true`', description: 'On' },
      { path: 'items', type: 'list of mappings', default: '`[]`', description: 'Items' },
      { path: 'items[].id', type: '`i-…`', default: 'required', description: 'Id' },
      { path: 'kind', type: 'mapping', default: '`{type: x}`', description: 'Kinds' },
      { path: 'kind.type', type: '`x` | `y`', default: '`x`', description: 'Kind' },
      { path: 'kind.extra', type: 'string', default: 'required with y', description: 'Extra' },
      { path: 'packed', type: '`{a}`', default: 'unset', description: 'Packed | piped' },
    ]);
    expect(renderTable(referenceRows(schema)).split('\n').at(-1)).toBe('| `packed` | `{a}` | unset | Packed \\| piped |');
  });

  test('renderReference replaces only the text between the markers and refuses a README without them', () => {
    const begin = (n: string) =>
      `<!-- config-reference:${n} begin (generated by npm run docs from model/schema; edit the descriptions there) -->`;
    const end = (n: string) => `<!-- config-reference:${n} end -->`;
    const readme = `intro\n${begin('platform')}\nold\n${end('platform')}\nmiddle\n${begin('team')}\n${end('team')}\noutro\n`;
    const out = renderReference(readme);
    expect(out.startsWith(`intro\n${begin('platform')}\n| Field | Type | Default | Description |\n`)).toBe(true);
    expect(out).not.toContain('\nold\n');
    expect(out).toContain(`\n${end('platform')}\nmiddle\n${begin('team')}\n| Field |`);
    expect(out.endsWith(`\n${end('team')}\noutro\n`)).toBe(true);
    expect(() => renderReference('no markers')).toThrow(/docs\/configuration\.md has no .*config-reference:platform begin/);
  });
});

describe('the security rules table of docs/plan-review.md (npm run docs)', () => {
  const rule = (over: Partial<Rule>): Rule => ({
    id: 'X',
    service: 's3',
    title: 'T',
    severity: 'LOW',
    appliesTo: [],
    check: () => [],
    ...over,
  });

  it('has one row per registered rule', () => {
    const ids = renderRulesTable(rules)
      .split('\n')
      .slice(2)
      .map((row) => row.split(' | ')[0].slice(2));
    expect(ids.sort()).toEqual(rules.map((r) => r.id).sort());
  });

  it('groups rows by service and writes the title, then the details when a rule has them', () => {
    const table = renderRulesTable([
      rule({ id: 'B', service: 'sqs', title: 'Queue', details: 'encrypted | always' }),
      rule({ id: 'A', service: 'iam', title: 'Role', severity: 'HIGH' }),
    ]);
    expect(table.split('\n')).toEqual([
      '| Id | Service | Severity | Checks |',
      '| --- | --- | --- | --- |',
      '| A | iam | HIGH | Role |',
      '| B | sqs | LOW | Queue: encrypted \\| always |',
    ]);
  });
});

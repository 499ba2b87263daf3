/**
 * Reading a configuration file people write by hand, and saying what is wrong with it in words they can act
 * on: the file's own line for YAML errors, "is required", "write it in quotes" where YAML read a number, and
 * the allowed values. Team files are untrusted: strings Terraform or cdktf would evaluate are refused.
 */
import { isScalar, parseDocument, type Document } from 'yaml';
import type { z } from 'zod';
import { formatPath } from './errors';
import type { FieldProblem } from './validate/network';

/** Far above any real team file; a bigger one is a mistake or an attempt to exhaust the CI runner. */
export const MAX_CONFIG_FILE_BYTES = 1024 * 1024;

type Issue = z.core.$ZodIssue;

const fieldsOf = (schema: z.ZodTypeAny): string[] => Object.keys((schema as unknown as { shape?: object }).shape ?? {});

/** The parser's wording where it speaks to programmers rather than to the person editing the file (by code, or by message where one code covers several mistakes). */
const REASONS: Readonly<Record<string, string>> = {
  MULTIPLE_DOCS: 'the file holds more than one YAML document (a second "---"); a configuration file is one mapping',
  DUPLICATE_KEY: 'this key appears twice in the same mapping; keep one',
  BLOCK_AS_IMPLICIT_KEY: 'a value holds ": " as if it were a nested mapping; quote the value, or check the indentation',
  BAD_INDENT: 'the indentation does not match the lines above it',
  TAB_AS_INDENT: 'tabs are used for indentation; YAML needs spaces',
  MULTILINE_IMPLICIT_KEY:
    'this line does not fit the mapping above it (a list item "- " among "key: value" lines, or a key split over two lines); check the indentation',
  'Implicit map keys need to be followed by map values':
    'this line is neither "key: value" nor a list item "- …"; check that the colon is followed by a space',
  'Sequence item without - indicator':
    'the indentation does not match the lines above it (a list item without "- ", or a key indented differently from its neighbours)',
};

/** Where a YAML error is and what it says, as the person editing the file would put it. */
function describeYamlError(text: string, error: { code: string; message: string; pos?: [number, number] }, errors: number): string {
  const lines = text.split('\n').map((l) => l.replace(/\r$/, ''));
  const firstLine = error.message
    .split('\n')[0]
    .replace(/ at line \d+, column \d+.*$/, '')
    .trim();
  let reason = REASONS[error.code] ?? REASONS[firstLine] ?? firstLine;
  const offset = error.pos?.[0];
  const more = (n: number) => (n > 0 ? ` (and ${n} more YAML error${n > 1 ? 's' : ''} after it)` : '');
  if (offset === undefined) return `not valid YAML: ${reason}${more(errors - 1)}`;
  const lineOf = (at: number) => text.slice(0, at).split('\n').length;
  const indent = (line: string | undefined) => (line === undefined ? -1 : line.length - line.trimStart().length);
  const lastLine = lines.length - (lines[lines.length - 1] === '' ? 1 : 0);
  let lineNo = Math.min(lineOf(offset), Math.max(lastLine, 1));
  let col = lineNo === lineOf(offset) ? offset - text.slice(0, offset).lastIndexOf('\n') : lines[lineNo - 1].length + 1;

  if (error.code === 'MISSING_CHAR' && /^Missing closing/.test(firstLine)) {
    // Detected at the end of the file; the line to fix is where the quote opened.
    reason = 'a quote is not closed';
    const open = lines.findIndex((l) => (l.match(/"/g) ?? []).length % 2 === 1 || (l.match(/'/g) ?? []).length % 2 === 1);
    if (open >= 0 && open + 1 <= lineNo) {
      lineNo = open + 1;
      const quote = lines[open].search(/["']/);
      col = quote + 1;
    }
  } else if (error.code === 'BAD_INDENT' && /^Flow (map|sequence)/.test(firstLine)) {
    // An unclosed { or [ is noticed where the indentation drops (often past the last line); point at the opener.
    const [opener, closer] = /^Flow map/.test(firstLine) ? ['{', '}'] : ['[', ']'];
    reason = `a "${opener}" is not closed with "${closer}"`;
    for (let i = lineNo - 1; i >= 0; i--) {
      const at = lines[i].lastIndexOf(opener);
      if (at >= 0 && lines[i].indexOf(closer, at) < 0) {
        lineNo = i + 1;
        col = at + 1;
        break;
      }
    }
  } else if (error.code === 'BLOCK_AS_IMPLICIT_KEY' && indent(lines[lineNo]) > indent(lines[lineNo - 1]) && lines[lineNo].trim() !== '') {
    // `team: corpus` followed by a more indented `  accountId: …`: the second line is the one to fix.
    reason = `this line is indented more than the line above ("${lines[lineNo - 1].trim()}"), which already has a value; indent it like the keys above`;
    lineNo += 1;
    col = indent(lines[lineNo - 1]) + 1;
  }
  // Follow-on errors the parser reports for the same spot are not separate mistakes.
  return `not valid YAML at line ${lineNo}, column ${col}: ${reason}; the line reads ${JSON.stringify(lines[lineNo - 1] ?? '')}${more(errors - 1)}`;
}

export type YamlRead = { readonly doc: Document; readonly value: Record<string, unknown> } | { readonly problem: string };

/** Parses one YAML file that must hold a single mapping; every way it can fail gives one readable sentence. */
export function readYamlMapping(bytes: Buffer, schema: z.ZodTypeAny): YamlRead {
  const fields = fieldsOf(schema);
  const expected = fields.length > 0 ? `a mapping of fields (${fields.slice(0, 4).join(', ')}, …)` : 'a mapping of fields';
  if (bytes.length > MAX_CONFIG_FILE_BYTES)
    return { problem: `the file has ${bytes.length} bytes; configuration files are at most ${MAX_CONFIG_FILE_BYTES} bytes` };
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return { problem: 'the file is not UTF-8 text; save it as UTF-8' };
  }
  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const first = doc.errors[0];
    const firstLine = text.slice(0, first.pos?.[0] ?? 0).split('\n').length;
    // Errors the parser raises for the same line as the first are one mistake, not several.
    const others = doc.errors.filter((e) => e.pos === undefined || text.slice(0, e.pos[0]).split('\n').length !== firstLine).length;
    return { problem: describeYamlError(text, first, others + 1) };
  }
  if (doc.contents === null) return { problem: `the file is empty (or holds only comments); it must be ${expected}` };
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 50 });
  } catch (error) {
    const message = (error as Error).message;
    if (/alias/i.test(message))
      return { problem: `uses YAML aliases (*name) more than 50 times over; a configuration file needs none: write the values out` };
    return { problem: `cannot be read: ${message}` };
  }
  if (value === null || value === undefined) return { problem: `the file holds only null; it must be ${expected}` };
  if (Array.isArray(value)) return { problem: `the file holds a list (lines starting with "- "); it must be ${expected}` };
  if (typeof value !== 'object' || value instanceof Uint8Array || value instanceof Date) {
    return { problem: `the file holds a single value (${JSON.stringify(String(value)).slice(0, 60)}); it must be ${expected}` };
  }
  return { doc, value: value as Record<string, unknown> };
}

const valueAt = (value: unknown, path: ReadonlyArray<PropertyKey>): unknown =>
  path.reduce<unknown>((v, key) => (v !== null && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[key] : undefined), value);

const typeName = (v: unknown) =>
  Array.isArray(v)
    ? 'a list'
    : v === null
      ? 'null'
      : typeof v === 'object'
        ? 'a mapping'
        : typeof v === 'number'
          ? 'a number'
          : typeof v === 'boolean'
            ? 'true/false'
            : `a ${typeof v}`;

/** zod's default wording ("Invalid input: expected string, received number") in words a team can act on. */
function plainMessage(issue: Issue, raw: unknown): string {
  const msg = issue.message;
  if (issue.code === 'invalid_key' && msg.startsWith('Invalid key')) return (issue.issues as Issue[]).map((i) => i.message).join('; ');
  if (issue.code === 'invalid_value' && msg.startsWith('Invalid option'))
    return `must be one of ${(issue.values as unknown[]).map(String).join(', ')}`;
  if (issue.code === 'invalid_type' && msg.startsWith('Invalid input')) {
    const expected = String(issue.expected);
    if (expected === 'number' && typeof raw === 'number') return 'must be a finite number';
    if (expected === 'boolean') return `must be true or false (without quotes), not ${typeName(raw)}`;
    if (expected === 'array') return `must be a list, not ${typeName(raw)}`;
    if (expected === 'object' || expected === 'record') return `must be a mapping, not ${typeName(raw)}`;
    return `must be ${expected === 'string' ? 'a string' : expected === 'number' ? 'a number' : expected}, not ${typeName(raw)}`;
  }
  if (issue.code === 'too_big' && issue.origin === 'int') return `must be a whole number of at most ${Number.MAX_SAFE_INTEGER}`;
  if (issue.code === 'too_small' && issue.origin === 'int') return `must be a whole number of at least ${Number.MIN_SAFE_INTEGER}`;
  return msg;
}

/** One problem per zod issue, with the YAML source at hand to say "required" and "write it in quotes". */
export function schemaProblems(issues: readonly Issue[], doc: Document, value: unknown): FieldProblem[] {
  return issues.map((issue) => {
    const path = formatPath(issue.path);
    const raw = valueAt(value, issue.path);
    let message = plainMessage(issue, raw);
    const parent = issue.path.length > 0 ? valueAt(value, issue.path.slice(0, -1)) : value;
    const missing =
      issue.code === 'invalid_type' && raw === undefined && parent !== null && typeof parent === 'object' && !Array.isArray(parent);
    if (missing) {
      message = `is required: ${message.replace(/, not (an? )?undefined$/, '')}`;
    } else if (raw === null && issue.code === 'invalid_type' && !/^is empty/.test(message)) {
      // `accountId:` with nothing after it: YAML reads null, which is neither missing nor a wrong type to the author.
      message = `is empty: ${message.replace(/, not null$/, '')}`;
    } else if (issue.code === 'invalid_type' && issue.expected === 'string' && (typeof raw === 'number' || typeof raw === 'boolean')) {
      const node = doc.getIn(issue.path as unknown[], true);
      const source = isScalar(node) && typeof node.source === 'string' ? node.source : String(raw);
      const key = String(issue.path[issue.path.length - 1]);
      const read = typeof raw === 'number' && String(raw) !== source ? ` as the number ${raw}` : ` as ${typeName(raw)}`;
      message = `${message}; YAML reads the unquoted ${source}${read}: write it in quotes, e.g. ${key}: "${source}"`;
    }
    return { path, message };
  });
}

/** `${…}`, `%{…}` (Terraform templates) and `TfToken[` (cdktf tokens) would be evaluated, not passed on. */
const EVALUATED = /\$\{|%\{|TfToken\[/;

/**
 * Strings of a team file that Terraform would evaluate: every string of the synthesized JSON is a template,
 * so a tag or Airflow option holding `${file("/etc/passwd")}` would read a file of the CI runner.
 */
export function templateProblems(value: unknown, path: PropertyKey[] = []): FieldProblem[] {
  const problem = (at: PropertyKey[], what: string) => ({
    path: formatPath(at),
    message: `${what} contains "\${", "%{" or "TfToken[", which Terraform or cdktf would evaluate instead of passing on; remove the sequence (write "$ {" or "% {")`,
  });
  if (typeof value === 'string') return EVALUATED.test(value) ? [problem(path, 'the value')] : [];
  if (Array.isArray(value)) return value.flatMap((v, i) => templateProblems(v, [...path, i]));
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).flatMap(([k, v]) => [
      ...(EVALUATED.test(k) ? [problem([...path, k], 'the key')] : []),
      ...templateProblems(v, [...path, k]),
    ]);
  }
  return [];
}

/**
 * A list of mappings whose element may be beyond repair field by field (its required `name` missing or bad, or
 * the element not a mapping at all): the name, or the whole element, is replaced by `make(index)`, so the list
 * keeps its indexes and the other checks still run. Problems the later checks report on the stand-in are
 * dropped by the caller (see {@link Repaired.replaced}).
 */
export interface StandIn {
  readonly list: string;
  readonly make: (index: number) => Record<string, unknown>;
}

/**
 * A required top-level field whose value is missing or bad (a team file's `accountId` or `team`): replaced by
 * `value`, so the file's other fields are still checked in the same run. `value` is one no real file would hold;
 * problems the later checks report on it (by path or by mentioning it) are dropped by the caller.
 */
export interface FieldStandIn {
  readonly field: string;
  readonly value: string;
}

export interface Repaired<T> {
  readonly data: T;
  /** Paths of what was replaced by a stand-in: `environments[1].name`, or `environments[1]` for a whole element. */
  readonly replaced: readonly string[];
}

/**
 * The file with the fields zod refused set aside (so their defaults apply), parsed again: lets the other
 * checks of a file run despite one bad field. Undefined when a required field is missing or bad (outside a
 * `standIns` list and the `fieldStandIns`).
 */
export function withoutBadFields<S extends z.ZodTypeAny>(
  schema: S,
  value: unknown,
  issues: readonly Issue[],
  standIns: readonly StandIn[] = [],
  fieldStandIns: readonly FieldStandIn[] = [],
): Repaired<z.infer<S>> | undefined {
  const copy = structuredClone(value);
  const replaced = new Set<string>();
  let current = issues;
  for (let round = 0; round < 4; round++) {
    for (const issue of current) {
      const [list, index] = issue.path;
      const fieldStandIn = issue.path.length === 1 && issue.code !== 'unrecognized_keys' && fieldStandIns.find((s) => s.field === list);
      if (fieldStandIn && copy !== null && typeof copy === 'object' && !Array.isArray(copy)) {
        (copy as Record<string, unknown>)[fieldStandIn.field] = fieldStandIn.value;
        replaced.add(fieldStandIn.field);
        continue;
      }
      // An unknown field of an element is set aside below like any other; only a bad or missing name needs a stand-in.
      const standIn =
        issue.code !== 'unrecognized_keys' &&
        standIns.find(
          (s) =>
            s.list === list &&
            typeof index === 'number' &&
            (issue.path.length === 2 || (issue.path.length === 3 && issue.path[2] === 'name')),
        );
      const elements = valueAt(copy, [list]);
      if (standIn && Array.isArray(elements)) {
        const element = elements[index as number];
        if (element !== null && typeof element === 'object' && !Array.isArray(element)) {
          // Only the name is beyond repair: the element's other fields keep their checks.
          (element as Record<string, unknown>).name = standIn.make(index as number).name;
          replaced.add(formatPath([list, index, 'name']));
        } else {
          elements[index as number] = standIn.make(index as number);
          replaced.add(formatPath([list, index]));
        }
        continue;
      }
      const target = issue.code === 'unrecognized_keys' ? issue.path : issue.path.slice(0, -1);
      const container = valueAt(copy, target) as Record<PropertyKey, unknown> | unknown[] | undefined;
      if (container === null || typeof container !== 'object') return undefined;
      if (issue.code === 'unrecognized_keys') {
        for (const key of issue.keys) delete (container as Record<string, unknown>)[key];
      } else if (issue.path.length === 0) {
        return undefined;
      } else {
        const key = issue.path[issue.path.length - 1];
        // Dropping a mapping from a list would shift the indexes the other checks report: give up instead.
        if (Array.isArray(container) && container.some((v) => v !== null && typeof v === 'object')) return undefined;
        if (Array.isArray(container) && typeof key === 'number') container[key] = undefined;
        else delete (container as Record<PropertyKey, unknown>)[key];
      }
    }
    for (const list of arraysIn(copy)) list.splice(0, list.length, ...list.filter((v) => v !== undefined));
    const again = schema.safeParse(copy);
    if (again.success) return { data: again.data, replaced: [...replaced] };
    current = again.error.issues;
  }
  return undefined;
}

function arraysIn(value: unknown): unknown[][] {
  if (Array.isArray(value)) return [value, ...value.flatMap(arraysIn)];
  if (value !== null && typeof value === 'object') return Object.values(value).flatMap(arraysIn);
  return [];
}

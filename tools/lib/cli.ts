/**
 * The command-line convention of the platform tools (`npm run plan`, `check`, `publish-network`, `bench`, `docs`, `prices`):
 * flags parsed strictly with node:util `parseArgs`, `--help`/`-h` on every tool, and one set of exit codes.
 *
 * | Code | Meaning |
 * | --- | --- |
 * | 0 | success, nothing to report |
 * | 1 | the tool ran and the answer is no, or a step failed (findings, a stack that failed to plan, a stale generated doc, synthesis or Terraform failing) |
 * | 2 | usage: unknown option, missing or malformed value, unexpected argument, or an invalid platform configuration; nothing was run or written |
 * | 3+ | a tool's own documented results (`npm run plan -- --detailed-exitcode`: 3 changes, 4 risky changes) |
 *
 * The `mwaa` CLI of the participant teams keeps its own, richer codes (docs/mwaa-cli.md); 0, 1 and 2 mean the same there.
 */
import { parseArgs } from 'node:util';
import { ConfigError } from '../../model/errors';

export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

/** A bad command line (exit 2). Thrown by `parseCommandLine`, and by tools for arguments they check themselves. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export interface OptionSpec {
  readonly type: 'string' | 'boolean';
  readonly description: string;
  /** Placeholder shown in the help, e.g. `name` for `--stack <name>`. @default "value" */
  readonly valueName?: string;
  readonly short?: string;
  readonly default?: string;
}

export interface ToolSpec<O extends Readonly<Record<string, OptionSpec>>> {
  /** How users invoke it, e.g. `npm run check --`. */
  readonly command: string;
  /** One paragraph: what the tool does. */
  readonly summary: string;
  readonly options: O;
  /** Positional arguments, e.g. `[outputs.json]`; none are accepted when unset. */
  readonly positionals?: { readonly usage: string; readonly description: string; readonly max: number };
  /** What 0, 1 (and any code from 3) mean for this tool; 2 is always usage. */
  readonly exitCodes: Readonly<Record<number, string>>;
}

export type OptionValues<O extends Readonly<Record<string, OptionSpec>>> = {
  readonly [K in keyof O]: O[K]['type'] extends 'boolean' ? boolean : O[K] extends { default: string } ? string : string | undefined;
};

export interface CommandLine<O extends Readonly<Record<string, OptionSpec>>> {
  readonly values: OptionValues<O>;
  readonly positionals: readonly string[];
}

export function helpText(spec: ToolSpec<Readonly<Record<string, OptionSpec>>>): string {
  const flag = (name: string, o: OptionSpec) =>
    `${o.short ? `-${o.short}, ` : ''}--${name}${o.type === 'string' ? ` <${o.valueName ?? 'value'}>` : ''}`;
  const rows: Array<[string, string]> = [
    ...Object.entries(spec.options).map(([name, o]): [string, string] => [
      flag(name, o),
      o.default !== undefined ? `${o.description} (default: ${o.default})` : o.description,
    ]),
    ['-h, --help', 'show this help and exit'],
  ];
  if (spec.positionals) rows.unshift([spec.positionals.usage, spec.positionals.description]);
  const width = Math.max(...rows.map(([f]) => f.length));
  const codes = { ...spec.exitCodes, [EXIT.usage]: 'usage error or invalid configuration; nothing was run' };
  return [
    `Usage: ${spec.command} [options]${spec.positionals ? ` ${spec.positionals.usage}` : ''}`,
    '',
    spec.summary,
    '',
    'Options:',
    ...rows.map(([f, d]) => `  ${f.padEnd(width)}  ${d}`),
    '',
    'Exit codes:',
    ...Object.entries(codes).map(([code, what]) => `  ${code}  ${what}`),
    '',
  ].join('\n');
}

/** Parses argv strictly; `undefined` means `--help` was asked for. Throws UsageError naming the bad argument. */
export function parseCommandLine<O extends Readonly<Record<string, OptionSpec>>>(
  spec: ToolSpec<O>,
  argv: readonly string[],
): CommandLine<O> | undefined {
  const options = Object.fromEntries(
    Object.entries(spec.options).map(([name, o]) => [
      name,
      { type: o.type, ...(o.short ? { short: o.short } : {}), ...(o.default !== undefined ? { default: o.default } : {}) },
    ]),
  );
  let parsed: { values: Record<string, unknown>; positionals: string[] };
  try {
    parsed = parseArgs({
      args: [...argv],
      options: { ...options, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    // node:util's messages name the option ("Unknown option '--x'", "Option '--stack <value>' argument missing");
    // its hint on quoting dashes is for a different command line than npm's.
    throw new UsageError((error as Error).message.replace(/\.?\s*To specify .*$/s, ''));
  }
  if (parsed.values.help) return undefined;
  const max = spec.positionals?.max ?? 0;
  if (parsed.positionals.length > max) {
    throw new UsageError(
      `unexpected argument${parsed.positionals.length - max > 1 ? 's' : ''}: ${parsed.positionals.slice(max).join(' ')}`,
    );
  }
  for (const [name, o] of Object.entries(spec.options)) {
    const v = parsed.values[name];
    // node:util refuses `--stack --json`, but takes `--stack=` as an empty name.
    if (o.type === 'string' && v === '') {
      throw new UsageError(`option --${name} needs a ${o.valueName ?? 'value'}, got "${v}"`);
    }
  }
  const values = Object.fromEntries(
    Object.entries(spec.options).map(([name, o]) => [name, o.type === 'boolean' ? parsed.values[name] === true : parsed.values[name]]),
  );
  return { values: values as OptionValues<O>, positionals: parsed.positionals };
}

export interface ToolIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
}

const consoleIo: ToolIo = { out: (t) => console.log(t), err: (t) => console.error(t) };

/**
 * Runs a tool under the convention: `--help` prints the help (exit 0); a bad command line prints the problem and a
 * pointer to `--help` (exit 2); a ConfigError prints the file/field problems (exit 2); any other error exit 1.
 */
export async function runTool<O extends Readonly<Record<string, OptionSpec>>>(
  spec: ToolSpec<O>,
  argv: readonly string[],
  main: (cli: CommandLine<O>) => number | Promise<number>,
  io: ToolIo = consoleIo,
): Promise<number> {
  const name = spec.command.replace(/ --$/, '');
  try {
    const cli = parseCommandLine(spec, argv);
    if (!cli) {
      io.out(helpText(spec));
      return EXIT.ok;
    }
    return await main(cli);
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`${name}: ${error.message}\nRun \`${spec.command} --help\` for usage.`);
      return EXIT.usage;
    }
    if (error instanceof ConfigError) {
      io.err(error.message);
      return EXIT.usage;
    }
    io.err(`${name} failed: ${error instanceof Error ? error.message : String(error)}`);
    return EXIT.failed;
  }
}

/** Entry point of a tool module: sets process.exitCode (never process.exit, so output is flushed). */
export function runToolAsMain<O extends Readonly<Record<string, OptionSpec>>>(
  spec: ToolSpec<O>,
  main: (cli: CommandLine<O>) => number | Promise<number>,
): void {
  void runTool(spec, process.argv.slice(2), main).then((code) => (process.exitCode = code));
}

/**
 * Argument parsing for `mwaa`: pure, no I/O, so every accepted and rejected form is unit-tested.
 */
import { IAM_ROLE_ARN } from '../contracts/aws';
import { UsageError } from './errors';

export const DEFAULT_TIMEOUT_SECONDS = 60;
export const HTTP_METHODS = ['GET', 'POST', 'PATCH', 'PUT', 'DELETE'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

/** Options shared by the commands that reach an environment. */
export interface TargetOptions {
  readonly team: string;
  readonly env: string;
  /** Overrides the platform region from `platform.yaml`. */
  readonly region?: string;
  /** Overrides the team's access role; `null` means "use my current credentials, assume nothing". */
  readonly role?: string | null;
  readonly configDir?: string;
  readonly timeoutMs: number;
  /** Echo the requests (tokens and cookies redacted) to stderr. */
  readonly verbose: boolean;
}

/** Where the REST API request body comes from. */
export type BodySource =
  | { readonly kind: 'inline'; readonly text: string }
  | { readonly kind: 'file'; readonly path: string }
  | { readonly kind: 'stdin' };

export type ParsedCommand =
  | { readonly kind: 'help'; readonly topic?: string }
  | { readonly kind: 'version' }
  | {
      readonly kind: 'cli';
      readonly target: TargetOptions;
      /** The Airflow command exactly as sent in the request body. */
      readonly commandText: string;
      /** Decide success on the HTTP status only, never on stderr content. */
      readonly ignoreStderr: boolean;
    }
  | {
      readonly kind: 'api';
      readonly target: TargetOptions;
      readonly method: HttpMethod;
      readonly path: string;
      readonly body?: BodySource;
    }
  | { readonly kind: 'config-check'; readonly team?: string; readonly env?: string; readonly configDir?: string };

type FlagKind = 'value' | 'boolean';
const TARGET_FLAGS: Readonly<Record<string, FlagKind>> = {
  team: 'value',
  env: 'value',
  region: 'value',
  role: 'value',
  'no-role': 'boolean',
  'config-dir': 'value',
  timeout: 'value',
  verbose: 'boolean',
  help: 'boolean',
};
const FLAGS_BY_COMMAND: Readonly<Record<string, Readonly<Record<string, FlagKind>>>> = {
  cli: { ...TARGET_FLAGS, 'ignore-stderr': 'boolean', 'command-text': 'value' },
  api: { ...TARGET_FLAGS, data: 'value' },
  'config-check': { team: 'value', env: 'value', 'config-dir': 'value', help: 'boolean' },
};

interface Scanned {
  readonly flags: ReadonlyMap<string, string | true>;
  readonly positionals: readonly string[];
  /** Words after `--` (or after the first positional, for `cli`). */
  readonly rest: readonly string[];
}

/**
 * Splits flags from positionals. For `cli`, the first word that is not a flag starts the Airflow
 * command, so `mwaa cli --team t --env e dags list -o json` works without `--`.
 */
function scan(command: string, args: readonly string[], allowed: Readonly<Record<string, FlagKind>>): Scanned {
  const flags = new Map<string, string | true>();
  const positionals: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--') return { flags, positionals, rest: args.slice(i + 1) };
    if (arg === '-h') {
      flags.set('help', true);
      continue;
    }
    if (!arg.startsWith('--') || arg === '-') {
      if (command === 'cli') return { flags, positionals, rest: args.slice(i) };
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq === -1 ? undefined : eq);
    const kind = allowed[name];
    if (!kind) {
      const known = Object.keys(allowed)
        .map((f) => `--${f}`)
        .join(', ');
      throw new UsageError(`unknown option --${name} for "mwaa ${command}"`, `options: ${known}`);
    }
    if (flags.has(name)) throw new UsageError(`--${name} given twice`);
    if (kind === 'boolean') {
      if (eq !== -1) throw new UsageError(`--${name} takes no value`);
      flags.set(name, true);
    } else if (eq !== -1) {
      flags.set(name, arg.slice(eq + 1));
    } else {
      const value = args[i + 1];
      if (value === undefined || (value.startsWith('--') && value.length > 2)) throw new UsageError(`--${name} needs a value`);
      flags.set(name, value);
      i++;
    }
  }
  return { flags, positionals, rest: [] };
}

function stringFlag(flags: Scanned['flags'], name: string): string | undefined {
  const v = flags.get(name);
  if (v === undefined) return undefined;
  if (v === true || v === '') throw new UsageError(`--${name} needs a value`);
  return v;
}

function requireFlag(flags: Scanned['flags'], name: string, command: string): string {
  const v = stringFlag(flags, name);
  if (v === undefined) throw new UsageError(`"mwaa ${command}" needs --${name}`, `run "mwaa ${command} --help" for usage`);
  return v;
}

export function parseTimeoutMs(text: string | undefined): number {
  if (text === undefined) return DEFAULT_TIMEOUT_SECONDS * 1000;
  const seconds = Number(text);
  if (!/^\d+(\.\d+)?$/.test(text) || !(seconds > 0) || seconds > 3600) {
    throw new UsageError(`--timeout must be a number of seconds between 0 and 3600, got "${text}"`);
  }
  return Math.round(seconds * 1000);
}

function targetOptions(flags: Scanned['flags'], command: string): TargetOptions {
  const role = stringFlag(flags, 'role');
  if (role !== undefined && flags.has('no-role')) throw new UsageError('--role and --no-role exclude each other');
  if (role !== undefined && !IAM_ROLE_ARN.test(role)) {
    throw new UsageError(`--role must be an IAM role ARN such as arn:aws:iam::111111111111:role/name, got "${role}"`);
  }
  return {
    team: requireFlag(flags, 'team', command),
    env: requireFlag(flags, 'env', command),
    region: stringFlag(flags, 'region'),
    role: flags.has('no-role') ? null : role,
    configDir: stringFlag(flags, 'config-dir'),
    timeoutMs: parseTimeoutMs(stringFlag(flags, 'timeout')),
    verbose: flags.has('verbose'),
  };
}

/**
 * Quotes words the way a POSIX shell would need them, so `mwaa cli -- dags trigger d -c '{"a": 1}'`
 * reaches Airflow with the conf as one argument (the webserver splits the body shell-style).
 */
export function commandTextFromWords(words: readonly string[]): string {
  return words.map((w) => (/^[\w@%+=:,./-]+$/.test(w) ? w : `'${w.replace(/'/g, `'"'"'`)}'`)).join(' ');
}

export function bodySource(value: string): BodySource {
  if (value === '-') return { kind: 'stdin' };
  if (value.startsWith('@')) {
    if (value.length === 1) throw new UsageError('--data @ needs a file name, e.g. --data @conf.json');
    return { kind: 'file', path: value.slice(1) };
  }
  return { kind: 'inline', text: value };
}

/** Parses `process.argv.slice(2)`. Throws {@link UsageError} with a hint on anything it cannot accept. */
export function parseArgs(argv: readonly string[]): ParsedCommand {
  const [command, ...args] = argv;
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
    return { kind: 'help', topic: command === 'help' ? args[0] : undefined };
  }
  if (command === '--version' || command === '-V' || command === 'version') {
    if (args.length > 0) throw new UsageError(`unexpected argument "${args[0]}" after ${command}`);
    return { kind: 'version' };
  }
  const allowed = FLAGS_BY_COMMAND[command];
  if (!allowed) throw new UsageError(`unknown command "${command}"`, 'commands: cli, api, config-check (run "mwaa --help")');
  const { flags, positionals, rest } = scan(command, args, allowed);
  if (flags.has('help')) return { kind: 'help', topic: command };

  switch (command) {
    case 'cli': {
      const text = stringFlag(flags, 'command-text');
      if (text !== undefined && rest.length > 0)
        throw new UsageError('give the Airflow command either as words or with --command-text, not both');
      const commandText = text ?? commandTextFromWords(rest);
      if (commandText.trim() === '') {
        throw new UsageError('no Airflow command given', 'example: mwaa cli --team analytics --env analytics-prod -- dags list');
      }
      return { kind: 'cli', target: targetOptions(flags, command), commandText, ignoreStderr: flags.has('ignore-stderr') };
    }
    case 'api': {
      const words = [...positionals, ...rest];
      if (words.length !== 2) {
        throw new UsageError('"mwaa api" needs a method and a path', 'example: mwaa api --team analytics --env analytics-prod GET /dags');
      }
      const method = words[0].toUpperCase();
      if (!(HTTP_METHODS as readonly string[]).includes(method))
        throw new UsageError(`unsupported method "${words[0]}"; use one of ${HTTP_METHODS.join(', ')}`);
      if (!words[1].startsWith('/')) throw new UsageError(`the path must start with "/", e.g. /dags, got "${words[1]}"`);
      const data = stringFlag(flags, 'data');
      if (data !== undefined && (method === 'GET' || method === 'DELETE')) throw new UsageError(`--data cannot be sent with ${method}`);
      return {
        kind: 'api',
        target: targetOptions(flags, command),
        method: method as HttpMethod,
        path: words[1],
        body: data === undefined ? undefined : bodySource(data),
      };
    }
    default: {
      if (positionals.length > 0 || rest.length > 0) throw new UsageError(`unexpected argument "${[...positionals, ...rest][0]}"`);
      return {
        kind: 'config-check',
        team: stringFlag(flags, 'team'),
        env: stringFlag(flags, 'env'),
        configDir: stringFlag(flags, 'config-dir'),
      };
    }
  }
}

export const USAGE: Readonly<Record<string, string>> = {
  main: `mwaa: run Airflow CLI commands and REST API calls against your team's MWAA environments

Usage:
  mwaa cli          --team T --env E [options] -- <airflow command…>
  mwaa api          --team T --env E [options] <METHOD> <path> [--data JSON|@file|-]
  mwaa config-check [--team T] [--env E] [--config-dir DIR]
  mwaa --version

Run "mwaa <command> --help" for details. HTTPS_PROXY / HTTP_PROXY / NO_PROXY are honoured for the webserver and
the AWS APIs; AWS_PROFILE selects the credentials. Exit codes: 0 ok, 1 Airflow reported an error,
2 usage/config, 3 auth (credentials, role, token refused/expired), 4 network/timeout, 5 bad reply.
`,
  cli: `mwaa cli --team T --env E [options] -- <airflow command…>

Runs one Airflow CLI command through the webserver (CreateCliToken + POST /aws_mwaa/cli) and prints
its stdout and stderr. Example: mwaa cli --team analytics --env analytics-prod -- dags list -o json

Options:
  --team T, --env E    team (config/teams/T.yaml) and one of its environments
  --region R           AWS region (default: region in platform.yaml)
  --role ARN           role to assume (default: the team's access role); --no-role uses your credentials as they are
  --timeout S          seconds to wait for the reply (default ${DEFAULT_TIMEOUT_SECONDS})
  --command-text TEXT  send TEXT verbatim instead of quoting the words after --
  --ignore-stderr      succeed whenever the webserver answers 200, whatever Airflow printed on stderr
  --config-dir DIR     configuration directory (default: $PLATFORM_CONFIG, relative to the project, or its config/)
  --verbose            echo the requests to stderr (token redacted)
`,
  api: `mwaa api --team T --env E [options] <METHOD> <path> [--data JSON|@file|-]

Calls the Airflow REST API (/api/v1 on Airflow 2, /api/v2 on Airflow 3) with a web login (CreateWebLoginToken, then POST /aws_mwaa/login for a session cookie on Airflow 2, POST /pluginsv2/aws_mwaa/login for a Bearer JWT on Airflow 3).
Examples:
  mwaa api --team analytics --env analytics-prod GET /dags
  mwaa api --team analytics --env analytics-prod POST /dags/my_dag/dagRuns --data '{"conf": {"day": "2024-01-31"}}'

Options: as for "mwaa cli" (--team, --env, --region, --role, --no-role, --timeout, --config-dir, --verbose), and
  --data JSON          request body: inline JSON, @file.json, or - for stdin (POST, PATCH, PUT)
`,
  'config-check': `mwaa config-check [--team T] [--env E] [--config-dir DIR]

Runs the same configuration validation as synthesis (including airflow_configuration_options) and
prints the Airflow configuration options each environment will get.
`,
};

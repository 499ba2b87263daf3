/**
 * `mwaa`: Airflow CLI and REST API access for participant teams, plus `config-check`.
 * Entry point for mwaa-cli/bin/mwaa.js; `main` takes its I/O and AWS clients as parameters so tests drive it
 * end to end against a loopback server.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ConfigError, formatProblems } from '../model/errors';
import { loadPlatformConfig } from '../model/load';
import { CONFIG_DIR_VARIABLE, configDirOf as settingsConfigDir } from '../model/synth-settings';
import { effectiveAirflowOptions, type AirflowOptionSource } from '../model/airflow-options';
import { readsPythonPackageMirror, type EnvironmentConfig, type PlatformConfig } from '../model/model';
import type { PythonPackageMirror } from '../contracts/python-packages';
import { parseArgs, USAGE, type BodySource, type ParsedCommand, type TargetOptions } from './args';
import { ExitCode, formatError, MwaaCliError, UsageError } from './errors';
import { send, type NetworkContext } from './http';
import { agentFor } from './proxy';
import {
  cliOutcome,
  decodeApiReply,
  decodeCliReply,
  describeRequest,
  loginForm,
  redact,
  restApiPath,
  sessionFromLogin,
  webLoginFor,
  webserverOrigin,
} from './protocol';
import { resolveTarget, type Target } from './target';
import { awsTokenSource, type TokenSource } from './tokens';

/** Exit code for a bug in this tool (not one of the documented outcomes). */
export const INTERNAL_ERROR_EXIT = 70;

export interface Io {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly readStdin: () => Promise<string>;
}

export interface Runtime {
  readonly io: Io;
  /** Used when neither --config-dir nor PLATFORM_CONFIG is set. */
  readonly defaultConfigDir: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  /**
   * Repository root: the paths in team files (dagsPath, requirementsFile, …) are relative to it, whatever
   * directory `npx mwaa` starts in. @default the parent of the configuration directory
   */
  readonly repoRoot?: string;
  /** Replaces the AWS SDK token source (tests). */
  readonly tokenSource?: (target: Target) => TokenSource;
}

/** Secrets seen during this run; every line we print passes through {@link redact} against them. */
class Secrets {
  private readonly values: string[] = [];
  add(value: string): void {
    this.values.push(value);
  }
  scrub(text: string): string {
    return redact(text, this.values);
  }
}

interface Context {
  readonly runtime: Runtime;
  readonly secrets: Secrets;
}

function configDirOf(runtime: Runtime, flag: string | undefined): string {
  // The flag is typed by the user, so it is relative to where they typed it; PLATFORM_CONFIG is read as
  // main.ts and every tool read it (relative to the repository).
  if (flag !== undefined) return resolve(flag);
  return runtime.env[CONFIG_DIR_VARIABLE] ? settingsConfigDir(runtime.env) : runtime.defaultConfigDir;
}

/**
 * cli/api pass `ownerOnly`: they need teams and region only, so a stale network contract never blocks access.
 * With `onlyTeam`, another team's broken file is a warning (printed here) and that team is left out.
 */
function loadConfig(runtime: Runtime, dir: string, ownerOnly: boolean, onlyTeam?: string): PlatformConfig {
  let config: PlatformConfig;
  try {
    // Team paths resolve against the repository root, never the directory the command was typed in.
    config = loadPlatformConfig(dir, { ownerOnly, onlyTeam, ...(runtime.repoRoot ? { repoRoot: runtime.repoRoot } : {}) });
  } catch (error) {
    if (error instanceof ConfigError)
      throw new UsageError(error.message, 'fix the files listed above; `mwaa config-check` runs the same validation');
    throw error;
  }
  if (config.skipped.length > 0) {
    const files = [...new Set(config.skipped.map((w) => w.file))];
    runtime.io.stderr(
      `warning: ${files.length === 1 ? 'another team file has problems' : `${files.length} other team files have problems`}; ignored for --team ${onlyTeam}:\n` +
        `${formatProblems(config.skipped).split('\n').slice(1).join('\n')}\n`,
    );
  }
  return config;
}

/** Webserver origin, warning loudly when the test override redirects requests (and tokens) elsewhere. */
function originFor(ctx: Context, hostname: string): string {
  const override = ctx.runtime.env.MWAA_ENDPOINT_OVERRIDE;
  if (!override) return webserverOrigin(hostname);
  const origin = webserverOrigin(hostname, override);
  ctx.runtime.io.stderr(`warning: MWAA_ENDPOINT_OVERRIDE is set (testing only): sending to ${origin} instead of https://${hostname}\n`);
  return origin;
}

async function request(
  ctx: Context,
  target: Target,
  options: TargetOptions,
  req: { readonly method: string; readonly url: string; readonly headers: Readonly<Record<string, string>>; readonly body?: string },
  hostname: string,
) {
  if (options.verbose) ctx.runtime.io.stderr(`${ctx.secrets.scrub(describeRequest(req.method, req.url, req.headers))}\n`);
  const network: NetworkContext = { host: hostname, privateWebserver: target.privateWebserver };
  let agent;
  try {
    agent = agentFor(new URL(req.url), ctx.runtime.env);
  } catch (error) {
    throw new UsageError((error as Error).message, 'set HTTPS_PROXY to an http:// proxy URL such as http://proxy.corp:3128, or unset it');
  }
  const reply = await send({ ...req, timeoutMs: options.timeoutMs, agent }, network);
  if (options.verbose) ctx.runtime.io.stderr(`< HTTP ${reply.status}\n`);
  return reply;
}

function tokensFor(ctx: Context, target: Target): TokenSource {
  return ctx.runtime.tokenSource ? ctx.runtime.tokenSource(target) : awsTokenSource(target, { env: ctx.runtime.env });
}

async function runCli(ctx: Context, cmd: Extract<ParsedCommand, { kind: 'cli' }>): Promise<number> {
  const target = resolveTarget(loadConfig(ctx.runtime, configDirOf(ctx.runtime, cmd.target.configDir), true, cmd.target.team), cmd.target);
  const { token, hostname } = await tokensFor(ctx, target).cliToken();
  ctx.secrets.add(token);
  const reply = await request(
    ctx,
    target,
    cmd.target,
    {
      method: 'POST',
      url: `${originFor(ctx, hostname)}/aws_mwaa/cli`,
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'text/plain' },
      body: cmd.commandText,
    },
    hostname,
  );
  const decoded = decodeCliReply(reply);
  if (decoded.stdout) ctx.runtime.io.stdout(decoded.stdout);
  if (decoded.stderr) ctx.runtime.io.stderr(decoded.stderr);
  const outcome = cliOutcome(reply.status, decoded, cmd.ignoreStderr);
  if (!outcome.failed) return ExitCode.OK;
  ctx.runtime.io.stderr(ctx.secrets.scrub(`error: ${outcome.reason} (${target.environment.name}: ${cmd.commandText})\n`));
  return ExitCode.AIRFLOW;
}

/** Reads and checks the REST API body; invalid JSON is a usage error, caught before any token is made. */
export function parseJsonBody(text: string, origin: string): string {
  try {
    JSON.parse(text);
    return text;
  } catch (error) {
    throw new UsageError(`--data ${origin} is not valid JSON: ${(error as Error).message}`, `example: --data '{"conf": {"key": "value"}}'`);
  }
}

async function readBody(io: Io, source: BodySource): Promise<string> {
  switch (source.kind) {
    case 'inline':
      return parseJsonBody(source.text, '(inline)');
    case 'stdin':
      return parseJsonBody(await io.readStdin(), 'from stdin');
    case 'file': {
      let text: string;
      try {
        text = readFileSync(source.path, 'utf8');
      } catch (error) {
        throw new UsageError(
          `cannot read --data file ${source.path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
        );
      }
      return parseJsonBody(text, `@${source.path}`);
    }
  }
}

async function runApi(ctx: Context, cmd: Extract<ParsedCommand, { kind: 'api' }>): Promise<number> {
  const body = cmd.body ? await readBody(ctx.runtime.io, cmd.body) : undefined;
  const target = resolveTarget(loadConfig(ctx.runtime, configDirOf(ctx.runtime, cmd.target.configDir), true, cmd.target.team), cmd.target);
  // Airflow 3 serves /api/v2; checked before a token is made.
  const apiPath = restApiPath(cmd.path, target.environment.airflowVersion);
  const { token, hostname } = await tokensFor(ctx, target).webLoginToken();
  ctx.secrets.add(token);
  const origin = originFor(ctx, hostname);

  // Airflow 3 logs in under /pluginsv2 and answers with a JWT for a Bearer header (webLoginFor).
  const web = webLoginFor(target.environment.airflowVersion);
  const login = await request(
    ctx,
    target,
    cmd.target,
    {
      method: 'POST',
      url: `${origin}${web.path}`,
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: loginForm(token),
    },
    hostname,
  );
  const session = sessionFromLogin(login, web);
  ctx.secrets.add(session);

  const reply = await request(
    ctx,
    target,
    cmd.target,
    {
      method: cmd.method,
      url: `${origin}${apiPath}`,
      headers: {
        ...web.headers(session),
        Accept: 'application/json',
        ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
      },
      body,
    },
    hostname,
  );
  const json = decodeApiReply(reply);
  if (json !== undefined) ctx.runtime.io.stdout(`${JSON.stringify(json, null, 2)}\n`);
  return ExitCode.OK;
}

/** How config-check marks an option that is not the team's own. */
const OPTION_SOURCE_NOTE: Readonly<Record<AirflowOptionSource, string>> = {
  option: '',
  secretsBackend: '   (from secretsBackend)',
  platform: '   (set by the platform: its CodeArtifact mirror)',
};

/**
 * The mirror an environment reads, exactly as the participant stack passes it: the network contract's, for an
 * environment with a requirements file or startup script.
 */
const environmentMirror = (config: PlatformConfig, env: EnvironmentConfig): PythonPackageMirror | undefined =>
  readsPythonPackageMirror(env) ? config.contract?.codeArtifact : undefined;

function runConfigCheck(ctx: Context, cmd: Extract<ParsedCommand, { kind: 'config-check' }>): number {
  const dir = configDirOf(ctx.runtime, cmd.configDir);
  // Full load, exactly as synthesis does, so what passes here passes `cdktf synth`.
  const config = loadConfig(ctx.runtime, dir, false, cmd.team);
  let teams = config.teams;
  if (cmd.team !== undefined) {
    teams = teams.filter((t) => t.team === cmd.team);
    if (teams.length === 0) {
      throw new UsageError(`unknown team "${cmd.team}"`, `teams in ${dir}: ${config.teams.map((t) => t.team).join(', ') || 'none'}`);
    }
  }
  const out: string[] = [];
  for (const team of teams) {
    const envs = cmd.env === undefined ? team.environments : team.environments.filter((e) => e.name === cmd.env);
    if (cmd.env !== undefined && envs.length === 0) {
      throw new UsageError(
        `team "${team.team}" has no environment "${cmd.env}"`,
        `environments of ${team.team}: ${team.environments.map((e) => e.name).join(', ') || 'none'}`,
      );
    }
    out.push(`team ${team.team} (${team.file})`);
    if (envs.length === 0) out.push('  no environments');
    for (const env of envs) {
      out.push(`  ${env.name}: Airflow ${env.airflowVersion}, ${env.environmentClass}, ${env.webserverAccessMode}`);
      const options = effectiveAirflowOptions(env, environmentMirror(config, env));
      if (options.length === 0) out.push('    (no airflow_configuration_options)');
      for (const o of options) out.push(`    ${o.key} = ${o.value}${OPTION_SOURCE_NOTE[o.from]}`);
    }
  }
  for (const w of config.warnings ?? []) out.push(`warning: ${w.file}${w.path ? ` at ${w.path}` : ''}: ${w.message}`);
  out.push(`configuration valid (${dir})`);
  ctx.runtime.io.stdout(`${out.join('\n')}\n`);
  return ExitCode.OK;
}

/** The project's version (package.json next to mwaa-cli/), which `mwaa --version` prints. */
export function packageVersion(): string {
  return (JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as { version: string }).version;
}

/** Runs one invocation and returns the exit code; never throws. */
export async function main(argv: readonly string[], runtime: Runtime): Promise<number> {
  const ctx: Context = { runtime, secrets: new Secrets() };
  try {
    const cmd = parseArgs(argv);
    switch (cmd.kind) {
      case 'help':
        runtime.io.stdout(USAGE[cmd.topic ?? 'main'] ?? USAGE.main);
        return ExitCode.OK;
      case 'version':
        runtime.io.stdout(`mwaa ${packageVersion()}\n`);
        return ExitCode.OK;
      case 'cli':
        return await runCli(ctx, cmd);
      case 'api':
        return await runApi(ctx, cmd);
      case 'config-check':
        return runConfigCheck(ctx, cmd);
    }
  } catch (error) {
    if (error instanceof MwaaCliError) {
      runtime.io.stderr(ctx.secrets.scrub(formatError(error)));
      return error.exitCode;
    }
    const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
    runtime.io.stderr(ctx.secrets.scrub(`error: unexpected failure (a bug in mwaa, please report it):\n${text}\n`));
    return INTERNAL_ERROR_EXIT;
  }
}

function readAllStdin(): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    process.stdin.on('data', (c: Buffer) => chunks.push(c));
    process.stdin.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    process.stdin.on('error', reject);
  });
}

/** Process entry used by mwaa-cli/bin/mwaa.js: real stdio, real AWS, config next to this file. */
export function runFromProcess(): void {
  void main(process.argv.slice(2), {
    io: { stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t), readStdin: readAllStdin },
    // Its parent is the repository root the team paths resolve against, as for synthesis.
    defaultConfigDir: settingsConfigDir({}),
    env: process.env,
  }).then((code) => {
    process.exitCode = code;
  });
}

if (require.main === module) runFromProcess();

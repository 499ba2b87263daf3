/**
 * The platform against the emulated AWS: starting the emulator on loopback, the environment that points the
 * project's own commands at it (nothing else changes), running those commands, and reading what exists.
 * Shared by `npm run local` (tools/emulated/local.ts) and the emulated test tier (test/emulated/).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { openSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';

export const ROOT = resolve(__dirname, '..', '..');
export const EMULATOR_DIR = join(ROOT, 'emulator');
const LOOPBACK_DNS = join(__dirname, 'loopback-dns.cjs');

/** Fails with what to install when python3 cannot import moto and flask (the emulator is never skipped). */
export function requireEmulatorDependencies(): void {
  const r = spawnSync('python3', ['-c', 'import moto, flask, boto3; assert moto.__version__ == "5.2.1", moto.__version__'], {
    encoding: 'utf8',
  });
  if (r.error || r.status !== 0) {
    throw new Error(
      `the emulated AWS needs python3 with moto[server] 5.2.1 and flask (${(r.error?.message ?? r.stderr).trim()}): pip install -r emulator/requirements.txt`,
    );
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolveP, rejectP) => {
    const server = createServer();
    server.once('error', rejectP);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolveP(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

export interface RunningEmulator {
  readonly url: string;
  readonly process: ChildProcess;
  stop(): Promise<void>;
}

/** Starts `python3 -m awsemu.app` on 127.0.0.1:<port>; resolves once it answers. */
export async function startEmulator(options: {
  readonly port: number;
  readonly logFile: string;
  readonly env?: NodeJS.ProcessEnv;
}): Promise<RunningEmulator> {
  const log = openSync(options.logFile, 'a');
  const child = spawn('python3', ['-m', 'awsemu.app', '--port', String(options.port)], {
    cwd: EMULATOR_DIR,
    env: { ...process.env, ...options.env, PYTHONPATH: EMULATOR_DIR, PYTHONUNBUFFERED: '1' },
    stdio: ['ignore', log, log],
  });
  const url = `http://127.0.0.1:${options.port}`;
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the emulator exited with ${child.exitCode}; see ${options.logFile}`);
    try {
      if ((await fetch(`${url}/_emulator/health`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill();
      throw new Error(`the emulator did not answer within 90 s; see ${options.logFile}`);
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  return {
    url,
    process: child,
    stop: () =>
      new Promise<void>((resolveP) => {
        if (child.exitCode !== null) return resolveP();
        child.once('exit', () => resolveP());
        child.kill('SIGTERM');
      }),
  };
}

/**
 * What points the project's commands at the emulator: fake keys (moto accepts any), the endpoint both
 * hashicorp/aws 5.100.0 and the AWS SDK v3 read (AWS_ENDPOINT_URL), no instance metadata, and for the clients
 * that prefix MWAA's host with `api.`/`env.`: an HTTP proxy for Terraform (Go sends requests to 127.0.0.1 itself
 * directly, only `api.127.0.0.1` goes through the proxy, which is the emulator) and a loopback resolver for Node.
 */
export function emulatedEnvironment(
  url: string,
  platform: { readonly configDir: string; readonly outdir: string; readonly region: string },
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const key of Object.keys(env)) if (/^AWS_/.test(key) || /^(https?_proxy|HTTPS?_PROXY|NO_PROXY|no_proxy)$/.test(key)) delete env[key];
  return {
    ...env,
    AWS_ACCESS_KEY_ID: 'emulated',
    AWS_SECRET_ACCESS_KEY: 'emulated',
    AWS_REGION: platform.region,
    AWS_DEFAULT_REGION: platform.region,
    AWS_ENDPOINT_URL: url,
    AWS_EC2_METADATA_DISABLED: 'true',
    HTTP_PROXY: url,
    http_proxy: url,
    NODE_OPTIONS: `${env.NODE_OPTIONS ?? ''} --require ${LOOPBACK_DNS}`.trim(),
    PLATFORM_CONFIG: platform.configDir,
    CDKTF_OUTDIR: platform.outdir,
  };
}

export interface CommandResult {
  readonly code: number;
  readonly output: string;
}

/** `npm run <script> -- <args>` in the repository, output streamed to `onLine` and kept. */
export function npmRun(
  script: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  onLine: (line: string) => void = () => undefined,
): Promise<CommandResult> {
  return new Promise((resolveP) => {
    const child = spawn('npm', ['run', '--silent', script, ...(args.length ? ['--', ...args] : [])], {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const lines: string[] = [];
    let partial = '';
    const take = (b: Buffer) => {
      const parts = (partial + b.toString('utf8')).split('\n');
      partial = parts.pop() ?? '';
      for (const line of parts) {
        lines.push(line);
        onLine(line);
      }
    };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    child.on('close', (code) => {
      if (partial) lines.push(partial);
      resolveP({ code: code ?? 1, output: lines.join('\n') });
    });
  });
}

/** Per account and service, what the emulator holds (its default VPC and AWS's own resources left out). */
export async function inventory(url: string): Promise<Record<string, Record<string, string[]>>> {
  return (await (await fetch(`${url}/_emulator/inventory`)).json()) as Record<string, Record<string, string[]>>;
}

/**
 * Runs the endpoint manager's deployed code on the invocations the emulated EventBridge asked for (moto cannot
 * run Lambda functions without Docker). What runs is the owner stack's asset (the archive Terraform uploaded),
 * with the environment variables and role of the function as Terraform applied them (read from the owner's
 * state), in a warm child process like one Lambda execution environment (reserved concurrency 1: one
 * invocation at a time). Lambda's asynchronous retry is kept: 1 + 2 attempts, then the event goes to the
 * function's dead-letter queue with Lambda's message attributes.
 *
 *   node --import tsx tools/emulated/endpoint-manager-runner.ts   (env: EMULATOR_URL, PLATFORM_CONFIG, CDKTF_OUTDIR)
 */
import { fork, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { endpointManagerName } from '../../contracts/endpoint-manager';
import { OWNER_STACK } from '../../contracts/names';

/** Lambda's asynchronous invocation: the first attempt and two retries. */
export const ASYNC_ATTEMPTS = 3;

export interface Invocation {
  readonly seq: number;
  readonly functionArn: string;
  readonly event: Record<string, unknown>;
}

/** The function as Terraform applied it: from the aws_lambda_function in the owner's state. */
export interface DeployedFunction {
  readonly arn: string;
  readonly role: string;
  readonly variables: Readonly<Record<string, string>>;
  readonly deadLetterTargetArn?: string;
  readonly sourceCodeHash: string;
}

interface StateResource {
  readonly type: string;
  readonly mode: string;
  readonly instances: ReadonlyArray<{ readonly attributes: Record<string, unknown> }>;
}

export function deployedFunction(stateFile: string, functionName: string): DeployedFunction | undefined {
  if (!existsSync(stateFile)) return undefined;
  const state = JSON.parse(readFileSync(stateFile, 'utf8')) as { resources?: StateResource[] };
  for (const r of state.resources ?? []) {
    if (r.type !== 'aws_lambda_function' || r.mode !== 'managed') continue;
    const a = r.instances[0]?.attributes;
    if (!a || a.function_name !== functionName) continue;
    const env = (a.environment as Array<{ variables?: Record<string, string> }> | undefined)?.[0]?.variables ?? {};
    const dlq = (a.dead_letter_config as Array<{ target_arn?: string }> | undefined)?.[0]?.target_arn;
    return {
      arn: String(a.arn),
      role: String(a.role),
      variables: env,
      ...(dlq ? { deadLetterTargetArn: dlq } : {}),
      sourceCodeHash: String(a.source_code_hash ?? ''),
    };
  }
  return undefined;
}

/** The owner stack's code asset, unpacked once per content under .emulator/ (so `@aws-sdk/*` resolves from the repository). */
export function unpackedBundle(root: string, outdir: string): string {
  const assets = join(outdir, 'stacks', OWNER_STACK, 'assets');
  const codeDir = readdirSync(assets).find((d) => d.startsWith('endpoint-manager_code'));
  if (!codeDir) throw new Error(`no endpoint manager asset under ${assets}: synthesize the owner stack first`);
  const hash = readdirSync(join(assets, codeDir))[0];
  const target = join(root, '.emulator', 'endpoint-manager', hash);
  if (!existsSync(join(target, 'index.js'))) {
    mkdirSync(target, { recursive: true });
    const r = spawnSync('python3', ['-m', 'zipfile', '-e', join(assets, codeDir, hash, 'archive.zip'), target], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`cannot unpack the endpoint manager asset: ${r.stderr}`);
  }
  return join(target, 'index.js');
}

type Outcome = { ok: true; result: unknown } | { ok: false; error: { name?: string; message: string } };

export class EndpointManagerRunner {
  private child?: ChildProcess;
  private childKey = '';
  private pending = new Map<number, (o: Outcome) => void>();
  private nextId = 0;
  private after = -1;
  private stopped = false;
  /** While paused, invocations wait (as when the function is throttled or broken); resume handles them in order. */
  paused = false;

  constructor(
    private readonly options: {
      readonly emulatorUrl: string;
      readonly region: string;
      readonly root: string;
      readonly outdir: string;
      readonly stateFile: string;
      readonly functionName: string;
      readonly log: (line: string) => void;
    },
  ) {}

  /** Handles every invocation recorded so far; returns how many were handled. */
  async drain(): Promise<number> {
    if (this.paused) return 0;
    const response = await fetch(`${this.options.emulatorUrl}/_emulator/invocations?after=${this.after}`);
    const invocations = (await response.json()) as Invocation[];
    let handled = 0;
    for (const invocation of invocations) {
      this.after = Math.max(this.after, invocation.seq);
      if (!invocation.functionArn.endsWith(`:function:${this.options.functionName}`)) continue;
      await this.invoke(invocation);
      handled++;
    }
    return handled;
  }

  async run(pollMs = 500): Promise<void> {
    while (!this.stopped) {
      try {
        await this.drain();
      } catch (error) {
        this.options.log(`endpoint manager runner: ${(error as Error).message}`);
      }
      await new Promise((r) => setTimeout(r, pollMs));
    }
  }

  stop(): void {
    this.stopped = true;
    this.child?.kill();
  }

  private async invoke(invocation: Invocation): Promise<void> {
    const fn = deployedFunction(this.options.stateFile, this.options.functionName);
    const detail = invocation.event.detail as { name?: string; status?: string } | undefined;
    const what = `${String(invocation.event['detail-type'])} ${detail?.name ?? ''} ${detail?.status ?? ''}`.trim();
    if (!fn) {
      this.options.log(`endpoint manager: not deployed; dropped ${what}`);
      return;
    }
    let last: Outcome | undefined;
    for (let attempt = 1; attempt <= ASYNC_ATTEMPTS; attempt++) {
      last = await this.call(fn, invocation);
      if (last.ok) {
        this.options.log(`endpoint manager: ${what} → ${JSON.stringify(last.result)}`);
        return;
      }
      this.options.log(`endpoint manager: ${what} failed (attempt ${attempt} of ${ASYNC_ATTEMPTS}): ${last.error.message}`);
    }
    if (fn.deadLetterTargetArn && last && !last.ok) await this.deadLetter(fn, invocation, last.error);
  }

  /** As Lambda writes to a function's DLQ: the event as the body, RequestID/ErrorCode/ErrorMessage attributes. */
  private async deadLetter(fn: DeployedFunction, invocation: Invocation, error: { name?: string; message: string }): Promise<void> {
    const [, , , region, account, name] = fn.deadLetterTargetArn!.split(':');
    const sqs = new SQSClient({ region, credentials: await this.roleCredentials(fn.role) });
    try {
      await sqs.send(
        new SendMessageCommand({
          QueueUrl: `${this.options.emulatorUrl}/${account}/${name}`,
          MessageBody: JSON.stringify(invocation.event),
          MessageAttributes: {
            RequestID: { DataType: 'String', StringValue: `emulated-${invocation.seq}` },
            ErrorCode: { DataType: 'Number', StringValue: '200' },
            ErrorMessage: { DataType: 'String', StringValue: error.message.slice(0, 1000) },
          },
        }),
      );
      this.options.log(`endpoint manager: event sent to the dead-letter queue ${fn.deadLetterTargetArn}`);
    } finally {
      sqs.destroy();
    }
  }

  private async roleCredentials(roleArn: string) {
    const sts = new STSClient({ region: this.options.region });
    try {
      const out = await sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: this.options.functionName }));
      const c = out.Credentials!;
      return { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken };
    } finally {
      sts.destroy();
    }
  }

  private async call(fn: DeployedFunction, invocation: Invocation): Promise<Outcome> {
    const child = await this.host(fn);
    const id = this.nextId++;
    return new Promise<Outcome>((resolveP) => {
      this.pending.set(id, resolveP);
      child.send({ id, event: invocation.event, functionArn: fn.arn, requestId: `emulated-${invocation.seq}` });
    });
  }

  /** A warm host for this configuration; a changed configuration or code starts a new one (a cold start). */
  private async host(fn: DeployedFunction): Promise<ChildProcess> {
    const key = JSON.stringify([fn.variables, fn.role, fn.sourceCodeHash]);
    if (this.child && this.childKey === key && this.child.exitCode === null) return this.child;
    this.child?.kill();
    const credentials = await this.roleCredentials(fn.role);
    const bundle = unpackedBundle(this.options.root, this.options.outdir);
    const child = fork(resolve(__dirname, 'lambda-host.cjs'), [bundle], {
      env: {
        ...process.env,
        ...fn.variables,
        AWS_REGION: this.options.region,
        AWS_ACCESS_KEY_ID: credentials.accessKeyId,
        AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
        AWS_SESSION_TOKEN: credentials.sessionToken ?? '',
        AWS_LAMBDA_FUNCTION_NAME: this.options.functionName,
      },
      // MWAA's host prefix (api.) on a loopback endpoint resolves through this (reconcile calls GetEnvironment).
      execArgv: ['--require', resolve(__dirname, 'loopback-dns.cjs')],
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    // The function's JSON log lines, shortened to what a reader of the test output needs.
    const relay = (b: Buffer) => {
      for (const line of b.toString('utf8').split('\n').filter(Boolean)) {
        try {
          const entry = JSON.parse(line) as { level?: string; message?: string; reasons?: unknown; error?: unknown };
          this.options.log(
            `  [lambda] ${entry.level ?? ''} ${entry.message ?? line}${entry.reasons ? ` ${JSON.stringify(entry.reasons)}` : ''}${entry.error ? ` ${JSON.stringify(entry.error)}` : ''}`,
          );
        } catch {
          this.options.log(`  [lambda] ${line}`);
        }
      }
    };
    child.stdout?.on('data', relay);
    child.stderr?.on('data', relay);
    await new Promise<void>((resolveP, rejectP) => {
      child.once('message', () => resolveP());
      child.once('exit', (code) => rejectP(new Error(`the endpoint manager failed at cold start (exit ${code})`)));
    });
    child.on('message', (m: { id?: number } & Outcome) => {
      if (m.id === undefined) return;
      const done = this.pending.get(m.id);
      this.pending.delete(m.id);
      done?.(m);
    });
    child.on('exit', () => {
      for (const [, done] of this.pending) done({ ok: false, error: { message: 'the function process exited' } });
      this.pending.clear();
    });
    this.child = child;
    this.childKey = key;
    return child;
  }
}

/** The runner for a platform configuration: owner state and asset where `npm run apply` leaves them. */
export function runnerFor(options: {
  readonly emulatorUrl: string;
  readonly region: string;
  readonly platform: string;
  readonly root: string;
  readonly configRoot: string;
  readonly outdir: string;
  readonly log: (line: string) => void;
}): EndpointManagerRunner {
  return new EndpointManagerRunner({
    emulatorUrl: options.emulatorUrl,
    region: options.region,
    root: options.root,
    outdir: options.outdir,
    stateFile: join(options.configRoot, `terraform.${OWNER_STACK}.tfstate`),
    functionName: endpointManagerName(options.platform),
    log: options.log,
  });
}

/**
 * The platform's whole life against the emulated AWS (emulator/: moto's server plus this project's extension),
 * driven by the project's own commands with only the endpoint settings changed (tools/emulated/harness.ts):
 * bootstrap → owner → publish-network → participants → PENDING → the endpoint manager's deployed code creates
 * the endpoints → AVAILABLE → re-apply changes nothing → faults → decommission → nothing left.
 *
 * On a copy of test/fixtures/emulated (never the working tree's config/). `npm run test:emulated`; never skipped:
 * a missing moto or flask fails it.
 */
import { appendFileSync, cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeVpcEndpointsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { GetEnvironmentCommand, MWAAClient } from '@aws-sdk/client-mwaa';
import { ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { runnerFor, type EndpointManagerRunner } from '../../tools/emulated/endpoint-manager-runner';
import {
  emulatedEnvironment,
  freePort,
  inventory,
  npmRun,
  requireEmulatorDependencies,
  ROOT,
  startEmulator,
  type RunningEmulator,
} from '../../tools/emulated/harness';
import { PLATFORM_LEFTOVERS } from '../../tools/emulated/drift';

const FIXTURE = join(ROOT, 'test', 'fixtures', 'emulated');
const REGION = 'eu-west-1';
const OWNER = '111111111111';
const MARKETING = '333333333333';
const ENVIRONMENT = 'marketing-campaigns';

// Each step runs Terraform several times; on a busy 2-core machine one apply of the owner takes minutes.
jest.setTimeout(40 * 60_000);

let emulator: RunningEmulator;
let runner: EndpointManagerRunner;
let work: string;
let env: NodeJS.ProcessEnv;
// The whole story, written as it happens (in the run's scratch directory; EMULATED_TRANSCRIPT names another file).
let transcriptFile = '';
const log = (line: string) => {
  if (transcriptFile) appendFileSync(transcriptFile, `${line}\n`);
};

// Wall time per command, printed at the end (docs/emulated-aws.md quotes them).
const phases: string[] = [];

async function run(script: string, args: readonly string[] = [], extra: NodeJS.ProcessEnv = {}) {
  log(`$ npm run ${script} -- ${args.join(' ')}`);
  const started = Date.now();
  const result = await npmRun(script, args, { ...env, ...extra }, log);
  const seconds = ((Date.now() - started) / 1000).toFixed(0);
  phases.push(`${script} ${args.join(' ')}`.trim().padEnd(60) + ` ${seconds.padStart(4)} s (exit ${result.code})`);
  log(`(exit ${result.code} after ${seconds} s)`);
  return result;
}

async function credentialsIn(account: string) {
  const sts = new STSClient({
    region: REGION,
    endpoint: emulator.url,
    credentials: { accessKeyId: 'emulated', secretAccessKey: 'emulated' },
  });
  const out = await sts.send(
    new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${account}:role/mwaa-platform-deploy`, RoleSessionName: 'emulated-test' }),
  );
  sts.destroy();
  return {
    accessKeyId: out.Credentials!.AccessKeyId!,
    secretAccessKey: out.Credentials!.SecretAccessKey!,
    sessionToken: out.Credentials!.SessionToken,
  };
}

async function environment(name: string) {
  // No `api.` host prefix: this process has no loopback resolver for api.127.0.0.1 (the commands it runs do).
  const mwaa = new MWAAClient({
    region: REGION,
    endpoint: emulator.url,
    disableHostPrefix: true,
    credentials: await credentialsIn(MARKETING),
  });
  try {
    return (await mwaa.send(new GetEnvironmentCommand({ Name: name }))).Environment!;
  } finally {
    mwaa.destroy();
  }
}

async function managedEndpoints() {
  const ec2 = new EC2Client({ region: REGION, endpoint: emulator.url, credentials: await credentialsIn(OWNER) });
  try {
    return (await ec2.send(new DescribeVpcEndpointsCommand({}))).VpcEndpoints ?? [];
  } finally {
    ec2.destroy();
  }
}

beforeAll(async () => {
  requireEmulatorDependencies();
  work = mkdtempSync(join(tmpdir(), 'emulated-platform-'));
  transcriptFile = process.env.EMULATED_TRANSCRIPT || join(work, 'transcript.log');
  cpSync(join(FIXTURE, 'config'), join(work, 'config'), { recursive: true });
  cpSync(join(FIXTURE, 'teams'), join(work, 'teams'), { recursive: true });
  emulator = await startEmulator({
    port: await freePort(),
    logFile: join(work, 'emulator.log'),
    env: { EMULATOR_MWAA_CREATE_SECONDS: '1', EMULATOR_MWAA_UPDATE_SECONDS: '1', EMULATOR_MWAA_DELETE_SECONDS: '1' },
  });
  env = emulatedEnvironment(emulator.url, { configDir: join(work, 'config'), outdir: join(work, 'cdktf.out'), region: REGION });
  runner = runnerFor({
    emulatorUrl: emulator.url,
    region: REGION,
    platform: 'acme-data',
    root: ROOT,
    configRoot: work,
    outdir: join(work, 'cdktf.out'),
    log,
  });
  // The runner's own SDK clients go to the emulator too.
  Object.assign(process.env, { AWS_ENDPOINT_URL: emulator.url, AWS_ACCESS_KEY_ID: 'emulated', AWS_SECRET_ACCESS_KEY: 'emulated' });
  void runner.run(300);
});

afterAll(async () => {
  if (phases.length)
    process.stdout.write(`\nemulated tier, wall time per command (transcript: ${transcriptFile}):\n  ${phases.join('\n  ')}\n`);
  runner?.stop();
  await emulator?.stop();
});

function fail(result: { code: number; output: string }, what: string): never {
  throw new Error(`${what} exited ${result.code} (whole story: ${transcriptFile}):\n${result.output.split('\n').slice(-60).join('\n')}`);
}

test('bootstrap, owner, publish-network, participant: the environment becomes AVAILABLE through the endpoint manager', async () => {
  const bootstrap = await run('bootstrap', ['--apply', '--auto-approve']);
  if (bootstrap.code !== 0) fail(bootstrap, 'bootstrap');

  const owner = await run('apply', ['--stack', 'owner'], { BOOTSTRAP: 'owner' });
  if (owner.code !== 0) fail(owner, 'apply owner');

  const published = await run('publish-network');
  if (published.code !== 0) fail(published, 'publish-network');
  const contract = JSON.parse(readFileSync(join(work, 'config', 'network-contract.json'), 'utf8')) as { vpcId: string; source?: string };
  expect(contract.vpcId).toMatch(/^vpc-/);
  expect(contract.source).not.toBe('example');

  const apply = await run('apply', ['--poll', '1', '--pending-timeout', '2', '--timeout', '4']);
  if (apply.code !== 0) fail(apply, 'apply');
  expect(apply.output).toContain(`${ENVIRONMENT}`);
  expect(apply.output).toContain('apply: done, every environment it created or updated is AVAILABLE');

  const env = await environment(ENVIRONMENT);
  expect(env.Status).toBe('AVAILABLE');
  const endpoints = (await managedEndpoints()).filter((e) => String(e.State).toLowerCase() === 'available');
  // PUBLIC_ONLY: a database endpoint only, to the environment's own service.
  expect(endpoints.filter((e) => e.ServiceName === env.DatabaseVpcEndpointService)).toHaveLength(1);
  const sqs = endpoints.find((e) => e.ServiceName === `com.amazonaws.${REGION}.sqs`)!;
  const policy = JSON.parse(sqs.PolicyDocument!) as { Statement: Array<{ Resource: string | string[] }> };
  const queues = policy.Statement.flatMap((s) => (Array.isArray(s.Resource) ? s.Resource : [s.Resource])).filter((r) =>
    r.includes(':airflow-celery-'),
  );
  expect(queues).toEqual([env.CeleryExecutorQueue]);
});

test('a second apply re-plans every stack and changes nothing (the emulator drifts in nothing the stacks set)', async () => {
  // Its plans are the re-plan of every stack: "no changes" for each, or the tier fails with what would change.
  // cdktf.out is the synthesis of the configuration just applied: nothing changed since.
  const again = await run('apply', ['--no-wait', '--no-synth']);
  if (again.code !== 0) fail(again, 'second apply');
  const planned = [...again.output.matchAll(/^(owner|participant-[a-z0-9-]+): (.*)$/gm)].map(([, stack, what]) => `${stack}: ${what}`);
  expect(planned).toEqual(['owner: no changes', 'participant-marketing: no changes']);
  expect((await environment(ENVIRONMENT)).Status).toBe('AVAILABLE');
});

test("the endpoint manager's dead-letter queue receives an event it cannot handle", async () => {
  // A PENDING event the endpoint manager cannot process: EC2 refuses its DescribeVpcEndpoints once per attempt
  // (Lambda's first attempt and two retries), so the event ends in the function's dead-letter queue.
  await fetch(`${emulator.url}/_emulator/faults?action=DescribeVpcEndpoints&count=3`, { method: 'POST' });
  await fetch(`${emulator.url}/_emulator/replay?name=${ENVIRONMENT}&account=${MARKETING}&region=${REGION}&status=PENDING`, {
    method: 'POST',
  });
  const sqs = new SQSClient({ region: REGION, endpoint: emulator.url, credentials: await credentialsIn(OWNER) });
  try {
    const deadline = Date.now() + 60_000;
    let body: string | undefined;
    while (!body && Date.now() < deadline) {
      const out = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: `${emulator.url}/${OWNER}/acme-data-endpoint-manager-dlq`,
          WaitTimeSeconds: 1,
          MessageAttributeNames: ['All'],
        }),
      );
      body = out.Messages?.[0]?.Body;
    }
    expect(body).toBeDefined();
    expect(JSON.parse(body!)).toMatchObject({ source: 'aws.airflow', detail: { name: ENVIRONMENT, status: 'PENDING' } });
  } finally {
    sqs.destroy();
  }
});

test('faults on the apply path: a create MWAA refuses fails the apply with its message; endpoints that never come are explained', async () => {
  const teamFile = join(work, 'config', 'teams', 'marketing.yaml');
  const before = readFileSync(teamFile, 'utf8');
  const withEnvironment = (name: string) =>
    `${before}  - name: ${name}\n    airflowVersion: "2.10.3"\n    environmentClass: mw1.small\n    webserverAccessMode: PRIVATE_ONLY\n`;
  // Only the team's stack: the owner has nothing to change (the second apply showed it).
  const stackOnly = ['--stack', 'participant-marketing', '--poll', '1'];

  // MWAA accepts the create, then the environment ends CREATE_FAILED with its error (as for a configuration option it
  // refuses); the provider reports LastUpdate.Error. A refusal of the call itself would be retried by the provider for
  // minutes (it retries every ValidationException of CreateEnvironment while IAM propagates).
  const refusal = 'core.bogus_option is not a supported Airflow configuration option';
  const fault = new URLSearchParams({ action: 'CreateEnvironment', phase: 'creating', code: 'INCORRECT_CONFIGURATION', message: refusal });
  await fetch(`${emulator.url}/_emulator/faults?${fault.toString()}`, { method: 'POST' });
  writeFileSync(teamFile, withEnvironment('marketing-refused'));
  const refused = await run('apply', [...stackOnly, '--pending-timeout', '1', '--timeout', '2']);
  expect(refused.code).toBe(1);
  expect(refused.output).toContain(refusal);

  // The endpoint manager held back: the environment stays PENDING past the wait, and apply says why.
  runner.paused = true;
  writeFileSync(teamFile, withEnvironment('marketing-adhoc'));
  const pending = await run('apply', [...stackOnly, '--pending-timeout', '0.05', '--timeout', '1']);
  expect(pending.code).toBe(1);
  expect(pending.output).toMatch(/marketing-adhoc has been PENDING for .*: the endpoint manager has not created the endpoints/);

  // Once the endpoint manager handles the held-back events, the environment becomes AVAILABLE.
  runner.paused = false;
  const deadline = Date.now() + 60_000;
  let status = (await environment('marketing-adhoc')).Status;
  while (status !== 'AVAILABLE' && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 500));
    status = (await environment('marketing-adhoc')).Status;
  }
  expect(status).toBe('AVAILABLE');
});

test('decommission of the team, then of the platform, leaves nothing in the emulator', async () => {
  // cdktf.out is the synthesis of the last apply (the team's file as it is now).
  const decommission = await run('decommission', ['--team', 'marketing', '--yes', '--no-synth', '--poll', '1', '--timeout', '3']);
  if (decommission.code !== 0) fail(decommission, 'decommission');
  // The DELETED event made the endpoint manager remove the environment's endpoint and queue.
  const left = (await managedEndpoints()).filter(
    (e) => String(e.State).toLowerCase() === 'available' && e.ServiceName?.includes('vpce-svc-'),
  );
  expect(left).toEqual([]);

  // Then the whole platform goes, bootstrap included. The team's file stays: its account is still one of the platform's,
  // so its bootstrap stack is synthesized and destroyed too (its participant stack is already empty).
  const destroyPlatform = await run('emulated:destroy-platform');
  if (destroyPlatform.code !== 0) fail(destroyPlatform, 'destroy-platform');

  const held = await inventory(emulator.url);
  const leftovers = Object.fromEntries(
    Object.entries(held)
      .map(([account, services]) => [
        account,
        Object.fromEntries(Object.entries(services).filter(([service]) => !PLATFORM_LEFTOVERS.includes(service))),
      ])
      .filter(([, services]) => Object.keys(services as object).length > 0),
  );
  expect(leftovers).toEqual({});
});

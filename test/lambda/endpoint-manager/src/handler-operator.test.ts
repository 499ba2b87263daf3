/**
 * What an operator reads in CloudWatch and what EC2 sees, for the handler paths handler.test.ts
 * leaves loose: the exact log lines (message and key fields), a ClientToken that hands back a dead
 * endpoint, stale endpoints of a PENDING environment, account order, the reconcile's per-environment
 * lines and summary, and the partition taken from the function's own ARN.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import {
  CreateVpcEndpointCommand,
  DeleteVpcEndpointsCommand,
  DescribeVpcEndpointsCommand,
  ModifyVpcEndpointCommand,
  type DescribeVpcEndpointsCommandInput,
  type VpcEndpoint,
} from '@aws-sdk/client-ec2';
import { GetEnvironmentCommand, ListEnvironmentsCommand } from '@aws-sdk/client-mwaa';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { AwsAdapter } from '../../../../lambda/endpoint-manager/src/aws';
import { endpointClientToken } from '../../../../lambda/endpoint-manager/src/decide';
import { createHandler } from '../../../../lambda/endpoint-manager/src/handler';
import {
  DB_SERVICE,
  FOREIGN_SUBNET,
  MANAGED_BY,
  OTHER_PARTICIPANT,
  PARTICIPANT,
  PARTICIPANT_SG,
  QUEUE_OWNER,
  REGION,
  ROLE_NAME,
  SUBNET_A,
  SUBNET_B,
  WEB_SERVICE,
  mwaaEvent,
  queueArn,
  scheduledEvent,
  serviceName,
  testSettings,
} from './fixtures';
import { FakeEc2, LAMBDA_CONTEXT, captureLogs, ec2State, mockMwaaClient, type LogLine } from './fake-aws';

const QUEUE_A = queueArn('1a2b3c4d');
const QUEUE_B = queueArn('5e6f7a8b');
const ref = { account: PARTICIPANT, name: 'team-a' };

let ec2: FakeEc2;
const sts = mockClient(STSClient);
const mwaa = mockMwaaClient();
let logs: { lines: LogLine[]; restore(): void };

function newHandler(overrides: Record<string, string> = {}) {
  const settings = testSettings(overrides);
  return createHandler({
    settings,
    aws: new AwsAdapter(settings, { ec2: { region: settings.region } }),
    logger: new Logger({ serviceName: 'mwaa-endpoint-manager' }),
  });
}

function policyWith(...queues: string[]) {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Sid: 'AllowRegisteredCeleryQueues', Effect: 'Allow', Principal: '*', Action: 'sqs:*', Resource: [...queues].sort() }],
  });
}

const line = (message: string) => logs.lines.filter((l) => l.message === message);
const messages = () => logs.lines.map((l) => l.message);

function managedTags(account: string, env: string, kind: string) {
  return [
    { Key: 'ManagedBy', Value: MANAGED_BY },
    { Key: 'mwaa:account', Value: account },
    { Key: 'mwaa:environment', Value: env },
    { Key: 'mwaa:endpoint', Value: kind },
  ];
}

beforeEach(() => {
  ec2 = new FakeEc2();
  sts.reset();
  mwaa.reset();
  logs = captureLogs();
});
afterEach(() => {
  logs.restore();
  ec2.mock.restore();
});

describe('event log lines', () => {
  it('PENDING: says what it is doing, how long the written policy is, and nothing about wildcards or deletions', async () => {
    await newHandler()(mwaaEvent('PENDING'), LAMBDA_CONTEXT);

    expect(line('Environment is PENDING: creating its endpoints')).toEqual([
      expect.objectContaining({ level: 'INFO', status: 'PENDING', account: PARTICIPANT, environmentName: 'team-a' }),
    ]);
    expect(line(`SQS endpoint policy updated: allow ${QUEUE_A}`)).toEqual([
      expect.objectContaining({ level: 'INFO', policyLength: ec2.policy.length }),
    ]);
    expect(messages().filter((m) => /wildcard|Deleted/.test(m))).toEqual([]);
    expect(ec2.commandInputs(DeleteVpcEndpointsCommand)).toEqual([]);
  });

  it('PENDING again: the endpoints found are logged as notes', async () => {
    const handle = newHandler();
    const first = await handle(mwaaEvent('PENDING'), LAMBDA_CONTEXT);
    const [db, web] = (first as { readonly createdEndpointIds: readonly string[] }).createdEndpointIds;
    logs.lines.length = 0;
    await handle(mwaaEvent('PENDING'), LAMBDA_CONTEXT);

    expect(line(`database endpoint ${db} already exists (pending)`)).toEqual([
      expect.objectContaining({ level: 'INFO', account: PARTICIPANT, environmentName: 'team-a' }),
    ]);
    expect(line(`webserver endpoint ${web} already exists (pending)`)).toHaveLength(1);
  });

  it('PENDING: a leftover endpoint of an earlier environment with the same name is deleted, and the deletion logged with its reason', async () => {
    const oldService = serviceName('0111111111111111a');
    ec2.seed({
      VpcEndpointId: 'vpce-0123412341234oldd',
      ServiceName: oldService,
      State: ec2State('available'),
      Tags: managedTags(PARTICIPANT, 'team-a', 'database'),
    });

    const result = await newHandler()(mwaaEvent('PENDING', { webserverAccessMode: 'PUBLIC_ONLY' }), LAMBDA_CONTEXT);

    expect(ec2.commandInputs(DeleteVpcEndpointsCommand)).toEqual([{ VpcEndpointIds: ['vpce-0123412341234oldd'] }]);
    expect(result).toMatchObject({ deletedEndpointIds: ['vpce-0123412341234oldd'] });
    expect(line('Deleted VPC endpoint')).toEqual([
      expect.objectContaining({
        level: 'INFO',
        endpointKind: 'database',
        endpointId: 'vpce-0123412341234oldd',
        reason: `stale: endpoint service ${oldService} is not the environment's ${DB_SERVICE}`,
        environmentName: 'team-a',
      }),
    ]);
  });

  it('a ClientToken that returns an earlier, since deleted endpoint: warned, and a replacement created with a new token', async () => {
    const handle = newHandler();
    const event = mwaaEvent('PENDING', { webserverAccessMode: 'PUBLIC_ONLY' });
    const first = (await handle(event, LAMBDA_CONTEXT)) as { readonly createdEndpointIds: readonly string[] };
    const deadId = first.createdEndpointIds[0]!;
    ec2.endpoints.get(deadId)!.State = ec2State('deleted');
    // EC2 stops listing deleted endpoints after a while, but the ClientToken still returns them.
    const describe = (
      ec2 as unknown as { describe(input: DescribeVpcEndpointsCommandInput): { VpcEndpoints: VpcEndpoint[] } }
    ).describe.bind(ec2);
    ec2.mock.on(DescribeVpcEndpointsCommand).callsFake((input: DescribeVpcEndpointsCommandInput) => {
      const output = describe(input);
      return { VpcEndpoints: output.VpcEndpoints.filter((e) => String(e.State) !== 'deleted') };
    });
    ec2.mock.resetHistory();
    logs.lines.length = 0;

    const second = await handle(event, LAMBDA_CONTEXT);

    expect(ec2.commandInputs(CreateVpcEndpointCommand).map((input) => input.ClientToken)).toEqual([
      endpointClientToken(ref, 'database', DB_SERVICE, []),
      endpointClientToken(ref, 'database', DB_SERVICE, [deadId]),
    ]);
    const [replacement] = ec2.live().map((e) => e.VpcEndpointId);
    expect(replacement).not.toBe(deadId);
    expect(second).toMatchObject({ outcome: 'applied', createdEndpointIds: [replacement] });
    expect(line('ClientToken returned an earlier dead endpoint; creating a replacement')).toEqual([
      expect.objectContaining({ level: 'WARN', endpointId: deadId, state: 'deleted', environmentName: 'team-a' }),
    ]);
    expect(line('Created VPC endpoint')).toEqual([
      expect.objectContaining({ endpointId: replacement, endpointKind: 'database', state: 'pending' }),
    ]);
  });

  it('compaction is warned about in words, with the accounts, the new length and the limit', async () => {
    const existing = Array.from({ length: 4 }, (_, i) => queueArn(`existing-queue-${i}`));
    ec2.policy = policyWith(...existing);
    const limit = policyWith(...existing).length + 20;
    await newHandler({ POLICY_SIZE_LIMIT: String(limit) })(mwaaEvent('PENDING'), LAMBDA_CONTEXT);

    expect(line('SQS endpoint policy near its size limit: compacted queue-owner accounts into airflow-celery-* wildcards')).toEqual([
      expect.objectContaining({ level: 'WARN', compactedAccounts: [QUEUE_OWNER], policyLength: ec2.policy.length, policySizeLimit: limit }),
    ]);
  });

  it('a queue that cannot be added: the error names the reason and the queue', async () => {
    const crowded = ['100000000001', '100000000002', '100000000003'].map((owner) => queueArn('x1', owner));
    ec2.policy = policyWith(...crowded);
    const queue = queueArn('x1', '100000000004');
    await newHandler({ POLICY_SIZE_LIMIT: String(policyWith(...crowded).length + 1) })(
      mwaaEvent('PENDING', { celeryExecutorQueue: queue }),
      LAMBDA_CONTEXT,
    );

    expect(line('Rejected environment: its Celery queue cannot be added to the SQS endpoint policy; no endpoint created')).toEqual([
      expect.objectContaining({
        level: 'ERROR',
        celeryExecutorQueue: queue,
        reason: expect.stringMatching(/^the SQS endpoint policy would need \d+ characters/),
      }),
    ]);
  });

  it('DELETED: says what it is doing; a covering wildcard kept is explained in words', async () => {
    const wildcard = `arn:aws:sqs:${REGION}:${QUEUE_OWNER}:airflow-celery-*`;
    ec2.policy = policyWith(wildcard);
    await newHandler()(mwaaEvent('DELETED'), LAMBDA_CONTEXT);

    expect(line('Environment was DELETED: removing its endpoints and queue')).toEqual([
      expect.objectContaining({ level: 'INFO', status: 'DELETED', account: PARTICIPANT, environmentName: 'team-a' }),
    ]);
    expect(line('Queue is covered by a compacted wildcard that other live queues may need; kept until a complete reconcile')).toEqual([
      expect.objectContaining({ level: 'INFO', keptWildcards: [wildcard] }),
    ]);
  });

  it('without a Lambda context (a test invoke), the partition comes from the region', async () => {
    sts.on(AssumeRoleCommand).rejects(new Error('no'));
    await newHandler({ AWS_REGION: 'cn-north-1' })(scheduledEvent);
    expect(sts.commandCalls(AssumeRoleCommand)[0]!.args[0].input.RoleArn).toBe(`arn:aws-cn:iam::${PARTICIPANT}:role/${ROLE_NAME}`);
  });

  it('the function’s own ARN wins over the partition guessed from a region name it does not know', async () => {
    sts.on(AssumeRoleCommand).rejects(new Error('no'));
    await newHandler({ AWS_REGION: 'us-isof-south-1' })(scheduledEvent, {
      invokedFunctionArn: 'arn:aws-iso-f:lambda:us-isof-south-1:123456789012:function:f',
    });
    expect(sts.commandCalls(AssumeRoleCommand)[0]!.args[0].input.RoleArn).toBe(`arn:aws-iso-f:iam::${PARTICIPANT}:role/${ROLE_NAME}`);
  });
});

describe('reconcile log lines', () => {
  const credentials = {
    AccessKeyId: 'ASIATEST',
    SecretAccessKey: 'secret',
    SessionToken: 'token',
    Expiration: new Date('2030-01-01T00:00:00Z'),
  };
  function mwaaEnvironment(name: string, status: string, queue: string, subnets = [SUBNET_A, SUBNET_B]) {
    return {
      Environment: {
        Name: name,
        Status: status,
        EndpointManagement: 'CUSTOMER',
        CeleryExecutorQueue: queue,
        DatabaseVpcEndpointService: DB_SERVICE,
        WebserverVpcEndpointService: WEB_SERVICE,
        WebserverAccessMode: 'PUBLIC_ONLY',
        NetworkConfiguration: { SubnetIds: subnets, SecurityGroupIds: [PARTICIPANT_SG] },
      },
    } as never;
  }
  const seedManaged = (id: string, account: string, env: string, kind = 'database') =>
    ec2.seed({ VpcEndpointId: id, ServiceName: DB_SERVICE, State: ec2State('available'), Tags: managedTags(account, env, kind) });

  it('reads participant accounts in account order, whatever order they are configured in', async () => {
    sts.on(AssumeRoleCommand).rejects(new Error('no'));
    await newHandler({ PARTICIPANT_ACCOUNTS: `${OTHER_PARTICIPANT},${PARTICIPANT}` })(scheduledEvent, LAMBDA_CONTEXT);
    expect(sts.commandCalls(AssumeRoleCommand).map((c) => c.args[0].input.RoleArn)).toEqual([
      `arn:aws:iam::${PARTICIPANT}:role/${ROLE_NAME}`,
      `arn:aws:iam::${OTHER_PARTICIPANT}:role/${ROLE_NAME}`,
    ]);
    expect(line('Participant account not fully observed; its removals are skipped').map((l) => l.account)).toEqual([
      PARTICIPANT,
      OTHER_PARTICIPANT,
    ]);
  });

  it('complete: no account warning, skips and notes logged with their environment, per-environment lines tagged reconcile, a summary', async () => {
    sts.on(AssumeRoleCommand).resolves({ Credentials: credentials });
    mwaa
      .on(ListEnvironmentsCommand)
      .resolvesOnce({ Environments: ['running', 'elsewhere'] })
      .resolves({ Environments: [] });
    mwaa.on(GetEnvironmentCommand, { Name: 'running' }).resolves(mwaaEnvironment('running', 'AVAILABLE', QUEUE_A));
    mwaa.on(GetEnvironmentCommand, { Name: 'elsewhere' }).resolves(mwaaEnvironment('elsewhere', 'AVAILABLE', QUEUE_B, [FOREIGN_SUBNET]));
    seedManaged('vpce-0000000000000run1', PARTICIPANT, 'running');
    seedManaged('vpce-00000000000orphan1', OTHER_PARTICIPANT, 'gone');
    ec2.policy = policyWith(QUEUE_A, QUEUE_B);

    const result = await newHandler()(scheduledEvent, LAMBDA_CONTEXT);

    expect(line('Participant account not fully observed; its removals are skipped')).toEqual([]);
    expect(line('environment is not in the shared subnets; ignored')).toEqual([
      expect.objectContaining({ level: 'INFO', operation: 'reconcile', account: PARTICIPANT, environmentName: 'elsewhere' }),
    ]);
    expect(line('database endpoint vpce-0000000000000run1 already exists (available)')).toEqual([
      expect.objectContaining({ operation: 'reconcile', account: PARTICIPANT, environmentName: 'running' }),
    ]);
    expect(line('Deleted VPC endpoint')).toEqual([
      expect.objectContaining({
        operation: 'reconcile',
        account: OTHER_PARTICIPANT,
        environmentName: 'gone',
        endpointId: 'vpce-00000000000orphan1',
        reason: 'environment no longer exists',
      }),
    ]);
    expect(line('SQS endpoint policy updated: exactly the live queues')).toEqual([
      expect.objectContaining({ policyLength: policyWith(QUEUE_A).length }),
    ]);
    expect(ec2.resources()).toEqual([QUEUE_A]);
    expect(line('Reconcile finished')).toEqual([
      expect.objectContaining({
        operation: 'reconcile',
        outcome: 'reconciled',
        complete: true,
        createdEndpointIds: [],
        deletedEndpointIds: ['vpce-00000000000orphan1'],
        policyChanged: true,
        errors: [],
      }),
    ]);
    expect(result).toMatchObject({ complete: true, deletedEndpointIds: ['vpce-00000000000orphan1'] });
  });

  it('incomplete: the policy line says nothing is pruned', async () => {
    sts.on(AssumeRoleCommand, { RoleArn: `arn:aws:iam::${OTHER_PARTICIPANT}:role/${ROLE_NAME}` }).rejects(new Error('not authorized'));
    sts.on(AssumeRoleCommand, { RoleArn: `arn:aws:iam::${PARTICIPANT}:role/${ROLE_NAME}` }).resolves({ Credentials: credentials });
    mwaa.on(ListEnvironmentsCommand).resolves({ Environments: ['running'] });
    mwaa.on(GetEnvironmentCommand).resolves(mwaaEnvironment('running', 'AVAILABLE', QUEUE_A));
    ec2.policy = policyWith(QUEUE_A, QUEUE_B);

    await newHandler()(scheduledEvent, LAMBDA_CONTEXT);

    expect(line('SQS endpoint policy already up to date: add missing live queues (incomplete data: no pruning)')).toHaveLength(1);
    expect(ec2.resources()).toEqual([QUEUE_A, QUEUE_B]);
  });

  it('a policy it may not rewrite: the error names why; an environment with nothing to do is not reported as skipped', async () => {
    sts.on(AssumeRoleCommand).resolves({ Credentials: credentials });
    mwaa
      .on(ListEnvironmentsCommand)
      .resolvesOnce({ Environments: ['running'] })
      .resolves({ Environments: [] });
    mwaa.on(GetEnvironmentCommand).resolves(mwaaEnvironment('running', 'AVAILABLE', QUEUE_A));
    seedManaged('vpce-0000000000000run1', PARTICIPANT, 'running');
    ec2.policy = policyWith(QUEUE_A).replace('"Effect":"Allow"', '"Effect":"Deny"');

    await newHandler()(scheduledEvent, LAMBDA_CONTEXT);

    expect(line('SQS endpoint policy not updated; environments whose queue is not allowed get no endpoints')).toEqual([
      expect.objectContaining({
        level: 'ERROR',
        reason: 'the SQS endpoint policy statement is not the managed AllowRegisteredCeleryQueues statement',
      }),
    ]);
    expect(line("Skipping endpoint changes: the environment's queue is not allowed by the SQS endpoint policy")).toEqual([]);
    expect(ec2.commandInputs(ModifyVpcEndpointCommand)).toEqual([]);
  });

  it('an orphan whose deletion fails: the error line carries the AWS error', async () => {
    sts.on(AssumeRoleCommand).resolves({ Credentials: credentials });
    mwaa.on(ListEnvironmentsCommand).resolves({ Environments: [] });
    seedManaged('vpce-00000000000orphan1', PARTICIPANT, 'gone');
    ec2.mock.on(DeleteVpcEndpointsCommand).rejects(Object.assign(new Error('throttled'), { name: 'Throttling' }));

    await newHandler()(scheduledEvent, LAMBDA_CONTEXT);

    expect(line('Removing orphaned endpoints failed; retried on the next schedule')).toEqual([
      expect.objectContaining({ operation: 'reconcile', account: PARTICIPANT, environmentName: 'gone', error: 'Throttling: throttled' }),
    ]);
  });
});

import { Logger } from '@aws-lambda-powertools/logger';
import {
  CreateVpcEndpointCommand,
  DeleteVpcEndpointsCommand,
  DescribeVpcEndpointsCommand,
  ModifyVpcEndpointCommand,
  type CreateVpcEndpointCommandInput,
} from '@aws-sdk/client-ec2';
import { GetEnvironmentCommand, ListEnvironmentsCommand, ResourceNotFoundException } from '@aws-sdk/client-mwaa';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { AwsAdapter } from '../../../../lambda/endpoint-manager/src/aws';
import { endpointClientToken } from '../../../../lambda/endpoint-manager/src/decide';
import { createHandler, type HandlerResult } from '../../../../lambda/endpoint-manager/src/handler';
import { initialSqsEndpointPolicy } from '../../../../contracts/sqs-endpoint-policy';
import {
  DB_SERVICE,
  FOREIGN_SUBNET,
  MANAGED_BY,
  OTHER_PARTICIPANT,
  OWNER_SG,
  WEBSERVER_SG,
  PARTICIPANT,
  PARTICIPANT_SG,
  QUEUE_OWNER,
  REGION,
  ROLE_NAME,
  SQS_ENDPOINT_ID,
  SUBNET_A,
  SUBNET_B,
  UNKNOWN_ACCOUNT,
  VPC_ID,
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
    aws: new AwsAdapter(settings, { ec2: { region: REGION } }),
    logger: new Logger({ serviceName: 'mwaa-endpoint-manager' }),
  });
}

function expectedCreate(kind: 'database' | 'webserver', service: string, env = ref): CreateVpcEndpointCommandInput {
  return {
    VpcEndpointType: 'Interface',
    VpcId: VPC_ID,
    ServiceName: service,
    SubnetIds: [SUBNET_A, SUBNET_B],
    SecurityGroupIds: [kind === 'webserver' ? WEBSERVER_SG : OWNER_SG],
    PrivateDnsEnabled: false,
    ClientToken: endpointClientToken(env, kind, service, []),
    TagSpecifications: [
      {
        ResourceType: 'vpc-endpoint',
        Tags: [
          { Key: 'Name', Value: `${env.name}-${kind}` },
          { Key: 'ManagedBy', Value: MANAGED_BY },
          { Key: 'mwaa:environment', Value: env.name },
          { Key: 'mwaa:account', Value: env.account },
          { Key: 'mwaa:endpoint', Value: kind },
        ],
      },
    ],
  };
}

function policyWith(...queues: string[]) {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Sid: 'AllowRegisteredCeleryQueues', Effect: 'Allow', Principal: '*', Action: 'sqs:*', Resource: [...queues].sort() }],
  });
}

const commandNames = () => ec2.mock.calls().map((call) => (call.args[0] as { constructor: { name: string } }).constructor.name);

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

describe('MWAA status-change events', () => {
  it('PENDING private: allows the queue first, then creates both endpoints with exact inputs', async () => {
    const result = await newHandler()(mwaaEvent('PENDING'), LAMBDA_CONTEXT);

    expect(commandNames()).toEqual([
      'DescribeVpcEndpointsCommand', // SQS endpoint policy (read)
      'ModifyVpcEndpointCommand', // queue added before MWAA can resume
      'DescribeVpcEndpointsCommand', // managed endpoints of this environment
      'CreateVpcEndpointCommand',
      'CreateVpcEndpointCommand',
    ]);
    expect(ec2.commandInputs(DescribeVpcEndpointsCommand)).toEqual([
      { VpcEndpointIds: [SQS_ENDPOINT_ID] },
      {
        Filters: [
          { Name: 'vpc-id', Values: [VPC_ID] },
          { Name: 'tag:ManagedBy', Values: [MANAGED_BY] },
          { Name: 'tag:mwaa:account', Values: [PARTICIPANT] },
          { Name: 'tag:mwaa:environment', Values: ['team-a'] },
        ],
        MaxResults: 1000,
      },
    ]);
    expect(ec2.commandInputs(ModifyVpcEndpointCommand)).toEqual([{ VpcEndpointId: SQS_ENDPOINT_ID, PolicyDocument: policyWith(QUEUE_A) }]);
    expect(ec2.commandInputs(CreateVpcEndpointCommand)).toEqual([
      expectedCreate('database', DB_SERVICE),
      expectedCreate('webserver', WEB_SERVICE),
    ]);
    expect(ec2.commandInputs(CreateVpcEndpointCommand).flatMap((input) => input.SecurityGroupIds)).not.toContain(PARTICIPANT_SG);
    expect(result).toEqual({
      outcome: 'applied',
      account: PARTICIPANT,
      environmentName: 'team-a',
      status: 'PENDING',
      createdEndpointIds: ['vpce-00000000000000001', 'vpce-00000000000000002'],
      deletedEndpointIds: [],
      policyChanged: true,
    });
  });

  it('PENDING public: creates only the database endpoint', async () => {
    await newHandler()(mwaaEvent('PENDING', { webserverAccessMode: 'PUBLIC_ONLY' }), LAMBDA_CONTEXT);
    expect(ec2.commandInputs(CreateVpcEndpointCommand)).toEqual([expectedCreate('database', DB_SERVICE)]);
  });

  it('duplicate event: the second delivery changes nothing', async () => {
    const handle = newHandler();
    await handle(mwaaEvent('PENDING'), LAMBDA_CONTEXT);
    ec2.mock.resetHistory();
    const second = await handle(mwaaEvent('PENDING'), LAMBDA_CONTEXT);

    expect(commandNames()).toEqual(['DescribeVpcEndpointsCommand', 'DescribeVpcEndpointsCommand']);
    expect(second).toMatchObject({ outcome: 'applied', createdEndpointIds: [], policyChanged: false });
    expect(ec2.live()).toHaveLength(2);
    expect(ec2.resources()).toEqual([QUEUE_A]);
  });

  it('two environments going PENDING together: the policy is re-read, so the second modify contains both queues', async () => {
    // Two warm containers: each has processed events before, neither may trust what it read then.
    const first = newHandler();
    const second = newHandler();
    await second(mwaaEvent('PENDING', { name: 'warm-up', celeryExecutorQueue: queueArn('00warm00') }), LAMBDA_CONTEXT);
    ec2.mock.resetHistory();

    await first(mwaaEvent('PENDING', { name: 'team-a', celeryExecutorQueue: QUEUE_A }), LAMBDA_CONTEXT);
    await second(mwaaEvent('PENDING', { name: 'team-b', celeryExecutorQueue: QUEUE_B }, { account: OTHER_PARTICIPANT }), LAMBDA_CONTEXT);

    const modifies = ec2.commandInputs(ModifyVpcEndpointCommand);
    expect(modifies).toHaveLength(2);
    expect(modifies[0]!.PolicyDocument).toBe(policyWith(queueArn('00warm00'), QUEUE_A));
    expect(modifies[1]!.PolicyDocument).toBe(policyWith(queueArn('00warm00'), QUEUE_A, QUEUE_B));
  });

  it('partial failure then retry: ends with exactly one endpoint per kind and the queue once', async () => {
    const handle = newHandler();
    let creates = 0;
    ec2.mock.on(CreateVpcEndpointCommand).callsFake((input: CreateVpcEndpointCommandInput) => {
      creates += 1;
      if (creates === 2) throw Object.assign(new Error('Internal error'), { name: 'InternalError' });
      return (ec2 as unknown as { create(i: CreateVpcEndpointCommandInput): unknown }).create(input);
    });

    await expect(handle(mwaaEvent('PENDING'), LAMBDA_CONTEXT)).rejects.toThrow('Internal error');
    expect(ec2.live().map((e) => e.ServiceName)).toEqual([DB_SERVICE]);
    expect(logs.lines).toContainEqual(
      expect.objectContaining({
        level: 'ERROR',
        message: 'Processing failed; the invocation will be retried',
        account: PARTICIPANT,
        environmentName: 'team-a',
      }),
    );

    await handle(mwaaEvent('PENDING'), LAMBDA_CONTEXT); // Lambda's async retry
    const inputs = ec2.commandInputs(CreateVpcEndpointCommand);
    expect(inputs.map((input) => input.ServiceName)).toEqual([DB_SERVICE, WEB_SERVICE, WEB_SERVICE]);
    expect(inputs[2]).toEqual(expectedCreate('webserver', WEB_SERVICE)); // same ClientToken as the failed attempt
    expect(
      ec2
        .live()
        .map((e) => e.ServiceName)
        .sort(),
    ).toEqual([DB_SERVICE, WEB_SERVICE].sort());
    expect(ec2.resources()).toEqual([QUEUE_A]);
  });

  it('a failed endpoint from an earlier attempt is deleted and replaced', async () => {
    ec2.seed({
      VpcEndpointId: 'vpce-0failedfailedfa1',
      ServiceName: DB_SERVICE,
      State: ec2State('failed'),
      Tags: [
        { Key: 'ManagedBy', Value: MANAGED_BY },
        { Key: 'mwaa:account', Value: PARTICIPANT },
        { Key: 'mwaa:environment', Value: 'team-a' },
        { Key: 'mwaa:endpoint', Value: 'database' },
      ],
    });
    await newHandler()(mwaaEvent('PENDING', { webserverAccessMode: 'PUBLIC_ONLY' }), LAMBDA_CONTEXT);
    expect(ec2.commandInputs(CreateVpcEndpointCommand)).toEqual([
      {
        ...expectedCreate('database', DB_SERVICE),
        ClientToken: endpointClientToken(ref, 'database', DB_SERVICE, ['vpce-0failedfailedfa1']),
      },
    ]);
    expect(ec2.commandInputs(DeleteVpcEndpointsCommand)).toEqual([{ VpcEndpointIds: ['vpce-0failedfailedfa1'] }]);
  });

  it('DELETED: deletes only that environment’s managed endpoints and removes its queue', async () => {
    const handle = newHandler();
    await handle(mwaaEvent('PENDING'), LAMBDA_CONTEXT);
    await handle(mwaaEvent('PENDING', { celeryExecutorQueue: QUEUE_B }, { account: OTHER_PARTICIPANT }), LAMBDA_CONTEXT); // same name, other account
    ec2.seed({
      VpcEndpointId: 'vpce-0a0a0a0a0a0a0a0a0',
      ServiceName: DB_SERVICE,
      State: ec2State('available'),
      Tags: [{ Key: 'mwaa:environment', Value: 'team-a' }],
    }); // not ours
    const ours = ec2
      .live()
      .filter((e) => e.Tags?.some((t) => t.Key === 'mwaa:account' && t.Value === PARTICIPANT))
      .map((e) => e.VpcEndpointId);
    ec2.mock.resetHistory();

    const result = await handle(mwaaEvent('DELETED'), LAMBDA_CONTEXT);

    expect(ec2.commandInputs(DeleteVpcEndpointsCommand)).toEqual([{ VpcEndpointIds: ours }]);
    expect(ec2.commandInputs(ModifyVpcEndpointCommand)).toEqual([{ VpcEndpointId: SQS_ENDPOINT_ID, PolicyDocument: policyWith(QUEUE_B) }]);
    expect(ec2.live()).toHaveLength(3); // the other account's two, and the untagged one
    expect(result).toMatchObject({ outcome: 'applied', status: 'DELETED', deletedEndpointIds: ours, policyChanged: true });
  });

  it('DELETED of the last environment restores the initial (allow-nothing) policy', async () => {
    const handle = newHandler();
    await handle(mwaaEvent('PENDING'), LAMBDA_CONTEXT);
    await handle(mwaaEvent('DELETED'), LAMBDA_CONTEXT);
    expect(ec2.policy).toBe(initialSqsEndpointPolicy({ region: REGION, partition: 'aws' }));
  });

  it.each(['AVAILABLE', 'UPDATING', 'DELETING'])('%s: logged, no AWS call', async (status) => {
    const result = await newHandler()(mwaaEvent(status), LAMBDA_CONTEXT);
    expect(ec2.mock.calls()).toHaveLength(0);
    expect(result).toEqual({ outcome: 'ignored', account: PARTICIPANT, environmentName: 'team-a', status });
    expect(logs.lines).toContainEqual(
      expect.objectContaining({
        level: 'INFO',
        message: 'No endpoint change for this status',
        status,
        account: PARTICIPANT,
        environmentName: 'team-a',
      }),
    );
  });

  it('refuses, without writing anything, when even compaction cannot fit the queue', async () => {
    const crowded = ['100000000001', '100000000002', '100000000003'].map((owner) => queueArn('x1', owner));
    ec2.policy = policyWith(...crowded);
    const handle = newHandler({ POLICY_SIZE_LIMIT: String(policyWith(...crowded).length + 1) });
    const result = await handle(mwaaEvent('PENDING', { celeryExecutorQueue: queueArn('x1', '100000000004') }), LAMBDA_CONTEXT);

    expect(commandNames()).toEqual(['DescribeVpcEndpointsCommand']);
    expect(result).toMatchObject({ outcome: 'rejected', reasons: [{ code: 'policy-not-updatable' }] });
    expect(logs.lines).toContainEqual(
      expect.objectContaining({
        level: 'ERROR',
        message: expect.stringContaining('cannot be added to the SQS endpoint policy'),
        account: PARTICIPANT,
        environmentName: 'team-a',
      }),
    );
  });

  it('refuses to rewrite an SQS endpoint policy that is not in the managed form', async () => {
    ec2.policy = '{"Statement":[{"Action":"*","Effect":"Allow","Principal":"*","Resource":"*"}]}';
    const result = await newHandler()(mwaaEvent('PENDING'), LAMBDA_CONTEXT);
    expect(result).toMatchObject({
      outcome: 'rejected',
      reasons: [{ code: 'policy-not-updatable', message: expect.stringContaining('not in the managed form') }],
    });
    expect(ec2.commandInputs(ModifyVpcEndpointCommand)).toEqual([]);
    expect(ec2.commandInputs(CreateVpcEndpointCommand)).toEqual([]);
  });

  it('DELETED without a queue: endpoints removed, the policy left for the next complete reconcile, with a warning', async () => {
    const handle = newHandler();
    await handle(mwaaEvent('PENDING'), LAMBDA_CONTEXT);
    ec2.mock.resetHistory();
    const result = await handle(mwaaEvent('DELETED', { celeryExecutorQueue: undefined }), LAMBDA_CONTEXT);

    expect(ec2.commandInputs(ModifyVpcEndpointCommand)).toEqual([]);
    expect(ec2.resources()).toEqual([QUEUE_A]);
    expect(result).toMatchObject({
      outcome: 'applied',
      status: 'DELETED',
      policyChanged: false,
      deletedEndpointIds: [expect.any(String), expect.any(String)],
    });
    expect(logs.lines).toContainEqual(
      expect.objectContaining({
        level: 'WARN',
        message: expect.stringContaining('names no celeryExecutorQueue'),
        environmentName: 'team-a',
      }),
    );
  });

  it('DELETED whose queue is covered by a wildcard: the wildcard is kept (other environments may use it), and logged', async () => {
    const wildcard = `arn:aws:sqs:${REGION}:${QUEUE_OWNER}:airflow-celery-*`;
    ec2.policy = policyWith(wildcard);
    const result = await newHandler()(mwaaEvent('DELETED'), LAMBDA_CONTEXT);

    expect(ec2.commandInputs(ModifyVpcEndpointCommand)).toEqual([]);
    expect(result).toMatchObject({ outcome: 'applied', policyChanged: false });
    expect(logs.lines).toContainEqual(expect.objectContaining({ level: 'INFO', keptWildcards: [wildcard], environmentName: 'team-a' }));
    expect(logs.lines).toContainEqual(
      expect.objectContaining({ level: 'INFO', message: `SQS endpoint policy already up to date: remove ${QUEUE_A}` }),
    );
  });

  it('DELETED with a hand-edited policy (narrowed principal): the policy untouched, an error logged', async () => {
    ec2.policy = policyWith(QUEUE_A).replace('"Principal":"*"', '"Principal":{"AWS":"arn:aws:iam::111111111111:root"}');
    const result = await newHandler()(mwaaEvent('DELETED'), LAMBDA_CONTEXT);

    expect(ec2.commandInputs(ModifyVpcEndpointCommand)).toEqual([]);
    expect(result).toMatchObject({ outcome: 'applied', policyChanged: false });
    expect(logs.lines).toContainEqual(
      expect.objectContaining({
        level: 'ERROR',
        message: 'Could not remove the queue from the SQS endpoint policy',
        celeryExecutorQueue: QUEUE_A,
        reason: expect.stringContaining('not the managed'),
      }),
    );
  });

  it('PENDING: the policy line says it was updated, or already up to date on a second delivery', async () => {
    const handle = newHandler();
    await handle(mwaaEvent('PENDING'), LAMBDA_CONTEXT);
    await handle(mwaaEvent('PENDING'), LAMBDA_CONTEXT);
    expect(logs.lines.filter((l) => String(l.message).startsWith('SQS endpoint policy')).map((l) => l.message)).toEqual([
      `SQS endpoint policy updated: allow ${QUEUE_A}`,
      `SQS endpoint policy already up to date: allow ${QUEUE_A}`,
    ]);
  });

  it('compacts with a warning when the policy nears its limit', async () => {
    const existing = Array.from({ length: 4 }, (_, i) => queueArn(`existing-queue-${i}`));
    ec2.policy = policyWith(...existing);
    const handle = newHandler({ POLICY_SIZE_LIMIT: String(policyWith(...existing).length + 20) });
    await handle(mwaaEvent('PENDING'), LAMBDA_CONTEXT);
    expect(ec2.resources()).toEqual([`arn:aws:sqs:${REGION}:${QUEUE_OWNER}:airflow-celery-*`]);
    expect(logs.lines).toContainEqual(
      expect.objectContaining({ level: 'WARN', compactedAccounts: [QUEUE_OWNER], account: PARTICIPANT, environmentName: 'team-a' }),
    );
  });
});

describe('rejected events: clear log line, result object, no AWS call', () => {
  it.each([
    ['unknown account', mwaaEvent('PENDING', {}, { account: UNKNOWN_ACCOUNT }), 'unregistered-account'],
    ['foreign subnet', mwaaEvent('PENDING', { networkConfiguration: { subnetIds: [SUBNET_A, FOREIGN_SUBNET] } }), 'foreign-subnet'],
    [
      'queue ARN of another region',
      mwaaEvent('PENDING', { celeryExecutorQueue: queueArn('x', QUEUE_OWNER, 'eu-west-1') }),
      'invalid-queue',
    ],
    [
      'queue that is not a Celery queue',
      mwaaEvent('PENDING', { celeryExecutorQueue: `arn:aws:sqs:${REGION}:${QUEUE_OWNER}:exfil` }),
      'invalid-queue',
    ],
    [
      'endpoint service of another region',
      mwaaEvent('PENDING', { databaseVpcEndpointService: serviceName('0123456789abcdef0', 'eu-west-1') }),
      'invalid-endpoint-service',
    ],
    ['malformed event', mwaaEvent('PENDING', { networkConfiguration: 'oops' }), 'malformed-event'],
    ['DELETED from an unknown account', mwaaEvent('DELETED', {}, { account: UNKNOWN_ACCOUNT }), 'unregistered-account'],
  ])('%s', async (_label, event, code) => {
    const result = (await newHandler()(event, LAMBDA_CONTEXT)) as Extract<HandlerResult, { outcome: 'rejected' }>;
    expect(ec2.mock.calls()).toHaveLength(0);
    expect(sts.calls()).toHaveLength(0);
    expect(result.outcome).toBe('rejected');
    expect(result.reasons.map((r) => r.code)).toEqual([code]);
    const line = logs.lines.find((l) => l.message === 'Rejected event; no AWS change made');
    expect(line).toMatchObject({
      level: 'ERROR',
      reasonCodes: [code],
      environmentName: 'team-a',
      account: (event as { account: string }).account,
    });
    expect(line?.reasons).toEqual(result.reasons);
  });

  it('a non-object event is rejected too', async () => {
    await expect(newHandler()('garbage', LAMBDA_CONTEXT)).resolves.toMatchObject({
      outcome: 'rejected',
      reasons: [{ code: 'malformed-event' }],
    });
    expect(ec2.mock.calls()).toHaveLength(0);
  });
});

describe('structured logs', () => {
  it('every line written while processing an event carries the environment name and account', async () => {
    await newHandler()(mwaaEvent('PENDING'), LAMBDA_CONTEXT);
    expect(logs.lines.length).toBeGreaterThan(3);
    for (const line of logs.lines)
      expect(line).toMatchObject({ account: PARTICIPANT, environmentName: 'team-a', service: 'mwaa-endpoint-manager' });
    expect(logs.lines.filter((l) => l.message === 'Created VPC endpoint').map((l) => l.endpointKind)).toEqual(['database', 'webserver']);
  });
});

describe('scheduled reconcile', () => {
  const credentials = {
    AccessKeyId: 'ASIATEST',
    SecretAccessKey: 'secret',
    SessionToken: 'token',
    Expiration: new Date('2030-01-01T00:00:00Z'),
  };
  function mwaaEnvironment(name: string, status: string, queue: string, accessMode = 'PUBLIC_ONLY') {
    return {
      Environment: {
        Name: name,
        Status: status,
        EndpointManagement: 'CUSTOMER',
        CeleryExecutorQueue: queue,
        DatabaseVpcEndpointService: DB_SERVICE,
        WebserverVpcEndpointService: WEB_SERVICE,
        WebserverAccessMode: accessMode,
        NetworkConfiguration: { SubnetIds: [SUBNET_A, SUBNET_B], SecurityGroupIds: [PARTICIPANT_SG] },
      },
    } as never;
  }
  function seedManaged(id: string, account: string, env: string, kind: string, service = DB_SERVICE) {
    ec2.seed({
      VpcEndpointId: id,
      ServiceName: service,
      State: ec2State('available'),
      Tags: [
        { Key: 'ManagedBy', Value: MANAGED_BY },
        { Key: 'mwaa:account', Value: account },
        { Key: 'mwaa:environment', Value: env },
        { Key: 'mwaa:endpoint', Value: kind },
      ],
    });
  }

  it('creates endpoints an event missed, removes orphans, and prunes the policy to the live queues', async () => {
    sts.on(AssumeRoleCommand).resolves({ Credentials: credentials });
    // Both participants are read through the same mocked client; answers are keyed by call order.
    mwaa
      .on(ListEnvironmentsCommand)
      .resolvesOnce({ Environments: ['missed', 'vanished'] })
      .resolvesOnce({ Environments: ['running'] });
    mwaa.on(GetEnvironmentCommand, { Name: 'missed' }).resolves(mwaaEnvironment('missed', 'PENDING', QUEUE_A));
    mwaa.on(GetEnvironmentCommand, { Name: 'vanished' }).rejects(new ResourceNotFoundException({ message: 'gone', $metadata: {} }));
    mwaa.on(GetEnvironmentCommand, { Name: 'running' }).resolves(mwaaEnvironment('running', 'AVAILABLE', QUEUE_B));
    seedManaged('vpce-0000000000000run1', OTHER_PARTICIPANT, 'running', 'database');
    seedManaged('vpce-00000000000orphan1', PARTICIPANT, 'deleted-long-ago', 'database');
    seedManaged('vpce-00000000000orphan2', PARTICIPANT, 'deleted-long-ago', 'webserver', WEB_SERVICE);
    ec2.policy = policyWith(QUEUE_B, queueArn('deadbeef'));

    const result = await newHandler()(scheduledEvent, LAMBDA_CONTEXT);

    expect(sts.commandCalls(AssumeRoleCommand).map((c) => c.args[0].input)).toEqual([
      { RoleArn: `arn:aws:iam::${PARTICIPANT}:role/${ROLE_NAME}`, RoleSessionName: 'mwaa-endpoint-manager', DurationSeconds: 900 },
      { RoleArn: `arn:aws:iam::${OTHER_PARTICIPANT}:role/${ROLE_NAME}`, RoleSessionName: 'mwaa-endpoint-manager', DurationSeconds: 900 },
    ]);
    expect(ec2.commandInputs(CreateVpcEndpointCommand)).toEqual([
      expectedCreate('database', DB_SERVICE, { account: PARTICIPANT, name: 'missed' }),
    ]);
    expect(ec2.commandInputs(DeleteVpcEndpointsCommand)).toEqual([
      { VpcEndpointIds: ['vpce-00000000000orphan1', 'vpce-00000000000orphan2'] },
    ]);
    expect(ec2.commandInputs(ModifyVpcEndpointCommand)).toEqual([
      { VpcEndpointId: SQS_ENDPOINT_ID, PolicyDocument: policyWith(QUEUE_A, QUEUE_B) },
    ]);
    expect(ec2.commandInputs(DescribeVpcEndpointsCommand)).toContainEqual({
      Filters: [
        { Name: 'vpc-id', Values: [VPC_ID] },
        { Name: 'tag:ManagedBy', Values: [MANAGED_BY] },
      ],
      MaxResults: 1000,
    });
    expect(result).toMatchObject({
      outcome: 'reconciled',
      complete: true,
      policyChanged: true,
      errors: [],
      deletedEndpointIds: ['vpce-00000000000orphan1', 'vpce-00000000000orphan2'],
    });
  });

  it('a participant whose role cannot be assumed: skipped and logged, none of its endpoints or queues removed', async () => {
    sts
      .on(AssumeRoleCommand, { RoleArn: `arn:aws:iam::${PARTICIPANT}:role/${ROLE_NAME}` })
      .rejects(Object.assign(new Error('not authorized'), { name: 'AccessDenied' }));
    sts.on(AssumeRoleCommand, { RoleArn: `arn:aws:iam::${OTHER_PARTICIPANT}:role/${ROLE_NAME}` }).resolves({ Credentials: credentials });
    mwaa.on(ListEnvironmentsCommand).resolves({ Environments: ['running'] });
    mwaa.on(GetEnvironmentCommand).resolves(mwaaEnvironment('running', 'AVAILABLE', QUEUE_B));
    seedManaged('vpce-0000000000000run1', OTHER_PARTICIPANT, 'running', 'database');
    seedManaged('vpce-000000000unknown1', PARTICIPANT, 'maybe-alive', 'database');
    ec2.policy = policyWith(QUEUE_A, QUEUE_B);

    const result = await newHandler()(scheduledEvent, LAMBDA_CONTEXT);

    expect(ec2.commandInputs(DeleteVpcEndpointsCommand)).toEqual([]);
    expect(ec2.commandInputs(ModifyVpcEndpointCommand)).toEqual([]); // QUEUE_A may be the unreadable account's: kept
    expect(result).toMatchObject({ outcome: 'reconciled', complete: false });
    expect(logs.lines).toContainEqual(
      expect.objectContaining({
        level: 'WARN',
        message: 'Participant account not fully observed; its removals are skipped',
        account: PARTICIPANT,
        error: expect.stringContaining('AccessDenied: not authorized'),
      }),
    );
  });

  /** Two live environments of PARTICIPANT, both PENDING without endpoints, with queues of two queue-owner accounts. */
  const FOREIGN_OWNER_QUEUE = queueArn('5e6f7a8b', '100000000001');
  function twoPendingEnvironments(secondQueue = QUEUE_B) {
    sts.on(AssumeRoleCommand).resolves({ Credentials: credentials });
    mwaa
      .on(ListEnvironmentsCommand)
      .resolvesOnce({ Environments: ['allowed', 'not-allowed'] })
      .resolves({ Environments: [] });
    mwaa.on(GetEnvironmentCommand, { Name: 'allowed' }).resolves(mwaaEnvironment('allowed', 'PENDING', QUEUE_A));
    mwaa.on(GetEnvironmentCommand, { Name: 'not-allowed' }).resolves(mwaaEnvironment('not-allowed', 'PENDING', secondQueue));
  }

  it('a policy that cannot take every live queue: endpoints only for environments whose queue it already allows', async () => {
    twoPendingEnvironments(FOREIGN_OWNER_QUEUE);
    // The other participant cannot be read, so no entry is pruned (its queues may be these).
    sts.on(AssumeRoleCommand, { RoleArn: `arn:aws:iam::${OTHER_PARTICIPANT}:role/${ROLE_NAME}` }).rejects(new Error('not authorized'));
    // Three queue-owner accounts fill the limit; a fourth does not fit even with every account compacted.
    const current = [QUEUE_A, queueArn('x1', '100000000002'), queueArn('x1', '100000000003')];
    ec2.policy = policyWith(...current);
    const limit = policyWith(...current).length + 1;
    const result = await newHandler({ POLICY_SIZE_LIMIT: String(limit) })(scheduledEvent, LAMBDA_CONTEXT);

    expect(ec2.commandInputs(ModifyVpcEndpointCommand)).toEqual([]);
    expect(ec2.commandInputs(CreateVpcEndpointCommand)).toEqual([
      expectedCreate('database', DB_SERVICE, { account: PARTICIPANT, name: 'allowed' }),
    ]);
    expect(result).toMatchObject({
      outcome: 'reconciled',
      complete: false,
      policyChanged: false,
      createdEndpointIds: [expect.any(String)],
    });
    expect((result as { errors: readonly string[] }).errors).toEqual([expect.stringMatching(/over the \d+-character limit/)]);
    expect(logs.lines).toContainEqual(
      expect.objectContaining({
        level: 'ERROR',
        message: expect.stringContaining('SQS endpoint policy not updated'),
        operation: 'reconcile',
      }),
    );
    expect(logs.lines).toContainEqual(
      expect.objectContaining({
        level: 'ERROR',
        message: "Skipping endpoint changes: the environment's queue is not allowed by the SQS endpoint policy",
        environmentName: 'not-allowed',
        account: PARTICIPANT,
        celeryExecutorQueue: FOREIGN_OWNER_QUEUE,
      }),
    );
  });

  it('a hand-edited SQS endpoint policy: no environment gets endpoints, nothing is rewritten', async () => {
    twoPendingEnvironments();
    ec2.policy = policyWith(QUEUE_A, QUEUE_B).replace('"Effect":"Allow"', '"Effect":"Deny"');
    const result = await newHandler()(scheduledEvent, LAMBDA_CONTEXT);

    expect(ec2.commandInputs(ModifyVpcEndpointCommand)).toEqual([]);
    expect(ec2.commandInputs(CreateVpcEndpointCommand)).toEqual([]);
    expect(result).toMatchObject({
      outcome: 'reconciled',
      createdEndpointIds: [],
      policyChanged: false,
      errors: [expect.stringContaining('not the managed AllowRegisteredCeleryQueues statement')],
    });
  });

  it('an environment whose endpoint creation fails is reported; the others are still reconciled', async () => {
    twoPendingEnvironments();
    ec2.policy = policyWith(QUEUE_A, QUEUE_B);
    ec2.mock.on(CreateVpcEndpointCommand).callsFake((input: CreateVpcEndpointCommandInput) => {
      if (input.TagSpecifications?.[0]?.Tags?.some((t) => t.Value === 'allowed'))
        throw Object.assign(new Error('Internal error'), { name: 'InternalError' });
      return (ec2 as unknown as { create(i: CreateVpcEndpointCommandInput): unknown }).create(input);
    });
    const result = await newHandler()(scheduledEvent, LAMBDA_CONTEXT);

    expect(result).toMatchObject({
      outcome: 'reconciled',
      errors: [`${PARTICIPANT}/allowed: InternalError: Internal error`],
      createdEndpointIds: [expect.any(String)],
    });
    expect(ec2.live().map((e) => e.Tags?.find((t) => t.Key === 'mwaa:environment')?.Value)).toEqual(['not-allowed']);
    expect(logs.lines).toContainEqual(
      expect.objectContaining({
        level: 'ERROR',
        message: 'Reconcile of environment failed; retried on the next schedule',
        environmentName: 'allowed',
        error: 'InternalError: Internal error',
      }),
    );
  });

  it('orphaned endpoints whose deletion fails are reported and retried on the next schedule', async () => {
    sts.on(AssumeRoleCommand).resolves({ Credentials: credentials });
    mwaa.on(ListEnvironmentsCommand).resolves({ Environments: [] });
    seedManaged('vpce-00000000000orphan1', PARTICIPANT, 'gone', 'database');
    ec2.mock.on(DeleteVpcEndpointsCommand).rejects(Object.assign(new Error('throttled'), { name: 'Throttling' }));
    const result = await newHandler()(scheduledEvent, LAMBDA_CONTEXT);

    expect(result).toMatchObject({ outcome: 'reconciled', deletedEndpointIds: [], errors: [`${PARTICIPANT}/gone: Throttling: throttled`] });
    expect(logs.lines).toContainEqual(
      expect.objectContaining({
        level: 'ERROR',
        message: 'Removing orphaned endpoints failed; retried on the next schedule',
        environmentName: 'gone',
        account: PARTICIPANT,
      }),
    );
  });

  it('uses the partition of the function’s own ARN for the reconcile role', async () => {
    sts.on(AssumeRoleCommand).rejects(new Error('no'));
    await newHandler({ AWS_REGION: 'cn-north-1' })(scheduledEvent, {
      invokedFunctionArn: 'arn:aws-cn:lambda:cn-north-1:123456789012:function:f',
    });
    expect(sts.commandCalls(AssumeRoleCommand)[0]!.args[0].input.RoleArn).toBe(`arn:aws-cn:iam::${PARTICIPANT}:role/${ROLE_NAME}`);
  });
});

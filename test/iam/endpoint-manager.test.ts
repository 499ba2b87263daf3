/**
 * The endpoint manager's IAM, evaluated. The allowed table is not written by hand: the handler runs with the
 * real AwsAdapter against recording fakes (aws-sdk-client-mock), configured from the synthesized function's
 * own environment, and every SDK command it sent is translated into the IAM authorization requests AWS makes
 * for it (one per resource of a multi-resource action such as CreateVpcEndpoint, with the request context AWS
 * sends). Each must be allowed by the synthesized role policy, so a test fails when the adapter calls an action
 * its policy does not allow. The deny table holds the abuses the policy must stop.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Logger } from '@aws-lambda-powertools/logger';
import { GetEnvironmentCommand, ListEnvironmentsCommand } from '@aws-sdk/client-mwaa';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { AwsAdapter } from '../../lambda/endpoint-manager/src/aws';
import { createHandler } from '../../lambda/endpoint-manager/src/handler';
import { loadSettings, type Settings } from '../../lambda/endpoint-manager/src/settings';
import { loadFixture } from '../support/config-fixture';
import { only, synthOwner, synthParticipant } from '../support/synth';
import { decisions, roleOf, simulate, terraformRefs, type SimulationCase } from '../support/iam';
import { FakeEc2, captureLogs, ec2State, mockMwaaClient } from '../lambda/endpoint-manager/src/fake-aws';

const OWNER = '111111111111';
const REGION = 'eu-west-1';
const config = loadFixture();
const { tf } = synthOwner(config);
const scope = { region: REGION, accountId: OWNER };
const refs = terraformRefs(tf, scope);
const manager = roleOf(tf, 'acme-data-endpoint-manager', scope);
const fn = only(tf, 'aws_lambda_function');
const settings: Settings = loadSettings({ AWS_REGION: REGION, ...refs.resolveJson(fn.environment.variables) });
const ec2Arn = (resource: string) => `arn:aws:ec2:${REGION}:${OWNER}:${resource}`;

const participantTeam = config.teams[0];
const PARTICIPANT = participantTeam.accountId;
const participantScope = { region: REGION, accountId: PARTICIPANT };
const participantTf = synthParticipant(config, participantTeam.team).tf;
/** The participant role that trusts the manager (found by its trust, whatever its name). */
const reconcileRoleName = (() => {
  const names = Object.values(participantTf.resource.aws_iam_role as Record<string, any>)
    .filter((r) => String(r.assume_role_policy).includes(manager.arn))
    .map((r) => String(r.name));
  if (names.length !== 1)
    throw new Error(`expected one participant role trusting the endpoint manager, found ${names.join(', ') || 'none'}`);
  return names[0]!;
})();
const reconcile = roleOf(participantTf, reconcileRoleName, participantScope);

const DB_SERVICE = `com.amazonaws.vpce.${REGION}.vpce-svc-0db0db0db0db0db01`;
const WEB_SERVICE = `com.amazonaws.vpce.${REGION}.vpce-svc-0eb0eb0eb0eb0eb02`;
const [SUBNET_A, SUBNET_B] = [...settings.sharedSubnetIds];
const QUEUE = `arn:aws:sqs:${REGION}:999999999999:airflow-celery-1a2b3c4d`;

interface IamRequest {
  readonly call: string;
  readonly action: string;
  readonly resource: string;
  readonly context: Record<string, string | string[]>;
  /** Who makes the request; the manager unless the call runs on assumed participant credentials. */
  readonly as: 'manager' | 'reconcile';
}

const tagContext = (prefix: 'aws:RequestTag' | 'aws:ResourceTag', tags: readonly { Key?: string; Value?: string }[] = []) =>
  Object.fromEntries(tags.map((t) => [`${prefix}/${t.Key}`, t.Value ?? '']));

/**
 * How AWS authorizes each SDK command the adapter sends (Service Authorization Reference: resource types per
 * action and the condition keys each carries). `endpointTags` are the tags of existing endpoints (EC2 puts them
 * in aws:ResourceTag/*). A command without an entry fails the test: map it before the adapter may use it.
 */
const IAM_OF_COMMAND: Record<
  string,
  (input: any, endpointTags: (id: string) => readonly { Key?: string; Value?: string }[], call: string) => IamRequest[]
> = {
  DescribeVpcEndpointsCommand: (_input, _tags, call) => [
    { call, action: 'ec2:DescribeVpcEndpoints', resource: '*', context: {}, as: 'manager' },
  ],
  CreateVpcEndpointCommand: (input, _tags, call) => {
    const newEndpoint = ec2Arn('vpc-endpoint/vpce-0000000000000new0');
    const requestTags = input.TagSpecifications?.flatMap((s: any) => s.Tags ?? []) ?? [];
    const tagKeys = requestTags.map((t: any) => t.Key);
    return [
      { call, action: 'ec2:CreateVpcEndpoint', resource: ec2Arn(`vpc/${input.VpcId}`), context: {}, as: 'manager' },
      ...input.SubnetIds.map((s: string) => ({
        call,
        action: 'ec2:CreateVpcEndpoint',
        resource: ec2Arn(`subnet/${s}`),
        context: {},
        as: 'manager' as const,
      })),
      ...input.SecurityGroupIds.map((g: string) => ({
        call,
        action: 'ec2:CreateVpcEndpoint',
        resource: ec2Arn(`security-group/${g}`),
        context: {},
        as: 'manager' as const,
      })),
      {
        call,
        action: 'ec2:CreateVpcEndpoint',
        resource: newEndpoint,
        context: { ...tagContext('aws:RequestTag', requestTags), 'aws:TagKeys': tagKeys, 'ec2:VpceServiceName': input.ServiceName },
        as: 'manager',
      },
      // Tags given at creation are authorized as ec2:CreateTags with ec2:CreateAction.
      {
        call,
        action: 'ec2:CreateTags',
        resource: newEndpoint,
        context: { ...tagContext('aws:RequestTag', requestTags), 'aws:TagKeys': tagKeys, 'ec2:CreateAction': 'CreateVpcEndpoint' },
        as: 'manager',
      },
    ];
  },
  DeleteVpcEndpointsCommand: (input, endpointTags, call) =>
    input.VpcEndpointIds.map((id: string) => ({
      call,
      action: 'ec2:DeleteVpcEndpoints',
      resource: ec2Arn(`vpc-endpoint/${id}`),
      context: tagContext('aws:ResourceTag', endpointTags(id)),
      as: 'manager' as const,
    })),
  ModifyVpcEndpointCommand: (input, endpointTags, call) => [
    {
      call,
      action: 'ec2:ModifyVpcEndpoint',
      resource: ec2Arn(`vpc-endpoint/${input.VpcEndpointId}`),
      context: tagContext('aws:ResourceTag', endpointTags(input.VpcEndpointId)),
      as: 'manager',
    },
  ],
  AssumeRoleCommand: (input, _tags, call) => [{ call, action: 'sts:AssumeRole', resource: input.RoleArn, context: {}, as: 'manager' }],
  ListEnvironmentsCommand: (_input, _tags, call) => [
    { call, action: 'airflow:ListEnvironments', resource: '*', context: {}, as: 'reconcile' },
  ],
  // Every participant's reconcile role is synthesized alike; the first team's stands for all of them.
  GetEnvironmentCommand: (input, _tags, call) => [
    {
      call,
      action: 'airflow:GetEnvironment',
      resource: `arn:aws:airflow:${REGION}:${PARTICIPANT}:environment/${input.Name}`,
      context: {},
      as: 'reconcile',
    },
  ],
};

interface Recorded {
  readonly name: string;
  readonly input: any;
}

/** Runs the handler through realistic invocations and returns every SDK command it sent, in order. */
async function recordAdapterCalls(): Promise<{
  calls: Recorded[];
  endpointTags: (id: string) => readonly { Key?: string; Value?: string }[];
}> {
  const ec2 = new FakeEc2({ region: REGION, vpcId: settings.sharedVpcId, sqsEndpointId: settings.sqsEndpointId });
  const sts = mockClient(STSClient);
  const mwaa = mockMwaaClient();
  const logs = captureLogs();
  const seen: Recorded[] = [];
  try {
    sts.on(AssumeRoleCommand).resolves({
      Credentials: { AccessKeyId: 'AKIA', SecretAccessKey: 'secret', SessionToken: 'token', Expiration: new Date(Date.now() + 900_000) },
    });
    const handler = createHandler({
      settings,
      aws: new AwsAdapter(settings, { ec2: { region: REGION } }),
      logger: new Logger({ serviceName: 'iam-test' }),
    });
    const event = (status: string, extra: Record<string, unknown> = {}) => ({
      version: '0',
      id: 'e6b4f0b5-0000-4000-8000-000000000001',
      'detail-type': 'MWAA Environment Status Change',
      source: 'aws.airflow',
      account: PARTICIPANT,
      time: '2026-12-01T12:00:00Z',
      region: REGION,
      resources: [`arn:aws:airflow:${REGION}:${PARTICIPANT}:environment/team-a`],
      detail: {
        name: 'team-a',
        status,
        celeryExecutorQueue: QUEUE,
        databaseVpcEndpointService: DB_SERVICE,
        webserverVpcEndpointService: WEB_SERVICE,
        webserverAccessMode: 'PRIVATE_ONLY',
        networkConfiguration: { subnetIds: [SUBNET_A, SUBNET_B], securityGroupIds: ['sg-0fedcba9876543210'] },
        ...extra,
      },
    });
    const context = { invokedFunctionArn: `arn:aws:lambda:${REGION}:${OWNER}:function:acme-data-endpoint-manager` };
    // A failed endpoint of this environment: deleted and replaced.
    ec2.seed({
      VpcEndpointId: 'vpce-0f000000000000001',
      ServiceName: DB_SERVICE,
      State: ec2State('failed'),
      Tags: [
        { Key: 'ManagedBy', Value: settings.managedBy },
        { Key: 'mwaa:account', Value: PARTICIPANT },
        { Key: 'mwaa:environment', Value: 'team-a' },
        { Key: 'mwaa:endpoint', Value: 'database' },
      ],
    });
    await handler(event('PENDING'), context);
    mwaa.on(ListEnvironmentsCommand).resolves({ Environments: ['team-a'] });
    mwaa.on(GetEnvironmentCommand).resolves({
      Environment: {
        Name: 'team-a',
        Status: 'AVAILABLE',
        CeleryExecutorQueue: QUEUE,
        DatabaseVpcEndpointService: DB_SERVICE,
        WebserverVpcEndpointService: WEB_SERVICE,
        WebserverAccessMode: 'PRIVATE_ONLY',
        EndpointManagement: 'CUSTOMER',
        NetworkConfiguration: { SubnetIds: [SUBNET_A, SUBNET_B], SecurityGroupIds: ['sg-0fedcba9876543210'] },
      },
    });
    await handler(
      {
        version: '0',
        id: 'r',
        'detail-type': 'Scheduled Event',
        source: 'aws.events',
        account: OWNER,
        time: '2026-12-01T12:15:00Z',
        region: REGION,
        resources: [],
        detail: {},
      },
      context,
    );
    await handler(event('DELETED'), context);

    for (const call of [...ec2.mock.calls(), ...sts.calls(), ...(mwaa.calls() as any[])]) {
      const command = (call as any).args[0];
      seen.push({ name: command.constructor.name, input: command.input });
    }
    const endpointTags = (id: string) => (id === settings.sqsEndpointId ? [] : (ec2.endpoints.get(id)?.Tags ?? []));
    return { calls: seen, endpointTags };
  } finally {
    logs.restore();
    ec2.mock.restore();
    sts.restore();
    (mwaa as any).restore?.();
  }
}

let recorded: Awaited<ReturnType<typeof recordAdapterCalls>>;
beforeAll(async () => {
  recorded = await recordAdapterCalls();
});

describe('endpoint manager IAM, derived from the calls its adapter makes', () => {
  it('every SDK command in the adapter source is exercised and mapped to IAM', () => {
    const source = readFileSync(join(__dirname, '..', '..', 'lambda', 'endpoint-manager', 'src', 'aws.ts'), 'utf8');
    const inSource = [...new Set([...source.matchAll(/new (\w+Command)\(/g)].map((m) => m[1]!))].sort();
    expect(inSource.filter((name) => !IAM_OF_COMMAND[name])).toEqual([]);
    expect([...new Set(recorded.calls.map((c) => c.name))].sort()).toEqual(inSource);
  });

  it('allows every authorization request of every call the adapter made', async () => {
    const requests = recorded.calls.flatMap((c) => {
      const map = IAM_OF_COMMAND[c.name];
      if (!map) throw new Error(`no IAM mapping for ${c.name}`);
      return map(c.input, recorded.endpointTags, c.name);
    });
    const denied: string[] = [];
    for (const r of requests) {
      const decision =
        r.as === 'manager'
          ? await simulate({
              identityPolicies: manager.identityPolicies,
              principal: manager.arn,
              action: r.action,
              resource: r.resource,
              context: r.context,
              resourceAccount: r.action === 'sts:AssumeRole' ? PARTICIPANT : OWNER,
              // Cross-account AssumeRole needs the target role's trust too.
              ...(r.action === 'sts:AssumeRole' ? { resourcePolicy: reconcile.trustPolicy } : {}),
            })
          : await simulate({
              identityPolicies: reconcile.identityPolicies,
              principal: reconcile.arn,
              action: r.action,
              resource: r.resource,
              context: r.context,
              resourceAccount: PARTICIPANT,
            });
      if (decision !== 'Allowed') denied.push(`${r.call} → ${r.action} on ${r.resource} ${JSON.stringify(r.context)}: ${decision}`);
    }
    expect(denied).toEqual([]);
    expect(requests.map((r) => r.action)).toEqual(
      expect.arrayContaining([
        'ec2:CreateVpcEndpoint',
        'ec2:CreateTags',
        'ec2:DeleteVpcEndpoints',
        'ec2:ModifyVpcEndpoint',
        'sts:AssumeRole',
        'airflow:GetEnvironment',
      ]),
    );
  });

  it('allows what the Lambda service does with the role: logs, dead letters, traces', async () => {
    const logGroup = refs.resolve(fn.logging_config.log_group);
    const dlq = refs.resolve(fn.dead_letter_config.target_arn);
    const as = { identityPolicies: manager.identityPolicies, principal: manager.arn };
    expect(
      await decisions([
        {
          ...as,
          name: 'log stream',
          action: 'logs:CreateLogStream',
          resource: `arn:aws:logs:${REGION}:${OWNER}:log-group:${logGroup}:log-stream:2026/12/01/[$LATEST]abc`,
        },
        {
          ...as,
          name: 'log events',
          action: 'logs:PutLogEvents',
          resource: `arn:aws:logs:${REGION}:${OWNER}:log-group:${logGroup}:log-stream:2026/12/01/[$LATEST]abc`,
        },
        { ...as, name: 'dead letter', action: 'sqs:SendMessage', resource: dlq },
        { ...as, name: 'trace', action: 'xray:PutTraceSegments', resource: '*' },
      ]),
    ).toEqual({ 'log stream': 'Allowed', 'log events': 'Allowed', 'dead letter': 'Allowed', trace: 'Allowed' });
  });
});

describe('endpoint manager IAM: abuses it must not be able to commit', () => {
  const as = { identityPolicies: manager.identityPolicies, principal: manager.arn, resourceAccount: OWNER };
  const managedTags = { 'aws:RequestTag/ManagedBy': settings.managedBy, 'aws:TagKeys': ['ManagedBy'] };
  const newEndpoint = ec2Arn('vpc-endpoint/vpce-0000000000000new0');
  const createParts = (vpc: string, subnet: string, sg: string, endpointContext: Record<string, string | string[]>) => [
    { action: 'ec2:CreateVpcEndpoint', resource: ec2Arn(`vpc/${vpc}`), context: {} },
    { action: 'ec2:CreateVpcEndpoint', resource: ec2Arn(`subnet/${subnet}`), context: {} },
    { action: 'ec2:CreateVpcEndpoint', resource: ec2Arn(`security-group/${sg}`), context: {} },
    { action: 'ec2:CreateVpcEndpoint', resource: newEndpoint, context: endpointContext },
  ];
  /** A call is allowed only when every resource it touches is. */
  const callDecision = async (parts: ReturnType<typeof createParts>) => {
    for (const part of parts) {
      const decision = await simulate({ ...as, ...part });
      if (decision !== 'Allowed') return decision;
    }
    return 'Allowed';
  };
  const mwaaService = { ...managedTags, 'ec2:VpceServiceName': DB_SERVICE };

  it('creates endpoints only in the shared VPC, subnets and security groups, to MWAA endpoint services, tagged as its own', async () => {
    const sg = settings.endpointSecurityGroupId;
    expect({
      'the real call': await callDecision(createParts(settings.sharedVpcId, SUBNET_A!, sg, mwaaService)),
      'another VPC': await callDecision(createParts('vpc-0aaaaaaaaaaaaaaa9', SUBNET_A!, sg, mwaaService)),
      'a foreign subnet': await callDecision(createParts(settings.sharedVpcId, 'subnet-0aaaaaaaaaaaaaaa9', sg, mwaaService)),
      'a foreign security group': await callDecision(createParts(settings.sharedVpcId, SUBNET_A!, 'sg-0aaaaaaaaaaaaaaa9', mwaaService)),
      'an AWS service (S3) instead of an MWAA endpoint service': await callDecision(
        createParts(settings.sharedVpcId, SUBNET_A!, sg, { ...managedTags, 'ec2:VpceServiceName': `com.amazonaws.${REGION}.s3` }),
      ),
      'an endpoint service of another region': await callDecision(
        createParts(settings.sharedVpcId, SUBNET_A!, sg, {
          ...managedTags,
          'ec2:VpceServiceName': 'com.amazonaws.vpce.us-east-1.vpce-svc-0db0db0db0db0db01',
        }),
      ),
      'without the ManagedBy tag': await callDecision(
        createParts(settings.sharedVpcId, SUBNET_A!, sg, { 'ec2:VpceServiceName': DB_SERVICE }),
      ),
      'with another ManagedBy value': await callDecision(
        createParts(settings.sharedVpcId, SUBNET_A!, sg, {
          'aws:RequestTag/ManagedBy': 'someone-else',
          'aws:TagKeys': ['ManagedBy'],
          'ec2:VpceServiceName': DB_SERVICE,
        }),
      ),
    }).toEqual({
      'the real call': 'Allowed',
      'another VPC': 'ImplicitlyDenied',
      'a foreign subnet': 'ImplicitlyDenied',
      'a foreign security group': 'ImplicitlyDenied',
      'an AWS service (S3) instead of an MWAA endpoint service': 'ImplicitlyDenied',
      'an endpoint service of another region': 'ImplicitlyDenied',
      'without the ManagedBy tag': 'ImplicitlyDenied',
      'with another ManagedBy value': 'ImplicitlyDenied',
    });
  });

  it('tags only while creating, deletes only its own endpoints, modifies only the SQS endpoint, assumes only reconcile roles', async () => {
    const otherInterfaceEndpoint = refs.resolve(
      '${' +
        Object.keys(tf.resource.aws_vpc_endpoint)
          .map((k) => `aws_vpc_endpoint.${k}`)
          .find((a) => a.includes('endpoint-logs'))! +
        '.id}',
    );
    const cases: SimulationCase[] = [
      {
        ...as,
        name: 'retag an existing endpoint',
        action: 'ec2:CreateTags',
        resource: ec2Arn('vpc-endpoint/vpce-0aaaaaaaaaaaaaaa9'),
        context: { 'aws:RequestTag/ManagedBy': settings.managedBy, 'aws:TagKeys': ['ManagedBy'] },
      },
      {
        ...as,
        name: 'delete its own endpoint',
        action: 'ec2:DeleteVpcEndpoints',
        resource: ec2Arn('vpc-endpoint/vpce-0aaaaaaaaaaaaaaa9'),
        context: { 'aws:ResourceTag/ManagedBy': settings.managedBy },
      },
      {
        ...as,
        name: 'delete an untagged endpoint',
        action: 'ec2:DeleteVpcEndpoints',
        resource: ec2Arn('vpc-endpoint/vpce-0aaaaaaaaaaaaaaa9'),
        context: {},
      },
      {
        ...as,
        name: 'delete an endpoint managed by another',
        action: 'ec2:DeleteVpcEndpoints',
        resource: ec2Arn('vpc-endpoint/vpce-0aaaaaaaaaaaaaaa9'),
        context: { 'aws:ResourceTag/ManagedBy': 'someone-else' },
      },
      {
        ...as,
        name: 'delete the SQS endpoint',
        action: 'ec2:DeleteVpcEndpoints',
        resource: ec2Arn(`vpc-endpoint/${settings.sqsEndpointId}`),
        context: {},
      },
      {
        ...as,
        name: 'modify the SQS endpoint',
        action: 'ec2:ModifyVpcEndpoint',
        resource: ec2Arn(`vpc-endpoint/${settings.sqsEndpointId}`),
      },
      {
        ...as,
        name: 'modify the logs endpoint',
        action: 'ec2:ModifyVpcEndpoint',
        resource: ec2Arn(`vpc-endpoint/${otherInterfaceEndpoint}`),
      },
      {
        ...as,
        name: 'modify its own participant endpoint',
        action: 'ec2:ModifyVpcEndpoint',
        resource: ec2Arn('vpc-endpoint/vpce-0aaaaaaaaaaaaaaa9'),
        context: { 'aws:ResourceTag/ManagedBy': settings.managedBy },
      },
      {
        ...as,
        name: 'assume a role of an unregistered account',
        action: 'sts:AssumeRole',
        resource: `arn:aws:iam::444444444444:role/${reconcileRoleName}`,
        resourceAccount: '444444444444',
      },
      {
        ...as,
        name: 'assume another role of a participant',
        action: 'sts:AssumeRole',
        resource: `arn:aws:iam::${PARTICIPANT}:role/admin`,
        resourceAccount: PARTICIPANT,
      },
      { ...as, name: 'send to another queue', action: 'sqs:SendMessage', resource: `arn:aws:sqs:${REGION}:${OWNER}:other-queue` },
      {
        ...as,
        name: 'write another log group',
        action: 'logs:PutLogEvents',
        resource: `arn:aws:logs:${REGION}:${OWNER}:log-group:/aws/lambda/other:log-stream:x`,
      },
    ];
    expect(await decisions(cases)).toEqual({
      'retag an existing endpoint': 'ImplicitlyDenied',
      'delete its own endpoint': 'Allowed',
      'delete an untagged endpoint': 'ImplicitlyDenied',
      'delete an endpoint managed by another': 'ImplicitlyDenied',
      'delete the SQS endpoint': 'ImplicitlyDenied',
      'modify the SQS endpoint': 'Allowed',
      'modify the logs endpoint': 'ImplicitlyDenied',
      'modify its own participant endpoint': 'ImplicitlyDenied',
      'assume a role of an unregistered account': 'ImplicitlyDenied',
      'assume another role of a participant': 'ImplicitlyDenied',
      'send to another queue': 'ImplicitlyDenied',
      'write another log group': 'ImplicitlyDenied',
    });
  });

  it('is assumable by the Lambda service for this function only', async () => {
    const trust = {
      identityPolicies: [],
      resourcePolicy: manager.trustPolicy,
      principal: 'lambda.amazonaws.com',
      action: 'sts:AssumeRole',
      resource: manager.arn,
      resourceAccount: OWNER,
    };
    const fnArn = `arn:aws:lambda:${REGION}:${OWNER}:function:acme-data-endpoint-manager`;
    expect(
      await decisions([
        { ...trust, name: 'this function', context: { 'aws:SourceAccount': OWNER, 'aws:SourceArn': fnArn } },
        { ...trust, name: 'another function', context: { 'aws:SourceAccount': OWNER, 'aws:SourceArn': `${fnArn}-copy` } },
        {
          ...trust,
          name: 'another account',
          context: {
            'aws:SourceAccount': '444444444444',
            'aws:SourceArn': `arn:aws:lambda:${REGION}:444444444444:function:acme-data-endpoint-manager`,
          },
        },
      ]),
    ).toEqual({ 'this function': 'Allowed', 'another function': 'ImplicitlyDenied', 'another account': 'ImplicitlyDenied' });
  });
});

describe("participant reconcile role's trust of the manager", () => {
  it('admits the endpoint manager role and no other principal of the owner account', async () => {
    const assume = {
      resourcePolicy: reconcile.trustPolicy,
      action: 'sts:AssumeRole',
      resource: reconcile.arn,
      resourceAccount: PARTICIPANT,
    };
    const anyAssume = [{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*' }] }];
    expect(
      await decisions([
        { ...assume, name: 'endpoint manager', identityPolicies: manager.identityPolicies, principal: manager.arn },
        { ...assume, name: 'another owner role', identityPolicies: anyAssume, principal: `arn:aws:iam::${OWNER}:role/admin` },
        { ...assume, name: 'the owner account root', identityPolicies: anyAssume, principal: `arn:aws:iam::${OWNER}:root` },
      ]),
    ).toEqual({ 'endpoint manager': 'Allowed', 'another owner role': 'ImplicitlyDenied', 'the owner account root': 'ImplicitlyDenied' });
  });
});

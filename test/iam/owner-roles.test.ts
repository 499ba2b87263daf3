/**
 * The owner stack's other IAM, evaluated with the simulator against the synthesized policies: the VPC
 * flow-log role (trust and permissions) and the status bus's resource policy. The endpoint manager has
 * its own file (endpoint-manager.test.ts).
 */
import { loadPlatformConfig } from '../../model/load';
import { fixtureConfigWith, loadFixture } from '../support/config-fixture';
import { only, resourcesOf, synthOwner } from '../support/synth';
import { decisions, roleOf, terraformRefs } from '../support/iam';

const OWNER = '111111111111';
const REGION = 'eu-west-1';
const PARTICIPANT = '222222222222';
const STRANGER = '444444444444';
const scope = { region: REGION, accountId: OWNER };
const { tf } = synthOwner(loadFixture());
const refs = terraformRefs(tf, scope);

describe('VPC flow-log role', () => {
  const role = roleOf(tf, 'acme-data-vpc-flow-logs', scope);
  const logGroup = refs.resolve(only(tf, 'aws_flow_log').log_destination);

  it('is assumable by VPC Flow Logs for flow logs of this account only (aws:SourceAccount, aws:SourceArn)', async () => {
    const assume = {
      identityPolicies: [],
      resourcePolicy: role.trustPolicy,
      principal: 'vpc-flow-logs.amazonaws.com',
      action: 'sts:AssumeRole',
      resource: role.arn,
      resourceAccount: OWNER,
    };
    expect(
      await decisions([
        {
          ...assume,
          name: 'a flow log of this account',
          context: { 'aws:SourceAccount': OWNER, 'aws:SourceArn': `arn:aws:ec2:${REGION}:${OWNER}:vpc-flow-log/fl-0123456789abcdef0` },
        },
        {
          ...assume,
          name: 'a flow log of another account',
          context: {
            'aws:SourceAccount': STRANGER,
            'aws:SourceArn': `arn:aws:ec2:${REGION}:${STRANGER}:vpc-flow-log/fl-0123456789abcdef0`,
          },
        },
        {
          ...assume,
          name: 'another region',
          context: { 'aws:SourceAccount': OWNER, 'aws:SourceArn': `arn:aws:ec2:us-east-1:${OWNER}:vpc-flow-log/fl-0123456789abcdef0` },
        },
        { ...assume, name: 'without source context', context: {} },
      ]),
    ).toEqual({
      'a flow log of this account': 'Allowed',
      'a flow log of another account': 'ImplicitlyDenied',
      'another region': 'ImplicitlyDenied',
      'without source context': 'ImplicitlyDenied',
    });
  });

  // Not evaluated: logs:DescribeLogStreams, which the policy grants on `<group ARN>:*`. CloudWatch Logs authorizes
  // log-group actions against that ":*" form of the ARN, which the simulator (one concrete ARN per request) cannot express.
  it('writes to its own log group only', async () => {
    const as = { identityPolicies: role.identityPolicies, principal: role.arn };
    const stream = (group: string) => `${group}:log-stream:eni-0123456789abcdef0-all`;
    const other = `arn:aws:logs:${REGION}:${OWNER}:log-group:/aws/lambda/acme-data-endpoint-manager`;
    expect(
      await decisions([
        { ...as, name: 'create a stream', action: 'logs:CreateLogStream', resource: stream(logGroup) },
        { ...as, name: 'put events', action: 'logs:PutLogEvents', resource: stream(logGroup) },
        { ...as, name: 'put events elsewhere', action: 'logs:PutLogEvents', resource: stream(other) },
        { ...as, name: 'delete its group', action: 'logs:DeleteLogGroup', resource: logGroup },
      ]),
    ).toEqual({
      'create a stream': 'Allowed',
      'put events': 'Allowed',
      'put events elsewhere': 'ImplicitlyDenied',
      'delete its group': 'ImplicitlyDenied',
    });
  });
});

describe('owner status bus policy', () => {
  const forwarderPolicy = (busArn: string) => [
    { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'events:PutEvents', Resource: busArn }] },
  ];
  const mwaaStatus = { 'events:source': 'aws.airflow', 'events:detail-type': 'MWAA Environment Status Change' };

  it('accepts MWAA status events from registered participant accounts only', async () => {
    const busArn = refs.resolve('${' + `aws_cloudwatch_event_bus.${Object.keys(tf.resource.aws_cloudwatch_event_bus)[0]}` + '.arn}');
    const policy = refs.resolve(only(tf, 'aws_cloudwatch_event_bus_policy').policy);
    const put = (account: string) => ({
      identityPolicies: forwarderPolicy(busArn),
      resourcePolicy: policy,
      principal: `arn:aws:iam::${account}:role/mwaa-status-forwarder`,
      action: 'events:PutEvents',
      resource: busArn,
      resourceAccount: OWNER,
    });
    expect(
      await decisions([
        { ...put(PARTICIPANT), name: 'MWAA status from a participant', context: mwaaStatus },
        { ...put(PARTICIPANT), name: 'another source from a participant', context: { ...mwaaStatus, 'events:source': 'custom.app' } },
        { ...put(PARTICIPANT), name: 'another detail type', context: { ...mwaaStatus, 'events:detail-type': 'MWAA Environment Deleted' } },
        {
          ...put(PARTICIPANT),
          name: 'a batch mixing MWAA status and another source',
          context: { ...mwaaStatus, 'events:source': ['aws.airflow', 'custom.app'] },
        },
        { ...put(PARTICIPANT), name: 'an event without source and detail type', context: {} },
        { ...put(STRANGER), name: 'MWAA status from an unregistered account', context: mwaaStatus },
      ]),
    ).toEqual({
      'MWAA status from a participant': 'Allowed',
      'another source from a participant': 'ImplicitlyDenied',
      'another detail type': 'ImplicitlyDenied',
      'a batch mixing MWAA status and another source': 'ImplicitlyDenied',
      'an event without source and detail type': 'ImplicitlyDenied',
      'MWAA status from an unregistered account': 'ImplicitlyDenied',
    });
  });

  it('with sharing.organizationId, accepts MWAA status events from that organization only', async () => {
    const org = synthOwner(loadPlatformConfig(fixtureConfigWith({ platform: (p) => (p.sharing = { organizationId: 'o-abcd123456' }) }))).tf;
    const orgRefs = terraformRefs(org, scope);
    const busArn = orgRefs.resolve('${' + `aws_cloudwatch_event_bus.${Object.keys(org.resource.aws_cloudwatch_event_bus)[0]}` + '.arn}');
    const policy = orgRefs.resolve(only(org, 'aws_cloudwatch_event_bus_policy').policy);
    const put = {
      identityPolicies: forwarderPolicy(busArn),
      resourcePolicy: policy,
      principal: `arn:aws:iam::${STRANGER}:role/forwarder`,
      action: 'events:PutEvents',
      resource: busArn,
      resourceAccount: OWNER,
    };
    expect(
      await decisions([
        { ...put, name: 'a member account', context: { ...mwaaStatus, 'aws:PrincipalOrgID': 'o-abcd123456' } },
        { ...put, name: 'another organization', context: { ...mwaaStatus, 'aws:PrincipalOrgID': 'o-zzzz999999' } },
        {
          ...put,
          name: 'a member sending another source',
          context: { ...mwaaStatus, 'events:source': 'custom.app', 'aws:PrincipalOrgID': 'o-abcd123456' },
        },
      ]),
    ).toEqual({
      'a member account': 'Allowed',
      'another organization': 'ImplicitlyDenied',
      'a member sending another source': 'ImplicitlyDenied',
    });
  });
});

describe('EventBridge-assumed roles in the owner stack', () => {
  it('there are none: both rules target the Lambda function, which a resource policy (aws_lambda_permission) admits per rule', () => {
    const trusts = (Object.values(resourcesOf(tf, 'aws_iam_role')) as any[]).map((r) => String(r.assume_role_policy));
    expect(trusts.filter((t) => t.includes('events.amazonaws.com'))).toEqual([]);
    expect((Object.values(resourcesOf(tf, 'aws_cloudwatch_event_target')) as any[]).map((t) => t.role_arn)).toEqual([undefined, undefined]);
  });
});

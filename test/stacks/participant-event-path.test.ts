import { CloudwatchEventRule } from '@cdktf/provider-aws/lib/cloudwatch-event-rule';
import { CloudwatchEventTarget } from '@cdktf/provider-aws/lib/cloudwatch-event-target';
import { loadFixture } from '../support/config-fixture';
import { resourcesOf, synthParticipant } from '../support/synth';

const { json, tf } = synthParticipant(loadFixture(), 'analytics');
const roles = resourcesOf(tf, 'aws_iam_role');
const rolePolicies = Object.values(resourcesOf(tf, 'aws_iam_role_policy')) as any[];
const roleNamed = (name: string) => Object.entries(roles).find(([, r]: any) => r.name === name)!;
const inlinePolicyOf = (roleId: string) => JSON.parse(rolePolicies.find((p) => p.role === `\${aws_iam_role.${roleId}.id}`).policy);

describe('participant stack: forwarding MWAA status events to the owner', () => {
  it('matches only status changes of the team own MWAA environments on the default bus', () => {
    expect(json).toHaveResourceWithProperties(CloudwatchEventRule, {
      name: 'acme-data-analytics-mwaa-status-to-owner',
      event_pattern: JSON.stringify({
        source: ['aws.airflow'],
        'detail-type': ['MWAA Environment Status Change'],
        resources: ['arn:aws:airflow:eu-west-1:222222222222:environment/analytics-prod'],
      }),
    });
    const rule = Object.values(resourcesOf(tf, 'aws_cloudwatch_event_rule'))[0] as any;
    expect(rule.event_bus_name).toBeUndefined();
  });

  it('targets the owner bus from the contract through a role, with retries and a dead-letter queue', () => {
    expect(json).toHaveResourceWithProperties(CloudwatchEventTarget, {
      arn: 'arn:aws:events:eu-west-1:111111111111:event-bus/acme-data-mwaa-status',
      // EventBridge's maxima: the one-day age limit ends retries, the DLQ keeps the rest.
      retry_policy: { maximum_event_age_in_seconds: 86400, maximum_retry_attempts: 185 },
    });
    const target = Object.values(resourcesOf(tf, 'aws_cloudwatch_event_target'))[0] as any;
    expect(target.role_arn).toMatch(/^\$\{aws_iam_role\..+\.arn\}$/);
    expect(target.dead_letter_config.arn).toMatch(/^\$\{aws_sqs_queue\..+\.arn\}$/);
  });

  it('lets the forwarding role put events on that one bus only, and only EventBridge for this rule assume it', () => {
    const [roleId, role] = roleNamed('acme-data-analytics-mwaa-status-forwarder') as [string, any];
    expect(inlinePolicyOf(roleId).Statement).toEqual([
      { Effect: 'Allow', Action: 'events:PutEvents', Resource: 'arn:aws:events:eu-west-1:111111111111:event-bus/acme-data-mwaa-status' },
    ]);
    expect(JSON.parse(role.assume_role_policy).Statement).toEqual([
      {
        Effect: 'Allow',
        Principal: { Service: 'events.amazonaws.com' },
        Action: 'sts:AssumeRole',
        Condition: {
          StringEquals: {
            'aws:SourceAccount': '222222222222',
            'aws:SourceArn': 'arn:aws:events:eu-west-1:222222222222:rule/acme-data-analytics-mwaa-status-to-owner',
          },
        },
      },
    ]);
  });

  it('lets only this rule write to the encrypted dead-letter queue, over TLS', () => {
    const queue = Object.values(resourcesOf(tf, 'aws_sqs_queue')).find((q: any) => q.name.endsWith('forwarder-dlq')) as any;
    expect(queue.sqs_managed_sse_enabled).toBe(true);
    const policy = JSON.parse((Object.values(resourcesOf(tf, 'aws_sqs_queue_policy'))[0] as any).policy);
    expect(policy.Statement[0]).toMatchObject({
      Principal: { Service: 'events.amazonaws.com' },
      Action: 'sqs:SendMessage',
      Condition: { ArnEquals: { 'aws:SourceArn': expect.stringMatching(/aws_cloudwatch_event_rule/) } },
    });
    expect(policy.Statement[1]).toMatchObject({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } });
  });
});

describe('participant stack: read-only role for the endpoint manager reconcile', () => {
  const [roleId, role] = roleNamed('acme-data-mwaa-endpoint-reconcile') as [string, any];

  it('is trusted by the owner endpoint manager role only', () => {
    expect(JSON.parse(role.assume_role_policy).Statement).toEqual([
      { Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111111111111:role/acme-data-endpoint-manager' }, Action: 'sts:AssumeRole' },
    ]);
  });

  it('may only list and read MWAA environments of this account and region', () => {
    expect(inlinePolicyOf(roleId).Statement).toEqual([
      { Sid: 'List', Effect: 'Allow', Action: 'airflow:ListEnvironments', Resource: '*' },
      { Sid: 'Read', Effect: 'Allow', Action: 'airflow:GetEnvironment', Resource: 'arn:aws:airflow:eu-west-1:222222222222:environment/*' },
    ]);
  });
});

describe('participant stack: security group egress', () => {
  it('reaches S3 through the prefix list of the owner gateway endpoint, never 0.0.0.0/0', () => {
    const egress = Object.values(resourcesOf(tf, 'aws_vpc_security_group_egress_rule')) as any[];
    expect(egress.filter((r) => r.cidr_ipv4 === '0.0.0.0/0')).toEqual([]);
    expect(
      egress.filter((r) => r.prefix_list_id === 'pl-00000000000000005').map((r) => `${r.ip_protocol}:${r.from_port}-${r.to_port}`),
    ).toEqual(['tcp:443-443']);
  });
});

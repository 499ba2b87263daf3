import { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';
import { CloudwatchEventRule } from '@cdktf/provider-aws/lib/cloudwatch-event-rule';
import { ENDPOINT_MANAGER_NODE_TARGET } from '../../contracts/endpoint-manager';
import { loadFixture } from '../support/config-fixture';
import { only, resourcesOf, synthOwner } from '../support/synth';

const { json, tf } = synthOwner(loadFixture());
const fn = only(tf, 'aws_lambda_function');
const role = Object.values(resourcesOf(tf, 'aws_iam_role')).find((r: any) => r.name === 'acme-data-endpoint-manager') as any;
const policy = JSON.parse(
  (Object.values(resourcesOf(tf, 'aws_iam_role_policy')).find((p: any) => p.name === 'manage-mwaa-endpoints') as any).policy,
);
const statement = (sid: string) => policy.Statement.find((s: any) => s.Sid === sid);
const ec2Arn = (resource: string) => `arn:aws:ec2:eu-west-1:111111111111:${resource}`;

describe('endpoint manager function', () => {
  it('runs the bundled handler one invocation at a time, traced, with a dead-letter queue', () => {
    expect(json).toHaveResourceWithProperties(LambdaFunction, {
      function_name: 'acme-data-endpoint-manager',
      handler: 'index.handler',
      reserved_concurrent_executions: 1,
      tracing_config: { mode: 'Active' },
    });
    expect(fn.filename).toMatch(/^assets\/.+\/archive\.zip$/);
    expect(fn.dead_letter_config.target_arn).toMatch(/aws_sqs_queue\..+\.arn/);
  });

  it('runs on a Lambda runtime that still accepts new functions and that hashicorp/aws 5.100.0 knows, bundled for it', () => {
    // nodejs20.x is deprecated in 2026; nodejs24.x is not in the provider's enum (aws-sdk-go-v2 lambda v1.71.3).
    expect(fn.runtime).toBe('nodejs22.x');
    expect(ENDPOINT_MANAGER_NODE_TARGET).toBe('node22');
  });

  it('is created after its inline policy: CreateFunction checks the dead-letter queue permission', () => {
    const policyAddress = Object.keys(resourcesOf(tf, 'aws_iam_role_policy')).find(
      (k) => resourcesOf(tf, 'aws_iam_role_policy')[k].name === 'manage-mwaa-endpoints',
    );
    expect(fn.depends_on).toContain(`aws_iam_role_policy.${policyAddress}`);
  });

  it('receives the runtime contract in its environment', () => {
    const env = fn.environment.variables;
    expect(env).toMatchObject({
      PARTICIPANT_ACCOUNTS: '222222222222,333333333333',
      RECONCILE_ROLE_NAME: 'acme-data-mwaa-endpoint-reconcile',
      MANAGED_BY: 'acme-data-endpoint-manager',
    });
    expect(env.SHARED_VPC_ID).toMatch(/aws_vpc\..+\.id/);
    expect(env.SHARED_SUBNET_IDS).toMatch(/join\(",", \[aws_subnet\..+\.id, aws_subnet\..+\.id\]\)/);
    expect(env.SQS_ENDPOINT_ID).toMatch(/aws_vpc_endpoint\.mwaa-endpoints_endpoint-sqs_.+\.id/);
    expect(env.ENDPOINT_SECURITY_GROUP_ID).toMatch(/^\$\{aws_security_group\.mwaa-endpoints_endpoint-sg_[0-9A-F]+\.id\}$/);
    expect(env.WEBSERVER_SECURITY_GROUP_ID).toMatch(/^\$\{aws_security_group\.webserver-sg_[0-9A-F]+\.id\}$/);
  });

  it('keeps its logs for the configured retention', () => {
    const group = Object.values(resourcesOf(tf, 'aws_cloudwatch_log_group')).find(
      (g: any) => g.name === '/aws/lambda/acme-data-endpoint-manager',
    ) as any;
    expect(group.retention_in_days).toBe(90);
  });
});

describe('endpoint manager IAM: least privilege', () => {
  it('trusts Lambda for this function only', () => {
    expect(JSON.parse(role.assume_role_policy).Statement[0]).toEqual({
      Effect: 'Allow',
      Principal: { Service: 'lambda.amazonaws.com' },
      Action: 'sts:AssumeRole',
      Condition: {
        StringEquals: { 'aws:SourceAccount': '111111111111' },
        ArnLike: { 'aws:SourceArn': 'arn:aws:lambda:eu-west-1:111111111111:function:acme-data-endpoint-manager' },
      },
    });
  });

  it('grants no * action, and * resource only to actions without resource-level permissions', () => {
    for (const s of policy.Statement) {
      for (const action of [s.Action].flat()) expect(action).not.toMatch(/\*/);
      if (s.Resource === '*') expect([s.Action].flat().every((a: string) => /^(ec2:Describe|xray:Put)/.test(a))).toBe(true);
    }
  });

  it('creates endpoints only in the shared VPC, its subnets and security group, and only with the ManagedBy request tag', () => {
    expect(statement('CreateTaggedEndpoints')).toEqual({
      Sid: 'CreateTaggedEndpoints',
      Effect: 'Allow',
      Action: 'ec2:CreateVpcEndpoint',
      Resource: ec2Arn('vpc-endpoint/*'),
      Condition: {
        StringEquals: { 'aws:RequestTag/ManagedBy': 'acme-data-endpoint-manager' },
        StringLike: { 'ec2:VpceServiceName': 'com.amazonaws.vpce.eu-west-1.vpce-svc-*' },
      },
    });
    const scoped = statement('CreateEndpointsInSharedVpcOnly').Resource as string[];
    expect(scoped).toHaveLength(5);
    expect(scoped[0]).toMatch(/^arn:aws:ec2:eu-west-1:111111111111:vpc\/\$\{aws_vpc\./);
    expect(scoped.filter((r) => r.includes(':subnet/'))).toHaveLength(2);
    expect(scoped[3]).toMatch(/:security-group\/\$\{aws_security_group\.mwaa-endpoints_endpoint-sg_/);
    expect(scoped[4]).toMatch(/:security-group\/\$\{aws_security_group\.webserver-sg_[0-9A-F]+\.id\}$/);
  });

  it('tags only while creating, edits only the SQS endpoint, deletes only endpoints it tagged', () => {
    expect(statement('TagOnCreateOnly').Condition).toEqual({ StringEquals: { 'ec2:CreateAction': 'CreateVpcEndpoint' } });
    expect(statement('EditSqsEndpointPolicyOnly')).toMatchObject({
      Action: 'ec2:ModifyVpcEndpoint',
      Resource: expect.stringMatching(/vpc-endpoint\/\$\{aws_vpc_endpoint\.mwaa-endpoints_endpoint-sqs_/),
    });
    expect(statement('DeleteManagedEndpointsOnly')).toMatchObject({
      Action: 'ec2:DeleteVpcEndpoints',
      Resource: ec2Arn('vpc-endpoint/*'),
      Condition: { StringEquals: { 'aws:ResourceTag/ManagedBy': 'acme-data-endpoint-manager' } },
    });
  });

  it('assumes only the participants reconcile roles', () => {
    expect(statement('ReadParticipantEnvironments')).toEqual({
      Sid: 'ReadParticipantEnvironments',
      Effect: 'Allow',
      Action: 'sts:AssumeRole',
      Resource: [
        'arn:aws:iam::222222222222:role/acme-data-mwaa-endpoint-reconcile',
        'arn:aws:iam::333333333333:role/acme-data-mwaa-endpoint-reconcile',
      ],
    });
  });
});

describe('endpoint manager triggers', () => {
  const rules = Object.values(resourcesOf(tf, 'aws_cloudwatch_event_rule')) as any[];
  const targets = Object.values(resourcesOf(tf, 'aws_cloudwatch_event_target')) as any[];

  it('reads MWAA status events from the owner bus and runs a scheduled reconcile', () => {
    expect(json).toHaveResourceWithProperties(CloudwatchEventRule, {
      name: 'acme-data-endpoint-manager-status',
      event_pattern: JSON.stringify({ source: ['aws.airflow'], 'detail-type': ['MWAA Environment Status Change'] }),
    });
    expect(rules.find((r) => r.name === 'acme-data-endpoint-manager-status').event_bus_name).toMatch(
      /^\$\{aws_cloudwatch_event_bus\.status-bus.*\.name\}$/,
    );
    expect(rules.find((r) => r.name === 'acme-data-endpoint-manager-reconcile').schedule_expression).toBe('rate(15 minutes)');
  });

  it('delivers both with retries and a dead-letter queue, and lets only those rules invoke the function', () => {
    expect(targets).toHaveLength(2);
    for (const target of targets) {
      expect(target.retry_policy).toEqual({ maximum_event_age_in_seconds: 3600, maximum_retry_attempts: 8 });
      expect(target.dead_letter_config.arn).toMatch(/aws_sqs_queue\..+\.arn/);
    }
    const permissions = Object.values(resourcesOf(tf, 'aws_lambda_permission')) as any[];
    expect(permissions.map((p) => `${p.principal} ${p.source_arn.replace(/_[0-9A-F]{8}/, '')}`).sort()).toEqual([
      'events.amazonaws.com ${aws_cloudwatch_event_rule.endpoint-manager_reconcile-rule.arn}',
      'events.amazonaws.com ${aws_cloudwatch_event_rule.endpoint-manager_status-rule.arn}',
    ]);
  });

  it('alarms on dead letters, errors and throttles', () => {
    const alarms = Object.values(resourcesOf(tf, 'aws_cloudwatch_metric_alarm')) as any[];
    expect(alarms.map((a) => `${a.namespace}/${a.metric_name}>${a.threshold}`).sort()).toEqual([
      'AWS/Lambda/Errors>0',
      'AWS/Lambda/Throttles>0',
      'AWS/SQS/ApproximateNumberOfMessagesVisible>0',
    ]);
  });
});

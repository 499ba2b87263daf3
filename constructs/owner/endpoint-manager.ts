import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AssetType, Fn, TerraformAsset } from 'cdktf';
import { Construct } from 'constructs';
import { CloudwatchEventRule } from '@cdktf/provider-aws/lib/cloudwatch-event-rule';
import { CloudwatchEventTarget } from '@cdktf/provider-aws/lib/cloudwatch-event-target';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';
import { LambdaPermission } from '@cdktf/provider-aws/lib/lambda-permission';
import { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue';
import { SqsQueuePolicy } from '@cdktf/provider-aws/lib/sqs-queue-policy';
import { bundleEndpointManager } from '../../lambda/endpoint-manager/bundle';
import { MWAA_STATUS_EVENT_PATTERN } from '../../contracts/events';
import {
  ENDPOINT_MANAGER_ENV as ENV,
  ENDPOINT_MANAGER_RUNTIME,
  ENDPOINT_TAGS,
  endpointManagerAlarmName,
  endpointManagerDeadLetterQueueName,
  endpointManagerLogGroupName,
  endpointManagerName,
  mwaaEndpointServicePattern,
  reconcileRoleArn,
  type EndpointManagerAlarm,
} from '../../contracts/endpoint-manager';
import { eventBridgeDeadLetterPolicy, serviceTrustPolicy } from '../common/resource-policies';
import { PlatformStack } from '../common/platform-stack';
import { policyJson } from '../common/policy-document';

export interface EndpointManagerProps {
  /** Resource name prefix (the platform name). */
  readonly name: string;
  readonly vpcId: string;
  readonly subnetIds: readonly string[];
  /** Owner security group of database endpoints (shared subnets only). */
  readonly endpointSecurityGroupId: string;
  /** Owner security group of webserver endpoints (shared subnets and the configured webserver clients). */
  readonly webserverSecurityGroupId: string;
  readonly sqsEndpointId: string;
  /** The owner bus that receives participants' MWAA status events. */
  readonly statusBusName: string;
  readonly participantAccountIds: readonly string[];
  /** Name of the read-only role in every participant account. */
  readonly reconcileRoleName: string;
  /** EventBridge schedule of the reconcile run, e.g. `rate(15 minutes)`. */
  readonly reconcileSchedule: string;
  readonly logRetentionDays: number;
  /**
   * SNS topic notified by the alarms.
   * @default no notification; the alarms are still visible in CloudWatch
   */
  readonly alarmTopicArn?: string;
}

/**
 * EventBridge delivery to the function: 8 retries within an hour, then the dead-letter queue and its alarm.
 * Fewer than the participants' forwarder (EventBridge's maximum, 185 over 24 h) because the scheduled reconcile
 * repairs whatever a dropped event left behind within one period, and an event that fails for an hour is a
 * fault someone should see; the forwarder's cross-account PutEvents has no such repair, so it retries as long
 * as EventBridge allows.
 */
export const STATUS_EVENT_RETRY_ATTEMPTS = 8;
export const STATUS_EVENT_MAX_AGE_SECONDS = 3600;

let bundleDir: string | undefined;
/** One esbuild run per process: every stack and test in it shares the same bundle. */
function endpointManagerBundle(): string {
  if (!bundleDir) {
    const dir = mkdtempSync(join(tmpdir(), 'endpoint-manager-'));
    // synth() copies the asset into cdktf.out; the scratch bundle goes with the process.
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
    bundleDir = bundleEndpointManager(dir);
  }
  return bundleDir;
}

/**
 * The owner-side endpoint manager: a Lambda function that creates and removes each participant
 * environment's database/webserver endpoints and keeps the SQS endpoint policy listing their Celery
 * queues, driven by MWAA status events and by a scheduled reconcile.
 */
export class EndpointManager extends Construct {
  public readonly functionArn: string;
  public readonly functionName: string;
  public readonly roleArn: string;
  public readonly deadLetterQueueArn: string;

  constructor(scope: Construct, id: string, props: EndpointManagerProps) {
    super(scope, id);
    // Function, role and ManagedBy tag value share one name; participant reconcile roles trust exactly this role.
    const functionName = endpointManagerName(props.name);
    const managedBy = endpointManagerName(props.name);
    const stack = PlatformStack.of(this);
    const { accountId, region, partition } = stack;
    const ec2 = (resource: string) => stack.arn({ service: 'ec2', resource });

    const logGroup = new CloudwatchLogGroup(this, 'log-group', {
      name: endpointManagerLogGroupName(props.name),
      retentionInDays: props.logRetentionDays,
    });

    const deadLetters = new SqsQueue(this, 'dlq', {
      name: endpointManagerDeadLetterQueueName(props.name),
      messageRetentionSeconds: 14 * 86400,
      sqsManagedSseEnabled: true,
    });

    const role = new IamRole(this, 'role', {
      name: functionName,
      description: 'Creates and removes the customer-managed endpoints of participant MWAA environments',
      assumeRolePolicy: serviceTrustPolicy({
        service: 'lambda.amazonaws.com',
        sourceAccount: accountId,
        sourceArn: stack.arn({ service: 'lambda', resource: 'function', separator: ':', resourceName: functionName }),
      }),
    });
    const rolePolicy = new IamRolePolicy(this, 'role-policy', {
      role: role.id,
      name: 'manage-mwaa-endpoints',
      policy: endpointManagerPolicy({
        ...props,
        region,
        partition,
        managedBy,
        logGroupArn: logGroup.arn,
        deadLetterQueueArn: deadLetters.arn,
        ec2,
      }),
    });

    const asset = new TerraformAsset(this, 'code', { path: endpointManagerBundle(), type: AssetType.ARCHIVE });
    const fn = new LambdaFunction(this, 'function', {
      functionName,
      description: 'Creates/removes MWAA customer-managed endpoints in the shared VPC and maintains the SQS endpoint policy',
      role: role.arn,
      runtime: ENDPOINT_MANAGER_RUNTIME,
      handler: 'index.handler',
      filename: asset.path,
      sourceCodeHash: asset.assetHash,
      timeout: 300,
      memorySize: 256,
      // One invocation at a time: two environments going PENDING together must not race on the SQS endpoint policy.
      reservedConcurrentExecutions: 1,
      tracingConfig: { mode: 'Active' },
      deadLetterConfig: { targetArn: deadLetters.arn },
      loggingConfig: { logFormat: 'JSON', logGroup: logGroup.name },
      environment: {
        variables: {
          [ENV.sharedVpcId]: props.vpcId,
          [ENV.sharedSubnetIds]: Fn.join(',', [...props.subnetIds]),
          [ENV.endpointSecurityGroupId]: props.endpointSecurityGroupId,
          [ENV.webserverSecurityGroupId]: props.webserverSecurityGroupId,
          [ENV.sqsEndpointId]: props.sqsEndpointId,
          [ENV.participantAccounts]: [...props.participantAccountIds].sort().join(','),
          [ENV.reconcileRoleName]: props.reconcileRoleName,
          [ENV.managedBy]: managedBy,
          POWERTOOLS_SERVICE_NAME: functionName,
        },
      },
      // CreateFunction checks that the role may send to the dead-letter queue, so the inline policy must exist first.
      dependsOn: [logGroup, rolePolicy],
    });

    const statusRule = new CloudwatchEventRule(this, 'status-rule', {
      name: `${functionName}-status`,
      description: 'MWAA status changes forwarded by participant accounts',
      eventBusName: props.statusBusName,
      eventPattern: MWAA_STATUS_EVENT_PATTERN,
    });
    const reconcileRule = new CloudwatchEventRule(this, 'reconcile-rule', {
      name: `${functionName}-reconcile`,
      description: 'Repairs what lost or failed status events left behind (EventBridge delivers service events best effort)',
      scheduleExpression: props.reconcileSchedule,
    });

    const rules = [
      { rule: statusRule, key: 'status' },
      { rule: reconcileRule, key: 'reconcile' },
    ];
    for (const { rule, key } of rules) {
      new CloudwatchEventTarget(this, `${key}-target`, {
        rule: rule.name,
        eventBusName: rule.eventBusName,
        targetId: 'endpoint-manager',
        arn: fn.arn,
        deadLetterConfig: { arn: deadLetters.arn },
        retryPolicy: { maximumEventAgeInSeconds: STATUS_EVENT_MAX_AGE_SECONDS, maximumRetryAttempts: STATUS_EVENT_RETRY_ATTEMPTS },
      });
      new LambdaPermission(this, `${key}-permission`, {
        statementId: `invoke-from-${key}-rule`,
        action: 'lambda:InvokeFunction',
        functionName: fn.functionName,
        principal: 'events.amazonaws.com',
        sourceArn: rule.arn,
      });
    }

    new SqsQueuePolicy(this, 'dlq-policy', {
      queueUrl: deadLetters.url,
      policy: eventBridgeDeadLetterPolicy(
        deadLetters.arn,
        rules.map(({ rule }) => rule.arn),
      ),
    });

    const alarmActions = props.alarmTopicArn ? [props.alarmTopicArn] : [];
    const alarm = (
      key: EndpointManagerAlarm,
      description: string,
      namespace: string,
      metricName: string,
      dimensions: Record<string, string>,
    ) =>
      new CloudwatchMetricAlarm(this, `alarm-${key}`, {
        alarmName: endpointManagerAlarmName(props.name, key),
        alarmDescription: description,
        namespace,
        metricName,
        dimensions,
        statistic: namespace === 'AWS/SQS' ? 'Maximum' : 'Sum',
        period: 300,
        evaluationPeriods: 1,
        threshold: 0,
        comparisonOperator: 'GreaterThanThreshold',
        treatMissingData: 'notBreaching',
        alarmActions,
        okActions: alarmActions,
      });
    alarm(
      'dlq-depth',
      'Status events or invocations the endpoint manager could not process; environments may stay PENDING',
      'AWS/SQS',
      'ApproximateNumberOfMessagesVisible',
      {
        QueueName: deadLetters.name,
      },
    );
    alarm('errors', 'The endpoint manager failed; see its JSON logs for the environment and account', 'AWS/Lambda', 'Errors', {
      FunctionName: functionName,
    });
    alarm('throttles', 'The endpoint manager was throttled (reserved concurrency 1); events are retried', 'AWS/Lambda', 'Throttles', {
      FunctionName: functionName,
    });

    this.functionArn = fn.arn;
    this.functionName = functionName;
    this.roleArn = role.arn;
    this.deadLetterQueueArn = deadLetters.arn;
  }
}

interface PolicyInputs extends EndpointManagerProps {
  readonly region: string;
  readonly partition: string;
  readonly managedBy: string;
  readonly logGroupArn: string;
  readonly deadLetterQueueArn: string;
  readonly ec2: (resource: string) => string;
}

/** Least privilege for the manager: no `*` action; `*` resource only for Describe, which has no resource-level permissions. */
function endpointManagerPolicy(p: PolicyInputs): string {
  const managedEndpoints = p.ec2('vpc-endpoint/*');
  return policyJson([
    { Sid: 'DescribeEndpoints', Effect: 'Allow', Action: ['ec2:DescribeVpcEndpoints'], Resource: '*' },
    {
      Sid: 'CreateTaggedEndpoints',
      Effect: 'Allow',
      Action: 'ec2:CreateVpcEndpoint',
      Resource: managedEndpoints,
      Condition: {
        StringEquals: { [`aws:RequestTag/${ENDPOINT_TAGS.managedBy}`]: p.managedBy },
        // ec2:VpceServiceName applies to the vpc-endpoint resource of CreateVpcEndpoint (Service Authorization Reference).
        StringLike: { 'ec2:VpceServiceName': mwaaEndpointServicePattern(p.region) },
      },
    },
    {
      Sid: 'CreateEndpointsInSharedVpcOnly',
      Effect: 'Allow',
      Action: 'ec2:CreateVpcEndpoint',
      Resource: [
        p.ec2(`vpc/${p.vpcId}`),
        ...p.subnetIds.map((s) => p.ec2(`subnet/${s}`)),
        p.ec2(`security-group/${p.endpointSecurityGroupId}`),
        p.ec2(`security-group/${p.webserverSecurityGroupId}`),
      ],
    },
    {
      Sid: 'TagOnCreateOnly',
      Effect: 'Allow',
      Action: 'ec2:CreateTags',
      Resource: managedEndpoints,
      Condition: { StringEquals: { 'ec2:CreateAction': 'CreateVpcEndpoint' } },
    },
    {
      Sid: 'EditSqsEndpointPolicyOnly',
      Effect: 'Allow',
      Action: 'ec2:ModifyVpcEndpoint',
      Resource: p.ec2(`vpc-endpoint/${p.sqsEndpointId}`),
    },
    {
      Sid: 'DeleteManagedEndpointsOnly',
      Effect: 'Allow',
      Action: 'ec2:DeleteVpcEndpoints',
      Resource: managedEndpoints,
      Condition: { StringEquals: { [`aws:ResourceTag/${ENDPOINT_TAGS.managedBy}`]: p.managedBy } },
    },
    p.participantAccountIds.length > 0 && {
      Sid: 'ReadParticipantEnvironments',
      Effect: 'Allow',
      Action: 'sts:AssumeRole',
      Resource: [...p.participantAccountIds].sort().map((a) => reconcileRoleArn(p.partition, a, p.reconcileRoleName)),
    },
    { Sid: 'Logs', Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: `${p.logGroupArn}:*` },
    { Sid: 'DeadLetters', Effect: 'Allow', Action: 'sqs:SendMessage', Resource: p.deadLetterQueueArn },
    // X-Ray has no resource-level permissions.
    { Sid: 'Tracing', Effect: 'Allow', Action: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'], Resource: '*' },
  ]);
}

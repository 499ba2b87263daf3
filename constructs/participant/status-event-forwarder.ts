import { Construct } from 'constructs';
import { CloudwatchEventRule } from '@cdktf/provider-aws/lib/cloudwatch-event-rule';
import { CloudwatchEventTarget } from '@cdktf/provider-aws/lib/cloudwatch-event-target';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue';
import { SqsQueuePolicy } from '@cdktf/provider-aws/lib/sqs-queue-policy';
import { MWAA_STATUS_EVENT_PATTERN } from '../../contracts/events';
import { eventBridgeDeadLetterPolicy, serviceTrustPolicy } from '../common/resource-policies';
import { PlatformStack } from '../common/platform-stack';
import { policyJson } from '../common/policy-document';
import { formatArn } from '../../contracts/aws';

export interface StatusEventForwarderProps {
  /** Resource name prefix, e.g. `acme-data-analytics`. */
  readonly name: string;
  /** The owner's status bus (from the network contract). */
  readonly ownerBusArn: string;
  /**
   * Names of this team's MWAA environments: the rule forwards their status events only. Several teams may share
   * an account, and each team's rule forwarding every MWAA event of the account would deliver each event once
   * per team.
   */
  readonly environmentNames: readonly string[];
  /**
   * Days a failed delivery is kept in the dead-letter queue.
   * @default 14
   */
  readonly deadLetterRetentionDays?: number;
}

/**
 * Retries of a failed delivery to the owner's bus: EventBridge's maximum. With `maximumEventAgeInSeconds` of one
 * day, the age limit ends retries first; the count only has to be high enough not to end them sooner (an owner
 * bus outage of hours, or a cross-account permission being fixed). What still fails lands in the DLQ.
 */
export const FORWARDER_MAX_RETRY_ATTEMPTS = 185;
/** How long an undelivered event is retried: the endpoint manager's reconcile repairs anything older anyway. */
export const FORWARDER_MAX_EVENT_AGE_SECONDS = 86_400;

/** The rule's pattern: MWAA status changes of exactly these environments (event `resources` holds the environment ARN). */
export function teamStatusEventPattern(partition: string, region: string, accountId: string, environmentNames: readonly string[]): string {
  const pattern = JSON.parse(MWAA_STATUS_EVENT_PATTERN) as Record<string, unknown>;
  return JSON.stringify({
    ...pattern,
    resources: [...environmentNames]
      .sort()
      .map((n) => formatArn({ partition, service: 'airflow', region, account: accountId, resource: 'environment', resourceName: n })),
  });
}

/**
 * Forwards the MWAA status events of one team's environments from its default bus to the owner's bus. Cross-account
 * bus targets need a role; this one may only put events on that one bus.
 */
export class StatusEventForwarder extends Construct {
  public readonly ruleArn: string;
  public readonly roleArn: string;
  public readonly deadLetterQueueArn: string;
  /** The rule's target: environments are created after it, so their first status event is forwarded. */
  public readonly target: CloudwatchEventTarget;

  constructor(scope: Construct, id: string, props: StatusEventForwarderProps) {
    super(scope, id);
    if (props.environmentNames.length === 0) throw new Error('StatusEventForwarder: a team without environments has no events to forward');
    const stack = PlatformStack.of(this);
    const { accountId, region, partition } = stack;
    const ruleName = `${props.name}-mwaa-status-to-owner`;
    const ruleArn = stack.arn({ service: 'events', resource: 'rule', resourceName: ruleName });

    const rule = new CloudwatchEventRule(this, 'rule', {
      name: ruleName,
      description: 'Forward MWAA environment status changes to the platform owner so it can manage the endpoints',
      eventPattern: teamStatusEventPattern(partition, region, accountId, props.environmentNames),
    });

    const role = new IamRole(this, 'role', {
      name: `${props.name}-mwaa-status-forwarder`,
      assumeRolePolicy: serviceTrustPolicy({
        service: 'events.amazonaws.com',
        sourceAccount: accountId,
        sourceArn: ruleArn,
        sourceArnOperator: 'StringEquals',
      }),
    });
    new IamRolePolicy(this, 'role-policy', {
      role: role.id,
      name: 'put-events-on-owner-bus',
      policy: policyJson([{ Effect: 'Allow', Action: 'events:PutEvents', Resource: props.ownerBusArn }]),
    });

    const dlq = new SqsQueue(this, 'dlq', {
      name: `${props.name}-mwaa-status-forwarder-dlq`,
      messageRetentionSeconds: (props.deadLetterRetentionDays ?? 14) * 86400,
      sqsManagedSseEnabled: true,
    });
    new SqsQueuePolicy(this, 'dlq-policy', {
      queueUrl: dlq.url,
      policy: eventBridgeDeadLetterPolicy(dlq.arn, rule.arn),
    });

    this.target = new CloudwatchEventTarget(this, 'target', {
      rule: rule.name,
      targetId: 'owner-status-bus',
      arn: props.ownerBusArn,
      roleArn: role.arn,
      deadLetterConfig: { arn: dlq.arn },
      retryPolicy: { maximumEventAgeInSeconds: FORWARDER_MAX_EVENT_AGE_SECONDS, maximumRetryAttempts: FORWARDER_MAX_RETRY_ATTEMPTS },
    });

    this.ruleArn = rule.arn;
    this.roleArn = role.arn;
    this.deadLetterQueueArn = dlq.arn;
  }
}

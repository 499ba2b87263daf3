import { Construct } from 'constructs';
import { CloudwatchEventRule } from '@cdktf/provider-aws/lib/cloudwatch-event-rule';
import { CloudwatchEventTarget } from '@cdktf/provider-aws/lib/cloudwatch-event-target';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue';
import { SqsQueuePolicy } from '@cdktf/provider-aws/lib/sqs-queue-policy';
import { MWAA_STATUS_EVENT_PATTERN } from '../../contracts/events';
import { eventBridgeDeadLetterPolicy } from '../common/resource-policies';

export interface StatusEventForwarderProps {
  /** Resource name prefix, e.g. `acme-data-analytics`. */
  readonly name: string;
  readonly accountId: string;
  readonly region: string;
  readonly partition: string;
  /** The owner's status bus (from the network contract). */
  readonly ownerBusArn: string;
  /**
   * Days a failed delivery is kept in the dead-letter queue.
   * @default 14
   */
  readonly deadLetterRetentionDays?: number;
}

/**
 * Forwards the account's MWAA status events from its default bus to the owner's bus. Cross-account
 * bus targets need a role; this one may only put events on that one bus.
 */
export class StatusEventForwarder extends Construct {
  public readonly ruleArn: string;
  public readonly roleArn: string;
  public readonly deadLetterQueueArn: string;

  constructor(scope: Construct, id: string, props: StatusEventForwarderProps) {
    super(scope, id);
    const ruleName = `${props.name}-mwaa-status-to-owner`;
    const ruleArn = `arn:${props.partition}:events:${props.region}:${props.accountId}:rule/${ruleName}`;

    const rule = new CloudwatchEventRule(this, 'rule', {
      name: ruleName,
      description: 'Forward MWAA environment status changes to the platform owner so it can manage the endpoints',
      eventPattern: MWAA_STATUS_EVENT_PATTERN,
    });

    const role = new IamRole(this, 'role', {
      name: `${props.name}-mwaa-status-forwarder`,
      assumeRolePolicy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { Service: 'events.amazonaws.com' },
            Action: 'sts:AssumeRole',
            Condition: { StringEquals: { 'aws:SourceAccount': props.accountId, 'aws:SourceArn': ruleArn } },
          },
        ],
      }),
    });
    new IamRolePolicy(this, 'role-policy', {
      role: role.id,
      name: 'put-events-on-owner-bus',
      policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: 'events:PutEvents', Resource: props.ownerBusArn }],
      }),
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

    new CloudwatchEventTarget(this, 'target', {
      rule: rule.name,
      targetId: 'owner-status-bus',
      arn: props.ownerBusArn,
      roleArn: role.arn,
      deadLetterConfig: { arn: dlq.arn },
      retryPolicy: { maximumEventAgeInSeconds: 86400, maximumRetryAttempts: 185 },
    });

    this.ruleArn = rule.arn;
    this.roleArn = role.arn;
    this.deadLetterQueueArn = dlq.arn;
  }
}

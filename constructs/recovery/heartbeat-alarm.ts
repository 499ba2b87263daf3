import { Construct } from 'constructs';
import { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import { SCHEDULER_HEARTBEAT } from '../../contracts/recovery-heartbeat';

export interface SchedulerHeartbeatAlarmProps {
  /** The primary MWAA environment watched. */
  readonly environmentName: string;
  /** Alarm name (unique per account and region). */
  readonly alarmName: string;
  /**
   * Where ALARM and OK notify (an SNS topic of this region that accepts CloudWatch alarms of this account).
   * @default none: the alarm is visible in CloudWatch and on the account's default event bus only
   */
  readonly topicArn?: string;
  /**
   * Further topics notified, e.g. the platform's own (`endpointManager.alarmTopicArn`).
   * @default none
   */
  readonly extraTopicArns?: readonly string[];
}

/** Minutes without a heartbeat before the alarm fires: long enough for a scheduler restart, short against the standby's RTO. */
export const HEARTBEAT_ALARM_MINUTES = 15;

/**
 * Alarm when the primary environment's schedulers stop heartbeating. It only notifies: declaring a disaster is a
 * human decision (a CloudWatch problem or a maintenance restart must never fail an environment over).
 */
export class SchedulerHeartbeatAlarm extends Construct {
  public readonly alarm: CloudwatchMetricAlarm;

  constructor(scope: Construct, id: string, props: SchedulerHeartbeatAlarmProps) {
    super(scope, id);
    const actions = [...(props.topicArn ? [props.topicArn] : []), ...(props.extraTopicArns ?? [])];
    this.alarm = new CloudwatchMetricAlarm(this, 'alarm', {
      alarmName: props.alarmName,
      alarmDescription: `No scheduler heartbeat from MWAA environment ${props.environmentName} for ${HEARTBEAT_ALARM_MINUTES} minutes: check it, and declare a disaster only by hand (docs/disaster-recovery.md)`,
      namespace: SCHEDULER_HEARTBEAT.namespace,
      metricName: SCHEDULER_HEARTBEAT.metricName,
      dimensions: { Environment: props.environmentName, Function: SCHEDULER_HEARTBEAT.function },
      statistic: 'Sum',
      period: 300,
      evaluationPeriods: HEARTBEAT_ALARM_MINUTES / 5,
      threshold: 1,
      comparisonOperator: 'LessThanThreshold',
      // No data is exactly what a dead scheduler looks like.
      treatMissingData: 'breaching',
      actionsEnabled: true,
      alarmActions: actions,
      okActions: actions,
    });
  }
}

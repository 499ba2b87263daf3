import { Construct } from 'constructs';
import { CloudwatchEventBus } from '@cdktf/provider-aws/lib/cloudwatch-event-bus';
import { CloudwatchEventBusPolicy } from '@cdktf/provider-aws/lib/cloudwatch-event-bus-policy';

import { MWAA_EVENT_SOURCE, MWAA_STATUS_DETAIL_TYPE } from '../../contracts/events';
import { statusBusName } from '../../contracts/names';
import { accountRootArn } from '../../contracts/aws';
import { PlatformStack } from '../common/platform-stack';
import { policyJson } from '../common/policy-document';

export interface StatusEventBusProps {
  readonly name: string;
  /** Participant accounts allowed to put events. Ignored when `organizationId` is set. */
  readonly participantAccountIds: readonly string[];
  /**
   * Accept events from any account of this organization (`aws:PrincipalOrgID`) instead of listing accounts.
   * @default undefined: only the listed participant accounts
   */
  readonly organizationId?: string;
}

/** The owner's bus for MWAA status events forwarded by participant accounts. */
export class StatusEventBus extends Construct {
  public readonly busName: string;
  public readonly busArn: string;

  constructor(scope: Construct, id: string, props: StatusEventBusProps) {
    super(scope, id);
    const bus = new CloudwatchEventBus(this, 'bus', { name: statusBusName(props.name) });
    this.busName = bus.name;
    this.busArn = bus.arn;
    const policy = statusBusPolicy({ ...props, busArn: bus.arn, partition: PlatformStack.of(this).partition });
    if (policy) new CloudwatchEventBusPolicy(this, 'policy', { eventBusName: bus.name, policy });
  }
}

/** Resource policy of the bus: PutEvents of MWAA status events only, from registered accounts (or the organization). */
export function statusBusPolicy(props: StatusEventBusProps & { readonly busArn: string; readonly partition: string }): string | undefined {
  // Both keys are multivalued (ArrayOfString in the Service Authorization Reference: one value per entry of a
  // PutEvents batch), so a set operator; ForAllValues is vacuously true without the key, hence the Null guard.
  const onlyMwaaStatus = {
    'ForAllValues:StringEquals': { 'events:source': [MWAA_EVENT_SOURCE], 'events:detail-type': [MWAA_STATUS_DETAIL_TYPE] },
    Null: { 'events:source': 'false', 'events:detail-type': 'false' },
  };
  if (props.organizationId) {
    return policyJson([
      {
        Sid: 'MwaaStatusFromOrganization',
        Effect: 'Allow',
        Principal: '*',
        Action: 'events:PutEvents',
        Resource: props.busArn,
        Condition: { ...onlyMwaaStatus, StringEquals: { 'aws:PrincipalOrgID': props.organizationId } },
      },
    ]);
  }
  // An empty principal list is not a valid policy; with no participants the bus simply accepts nothing cross-account.
  if (props.participantAccountIds.length === 0) return undefined;
  return policyJson([
    {
      Sid: 'MwaaStatusFromParticipants',
      Effect: 'Allow',
      Principal: { AWS: [...props.participantAccountIds].sort().map((a) => accountRootArn(props.partition, a)) },
      Action: 'events:PutEvents',
      Resource: props.busArn,
      Condition: onlyMwaaStatus,
    },
  ]);
}

/** Shared fixtures for the endpoint-manager tests (not a test file itself). */
import type { ValidationContext } from '../../../../lambda/endpoint-manager/src/event';
import { loadSettings, type Settings } from '../../../../lambda/endpoint-manager/src/settings';

export const REGION = 'us-east-1';
export const VPC_ID = 'vpc-0123456789abcdef0';
export const SUBNET_A = 'subnet-0aaaaaaaaaaaaaaa1';
export const SUBNET_B = 'subnet-0bbbbbbbbbbbbbbb2';
export const FOREIGN_SUBNET = 'subnet-0ccccccccccccccc3';
export const OWNER_SG = 'sg-0123456789abcdef0';
/** The owner's webserver-endpoint group (shared subnets plus VPN/office clients). */
export const WEBSERVER_SG = 'sg-0abcabcabcabcabc1';
export const PARTICIPANT_SG = 'sg-0fedcba9876543210';
export const SQS_ENDPOINT_ID = 'vpce-05a5a5a5a5a5a5a5a';
export const PARTICIPANT = '111111111111';
export const OTHER_PARTICIPANT = '222222222222';
export const UNKNOWN_ACCOUNT = '333333333333';
/** MWAA keeps Celery queues in an AWS-managed account, not the participant's. */
export const QUEUE_OWNER = '999999999999';
export const MANAGED_BY = 'acme-endpoint-manager';
export const ROLE_NAME = 'mwaa-endpoint-reconcile';

export const queueArn = (suffix: string, owner = QUEUE_OWNER, region = REGION) => `arn:aws:sqs:${region}:${owner}:airflow-celery-${suffix}`;
export const serviceName = (hex: string, region = REGION) => `com.amazonaws.vpce.${region}.vpce-svc-${hex}`;

export const DB_SERVICE = serviceName('0db0db0db0db0db01');
export const WEB_SERVICE = serviceName('0eb0eb0eb0eb0eb02');

export const ENV_VARS: Readonly<Record<string, string>> = {
  AWS_REGION: REGION,
  SHARED_VPC_ID: VPC_ID,
  SHARED_SUBNET_IDS: `${SUBNET_A},${SUBNET_B}`,
  ENDPOINT_SECURITY_GROUP_ID: OWNER_SG,
  WEBSERVER_SECURITY_GROUP_ID: WEBSERVER_SG,
  SQS_ENDPOINT_ID,
  PARTICIPANT_ACCOUNTS: `${PARTICIPANT},${OTHER_PARTICIPANT}`,
  RECONCILE_ROLE_NAME: ROLE_NAME,
  MANAGED_BY,
};

export function testSettings(overrides: Record<string, string> = {}): Settings {
  return loadSettings({ ...ENV_VARS, ...overrides });
}

export const VALIDATION: ValidationContext = {
  region: REGION,
  partition: 'aws',
  participantAccounts: new Set([PARTICIPANT, OTHER_PARTICIPANT]),
  sharedSubnetIds: new Set([SUBNET_A, SUBNET_B]),
};

export interface DetailOverrides {
  readonly [key: string]: unknown;
}

export function mwaaEvent(status: string, detail: DetailOverrides = {}, top: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    version: '0',
    id: '7bf73129-1428-4cd3-a780-95db273d1602',
    'detail-type': 'MWAA Environment Status Change',
    source: 'aws.airflow',
    account: PARTICIPANT,
    time: '2024-06-01T12:00:00Z',
    region: REGION,
    resources: [`arn:aws:airflow:${REGION}:${PARTICIPANT}:environment/team-a`],
    detail: {
      name: 'team-a',
      status,
      celeryExecutorQueue: queueArn('1a2b3c4d'),
      databaseVpcEndpointService: DB_SERVICE,
      webserverVpcEndpointService: WEB_SERVICE,
      webserverAccessMode: 'PRIVATE_ONLY',
      networkConfiguration: { subnetIds: [SUBNET_A, SUBNET_B], securityGroupIds: [PARTICIPANT_SG] },
      ...detail,
    },
    ...top,
  };
}

export const scheduledEvent = {
  version: '0',
  id: '89d1a02d-5ec7-412e-82f5-13505f849b41',
  'detail-type': 'Scheduled Event',
  source: 'aws.events',
  account: '123456789012',
  time: '2024-06-01T12:15:00Z',
  region: REGION,
  resources: ['arn:aws:events:us-east-1:123456789012:rule/endpoint-manager-reconcile'],
  detail: {},
};

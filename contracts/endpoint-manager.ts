/**
 * The endpoint manager's contract with the stacks that deploy it: its names, the environment variables the
 * owner stack sets and the Lambda reads, and the tags on every endpoint it creates (IAM conditions name them).
 */
import { iamRoleArn, type Partition } from './aws';
import { PLATFORM_TAGS } from './tags';

/** Function, role and `ManagedBy` tag value: `<platform>-endpoint-manager`. */
export const endpointManagerName = (platform: string): string => `${platform}-endpoint-manager`;

/** Read-only role in every participant account the manager assumes to reconcile; the same name everywhere. */
export const reconcileRoleName = (platform: string): string => `${platform}-mwaa-endpoint-reconcile`;

export const reconcileRoleArn = (partition: Partition, account: string, roleName: string): string =>
  iamRoleArn(partition, account, roleName);

/**
 * The only endpoint services the manager may create endpoints to, as an `ec2:VpceServiceName` pattern:
 * MWAA publishes each environment's database and webserver as a VPC endpoint service of the region,
 * `com.amazonaws.vpce.<region>.vpce-svc-<id>` (`cn.` prefixed in the China regions). The Lambda also checks
 * the exact service per environment; this is the IAM backstop.
 */
export const mwaaEndpointServicePattern = (region: string): string =>
  `${region.startsWith('cn-') ? 'cn.' : ''}com.amazonaws.vpce.${region}.vpce-svc-*`;

/**
 * Lambda runtime of the function. nodejs20.x is deprecated in 2026 (no new functions); nodejs22.x is the
 * newest runtime hashicorp/aws 5.100.0 accepts (its aws-sdk-go-v2 lambda v1.71.3 enum has no nodejs24.x).
 * The bundle targets the same Node.js major.
 */
export const ENDPOINT_MANAGER_RUNTIME = 'nodejs22.x';
export const ENDPOINT_MANAGER_NODE_TARGET = 'node22';

/** Environment variables of the function (AWS_REGION comes from the Lambda runtime). */
export const ENDPOINT_MANAGER_ENV = {
  sharedVpcId: 'SHARED_VPC_ID',
  sharedSubnetIds: 'SHARED_SUBNET_IDS',
  /** Security group of database endpoints: the shared subnets only. */
  endpointSecurityGroupId: 'ENDPOINT_SECURITY_GROUP_ID',
  /** Security group of webserver endpoints: the shared subnets plus the configured clients (VPN, office, bastion). */
  webserverSecurityGroupId: 'WEBSERVER_SECURITY_GROUP_ID',
  sqsEndpointId: 'SQS_ENDPOINT_ID',
  participantAccounts: 'PARTICIPANT_ACCOUNTS',
  reconcileRoleName: 'RECONCILE_ROLE_NAME',
  managedBy: 'MANAGED_BY',
  policySizeLimit: 'POLICY_SIZE_LIMIT',
} as const;

/** Tags on every endpoint the manager creates. */
export const ENDPOINT_TAGS = {
  name: 'Name',
  /**
   * IAM lets the manager delete only endpoints carrying this tag with its own value (`<platform>-endpoint-manager`).
   * The platform's `ManagedBy` key on purpose: these endpoints are the Lambda's, not Terraform's, and the tag says so.
   */
  managedBy: PLATFORM_TAGS.managedBy,
  environment: 'mwaa:environment',
  account: 'mwaa:account',
  endpointKind: 'mwaa:endpoint',
} as const;

/**
 * Where to look when the endpoint manager does not do its job: its log group, dead-letter queue and alarms.
 * The owner's construct names them, `npm run apply` quotes them when an environment stays PENDING.
 */
export const endpointManagerLogGroupName = (platform: string): string => `/aws/lambda/${endpointManagerName(platform)}`;
export const endpointManagerDeadLetterQueueName = (platform: string): string => `${endpointManagerName(platform)}-dlq`;
/** Alarm keys: `<platform>-endpoint-manager-<key>`. */
export const ENDPOINT_MANAGER_ALARMS = ['dlq-depth', 'errors', 'throttles'] as const;
export type EndpointManagerAlarm = (typeof ENDPOINT_MANAGER_ALARMS)[number];
export const endpointManagerAlarmName = (platform: string, key: EndpointManagerAlarm): string => `${endpointManagerName(platform)}-${key}`;

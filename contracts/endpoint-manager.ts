/**
 * The endpoint manager's contract with the stacks that deploy it: its names, the environment variables the
 * owner stack sets and the Lambda reads, and the tags on every endpoint it creates (IAM conditions name them).
 */
import { iamRoleArn, type Partition } from './aws';

/** Function, role and `ManagedBy` tag value: `<platform>-endpoint-manager`. */
export const endpointManagerName = (platform: string): string => `${platform}-endpoint-manager`;

/** Read-only role in every participant account the manager assumes to reconcile; the same name everywhere. */
export const reconcileRoleName = (platform: string): string => `${platform}-mwaa-endpoint-reconcile`;

export const reconcileRoleArn = (partition: Partition, account: string, roleName: string): string => iamRoleArn(partition, account, roleName);

/** Environment variables of the function (AWS_REGION comes from the Lambda runtime). */
export const ENDPOINT_MANAGER_ENV = {
  sharedVpcId: 'SHARED_VPC_ID',
  sharedSubnetIds: 'SHARED_SUBNET_IDS',
  endpointSecurityGroupId: 'ENDPOINT_SECURITY_GROUP_ID',
  sqsEndpointId: 'SQS_ENDPOINT_ID',
  participantAccounts: 'PARTICIPANT_ACCOUNTS',
  reconcileRoleName: 'RECONCILE_ROLE_NAME',
  managedBy: 'MANAGED_BY',
  policySizeLimit: 'POLICY_SIZE_LIMIT',
} as const;

/** Tags on every endpoint the manager creates. */
export const ENDPOINT_TAGS = {
  name: 'Name',
  /** IAM lets the manager delete only endpoints carrying this tag with its own value. */
  managedBy: 'ManagedBy',
  environment: 'mwaa:environment',
  account: 'mwaa:account',
  endpointKind: 'mwaa:endpoint',
} as const;

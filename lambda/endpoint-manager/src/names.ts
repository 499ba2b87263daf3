/**
 * Identifier formats and ARN helpers shared by validation, policy and decisions.
 * Pure: no SDK imports, so the decision modules stay testable without AWS.
 */

export const ACCOUNT_ID = /^\d{12}$/;
export const SUBNET_ID = /^subnet-[0-9a-f]{8,17}$/;
export const VPC_ID = /^vpc-[0-9a-f]{8,17}$/;
export const SECURITY_GROUP_ID = /^sg-[0-9a-f]{8,17}$/;
export const VPC_ENDPOINT_ID = /^vpce-[0-9a-f]{8,17}$/;
export const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;
/** MWAA environment names: a letter, then letters, digits, '-' or '_' (max 80). */
export const ENVIRONMENT_NAME = /^[A-Za-z][0-9A-Za-z_-]{0,79}$/;
/** IAM role names (without path). */
export const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;

/** Celery queues MWAA creates are named `airflow-celery-<suffix>`; SQS names are at most 80 characters. */
export const CELERY_QUEUE_PREFIX = 'airflow-celery-';
const CELERY_QUEUE_NAME = /^airflow-celery-[A-Za-z0-9_-]{1,65}$/;

export type Partition = string;

/** Partition of a region, for ARNs built before any ARN of our own is known. */
export function partitionForRegion(region: string): Partition {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  if (region.startsWith('us-isob-')) return 'aws-iso-b';
  if (region.startsWith('us-iso-')) return 'aws-iso';
  if (region.startsWith('eu-isoe-')) return 'aws-iso-e';
  return 'aws';
}

/** Partition from an ARN such as the Lambda's invokedFunctionArn; undefined when it is not an ARN. */
export function partitionOfArn(arn: string | undefined): Partition | undefined {
  const match = /^arn:(aws[a-z-]*):/.exec(arn ?? '');
  return match?.[1];
}

export function reconcileRoleArn(partition: Partition, account: string, roleName: string): string {
  return `arn:${partition}:iam::${account}:role/${roleName}`;
}

export interface QueueArn {
  readonly partition: string;
  readonly region: string;
  readonly account: string;
  readonly name: string;
}

/** Parses `arn:<partition>:sqs:<region>:<account>:<name>`; undefined when it is anything else. */
export function parseSqsArn(arn: string): QueueArn | undefined {
  const match = /^arn:(aws[a-z-]*):sqs:([a-z0-9-]+):(\d{12}):([^:*?/]+)$/.exec(arn);
  if (!match) return undefined;
  const [, partition, region, account, name] = match;
  return { partition: partition!, region: region!, account: account!, name: name! };
}

export function isCeleryQueueName(name: string): boolean {
  return CELERY_QUEUE_NAME.test(name);
}

/**
 * Endpoint services MWAA publishes are VPC endpoint services of the environment's region:
 * `com.amazonaws.vpce.<region>.vpce-svc-<hex>` (the China partition prefixes `cn.`).
 */
export function isVpcEndpointServiceOfRegion(serviceName: string, region: string): boolean {
  const match = /^(?:cn\.)?com\.amazonaws\.vpce\.([a-z0-9-]+)\.vpce-svc-[0-9a-f]{8,17}$/.exec(serviceName);
  return match !== null && match[1] === region;
}

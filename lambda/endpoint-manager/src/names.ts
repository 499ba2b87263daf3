/**
 * Identifier formats and ARN helpers shared by validation, policy and decisions.
 * Pure: no SDK imports, so the decision modules stay testable without AWS.
 */

export {
  ACCOUNT_ID,
  ENVIRONMENT_NAME,
  REGION,
  ROLE_NAME,
  SECURITY_GROUP_ID,
  SUBNET_ID,
  VPC_ENDPOINT_ID,
  VPC_ID,
  partitionOf,
  partitionOfArn,
  type Partition,
} from '../../../contracts/aws';
export { reconcileRoleArn } from '../../../contracts/endpoint-manager';
import { CELERY_QUEUE_PREFIX } from '../../../contracts/sqs-endpoint-policy';

/** Celery queues MWAA creates are named `airflow-celery-<suffix>`; SQS names are at most 80 characters. */
const CELERY_QUEUE_NAME = new RegExp(`^${CELERY_QUEUE_PREFIX}[A-Za-z0-9_-]{1,65}$`);

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

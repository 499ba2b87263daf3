/**
 * The SQS interface endpoint policy that lists the Celery queues MWAA environments may use. The owner stack
 * writes the initial (empty) document, the capacity check sizes the worst case, and the endpoint manager
 * keeps it; all three must produce byte-identical documents, so the format lives here.
 *
 * Managed form: {"Version":"2012-10-17","Statement":[{"Sid":"AllowRegisteredCeleryQueues","Effect":"Allow",
 *   "Principal":"*","Action":"sqs:*","Resource":[<sorted entries>]}]}
 * An Allow statement cannot have an empty Resource, so the empty list is a single placeholder queue in
 * account 000000000000, which does not exist: the policy allows nothing.
 */
import { IAM_POLICY_VERSION, type PolicyDocument } from './iam-policy';

export const SQS_ENDPOINT_POLICY_SID = 'AllowRegisteredCeleryQueues';
/** Maximum size of a VPC endpoint policy, in characters. */
export const POLICY_SIZE_LIMIT = 20480;
export const PLACEHOLDER_ACCOUNT = '000000000000';
export const PLACEHOLDER_QUEUE_NAME = 'none';
/** Celery queues MWAA creates are named `airflow-celery-<suffix>`. */
export const CELERY_QUEUE_PREFIX = 'airflow-celery-';
/** SQS queue names are at most 80 characters. */
export const MAX_QUEUE_NAME_LENGTH = 80;

export interface PolicyScope {
  readonly region: string;
  readonly partition: string;
}

export function placeholderQueueArn(scope: PolicyScope): string {
  return `arn:${scope.partition}:sqs:${scope.region}:${PLACEHOLDER_ACCOUNT}:${PLACEHOLDER_QUEUE_NAME}`;
}

export function celeryWildcardArn(scope: PolicyScope, queueOwnerAccount: string): string {
  return `arn:${scope.partition}:sqs:${scope.region}:${queueOwnerAccount}:${CELERY_QUEUE_PREFIX}*`;
}

/** Serializes entries (deduplicated, sorted, placeholder when empty) into the managed form. */
export function serializeSqsEndpointPolicy(resources: Iterable<string>, scope: PolicyScope): string {
  const sorted = [...new Set(resources)].sort();
  const document: PolicyDocument = {
    Version: IAM_POLICY_VERSION,
    Statement: [
      {
        Sid: SQS_ENDPOINT_POLICY_SID,
        Effect: 'Allow',
        Principal: '*',
        Action: 'sqs:*',
        Resource: sorted.length > 0 ? sorted : [placeholderQueueArn(scope)],
      },
    ],
  };
  return JSON.stringify(document);
}

/** The document the owner stack gives the SQS endpoint initially: it allows no queue. */
export function initialSqsEndpointPolicy(scope: PolicyScope): string {
  return serializeSqsEndpointPolicy([], scope);
}

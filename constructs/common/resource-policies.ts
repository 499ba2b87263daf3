/** Policies several constructs share, so one definition decides what "TLS only" and "trusted by a service" mean everywhere. */
import { policyJson, type PolicyStatement } from './policy-document';

/** Denies every request to the resources that is not made over TLS. */
export function denyInsecureTransport(actions: string, resources: string | readonly string[]): PolicyStatement {
  return {
    Sid: 'DenyInsecureTransport',
    Effect: 'Deny',
    Principal: '*',
    Action: actions,
    Resource: typeof resources === 'string' ? resources : [...resources],
    Condition: { Bool: { 'aws:SecureTransport': 'false' } },
  };
}

/** Bucket policy of every bucket the platform creates: TLS only. */
export function tlsOnlyBucketPolicy(bucketArn: string): string {
  return policyJson([denyInsecureTransport('s3:*', [bucketArn, `${bucketArn}/*`])]);
}

/** Queue policy of an EventBridge dead-letter queue: only the given rules may write to it, over TLS. */
export function eventBridgeDeadLetterPolicy(queueArn: string, ruleArns: string | readonly string[]): string {
  return policyJson([
    {
      Sid: 'EventBridgeDeadLetters',
      Effect: 'Allow',
      Principal: { Service: 'events.amazonaws.com' },
      Action: 'sqs:SendMessage',
      Resource: queueArn,
      Condition: { ArnEquals: { 'aws:SourceArn': typeof ruleArns === 'string' ? ruleArns : [...ruleArns] } },
    },
    denyInsecureTransport('sqs:*', queueArn),
  ]);
}

export interface ServiceTrust {
  /** The service principal(s) that may assume the role, e.g. `lambda.amazonaws.com`. */
  readonly service: string | readonly string[];
  /**
   * The trust's actions.
   * @default 'sts:AssumeRole'
   */
  readonly actions?: string | readonly string[];
  /**
   * Confused-deputy guard: only requests the service makes for a resource of this account (`aws:SourceAccount`).
   * @default no account condition (only where the service sets no source keys, as EC2 for instance roles)
   */
  readonly sourceAccount?: string;
  /**
   * Confused-deputy guard: only for this resource (`aws:SourceArn`); known before it exists because we name it,
   * or a wildcard pattern when its id is the service's (flow logs).
   * @default no ARN condition
   */
  readonly sourceArn?: string;
  /**
   * Operator of the `aws:SourceArn` condition: `ArnLike` matches exact ARNs and patterns; `StringEquals` only the
   * exact ARN (kept where a trust was written that way, since changing it is a policy update for nothing).
   * @default 'ArnLike'
   */
  readonly sourceArnOperator?: 'ArnLike' | 'StringEquals';
}

/**
 * Trust policy of a role an AWS service assumes, with the `aws:SourceAccount`/`aws:SourceArn` guards the IAM user
 * guide recommends against the cross-service confused deputy.
 */
export function serviceTrustPolicy(trust: ServiceTrust): string {
  const services = typeof trust.service === 'string' ? [trust.service] : trust.service;
  if (services.length === 0) throw new Error('serviceTrustPolicy: name at least one service principal');
  const operator = trust.sourceArnOperator ?? 'ArnLike';
  const condition: Record<string, Record<string, string>> = {};
  if (trust.sourceAccount !== undefined) condition.StringEquals = { 'aws:SourceAccount': trust.sourceAccount };
  if (trust.sourceArn !== undefined) condition[operator] = { ...condition[operator], 'aws:SourceArn': trust.sourceArn };
  const actions = trust.actions ?? 'sts:AssumeRole';
  return policyJson([
    {
      Effect: 'Allow',
      Principal: { Service: typeof trust.service === 'string' ? trust.service : [...services] },
      Action: typeof actions === 'string' ? actions : [...actions],
      ...(Object.keys(condition).length > 0 ? { Condition: condition } : {}),
    },
  ]);
}

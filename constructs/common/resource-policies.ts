/** Resource policies several constructs share, so one definition decides what "TLS only" means everywhere. */

/** Denies every request to the resources that is not made over TLS. */
export function denyInsecureTransport(actions: string, resources: string | readonly string[]) {
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
  return JSON.stringify({ Version: '2012-10-17', Statement: [denyInsecureTransport('s3:*', [bucketArn, `${bucketArn}/*`])] });
}

/** Queue policy of an EventBridge dead-letter queue: only the given rules may write to it, over TLS. */
export function eventBridgeDeadLetterPolicy(queueArn: string, ruleArns: string | readonly string[]): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'EventBridgeDeadLetters',
        Effect: 'Allow',
        Principal: { Service: 'events.amazonaws.com' },
        Action: 'sqs:SendMessage',
        Resource: queueArn,
        Condition: { ArnEquals: { 'aws:SourceArn': typeof ruleArns === 'string' ? ruleArns : [...ruleArns] } },
      },
      denyInsecureTransport('sqs:*', queueArn),
    ],
  });
}

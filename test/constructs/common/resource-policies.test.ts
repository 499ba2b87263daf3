import {
  denyInsecureTransport,
  eventBridgeDeadLetterPolicy,
  serviceTrustPolicy,
  tlsOnlyBucketPolicy,
} from '../../../constructs/common/resource-policies';

describe('serviceTrustPolicy', () => {
  it('defaults: sts:AssumeRole for one service, no condition', () => {
    expect(JSON.parse(serviceTrustPolicy({ service: 'ec2.amazonaws.com' }))).toEqual({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }],
    });
  });

  it('guards against the confused deputy: source account by StringEquals, source ARN by ArnLike', () => {
    const policy = serviceTrustPolicy({
      service: 'lambda.amazonaws.com',
      sourceAccount: '123456789012',
      sourceArn: 'arn:aws:lambda:eu-west-1:123456789012:function:f',
    });
    // Literal, key order included: the synthesized trust policies must not change by being built here.
    expect(policy).toBe(
      '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole",' +
        '"Condition":{"StringEquals":{"aws:SourceAccount":"123456789012"},"ArnLike":{"aws:SourceArn":"arn:aws:lambda:eu-west-1:123456789012:function:f"}}}]}',
    );
  });

  it('puts an exact source ARN under StringEquals beside the account when asked', () => {
    const statement = JSON.parse(
      serviceTrustPolicy({
        service: 'events.amazonaws.com',
        sourceAccount: '123456789012',
        sourceArn: 'arn:aws:events:eu-west-1:123456789012:rule/r',
        sourceArnOperator: 'StringEquals',
      }),
    ).Statement[0];
    expect(statement.Condition).toEqual({
      StringEquals: { 'aws:SourceAccount': '123456789012', 'aws:SourceArn': 'arn:aws:events:eu-west-1:123456789012:rule/r' },
    });
  });

  it('takes several services and several actions as lists', () => {
    const statement = JSON.parse(
      serviceTrustPolicy({
        service: ['airflow.amazonaws.com', 'airflow-env.amazonaws.com'],
        actions: ['sts:AssumeRole', 'sts:TagSession'],
        sourceAccount: '123456789012',
      }),
    ).Statement[0];
    expect(statement.Principal).toEqual({ Service: ['airflow.amazonaws.com', 'airflow-env.amazonaws.com'] });
    expect(statement.Action).toEqual(['sts:AssumeRole', 'sts:TagSession']);
    expect(statement.Condition).toEqual({ StringEquals: { 'aws:SourceAccount': '123456789012' } });
  });

  it('refuses an empty service list', () => {
    expect(() => serviceTrustPolicy({ service: [] })).toThrow('serviceTrustPolicy: name at least one service principal');
  });
});

describe('TLS-only and dead-letter policies', () => {
  it('denies non-TLS requests to a bucket and its objects', () => {
    expect(JSON.parse(tlsOnlyBucketPolicy('arn:aws:s3:::b')).Statement).toEqual([
      {
        Sid: 'DenyInsecureTransport',
        Effect: 'Deny',
        Principal: '*',
        Action: 's3:*',
        Resource: ['arn:aws:s3:::b', 'arn:aws:s3:::b/*'],
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      },
    ]);
    expect(denyInsecureTransport('sqs:*', 'arn:aws:sqs:eu-west-1:123456789012:q').Resource).toBe('arn:aws:sqs:eu-west-1:123456789012:q');
  });

  it('lets only the named rules send to a dead-letter queue', () => {
    const [allow, deny] = JSON.parse(
      eventBridgeDeadLetterPolicy('arn:aws:sqs:eu-west-1:123456789012:dlq', ['arn:aws:events:eu-west-1:123456789012:rule/a']),
    ).Statement;
    expect(allow).toEqual({
      Sid: 'EventBridgeDeadLetters',
      Effect: 'Allow',
      Principal: { Service: 'events.amazonaws.com' },
      Action: 'sqs:SendMessage',
      Resource: 'arn:aws:sqs:eu-west-1:123456789012:dlq',
      Condition: { ArnEquals: { 'aws:SourceArn': ['arn:aws:events:eu-west-1:123456789012:rule/a'] } },
    });
    expect(deny.Sid).toBe('DenyInsecureTransport');
  });
});

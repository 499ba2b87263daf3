import { stack, type RuleCases } from '../harness';

const doc = (...Statement: object[]) => JSON.stringify({ Version: '2012-10-17', Statement });
const sqsEndpoint = (over: Record<string, unknown> = {}) => ({
  aws_vpc_endpoint: {
    sqs: {
      vpc_id: '${aws_vpc.shared.id}',
      service_name: 'com.amazonaws.${data.aws_region.current.name}.sqs',
      vpc_endpoint_type: 'Interface',
      policy: doc({
        Sid: 'Celery',
        Effect: 'Allow',
        Principal: '*',
        Action: 'sqs:*',
        Resource: ['arn:aws:sqs:eu-west-1:222222222222:airflow-celery-abc'],
      }),
      lifecycle: { ignore_changes: ['policy'] },
      ...over,
    },
  },
});
const S = 'aws_vpc_endpoint.sqs';

export const cases: RuleCases[] = [
  {
    rule: 'SQS_ENDPOINT_POLICY',
    compliant: [
      { name: 'queues listed', stack: stack(sqsEndpoint()) },
      {
        name: 'other services are out of scope',
        stack: stack({ aws_vpc_endpoint: { logs: { service_name: 'com.amazonaws.eu-west-1.logs' } } }),
      },
      {
        name: 'policy in a separate aws_vpc_endpoint_policy',
        stack: stack({
          ...sqsEndpoint({ policy: undefined }),
          aws_vpc_endpoint_policy: {
            p: {
              vpc_endpoint_id: '${aws_vpc_endpoint.sqs.id}',
              policy: doc({ Effect: 'Allow', Principal: '*', Action: 'sqs:*', Resource: 'arn:aws:sqs:eu-west-1:1:airflow-celery-x' }),
            },
          },
        }),
      },
    ],
    noncompliant: [
      {
        name: 'no policy (AWS full-access default)',
        stack: stack(sqsEndpoint({ policy: undefined })),
        resource: S,
        expect: /default policy allows every queue/,
      },
      {
        name: 'Resource "*"',
        stack: stack(sqsEndpoint({ policy: doc({ Effect: 'Allow', Principal: '*', Action: 'sqs:*', Resource: '*' }) })),
        resource: S,
        expect: /allows any queue/,
      },
      {
        name: 'arn wildcard for every queue',
        stack: stack(
          sqsEndpoint({ policy: doc({ Effect: 'Allow', Principal: '*', Action: 'sqs:SendMessage', Resource: 'arn:aws:sqs:*:*:*' }) }),
        ),
        resource: S,
        expect: /arn:aws:sqs:\*:\*:\*/,
      },
    ],
  },
  {
    rule: 'CKV_AWS_27',
    compliant: [
      {
        name: 'SSE-SQS DLQ',
        stack: stack({ aws_sqs_queue: { dlq: { name: 'mwaa-endpoint-manager-dlq', sqs_managed_sse_enabled: true } } }),
      },
      { name: 'KMS queue', stack: stack({ aws_sqs_queue: { dlq: { kms_master_key_id: '${aws_kms_key.k.arn}' } } }) },
    ],
    noncompliant: [
      {
        name: 'unencrypted DLQ',
        stack: stack({ aws_sqs_queue: { dlq: { name: 'dlq' } } }),
        resource: 'aws_sqs_queue.dlq',
        expect: /neither kms_master_key_id nor sqs_managed_sse_enabled/,
      },
    ],
  },
];

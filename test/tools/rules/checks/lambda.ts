import { stack, type RuleCases } from '../harness';

const fn = (over: Record<string, unknown> = {}) => ({
  aws_lambda_function: {
    endpoint_manager: {
      function_name: 'mwaa-endpoint-manager',
      role: '${aws_iam_role.lambda.arn}',
      dead_letter_config: { target_arn: '${aws_sqs_queue.dlq.arn}' },
      reserved_concurrent_executions: 1,
      tracing_config: { mode: 'Active' },
      ...over,
    },
  },
});
const L = 'aws_lambda_function.endpoint_manager';

export const cases: RuleCases[] = [
  {
    rule: 'CKV_AWS_116',
    compliant: [
      { name: 'dead_letter_config set', stack: stack(fn()) },
      {
        name: 'on-failure destination via event invoke config',
        stack: stack({
          ...fn({ dead_letter_config: undefined }),
          aws_lambda_function_event_invoke_config: {
            c: {
              function_name: '${aws_lambda_function.endpoint_manager.function_name}',
              destination_config: { on_failure: { destination: '${aws_sqs_queue.dlq.arn}' } },
            },
          },
        }),
      },
    ],
    noncompliant: [{ name: 'no DLQ', stack: stack(fn({ dead_letter_config: undefined })), resource: L, expect: /no dead_letter_config/ }],
  },
  {
    rule: 'CKV_AWS_115',
    compliant: [{ name: 'reserved concurrency 1', stack: stack(fn()) }],
    noncompliant: [
      { name: 'unset', stack: stack(fn({ reserved_concurrent_executions: undefined })), resource: L, expect: /not set/ },
      { name: '-1', stack: stack(fn({ reserved_concurrent_executions: -1 })), resource: L, expect: /-1/ },
    ],
  },
  {
    rule: 'CKV_AWS_50',
    compliant: [{ name: 'Active tracing', stack: stack(fn()) }],
    noncompliant: [
      {
        name: 'PassThrough',
        stack: stack(fn({ tracing_config: { mode: 'PassThrough' } })),
        resource: L,
        expect: /PassThrough, not Active/,
      },
      { name: 'unset', stack: stack(fn({ tracing_config: undefined })), resource: L, expect: /unset/ },
    ],
  },
];

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

const cluster = (over: Record<string, unknown> = {}) => ({
  aws_eks_cluster: {
    eks: {
      name: 'mwaa-marketing-eks',
      encryption_config: { resources: ['secrets'], provider: { key_arn: '${aws_kms_key.eks.arn}' } },
      vpc_config: { subnet_ids: ['subnet-1'], endpoint_private_access: true, endpoint_public_access: false },
      enabled_cluster_log_types: ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'],
      ...over,
    },
  },
});
const E = 'aws_eks_cluster.eks';

const logging = (over: Record<string, unknown> = {}) => ({
  dag_processing_logs: { enabled: true, log_level: 'INFO' },
  scheduler_logs: { enabled: true, log_level: 'INFO' },
  task_logs: { enabled: true, log_level: 'INFO' },
  webserver_logs: { enabled: true, log_level: 'INFO' },
  worker_logs: { enabled: true, log_level: 'INFO' },
  ...over,
});
const mwaa = (over: Record<string, unknown> = {}) => ({
  aws_mwaa_environment: { env: { name: 'marketing', webserver_access_mode: 'PRIVATE_ONLY', logging_configuration: logging(), ...over } },
});
const M = 'aws_mwaa_environment.env';

const mwaaLog = (rule: string, module: string): RuleCases => ({
  rule,
  compliant: [{ name: `${module} enabled`, stack: stack(mwaa()) }],
  noncompliant: [
    {
      name: `${module} disabled`,
      stack: stack(mwaa({ logging_configuration: logging({ [module]: { enabled: false } }) })),
      resource: M,
      expect: new RegExp(module),
    },
    {
      name: 'no logging_configuration',
      stack: stack(mwaa({ logging_configuration: undefined })),
      resource: M,
      expect: new RegExp(`${module}.enabled is not true`),
    },
  ],
});

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
  {
    rule: 'CKV_AWS_58',
    compliant: [{ name: 'secrets encrypted with KMS', stack: stack(cluster()) }],
    noncompliant: [
      {
        name: 'no encryption_config',
        stack: stack(cluster({ encryption_config: undefined })),
        resource: E,
        expect: /no encryption_config/,
      },
      {
        name: 'wrong resources',
        stack: stack(cluster({ encryption_config: [{ resources: ['configmaps'], provider: [{ key_arn: 'k' }] }] })),
        resource: E,
        expect: /secrets/,
      },
    ],
  },
  {
    rule: 'CKV_AWS_39',
    compliant: [{ name: 'private only', stack: stack(cluster()) }],
    noncompliant: [
      {
        name: 'public endpoint',
        stack: stack(cluster({ vpc_config: { endpoint_public_access: true, endpoint_private_access: true } })),
        resource: E,
        expect: /endpoint_public_access is not false/,
      },
      {
        name: 'provider defaults',
        stack: stack(cluster({ vpc_config: { subnet_ids: ['s'] } })),
        resource: E,
        expect: /endpoint_private_access is not true/,
      },
    ],
  },
  {
    rule: 'CKV_AWS_37',
    compliant: [{ name: 'all five log types', stack: stack(cluster()) }],
    noncompliant: [
      {
        name: 'only api and audit',
        stack: stack(cluster({ enabled_cluster_log_types: ['api', 'audit'] })),
        resource: E,
        expect: /missing authenticator, controllerManager, scheduler/,
      },
    ],
  },
  mwaaLog('CKV_AWS_242', 'scheduler_logs'),
  mwaaLog('CKV_AWS_243', 'worker_logs'),
  mwaaLog('CKV_AWS_244', 'webserver_logs'),
  {
    rule: 'MWAA_PRIVATE_WEBSERVER',
    compliant: [
      { name: 'PRIVATE_ONLY', stack: stack(mwaa()) },
      { name: 'mode omitted (service default is private)', stack: stack(mwaa({ webserver_access_mode: undefined })) },
      {
        name: 'PUBLIC_ONLY on a platform that allows it',
        stack: stack(mwaa({ webserver_access_mode: 'PUBLIC_ONLY' })),
        settings: { allowPublicWebserver: true },
      },
    ],
    noncompliant: [
      // Default settings are strict: allowPublicWebserver=false.
      {
        name: 'PUBLIC_ONLY on a platform that does not allow it',
        stack: stack(mwaa({ webserver_access_mode: 'PUBLIC_ONLY' })),
        resource: M,
        expect: /PUBLIC_ONLY but platform\.yaml mwaa\.allowPublicWebserver is false/,
      },
      {
        name: 'a tag cannot approve it',
        stack: stack(mwaa({ webserver_access_mode: 'PUBLIC_ONLY', tags: { WebserverAccess: 'public-approved' } })),
        resource: M,
        expect: /PUBLIC_ONLY/,
      },
    ],
  },
  {
    rule: 'CKV_AWS_79',
    compliant: [
      {
        name: 'launch template requires tokens',
        stack: stack({ aws_launch_template: { lt: { metadata_options: { http_tokens: 'required', http_put_response_hop_limit: 1 } } } }),
      },
      {
        name: 'node group with a launch template',
        stack: stack({
          aws_eks_node_group: { ng: { cluster_name: 'c', launch_template: { id: '${aws_launch_template.lt.id}', version: '$Latest' } } },
        }),
      },
    ],
    noncompliant: [
      {
        name: 'optional tokens',
        stack: stack({ aws_launch_template: { lt: { metadata_options: { http_tokens: 'optional' } } } }),
        resource: 'aws_launch_template.lt',
        expect: /optional, not required/,
      },
      {
        name: 'instance without metadata_options',
        stack: stack({ aws_instance: { i: { ami: 'ami-1' } } }),
        resource: 'aws_instance.i',
        expect: /unset/,
      },
      {
        name: 'node group without launch template',
        stack: stack({ aws_eks_node_group: { ng: { cluster_name: 'c' } } }),
        resource: 'aws_eks_node_group.ng',
        expect: /IMDSv1/,
      },
    ],
  },
];

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
const busPolicy = (s: object) => ({
  aws_cloudwatch_event_bus_policy: { p: { event_bus_name: '${aws_cloudwatch_event_bus.bus.name}', policy: doc(s) } },
});

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
    rule: 'SG_NO_WORLD_INGRESS',
    compliant: [
      {
        name: 'inline ingress from VPC CIDR and egress anywhere',
        stack: stack({
          aws_security_group: {
            sg: {
              ingress: [{ from_port: 443, to_port: 443, protocol: 'tcp', cidr_blocks: ['10.0.0.0/16'] }],
              egress: [{ from_port: 0, to_port: 0, protocol: '-1', cidr_blocks: ['0.0.0.0/0'] }],
            },
          },
        }),
      },
      {
        name: 'standalone ingress from a security group',
        stack: stack({
          aws_vpc_security_group_ingress_rule: {
            r: {
              security_group_id: 'sg-1',
              referenced_security_group_id: '${aws_security_group.sg.id}',
              ip_protocol: 'tcp',
              from_port: 443,
              to_port: 443,
            },
          },
        }),
      },
      {
        name: 'egress-type security_group_rule to 0.0.0.0/0',
        stack: stack({
          aws_security_group_rule: { r: { type: 'egress', cidr_blocks: ['0.0.0.0/0'], protocol: '-1', from_port: 0, to_port: 0 } },
        }),
      },
    ],
    noncompliant: [
      {
        name: 'inline ingress 0.0.0.0/0',
        stack: stack({
          aws_security_group: { sg: { ingress: { from_port: 22, to_port: 22, protocol: 'tcp', cidr_blocks: ['0.0.0.0/0'] } } },
        }),
        resource: 'aws_security_group.sg',
        expect: /port 22.*0\.0\.0\.0\/0/,
      },
      {
        name: 'ingress rule ::/0',
        stack: stack({ aws_vpc_security_group_ingress_rule: { r: { cidr_ipv6: '::/0', ip_protocol: '-1' } } }),
        resource: 'aws_vpc_security_group_ingress_rule.r',
        expect: /::\/0/,
      },
      {
        name: 'security_group_rule ingress',
        stack: stack({
          aws_security_group_rule: { r: { type: 'ingress', cidr_blocks: ['0.0.0.0/0'], protocol: 'tcp', from_port: 443, to_port: 443 } },
        }),
        resource: 'aws_security_group_rule.r',
        expect: /0\.0\.0\.0\/0/,
      },
    ],
  },
  {
    rule: 'EVENTBRIDGE_BUS_POLICY',
    compliant: [
      {
        name: 'org-conditioned "*"',
        stack: stack(
          busPolicy({
            Effect: 'Allow',
            Principal: '*',
            Action: 'events:PutEvents',
            Resource: '*',
            Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-1' } },
          }),
        ),
      },
      {
        name: 'named accounts',
        stack: stack(
          busPolicy({ Effect: 'Allow', Principal: { AWS: ['arn:aws:iam::222222222222:root'] }, Action: 'events:PutEvents', Resource: '*' }),
        ),
      },
      {
        name: 'permission with condition',
        stack: stack({
          aws_cloudwatch_event_permission: {
            p: { principal: '*', statement_id: 'org', condition: { key: 'aws:PrincipalOrgID', type: 'StringEquals', value: 'o-1' } },
          },
        }),
      },
    ],
    noncompliant: [
      {
        name: 'open bus policy',
        stack: stack(busPolicy({ Effect: 'Allow', Principal: '*', Action: 'events:PutEvents', Resource: '*' })),
        resource: 'aws_cloudwatch_event_bus_policy.p',
        expect: /Principal "\*" without a condition/,
      },
      {
        name: 'open permission',
        stack: stack({ aws_cloudwatch_event_permission: { p: { principal: '*', statement_id: 'all' } } }),
        resource: 'aws_cloudwatch_event_permission.p',
        expect: /principal "\*"/,
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
  {
    rule: 'CKV_AWS_66',
    compliant: [
      { name: '30 days', stack: stack({ aws_cloudwatch_log_group: { lg: { name: '/aws/lambda/x', retention_in_days: 30 } } }) },
      { name: 'from a variable', stack: stack({ aws_cloudwatch_log_group: { lg: { retention_in_days: '${var.retention}' } } }) },
    ],
    noncompliant: [
      {
        name: 'unset',
        stack: stack({ aws_cloudwatch_log_group: { lg: { name: '/aws/lambda/x' } } }),
        resource: 'aws_cloudwatch_log_group.lg',
        expect: /never expire/,
      },
      {
        name: 'zero (never expire)',
        stack: stack({ aws_cloudwatch_log_group: { lg: { retention_in_days: 0 } } }),
        resource: 'aws_cloudwatch_log_group.lg',
        expect: /never expire/,
      },
    ],
  },
  {
    rule: 'CKV_AWS_7',
    compliant: [
      { name: 'rotation on', stack: stack({ aws_kms_key: { k: { enable_key_rotation: true } } }) },
      {
        name: 'asymmetric key cannot rotate',
        stack: stack({ aws_kms_key: { k: { customer_master_key_spec: 'RSA_2048', key_usage: 'SIGN_VERIFY' } } }),
      },
    ],
    noncompliant: [
      {
        name: 'rotation unset',
        stack: stack({ aws_kms_key: { k: { description: 'dags' } } }),
        resource: 'aws_kms_key.k',
        expect: /enable_key_rotation is not true/,
      },
      {
        name: 'rotation "false"',
        stack: stack({ aws_kms_key: { k: { enable_key_rotation: 'false' } } }),
        resource: 'aws_kms_key.k',
        expect: /enable_key_rotation/,
      },
    ],
  },
];

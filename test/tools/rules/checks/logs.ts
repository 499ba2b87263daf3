import { stack, type RuleCases } from '../harness';

export const cases: RuleCases[] = [
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
];

import type { Rule } from '../../types';

export const rule: Rule = {
  id: 'CKV_AWS_115',
  service: 'lambda',
  checkovId: 'CKV_AWS_115',
  title: 'Lambda function has a function-level concurrency limit',
  details: 'reserved concurrency set (not `-1`)',
  severity: 'LOW',
  appliesTo: ['aws_lambda_function'],
  check(r) {
    const v = r.props.reserved_concurrent_executions;
    if (v === undefined || v === null) return ['reserved_concurrent_executions is not set'];
    return Number(v) === -1 ? ['reserved_concurrent_executions is -1 (unreserved)'] : [];
  },
};

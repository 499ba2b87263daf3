import { isToken } from '../../helpers';
import type { Rule } from '../../types';

export const rule: Rule = {
  id: 'CKV_AWS_66',
  service: 'logs',
  checkovId: 'CKV_AWS_66',
  title: 'CloudWatch log group has a retention period',
  details: 'a retention is set',
  severity: 'LOW',
  appliesTo: ['aws_cloudwatch_log_group'],
  check(r) {
    const v = r.props.retention_in_days;
    if (isToken(v)) return [];
    return v === undefined || v === null || Number(v) <= 0 ? ['retention_in_days is not set (logs never expire)'] : [];
  },
};

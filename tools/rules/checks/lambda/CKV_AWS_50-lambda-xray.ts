import { first } from '../../helpers';
import type { Rule } from '../../types';

export const rule: Rule = {
  id: 'CKV_AWS_50',
  service: 'lambda',
  checkovId: 'CKV_AWS_50',
  title: 'Lambda function has X-Ray active tracing',
  details: 'tracing mode `Active`',
  severity: 'LOW',
  appliesTo: ['aws_lambda_function'],
  check(r) {
    const mode = first(r.props.tracing_config)?.mode;
    return mode === 'Active' ? [] : [`tracing_config.mode is ${mode === undefined ? 'unset' : String(mode)}, not Active`];
  },
};

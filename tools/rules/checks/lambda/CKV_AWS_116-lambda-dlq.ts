import { first, nested } from '../../helpers';
import type { Rule } from '../../types';

/** A dead-letter queue, or an on-failure destination of an async invoke config, keeps failed events. */
export const rule: Rule = {
  id: 'CKV_AWS_116',
  service: 'lambda',
  checkovId: 'CKV_AWS_116',
  title: 'Lambda function has a dead-letter queue',
  details: 'a dead-letter queue or an on-failure destination',
  severity: 'MEDIUM',
  appliesTo: ['aws_lambda_function'],
  check(r, ctx) {
    if (first(r.props.dead_letter_config)?.target_arn) return [];
    const onFailure = ctx
      .referencing('aws_lambda_function_event_invoke_config', 'function_name', r)
      .some((c) => nested(c.props.destination_config).some((d) => first(d.on_failure)?.destination));
    return onFailure ? [] : ['no dead_letter_config.target_arn and no on-failure destination'];
  },
};

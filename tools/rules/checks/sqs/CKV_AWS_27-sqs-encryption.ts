import { isTrue } from '../../helpers';
import type { Rule } from '../../types';

/** Applies to every queue, including the endpoint manager's DLQ: failed events carry policy and account data. */
export const rule: Rule = {
  id: 'CKV_AWS_27',
  service: 'sqs',
  checkovId: 'CKV_AWS_27',
  title: 'SQS queue (including DLQs) is encrypted',
  details: 'KMS or SSE-SQS, dead-letter queues included',
  severity: 'MEDIUM',
  appliesTo: ['aws_sqs_queue'],
  check(r) {
    return r.props.kms_master_key_id || isTrue(r.props.sqs_managed_sse_enabled)
      ? []
      : ['neither kms_master_key_id nor sqs_managed_sse_enabled is set'];
  },
};

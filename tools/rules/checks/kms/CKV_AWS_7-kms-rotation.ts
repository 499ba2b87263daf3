import { isToken, isTrue } from '../../helpers';
import type { Rule } from '../../types';

/** Only symmetric encryption keys can rotate automatically; asymmetric and HMAC keys are out of scope. */
export const rule: Rule = {
  id: 'CKV_AWS_7',
  service: 'kms',
  checkovId: 'CKV_AWS_7',
  title: 'KMS key has rotation enabled',
  details: 'symmetric keys rotate',
  severity: 'MEDIUM',
  appliesTo: ['aws_kms_key'],
  check(r) {
    const spec = r.props.customer_master_key_spec ?? 'SYMMETRIC_DEFAULT';
    if (spec !== 'SYMMETRIC_DEFAULT') return [];
    return isTrue(r.props.enable_key_rotation) || isToken(r.props.enable_key_rotation) ? [] : ['enable_key_rotation is not true'];
  },
};

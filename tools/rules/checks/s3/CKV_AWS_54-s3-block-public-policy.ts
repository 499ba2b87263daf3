import { isToken, isTrue } from '../../helpers';
import type { Rule } from '../../types';

export const rule: Rule = {
  id: 'CKV_AWS_54',
  checkovId: 'CKV_AWS_54',
  title: 'S3 public access block: public bucket policies are blocked',
  severity: 'HIGH',
  appliesTo: ['aws_s3_bucket_public_access_block'],
  check(r) {
    const v = r.props.block_public_policy;
    return isTrue(v) || isToken(v) ? [] : ['block_public_policy is not true'];
  },
};

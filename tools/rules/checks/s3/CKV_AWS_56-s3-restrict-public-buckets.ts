import { isToken, isTrue } from '../../helpers';
import type { Rule } from '../../types';

export const rule: Rule = {
  id: 'CKV_AWS_56',
  checkovId: 'CKV_AWS_56',
  title: 'S3 public access block: public buckets are restricted',
  severity: 'HIGH',
  appliesTo: ['aws_s3_bucket_public_access_block'],
  check(r) {
    const v = r.props.restrict_public_buckets;
    return isTrue(v) || isToken(v) ? [] : ['restrict_public_buckets is not true'];
  },
};

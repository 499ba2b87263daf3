import { isToken, isTrue } from '../../helpers';
import type { Rule } from '../../types';

export const rule: Rule = {
  id: 'CKV_AWS_55',
  checkovId: 'CKV_AWS_55',
  title: 'S3 public access block: public ACLs are ignored',
  severity: 'HIGH',
  appliesTo: ['aws_s3_bucket_public_access_block'],
  check(r) {
    const v = r.props.ignore_public_acls;
    return isTrue(v) || isToken(v) ? [] : ['ignore_public_acls is not true'];
  },
};

import { isToken, isTrue } from '../../helpers';
import type { Rule } from '../../types';

export const rule: Rule = {
  id: 'CKV_AWS_53',
  checkovId: 'CKV_AWS_53',
  title: 'S3 public access block: public ACLs are blocked',
  severity: 'HIGH',
  appliesTo: ['aws_s3_bucket_public_access_block'],
  check(r) {
    const v = r.props.block_public_acls;
    return isTrue(v) || isToken(v) ? [] : ['block_public_acls is not true'];
  },
};

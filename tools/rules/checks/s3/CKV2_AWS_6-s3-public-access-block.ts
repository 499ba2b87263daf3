import { isTrue } from '../../helpers';
import type { Rule } from '../../types';
import { PUBLIC_ACCESS_BLOCK_FLAGS } from './public-access-block-flag';

/** Every bucket needs a public access block of its own (or a fully-enabled account-level one in the same stack). */
export const rule: Rule = {
  id: 'CKV2_AWS_6',
  service: 's3',
  checkovId: 'CKV2_AWS_6',
  title: 'S3 bucket has a public access block',
  details: 'its own `aws_s3_bucket_public_access_block`, or an account-level one with all four flags in the same stack',
  severity: 'HIGH',
  appliesTo: ['aws_s3_bucket'],
  check(r, ctx) {
    if (ctx.referencing('aws_s3_bucket_public_access_block', 'bucket', r).length) return [];
    const account = ctx.resources('aws_s3_account_public_access_block');
    if (account.some((a) => PUBLIC_ACCESS_BLOCK_FLAGS.every((f) => isTrue(a.props[f])))) return [];
    return ['no aws_s3_bucket_public_access_block references this bucket'];
  },
};

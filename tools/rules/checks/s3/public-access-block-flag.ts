import { isToken, isTrue } from '../../helpers';
import type { Rule } from '../../types';

/** The four settings of an S3 public access block; each is a Checkov rule of its own (CKV_AWS_53–56). */
export const PUBLIC_ACCESS_BLOCK_FLAGS = [
  'block_public_acls',
  'block_public_policy',
  'ignore_public_acls',
  'restrict_public_buckets',
] as const;

export type PublicAccessBlockFlag = (typeof PUBLIC_ACCESS_BLOCK_FLAGS)[number];

/** A rule that one flag of every `aws_s3_bucket_public_access_block` is true; a value Terraform computes is not guessed. */
export function publicAccessBlockFlagRule(id: string, flag: PublicAccessBlockFlag, title: string): Rule {
  return {
    id,
    service: 's3',
    checkovId: id,
    title,
    details: `\`${flag}\` is true on every \`aws_s3_bucket_public_access_block\``,
    severity: 'HIGH',
    appliesTo: ['aws_s3_bucket_public_access_block'],
    check(r) {
      const v = r.props[flag];
      return isTrue(v) || isToken(v) ? [] : [`${flag} is not true`];
    },
  };
}

import { publicAccessBlockFlagRule } from './public-access-block-flag';

export const rule = publicAccessBlockFlagRule(
  'CKV_AWS_54',
  'block_public_policy',
  'S3 public access block: public bucket policies are blocked',
);

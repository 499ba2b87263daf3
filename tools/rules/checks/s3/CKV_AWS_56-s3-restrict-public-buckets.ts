import { publicAccessBlockFlagRule } from './public-access-block-flag';

export const rule = publicAccessBlockFlagRule(
  'CKV_AWS_56',
  'restrict_public_buckets',
  'S3 public access block: public buckets are restricted',
);

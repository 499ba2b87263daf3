import { publicAccessBlockFlagRule } from './public-access-block-flag';

export const rule = publicAccessBlockFlagRule('CKV_AWS_55', 'ignore_public_acls', 'S3 public access block: public ACLs are ignored');

import { first, nested } from '../../helpers';
import type { Rule } from '../../types';

const KMS = ['aws:kms', 'aws:kms:dsse'];

/** Default encryption with KMS, from the bucket's own (legacy inline) config or a separate SSE configuration resource. */
export const rule: Rule = {
  id: 'CKV_AWS_145',
  service: 's3',
  checkovId: 'CKV_AWS_145',
  title: 'S3 bucket is encrypted with KMS by default',
  details: 'default encryption `aws:kms` (or `aws:kms:dsse`)',
  severity: 'HIGH',
  appliesTo: ['aws_s3_bucket'],
  check(r, ctx) {
    const configs = [
      ...nested(r.props.server_side_encryption_configuration),
      ...ctx.referencing('aws_s3_bucket_server_side_encryption_configuration', 'bucket', r).map((c) => c.props),
    ];
    if (!configs.length) return ['no server-side encryption configuration references this bucket'];
    const algos = configs.flatMap((c) => nested(c.rule).map((ru) => first(ru.apply_server_side_encryption_by_default)?.sse_algorithm));
    return algos.some((a) => typeof a === 'string' && KMS.includes(a))
      ? []
      : [`default encryption is ${algos.map(String).join(', ') || 'unset'}, not aws:kms`];
  },
};

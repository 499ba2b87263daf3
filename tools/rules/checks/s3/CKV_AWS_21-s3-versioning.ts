import { first, isToken, isTrue } from '../../helpers';
import type { Rule } from '../../types';

/** MWAA requires versioning on the DAG bucket; it is also the undo for a bad DAG upload. */
export const rule: Rule = {
  id: 'CKV_AWS_21',
  service: 's3',
  checkovId: 'CKV_AWS_21',
  title: 'S3 bucket has versioning enabled',
  details: 'versioning `Enabled`',
  severity: 'MEDIUM',
  appliesTo: ['aws_s3_bucket'],
  check(r, ctx) {
    if (isTrue(first(r.props.versioning)?.enabled)) return [];
    const v = ctx.referencing('aws_s3_bucket_versioning', 'bucket', r);
    const status = v.map((x) => first(x.props.versioning_configuration)?.status);
    if (status.some((s) => s === 'Enabled' || isToken(s))) return [];
    return [v.length ? `versioning status is ${status.map(String).join(', ')}` : 'no aws_s3_bucket_versioning references this bucket'];
  },
};

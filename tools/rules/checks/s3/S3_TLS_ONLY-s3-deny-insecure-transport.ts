import type { NormalizedStatement, Rule } from '../../types';

const deniesHttp = (s: NormalizedStatement): boolean =>
  s.effect === 'Deny' &&
  !!s.principals?.some((p) => p.identifiers.includes('*')) &&
  !!s.actions?.some((a) => a === '*' || a === 's3:*') &&
  s.conditions.some(
    (c) => /^Bool(IfExists)?$/.test(c.test) && c.variable.toLowerCase() === 'aws:securetransport' && c.values.includes('false'),
  );

/** Bucket policy must deny any request with aws:SecureTransport=false (mirrors AWS Security Hub S3.5). */
export const rule: Rule = {
  id: 'S3_TLS_ONLY',
  service: 's3',
  title: 'S3 bucket policy denies non-TLS requests',
  details: 'the bucket policy denies `s3:*` for `*` when `aws:SecureTransport` is `false`',
  severity: 'MEDIUM',
  appliesTo: ['aws_s3_bucket'],
  check(r, ctx) {
    const policies = [r.props.policy, ...ctx.referencing('aws_s3_bucket_policy', 'bucket', r).map((p) => p.props.policy)]
      .map((p) => ctx.policy(p))
      .filter((p) => p !== undefined);
    if (policies.includes('unresolved')) return []; // cannot see the statements; do not guess
    if (policies.some((p) => p !== 'unresolved' && p.statements.some(deniesHttp))) return [];
    return [policies.length ? 'bucket policy has no Deny on aws:SecureTransport=false' : 'no bucket policy denies non-TLS requests'];
  },
};

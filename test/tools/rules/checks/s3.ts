import { stack, type RuleCases } from '../harness';

const bucket = {
  aws_s3_bucket: { dags_1A2B: { bucket: 'mwaa-marketing-dags', '//': { metadata: { path: 'participant-marketing/dags/bucket' } } } },
};
const ref = '${aws_s3_bucket.dags_1A2B.id}';
const pab = (over: Record<string, unknown> = {}) => ({
  aws_s3_bucket_public_access_block: {
    pab: {
      bucket: ref,
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
      ...over,
    },
  },
});
const sse = (algo: string) => ({
  aws_s3_bucket_server_side_encryption_configuration: {
    sse: {
      bucket: ref,
      rule: [{ apply_server_side_encryption_by_default: { sse_algorithm: algo, kms_master_key_id: '${aws_kms_key.k.arn}' } }],
    },
  },
});
const tlsPolicy = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'DenyInsecureTransport',
      Effect: 'Deny',
      Principal: '*',
      Action: 's3:*',
      Resource: ['${aws_s3_bucket.dags_1A2B.arn}', '${aws_s3_bucket.dags_1A2B.arn}/*'],
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    },
  ],
});
const pabFlag = (rule: string, attr: string): RuleCases => ({
  rule,
  compliant: [{ name: 'all four flags true', stack: stack({ ...bucket, ...pab() }) }],
  noncompliant: [
    {
      name: `${attr} false`,
      stack: stack({ ...bucket, ...pab({ [attr]: false }) }),
      resource: 'aws_s3_bucket_public_access_block.pab',
      expect: new RegExp(`${attr} is not true`),
    },
    {
      name: `${attr} omitted`,
      stack: stack({ ...bucket, ...pab({ [attr]: undefined }) }),
      resource: 'aws_s3_bucket_public_access_block.pab',
      expect: new RegExp(attr),
    },
  ],
});

export const cases: RuleCases[] = [
  {
    rule: 'CKV2_AWS_6',
    compliant: [
      { name: 'bucket with a PAB referencing it', stack: stack({ ...bucket, ...pab() }) },
      { name: 'PAB correlated by literal bucket name', stack: stack({ ...bucket, ...pab({ bucket: 'mwaa-marketing-dags' }) }) },
      {
        name: 'account-level PAB',
        stack: stack({
          ...bucket,
          aws_s3_account_public_access_block: {
            acct: { block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true },
          },
        }),
      },
    ],
    noncompliant: [
      { name: 'no PAB', stack: stack(bucket), resource: 'aws_s3_bucket.dags_1A2B', expect: /no aws_s3_bucket_public_access_block/ },
      {
        name: 'PAB for another bucket',
        stack: stack({ ...bucket, ...pab({ bucket: '${aws_s3_bucket.other.id}' }) }),
        resource: 'aws_s3_bucket.dags_1A2B',
        expect: /no aws_s3_bucket_public_access_block/,
      },
    ],
  },
  pabFlag('CKV_AWS_53', 'block_public_acls'),
  pabFlag('CKV_AWS_54', 'block_public_policy'),
  pabFlag('CKV_AWS_55', 'ignore_public_acls'),
  pabFlag('CKV_AWS_56', 'restrict_public_buckets'),
  {
    rule: 'CKV_AWS_145',
    compliant: [
      { name: 'SSE config with aws:kms', stack: stack({ ...bucket, ...sse('aws:kms') }) },
      {
        name: 'legacy inline config with aws:kms',
        stack: stack({
          aws_s3_bucket: {
            dags_1A2B: {
              bucket: 'b',
              server_side_encryption_configuration: { rule: { apply_server_side_encryption_by_default: { sse_algorithm: 'aws:kms' } } },
            },
          },
        }),
      },
    ],
    noncompliant: [
      { name: 'no SSE config', stack: stack(bucket), resource: 'aws_s3_bucket.dags_1A2B', expect: /no server-side encryption/ },
      {
        name: 'AES256 only',
        stack: stack({ ...bucket, ...sse('AES256') }),
        resource: 'aws_s3_bucket.dags_1A2B',
        expect: /AES256, not aws:kms/,
      },
    ],
  },
  {
    rule: 'CKV_AWS_21',
    compliant: [
      {
        name: 'versioning Enabled',
        stack: stack({ ...bucket, aws_s3_bucket_versioning: { v: { bucket: ref, versioning_configuration: { status: 'Enabled' } } } }),
      },
    ],
    noncompliant: [
      { name: 'no versioning resource', stack: stack(bucket), resource: 'aws_s3_bucket.dags_1A2B', expect: /no aws_s3_bucket_versioning/ },
      {
        name: 'versioning Suspended',
        stack: stack({ ...bucket, aws_s3_bucket_versioning: { v: { bucket: ref, versioning_configuration: { status: 'Suspended' } } } }),
        resource: 'aws_s3_bucket.dags_1A2B',
        expect: /Suspended/,
      },
    ],
  },
  {
    rule: 'S3_TLS_ONLY',
    compliant: [
      {
        name: 'JSON bucket policy denying insecure transport',
        stack: stack({ ...bucket, aws_s3_bucket_policy: { p: { bucket: ref, policy: tlsPolicy } } }),
      },
      {
        name: 'policy from aws_iam_policy_document',
        stack: stack(
          { ...bucket, aws_s3_bucket_policy: { p: { bucket: ref, policy: '${data.aws_iam_policy_document.tls.json}' } } },
          {
            aws_iam_policy_document: {
              tls: {
                statement: [
                  {
                    effect: 'Deny',
                    actions: ['s3:*'],
                    resources: ['${aws_s3_bucket.dags_1A2B.arn}/*'],
                    principals: [{ type: '*', identifiers: ['*'] }],
                    condition: [{ test: 'Bool', variable: 'aws:SecureTransport', values: ['false'] }],
                  },
                ],
              },
            },
          },
        ),
      },
      {
        name: 'unresolvable policy expression is not guessed',
        stack: stack({ ...bucket, aws_s3_bucket_policy: { p: { bucket: ref, policy: '${jsonencode(local.p)}' } } }),
      },
    ],
    noncompliant: [
      { name: 'no bucket policy', stack: stack(bucket), resource: 'aws_s3_bucket.dags_1A2B', expect: /no bucket policy/ },
      {
        name: 'policy without the Deny',
        stack: stack({
          ...bucket,
          aws_s3_bucket_policy: {
            p: {
              bucket: ref,
              policy: JSON.stringify({
                Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::1:root' }, Action: 's3:GetObject', Resource: '*' }],
              }),
            },
          },
        }),
        resource: 'aws_s3_bucket.dags_1A2B',
        expect: /no Deny on aws:SecureTransport/,
      },
    ],
  },
];

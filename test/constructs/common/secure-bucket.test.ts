import { loadFixture } from '../../support/config-fixture';
import { synthParticipant } from '../../support/synth';

const config = loadFixture();
const stacks = { analytics: synthParticipant(config, 'analytics').tf, marketing: synthParticipant(config, 'marketing').tf };

/** The one resource of `type` configured for bucket `${aws_s3_bucket.<id>.id}`. */
function companion(tf: any, type: string, bucketId: string): any {
  const found = Object.values(tf.resource[type] ?? {}).filter((r: any) => r.bucket === `\${aws_s3_bucket.${bucketId}.id}`);
  if (found.length !== 1) throw new Error(`expected one ${type} for bucket ${bucketId}, found ${found.length}`);
  return found[0];
}

describe('one S3 baseline for every bucket a participant stack creates', () => {
  const buckets = Object.entries(stacks).flatMap(([team, tf]) =>
    Object.entries(tf.resource.aws_s3_bucket).map(([id, b]: [string, any]) => [`${team} ${b.bucket}`, tf, id] as const),
  );

  it('covers the DAG buckets and the EKS sample pipeline buckets', () => {
    expect(buckets.map(([name]) => name).sort()).toEqual([
      'analytics acme-data-analytics-222222222222-eks-destination',
      'analytics acme-data-analytics-222222222222-eks-source',
      'analytics acme-data-analytics-mwaa-222222222222',
      'marketing acme-data-marketing-mwaa-333333333333',
    ]);
  });

  it.each(buckets)('%s: versioned, never public, no ACLs, SSE-KMS with bucket keys, TLS only', (_name, tf, id) => {
    expect(companion(tf, 'aws_s3_bucket_versioning', id).versioning_configuration).toEqual({ status: 'Enabled' });
    expect(companion(tf, 'aws_s3_bucket_public_access_block', id)).toMatchObject({
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
    expect(companion(tf, 'aws_s3_bucket_ownership_controls', id).rule).toEqual({ object_ownership: 'BucketOwnerEnforced' });
    const sse = companion(tf, 'aws_s3_bucket_server_side_encryption_configuration', id).rule[0];
    expect(sse).toMatchObject({ apply_server_side_encryption_by_default: { sse_algorithm: 'aws:kms' }, bucket_key_enabled: true });
    const policy = JSON.parse(companion(tf, 'aws_s3_bucket_policy', id).policy);
    expect(policy.Statement).toContainEqual(
      expect.objectContaining({ Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
    );
  });
});

describe('moving the sample pipeline buckets into SecureBucket', () => {
  const tf = stacks.analytics;
  // Only the sample pipeline's moves: the stack also carries the identity re-keying moves (test/addresses).
  const moved: Array<{ from: string; to: string }> = (tf.moved ?? []).filter((m: { from: string }) =>
    m.from.includes('.eks_sample-pipeline_'),
  );

  it('moves every previous address to a resource of the same type, so Terraform keeps the buckets', () => {
    // The addresses the example synthesized before the refactor (literal, not derived from the code).
    expect(moved.map((m) => m.from).sort()).toEqual([
      'aws_s3_bucket.eks_sample-pipeline_destination-bucket_4556D2E0',
      'aws_s3_bucket.eks_sample-pipeline_source-bucket_862C9331',
      'aws_s3_bucket_ownership_controls.eks_sample-pipeline_destination-ownership_14816503',
      'aws_s3_bucket_ownership_controls.eks_sample-pipeline_source-ownership_5319D308',
      'aws_s3_bucket_policy.eks_sample-pipeline_destination-policy_30118AC0',
      'aws_s3_bucket_policy.eks_sample-pipeline_source-policy_846B7261',
      'aws_s3_bucket_public_access_block.eks_sample-pipeline_destination-public-access-block_A11B90BD',
      'aws_s3_bucket_public_access_block.eks_sample-pipeline_source-public-access-block_7286BF52',
      'aws_s3_bucket_server_side_encryption_configuration.eks_sample-pipeline_destination-encryption_27C450CC',
      'aws_s3_bucket_server_side_encryption_configuration.eks_sample-pipeline_source-encryption_4CF305AE',
      'aws_s3_bucket_versioning.eks_sample-pipeline_destination-versioning_C4764C92',
      'aws_s3_bucket_versioning.eks_sample-pipeline_source-versioning_5BB05873',
    ]);
    for (const { from, to } of moved) {
      const [type, id] = to.split('.');
      expect(from.split('.')[0]).toBe(type);
      expect(tf.resource[type][id]).toBeDefined();
      expect(tf.resource[type][from.split('.')[1]]).toBeUndefined();
    }
  });
});

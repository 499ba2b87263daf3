/** Shared building blocks on their own (aws-cdk style): the S3 baseline and the tag merge. */
import { Testing } from 'cdktf';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { SecureBucket } from '../../../constructs/common/secure-bucket';
import { OWNER_TEAM, stackTags } from '../../../constructs/common/tags';
import type { PlatformFile } from '../../../model/model';
import { resourcesOf, only } from '../../support/synth';

describe('SecureBucket', () => {
  const synth = (props: Partial<ConstructorParameters<typeof SecureBucket>[2]> = {}) =>
    Testing.synthScope((scope) => void new SecureBucket(scope, 'b', { bucketName: 'acme-bucket', ...props }));

  it('defaults: versioned, every public access block, owner-enforced, SSE-KMS with the AWS managed key and bucket keys, TLS only, no force destroy', () => {
    const json = synth();
    const tf = JSON.parse(json);
    expect(only(tf, 'aws_s3_bucket')).toEqual({ bucket: 'acme-bucket' });
    expect(only(tf, 'aws_s3_bucket_versioning').versioning_configuration).toEqual({ status: 'Enabled' });
    expect(json).toHaveResourceWithProperties(S3BucketPublicAccessBlock, {
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
    expect(only(tf, 'aws_s3_bucket_ownership_controls').rule).toEqual({ object_ownership: 'BucketOwnerEnforced' });
    expect(only(tf, 'aws_s3_bucket_server_side_encryption_configuration').rule).toEqual([
      { apply_server_side_encryption_by_default: { sse_algorithm: 'aws:kms' }, bucket_key_enabled: true },
    ]);
    const [deny] = JSON.parse(only(tf, 'aws_s3_bucket_policy').policy).Statement;
    expect(deny).toMatchObject({ Effect: 'Deny', Principal: '*', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } });
    expect(deny.Resource).toHaveLength(2);
  });

  it('uses the given customer-managed key and force destroy when asked', () => {
    const tf = JSON.parse(synth({ kmsKeyArn: 'arn:aws:kms:eu-west-1:123456789012:key/k', forceDestroy: true }));
    expect(only(tf, 'aws_s3_bucket')).toEqual({ bucket: 'acme-bucket', force_destroy: true });
    expect(only(tf, 'aws_s3_bucket_server_side_encryption_configuration').rule[0].apply_server_side_encryption_by_default).toEqual({
      sse_algorithm: 'aws:kms',
      kms_master_key_id: 'arn:aws:kms:eu-west-1:123456789012:key/k',
    });
    expect(Object.keys(resourcesOf(tf, 'aws_s3_bucket_policy'))).toHaveLength(1);
  });
});

describe('stackTags', () => {
  const platform = { platform: 'acme', tags: { CostCenter: 'data', Team: 'not-this' } } as unknown as PlatformFile;

  it('merges platform tags, then team tags, then the platform’s own keys, which nobody overrides', () => {
    expect(stackTags(platform, 'analytics', { CostCenter: 'analytics', Platform: 'other', ManagedBy: 'me' })).toEqual({
      CostCenter: 'analytics',
      Team: 'analytics',
      Platform: 'acme',
      ManagedBy: 'cdktf',
    });
  });

  it('defaults: no team tags; the owner stack is tagged as the platform owner', () => {
    expect(stackTags(platform, OWNER_TEAM)).toEqual({ CostCenter: 'data', Team: 'platform-owner', Platform: 'acme', ManagedBy: 'cdktf' });
  });
});

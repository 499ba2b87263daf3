import { Construct } from 'constructs';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning';
import { tlsOnlyBucketPolicy } from './resource-policies';

export interface SecureBucketProps {
  /** The bucket name (S3 names are global: callers make it unique, e.g. with the account id). */
  readonly bucketName: string;
  /**
   * Customer-managed key for default encryption.
   * @default the AWS managed key `aws/s3` (SSE-KMS), which readers need no `kms:*` permission for
   */
  readonly kmsKeyArn?: string;
  /**
   * Let `terraform destroy` empty the bucket instead of failing; for sample data only.
   * @default false
   */
  readonly forceDestroy?: boolean;
}

/**
 * The platform's S3 baseline, in one place: versioned, all four public access blocks, `BucketOwnerEnforced`
 * (no ACLs), SSE-KMS with bucket keys, and a bucket policy denying requests without TLS. Used by the MWAA DAG
 * bucket and the EKS sample pipeline's buckets.
 */
export class SecureBucket extends Construct {
  public readonly bucket: S3Bucket;
  public readonly bucketName: string;
  public readonly bucketArn: string;
  /** Objects should depend on it, so their `version_id` is a real version, never "null". */
  public readonly versioning: S3BucketVersioningA;

  constructor(scope: Construct, id: string, props: SecureBucketProps) {
    super(scope, id);
    this.bucket = new S3Bucket(this, 'bucket', { bucket: props.bucketName, ...(props.forceDestroy ? { forceDestroy: true } : {}) });
    const bucket = this.bucket;
    this.bucketName = bucket.bucket;
    this.bucketArn = bucket.arn;
    this.versioning = new S3BucketVersioningA(this, 'versioning', { bucket: bucket.id, versioningConfiguration: { status: 'Enabled' } });
    new S3BucketPublicAccessBlock(this, 'public-access-block', {
      bucket: bucket.id,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    new S3BucketOwnershipControls(this, 'ownership', { bucket: bucket.id, rule: { objectOwnership: 'BucketOwnerEnforced' } });
    new S3BucketServerSideEncryptionConfigurationA(this, 'encryption', {
      bucket: bucket.id,
      rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'aws:kms', kmsMasterKeyId: props.kmsKeyArn }, bucketKeyEnabled: true }],
    });
    new S3BucketPolicy(this, 'policy', { bucket: bucket.id, policy: tlsOnlyBucketPolicy(bucket.arn) });
  }
}

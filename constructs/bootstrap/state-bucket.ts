import { Construct } from 'constructs';
import { DynamodbTable } from '@cdktf/provider-aws/lib/dynamodb-table';
import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketLifecycleConfiguration } from '@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration';
import { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning';
import type { PolicyDocument } from './policies';

export interface StateBucketProps {
  readonly bucket: string;
  readonly kmsKeyAlias: string;
  readonly keyPolicy: PolicyDocument;
  readonly bucketPolicy: PolicyDocument;
  /** Days a replaced state version is kept. */
  readonly noncurrentVersionDays: number;
  /**
   * DynamoDB lock table, for `backend.lock: dynamodb`.
   * @default none: Terraform's S3 lock file
   */
  readonly lockTable?: string;
}

/**
 * The Terraform state bucket: versioned, SSE-KMS with its own key (bucket key on), every public access
 * blocked, ACLs disabled, TLS only, object access for the platform's roles only, old versions expire.
 * `prevent_destroy`: a destroy of the bootstrap stack must never take every stack's state with it.
 */
export class StateBucket extends Construct {
  public readonly bucketName: string;
  public readonly bucketArn: string;
  public readonly kmsKeyArn: string;

  constructor(scope: Construct, id: string, props: StateBucketProps) {
    super(scope, id);
    const key = new KmsKey(this, 'key', {
      description: `Terraform state in s3://${props.bucket}`,
      enableKeyRotation: true,
      deletionWindowInDays: 30,
      policy: JSON.stringify(props.keyPolicy),
      lifecycle: { preventDestroy: true },
    });
    new KmsAlias(this, 'alias', { name: props.kmsKeyAlias, targetKeyId: key.keyId });

    const bucket = new S3Bucket(this, 'bucket', { bucket: props.bucket, lifecycle: { preventDestroy: true } });
    new S3BucketOwnershipControls(this, 'ownership', { bucket: bucket.id, rule: { objectOwnership: 'BucketOwnerEnforced' } });
    new S3BucketPublicAccessBlock(this, 'public-access', {
      bucket: bucket.id,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    new S3BucketVersioningA(this, 'versioning', { bucket: bucket.id, versioningConfiguration: { status: 'Enabled' } });
    new S3BucketServerSideEncryptionConfigurationA(this, 'encryption', {
      bucket: bucket.id,
      rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'aws:kms', kmsMasterKeyId: key.arn }, bucketKeyEnabled: true }],
    });
    new S3BucketLifecycleConfiguration(this, 'lifecycle', {
      bucket: bucket.id,
      rule: [
        {
          id: 'expire-replaced-state-versions',
          status: 'Enabled',
          filter: [{ prefix: '' }],
          noncurrentVersionExpiration: [{ noncurrentDays: props.noncurrentVersionDays }],
          abortIncompleteMultipartUpload: [{ daysAfterInitiation: 7 }],
        },
      ],
    });
    new S3BucketPolicy(this, 'policy', { bucket: bucket.id, policy: JSON.stringify(props.bucketPolicy) });

    if (props.lockTable) {
      new DynamodbTable(this, 'lock-table', {
        name: props.lockTable,
        billingMode: 'PAY_PER_REQUEST',
        hashKey: 'LockID',
        attribute: [{ name: 'LockID', type: 'S' }],
        // The AWS managed key: lock items hold only lock ids and digests, and a customer key would need DynamoDB grants.
        serverSideEncryption: { enabled: true },
        pointInTimeRecovery: { enabled: true },
        deletionProtectionEnabled: true,
      });
    }
    this.bucketName = bucket.bucket;
    this.bucketArn = bucket.arn;
    this.kmsKeyArn = key.arn;
  }
}

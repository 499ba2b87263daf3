import { createHash } from 'node:crypto';
import { Construct } from 'constructs';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { S3Object } from '@cdktf/provider-aws/lib/s3-object';
import type { ArtifactFile } from '../../../model/artifacts';
import { boundedName, idOf } from '../../common/names';
import { tlsOnlyBucketPolicy } from '../../common/resource-policies';

export interface DagBucketProps {
  /** Resource name prefix, e.g. `acme-data-analytics`. */
  readonly name: string;
  /** Appended to the bucket name: S3 names are global, account ids make them unique. */
  readonly accountId: string;
  readonly partition: string;
  /**
   * The team's customer-managed key for default encryption.
   * @default the AWS managed key `aws/s3` (SSE-KMS)
   */
  readonly kmsKeyArn?: string;
  /** The team's DAG files, keyed `dags/...`. */
  readonly dags: readonly ArtifactFile[];
}

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  py: 'text/x-python',
  txt: 'text/plain',
  sh: 'text/x-sh',
  zip: 'application/zip',
  json: 'application/json',
  sql: 'text/plain',
  yaml: 'text/yaml',
  yml: 'text/yaml',
};

/** The DAG folder's prefix in the bucket (MWAA `dag_s3_path`). */
export const DAGS_PREFIX = 'dags';

/**
 * A team's MWAA source bucket: versioned (MWAA requires it and reads requirements, plugins and the
 * startup script by object version), never public, SSE-KMS by default, TLS-only, bucket-owner objects.
 * DAG objects carry their content and MD5, so a changed DAG is an in-place update of one object.
 */
export class DagBucket extends Construct {
  public readonly bucketName: string;
  public readonly bucketArn: string;
  /** The uploaded DAG files. */
  public readonly dagObjects: readonly S3Object[];
  /** Objects depend on versioning so their `version_id` is a real version, never "null". */
  private readonly versioning: S3BucketVersioningA;
  private readonly bucket: S3Bucket;
  private readonly kmsKeyArn?: string;

  constructor(scope: Construct, id: string, props: DagBucketProps) {
    super(scope, id);
    this.kmsKeyArn = props.kmsKeyArn;
    this.bucket = new S3Bucket(this, 'bucket', { bucket: boundedName(`${props.name}-mwaa-${props.accountId}`, 63) });
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
      rule: [
        {
          applyServerSideEncryptionByDefault: { sseAlgorithm: 'aws:kms', kmsMasterKeyId: props.kmsKeyArn },
          bucketKeyEnabled: true,
        },
      ],
    });
    new S3BucketPolicy(this, 'policy', {
      bucket: bucket.id,
      policy: tlsOnlyBucketPolicy(bucket.arn),
    });

    const used = new Set<string>();
    this.dagObjects = props.dags.map((file) => {
      // Readable ids from the path; `a/b.py` and `a_b.py` would clash, so a clash gets the key's hash.
      let objectId = `dag-${idOf(file.key.slice(DAGS_PREFIX.length + 1))}`;
      if (used.has(objectId)) objectId = `${objectId}-${createHash('sha256').update(file.key).digest('hex').slice(0, 8)}`;
      used.add(objectId);
      return this.addObject(objectId, file);
    });
  }

  /** Uploads one file; returns the object (its `versionId` pins MWAA to this content). */
  public addObject(id: string, file: ArtifactFile): S3Object {
    const extension = file.key.split('.').pop() ?? '';
    return new S3Object(this, id, {
      bucket: this.bucket.id,
      key: file.key,
      ...(file.text !== undefined ? { content: file.text } : { contentBase64: file.contentBase64 }),
      // ETag is not an MD5 under SSE-KMS, so the content hash is tracked explicitly.
      sourceHash: file.md5,
      contentType: CONTENT_TYPES[extension] ?? 'application/octet-stream',
      kmsKeyId: this.kmsKeyArn,
      dependsOn: [this.versioning],
    });
  }
}

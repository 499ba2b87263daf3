import { Construct } from 'constructs';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning';
import { S3Object } from '@cdktf/provider-aws/lib/s3-object';
import { SsmParameter } from '@cdktf/provider-aws/lib/ssm-parameter';
import { samplePipelineNames } from '../../../model/schema/eks';
import { tlsOnlyBucketPolicy } from '../../common/resource-policies';

/** File the sample DAG reads its settings from, next to it in the team's DAG folder. */
export const SAMPLE_DAG_CONFIG_FILE = 'eks_sample_pipeline.json';
export const SAMPLE_DAG_FILE = 'eks_sample_pipeline.py';

/** The sample DAG's settings: everything it needs that depends on the platform and team configuration. */
export interface SampleDagConfig {
  readonly cluster_name: string;
  readonly namespace: string;
  readonly region: string;
  readonly source_parameter: string;
  readonly destination_parameter: string;
  readonly reader_service_account: string;
  readonly writer_service_account: string;
  /** The AWS CLI from ECR Public through the account's pull-through cache (the shared VPC has no internet). */
  readonly image: string;
  /**
   * Airflow connection whose extra points the XCom sidecar at the cached alpine image; null when no
   * environment of the team has a Secrets Manager backend to hold it (the operator then uses Docker Hub's).
   */
  readonly kubernetes_conn_id: string | null;
}

export function sampleDagConfig(p: {
  platform: string;
  team: string;
  accountId: string;
  region: string;
  clusterName: string;
  namespace: string;
  publicImageRegistry: string;
  kubernetesConnId?: string;
}): SampleDagConfig {
  const n = samplePipelineNames(p.platform, p.team, p.accountId);
  return {
    cluster_name: p.clusterName,
    namespace: p.namespace,
    region: p.region,
    source_parameter: n.sourceParameter,
    destination_parameter: n.destinationParameter,
    reader_service_account: n.readerServiceAccount,
    writer_service_account: n.writerServiceAccount,
    image: `${p.publicImageRegistry}/aws-cli/aws-cli:latest`,
    kubernetes_conn_id: p.kubernetesConnId ?? null,
  };
}

/** The sample DAG's settings file content (stable formatting: the committed copy is compared to it). */
export const renderSampleDagConfig = (config: SampleDagConfig) => `${JSON.stringify(config, null, 2)}\n`;

export interface SamplePipelineProps {
  readonly platform: string;
  readonly team: string;
  readonly accountId: string;
}

/**
 * The post's sample pipeline data side: a source bucket (with one object, so the listing is not empty), a
 * destination bucket, and SSM parameters holding their names. Pods find the buckets through the parameters,
 * so each service account needs both its bucket and its parameter: swap the accounts and both tasks fail.
 * Buckets follow the platform's bucket baseline (no public access, SSE-KMS with aws/s3, TLS only, versioned).
 */
export class SamplePipeline extends Construct {
  public readonly sourceBucketName: string;
  public readonly destinationBucketName: string;
  public readonly sourceParameterName: string;
  public readonly destinationParameterName: string;

  constructor(scope: Construct, id: string, props: SamplePipelineProps) {
    super(scope, id);
    const n = samplePipelineNames(props.platform, props.team, props.accountId);
    const source = this.bucket('source', n.sourceBucket);
    const destination = this.bucket('destination', n.destinationBucket);
    new S3Object(this, 'source-dummy-object', { bucket: source.id, key: 'dummy.txt', content: '', contentType: 'text/plain' });
    new SsmParameter(this, 'source-parameter', {
      name: n.sourceParameter,
      type: 'String',
      value: source.bucket,
      description: 'EKS sample pipeline: source bucket name (read by the source-bucket-reader service account)',
    });
    new SsmParameter(this, 'destination-parameter', {
      name: n.destinationParameter,
      type: 'String',
      value: destination.bucket,
      description: 'EKS sample pipeline: destination bucket name (read by the destination-bucket-writer service account)',
    });
    this.sourceBucketName = n.sourceBucket;
    this.destinationBucketName = n.destinationBucket;
    this.sourceParameterName = n.sourceParameter;
    this.destinationParameterName = n.destinationParameter;
  }

  private bucket(id: string, name: string): S3Bucket {
    // Sample data only: destroying the stack empties the buckets instead of failing.
    const bucket = new S3Bucket(this, `${id}-bucket`, { bucket: name, forceDestroy: true });
    new S3BucketVersioningA(this, `${id}-versioning`, { bucket: bucket.id, versioningConfiguration: { status: 'Enabled' } });
    new S3BucketPublicAccessBlock(this, `${id}-public-access-block`, {
      bucket: bucket.id,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    new S3BucketOwnershipControls(this, `${id}-ownership`, { bucket: bucket.id, rule: { objectOwnership: 'BucketOwnerEnforced' } });
    // aws/s3 (AWS managed) rather than a customer key: pods then need no kms:* permission to read or write.
    new S3BucketServerSideEncryptionConfigurationA(this, `${id}-encryption`, {
      bucket: bucket.id,
      rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'aws:kms' }, bucketKeyEnabled: true }],
    });
    new S3BucketPolicy(this, `${id}-policy`, {
      bucket: bucket.id,
      policy: tlsOnlyBucketPolicy(bucket.arn),
    });
    return bucket;
  }
}

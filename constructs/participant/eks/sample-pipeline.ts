import type { TerraformResource } from 'cdktf';
import { Construct } from 'constructs';
import { S3Object } from '@cdktf/provider-aws/lib/s3-object';
import { SsmParameter } from '@cdktf/provider-aws/lib/ssm-parameter';
import { samplePipelineNames } from '../../../model/schema/eks';
import { SecureBucket } from '../../common/secure-bucket';
import { PlatformStack } from '../../common/platform-stack';

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

/** Addresses of the sample buckets' resources before they moved into {@link SecureBucket}, by `<bucket>/<resource id>`. */
export const PREVIOUS_ADDRESSES: Readonly<Record<string, string>> = {
  'source/bucket': 'aws_s3_bucket.eks_sample-pipeline_source-bucket_862C9331',
  'source/versioning': 'aws_s3_bucket_versioning.eks_sample-pipeline_source-versioning_5BB05873',
  'source/public-access-block': 'aws_s3_bucket_public_access_block.eks_sample-pipeline_source-public-access-block_7286BF52',
  'source/ownership': 'aws_s3_bucket_ownership_controls.eks_sample-pipeline_source-ownership_5319D308',
  'source/encryption': 'aws_s3_bucket_server_side_encryption_configuration.eks_sample-pipeline_source-encryption_4CF305AE',
  'source/policy': 'aws_s3_bucket_policy.eks_sample-pipeline_source-policy_846B7261',
  'destination/bucket': 'aws_s3_bucket.eks_sample-pipeline_destination-bucket_4556D2E0',
  'destination/versioning': 'aws_s3_bucket_versioning.eks_sample-pipeline_destination-versioning_C4764C92',
  'destination/public-access-block': 'aws_s3_bucket_public_access_block.eks_sample-pipeline_destination-public-access-block_A11B90BD',
  'destination/ownership': 'aws_s3_bucket_ownership_controls.eks_sample-pipeline_destination-ownership_14816503',
  'destination/encryption': 'aws_s3_bucket_server_side_encryption_configuration.eks_sample-pipeline_destination-encryption_27C450CC',
  'destination/policy': 'aws_s3_bucket_policy.eks_sample-pipeline_destination-policy_30118AC0',
};

export interface SamplePipelineProps {
  readonly platform: string;
  readonly team: string;
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
    const n = samplePipelineNames(props.platform, props.team, PlatformStack.of(this).accountId);
    const source = this.bucket('source', n.sourceBucket);
    const destination = this.bucket('destination', n.destinationBucket);
    new S3Object(this, 'source-dummy-object', {
      bucket: source.bucket.id,
      key: 'dummy.txt',
      content: '',
      contentType: 'text/plain',
      dependsOn: [source.versioning],
    });
    new SsmParameter(this, 'source-parameter', {
      name: n.sourceParameter,
      type: 'String',
      value: source.bucketName,
      description: 'EKS sample pipeline: source bucket name (read by the source-bucket-reader service account)',
    });
    new SsmParameter(this, 'destination-parameter', {
      name: n.destinationParameter,
      type: 'String',
      value: destination.bucketName,
      description: 'EKS sample pipeline: destination bucket name (read by the destination-bucket-writer service account)',
    });
    this.sourceBucketName = n.sourceBucket;
    this.destinationBucketName = n.destinationBucket;
    this.sourceParameterName = n.sourceParameter;
    this.destinationParameterName = n.destinationParameter;
  }

  private bucket(id: 'source' | 'destination', name: string): SecureBucket {
    // aws/s3 (AWS managed) rather than a customer key: pods then need no kms:* permission to read or write.
    // Sample data only: destroying the stack empties the buckets instead of failing.
    const secure = new SecureBucket(this, id, { bucketName: name, forceDestroy: true });
    // The buckets were built here before SecureBucket existed: moved blocks keep them (no destroy/create).
    for (const resource of secure.node.children) {
      const previous = PREVIOUS_ADDRESSES[`${id}/${resource.node.id}`];
      if (previous) (resource as TerraformResource).moveFromId(previous);
    }
    return secure;
  }
}

import { Construct } from 'constructs';
import type { ITerraformDependable } from 'cdktf';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { S3BucketReplicationConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-replication-configuration';
import { formatArn } from '../../contracts/aws';
import { PlatformStack } from '../common/platform-stack';
import { serviceTrustPolicy } from '../common/resource-policies';

export interface BucketReplicationProps {
  /** Name of the source bucket, in this stack's region and account. */
  readonly sourceBucketName: string;
  /** The source bucket's versioning: S3 refuses a replication configuration on an unversioned bucket. */
  readonly sourceVersioning: ITerraformDependable;
  /** Name of the destination bucket, in `destinationRegion` and this account; the recovery stack creates it. */
  readonly destinationBucketName: string;
  readonly destinationRegion: string;
  /**
   * Alias (`alias/…`) of the destination's recovery-region key: the replicas are encrypted with it. An alias, not
   * a key ARN, because the key is the recovery stack's and this stack reads nothing of it.
   */
  readonly destinationKeyAlias: string;
  /** IAM name of the replication role (unique per account: it names the destination region). */
  readonly roleName: string;
}

/**
 * Replication of one bucket to its replica in the recovery region: every object (SSE-KMS ones included) and
 * delete markers, re-encrypted with the recovery region's key. The role is least privilege as the S3 user guide's
 * replication walkthroughs give it: read the source's configuration and object versions, replicate into the
 * destination only, decrypt through S3 in the source region for this bucket's objects only, encrypt through S3 in
 * the destination region with the destination key only.
 */
export class BucketReplication extends Construct {
  public readonly roleArn: string;
  public readonly roleName: string;
  /** The role's permissions, as JSON: the IAM simulation tests read it. */
  public readonly policyDocument: string;
  public readonly configuration: S3BucketReplicationConfigurationA;

  constructor(scope: Construct, id: string, props: BucketReplicationProps) {
    super(scope, id);
    const stack = PlatformStack.of(this);
    const { partition, region, accountId } = stack;
    const source = stack.arn({ service: 's3', region: '', account: '', resource: props.sourceBucketName });
    const destination = stack.arn({ service: 's3', region: '', account: '', resource: props.destinationBucketName });
    const role = new IamRole(this, 'role', {
      name: props.roleName,
      description: `Replicates ${props.sourceBucketName} to ${props.destinationBucketName} (${props.destinationRegion})`,
      assumeRolePolicy: serviceTrustPolicy({ service: 's3.amazonaws.com', sourceAccount: accountId, sourceArn: source }),
    });
    this.policyDocument = replicationPolicy({
      partition,
      accountId,
      sourceRegion: region,
      destinationRegion: props.destinationRegion,
      sourceBucketArn: source,
      destinationBucketArn: destination,
      destinationKeyAlias: props.destinationKeyAlias,
    });
    const policy = new IamRolePolicy(this, 'policy', { role: role.id, name: 'replicate-to-recovery-region', policy: this.policyDocument });
    this.configuration = new S3BucketReplicationConfigurationA(this, 'configuration', {
      bucket: props.sourceBucketName,
      role: role.arn,
      rule: [
        {
          id: 'to-recovery-region',
          status: 'Enabled',
          priority: 1,
          // A filter makes this a V2 rule, the only kind that replicates delete markers.
          filter: { prefix: '' },
          deleteMarkerReplication: { status: 'Enabled' },
          sourceSelectionCriteria: { sseKmsEncryptedObjects: { status: 'Enabled' } },
          destination: {
            bucket: destination,
            encryptionConfiguration: {
              replicaKmsKeyId: stack.arn({ service: 'kms', region: props.destinationRegion, resource: props.destinationKeyAlias }),
            },
          },
        },
      ],
      dependsOn: [props.sourceVersioning, policy],
    });
    this.roleArn = role.arn;
    this.roleName = role.name;
  }
}

export interface ReplicationPolicyInput {
  readonly partition: string;
  readonly accountId: string;
  readonly sourceRegion: string;
  readonly destinationRegion: string;
  readonly sourceBucketArn: string;
  readonly destinationBucketArn: string;
  readonly destinationKeyAlias: string;
}

/** The replication role's permissions; pure, so the IAM simulation can evaluate exactly what the stack deploys. */
export function replicationPolicy(p: ReplicationPolicyInput): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'ReadSourceConfiguration',
        Effect: 'Allow',
        Action: ['s3:GetReplicationConfiguration', 's3:ListBucket'],
        Resource: p.sourceBucketArn,
      },
      {
        Sid: 'ReadSourceVersions',
        Effect: 'Allow',
        Action: ['s3:GetObjectVersionForReplication', 's3:GetObjectVersionAcl', 's3:GetObjectVersionTagging'],
        Resource: `${p.sourceBucketArn}/*`,
      },
      {
        Sid: 'WriteReplicas',
        Effect: 'Allow',
        Action: ['s3:ReplicateObject', 's3:ReplicateDelete', 's3:ReplicateTags'],
        Resource: `${p.destinationBucketArn}/*`,
      },
      {
        // The source key may be the team's or `aws/s3`: any key of the account, but only through S3 for this bucket.
        Sid: 'DecryptSourceObjects',
        Effect: 'Allow',
        Action: 'kms:Decrypt',
        Resource: formatArn({
          partition: p.partition,
          service: 'kms',
          region: p.sourceRegion,
          account: p.accountId,
          resource: 'key',
          resourceName: '*',
        }),
        Condition: {
          StringEquals: { 'kms:ViaService': `s3.${p.sourceRegion}.amazonaws.com` },
          // With S3 Bucket Keys (the platform's buckets use them) the context is the bucket's ARN, else the object's.
          StringLike: { 'kms:EncryptionContext:aws:s3:arn': [p.sourceBucketArn, `${p.sourceBucketArn}/*`] },
        },
      },
      {
        Sid: 'EncryptReplicas',
        Effect: 'Allow',
        Action: ['kms:Encrypt', 'kms:GenerateDataKey'],
        Resource: formatArn({
          partition: p.partition,
          service: 'kms',
          region: p.destinationRegion,
          account: p.accountId,
          resource: 'key',
          resourceName: '*',
        }),
        Condition: {
          StringEquals: { 'kms:ViaService': `s3.${p.destinationRegion}.amazonaws.com` },
          StringLike: { 'kms:EncryptionContext:aws:s3:arn': [p.destinationBucketArn, `${p.destinationBucketArn}/*`] },
          'ForAnyValue:StringEquals': { 'kms:ResourceAliases': p.destinationKeyAlias },
        },
      },
    ],
  });
}

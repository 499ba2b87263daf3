import { dependable } from 'cdktf';
import { Construct } from 'constructs';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import type { EnvironmentConfig } from '../../model/model';
import {
  backupBucketName,
  boundedName,
  dagReplicaBucketName,
  heartbeatAlarmName,
  IAM_ROLE_NAME_MAX,
  recoveryResourcePrefix,
} from '../../contracts/names';
import { DEFAULT_RECOVERY_BACKUP_SCHEDULE, RECOVERY_OPTIONS } from '../../contracts/recovery';
import { PlatformStack } from '../common/platform-stack';
import { SecureBucket } from '../common/secure-bucket';
import type { TeamMwaa } from '../participant/mwaa/team-mwaa';
import { BucketReplication } from './bucket-replication';
import { AlarmTopic } from '../common/alarm-topic';
import { SchedulerHeartbeatAlarm } from './heartbeat-alarm';

export interface PrimaryRecoveryProps {
  /** The team's resource prefix, e.g. `acme-data-analytics`. */
  readonly teamPrefix: string;
  /** The recovery region (platform.yaml `recovery.region`). */
  readonly recoveryRegion: string;
  /** The team's environments that ask for recovery. */
  readonly environments: readonly EnvironmentConfig[];
  /** The team's MWAA resources in the primary region. */
  readonly mwaa: TeamMwaa;
  /**
   * Accounts that may subscribe to the heartbeat alarms' topic (the platform's owner account).
   * @default none besides the team's account
   */
  readonly alarmSubscriberAccountIds?: readonly string[];
  /**
   * The platform's topic (platform.yaml `endpointManager.alarmTopicArn`), notified besides the team's own topic.
   * @default only the team's topic
   */
  readonly platformAlarmTopicArn?: string;
}

/** The replica key's alias in the recovery region; both sides derive it, neither reads the other. */
export const recoveryKeyAlias = (teamPrefix: string, recoveryRegion: string): string =>
  `alias/${recoveryResourcePrefix(teamPrefix, recoveryRegion)}-mwaa`;

/** The same alias as an ARN, which cross-region callers (S3 replication, Secrets Manager replicas) take. */
export const recoveryKeyAliasArn = (p: { partition: string; accountId: string; teamPrefix: string; recoveryRegion: string }): string =>
  `arn:${p.partition}:kms:${p.recoveryRegion}:${p.accountId}:${recoveryKeyAlias(p.teamPrefix, p.recoveryRegion)}`;

/** Airflow options of a recovered primary environment: where its backup DAG writes and how often. */
export function backupAirflowOptions(env: EnvironmentConfig, bucketName: string): Record<string, string> {
  return {
    [RECOVERY_OPTIONS.backupBucket]: bucketName,
    [RECOVERY_OPTIONS.backupSchedule]: env.recoveryBackupSchedule ?? DEFAULT_RECOVERY_BACKUP_SCHEDULE,
  };
}

/**
 * The primary region's part of disaster recovery for one team: the DAG bucket replicated to its replica in the
 * recovery region, a backup bucket per recovered environment (the backup DAG writes there) replicated the same
 * way, the execution roles allowed to write their backups, and a scheduler-heartbeat alarm per environment.
 * The replicas and their key are the recovery stack's; this names them and reads nothing of them.
 */
export class PrimaryRecovery extends Construct {
  public readonly dagReplication: BucketReplication;
  /** Backup bucket by environment name. */
  public readonly backupBuckets: ReadonlyMap<string, SecureBucket>;
  public readonly backupReplications: ReadonlyMap<string, BucketReplication>;
  public readonly alarms: ReadonlyMap<string, SchedulerHeartbeatAlarm>;
  /** Where the heartbeat alarms notify: a topic of the team's account that only they publish to. */
  public readonly alarmTopic: AlarmTopic;

  constructor(scope: Construct, id: string, props: PrimaryRecoveryProps) {
    super(scope, id);
    const { accountId, region, partition } = PlatformStack.of(this);
    const destinationKeyAlias = recoveryKeyAlias(props.teamPrefix, props.recoveryRegion);
    this.dagReplication = new BucketReplication(this, 'dag-replication', {
      sourceBucketName: props.mwaa.bucket.bucketName,
      sourceVersioning: props.mwaa.bucket.versioning,
      destinationBucketName: dagReplicaBucketName(props.teamPrefix, props.recoveryRegion, accountId),
      destinationRegion: props.recoveryRegion,
      destinationKeyAlias,
      roleName: boundedName(`${props.teamPrefix}-mwaa-replication-${props.recoveryRegion}`, IAM_ROLE_NAME_MAX),
    });

    this.alarmTopic = new AlarmTopic(this, 'alarm-topic', {
      name: `${props.teamPrefix}-recovery-alarms`,
      alarmNames: props.environments.map((env) => heartbeatAlarmName(env.name)),
      subscriberAccountIds: props.alarmSubscriberAccountIds,
    });

    const backupBuckets = new Map<string, SecureBucket>();
    const backupReplications = new Map<string, BucketReplication>();
    const alarms = new Map<string, SchedulerHeartbeatAlarm>();
    for (const env of props.environments) {
      const key = env.name;
      const primary = props.mwaa.environments.get(env.name);
      if (!primary) throw new Error(`PrimaryRecovery: ${env.name} is not one of the team's environments`);
      const bucket = new SecureBucket(this, `backup-${key}`, {
        bucketName: backupBucketName(env.name, region, accountId),
        kmsKeyArn: props.mwaa.kmsKey?.keyArn,
      });
      backupBuckets.set(env.name, bucket);
      backupReplications.set(
        env.name,
        new BucketReplication(this, `backup-replication-${key}`, {
          sourceBucketName: bucket.bucketName,
          sourceVersioning: bucket.versioning,
          destinationBucketName: backupBucketName(env.name, props.recoveryRegion, accountId),
          destinationRegion: props.recoveryRegion,
          destinationKeyAlias,
          roleName: boundedName(`${env.name}-backup-replication-${props.recoveryRegion}`, IAM_ROLE_NAME_MAX),
        }),
      );
      new IamRolePolicy(this, `write-backups-${key}`, {
        role: primary.executionRole.roleName,
        name: 'write-recovery-backups',
        policy: primaryBackupPolicy({
          partition,
          accountId,
          backupBucketArn: bucket.bucketArn,
          recoveryRegion: props.recoveryRegion,
          recoveryBackupBucketArn: `arn:${partition}:s3:::${backupBucketName(env.name, props.recoveryRegion, accountId)}`,
          recoveryKeyAlias: destinationKeyAlias,
        }),
      });
      alarms.set(
        env.name,
        new SchedulerHeartbeatAlarm(this, `heartbeat-${key}`, {
          environmentName: env.name,
          alarmName: heartbeatAlarmName(env.name),
          topicArn: this.alarmTopic.topicArn,
          extraTopicArns: props.platformAlarmTopicArn ? [props.platformAlarmTopicArn] : [],
        }),
      );
    }
    this.backupBuckets = backupBuckets;
    this.backupReplications = backupReplications;
    this.alarms = alarms;

    // Replication copies only objects written after it is configured: the uploads wait for it, so a first
    // deployment's DAGs, requirements, plugins and startup script reach the replica.
    for (const object of props.mwaa.bucket.objects)
      object.dependsOn = [...(object.dependsOn ?? []), dependable(this.dagReplication.configuration)];
  }
}

export interface PrimaryBackupPolicyInput {
  readonly partition: string;
  readonly accountId: string;
  /** The environment's backup bucket in the primary region. */
  readonly backupBucketArn: string;
  readonly recoveryRegion: string;
  /** The backup replica in the recovery region, where the recovery side writes its backup at failback. */
  readonly recoveryBackupBucketArn: string;
  /** Alias of the recovery region's key the replica is encrypted with. */
  readonly recoveryKeyAlias: string;
}

/**
 * A recovered primary execution role's backup permissions: write its own backups, and, for failback, read the
 * backup the recovery side wrote into its bucket in the recovery region (decrypting through S3 there, with the
 * recovery key only, for that bucket only). Pure, for the IAM simulation.
 */
export function primaryBackupPolicy(p: PrimaryBackupPolicyInput): string {
  const recovery = p.recoveryBackupBucketArn;
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      { Sid: 'ListBackups', Effect: 'Allow', Action: 's3:ListBucket', Resource: p.backupBucketArn },
      { Sid: 'WriteBackups', Effect: 'Allow', Action: ['s3:PutObject', 's3:GetObject'], Resource: `${p.backupBucketArn}/*` },
      { Sid: 'ListFailbackBackups', Effect: 'Allow', Action: 's3:ListBucket', Resource: recovery },
      { Sid: 'ReadFailbackBackups', Effect: 'Allow', Action: 's3:GetObject', Resource: `${recovery}/*` },
      {
        Sid: 'DecryptFailbackBackups',
        Effect: 'Allow',
        Action: 'kms:Decrypt',
        Resource: `arn:${p.partition}:kms:${p.recoveryRegion}:${p.accountId}:key/*`,
        Condition: {
          StringEquals: { 'kms:ViaService': `s3.${p.recoveryRegion}.amazonaws.com` },
          StringLike: { 'kms:EncryptionContext:aws:s3:arn': [recovery, `${recovery}/*`] },
          'ForAnyValue:StringEquals': { 'kms:ResourceAliases': p.recoveryKeyAlias },
        },
      },
    ],
  });
}

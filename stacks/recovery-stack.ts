import { TerraformOutput } from 'cdktf';
import type { Construct } from 'constructs';
import { DataAwsS3Object } from '@cdktf/provider-aws/lib/data-aws-s3-object';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import {
  mwaaSubnetIds,
  readsPythonPackageMirror,
  recoveredEnvironments,
  vpcCidr,
  type NetworkContract,
  type PlatformConfig,
  type TeamConfig,
  type TerraformRole,
} from '../model/model';
import { platformSecretNames, standbyCapacity } from '../model/recovery';
import type { ProviderMode } from '../constructs/common/account-provider';
import { PlatformStack } from '../constructs/common/platform-stack';
import { SecureBucket } from '../constructs/common/secure-bucket';
import { EnvironmentSecurityGroup } from '../constructs/participant/mwaa/environment-security-group';
import { TeamMwaaEnvironment } from '../constructs/participant/mwaa/mwaa-environment';
import { TeamAccessRole } from '../constructs/participant/mwaa/team-access-role';
import { TeamKmsKey } from '../constructs/participant/mwaa/team-kms-key';
import { ReconcileReadRole } from '../constructs/participant/reconcile-read-role';
import { StatusEventForwarder } from '../constructs/participant/status-event-forwarder';
import { reconcileRoleName } from '../contracts/endpoint-manager';
import {
  backupBucketName,
  dagReplicaBucketName,
  recoveryResourcePrefix,
  recoveryExecutionRoleName,
  recoveryStackName,
  teamResourcePrefix,
} from '../contracts/names';
import { RECOVERY_OPTIONS } from '../contracts/recovery';
import { RECOVERY_STACK_OUTPUTS } from '../contracts/outputs';

export interface RecoveryStackProps {
  readonly config: PlatformConfig;
  /** A team with at least one environment asking for recovery. */
  readonly team: TeamConfig;
  /** The recovery region's published network outputs; never the primary's, never any state. */
  readonly recoveryContract: NetworkContract;
  /**
   * Backup-restore environments to create now (failover): `npm run failover` synthesizes with them.
   * @default none: backup-restore environments exist as everything but the environment
   */
  readonly failoverEnvironments?: readonly string[];
  /** @default 'real' */
  readonly mode?: ProviderMode;
  /** @default 'deploy' */
  readonly terraformRole?: TerraformRole;
  /** Whether this stack holds its account's recovery reconcile role (one per account, like the primary's). @default true */
  readonly holdsReconcileRole?: boolean;
}

/** The Airflow option that keeps every DAG of a standby paused until failover unpauses what the primary ran. */
export const PAUSED_AT_CREATION = { 'core.dags_are_paused_at_creation': 'True' } as const;

/**
 * One team's side of the recovery region, in the team's account: the DAG bucket's replica (versioned, encrypted
 * with a key of the recovery region), each recovered environment's backup replica, execution role and security
 * group, the standby environments (warm-standby) or nothing more until failover (backup-restore). It reads only
 * the recovery contract: it plans and applies with the primary region unreachable.
 */
export class RecoveryStack extends PlatformStack {
  public readonly team: TeamConfig;
  public readonly kmsKey: TeamKmsKey;
  public readonly dagReplica: SecureBucket;
  /** Backup replica bucket by environment name. */
  public readonly backupReplicas: ReadonlyMap<string, SecureBucket>;
  /** Environments that exist in the recovery region now (standbys, and backup-restore ones being failed over). */
  public readonly environments: ReadonlyMap<string, TeamMwaaEnvironment>;
  public readonly securityGroup: EnvironmentSecurityGroup;

  constructor(scope: Construct, props: RecoveryStackProps) {
    const { platform } = props.config;
    const recovery = platform.recovery;
    if (!recovery) throw new Error('a recovery stack needs platform.yaml recovery');
    super(scope, recoveryStackName(props.team.team), {
      platform,
      accountId: props.team.accountId,
      team: props.team.team,
      teamTags: props.team.tags,
      mode: props.mode,
      terraformRole: props.terraformRole,
      region: recovery.region,
    });
    this.team = props.team;
    const contract = props.recoveryContract;
    const teamPrefix = teamResourcePrefix(platform.platform, props.team.team);
    const name = recoveryResourcePrefix(teamPrefix, recovery.region);
    const recovered = recoveredEnvironments(props.team);
    if (recovered.length === 0) throw new Error(`RecoveryStack: team ${props.team.team} asks for no recovery`);
    const failover = new Set(props.failoverEnvironments ?? []);
    const artifacts = props.config.artifacts[props.team.team];

    new StatusEventForwarder(this, 'status-forwarder', {
      name,
      ownerBusArn: contract.eventBusArn,
      environmentNames: recovered.map((e) => e.name),
    });
    if (props.holdsReconcileRole ?? true) {
      new ReconcileReadRole(this, 'endpoint-reconcile-role', {
        roleName: reconcileRoleName(recoveryResourcePrefix(platform.platform, recovery.region)),
        endpointManagerRoleArn: contract.endpointManagerRoleArn,
      });
    }

    this.kmsKey = new TeamKmsKey(this, 'kms-key', { name, environmentNames: recovered.map((e) => e.name) });
    this.dagReplica = new SecureBucket(this, 'dag-replica', {
      bucketName: dagReplicaBucketName(teamPrefix, recovery.region, this.accountId),
      kmsKeyArn: this.kmsKey.keyArn,
    });
    this.securityGroup = new EnvironmentSecurityGroup(this, 'security-group', {
      name,
      vpcId: contract.vpcId,
      vpcCidr: vpcCidr(platform, recovery.network),
      s3PrefixListId: contract.s3PrefixListId,
    });

    const backupReplicas = new Map<string, SecureBucket>();
    const environments = new Map<string, TeamMwaaEnvironment>();
    for (const env of recovered) {
      const key = env.name;
      const backups = new SecureBucket(this, `backup-replica-${key}`, {
        bucketName: backupBucketName(env.name, recovery.region, this.accountId),
        kmsKeyArn: this.kmsKey.keyArn,
      });
      backupReplicas.set(env.name, backups);
      const exists = env.recovery === 'warm-standby' || failover.has(env.name);
      if (!exists) continue;

      // The replicated objects keep their version ids; the environment is pinned to what the replica holds now.
      const files = artifacts?.environments[env.name] ?? {};
      const replicated = (kind: keyof typeof files) =>
        files[kind]
          ? new DataAwsS3Object(this, `replicated-${kind}-${key}`, {
              bucket: this.dagReplica.bucketName,
              key: files[kind]!.key,
              dependsOn: [this.dagReplica.versioning],
            })
          : undefined;
      const environment = new TeamMwaaEnvironment(this, `environment-${key}`, {
        environment: env,
        bucketArn: this.dagReplica.bucketArn,
        subnetIds: mwaaSubnetIds(platform, contract, recovery.network),
        securityGroupIds: [this.securityGroup.securityGroupId],
        logRetentionDays: props.team.logRetentionDays,
        kmsKeyArn: props.team.customerManagedKey ? this.kmsKey.keyArn : undefined,
        requirements: replicated('requirements'),
        plugins: replicated('plugins'),
        startupScript: replicated('startupScript'),
        executionRoleName: recoveryExecutionRoleName(env.name, recovery.region),
        // A standby costs its smallest size; a failed-over environment takes the primary's.
        capacity: env.recovery === 'warm-standby' && !failover.has(env.name) ? standbyCapacity(env) : undefined,
        // The recovery region's own mirror (the recovery contract's): the primary's is out of reach in a regional outage.
        pythonPackageMirror: readsPythonPackageMirror(env) ? contract.codeArtifact : undefined,
        platformAirflowOptions: {
          ...PAUSED_AT_CREATION,
          // The restore reads the primary's replicated backups; a standby writes none of its own.
          [RECOVERY_OPTIONS.restoreBucket]: backups.bucketName,
        },
      });
      // The replica is encrypted with the recovery key whether or not the team has its own key for MWAA.
      new IamRolePolicy(this, `read-replicas-${key}`, {
        role: environment.executionRole.roleName,
        name: 'read-recovery-replicas',
        policy: recoveryExecutionPolicy({
          region: this.region,
          keyArn: this.kmsKey.keyArn,
          backupBucketArn: backups.bucketArn,
          secretArnPatterns: platformSecretNames(props.team, env).map((secret) =>
            // Secrets Manager appends `-` and six random characters to a secret's name in its ARN.
            this.arn({ service: 'secretsmanager', resource: 'secret', separator: ':', resourceName: `${secret}-??????` }),
          ),
        }),
      });
      environments.set(env.name, environment);
    }
    this.backupReplicas = backupReplicas;
    this.environments = environments;

    if (props.team.access) {
      new TeamAccessRole(this, 'access-role', {
        name,
        principals: props.team.access.principals,
        environmentNames: recovered.map((e) => e.name),
        airflowRole: props.team.access.airflowRole,
      });
    }

    new TerraformOutput(this, RECOVERY_STACK_OUTPUTS.dagBucket, { value: this.dagReplica.bucketName });
    new TerraformOutput(this, RECOVERY_STACK_OUTPUTS.environments, {
      value: Object.fromEntries(recovered.map((env) => [env.name, { mode: env.recovery, exists: environments.has(env.name) }])),
    });
  }
}

export interface RecoveryExecutionPolicyInput {
  /** The recovery region. */
  readonly region: string;
  /** The recovery key: replicas of the DAG and backup buckets, and of the platform's secrets, are encrypted with it. */
  readonly keyArn: string;
  /** The replica of the primary's backup bucket. */
  readonly backupBucketArn: string;
  /** ARN patterns of the platform's secrets replicated to this region for the environment (none without). */
  readonly secretArnPatterns: readonly string[];
}

/**
 * What a recovery-side execution role needs beyond its environment's own policy: read the replicated backups
 * (restore), write a backup of its own there (the first step of failback, which the primary then restores), and
 * decrypt the replicated platform secrets, each only through its service. Pure, for the IAM simulation.
 */
export function recoveryExecutionPolicy(p: RecoveryExecutionPolicyInput): string {
  const throughS3 = { 'kms:ViaService': `s3.${p.region}.amazonaws.com` };
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'ReadBackups',
        Effect: 'Allow',
        Action: ['s3:GetObject', 's3:GetObjectVersion', 's3:ListBucket'],
        Resource: [p.backupBucketArn, `${p.backupBucketArn}/*`],
      },
      { Sid: 'WriteFailbackBackups', Effect: 'Allow', Action: 's3:PutObject', Resource: `${p.backupBucketArn}/*` },
      {
        Sid: 'DecryptReplicas',
        Effect: 'Allow',
        Action: 'kms:Decrypt',
        Resource: p.keyArn,
        Condition: { StringEquals: throughS3 },
      },
      {
        Sid: 'EncryptFailbackBackups',
        Effect: 'Allow',
        Action: 'kms:GenerateDataKey',
        Resource: p.keyArn,
        Condition: {
          StringEquals: throughS3,
          StringLike: { 'kms:EncryptionContext:aws:s3:arn': [p.backupBucketArn, `${p.backupBucketArn}/*`] },
        },
      },
      ...(p.secretArnPatterns.length > 0
        ? [
            {
              // Reading the secret itself is the environment policy's ReadAirflowSecrets (the backend's prefixes).
              Sid: 'DecryptReplicatedSecrets',
              Effect: 'Allow',
              Action: 'kms:Decrypt',
              Resource: p.keyArn,
              Condition: {
                StringEquals: { 'kms:ViaService': `secretsmanager.${p.region}.amazonaws.com` },
                StringLike: { 'kms:EncryptionContext:SecretARN': [...p.secretArnPatterns] },
              },
            },
          ]
        : []),
    ],
  });
}

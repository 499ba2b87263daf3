import { Construct } from 'constructs';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { MwaaEnvironment } from '@cdktf/provider-aws/lib/mwaa-environment';
import type { S3Object } from '@cdktf/provider-aws/lib/s3-object';
import type { DataAwsS3Object } from '@cdktf/provider-aws/lib/data-aws-s3-object';
import type { ITerraformDependable } from 'cdktf';
import type { EnvironmentConfig } from '../../../model/model';
import { environmentCapacity, type EnvironmentCapacity } from '../../../model/environment';
import { airflowOptionsRecord, effectiveAirflowOptions } from '../../../model/airflow-options';
import { DAGS_PREFIX } from './dag-bucket';
import { ExecutionRole } from './execution-role';
import { mwaaLogGroupName } from '../../../contracts/names';
import type { PythonPackageMirror } from '../../../contracts/python-packages';

/**
 * How long Terraform waits for the environment. hashicorp/aws 5.100.0's create waiter polls while the
 * status is CREATING and treats AVAILABLE *and PENDING* as done (`waitEnvironmentCreated` in
 * internal/service/mwaa/environment.go: Pending CREATING, Target AVAILABLE, PENDING). With
 * `endpoint_management = "CUSTOMER"` MWAA stops at PENDING until the owner's endpoint manager has created
 * the VPC endpoints, so `terraform apply` returns at PENDING: the create timeout bounds only MWAA's
 * service-side CREATING phase, and one hour does that with room. Waiting through PENDING to AVAILABLE (the
 * endpoints, then MWAA's 20-40 minute creation) is the apply command's job, not Terraform's. The update
 * waiter does wait for AVAILABLE (Pending UPDATING, CREATING_SNAPSHOT), and updates (Airflow upgrades, new
 * requirements) can take over an hour: two hours. Deletion tears down the same containers: one hour.
 */
export const MWAA_TIMEOUTS = { create: '1h', update: '2h', delete: '1h' } as const;

/** MWAA's log group name suffix per log type; MWAA names the groups `airflow-<env>-<suffix>`. */
export const LOG_TYPES = {
  dagProcessing: 'DAGProcessing',
  scheduler: 'Scheduler',
  task: 'Task',
  webserver: 'WebServer',
  worker: 'Worker',
} as const;

export interface MwaaEnvironmentProps {
  readonly environment: EnvironmentConfig;
  readonly bucketArn: string;
  /** The two shared subnets, in different availability zones (from the network contract). */
  readonly subnetIds: readonly string[];
  readonly securityGroupIds: readonly string[];
  /** Retention of the environment's five log groups. */
  readonly logRetentionDays: number;
  /**
   * The team's customer-managed key: environment, log groups and execution role use it.
   * @default an AWS owned key
   */
  readonly kmsKeyArn?: string;
  /** The uploaded object, or in the recovery region the replicated one read back with its version. @default no requirements file */
  readonly requirements?: S3Object | DataAwsS3Object;
  /** @default no plugins archive */
  readonly plugins?: S3Object | DataAwsS3Object;
  /** @default no startup script */
  readonly startupScript?: S3Object | DataAwsS3Object;
  /**
   * Objects MWAA must find when it starts (the DAGs), so the environment is created after them.
   * @default none
   */
  readonly dependsOn?: readonly ITerraformDependable[];
  /**
   * IAM name of the execution role (unique per account: the recovery region's carries the region).
   * @default `mwaaExecutionRoleName(environment.name)`
   */
  readonly executionRoleName?: string;
  /** @default the environment's own capacity (`environmentCapacity`) */
  readonly capacity?: EnvironmentCapacity;
  /** Airflow options the platform adds over the team's (the standby's paused DAGs). @default none */
  readonly platformAirflowOptions?: Readonly<Record<string, string>>;
  /**
   * Terraform `count` of the environment alone (a token: backup-restore creates it only at failover); its role,
   * log groups and everything else exist regardless.
   * @default always created
   */
  readonly count?: number;
  /**
   * The owner's CodeArtifact PyPI mirror: the execution role may read it and the environment gets its
   * coordinates as `codeartifact.*` Airflow options (AIRFLOW__CODEARTIFACT__* in the startup script).
   * @default none
   */
  readonly pythonPackageMirror?: PythonPackageMirror;
}

/**
 * One MWAA environment with its execution role and its log groups. The log groups are created here,
 * before the environment, because MWAA creates them without retention (never expiring) and offers no
 * setting for it; MWAA writes into groups that already exist.
 */
export class TeamMwaaEnvironment extends Construct {
  public readonly environment: MwaaEnvironment;
  public readonly executionRole: ExecutionRole;
  public readonly arn: string;
  public readonly webserverUrl: string;

  constructor(scope: Construct, id: string, props: MwaaEnvironmentProps) {
    super(scope, id);
    const env = props.environment;
    this.executionRole = new ExecutionRole(this, 'execution-role', {
      environmentName: env.name,
      bucketArn: props.bucketArn,
      kmsKeyArn: props.kmsKeyArn,
      secretsBackend: env.secretsBackend,
      pythonPackageMirror: props.pythonPackageMirror,
      roleName: props.executionRoleName,
    });

    const logGroups = Object.entries(LOG_TYPES).map(
      ([type, suffix]) =>
        new CloudwatchLogGroup(this, `log-group-${type}`, {
          name: mwaaLogGroupName(env.name, suffix),
          retentionInDays: props.logRetentionDays,
          kmsKeyId: props.kmsKeyArn,
        }),
    );

    const capacity = props.capacity ?? environmentCapacity(env);
    const log = (type: keyof typeof LOG_TYPES) => ({ enabled: env.logging[type].enabled, logLevel: env.logging[type].level });
    // The literal key keeps the plan readable; the version reference orders the environment after the upload.
    const objectPath = (o: S3Object | DataAwsS3Object | undefined) => (o ? { path: o.keyInput ?? o.key, version: o.versionId } : undefined);
    const requirements = objectPath(props.requirements);
    const plugins = objectPath(props.plugins);
    const startup = objectPath(props.startupScript);

    this.environment = new MwaaEnvironment(this, 'environment', {
      name: env.name,
      airflowVersion: env.airflowVersion,
      environmentClass: env.environmentClass,
      // The owner's endpoint manager creates the VPC endpoints in the shared VPC; MWAA must not.
      endpointManagement: 'CUSTOMER',
      webserverAccessMode: env.webserverAccessMode,
      ...capacity,
      weeklyMaintenanceWindowStart: env.weeklyMaintenanceWindowStart,
      executionRoleArn: this.executionRole.roleArn,
      sourceBucketArn: props.bucketArn,
      dagS3Path: DAGS_PREFIX,
      ...(requirements ? { requirementsS3Path: requirements.path, requirementsS3ObjectVersion: requirements.version } : {}),
      ...(plugins ? { pluginsS3Path: plugins.path, pluginsS3ObjectVersion: plugins.version } : {}),
      ...(startup ? { startupScriptS3Path: startup.path, startupScriptS3ObjectVersion: startup.version } : {}),
      kmsKey: props.kmsKeyArn,
      networkConfiguration: { subnetIds: [...props.subnetIds], securityGroupIds: [...props.securityGroupIds] },
      loggingConfiguration: {
        dagProcessingLogs: log('dagProcessing'),
        schedulerLogs: log('scheduler'),
        taskLogs: log('task'),
        webserverLogs: log('webserver'),
        workerLogs: log('worker'),
      },
      airflowConfigurationOptions: {
        ...airflowOptionsRecord(effectiveAirflowOptions(env, props.pythonPackageMirror)),
        ...props.platformAirflowOptions,
      },
      tags: { ...env.tags },
      timeouts: { ...MWAA_TIMEOUTS },
      ...(props.count !== undefined ? { count: props.count } : {}),
      dependsOn: [this.executionRole.policy, ...logGroups, ...(props.dependsOn ?? [])],
    });
    this.arn = this.environment.arn;
    this.webserverUrl = this.environment.webserverUrl;
  }
}

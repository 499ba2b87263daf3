import { Construct } from 'constructs';
import { readsPythonPackageMirror, type TeamConfig } from '../../../model/model';
import type { PythonPackageMirror } from '../../../contracts/python-packages';
import type { TeamArtifacts } from '../../../model/artifacts';
import { DagBucket } from './dag-bucket';
import { EnvironmentSecurityGroup } from './environment-security-group';
import { TeamMwaaEnvironment } from './mwaa-environment';
import { TeamAccessRole } from './team-access-role';
import { TeamKmsKey } from './team-kms-key';

export interface TeamMwaaProps {
  /** Resource name prefix, e.g. `acme-data-analytics`. */
  readonly name: string;
  /** The validated team; must request at least one environment. */
  readonly team: TeamConfig;
  /** What the team uploads (read at synth by `readTeamArtifacts`). */
  readonly artifacts: TeamArtifacts;
  /** Shared VPC, subnets and CIDR, from the network contract and platform.yaml. */
  readonly vpcId: string;
  readonly subnetIds: readonly string[];
  readonly vpcCidr: string;
  /**
   * Prefix list of the shared VPC's S3 gateway endpoint (from the network contract).
   * @default HTTPS egress to 0.0.0.0/0, which reaches only the gateway endpoint in a VPC without internet route
   */
  readonly s3PrefixListId?: string;
  /**
   * The owner's CodeArtifact PyPI mirror (from the network contract), for environments with a requirements file
   * or startup script.
   * @default none
   */
  readonly pythonPackageMirror?: PythonPackageMirror;
  /** Airflow options the platform sets per environment name over the team's (the recovery backup's). @default none */
  readonly platformAirflowOptions?: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /** User metadata on every uploaded object (see DagBucketProps.objectMetadata). @default none */
  readonly objectMetadata?: Readonly<Record<string, string>>;
}

/** Everything a team's MWAA environments need in its account: key, DAG bucket, security group, environments, access role. */
export class TeamMwaa extends Construct {
  public readonly bucket: DagBucket;
  public readonly securityGroup: EnvironmentSecurityGroup;
  /** @default undefined unless the team set `customerManagedKey: true` */
  public readonly kmsKey?: TeamKmsKey;
  /** By environment name, in configuration order. */
  public readonly environments: ReadonlyMap<string, TeamMwaaEnvironment>;
  /** @default undefined unless the team file has `access:` */
  public readonly accessRole?: TeamAccessRole;

  constructor(scope: Construct, id: string, props: TeamMwaaProps) {
    super(scope, id);
    const { team } = props;
    if (team.environments.length === 0) throw new Error(`TeamMwaa: team ${team.team} requests no environments`);
    const environmentNames = team.environments.map((e) => e.name);

    this.kmsKey = team.customerManagedKey ? new TeamKmsKey(this, 'kms-key', { name: props.name, environmentNames }) : undefined;
    const kmsKeyArn = this.kmsKey?.keyArn;
    this.bucket = new DagBucket(this, 'dag-bucket', {
      name: props.name,
      kmsKeyArn,
      dags: props.artifacts.dags,
      objectMetadata: props.objectMetadata,
    });
    this.securityGroup = new EnvironmentSecurityGroup(this, 'security-group', {
      name: props.name,
      vpcId: props.vpcId,
      vpcCidr: props.vpcCidr,
      s3PrefixListId: props.s3PrefixListId,
    });

    const environments = new Map<string, TeamMwaaEnvironment>();
    // An environment's name is already a safe, unique id (ENVIRONMENT_NAME: letters, digits, `_`, `-`): used as it is.
    for (const env of team.environments) {
      const files = props.artifacts.environments[env.name] ?? {};
      const upload = (kind: keyof typeof files) => (files[kind] ? this.bucket.addObject(`${kind}-${env.name}`, files[kind]!) : undefined);
      environments.set(
        env.name,
        new TeamMwaaEnvironment(this, `environment-${env.name}`, {
          environment: env,
          bucketArn: this.bucket.bucketArn,
          subnetIds: props.subnetIds,
          securityGroupIds: [this.securityGroup.securityGroupId],
          logRetentionDays: team.logRetentionDays,
          kmsKeyArn,
          requirements: upload('requirements'),
          plugins: upload('plugins'),
          startupScript: upload('startupScript'),
          dependsOn: this.bucket.dagObjects,
          pythonPackageMirror: readsPythonPackageMirror(env) ? props.pythonPackageMirror : undefined,
          platformAirflowOptions: props.platformAirflowOptions?.[env.name],
        }),
      );
    }
    this.environments = environments;

    if (team.access) {
      this.accessRole = new TeamAccessRole(this, 'access-role', {
        name: props.name,
        principals: team.access.principals,
        environmentNames,
        airflowRole: team.access.airflowRole,
      });
    }
  }
}

import { TerraformOutput, dependable } from 'cdktf';
import type { Construct } from 'constructs';
import {
  mwaaSubnetIds,
  recoveredEnvironments,
  sharedSubnetLayout,
  vpcCidr,
  type NetworkContract,
  type PlatformConfig,
  type TeamConfig,
  type TerraformRole,
} from '../model/model';
import type { ProviderMode } from '../constructs/common/account-provider';
import { TeamEks } from '../constructs/participant/eks/team-eks';
import { TeamMwaa } from '../constructs/participant/mwaa/team-mwaa';
import { backupAirflowOptions, PrimaryRecovery, recoveryKeyAliasArn } from '../constructs/recovery/primary-recovery';
import { replicatedSecretNames } from '../model/recovery';
import { ReconcileReadRole } from '../constructs/participant/reconcile-read-role';
import { StatusEventForwarder } from '../constructs/participant/status-event-forwarder';
import { PlatformStack } from '../constructs/common/platform-stack';
import { keyOf } from '../constructs/common/addresses';
import { reconcileRoleName } from '../contracts/endpoint-manager';
import { backupBucketName, participantStackName, teamResourcePrefix } from '../contracts/names';

export interface ParticipantStackProps {
  readonly config: PlatformConfig;
  readonly team: TeamConfig;
  /** The owner's published network outputs; never the owner's state. */
  readonly contract: NetworkContract;
  /** @default 'real' */
  readonly mode?: ProviderMode;
  /** @default 'deploy' */
  readonly terraformRole?: TerraformRole;
  /**
   * Whether this stack holds its account's reconcile role: exactly one team per account does (the first by
   * name, see {@link reconcileRoleHolders}), because the role has one fixed name in every account.
   * @default true
   */
  readonly holdsReconcileRole?: boolean;
}

/**
 * The team whose stack holds each account's reconcile role: the first team of the account by name. The role's
 * name is fixed (the endpoint manager derives its ARN from the account id alone), so only one stack may declare it.
 */
export function reconcileRoleHolders(teams: readonly TeamConfig[]): ReadonlySet<string> {
  const first = new Map<string, string>();
  for (const team of [...teams].sort((a, b) => a.team.localeCompare(b.team)))
    if (!first.has(team.accountId)) first.set(team.accountId, team.team);
  return new Set(first.values());
}

/** One participant team's account: everything its MWAA environments need, planned with that account's credentials only. */
export class ParticipantStack extends PlatformStack {
  public readonly team: TeamConfig;
  public readonly contract: NetworkContract;
  /** Forwards the status events of this team's environments; undefined when the team requests none. */
  public readonly statusForwarder?: StatusEventForwarder;
  /** The account's reconcile role; undefined unless this team holds it ({@link reconcileRoleHolders}). */
  public readonly reconcileRole?: ReconcileReadRole;
  /** The team's MWAA resources; undefined when the team requests no environment. */
  public readonly mwaa?: TeamMwaa;
  /** The team's EKS cluster for EksPodOperator tasks; undefined unless the team file has `eks:`. */
  public readonly eks?: TeamEks;
  /** Replication, backups and heartbeat alarms; undefined unless an environment asks for recovery. */
  public readonly recovery?: PrimaryRecovery;

  constructor(scope: Construct, props: ParticipantStackProps) {
    super(scope, participantStackName(props.team.team), {
      platform: props.config.platform,
      accountId: props.team.accountId,
      team: props.team.team,
      teamTags: props.team.tags,
      mode: props.mode,
      terraformRole: props.terraformRole,
    });
    this.team = props.team;
    this.contract = props.contract;
    const { platform } = props.config;
    const name = teamResourcePrefix(platform.platform, props.team.team);

    if (props.team.environments.length > 0) {
      this.statusForwarder = new StatusEventForwarder(this, 'status-forwarder', {
        name,
        ownerBusArn: props.contract.eventBusArn,
        environmentNames: props.team.environments.map((e) => e.name),
      });
    }
    if (props.holdsReconcileRole ?? true) {
      this.reconcileRole = new ReconcileReadRole(this, 'endpoint-reconcile-role', {
        roleName: reconcileRoleName(platform.platform),
        endpointManagerRoleArn: props.contract.endpointManagerRoleArn,
      });
    }

    const recovered = platform.recovery ? recoveredEnvironments(props.team) : [];
    if (props.team.environments.length > 0) {
      const mwaa = new TeamMwaa(this, 'mwaa', {
        name,
        team: props.team,
        artifacts: props.config.artifacts[props.team.team],
        vpcId: props.contract.vpcId,
        subnetIds: mwaaSubnetIds(platform, props.contract),
        vpcCidr: vpcCidr(platform),
        s3PrefixListId: props.contract.s3PrefixListId,
        pythonPackageMirror: props.contract.codeArtifact,
        platformAirflowOptions: Object.fromEntries(
          recovered.map((env) => [env.name, backupAirflowOptions(env, backupBucketName(env.name, this.region, this.accountId))]),
        ),
        objectMetadata: recovered.length > 0 ? { 'replicated-to': platform.recovery!.region } : undefined,
      });
      this.mwaa = mwaa;
      if (recovered.length > 0) {
        // The backup and restore DAGs, in the folder teams cannot write; replicated with the rest.
        for (const file of props.config.platformDags ?? []) mwaa.bucket.addObject(`platform-${keyOf(file.key)}`, file);
        this.recovery = new PrimaryRecovery(this, 'recovery', {
          teamPrefix: name,
          recoveryRegion: platform.recovery!.region,
          environments: recovered,
          mwaa,
          alarmSubscriberAccountIds: [platform.owner.accountId],
          platformAlarmTopicArn: platform.endpointManager.alarmTopicArn,
        });
      }
      // The first PENDING event must find the forwarding rule in place (the reconcile would catch it later).
      for (const env of mwaa.environments.values()) {
        env.environment.dependsOn = [...(env.environment.dependsOn ?? []), dependable(this.statusForwarder!.target)];
      }
      new TerraformOutput(this, 'mwaa_dag_bucket', { value: mwaa.bucket.bucketName });
      new TerraformOutput(this, 'mwaa_environments', {
        value: Object.fromEntries(
          [...mwaa.environments].map(([envName, env]) => [
            envName,
            { arn: env.arn, webserver_url: env.webserverUrl, execution_role_arn: env.executionRole.roleArn },
          ]),
        ),
      });
      if (mwaa.accessRole) new TerraformOutput(this, 'mwaa_access_role_arn', { value: mwaa.accessRole.roleArn });
    }

    if (props.team.eks) {
      this.eks = new TeamEks(this, 'eks', {
        platform,
        team: { ...props.team, eks: props.team.eks },
        vpcId: props.contract.vpcId,
        subnetIds: props.contract.subnetIds,
        subnetCidrs: sharedSubnetLayout(platform).map((s) => s.cidr),
        mwaaSecurityGroupId: this.mwaa?.securityGroup.securityGroupId,
        secretReplica: secretReplica(platform, props.team, this),
        executionRoles: [...(this.mwaa?.environments ?? [])].map(([environmentName, env]) => ({
          environmentName,
          roleName: env.executionRole.roleName,
          roleArn: env.executionRole.roleArn,
        })),
      });
    }
  }
}

/** The platform's secrets of environments with recovery, replicated with the recovery region's key; undefined when none. */
function secretReplica(platform: PlatformConfig['platform'], team: TeamConfig, stack: PlatformStack) {
  const secretNames = platform.recovery ? replicatedSecretNames(team) : [];
  if (!platform.recovery || secretNames.length === 0) return undefined;
  const recoveryRegion = platform.recovery.region;
  const teamPrefix = teamResourcePrefix(platform.platform, team.team);
  return {
    region: recoveryRegion,
    kmsKeyId: recoveryKeyAliasArn({ partition: stack.partition, accountId: stack.accountId, teamPrefix, recoveryRegion }),
    secretNames,
  };
}

import { TerraformOutput } from 'cdktf';
import type { Construct } from 'constructs';
import { mwaaSubnetIds, partitionOf, sharedSubnetLayout, vpcCidr, type NetworkContract, type PlatformConfig, type TeamConfig, type TerraformRole } from '../model/model';
import type { ProviderMode } from '../constructs/common/account-provider';
import { TeamEks } from '../constructs/participant/eks/team-eks';
import { TeamMwaa } from '../constructs/participant/mwaa/team-mwaa';
import { ReconcileReadRole } from '../constructs/participant/reconcile-read-role';
import { StatusEventForwarder } from '../constructs/participant/status-event-forwarder';
import { PlatformStack } from './platform-stack';
import { reconcileRoleName } from '../contracts/endpoint-manager';
import { participantStackName, teamResourcePrefix } from '../contracts/names';


export interface ParticipantStackProps {
  readonly config: PlatformConfig;
  readonly team: TeamConfig;
  /** The owner's published network outputs; never the owner's state. */
  readonly contract: NetworkContract;
  /** @default 'real' */
  readonly mode?: ProviderMode;
  /** @default 'deploy' */
  readonly terraformRole?: TerraformRole;
}

/** One participant team's account: everything its MWAA environments need, planned with that account's credentials only. */
export class ParticipantStack extends PlatformStack {
  public readonly team: TeamConfig;
  public readonly contract: NetworkContract;
  public readonly statusForwarder: StatusEventForwarder;
  public readonly reconcileRole: ReconcileReadRole;
  /** The team's MWAA resources; undefined when the team requests no environment. */
  public readonly mwaa?: TeamMwaa;
  /** The team's EKS cluster for EksPodOperator tasks; undefined unless the team file has `eks:`. */
  public readonly eks?: TeamEks;

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
    const partition = partitionOf(platform.region);
    const name = teamResourcePrefix(platform.platform, props.team.team);

    this.statusForwarder = new StatusEventForwarder(this, 'status-forwarder', {
      name,
      accountId: props.team.accountId,
      region: platform.region,
      partition,
      ownerBusArn: props.contract.eventBusArn,
    });
    this.reconcileRole = new ReconcileReadRole(this, 'endpoint-reconcile-role', {
      roleName: reconcileRoleName(platform.platform),
      endpointManagerRoleArn: props.contract.endpointManagerRoleArn,
      accountId: props.team.accountId,
      region: platform.region,
      partition,
    });

    if (props.team.environments.length > 0) {
      const mwaa = new TeamMwaa(this, 'mwaa', {
        name,
        team: props.team,
        artifacts: props.config.artifacts[props.team.team],
        region: platform.region,
        partition,
        vpcId: props.contract.vpcId,
        subnetIds: mwaaSubnetIds(platform, props.contract),
        vpcCidr: vpcCidr(platform),
        s3PrefixListId: props.contract.s3PrefixListId,
      });
      this.mwaa = mwaa;
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
        executionRoles: [...(this.mwaa?.environments ?? [])].map(([environmentName, env]) => ({
          environmentName,
          roleName: env.executionRole.roleName,
          roleArn: env.executionRole.roleArn,
        })),
        partition,
      });
    }
  }
}

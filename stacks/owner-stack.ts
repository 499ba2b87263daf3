import { TerraformOutput } from 'cdktf';
import type { Construct } from 'constructs';
import {
  configuredPythonPackageMirror,
  endpointSubnetIndexes,
  platformInterfaceServices,
  readsPythonPackageMirror,
  recoveredEnvironments,
  recoveryInterfaceServices,
  vpcSubnetLayout,
  type PlatformConfig,
  type TerraformRole,
} from '../model/model';
import { networkFingerprint, recoveryNetworkFingerprint } from '../model/contract';
import type { ProviderMode } from '../constructs/common/account-provider';
import { EndpointManager } from '../constructs/owner/endpoint-manager';
import { MwaaEndpoints } from '../constructs/owner/mwaa-endpoints';
import { PythonPackageMirror } from '../constructs/owner/python-package-mirror';
import { AdoptedSharedVpc, CreatedSharedVpc, type SharedVpcNetwork } from '../constructs/owner/shared-vpc';
import { StatusEventBus } from '../constructs/owner/status-event-bus';
import { SubnetShare } from '../constructs/owner/subnet-share';
import { WebserverSecurityGroup } from '../constructs/owner/webserver-security-group';
import { OWNER_TEAM } from '../constructs/common/tags';
import { ENDPOINT_MANAGER_ALARMS, endpointManagerAlarmName, endpointManagerName, reconcileRoleName } from '../contracts/endpoint-manager';
import { AlarmTopic } from '../constructs/common/alarm-topic';
import {
  mwaaExecutionRoleName,
  OWNER_STACK,
  RECOVERY_OWNER_STACK,
  recoveryExecutionRoleName,
  recoveryResourcePrefix,
} from '../contracts/names';
import { iamRoleArn } from '../contracts/aws';
import { OWNER_OUTPUTS } from '../contracts/outputs';
import { initialSqsEndpointPolicy } from '../contracts/sqs-endpoint-policy';
import { PlatformStack } from '../constructs/common/platform-stack';

export interface OwnerStackProps {
  readonly config: PlatformConfig;
  /** @default 'real' */
  readonly mode?: ProviderMode;
  /** @default 'deploy' */
  readonly terraformRole?: TerraformRole;
  /**
   * Which region's owner stack: the primary (`owner`), or the recovery region's (`owner-recovery`, platform.yaml
   * `recovery`) with its own VPC, share, endpoints, status bus, endpoint manager and PyPI mirror, names carrying the
   * region, and nothing that refers to the primary region.
   * @default 'primary'
   */
  readonly site?: 'primary' | 'recovery';
}

/** The network account: shared VPC, RAM share, MWAA endpoints, status event bus and endpoint manager. */
export class OwnerStack extends PlatformStack {
  public readonly network: SharedVpcNetwork;
  public readonly endpoints: MwaaEndpoints;
  public readonly statusBus: StatusEventBus;
  public readonly webserverSecurityGroup: WebserverSecurityGroup;
  public readonly endpointManager: EndpointManager;
  /** The recovery region's topic for the endpoint manager's alarms; undefined in the primary (platform.yaml names its topic). */
  public readonly alarmTopic?: AlarmTopic;
  /** The CodeArtifact PyPI mirror; undefined unless `network.pythonPackages.codeArtifact` is set. */
  public readonly pythonPackageMirror?: PythonPackageMirror;

  constructor(scope: Construct, props: OwnerStackProps) {
    const { platform, teams } = props.config;
    const recovery = props.site === 'recovery' ? platform.recovery : undefined;
    if (props.site === 'recovery' && !recovery) throw new Error('the recovery owner stack needs platform.yaml recovery');
    super(scope, recovery ? RECOVERY_OWNER_STACK : OWNER_STACK, {
      platform,
      accountId: platform.owner.accountId,
      team: OWNER_TEAM,
      mode: props.mode,
      terraformRole: props.terraformRole,
      region: recovery?.region,
    });
    const name = recovery ? recoveryResourcePrefix(platform.platform, recovery.region) : platform.platform;
    const networkSection = recovery ? recovery.network : platform.network;
    const layout = vpcSubnetLayout(networkSection);
    // The same accounts in both regions: a team's recovery stack runs in the account of its primary one.
    const participantAccounts = [...new Set(teams.map((t) => t.accountId))].sort();

    let subnets: { key: string; arn: string }[];
    if (networkSection.create) {
      const vpc = new CreatedSharedVpc(this, 'shared-vpc', {
        name,
        cidr: networkSection.create.cidr,
        subnets: layout,
        flowLogRetentionDays: networkSection.create.flowLogRetentionDays,
      });
      this.network = vpc;
      subnets = vpc.subnetKeys.map((key, i) => ({ key, arn: vpc.subnetArns[i] }));
    } else {
      const adopt = networkSection.adopt!;
      this.network = new AdoptedSharedVpc(this, 'shared-vpc', {
        vpcId: adopt.vpcId,
        cidr: adopt.cidr,
        subnets: layout,
        routeTableIds: adopt.routeTableIds,
      });
      subnets = adopt.subnets.map((s) => ({ key: s.id, arn: this.arn({ service: 'ec2', resource: 'subnet', resourceName: s.id }) }));
    }

    const sharing = platform.sharing;
    const shareWith = sharing?.organizationArn
      ? [sharing.organizationArn]
      : sharing?.organizationalUnitArns.length
        ? [...sharing.organizationalUnitArns]
        : participantAccounts;
    new SubnetShare(this, 'subnet-share', { name, subnets, principals: shareWith });

    this.endpoints = new MwaaEndpoints(this, 'mwaa-endpoints', {
      name,
      vpcId: this.network.vpcId,
      // One subnet per AZ: EC2 refuses two subnets of one zone on an interface endpoint.
      subnetIds: endpointSubnetIndexes(layout).map((i) => this.network.subnetIds[i]!),
      clientCidrs: this.network.subnetCidrs,
      routeTableIds: this.network.privateRouteTableIds,
      interfaceServices: recovery ? recoveryInterfaceServices(platform) : platformInterfaceServices(platform),
      initialSqsPolicy: initialSqsEndpointPolicy({ region: this.region, partition: this.partition }),
    });

    this.webserverSecurityGroup = new WebserverSecurityGroup(this, 'webserver-sg', {
      name,
      vpcId: this.network.vpcId,
      subnetCidrs: this.network.subnetCidrs,
      clientCidrs: platform.network.webserverClients.cidrs,
      clientSecurityGroupIds: platform.network.webserverClients.securityGroupIds,
    });

    this.statusBus = new StatusEventBus(this, 'status-bus', {
      name,
      participantAccountIds: participantAccounts,
      organizationId: sharing?.organizationId,
    });

    // A topic of the primary region cannot be an alarm action here: the recovery side notifies through its own.
    if (recovery) {
      this.alarmTopic = new AlarmTopic(this, 'endpoint-manager-alarm-topic', {
        name: `${endpointManagerName(name)}-alarms`,
        alarmNames: ENDPOINT_MANAGER_ALARMS.map((key) => endpointManagerAlarmName(name, key)),
      });
    }
    this.endpointManager = new EndpointManager(this, 'endpoint-manager', {
      name,
      vpcId: this.network.vpcId,
      subnetIds: this.network.subnetIds,
      endpointSecurityGroupId: this.endpoints.securityGroupId,
      webserverSecurityGroupId: this.webserverSecurityGroup.securityGroupId,
      sqsEndpointId: this.endpoints.sqsEndpointId,
      statusBusName: this.statusBus.busName,
      participantAccountIds: participantAccounts,
      reconcileRoleName: reconcileRoleName(name),
      reconcileSchedule: platform.endpointManager.reconcileSchedule,
      logRetentionDays: platform.endpointManager.logRetentionDays,
      alarmTopicArn: this.alarmTopic?.topicArn ?? platform.endpointManager.alarmTopicArn,
    });

    // The recovery region gets its own mirror under the same names (CodeArtifact domains are unique per account and
    // region): a standby cannot install its requirements from a region that is down.
    const mirror = configuredPythonPackageMirror(platform);
    if (mirror) {
      this.pythonPackageMirror = new PythonPackageMirror(this, 'python-package-mirror', {
        domain: mirror.domain,
        repository: mirror.repository,
        upstreamRepository: mirror.upstreamRepository,
        // Named, not looked up: the roles are created later by the participant or recovery stacks (see
        // mwaaExecutionRoleName); on the recovery side every recovered environment's, so failover needs no owner apply.
        readerRoleArns: teams.flatMap((team) =>
          (recovery ? recoveredEnvironments(team) : team.environments)
            .filter(readsPythonPackageMirror)
            .map((env) =>
              iamRoleArn(
                this.partition,
                team.accountId,
                recovery ? recoveryExecutionRoleName(env.name, recovery.region) : mwaaExecutionRoleName(env.name),
              ),
            ),
        ),
      });
    }

    // Stable names: `npm run publish-network` turns these outputs into config/network-contract.json.
    new TerraformOutput(this, OWNER_OUTPUTS.vpcId, { value: this.network.vpcId });
    new TerraformOutput(this, OWNER_OUTPUTS.subnetIds, { value: this.network.subnetIds });
    new TerraformOutput(this, OWNER_OUTPUTS.endpointSecurityGroupId, { value: this.endpoints.securityGroupId });
    new TerraformOutput(this, OWNER_OUTPUTS.s3PrefixListId, { value: this.endpoints.s3PrefixListId });
    new TerraformOutput(this, OWNER_OUTPUTS.sqsEndpointId, { value: this.endpoints.sqsEndpointId });
    new TerraformOutput(this, OWNER_OUTPUTS.eventBusArn, { value: this.statusBus.busArn });
    new TerraformOutput(this, OWNER_OUTPUTS.endpointManagerRoleArn, { value: this.endpointManager.roleArn });
    new TerraformOutput(this, OWNER_OUTPUTS.networkFingerprint, {
      value: recovery ? recoveryNetworkFingerprint(platform) : networkFingerprint(platform),
    });
    if (this.alarmTopic) new TerraformOutput(this, 'endpoint_manager_alarm_topic_arn', { value: this.alarmTopic.topicArn });
    if (this.pythonPackageMirror) {
      new TerraformOutput(this, OWNER_OUTPUTS.codeArtifactDomain, { value: this.pythonPackageMirror.domainName });
      new TerraformOutput(this, OWNER_OUTPUTS.codeArtifactDomainOwner, { value: this.pythonPackageMirror.domainOwner });
      new TerraformOutput(this, OWNER_OUTPUTS.codeArtifactRepository, { value: this.pythonPackageMirror.repositoryName });
    }
  }
}

import { TerraformOutput } from 'cdktf';
import type { Construct } from 'constructs';
import { partitionOf, sharedSubnetLayout, type PlatformConfig, type TerraformRole } from '../config/model';
import { networkFingerprint } from '../config/contract';
import { INTERFACE_ENDPOINTS_MWAA_NEEDS } from '../config/schema/platform';
import type { ProviderMode } from '../constructs/account-provider';
import { EndpointManager } from '../constructs/endpoint-manager';
import { MwaaEndpoints } from '../constructs/mwaa-endpoints';
import { AdoptedSharedVpc, CreatedSharedVpc, type SharedVpcNetwork } from '../constructs/shared-vpc';
import { StatusEventBus } from '../constructs/status-event-bus';
import { SubnetShare } from '../constructs/subnet-share';
import { OWNER_TEAM } from '../constructs/tags';
import { initialSqsEndpointPolicy } from '../lambda/endpoint-manager/src/policy';
import { PlatformStack } from './platform-stack';
import { reconcileRoleName } from './participant-stack';

export const OWNER_STACK = 'owner';

export interface OwnerStackProps {
  readonly config: PlatformConfig;
  /** @default 'real' */
  readonly mode?: ProviderMode;
  /** @default 'deploy' */
  readonly terraformRole?: TerraformRole;
}

/** The network account: shared VPC, RAM share, MWAA endpoints, status event bus and endpoint manager. */
export class OwnerStack extends PlatformStack {
  public readonly network: SharedVpcNetwork;
  public readonly endpoints: MwaaEndpoints;
  public readonly statusBus: StatusEventBus;
  public readonly endpointManager: EndpointManager;

  constructor(scope: Construct, props: OwnerStackProps) {
    const { platform, teams } = props.config;
    super(scope, OWNER_STACK, { platform, accountId: platform.owner.accountId, team: OWNER_TEAM, mode: props.mode, terraformRole: props.terraformRole });
    const name = platform.platform;
    const partition = partitionOf(platform.region);
    const layout = sharedSubnetLayout(platform);
    const participantAccounts = [...new Set(teams.map((t) => t.accountId))].sort();

    let subnetArns: string[];
    if (platform.network.create) {
      const vpc = new CreatedSharedVpc(this, 'shared-vpc', {
        name,
        cidr: platform.network.create.cidr,
        subnets: layout,
        flowLogRetentionDays: platform.network.create.flowLogRetentionDays,
      });
      this.network = vpc;
      subnetArns = vpc.subnetArns;
    } else {
      const adopt = platform.network.adopt!;
      this.network = new AdoptedSharedVpc(this, 'shared-vpc', { vpcId: adopt.vpcId, cidr: adopt.cidr, subnets: layout, routeTableIds: adopt.routeTableIds });
      subnetArns = adopt.subnets.map((s) => `arn:${partition}:ec2:${platform.region}:${platform.owner.accountId}:subnet/${s.id}`);
    }

    const sharing = platform.sharing;
    const shareWith = sharing?.organizationArn
      ? [sharing.organizationArn]
      : sharing?.organizationalUnitArns.length
        ? [...sharing.organizationalUnitArns]
        : participantAccounts;
    new SubnetShare(this, 'subnet-share', { name, subnetArns, principals: shareWith });

    this.endpoints = new MwaaEndpoints(this, 'mwaa-endpoints', {
      name,
      region: platform.region,
      vpcId: this.network.vpcId,
      subnetIds: this.network.subnetIds,
      clientCidrs: this.network.subnetCidrs,
      routeTableIds: this.network.privateRouteTableIds,
      interfaceServices: [...new Set([...INTERFACE_ENDPOINTS_MWAA_NEEDS, ...platform.network.extraInterfaceEndpoints])],
      initialSqsPolicy: initialSqsEndpointPolicy(platform.region, partition),
    });

    this.statusBus = new StatusEventBus(this, 'status-bus', {
      name,
      partition,
      participantAccountIds: participantAccounts,
      organizationId: sharing?.organizationId,
    });

    this.endpointManager = new EndpointManager(this, 'endpoint-manager', {
      name,
      accountId: platform.owner.accountId,
      region: platform.region,
      partition,
      vpcId: this.network.vpcId,
      subnetIds: this.network.subnetIds,
      endpointSecurityGroupId: this.endpoints.securityGroupId,
      sqsEndpointId: this.endpoints.sqsEndpointId,
      statusBusName: this.statusBus.busName,
      participantAccountIds: participantAccounts,
      reconcileRoleName: reconcileRoleName(platform.platform),
      reconcileSchedule: platform.endpointManager.reconcileSchedule,
      logRetentionDays: platform.endpointManager.logRetentionDays,
      alarmTopicArn: platform.endpointManager.alarmTopicArn,
    });

    // Stable names: `npm run publish-network` turns these outputs into config/network-contract.json.
    new TerraformOutput(this, 'vpc_id', { value: this.network.vpcId });
    new TerraformOutput(this, 'subnet_ids', { value: this.network.subnetIds });
    new TerraformOutput(this, 'endpoint_security_group_id', { value: this.endpoints.securityGroupId });
    new TerraformOutput(this, 's3_prefix_list_id', { value: this.endpoints.s3PrefixListId });
    new TerraformOutput(this, 'sqs_endpoint_id', { value: this.endpoints.sqsEndpointId });
    new TerraformOutput(this, 'event_bus_arn', { value: this.statusBus.busArn });
    new TerraformOutput(this, 'endpoint_manager_role_arn', { value: this.endpointManager.roleArn });
    new TerraformOutput(this, 'network_fingerprint', { value: networkFingerprint(platform) });
  }
}

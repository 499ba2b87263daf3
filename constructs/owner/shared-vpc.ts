import { Construct } from 'constructs';
import { Vpc } from '@cdktf/provider-aws/lib/vpc';
import { Subnet } from '@cdktf/provider-aws/lib/subnet';
import { RouteTable } from '@cdktf/provider-aws/lib/route-table';
import { RouteTableAssociation } from '@cdktf/provider-aws/lib/route-table-association';
import { DefaultSecurityGroup } from '@cdktf/provider-aws/lib/default-security-group';
import { FlowLog } from '@cdktf/provider-aws/lib/flow-log';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import type { SharedSubnetLayout } from '../../model/model';
import { keyOf, moveFromLegacyId } from '../common/addresses';
import { PlatformStack } from '../common/platform-stack';
import { serviceTrustPolicy } from '../common/resource-policies';
import { policyJson } from '../common/policy-document';

export interface CreatedVpcProps {
  readonly cidr: string;
  readonly subnets: readonly SharedSubnetLayout[];
  /** Resource name prefix. */
  readonly name: string;
  readonly flowLogRetentionDays: number;
}

export interface AdoptedVpcProps {
  readonly vpcId: string;
  readonly cidr: string;
  readonly subnets: readonly SharedSubnetLayout[];
  /** Route tables of the private subnets, for the S3 gateway endpoint. @default none: no S3 gateway endpoint routes */
  readonly routeTableIds: readonly string[];
}

/** What the rest of the owner stack needs from the VPC, whether it was created or adopted. */
export interface SharedVpcNetwork {
  readonly vpcId: string;
  readonly cidr: string;
  /** Private subnet ids in configuration order. */
  readonly subnetIds: readonly string[];
  readonly subnetCidrs: readonly string[];
  readonly privateRouteTableIds: readonly string[];
}

/**
 * A private-only VPC for MWAA: one private subnet per AZ, each with its own route table and no route
 * to the internet, DNS on (interface endpoints with private DNS need it), the default security group
 * stripped of rules, and flow logs to CloudWatch.
 */
export class CreatedSharedVpc extends Construct implements SharedVpcNetwork {
  public readonly vpcId: string;
  public readonly cidr: string;
  public readonly subnetIds: string[];
  public readonly subnetCidrs: string[];
  public readonly privateRouteTableIds: string[];
  public readonly subnetArns: string[];
  /** What each subnet is, in the order of `subnetIds`: its AZ as used in construct ids. */
  public readonly subnetKeys: string[];

  constructor(scope: Construct, id: string, props: CreatedVpcProps) {
    super(scope, id);
    const vpc = new Vpc(this, 'vpc', {
      cidrBlock: props.cidr,
      enableDnsSupport: true,
      enableDnsHostnames: true,
      tags: { Name: `${props.name}-shared` },
    });
    new DefaultSecurityGroup(this, 'default-sg', { vpcId: vpc.id, ingress: [], egress: [] });

    this.vpcId = vpc.id;
    this.cidr = props.cidr;
    this.subnetIds = [];
    this.subnetArns = [];
    this.subnetKeys = [];
    this.subnetCidrs = [];
    this.privateRouteTableIds = [];
    // Keyed by AZ (validation allows one created subnet per AZ): adding a zone never re-points another's subnet.
    props.subnets.forEach((layout, index) => {
      const az = keyOf(layout.availabilityZone);
      const subnet = new Subnet(this, `private-${az}`, {
        vpcId: vpc.id,
        cidrBlock: layout.cidr,
        availabilityZone: layout.availabilityZone,
        mapPublicIpOnLaunch: false,
        tags: { Name: `${props.name}-private-${layout.availabilityZone}`, Tier: 'private' },
      });
      const routes = new RouteTable(this, `private-${az}-routes`, {
        vpcId: vpc.id,
        tags: { Name: `${props.name}-private-${layout.availabilityZone}` },
      });
      const association = new RouteTableAssociation(this, `private-${az}-routes-association`, {
        subnetId: subnet.id,
        routeTableId: routes.id,
      });
      // Until this version the ids were list positions (`private-<index>`): move that state here.
      moveFromLegacyId(subnet, `private-${index}`);
      moveFromLegacyId(routes, `private-${index}-routes`);
      moveFromLegacyId(association, `private-${index}-routes-association`);
      this.subnetKeys.push(az);
      this.subnetIds.push(subnet.id);
      this.subnetArns.push(subnet.arn);
      this.subnetCidrs.push(layout.cidr);
      this.privateRouteTableIds.push(routes.id);
    });

    // The flow-log role trusts only this account's flow logs.
    const stack = PlatformStack.of(this);
    const { accountId } = stack;
    const flowLogGroup = new CloudwatchLogGroup(this, 'flow-log-group', {
      name: `/vpc/${props.name}-shared/flow-logs`,
      retentionInDays: props.flowLogRetentionDays,
    });
    const flowLogRole = new IamRole(this, 'flow-log-role', {
      name: `${props.name}-vpc-flow-logs`,
      // Confused-deputy guard the VPC user guide recommends: only flow logs of this account (their id is not known
      // before creation, hence the wildcard).
      assumeRolePolicy: serviceTrustPolicy({
        service: 'vpc-flow-logs.amazonaws.com',
        sourceAccount: accountId,
        sourceArn: stack.arn({ service: 'ec2', resource: 'vpc-flow-log', resourceName: '*' }),
      }),
    });
    new IamRolePolicy(this, 'flow-log-policy', {
      role: flowLogRole.id,
      name: 'write-flow-logs',
      policy: policyJson([
        {
          Effect: 'Allow',
          Action: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
          Resource: [`${flowLogGroup.arn}:*`],
        },
      ]),
    });
    new FlowLog(this, 'flow-log', {
      vpcId: vpc.id,
      trafficType: 'ALL',
      logDestinationType: 'cloud-watch-logs',
      logDestination: flowLogGroup.arn,
      iamRoleArn: flowLogRole.arn,
    });
  }
}

/** An existing VPC whose private subnets the platform shares ("bring your own shared VPC"). Nothing is created. */
export class AdoptedSharedVpc extends Construct implements SharedVpcNetwork {
  public readonly vpcId: string;
  public readonly cidr: string;
  public readonly subnetIds: string[];
  public readonly subnetCidrs: string[];
  public readonly privateRouteTableIds: string[];

  constructor(scope: Construct, id: string, props: AdoptedVpcProps) {
    super(scope, id);
    this.vpcId = props.vpcId;
    this.cidr = props.cidr;
    this.subnetIds = props.subnets.map((s) => s.id!);
    this.subnetCidrs = props.subnets.map((s) => s.cidr);
    this.privateRouteTableIds = [...props.routeTableIds];
  }
}

import { Construct } from 'constructs';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { VpcSecurityGroupEgressRule } from '@cdktf/provider-aws/lib/vpc-security-group-egress-rule';

export interface EnvironmentSecurityGroupProps {
  /** Resource name prefix, e.g. `acme-data-analytics`. */
  readonly name: string;
  /** The shared VPC (from the network contract). */
  readonly vpcId: string;
  /** The shared VPC's CIDR: interface endpoints and MWAA's own endpoints live in its subnets. */
  readonly vpcCidr: string;
  /**
   * The region's S3 managed prefix list (`com.amazonaws.<region>.s3`), for HTTPS to the S3 gateway
   * endpoint. Looking it up would need an AWS call at plan time, so it is passed in when known.
   * @default HTTPS to 0.0.0.0/0 — the shared VPC has no internet route, so this reaches only the S3 gateway endpoint
   */
  readonly s3PrefixListId?: string;
}

/**
 * The security group of a team's MWAA environments in the shared VPC. Airflow's containers talk to
 * each other (self-referencing, all traffic); out of the group only HTTPS to the VPC (interface
 * endpoints, the webserver endpoint), PostgreSQL to the VPC (the metadata database endpoint) and HTTPS
 * to S3. Nothing from outside the group comes in; the owner's endpoint group admits the subnets by CIDR.
 */
export class EnvironmentSecurityGroup extends Construct {
  public readonly securityGroupId: string;

  constructor(scope: Construct, id: string, props: EnvironmentSecurityGroupProps) {
    super(scope, id);
    const sg = new SecurityGroup(this, 'sg', {
      name: `${props.name}-mwaa`,
      description: 'MWAA environments: traffic within the group, HTTPS/PostgreSQL to the shared VPC endpoints, HTTPS to S3',
      vpcId: props.vpcId,
      // Rules are separate resources below; an inline rule here would fight them on every apply.
      tags: { Name: `${props.name}-mwaa` },
    });
    this.securityGroupId = sg.id;

    new VpcSecurityGroupIngressRule(this, 'ingress-self', {
      securityGroupId: sg.id,
      referencedSecurityGroupId: sg.id,
      ipProtocol: '-1',
      description: 'Airflow components of the environments talk to each other',
    });
    new VpcSecurityGroupEgressRule(this, 'egress-self', {
      securityGroupId: sg.id,
      referencedSecurityGroupId: sg.id,
      ipProtocol: '-1',
      description: 'Airflow components of the environments talk to each other',
    });
    new VpcSecurityGroupEgressRule(this, 'egress-vpc-https', {
      securityGroupId: sg.id,
      cidrIpv4: props.vpcCidr,
      ipProtocol: 'tcp',
      fromPort: 443,
      toPort: 443,
      description: 'HTTPS to the interface endpoints and MWAA webserver endpoint in the shared VPC',
    });
    new VpcSecurityGroupEgressRule(this, 'egress-vpc-postgres', {
      securityGroupId: sg.id,
      cidrIpv4: props.vpcCidr,
      ipProtocol: 'tcp',
      fromPort: 5432,
      toPort: 5432,
      description: 'PostgreSQL to the MWAA metadata database endpoint in the shared VPC',
    });
    new VpcSecurityGroupEgressRule(this, 'egress-s3-https', {
      securityGroupId: sg.id,
      ...(props.s3PrefixListId ? { prefixListId: props.s3PrefixListId } : { cidrIpv4: '0.0.0.0/0' }),
      ipProtocol: 'tcp',
      fromPort: 443,
      toPort: 443,
      description: 'HTTPS to S3 through the gateway endpoint (the shared VPC has no internet route)',
    });
  }
}

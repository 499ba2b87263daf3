import { Construct } from 'constructs';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';

export interface WebserverSecurityGroupProps {
  /** Resource name prefix (the platform name). */
  readonly name: string;
  readonly vpcId: string;
  /** The shared subnets' CIDRs: MWAA and hosts inside the VPC keep reaching the webserver. */
  readonly subnetCidrs: readonly string[];
  /**
   * Client networks routed to the VPC (VPN client pool, office, bastion subnet), validated by the model.
   * @default none
   */
  readonly clientCidrs?: readonly string[];
  /**
   * Client security groups in the shared VPC (bastion hosts, a Client VPN endpoint's group).
   * @default none
   */
  readonly clientSecurityGroupIds?: readonly string[];
}

/** The webserver endpoints' only port: the Airflow UI, REST API and the `mwaa` CLI's HTTPS. */
export const WEBSERVER_PORT = 443;

/**
 * The owner's security group for PRIVATE_ONLY webserver endpoints: HTTPS from the shared subnets and
 * from the configured clients. A group of its own so that people on the VPN reach the webserver while the
 * database endpoints (and the AWS interface endpoints) keep admitting the shared subnets only. The endpoint
 * manager puts it on every webserver endpoint it creates.
 */
export class WebserverSecurityGroup extends Construct {
  public readonly securityGroupId: string;

  constructor(scope: Construct, id: string, props: WebserverSecurityGroupProps) {
    super(scope, id);
    const sg = new SecurityGroup(this, 'sg', {
      name: `${props.name}-mwaa-webserver-endpoints`,
      description: 'MWAA webserver endpoints in the shared VPC: HTTPS from the shared subnets and the configured clients',
      vpcId: props.vpcId,
      tags: { Name: `${props.name}-mwaa-webserver-endpoints` },
    });
    this.securityGroupId = sg.id;
    const https = { securityGroupId: sg.id, ipProtocol: 'tcp', fromPort: WEBSERVER_PORT, toPort: WEBSERVER_PORT };
    // Rules keyed by what they admit, so adding or removing a client never replaces another client's rule.
    for (const cidr of props.subnetCidrs) {
      new VpcSecurityGroupIngressRule(this, `https-from-subnet-${cidrKey(cidr)}`, {
        ...https,
        cidrIpv4: cidr,
        description: `HTTPS from shared subnet ${cidr}`,
      });
    }
    for (const cidr of props.clientCidrs ?? []) {
      new VpcSecurityGroupIngressRule(this, `https-from-client-${cidrKey(cidr)}`, {
        ...https,
        cidrIpv4: cidr,
        description: `HTTPS from webserver client network ${cidr}`,
      });
    }
    for (const group of props.clientSecurityGroupIds ?? []) {
      new VpcSecurityGroupIngressRule(this, `https-from-${group}`, {
        ...https,
        referencedSecurityGroupId: group,
        description: `HTTPS from webserver client group ${group}`,
      });
    }
  }
}

const cidrKey = (cidr: string) => cidr.replace(/[./]/g, '-');

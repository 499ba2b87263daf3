import { Construct } from 'constructs';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { VpcEndpoint } from '@cdktf/provider-aws/lib/vpc-endpoint';
import { cidrKey, moveFromLegacyId } from '../common/addresses';
import { PlatformStack } from '../common/platform-stack';

export interface MwaaEndpointsProps {
  readonly name: string;
  readonly vpcId: string;
  /** Subnets of the interface endpoints: exactly one per availability zone (EC2 refuses two of one zone). */
  readonly subnetIds: readonly string[];
  /** CIDRs admitted by the endpoint security group (the shared subnets). */
  readonly clientCidrs: readonly string[];
  readonly routeTableIds: readonly string[];
  /** Interface endpoint service suffixes, e.g. `sqs`, `airflow.api`. */
  readonly interfaceServices: readonly string[];
  /** The SQS endpoint's initial policy: allows no queue until the endpoint manager adds one. */
  readonly initialSqsPolicy: string;
}

/** Ports MWAA's endpoints serve: HTTPS for AWS APIs and the webserver, PostgreSQL for the metadata database. */
export const ENDPOINT_PORTS = [443, 5432] as const;

/**
 * The owner's endpoint security group and the interface endpoints MWAA needs without internet,
 * plus an S3 gateway endpoint. Participants' environments reach them through the shared subnets.
 */
export class MwaaEndpoints extends Construct {
  public readonly securityGroupId: string;
  public readonly sqsEndpointId: string;
  public readonly sqsEndpointArn: string;
  /** Prefix list of the S3 gateway endpoint, for security group egress rules. */
  public readonly s3PrefixListId: string;
  /** Interface endpoint ids by service suffix. */
  public readonly interfaceEndpointIds: Readonly<Record<string, string>>;

  constructor(scope: Construct, id: string, props: MwaaEndpointsProps) {
    super(scope, id);
    const { region } = PlatformStack.of(this);
    // Owner-owned: an owner cannot attach a participant's security group to its own endpoints.
    const sg = new SecurityGroup(this, 'endpoint-sg', {
      name: `${props.name}-mwaa-endpoints`,
      description: 'MWAA interface endpoints in the shared VPC: HTTPS and PostgreSQL from the shared subnets',
      vpcId: props.vpcId,
      tags: { Name: `${props.name}-mwaa-endpoints` },
    });
    this.securityGroupId = sg.id;
    // Keyed by CIDR, so adding a subnet never re-creates another subnet's rules.
    props.clientCidrs.forEach((cidr, index) => {
      for (const port of ENDPOINT_PORTS) {
        const rule = new VpcSecurityGroupIngressRule(this, `endpoint-sg-subnet-${cidrKey(cidr)}-${port}`, {
          securityGroupId: sg.id,
          cidrIpv4: cidr,
          ipProtocol: 'tcp',
          fromPort: port,
          toPort: port,
          description: `${port === 443 ? 'HTTPS' : 'PostgreSQL'} from shared subnet ${cidr}`,
        });
        // Until this version the ids were list positions (`endpoint-sg-subnet-<index>-<port>`): move that state here.
        moveFromLegacyId(rule, `endpoint-sg-subnet-${index}-${port}`);
      }
    });

    const endpoints: Record<string, VpcEndpoint> = {};
    for (const service of props.interfaceServices) {
      const isSqs = service === 'sqs';
      const endpoint = new VpcEndpoint(this, `endpoint-${service.replace(/\./g, '-')}`, {
        vpcId: props.vpcId,
        serviceName: `com.amazonaws.${region}.${service}`,
        vpcEndpointType: 'Interface',
        privateDnsEnabled: true,
        subnetIds: [...props.subnetIds],
        securityGroupIds: [sg.id],
        tags: { Name: `${props.name}-${service}` },
        ...(isSqs
          ? {
              policy: props.initialSqsPolicy,
              // The endpoint manager adds each registered environment's Celery queue at run time; a later
              // apply must not revert those additions to the empty initial policy.
              lifecycle: { ignoreChanges: ['policy'] },
            }
          : {}),
      });
      endpoints[service] = endpoint;
    }
    const sqs = endpoints.sqs;
    if (!sqs) throw new Error('MwaaEndpoints: the interface services must include sqs');
    this.sqsEndpointId = sqs.id;
    this.sqsEndpointArn = sqs.arn;
    this.interfaceEndpointIds = Object.fromEntries(Object.entries(endpoints).map(([service, e]) => [service, e.id]));

    const s3 = new VpcEndpoint(this, 'endpoint-s3-gateway', {
      vpcId: props.vpcId,
      serviceName: `com.amazonaws.${region}.s3`,
      vpcEndpointType: 'Gateway',
      routeTableIds: [...props.routeTableIds],
      tags: { Name: `${props.name}-s3` },
    });
    this.s3PrefixListId = s3.prefixListId;
  }
}

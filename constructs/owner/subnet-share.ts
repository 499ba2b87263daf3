import { Construct } from 'constructs';
import { RamResourceShare } from '@cdktf/provider-aws/lib/ram-resource-share';
import { RamResourceAssociation } from '@cdktf/provider-aws/lib/ram-resource-association';
import { RamPrincipalAssociation } from '@cdktf/provider-aws/lib/ram-principal-association';

export interface SubnetShareProps {
  readonly name: string;
  /** ARNs of the private subnets to share. */
  readonly subnetArns: readonly string[];
  /**
   * Who receives the subnets: participant account ids, or an organization / OU ARNs when the
   * platform shares by organization.
   */
  readonly principals: readonly string[];
}

/** Shares the private subnets through AWS RAM. External principals stay off: sharing never leaves the organization. */
export class SubnetShare extends Construct {
  public readonly shareArn: string;

  constructor(scope: Construct, id: string, props: SubnetShareProps) {
    super(scope, id);
    const share = new RamResourceShare(this, 'share', {
      name: `${props.name}-mwaa-subnets`,
      allowExternalPrincipals: false,
    });
    this.shareArn = share.arn;
    props.subnetArns.forEach((subnetArn, index) => {
      new RamResourceAssociation(this, `subnet-${index}`, { resourceArn: subnetArn, resourceShareArn: share.arn });
    });
    // Keyed by principal so adding a team never re-creates another team's association.
    for (const principal of props.principals) {
      new RamPrincipalAssociation(this, `principal-${principalKey(principal)}`, { principal, resourceShareArn: share.arn });
    }
  }
}

function principalKey(principal: string): string {
  return principal.replace(/^arn:aws[a-z-]*:organizations::\d{12}:/, '').replace(/[^a-zA-Z0-9-]/g, '-');
}

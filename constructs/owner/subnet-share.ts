import { Construct } from 'constructs';
import { RamResourceShare } from '@cdktf/provider-aws/lib/ram-resource-share';
import { RamResourceAssociation } from '@cdktf/provider-aws/lib/ram-resource-association';
import { RamPrincipalAssociation } from '@cdktf/provider-aws/lib/ram-principal-association';
import { keyOf, moveFromLegacyId } from '../common/addresses';

export interface SubnetShareProps {
  readonly name: string;
  /**
   * The private subnets to share, in configuration order: each ARN with what the subnet is (its AZ for a
   * created VPC, its subnet id for an adopted one), which keys the association's address.
   */
  readonly subnets: readonly { readonly key: string; readonly arn: string }[];
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
    // Keyed by subnet, so adding a subnet never re-creates another's association.
    props.subnets.forEach((subnet, index) => {
      const association = new RamResourceAssociation(this, `subnet-${keyOf(subnet.key)}`, {
        resourceArn: subnet.arn,
        resourceShareArn: share.arn,
      });
      // Until this version the ids were list positions (`subnet-<index>`): move that state here.
      moveFromLegacyId(association, `subnet-${index}`);
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

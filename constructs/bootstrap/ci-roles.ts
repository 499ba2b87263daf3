import { Construct } from 'constructs';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import type { PolicyDocument } from './policies';

export interface CiRoleProps {
  readonly name: string;
  readonly description: string;
  readonly trust: PolicyDocument;
  /** Inline policy (the scoped permissions). */
  readonly permissions: PolicyDocument;
  /**
   * Managed policy ARN attached in addition (AdministratorAccess when `ci.deployRolePolicy: administrator`).
   * @default none
   */
  readonly managedPolicyArn?: string;
  /**
   * Longest session: Terraform applies that wait for MWAA (up to two hours) outlive the one-hour default.
   * @default 10800
   */
  readonly maxSessionDuration?: number;
}

/** A role CI assumes: the deploy role or the read-only plan role of one account. */
export class CiRole extends Construct {
  public readonly arn: string;
  public readonly name: string;

  constructor(scope: Construct, id: string, props: CiRoleProps) {
    super(scope, id);
    const role = new IamRole(this, 'role', {
      name: props.name,
      description: props.description,
      assumeRolePolicy: JSON.stringify(props.trust),
      maxSessionDuration: props.maxSessionDuration ?? 10800,
    });
    new IamRolePolicy(this, 'permissions', { name: 'permissions', role: role.name, policy: JSON.stringify(props.permissions) });
    if (props.managedPolicyArn) new IamRolePolicyAttachment(this, 'managed', { role: role.name, policyArn: props.managedPolicyArn });
    this.arn = role.arn;
    this.name = role.name;
  }
}

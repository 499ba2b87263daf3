import { Construct } from 'constructs';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { PlatformStack } from '../common/platform-stack';
import { policyJson } from '../common/policy-document';

export interface ReconcileReadRoleProps {
  /** Role name; the endpoint manager derives the ARN from it, so it is the same in every participant account. */
  readonly roleName: string;
  /** The endpoint manager's execution role in the owner account (from the network contract). */
  readonly endpointManagerRoleArn: string;
}

/**
 * Lets the owner's endpoint manager list and read this account's MWAA environments, so its scheduled
 * reconcile can repair what a lost event left behind. Read-only; trusted by that one role only.
 */
export class ReconcileReadRole extends Construct {
  public readonly roleArn: string;

  constructor(scope: Construct, id: string, props: ReconcileReadRoleProps) {
    super(scope, id);
    const stack = PlatformStack.of(this);
    const role = new IamRole(this, 'role', {
      name: props.roleName,
      description: 'Read-only access to MWAA environments for the platform endpoint manager reconcile',
      assumeRolePolicy: policyJson([{ Effect: 'Allow', Principal: { AWS: props.endpointManagerRoleArn }, Action: 'sts:AssumeRole' }]),
    });
    new IamRolePolicy(this, 'policy', {
      role: role.id,
      name: 'read-mwaa-environments',
      policy: policyJson([
        // ListEnvironments does not support resource-level permissions.
        { Sid: 'List', Effect: 'Allow', Action: 'airflow:ListEnvironments', Resource: '*' },
        {
          Sid: 'Read',
          Effect: 'Allow',
          Action: 'airflow:GetEnvironment',
          Resource: stack.arn({ service: 'airflow', resource: 'environment', resourceName: '*' }),
        },
      ]),
    });
    this.roleArn = role.arn;
  }
}

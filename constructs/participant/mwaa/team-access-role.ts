import { Construct } from 'constructs';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { environmentArn } from './execution-role';
import { teamAccessRoleName } from '../../../contracts/names';
import { PlatformStack } from '../../common/platform-stack';
import { policyJson } from '../../common/policy-document';

export interface TeamAccessRoleProps {
  /** Resource name prefix, e.g. `acme-data-analytics`. */
  readonly name: string;
  /** IAM principals (from the team file) allowed to assume the role. */
  readonly principals: readonly string[];
  /** The team's environments the role opens. */
  readonly environmentNames: readonly string[];
  /** The Airflow RBAC role the team's people get: Admin, Op, User, Viewer or Public. */
  readonly airflowRole: string;
}

/** ARN of an Airflow RBAC role of an environment: what web login and REST API permissions name. */
export const airflowRoleArn = (stack: PlatformStack, env: string, role: string): string =>
  stack.arn({ service: 'airflow', resource: 'role', resourceName: `${env}/${role}` });

/**
 * The role the team's people assume to use their environments: Airflow UI login, CLI and REST API,
 * as one named Airflow role, on the team's environments only. Nothing else in the account.
 */
export class TeamAccessRole extends Construct {
  public readonly roleArn: string;

  constructor(scope: Construct, id: string, props: TeamAccessRoleProps) {
    super(scope, id);
    const role = new IamRole(this, 'role', {
      name: teamAccessRoleName(props.name),
      description: `Airflow UI, CLI and REST API access to the ${props.name} MWAA environments as ${props.airflowRole}`,
      maxSessionDuration: 3600,
      assumeRolePolicy: policyJson([{ Effect: 'Allow', Principal: { AWS: [...props.principals] }, Action: 'sts:AssumeRole' }]),
    });
    const stack = PlatformStack.of(this);
    const rbacRoles = props.environmentNames.map((env) => airflowRoleArn(stack, env, props.airflowRole));
    new IamRolePolicy(this, 'policy', {
      role: role.id,
      name: 'airflow-access',
      policy: policyJson([
        // Web login and REST API are authorized on the Airflow role they map the caller to.
        {
          Sid: 'WebLoginAndRestApi',
          Effect: 'Allow',
          Action: ['airflow:CreateWebLoginToken', 'airflow:InvokeRestApi'],
          Resource: rbacRoles,
        },
        // The CLI token is authorized on the environment.
        {
          Sid: 'CliToken',
          Effect: 'Allow',
          Action: 'airflow:CreateCliToken',
          Resource: props.environmentNames.map((env) => environmentArn(stack, env)),
        },
      ]),
    });
    this.roleArn = role.arn;
  }
}

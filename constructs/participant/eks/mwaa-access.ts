import { Construct } from 'constructs';
import { EksAccessEntry } from '@cdktf/provider-aws/lib/eks-access-entry';
import { EksAccessPolicyAssociation } from '@cdktf/provider-aws/lib/eks-access-policy-association';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { PlatformStack } from '../../common/platform-stack';
import { policyJson } from '../../common/policy-document';

/** One MWAA environment's execution role, as the MWAA constructs expose it. */
export interface MwaaExecutionRoleRef {
  readonly environmentName: string;
  readonly roleName: string;
  readonly roleArn: string;
}

/**
 * Access policy given to execution roles. Namespace-scoped, it mirrors Kubernetes' `edit` role inside the
 * team namespace only: pods create/delete/patch, pods get/list/watch, pods/log get (task logs), pods/exec
 * create (the XCom sidecar is read through exec) and events get/list (pod start-up failures). Nothing
 * cluster-wide, and no RBAC (Role/RoleBinding) changes, unlike the post's cluster-wide `map_roles` mapping.
 */
export const MWAA_ACCESS_POLICY = 'AmazonEKSEditPolicy';

export interface MwaaEksAccessProps {
  readonly clusterName: string;
  readonly clusterArn: string;
  /** The only namespace the execution roles may use. */
  readonly namespace: string;
  readonly executionRoles: readonly MwaaExecutionRoleRef[];
}

/**
 * Lets each environment's EksPodOperator tasks run pods in the team namespace: `eks:DescribeCluster` on
 * this cluster (to build the kubeconfig) and an EKS access entry whose policy is scoped to the namespace.
 * Token generation needs no IAM permission (it is a presigned `sts:GetCallerIdentity`).
 */
export class MwaaEksAccess extends Construct {
  constructor(scope: Construct, id: string, props: MwaaEksAccessProps) {
    super(scope, id);
    for (const role of props.executionRoles) {
      const envId = role.environmentName.replace(/[^A-Za-z0-9_-]/g, '_');
      new IamRolePolicy(this, `${envId}-describe-cluster`, {
        role: role.roleName,
        name: 'eks-describe-team-cluster',
        policy: policyJson([
          { Sid: 'KubeconfigForEksPodOperator', Effect: 'Allow', Action: 'eks:DescribeCluster', Resource: props.clusterArn },
        ]),
      });
      const entry = new EksAccessEntry(this, `${envId}-access-entry`, {
        clusterName: props.clusterName,
        principalArn: role.roleArn,
        type: 'STANDARD',
      });
      new EksAccessPolicyAssociation(this, `${envId}-access-policy`, {
        clusterName: props.clusterName,
        principalArn: role.roleArn,
        policyArn: PlatformStack.of(this).arn({
          service: 'eks',
          region: '',
          account: 'aws',
          resource: 'cluster-access-policy',
          resourceName: MWAA_ACCESS_POLICY,
        }),
        accessScope: { type: 'namespace', namespaces: [props.namespace] },
        dependsOn: [entry],
      });
    }
  }
}

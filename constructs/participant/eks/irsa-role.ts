import { Construct } from 'constructs';
import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import type { IrsaStatement } from '../../../model/schema/eks';
import { policyJson } from '../../common/policy-document';

/** The audience EKS-projected service account tokens carry for IRSA. */
export const IRSA_AUDIENCE = 'sts.amazonaws.com';

/** The OIDC `sub` claim of a Kubernetes service account token. */
export const serviceAccountSubject = (namespace: string, serviceAccount: string) => `system:serviceaccount:${namespace}:${serviceAccount}`;

export interface IrsaRoleProps {
  /** IAM role name; chosen by the caller so the ARN is known before apply (the manifests carry it). */
  readonly roleName: string;
  readonly namespace: string;
  readonly serviceAccount: string;
  /** ARN of the cluster's IAM OIDC provider. */
  readonly oidcProviderArn: string;
  /** The issuer without `https://` (e.g. `oidc.eks.eu-west-1.amazonaws.com/id/ABC`): the condition key prefix. */
  readonly oidcIssuerHostPath: string;
  /**
   * Inline policy statements (already validated by `validate/irsa.ts`).
   * @default none
   */
  readonly statements?: readonly IrsaStatement[];
  /**
   * AWS managed policies to attach, for platform roles such as the VPC CNI's.
   * @default none
   */
  readonly managedPolicyArns?: readonly string[];
  /** @default "IRSA role of <namespace>/<serviceAccount>" */
  readonly description?: string;
}

/**
 * An IAM role for one Kubernetes service account (IRSA). The trust admits `sts:AssumeRoleWithWebIdentity`
 * only through this cluster's OIDC provider, only for the exact `system:serviceaccount:NS:NAME` subject
 * (StringEquals, no wildcards) and only for the `sts.amazonaws.com` audience. Any other pod, namespace or
 * cluster presenting a token is refused by STS.
 */
export class IrsaRole extends Construct {
  public readonly roleArn: string;
  public readonly roleName: string;
  /** The trust policy document (exposed for tests and reviews). */
  public readonly trustPolicy: DataAwsIamPolicyDocument;

  constructor(scope: Construct, id: string, props: IrsaRoleProps) {
    super(scope, id);
    const subject = serviceAccountSubject(props.namespace, props.serviceAccount);
    // A policy document data source evaluates locally (no AWS call), and it accepts condition keys built
    // from the issuer, which is only known after the cluster exists.
    this.trustPolicy = new DataAwsIamPolicyDocument(this, 'trust', {
      statement: [
        {
          sid: 'ServiceAccountOnly',
          effect: 'Allow',
          actions: ['sts:AssumeRoleWithWebIdentity'],
          principals: [{ type: 'Federated', identifiers: [props.oidcProviderArn] }],
          condition: [
            { test: 'StringEquals', variable: `${props.oidcIssuerHostPath}:sub`, values: [subject] },
            { test: 'StringEquals', variable: `${props.oidcIssuerHostPath}:aud`, values: [IRSA_AUDIENCE] },
          ],
        },
      ],
    });
    const role = new IamRole(this, 'role', {
      name: props.roleName,
      description: props.description ?? `IRSA role of ${props.namespace}/${props.serviceAccount}`,
      assumeRolePolicy: this.trustPolicy.json,
    });
    if (props.statements && props.statements.length > 0) {
      new IamRolePolicy(this, 'policy', {
        role: role.id,
        name: 'service-account',
        policy: policyJson(props.statements.map((s) => ({ Effect: s.effect, Action: [...s.actions], Resource: [...s.resources] }))),
      });
    }
    (props.managedPolicyArns ?? []).forEach((arn) => {
      new IamRolePolicyAttachment(this, `managed-${arn.split('/').pop()}`, { role: role.name, policyArn: arn });
    });
    this.roleArn = role.arn;
    this.roleName = props.roleName;
  }
}

/**
 * Names the platform gives a resource once per ACCOUNT on purpose, not once per team. The constructs name these
 * resources through this module, and the plan review's cross-team check exempts exactly these: elsewhere a name
 * without the team in it suggests another team's resource, here it is the design (every team of an account, or
 * the one that holds it, declares the same name).
 */
import { ECR_PUBLIC_CACHE_PREFIX } from './container-images';
import { reconcileRoleName } from './endpoint-manager';

/** Airflow connection id EksPodOperator tasks pass as `kubernetes_conn_id`. */
export const EKS_POD_OPERATOR_CONN_ID = 'eks_pod_operator';

/** The Secrets Manager secret holding the `eks_pod_operator` connection under a connections prefix. */
export const podOperatorSecretName = (connectionsPrefix: string): string => `${connectionsPrefix}/${EKS_POD_OPERATOR_CONN_ID}`;

export interface AccountScopedName {
  /** Terraform resource type. */
  readonly type: string;
  /** The attribute that carries the name. */
  readonly attribute: string;
  /** What the resource is, for the reader. */
  readonly what: string;
  /** Whether `name` is this per-account name on platform `platform`. */
  readonly matches: (name: string, platform: string) => boolean;
}

const isPodOperatorSecret = (name: string): boolean =>
  name.endsWith(`/${EKS_POD_OPERATOR_CONN_ID}`) && name.length > EKS_POD_OPERATOR_CONN_ID.length + 1;

/** Every resource the participant stacks name once per account. */
export const ACCOUNT_SCOPED_NAMES: readonly AccountScopedName[] = [
  {
    type: 'aws_iam_role',
    attribute: 'name',
    what: "the endpoint manager's reconcile role (fixed name in every account)",
    matches: (name, platform) => name === reconcileRoleName(platform),
  },
  {
    type: 'aws_iam_role_policy',
    attribute: 'role',
    what: "the endpoint manager's reconcile role (fixed name in every account)",
    matches: (name, platform) => name === reconcileRoleName(platform),
  },
  {
    type: 'aws_secretsmanager_secret',
    attribute: 'name',
    what: `the \`${EKS_POD_OPERATOR_CONN_ID}\` Airflow connection (one per connections prefix of the account)`,
    matches: isPodOperatorSecret,
  },
  {
    type: 'aws_ecr_pull_through_cache_rule',
    attribute: 'ecr_repository_prefix',
    what: 'the ECR pull-through cache of public.ecr.aws (one rule per prefix in the account)',
    matches: (name) => name === ECR_PUBLIC_CACHE_PREFIX,
  },
];

/** The per-account name `name` of `attribute` in a `type` resource is, if any. */
export const accountScopedName = (type: string, attribute: string, name: string, platform: string): AccountScopedName | undefined =>
  ACCOUNT_SCOPED_NAMES.find((n) => n.type === type && n.attribute === attribute && n.matches(name, platform));

/**
 * Names the bootstrap stacks, the CI workflow and the tools agree on. Dependency-free.
 */

/** One bootstrap stack per platform account. */
export const bootstrapStackName = (accountId: string): string => `bootstrap-${accountId}`;
const BOOTSTRAP_PREFIX = 'bootstrap-';
export const isBootstrapStack = (stack: string): boolean => stack.startsWith(BOOTSTRAP_PREFIX);

/** GitHub Actions' OIDC issuer (host and path, as IAM names the provider and its condition keys). */
export const GITHUB_OIDC_HOST = 'token.actions.githubusercontent.com';
export const GITHUB_OIDC_URL = `https://${GITHUB_OIDC_HOST}`;
/** The audience aws-actions/configure-aws-credentials requests. */
export const GITHUB_OIDC_AUDIENCE = 'sts.amazonaws.com';

/** Default state bucket name when `backend` does not name one yet. */
export const defaultStateBucketName = (platform: string, accountId: string): string => `${platform}-tfstate-${accountId}`;
/** Alias of the state bucket's KMS key: known before it exists, so `backend.kmsKeyArn` can name it. */
export const stateKeyAlias = (platform: string): string => `alias/${platform}-terraform-state`;

/** Output names of a bootstrap stack (the runbook and the workflow's repository variables use them). */
export const BOOTSTRAP_OUTPUTS = {
  deployRoleArn: 'deploy_role_arn',
  planRoleArn: 'plan_role_arn',
  oidcProviderArn: 'github_oidc_provider_arn',
  stateBucket: 'state_bucket',
  stateKmsKeyAlias: 'state_kms_key_alias_arn',
} as const;

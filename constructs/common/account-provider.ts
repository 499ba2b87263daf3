import { Construct } from 'constructs';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';

/** How providers authenticate. Only authentication differs between the modes; every resource is identical. */
export type ProviderMode = 'real' | 'offline-preview';

/** Props of `accountProvider`. */
export interface AccountProviderProps {
  readonly region: string;
  /** The only account this stack may touch (`allowed_account_ids`). */
  readonly accountId: string;
  /**
   * Role Terraform assumes in the account; not used in offline preview.
   * @default none: the caller's own credentials (bootstrap, run by an administrator of the account)
   */
  readonly deployRoleArn?: string;
  /** Tags every taggable resource receives through `default_tags`. */
  readonly tags: Readonly<Record<string, string>>;
  /**
   * `offline-preview` lets `terraform plan` run with no AWS credentials: placeholder keys, no
   * assume_role and every check that would call AWS skipped.
   * @default 'real'
   */
  readonly mode?: ProviderMode;
  /**
   * Session name recorded in CloudTrail for the deploy role.
   * @default 'mwaa-platform-terraform'
   */
  readonly sessionName?: string;
}

const DEFAULT_SESSION_NAME = 'mwaa-platform-terraform';

/**
 * The AWS provider of one stack, pinned to one account and region. A function, not a construct: the provider is
 * the stack's own (`provider.aws` at the stack's root), and a wrapper construct around it would own nothing.
 */
export function accountProvider(stack: Construct, props: AccountProviderProps): AwsProvider {
  const offline = props.mode === 'offline-preview';
  return new AwsProvider(stack, 'aws', {
    region: props.region,
    defaultTags: [{ tags: { ...props.tags } }],
    ...(offline
      ? {
          accessKey: 'offline-preview',
          secretKey: 'offline-preview',
          skipCredentialsValidation: true,
          skipRequestingAccountId: true,
          skipMetadataApiCheck: 'true',
          skipRegionValidation: true,
        }
      : {
          // Offline there is no caller account to compare with, so the pin applies to real runs only.
          allowedAccountIds: [props.accountId],
          assumeRole: props.deployRoleArn
            ? [{ roleArn: props.deployRoleArn, sessionName: props.sessionName ?? DEFAULT_SESSION_NAME }]
            : undefined,
        }),
  });
}

import { TerraformStack } from 'cdktf';
import type { Construct, IConstruct } from 'constructs';
import { formatArn, partitionOf, type ArnComponents, type Partition } from '../../contracts/aws';
import { terraformRoleArn, type PlatformFile, type TerraformRole } from '../../model/model';
import { accountProvider, type ProviderMode } from './account-provider';
import { configureBackend } from './state-backend';
import { stackTags } from './tags';

export interface PlatformStackProps {
  readonly platform: PlatformFile;
  /** The account this stack deploys into. */
  readonly accountId: string;
  /** Value of the `Team` tag. */
  readonly team: string;
  /** Team tags merged under the platform's own keys. @default none */
  readonly teamTags?: Readonly<Record<string, string>>;
  /** @default 'real' */
  readonly mode?: ProviderMode;
  /** @default 'deploy': the read-only `plan` role is for pull-request plans */
  readonly terraformRole?: TerraformRole;
  /** The region the stack deploys into. @default platform.yaml `region`; the recovery stacks give `recovery.region` */
  readonly region?: string;
}

/**
 * A stack bound to one account: its own provider (account pin, deploy role, default tags) and its own state.
 * Constructs read the account, region and partition they build ARNs for from `PlatformStack.of(this)`, as
 * aws-cdk constructs do with `Stack.of(this)`, instead of taking them as props. It lives with the constructs
 * (not in stacks/) because constructs may not import stacks.
 */
export abstract class PlatformStack extends TerraformStack {
  /** The PlatformStack a construct is defined in (the nearest one); throws when it is in none. */
  public static of(construct: IConstruct): PlatformStack {
    const stack = [...construct.node.scopes].reverse().find((scope): scope is PlatformStack => scope instanceof PlatformStack);
    if (!stack) {
      throw new Error(
        `${construct.node.path || construct.node.id || 'the app'} is not inside a PlatformStack: constructs read their account, region and partition from the stack`,
      );
    }
    return stack;
  }

  /** The account the stack's provider is pinned to. */
  public readonly accountId: string;
  public readonly region: string;
  /** Partition of the region (`aws`, `aws-cn`, `aws-us-gov`, ...), for ARNs built before any ARN is known. */
  public readonly partition: Partition;

  /**
   * An ARN in this stack's partition, region and account unless `region`/`account` say otherwise (`''` for
   * global services such as IAM and S3, `'*'` for any), in the style of aws-cdk's `Stack.formatArn`.
   */
  public arn(
    components: Omit<ArnComponents, 'partition' | 'region' | 'account'> & { readonly region?: string; readonly account?: string },
  ): string {
    return formatArn({ partition: this.partition, region: this.region, account: this.accountId, ...components });
  }

  protected constructor(scope: Construct, id: string, props: PlatformStackProps) {
    super(scope, id);
    this.accountId = props.accountId;
    this.region = props.region ?? props.platform.region;
    this.partition = partitionOf(this.region);
    accountProvider(this, {
      region: this.region,
      accountId: props.accountId,
      deployRoleArn: terraformRoleArn(props.platform, props.accountId, props.terraformRole ?? 'deploy'),
      tags: stackTags(props.platform, props.team, props.teamTags),
      mode: props.mode,
    });
    configureBackend(this, id, props.platform.backend, props.mode === 'offline-preview');
  }
}

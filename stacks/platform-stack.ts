import { TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import { terraformRoleArn, type PlatformFile, type TerraformRole } from '../model/model';
import { accountProvider, type ProviderMode } from '../constructs/common/account-provider';
import { configureBackend } from '../constructs/common/state-backend';
import { stackTags } from '../constructs/common/tags';

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
}

/** A stack bound to one account: its own provider (account pin, deploy role, default tags) and its own state. */
export abstract class PlatformStack extends TerraformStack {
  public readonly accountId: string;
  public readonly region: string;
  public readonly partition = 'aws';

  protected constructor(scope: Construct, id: string, props: PlatformStackProps) {
    super(scope, id);
    this.accountId = props.accountId;
    this.region = props.platform.region;
    accountProvider(this, {
      region: props.platform.region,
      accountId: props.accountId,
      deployRoleArn: terraformRoleArn(props.platform, props.accountId, props.terraformRole ?? 'deploy'),
      tags: stackTags(props.platform, props.team, props.teamTags),
      mode: props.mode,
    });
    configureBackend(this, id, props.platform.backend, props.mode === 'offline-preview');
  }
}

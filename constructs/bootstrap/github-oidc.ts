import { Construct } from 'constructs';
import { IamOpenidConnectProvider } from '@cdktf/provider-aws/lib/iam-openid-connect-provider';
import { GITHUB_OIDC_AUDIENCE, GITHUB_OIDC_URL } from '../../contracts/bootstrap';

export interface GithubOidcProviderProps {
  /** The provider's ARN in this account (known before it exists: IAM names it after the issuer). */
  readonly arn: string;
  /**
   * `create` it, or `adopt` the one the account already has (an account holds one provider per issuer URL,
   * so a second create would fail). Adopting reads nothing from AWS: the ARN is deterministic.
   * @default 'create'
   */
  readonly mode?: 'create' | 'adopt';
}

/** GitHub Actions' OIDC identity provider, for the deploy and plan roles' web-identity trust. */
export class GithubOidcProvider extends Construct {
  public readonly arn: string;

  constructor(scope: Construct, id: string, props: GithubOidcProviderProps) {
    super(scope, id);
    if (props.mode === 'adopt') {
      this.arn = props.arn;
      return;
    }
    // No thumbprint: IAM verifies GitHub's issuer against its own trusted CAs (thumbprints are ignored for it).
    const provider = new IamOpenidConnectProvider(this, 'provider', { url: GITHUB_OIDC_URL, clientIdList: [GITHUB_OIDC_AUDIENCE] });
    this.arn = provider.arn;
  }
}

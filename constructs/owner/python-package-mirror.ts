import { Construct } from 'constructs';
import { CodeartifactDomain } from '@cdktf/provider-aws/lib/codeartifact-domain';
import { CodeartifactDomainPermissionsPolicy } from '@cdktf/provider-aws/lib/codeartifact-domain-permissions-policy';
import { CodeartifactRepository } from '@cdktf/provider-aws/lib/codeartifact-repository';
import { CodeartifactRepositoryPermissionsPolicy } from '@cdktf/provider-aws/lib/codeartifact-repository-permissions-policy';
import { PYPI_EXTERNAL_CONNECTION } from '../../contracts/python-packages';
import { policyJson, type PolicyStatement } from '../common/policy-document';
import { accountRootArn } from '../../contracts/aws';

export interface PythonPackageMirrorProps {
  /** CodeArtifact domain name (one per account and region). */
  readonly domain: string;
  /** The repository environments read; it reads through `upstreamRepository`. */
  readonly repository: string;
  /** The repository that holds the `public:pypi` external connection. */
  readonly upstreamRepository: string;
  /**
   * Execution roles (in participant accounts) admitted by the domain and repository policies. Named, not looked
   * up: the participant stacks create them after this stack.
   * @default none: no policies, only the owner account can use the mirror
   */
  readonly readerRoleArns?: readonly string[];
}

/** The account root of an IAM role ARN: cross-account resource policies name accounts and narrow them by `aws:PrincipalArn`. */
function accountRootOf(roleArn: string): string {
  const match = /^arn:([^:]+):iam::(\d{12}):role\//.exec(roleArn);
  if (!match) throw new Error(`PythonPackageMirror: ${roleArn} is not an IAM role ARN`);
  return accountRootArn(match[1], match[2]);
}

/**
 * A PyPI mirror for environments without internet, in the upstream pattern the CodeArtifact user guide describes:
 * `upstreamRepository` holds the `public:pypi` external connection and caches what PyPI serves, `repository`
 * (the one teams read) has it as upstream. Cross-account reads need both sides: the reader's identity policy
 * and these resource policies, the domain's granting `codeartifact:GetAuthorizationToken`, the repository's
 * `codeartifact:ReadFromRepository` and `GetRepositoryEndpoint`. Each names the reader accounts as principals and
 * admits exactly the listed roles through `aws:PrincipalArn` (an ARN principal would have to exist when the
 * policy is written; these roles do not yet). Nobody outside the owner account can read the upstream repository
 * directly or publish. The domain uses CodeArtifact's AWS managed key.
 */
export class PythonPackageMirror extends Construct {
  public readonly domainName: string;
  /** Account that owns the domain (the `--domain-owner` of every call). */
  public readonly domainOwner: string;
  public readonly domainArn: string;
  public readonly repositoryName: string;
  public readonly repositoryArn: string;
  public readonly upstreamRepositoryArn: string;

  constructor(scope: Construct, id: string, props: PythonPackageMirrorProps) {
    super(scope, id);
    const domain = new CodeartifactDomain(this, 'domain', { domain: props.domain });
    const upstream = new CodeartifactRepository(this, 'upstream-repository', {
      domain: domain.domain,
      repository: props.upstreamRepository,
      description: `Caches ${PYPI_EXTERNAL_CONNECTION} for ${props.repository}; not read directly`,
      externalConnections: { externalConnectionName: PYPI_EXTERNAL_CONNECTION },
    });
    const repository = new CodeartifactRepository(this, 'repository', {
      domain: domain.domain,
      repository: props.repository,
      description: 'PyPI packages for MWAA environments in the shared VPC (reads through the upstream repository)',
      upstream: [{ repositoryName: upstream.repository }],
    });

    const readers = [...new Set(props.readerRoleArns ?? [])].sort();
    if (readers.length > 0) {
      const statement = (sid: string, action: string | string[], resource: string): PolicyStatement => ({
        Sid: sid,
        Effect: 'Allow',
        Principal: { AWS: [...new Set(readers.map(accountRootOf))].sort() },
        Action: action,
        Resource: resource,
        Condition: { ArnEquals: { 'aws:PrincipalArn': readers } },
      });
      new CodeartifactDomainPermissionsPolicy(this, 'domain-policy', {
        domain: domain.domain,
        domainOwner: domain.owner,
        policyDocument: policyJson([statement('ExecutionRolesGetTokens', 'codeartifact:GetAuthorizationToken', domain.arn)]),
      });
      new CodeartifactRepositoryPermissionsPolicy(this, 'repository-policy', {
        domain: domain.domain,
        domainOwner: domain.owner,
        repository: repository.repository,
        policyDocument: policyJson([
          statement('ExecutionRolesRead', ['codeartifact:GetRepositoryEndpoint', 'codeartifact:ReadFromRepository'], repository.arn),
        ]),
      });
    }

    this.domainName = domain.domain;
    this.domainOwner = domain.owner;
    this.domainArn = domain.arn;
    this.repositoryName = repository.repository;
    this.repositoryArn = repository.arn;
    this.upstreamRepositoryArn = upstream.arn;
  }
}

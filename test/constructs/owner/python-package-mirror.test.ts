import { Testing } from 'cdktf';
import { CodeartifactDomain } from '@cdktf/provider-aws/lib/codeartifact-domain';
import { CodeartifactDomainPermissionsPolicy } from '@cdktf/provider-aws/lib/codeartifact-domain-permissions-policy';
import { CodeartifactRepository } from '@cdktf/provider-aws/lib/codeartifact-repository';
import { CodeartifactRepositoryPermissionsPolicy } from '@cdktf/provider-aws/lib/codeartifact-repository-permissions-policy';
import { PythonPackageMirror, type PythonPackageMirrorProps } from '../../../constructs/owner/python-package-mirror';

const ANALYTICS_ROLE = 'arn:aws:iam::222222222222:role/analytics-prod-mwaa-execution';
const ANALYTICS_DEV_ROLE = 'arn:aws:iam::222222222222:role/analytics-dev-mwaa-execution';
const MARKETING_ROLE = 'arn:aws:iam::333333333333:role/marketing-campaigns-mwaa-execution';
const base: PythonPackageMirrorProps = { domain: 'acme-data', repository: 'pypi', upstreamRepository: 'pypi-store' };

const synth = (props: PythonPackageMirrorProps) => Testing.synthScope((scope) => void new PythonPackageMirror(scope, 'mirror', props));
const resources = (json: string, type: string): any[] => Object.values(JSON.parse(json).resource?.[type] ?? {});
const policyOf = (json: string, type: string) => JSON.parse(resources(json, type)[0].policy_document);
/** `${type.<name>.attribute}` of the one resource of that type matching `where`: how the synthesized JSON refers to it. */
const ref = (json: string, type: string, where: (r: any) => boolean, attribute: string) => {
  const names = Object.entries(JSON.parse(json).resource[type])
    .filter(([, r]) => where(r))
    .map(([name]) => name);
  expect(names).toHaveLength(1);
  return `\${${type}.${names[0]}.${attribute}}`;
};
const domainRef = (json: string, attribute: string) => ref(json, 'aws_codeartifact_domain', () => true, attribute);
const repositoryRef = (json: string, repository: string, attribute: string) =>
  ref(json, 'aws_codeartifact_repository', (r) => r.repository === repository, attribute);

describe('PythonPackageMirror', () => {
  const json = synth({ ...base, readerRoleArns: [MARKETING_ROLE, ANALYTICS_ROLE, ANALYTICS_DEV_ROLE, ANALYTICS_ROLE] });

  it('creates the domain and an upstream repository holding the public:pypi external connection', () => {
    expect(json).toHaveResourceWithProperties(CodeartifactDomain, { domain: 'acme-data' });
    expect(json).toHaveResourceWithProperties(CodeartifactRepository, {
      repository: 'pypi-store',
      external_connections: { external_connection_name: 'public:pypi' },
    });
  });

  it('creates the repository teams read with the upstream repository as its only upstream, and no external connection of its own', () => {
    const reader = resources(json, 'aws_codeartifact_repository').find((r) => r.repository === 'pypi');
    expect(reader.upstream).toEqual([{ repository_name: repositoryRef(json, 'pypi-store', 'repository') }]);
    expect(reader.external_connections).toBeUndefined();
  });

  it('lets the reader accounts get tokens for the domain, narrowed to exactly the listed roles', () => {
    expect(json).toHaveResourceWithProperties(CodeartifactDomainPermissionsPolicy, {
      domain: domainRef(json, 'domain'),
      domain_owner: domainRef(json, 'owner'),
    });
    expect(policyOf(json, 'aws_codeartifact_domain_permissions_policy')).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'ExecutionRolesGetTokens',
          Effect: 'Allow',
          Principal: { AWS: ['arn:aws:iam::222222222222:root', 'arn:aws:iam::333333333333:root'] },
          Action: 'codeartifact:GetAuthorizationToken',
          Resource: domainRef(json, 'arn'),
          Condition: { ArnEquals: { 'aws:PrincipalArn': [ANALYTICS_DEV_ROLE, ANALYTICS_ROLE, MARKETING_ROLE] } },
        },
      ],
    });
  });

  it('lets the same roles read the repository teams read, and nothing else (no publishing, not the upstream)', () => {
    expect(json).toHaveResourceWithProperties(CodeartifactRepositoryPermissionsPolicy, {
      repository: repositoryRef(json, 'pypi', 'repository'),
      domain_owner: domainRef(json, 'owner'),
    });
    expect(resources(json, 'aws_codeartifact_repository_permissions_policy')).toHaveLength(1);
    const [statement] = policyOf(json, 'aws_codeartifact_repository_permissions_policy').Statement;
    expect(statement.Action).toEqual(['codeartifact:GetRepositoryEndpoint', 'codeartifact:ReadFromRepository']);
    expect(statement.Resource).toBe(repositoryRef(json, 'pypi', 'arn'));
    expect(statement.Condition).toEqual({ ArnEquals: { 'aws:PrincipalArn': [ANALYTICS_DEV_ROLE, ANALYTICS_ROLE, MARKETING_ROLE] } });
  });

  it('writes no policy when no environment reads the mirror (a policy without principals is invalid)', () => {
    const none = synth(base);
    expect(resources(none, 'aws_codeartifact_domain_permissions_policy')).toEqual([]);
    expect(resources(none, 'aws_codeartifact_repository_permissions_policy')).toEqual([]);
    expect(resources(none, 'aws_codeartifact_repository')).toHaveLength(2);
  });

  it('refuses a reader that is not an IAM role ARN', () => {
    expect(() => synth({ ...base, readerRoleArns: ['arn:aws:iam::222222222222:root'] })).toThrow(
      'PythonPackageMirror: arn:aws:iam::222222222222:root is not an IAM role ARN',
    );
  });
});

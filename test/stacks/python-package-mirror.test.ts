/**
 * The PyPI mirror through the stacks: the owner creates it and publishes where it is, each participant grants and
 * configures only the environments that install packages, and without `network.pythonPackages` nothing of it exists.
 */
import { CodeartifactDomain } from '@cdktf/provider-aws/lib/codeartifact-domain';
import { VpcEndpoint } from '@cdktf/provider-aws/lib/vpc-endpoint';
import { loadPlatformConfig } from '../../model/load';
import { OWNER_OUTPUTS } from '../../contracts/outputs';
import { fixtureConfigWith, loadFixture } from '../support/config-fixture';
import { synthOwner, synthParticipant } from '../support/synth';

const config = loadFixture();
const owner = synthOwner(config);
const domainAddress = Object.keys(owner.tf.resource.aws_codeartifact_domain)[0];
const repositoryAddress = Object.entries(owner.tf.resource.aws_codeartifact_repository).find(
  ([, r]: [string, any]) => r.repository === 'pypi',
)![0];
const executionPolicyOf = (tf: any, env: string) => {
  const role = Object.entries(tf.resource.aws_iam_role).find(([, r]: [string, any]) => r.name === `${env}-mwaa-execution`)![0];
  const policy: any = Object.values(tf.resource.aws_iam_role_policy).find((p: any) => p.role === `\${aws_iam_role.${role}.id}`);
  return JSON.parse(policy.policy);
};

describe('owner stack with network.pythonPackages.codeArtifact', () => {
  it('creates the domain and both CodeArtifact interface endpoints', () => {
    expect(owner.json).toHaveResourceWithProperties(CodeartifactDomain, { domain: 'acme-data' });
    for (const service of ['codeartifact.api', 'codeartifact.repositories']) {
      expect(owner.json).toHaveResourceWithProperties(VpcEndpoint, {
        service_name: `com.amazonaws.eu-west-1.${service}`,
        vpc_endpoint_type: 'Interface',
        private_dns_enabled: true,
      });
    }
  });

  it('outputs domain, owner and repository under the contract names publish-network reads', () => {
    expect(owner.tf.output[OWNER_OUTPUTS.codeArtifactDomain].value).toBe(`\${aws_codeartifact_domain.${domainAddress}.domain}`);
    expect(owner.tf.output[OWNER_OUTPUTS.codeArtifactDomainOwner].value).toBe(`\${aws_codeartifact_domain.${domainAddress}.owner}`);
    expect(owner.tf.output[OWNER_OUTPUTS.codeArtifactRepository].value).toBe(
      `\${aws_codeartifact_repository.${repositoryAddress}.repository}`,
    );
  });

  it('admits the execution role of the environment with requirements, not the one without', () => {
    const policy = JSON.parse(Object.values<any>(owner.tf.resource.aws_codeartifact_domain_permissions_policy)[0].policy_document);
    expect(policy.Statement[0].Condition).toEqual({
      ArnEquals: { 'aws:PrincipalArn': ['arn:aws:iam::222222222222:role/analytics-prod-mwaa-execution'] },
    });
    expect(policy.Statement[0].Principal).toEqual({ AWS: ['arn:aws:iam::222222222222:root'] });
  });
});

describe('participant stacks and the mirror', () => {
  it("grants the environment with requirements the mirror, scoped to the owner's domain and repository", () => {
    const statements = executionPolicyOf(synthParticipant(config, 'analytics').tf, 'analytics-prod').Statement.filter((s: any) =>
      s.Sid.startsWith('Mirror'),
    );
    expect(statements).toEqual([
      {
        Sid: 'MirrorToken',
        Effect: 'Allow',
        Action: 'codeartifact:GetAuthorizationToken',
        Resource: 'arn:aws:codeartifact:eu-west-1:111111111111:domain/acme-data',
      },
      {
        Sid: 'MirrorRead',
        Effect: 'Allow',
        Action: ['codeartifact:GetRepositoryEndpoint', 'codeartifact:ReadFromRepository'],
        Resource: 'arn:aws:codeartifact:eu-west-1:111111111111:repository/acme-data/pypi',
      },
      {
        Sid: 'MirrorBearerToken',
        Effect: 'Allow',
        Action: 'sts:GetServiceBearerToken',
        Resource: '*',
        Condition: { StringEquals: { 'sts:AWSServiceName': 'codeartifact.amazonaws.com' } },
      },
    ]);
  });

  it('leaves an environment without requirements or startup script alone', () => {
    const marketing = synthParticipant(config, 'marketing').tf;
    expect(
      executionPolicyOf(marketing, 'marketing-campaigns').Statement.filter((s: any) => /Mirror|codeartifact/i.test(JSON.stringify(s))),
    ).toEqual([]);
  });
});

describe('without network.pythonPackages', () => {
  const plain = loadPlatformConfig(fixtureConfigWith({ platform: (p) => delete p.network.pythonPackages }));

  it('has no CodeArtifact resource, endpoint or output, and no mirror permission or option', () => {
    const ownerTf = synthOwner(plain).tf;
    expect(Object.keys(ownerTf.resource).filter((type) => type.startsWith('aws_codeartifact'))).toEqual([]);
    expect(Object.values<any>(ownerTf.resource.aws_vpc_endpoint).filter((e) => e.service_name.includes('codeartifact'))).toEqual([]);
    expect(Object.keys(ownerTf.output).filter((o) => o.startsWith('codeartifact'))).toEqual([]);
    const analytics = synthParticipant(plain, 'analytics').tf;
    expect(executionPolicyOf(analytics, 'analytics-prod').Statement.filter((s: any) => s.Sid.startsWith('Mirror'))).toEqual([]);
    const env: any = Object.values(analytics.resource.aws_mwaa_environment)[0];
    expect(Object.keys(env.airflow_configuration_options).filter((k) => k.startsWith('codeartifact.'))).toEqual([]);
  });
});

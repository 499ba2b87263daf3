/**
 * The CodeArtifact PyPI mirror across accounts, evaluated with the IAM simulator: the execution role's identity
 * policy (participant stack) and the domain and repository policies (owner stack), both read from the
 * synthesized example. Allowed: the calls teams/analytics/startup.sh makes (get-authorization-token, which needs
 * sts:GetServiceBearerToken, and get-repository-endpoint) and pip's reads. Denied: another domain, the upstream
 * repository, publishing, a bearer token for another service, and a principal of the participant account that
 * is not an admitted execution role, however broad its own permissions.
 */
import { loadFixture } from '../support/config-fixture';
import { decisions, roleOf, terraformRefs, type Decision, type SimulationCase } from '../support/iam';
import { synthOwner, synthParticipant } from '../support/synth';

const REGION = 'eu-west-1';
const OWNER = '111111111111';
const ANALYTICS = '222222222222';
const config = loadFixture();
const owner = synthOwner(config).tf;
const analytics = synthParticipant(config, 'analytics').tf;
const ownerRefs = terraformRefs(owner, { region: REGION, accountId: OWNER });

const only = (tf: any, type: string, where: (r: any) => boolean = () => true): any => {
  const found = Object.values(tf.resource?.[type] ?? {}).filter(where);
  if (found.length !== 1) throw new Error(`expected one ${type}, found ${found.length}`);
  return found[0];
};
const domainPolicy = JSON.parse(ownerRefs.resolve(only(owner, 'aws_codeartifact_domain_permissions_policy').policy_document));
const repositoryPolicy = JSON.parse(ownerRefs.resolve(only(owner, 'aws_codeartifact_repository_permissions_policy').policy_document));

const DOMAIN = `arn:aws:codeartifact:${REGION}:${OWNER}:domain/acme-data`;
const REPOSITORY = `arn:aws:codeartifact:${REGION}:${OWNER}:repository/acme-data/pypi`;
const UPSTREAM = `arn:aws:codeartifact:${REGION}:${OWNER}:repository/acme-data/pypi-store`;
// A PyPI package has no namespace (its ARN has `pypi//name`), but the simulator's ARN pattern needs a non-empty
// namespace segment; the decision does not depend on it, so `-` stands in.
const PACKAGE = `arn:aws:codeartifact:${REGION}:${OWNER}:package/acme-data/pypi/pypi/-/apache-airflow-providers-cncf-kubernetes`;
const BEARER = { 'sts:AWSServiceName': 'codeartifact.amazonaws.com' };

const role = roleOf(analytics, 'analytics-prod-mwaa-execution', { region: REGION, accountId: ANALYTICS });
// AWS sends aws:PrincipalArn with every request; the simulator does not derive it from the principal, so each caller carries it.
const caller = (principal: string, identityPolicies: readonly Record<string, unknown>[]) => ({
  identityPolicies,
  principal,
  context: { 'aws:PrincipalArn': principal },
});
const own = caller(role.arn, role.identityPolicies);
const expectAll = (cases: readonly SimulationCase[], expected: Decision) =>
  decisions(cases).then((got) => expect(got).toEqual(Object.fromEntries(cases.map((c) => [c.name, expected]))));

describe("MWAA execution role (analytics-prod) and the owner's PyPI mirror", () => {
  it('the synthesized resources are the mirror of the example (domain acme-data, repository pypi, upstream pypi-store)', () => {
    expect(ownerRefs.resolve(only(owner, 'aws_codeartifact_domain').domain)).toBe('acme-data');
    expect(domainPolicy.Statement[0].Resource).toBe(DOMAIN);
    expect(repositoryPolicy.Statement[0].Resource).toBe(REPOSITORY);
  });

  it('allows what the startup script and pip do', () =>
    expectAll(
      [
        {
          name: 'get a token for the domain (cross-account)',
          ...own,
          resourcePolicy: domainPolicy,
          action: 'codeartifact:GetAuthorizationToken',
          resource: DOMAIN,
        },
        {
          name: 'get the bearer token GetAuthorizationToken needs',
          ...own,
          action: 'sts:GetServiceBearerToken',
          resource: '*',
          resourceAccount: ANALYTICS,
          context: { ...own.context, ...BEARER },
        },
        {
          name: 'get the repository endpoint',
          ...own,
          resourcePolicy: repositoryPolicy,
          action: 'codeartifact:GetRepositoryEndpoint',
          resource: REPOSITORY,
        },
        {
          name: 'read packages (pip)',
          ...own,
          resourcePolicy: repositoryPolicy,
          action: 'codeartifact:ReadFromRepository',
          resource: REPOSITORY,
        },
      ],
      'Allowed',
    ));

  it('denies another domain, the upstream, publishing, and other bearer tokens', () =>
    expectAll(
      [
        {
          name: 'a token for a domain of another account',
          ...own,
          action: 'codeartifact:GetAuthorizationToken',
          resource: `arn:aws:codeartifact:${REGION}:444444444444:domain/acme-data`,
        },
        {
          name: 'a token for another domain of the owner',
          ...own,
          resourcePolicy: domainPolicy,
          action: 'codeartifact:GetAuthorizationToken',
          resource: `arn:aws:codeartifact:${REGION}:${OWNER}:domain/other`,
        },
        {
          name: 'a token for a domain of its own account',
          ...own,
          action: 'codeartifact:GetAuthorizationToken',
          resource: `arn:aws:codeartifact:${REGION}:${ANALYTICS}:domain/private`,
        },
        { name: 'read the upstream repository directly', ...own, action: 'codeartifact:ReadFromRepository', resource: UPSTREAM },
        {
          name: 'publish a package',
          ...own,
          resourcePolicy: repositoryPolicy,
          action: 'codeartifact:PublishPackageVersion',
          resource: PACKAGE,
        },
        {
          name: 'delete a package version',
          ...own,
          resourcePolicy: repositoryPolicy,
          action: 'codeartifact:DeletePackageVersions',
          resource: PACKAGE,
        },
        {
          name: 'change the repository policy',
          ...own,
          resourcePolicy: repositoryPolicy,
          action: 'codeartifact:PutRepositoryPermissionsPolicy',
          resource: REPOSITORY,
        },
        {
          name: 'a bearer token for another service',
          ...own,
          action: 'sts:GetServiceBearerToken',
          resource: '*',
          resourceAccount: ANALYTICS,
          context: { ...own.context, 'sts:AWSServiceName': 'codeguru-profiler.amazonaws.com' },
        },
      ],
      expect.stringMatching(/Denied$/) as unknown as Decision,
    ));

  it('admits no other principal of the participant account, even one whose own policy allows all of CodeArtifact', () => {
    const admin = caller(`arn:aws:iam::${ANALYTICS}:role/AnalyticsEngineers`, [
      { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'codeartifact:*', Resource: '*' }] },
    ]);
    return expectAll(
      [
        {
          name: 'token by a team user role',
          ...admin,
          resourcePolicy: domainPolicy,
          action: 'codeartifact:GetAuthorizationToken',
          resource: DOMAIN,
        },
        {
          name: 'read by a team user role',
          ...admin,
          resourcePolicy: repositoryPolicy,
          action: 'codeartifact:ReadFromRepository',
          resource: REPOSITORY,
        },
      ],
      'ImplicitlyDenied',
    );
  });

  it('gives nothing to an environment that installs no packages (marketing-campaigns)', () => {
    const marketing = synthParticipant(config, 'marketing').tf;
    const other = roleOf(marketing, 'marketing-campaigns-mwaa-execution', { region: REGION, accountId: '333333333333' });
    const otherCaller = caller(other.arn, other.identityPolicies);
    return expectAll(
      [
        { name: 'token', ...otherCaller, resourcePolicy: domainPolicy, action: 'codeartifact:GetAuthorizationToken', resource: DOMAIN },
        { name: 'read', ...otherCaller, resourcePolicy: repositoryPolicy, action: 'codeartifact:ReadFromRepository', resource: REPOSITORY },
      ],
      'ImplicitlyDenied',
    );
  });
});

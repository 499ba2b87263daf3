import { validateBootstrap } from '../../model/bootstrap';
import { ConfigError } from '../../model/errors';
import { loadPlatformConfig } from '../../model/load';
import { fixtureConfigWith } from '../support/config-fixture';
import { ANALYTICS, MARKETING, OWNER, planOf } from '../constructs/bootstrap/support';

/** Loads an edited example and returns every problem as "path: message" (schema and bootstrap rules). */
function problems(edit: (p: any) => void): string[] {
  const dir = fixtureConfigWith({ platform: edit, republishContract: false });
  try {
    return validateBootstrap(loadPlatformConfig(dir, { ownerOnly: true })).map((p) => `${p.path}: ${p.message}`);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return error.problems.map((p) => `${p.path}: ${p.message}`);
  }
}

describe('ci configuration', () => {
  it('derives the deploy subject from the environment, else from the branch, and the plan subject from pull requests', () => {
    expect(planOf().github).toEqual({
      repository: 'acme/mwaa-platform',
      deploySubjects: ['repo:acme/mwaa-platform:environment:production'],
      planSubjects: ['repo:acme/mwaa-platform:pull_request', 'repo:acme/mwaa-platform:ref:refs/heads/main'],
      oidcProvider: 'create',
    });
    const byBranch = planOf({
      platform: (p) => {
        delete p.ci.github.environment;
        p.ci.github.branch = 'release/2026';
      },
    });
    expect(byBranch.github.deploySubjects).toEqual(['repo:acme/mwaa-platform:ref:refs/heads/release/2026']);
    expect(planOf({ platform: (p) => delete p.ci.github.environment }).github.deploySubjects).toEqual([
      'repo:acme/mwaa-platform:ref:refs/heads/main',
    ]);
  });

  it('bootstraps the owner and every participant account once, the owner as state account unless configured', () => {
    const plan = planOf();
    expect(plan.accounts.map((a) => [a.accountId, a.runs, a.teams])).toEqual([
      [OWNER, { owner: true, participant: false }, []],
      [ANALYTICS, { owner: false, participant: true }, ['analytics']],
      [MARKETING, { owner: false, participant: true }, ['marketing']],
    ]);
    expect(plan.stateAccountId).toBe(OWNER);
    expect(plan.state).toEqual({
      bucket: `acme-data-tfstate-${OWNER}`,
      keyPrefix: 'mwaa-platform',
      kmsKeyAlias: 'alias/acme-data-terraform-state',
      kmsKeyAliasArn: `arn:aws:kms:eu-west-1:${OWNER}:alias/acme-data-terraform-state`,
      dynamodbTable: undefined,
      noncurrentVersionDays: 90,
    });
    expect(planOf({ platform: (p) => (p.ci.stateAccountId = ANALYTICS) }).stateAccountId).toBe(ANALYTICS);
  });

  it('takes bucket, prefix and lock table from an S3 backend', () => {
    const plan = planOf({
      platform: (p) =>
        (p.backend = {
          type: 's3',
          bucket: 'acme-state',
          region: 'eu-west-1',
          keyPrefix: 'platform',
          lock: 'dynamodb',
          dynamodbTable: 'acme-locks',
        }),
    });
    expect(plan.state).toMatchObject({ bucket: 'acme-state', keyPrefix: 'platform', dynamodbTable: 'acme-locks' });
  });

  it.each([
    [
      'a repository without owner',
      (p: any) => (p.ci.github.repository = 'mwaa-platform'),
      'ci.github.repository: must be a GitHub repository written owner/name',
    ],
    [
      'a repository URL',
      (p: any) => (p.ci.github.repository = 'https://github.com/acme/x'),
      'ci.github.repository: must be a GitHub repository written owner/name',
    ],
    [
      'a repository named ..',
      (p: any) => (p.ci.github.repository = 'acme/..'),
      'ci.github.repository: the repository name cannot be "." or ".."',
    ],
    ['a wildcard branch', (p: any) => (p.ci.github.branch = 'release/*'), 'ci.github.branch: must be a branch name such as main'],
    [
      'an environment with ":"',
      (p: any) => (p.ci.github.environment = 'prod:eu'),
      'ci.github.environment: must be a deployment environment name such as production',
    ],
    ['an unknown OIDC mode', (p: any) => (p.ci.github.oidcProvider = 'import'), 'ci.github.oidcProvider: must be one of create, adopt'],
    [
      'an unknown deploy policy',
      (p: any) => (p.ci.deployRolePolicy = 'poweruser'),
      'ci.deployRolePolicy: must be one of scoped, administrator',
    ],
    ['zero days of old state versions', (p: any) => (p.ci.noncurrentStateVersionDays = 0), 'ci.noncurrentStateVersionDays: Too small'],
    [
      'an operator that is not a role ARN',
      (p: any) => (p.ci.operatorRoleArns = ['platform-operator']),
      'ci.operatorRoleArns[0]: must be an IAM role ARN such as arn:aws:iam::111111111111:role/platform-operator',
    ],
    [
      'an operator role of a participant account',
      (p: any) => (p.ci.operatorRoleArns = [`arn:aws:iam::${ANALYTICS}:role/admin`]),
      `ci.operatorRoleArns[0]: arn:aws:iam::${ANALYTICS}:role/admin must be a role of the state account ${OWNER}`,
    ],
    [
      'every role of the state account as operator',
      (p: any) => (p.ci.operatorRoleArns = [`arn:aws:iam::${OWNER}:role/*`]),
      `ci.operatorRoleArns[0]: arn:aws:iam::${OWNER}:role/* would admit every role of a path`,
    ],
    [
      'a typo in ci',
      (p: any) => (p.ci.github.repo = 'acme/x'),
      'ci.github: unknown field "repo"; allowed fields: repository, branch, environment, oidcProvider',
    ],
    [
      'no repository',
      (p: any) => delete p.ci.github.repository,
      'ci.github.repository: is required: must be a GitHub repository written owner/name, e.g. acme/mwaa-platform',
    ],
    ['no ci section', (p: any) => delete p.ci, 'ci: npm run bootstrap needs ci.github.repository'],
    ['no plan role name', (p: any) => delete p.planRoleName, 'planRoleName: npm run bootstrap creates the read-only plan role'],
    [
      'a state account outside the platform',
      (p: any) => (p.ci.stateAccountId = '999999999999'),
      'ci.stateAccountId: 999999999999 is not an account of the platform',
    ],
    [
      'a deploy role override in another account',
      (p: any) => (p.deployRoles = { [ANALYTICS]: `arn:aws:iam::${MARKETING}:role/deploy` }),
      `deployRoles.${ANALYTICS}: arn:aws:iam::${MARKETING}:role/deploy must be a role (path "/") in account ${ANALYTICS} itself`,
    ],
    [
      'a backend bucket in another region',
      (p: any) => (p.backend = { type: 's3', bucket: 'acme-state', region: 'us-east-1' }),
      'backend.region: bootstrap creates the state bucket in eu-west-1 (region); set backend.region to eu-west-1',
    ],
    [
      'a backend key that is not the state key',
      (p: any) =>
        (p.backend = {
          type: 's3',
          bucket: 'acme-state',
          region: 'eu-west-1',
          kmsKeyArn: `arn:aws:kms:eu-west-1:${OWNER}:key/1234abcd-12ab-34cd-56ef-1234567890ab`,
        }),
      `backend.kmsKeyArn: must be the state key bootstrap creates, arn:aws:kms:eu-west-1:${OWNER}:alias/acme-data-terraform-state`,
    ],
    [
      'a backend role the bucket does not admit',
      (p: any) => (p.backend = { type: 's3', bucket: 'acme-state', region: 'eu-west-1', roleArn: `arn:aws:iam::${OWNER}:role/admin` }),
      "backend.roleArn: the state bucket admits only the platform's deploy and plan roles",
    ],
  ])('refuses %s, naming the field', (_what, edit, expected) => {
    const found = problems(edit);
    expect(found).toEqual([expect.stringContaining(expected)]);
  });

  it('accepts a backend that names what bootstrap creates', () => {
    expect(
      problems(
        (p) =>
          (p.backend = {
            type: 's3',
            bucket: 'acme-state',
            region: 'eu-west-1',
            kmsKeyArn: `arn:aws:kms:eu-west-1:${OWNER}:alias/acme-data-terraform-state`,
            roleArn: `arn:aws:iam::${OWNER}:role/mwaa-platform-deploy`,
          }),
      ),
    ).toEqual([]);
  });

  it('assumes the configured administrator role in each account, else uses the ambient credentials', () => {
    expect(planOf().accounts.map((a) => a.adminRoleArn)).toEqual([undefined, undefined, undefined]);
    const plan = planOf({ platform: (p) => (p.ci.adminRoleName = 'OrganizationAccountAccessRole') });
    expect(plan.accounts.map((a) => a.adminRoleArn)).toEqual(
      [OWNER, ANALYTICS, MARKETING].map((a) => `arn:aws:iam::${a}:role/OrganizationAccountAccessRole`),
    );
  });
});

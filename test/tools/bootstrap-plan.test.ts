/**
 * What `npm run bootstrap` derives from a configuration, on in-memory configurations (no loader, no files):
 * the cross-field refusals with their exact paths and messages, and every field of the plan. The loader-level
 * cases over the example repository are in config.test.ts.
 */
import { bootstrapPlan, githubClaim, platformAccounts, validateBootstrap } from '../../model/bootstrap';
import type { PlatformConfig } from '../../model/model';
import { platformSchema } from '../../model/schema/platform';
import { nextSteps, planSummary, stacksToRun } from '../../tools/bootstrap';

const OWNER = '111111111111';
const A = '222222222222';
const B = '333333333333';
type Yaml = Record<string, any>;

/** A configuration as the loader would return it: platform.yaml through the schema, two teams in A and one in B. */
function config(edit: (p: Yaml) => void = () => {}): PlatformConfig {
  const p: Yaml = {
    platform: 'acme-data',
    region: 'eu-west-1',
    owner: { accountId: OWNER },
    planRoleName: 'mwaa-platform-plan',
    ci: { github: { repository: 'acme/mwaa-platform' } },
    network: {
      create: {
        cidr: '10.40.0.0/16',
        availabilityZones: ['eu-west-1a', 'eu-west-1b'],
        privateSubnetCidrs: ['10.40.0.0/20', '10.40.16.0/20'],
      },
    },
  };
  edit(p);
  const teams = [
    { team: 'analytics', accountId: A },
    { team: 'finance', accountId: A },
    { team: 'marketing', accountId: B },
  ];
  return {
    configDir: 'config',
    platform: platformSchema.parse(p),
    teams,
    artifacts: {},
    files: { platform: 'config/platform.yaml' },
    repoRoot: '/repo',
  } as unknown as PlatformConfig;
}

const problems = (edit: (p: Yaml) => void) => validateBootstrap(config(edit)).map((x) => `${x.file} ${x.path}: ${x.message}`);
const s3 =
  (extra: Yaml = {}) =>
  (p: Yaml) =>
    (p.backend = { type: 's3', bucket: 'acme-state', region: 'eu-west-1', ...extra });

describe('validateBootstrap', () => {
  it('a complete configuration has no problems', () => {
    expect(problems(() => {})).toEqual([]);
    expect(
      problems(
        s3({
          kmsKeyArn: `arn:aws:kms:eu-west-1:${OWNER}:alias/acme-data-terraform-state`,
          roleArn: `arn:aws:iam::${A}:role/mwaa-platform-plan`,
        }),
      ),
    ).toEqual([]);
    expect(problems(s3({ roleArn: `arn:aws:iam::${B}:role/mwaa-platform-deploy` }))).toEqual([]);
  });

  it('needs ci and planRoleName, each with its own message', () => {
    expect(
      problems((p) => {
        delete p.ci;
        delete p.planRoleName;
      }),
    ).toEqual([
      'config/platform.yaml ci: npm run bootstrap needs ci.github.repository (owner/name of the repository whose workflows deploy)',
      'config/platform.yaml planRoleName: npm run bootstrap creates the read-only plan role: set planRoleName, e.g. mwaa-platform-plan',
    ]);
  });

  it('every deploy role must live in its own account, at path "/"', () => {
    expect(problems((p) => (p.owner.deployRoleArn = `arn:aws:iam::${OWNER}:role/ci/deploy`))).toEqual([
      `config/platform.yaml owner.deployRoleArn: arn:aws:iam::${OWNER}:role/ci/deploy must be a role (path "/") in account ${OWNER} itself: bootstrap creates it there`,
    ]);
    expect(problems((p) => (p.deployRoles = { [B]: `arn:aws:iam::${A}:role/deploy` }))).toEqual([
      `config/platform.yaml deployRoles.${B}: arn:aws:iam::${A}:role/deploy must be a role (path "/") in account ${B} itself: bootstrap creates it there`,
    ]);
    expect(problems((p) => (p.deployRoles = { [A]: `arn:aws:iam::${A}:role/custom-deploy` }))).toEqual([]);
    expect(problems((p) => (p.owner.deployRoleArn = `arn:aws:iam::${OWNER}:role/other`))).toEqual([]);
  });

  it('the state account must be an account of the platform', () => {
    expect(problems((p) => (p.ci.stateAccountId = '999999999999'))).toEqual([
      "config/platform.yaml ci.stateAccountId: 999999999999 is not an account of the platform (the owner or a team's accountId)",
    ]);
    expect(problems((p) => (p.ci.stateAccountId = B))).toEqual([]);
  });

  it('an S3 backend must name what bootstrap creates: its region, its key in the state account, a platform role', () => {
    expect(problems(s3({ region: 'us-east-1' }))).toEqual([
      'config/platform.yaml backend.region: bootstrap creates the state bucket in eu-west-1 (region); set backend.region to eu-west-1',
    ]);
    expect(
      problems((p) => (s3({ kmsKeyArn: `arn:aws:kms:eu-west-1:${OWNER}:alias/acme-data-terraform-state` })(p), (p.ci.stateAccountId = B))),
    ).toEqual([
      `config/platform.yaml backend.kmsKeyArn: must be the state key bootstrap creates, arn:aws:kms:eu-west-1:${B}:alias/acme-data-terraform-state (or leave it out until the bucket exists)`,
    ]);
    expect(problems(s3({ roleArn: `arn:aws:iam::${A}:role/admin` }))).toEqual([
      `config/platform.yaml backend.roleArn: the state bucket admits only the platform's deploy and plan roles; arn:aws:iam::${A}:role/admin is neither`,
    ]);
  });

  it('operators are roles of the state account, named with "*" only after a fixed part', () => {
    const sso = `arn:aws:iam::${OWNER}:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_PlatformAdmin_*`;
    expect(problems((p) => (p.ci.operatorRoleArns = [sso, `arn:aws:iam::${OWNER}:role/platform-operator`]))).toEqual([]);
    expect(problems((p) => ((p.ci.operatorRoleArns = [`arn:aws:iam::${A}:role/platform-operator`]), (p.ci.stateAccountId = A)))).toEqual(
      [],
    );
    expect(
      problems((p) => (p.ci.operatorRoleArns = [`arn:aws:iam::${OWNER}:role/ok`, `arn:aws:iam::${A}:role/platform-operator`])),
    ).toEqual([
      `config/platform.yaml ci.operatorRoleArns[1]: arn:aws:iam::${A}:role/platform-operator must be a role of the state account ${OWNER}: operators sign in to its deploy role, which alone chains into the other accounts`,
    ]);
    for (const wide of [
      `arn:aws:iam::${OWNER}:role/*`,
      `arn:aws:iam::${OWNER}:role/aws-reserved/sso.amazonaws.com/*`,
      `arn:aws:iam::${OWNER}:role/*Admin*`,
    ]) {
      expect(problems((p) => (p.ci.operatorRoleArns = [wide]))).toEqual([
        `config/platform.yaml ci.operatorRoleArns[0]: ${wide} would admit every role of a path; name the role, with "*" only after a fixed part (e.g. AWSReservedSSO_PlatformAdmin_*)`,
      ]);
    }
  });

  it('does not check the backend before ci and planRoleName are there', () => {
    expect(problems((p) => (s3({ region: 'us-east-1' })(p), delete p.planRoleName))).toEqual([
      'config/platform.yaml planRoleName: npm run bootstrap creates the read-only plan role: set planRoleName, e.g. mwaa-platform-plan',
    ]);
    expect(problems((p) => (s3({ region: 'us-east-1' })(p), delete p.ci)).map((x) => x.split(':')[0])).toEqual(['config/platform.yaml ci']);
  });
});

describe('bootstrapPlan', () => {
  it('a local backend: the default bucket in the owner account, deploy subject from the branch', () => {
    expect(bootstrapPlan(config())).toEqual({
      platform: 'acme-data',
      region: 'eu-west-1',
      regions: ['eu-west-1'],
      partition: 'aws',
      accounts: [
        {
          accountId: OWNER,
          deployRoleName: 'mwaa-platform-deploy',
          adminRoleArn: undefined,
          runs: { owner: true, participant: false },
          teams: [],
        },
        {
          accountId: A,
          deployRoleName: 'mwaa-platform-deploy',
          adminRoleArn: undefined,
          runs: { owner: false, participant: true },
          teams: ['analytics', 'finance'],
        },
        {
          accountId: B,
          deployRoleName: 'mwaa-platform-deploy',
          adminRoleArn: undefined,
          runs: { owner: false, participant: true },
          teams: ['marketing'],
        },
      ],
      stateAccountId: OWNER,
      state: {
        bucket: `acme-data-tfstate-${OWNER}`,
        keyPrefix: 'mwaa-platform',
        kmsKeyAlias: 'alias/acme-data-terraform-state',
        kmsKeyAliasArn: `arn:aws:kms:eu-west-1:${OWNER}:alias/acme-data-terraform-state`,
        dynamodbTable: undefined,
        noncurrentVersionDays: 90,
      },
      github: {
        repository: 'acme/mwaa-platform',
        deploySubjects: ['repo:acme/mwaa-platform:ref:refs/heads/main'],
        planSubjects: ['repo:acme/mwaa-platform:pull_request', 'repo:acme/mwaa-platform:ref:refs/heads/main'],
        oidcProvider: 'create',
      },
      operatorRoleArns: [],
      deployRoleName: 'mwaa-platform-deploy',
      planRoleName: 'mwaa-platform-plan',
      deployRoleArns: [
        `arn:aws:iam::${OWNER}:role/mwaa-platform-deploy`,
        `arn:aws:iam::${A}:role/mwaa-platform-deploy`,
        `arn:aws:iam::${B}:role/mwaa-platform-deploy`,
      ],
      planRoleArns: [
        `arn:aws:iam::${OWNER}:role/mwaa-platform-plan`,
        `arn:aws:iam::${A}:role/mwaa-platform-plan`,
        `arn:aws:iam::${B}:role/mwaa-platform-plan`,
      ],
      deployRolePolicy: 'scoped',
      tags: { Platform: 'acme-data', ManagedBy: 'cdktf', Purpose: 'bootstrap' },
    });
  });

  it('an S3 backend with DynamoDB locking, a state account, an admin role, an environment, overrides and tags', () => {
    const plan = bootstrapPlan(
      config((p) => {
        p.region = 'us-gov-west-1';
        p.backend = {
          type: 's3',
          bucket: 'acme-state',
          region: 'us-gov-west-1',
          keyPrefix: 'states',
          lock: 'dynamodb',
          dynamodbTable: 'locks',
        };
        p.ci = {
          github: { repository: 'acme/p', branch: 'release', environment: 'production', oidcProvider: 'adopt' },
          stateAccountId: B,
          adminRoleName: 'OrgAdmin',
          deployRolePolicy: 'administrator',
          noncurrentStateVersionDays: 7,
        };
        p.deployRoles = { [A]: `arn:aws-us-gov:iam::${A}:role/team-deploy` };
        p.network.create.availabilityZones = ['us-gov-west-1a', 'us-gov-west-1b'];
        p.tags = { CostCenter: 'data', Platform: 'overridden' };
      }),
    );
    expect(plan.partition).toBe('aws-us-gov');
    expect(plan.stateAccountId).toBe(B);
    expect(plan.state).toEqual({
      bucket: 'acme-state',
      keyPrefix: 'states',
      kmsKeyAlias: 'alias/acme-data-terraform-state',
      kmsKeyAliasArn: `arn:aws-us-gov:kms:us-gov-west-1:${B}:alias/acme-data-terraform-state`,
      dynamodbTable: 'locks',
      noncurrentVersionDays: 7,
    });
    expect(plan.accounts.map((a) => [a.accountId, a.deployRoleName, a.adminRoleArn])).toEqual([
      [OWNER, 'mwaa-platform-deploy', `arn:aws-us-gov:iam::${OWNER}:role/OrgAdmin`],
      [A, 'team-deploy', `arn:aws-us-gov:iam::${A}:role/OrgAdmin`],
      [B, 'mwaa-platform-deploy', `arn:aws-us-gov:iam::${B}:role/OrgAdmin`],
    ]);
    expect(plan.github).toEqual({
      repository: 'acme/p',
      deploySubjects: ['repo:acme/p:environment:production'],
      planSubjects: ['repo:acme/p:pull_request', 'repo:acme/p:ref:refs/heads/release'],
      oidcProvider: 'adopt',
    });
    expect(plan.deployRoleArns).toEqual([
      `arn:aws-us-gov:iam::${OWNER}:role/mwaa-platform-deploy`,
      `arn:aws-us-gov:iam::${A}:role/team-deploy`,
      `arn:aws-us-gov:iam::${B}:role/mwaa-platform-deploy`,
    ]);
    expect(plan.deployRolePolicy).toBe('administrator');
    expect(plan.tags).toEqual({ CostCenter: 'data', Platform: 'acme-data', ManagedBy: 'cdktf', Purpose: 'bootstrap' });
  });

  it('an S3 backend with lockfile locking has no lock table', () => {
    expect(bootstrapPlan(config(s3({ lock: 'lockfile', dynamodbTable: 'unused' }))).state.dynamodbTable).toBeUndefined();
  });

  it('the owner that also hosts a team runs both stacks; accounts are listed once', () => {
    const c = config();
    const shared = { ...c, teams: [...c.teams, { team: 'ops', accountId: OWNER }] } as unknown as PlatformConfig;
    expect(platformAccounts(shared)).toEqual([OWNER, A, B]);
    expect(bootstrapPlan(shared).accounts[0]).toMatchObject({ runs: { owner: true, participant: true }, teams: ['ops'] });
  });

  it('names the OIDC claims IAM conditions use', () => {
    expect([githubClaim('sub'), githubClaim('aud')]).toEqual([
      'token.actions.githubusercontent.com:sub',
      'token.actions.githubusercontent.com:aud',
    ]);
  });
});

describe('bootstrap tool decisions', () => {
  it('the state account first, then configuration order; --account filters', () => {
    const plan = bootstrapPlan(config((p) => (p.ci.stateAccountId = A)));
    expect(stacksToRun(plan, [])).toEqual([`bootstrap-${A}`, `bootstrap-${OWNER}`, `bootstrap-${B}`]);
    expect(stacksToRun(plan, [B])).toEqual([`bootstrap-${B}`]);
    expect(() => stacksToRun(plan, [B, '999999999999', '888888888888'])).toThrow(
      `--account 999999999999, 888888888888: not an account of the platform (${OWNER}, ${A}, ${B})`,
    );
  });

  it('summarizes a plan in one line', () => {
    expect(planSummary('Plan: 3 to add, 1 to change, 0 to destroy.')).toBe('Plan: 3 to add, 1 to change, 0 to destroy.');
    expect(planSummary('x\nNo changes. Your infrastructure matches.\n')).toBe('No changes.');
    expect(planSummary('Terraform will perform the following actions')).toBe('plan finished');
  });

  it('next steps name the outputs, and leave blanks for outputs that are missing', () => {
    expect(nextSteps(bootstrapPlan(config()), { state_bucket: { value: 'b' } })).toBe(
      [
        'Next steps:',
        '  1. In platform.yaml set the backend (state of every platform stack goes to the bucket):',
        '       backend: { type: s3, bucket: b, region: eu-west-1, kmsKeyArn:  }',
        '  2. In the GitHub repository acme/mwaa-platform, set the Actions variables:',
        '       AWS_APPLY_ROLE_ARN=',
        '       AWS_PLAN_ROLE_ARN=',
        '       AWS_REGION=eu-west-1',
        '  3. Continue with the first deployment in docs/deploying.md (apply the owner, publish the network contract).',
      ].join('\n'),
    );
  });
});

/**
 * The bootstrap roles' trust and permissions, evaluated with @cloud-copilot/iam-simulate on the documents the
 * stacks synthesize. Web-identity trust goes through runUnsafeSimulation: iam-data does not list the OIDC `:sub`
 * and `:aud` keys for sts:AssumeRoleWithWebIdentity, so the validating runner would drop them from the request
 * (and every condition on them would fail); everything else goes through the validating runSimulation.
 * Each case states its expected verdict literally.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runSimulation, runUnsafeSimulation } from '@cloud-copilot/iam-simulate';
import { parse } from 'yaml';
import {
  deployPermissions,
  deployTrustPolicy,
  planPermissions,
  planTrustPolicy,
  stateBucketPolicy,
  stateKeyPolicy,
  type PolicyDocument,
} from '../../../constructs/bootstrap/policies';
import type { BootstrapPlan } from '../../../model/bootstrap';
import { ANALYTICS, OWNER, planOf } from './support';

let plan: BootstrapPlan;
beforeAll(() => {
  plan = planOf();
});
const account = (id: string) => plan.accounts.find((a) => a.accountId === id)!;
const role = (acct: string, name: string) => `arn:aws:iam::${acct}:role/${name}`;
const DEPLOY = 'mwaa-platform-deploy';
const PLAN = 'mwaa-platform-plan';
const REGION = 'eu-west-1';
const GITHUB = 'token.actions.githubusercontent.com';

type Verdict = 'Allowed' | 'Denied';
const verdict = (result: string): Verdict => (result === 'Allowed' ? 'Allowed' : 'Denied');

function assumeWithToken(trust: PolicyDocument, acct: string, claims: { sub: string; aud?: string }): Verdict {
  return verdict(
    runUnsafeSimulation(
      {
        request: {
          principal: `arn:aws:iam::${acct}:oidc-provider/${GITHUB}`,
          action: 'sts:AssumeRoleWithWebIdentity',
          resource: { resource: role(acct, 'target'), accountId: acct },
          contextVariables: { [`${GITHUB}:sub`]: claims.sub, [`${GITHUB}:aud`]: claims.aud ?? 'sts.amazonaws.com' },
        },
        identityPolicies: [],
        serviceControlPolicies: [],
        resourceControlPolicies: [],
        // runUnsafeSimulation loads the resource policy without a name, which its analysis needs; a policy in
        // iam-policy's validated form carries one.
        resourcePolicy: { __validated: true, policyDocument: trust, metadata: { name: 'trust' }, errors: [] },
      },
      {},
    ) as unknown as string,
  );
}

interface Request {
  readonly principal: string;
  readonly action: string;
  readonly resource: string;
  readonly resourceAccount: string;
  readonly identity: PolicyDocument | 'admin';
  readonly resourcePolicy?: PolicyDocument;
  readonly context?: Record<string, string | string[]>;
  /** Evaluate as a resource of `resourceAccount` whatever its ARN says (RAM-shared resources). */
  readonly sameAccount?: boolean;
}

async function simulate(r: Request): Promise<Verdict> {
  const identity =
    r.identity === 'admin' ? { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] } : r.identity;
  const result = await runSimulation(
    {
      request: {
        principal: r.principal,
        action: r.action,
        // The account in the ARN when it names one (S3 bucket ARNs do not).
        resource: { resource: r.resource, accountId: (!r.sameAccount && r.resource.split(':')[4]) || r.resourceAccount },
        contextVariables: { 'aws:RequestedRegion': REGION, 'aws:SecureTransport': 'true', 'aws:PrincipalArn': r.principal, ...r.context },
      },
      identityPolicies: [{ name: 'permissions', policy: identity }],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      resourcePolicy: r.resourcePolicy,
    },
    {},
  );
  if (result.resultType === 'error') throw new Error(JSON.stringify(result.errors));
  if (result.resultType !== 'single') throw new Error(`unexpected ${result.resultType}`);
  return verdict(result.overallResult);
}

const production = `repo:acme/mwaa-platform:environment:production`;
const pullRequest = `repo:acme/mwaa-platform:pull_request`;

describe('deploy and plan role trust (GitHub OIDC)', () => {
  it.each([
    ['the apply job (environment production)', { sub: production }, 'Allowed', 'Denied'],
    ['a pull request', { sub: pullRequest }, 'Denied', 'Allowed'],
    // The scheduled drift check runs on main without an environment: read-only plans, never applies.
    [
      'a job on main outside the environment (the drift check)',
      { sub: 'repo:acme/mwaa-platform:ref:refs/heads/main' },
      'Denied',
      'Allowed',
    ],
    ['a job on another branch', { sub: 'repo:acme/mwaa-platform:ref:refs/heads/feature' }, 'Denied', 'Denied'],
    ['another environment', { sub: 'repo:acme/mwaa-platform:environment:staging' }, 'Denied', 'Denied'],
    ['another repository with the same environment', { sub: 'repo:acme/fork:environment:production' }, 'Denied', 'Denied'],
    ['a fork pull request of another repository', { sub: 'repo:someone/mwaa-platform:pull_request' }, 'Denied', 'Denied'],
    ['the right subject for another audience', { sub: production, aud: 'https://github.com/acme' }, 'Denied', 'Denied'],
  ])('a token of %s', (_who, claims, deploy, planRole) => {
    for (const acct of [OWNER, ANALYTICS]) {
      expect(assumeWithToken(deployTrustPolicy(plan, account(acct)), acct, claims)).toBe(deploy);
      expect(assumeWithToken(planTrustPolicy(plan, acct), acct, claims)).toBe(planRole);
    }
  });

  it('with no environment configured, trusts pushes to the branch only', () => {
    const byBranch = planOf({ platform: (p) => delete p.ci.github.environment });
    const trust = deployTrustPolicy(byBranch, byBranch.accounts[1]);
    expect(assumeWithToken(trust, ANALYTICS, { sub: 'repo:acme/mwaa-platform:ref:refs/heads/main' })).toBe('Allowed');
    expect(assumeWithToken(trust, ANALYTICS, { sub: 'repo:acme/mwaa-platform:ref:refs/heads/feature' })).toBe('Denied');
    expect(assumeWithToken(trust, ANALYTICS, { sub: pullRequest })).toBe('Denied');
  });
});

describe('every workflow job that signs in is admitted by the trust bootstrap creates', () => {
  type Job = { environment?: string; steps: Array<{ uses?: string; with?: Record<string, string> }> };
  const workflows = ['plan.yml', 'drift.yml'].map((file) => {
    const wf = parse(readFileSync(join(__dirname, '..', '..', '..', '.github', 'workflows', file), 'utf8')) as {
      on: Record<string, unknown>;
      jobs: Record<string, Job>;
    };
    return { file, wf };
  });
  /** The `sub` GitHub puts in the job's token: its environment; else the pull request; else the branch it runs on (main). */
  const subOf = (on: Record<string, unknown>, job: Job) =>
    job.environment
      ? `repo:acme/mwaa-platform:environment:${job.environment}`
      : 'pull_request' in on
        ? pullRequest
        : 'repo:acme/mwaa-platform:ref:refs/heads/main';
  const signIns = workflows.flatMap(({ file, wf }) =>
    Object.entries(wf.jobs).flatMap(([name, job]) =>
      job.steps
        .filter((s) => s.uses?.startsWith('aws-actions/configure-aws-credentials@'))
        .map((s) => ({ at: `${file} ${name}`, role: s.with!['role-to-assume'], sub: subOf(wf.on, job) })),
    ),
  );

  it('finds the three jobs that sign in: pull-request plans, the apply job, the drift check', () => {
    expect(signIns.map((s) => `${s.at}: ${s.role} as ${s.sub}`)).toEqual([
      `plan.yml plan-stacks: \${{ vars.AWS_PLAN_ROLE_ARN }} as ${pullRequest}`,
      `plan.yml apply: \${{ vars.AWS_APPLY_ROLE_ARN }} as ${production}`,
      'drift.yml drift: ${{ vars.AWS_PLAN_ROLE_ARN }} as repo:acme/mwaa-platform:ref:refs/heads/main',
    ]);
  });

  it('each may assume the state account role it names, and no other', () => {
    for (const s of signIns) {
      const deploy = assumeWithToken(deployTrustPolicy(plan, account(OWNER)), OWNER, { sub: s.sub });
      const planRole = assumeWithToken(planTrustPolicy(plan, OWNER), OWNER, { sub: s.sub });
      expect([s.at, deploy, planRole]).toEqual([
        s.at,
        s.role.includes('APPLY') ? 'Allowed' : 'Denied',
        s.role.includes('PLAN') ? 'Allowed' : 'Denied',
      ]);
    }
  });
});

describe('chaining from the state account into the other accounts', () => {
  const chain = (from: string, identity: PolicyDocument, to: string, trust: PolicyDocument) =>
    simulate({ principal: from, action: 'sts:AssumeRole', resource: to, resourceAccount: ANALYTICS, identity, resourcePolicy: trust });
  const stateDeploy = role(OWNER, DEPLOY);
  const statePlan = role(OWNER, PLAN);

  it.each([
    ['the state account deploy role → a participant deploy role', stateDeploy, 'deploy', DEPLOY, 'Allowed'],
    ['the state account plan role → a participant plan role', statePlan, 'plan', PLAN, 'Allowed'],
    ['the state account plan role → a participant deploy role', statePlan, 'plan', DEPLOY, 'Denied'],
    ['the state account deploy role → a participant plan role', stateDeploy, 'deploy', PLAN, 'Denied'],
    [
      'another role of the state account with AdministratorAccess → a participant deploy role',
      role(OWNER, 'admin'),
      'admin',
      DEPLOY,
      'Denied',
    ],
  ] as const)('%s', async (_what, from, fromKind, toName, expected) => {
    const identity =
      fromKind === 'deploy'
        ? deployPermissions(plan, account(OWNER))
        : fromKind === 'plan'
          ? planPermissions(plan, OWNER)
          : { Version: '2012-10-17' as const, Statement: [{ Sid: 'All', Effect: 'Allow' as const, Action: '*', Resource: '*' }] };
    const trust = toName === DEPLOY ? deployTrustPolicy(plan, account(ANALYTICS)) : planTrustPolicy(plan, ANALYTICS);
    expect(await chain(from, identity, role(ANALYTICS, toName), trust)).toBe(expected);
  });
});

describe('operators (ci.operatorRoleArns): the runbook by hand', () => {
  const SSO = `arn:aws:iam::${OWNER}:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_PlatformAdmin_0123456789abcdef`;
  const admin = { Version: '2012-10-17' as const, Statement: [{ Sid: 'All', Effect: 'Allow' as const, Action: '*', Resource: '*' }] };
  const assume = (p: BootstrapPlan, from: string, acct: string, toName: string) =>
    simulate({
      principal: from,
      action: 'sts:AssumeRole',
      resource: role(acct, toName),
      resourceAccount: acct,
      identity: admin,
      resourcePolicy: toName === DEPLOY ? deployTrustPolicy(p, p.accounts.find((a) => a.accountId === acct)!) : planTrustPolicy(p, acct),
    });
  let withOperators: BootstrapPlan;
  beforeAll(() => {
    withOperators = planOf({
      platform: (p) =>
        (p.ci.operatorRoleArns = [`arn:aws:iam::${OWNER}:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_PlatformAdmin_*`]),
    });
  });

  it('by default no person can assume a deploy or plan role, administrators included', async () => {
    expect(await assume(plan, SSO, OWNER, DEPLOY)).toBe('Denied');
    expect(await assume(plan, SSO, OWNER, PLAN)).toBe('Denied');
    expect(deployTrustPolicy(plan, account(OWNER)).Statement.map((s) => s.Sid)).toEqual(['GitHubActions', 'ChainFromStateAccount']);
  });

  it.each([
    ['the operator role → the state account deploy role', SSO, OWNER, DEPLOY, 'Allowed'],
    ['the operator role → the state account plan role', SSO, OWNER, PLAN, 'Allowed'],
    ['the operator role → a participant deploy role directly (it chains through the state account)', SSO, ANALYTICS, DEPLOY, 'Denied'],
    [
      'another Identity Center role of the state account',
      `arn:aws:iam::${OWNER}:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_ReadOnly_0123456789abcdef`,
      OWNER,
      DEPLOY,
      'Denied',
    ],
    ['a role of that name in a participant account', SSO.replace(OWNER, ANALYTICS), OWNER, DEPLOY, 'Denied'],
  ] as const)('with operators configured: %s', async (_what, from, acct, toName, expected) => {
    expect(await assume(withOperators, from, acct, toName)).toBe(expected);
  });

  it('the deploy role an operator signed in to chains into the participant accounts as CI does', async () => {
    const trust = deployTrustPolicy(withOperators, withOperators.accounts.find((a) => a.accountId === ANALYTICS)!);
    const chained = await simulate({
      principal: role(OWNER, DEPLOY),
      action: 'sts:AssumeRole',
      resource: role(ANALYTICS, DEPLOY),
      resourceAccount: ANALYTICS,
      identity: deployPermissions(withOperators, withOperators.accounts[0]),
      resourcePolicy: trust,
    });
    expect(chained).toBe('Allowed');
    expect(trust.Statement.map((s) => s.Sid)).toEqual(['GitHubActions', 'ChainFromStateAccount']);
  });
});

describe('deploy role permissions', () => {
  const asParticipant = (action: string, resource: string, context?: Record<string, string | string[]>) =>
    simulate({
      principal: role(ANALYTICS, DEPLOY),
      action,
      resource,
      resourceAccount: ANALYTICS,
      identity: deployPermissions(plan, account(ANALYTICS)),
      context,
    });
  const asOwner = (action: string, resource: string, context?: Record<string, string | string[]>) =>
    simulate({
      principal: role(OWNER, DEPLOY),
      action,
      resource,
      resourceAccount: OWNER,
      identity: deployPermissions(plan, account(OWNER)),
      context,
    });
  const env = `arn:aws:airflow:${REGION}:${ANALYTICS}:environment/analytics-prod`;

  it.each([
    ['create the team environment', () => asParticipant('airflow:CreateEnvironment', env), 'Allowed'],
    [
      'create it in another region',
      () => asParticipant('airflow:CreateEnvironment', env.replace(REGION, 'us-east-1'), { 'aws:RequestedRegion': 'us-east-1' }),
      'Denied',
    ],
    ['write a team role policy', () => asParticipant('iam:PutRolePolicy', role(ANALYTICS, 'analytics-prod-mwaa-execution')), 'Allowed'],
    ['loosen its own trust', () => asParticipant('iam:UpdateAssumeRolePolicy', role(ANALYTICS, DEPLOY)), 'Denied'],
    ['write its own policy', () => asParticipant('iam:PutRolePolicy', role(ANALYTICS, DEPLOY)), 'Denied'],
    ['change the plan role', () => asParticipant('iam:PutRolePolicy', role(ANALYTICS, PLAN)), 'Denied'],
    [
      'delete the GitHub OIDC provider',
      () => asParticipant('iam:DeleteOpenIDConnectProvider', `arn:aws:iam::${ANALYTICS}:oidc-provider/${GITHUB}`),
      'Denied',
    ],
    [
      'create the EKS cluster identity provider',
      () =>
        asParticipant('iam:CreateOpenIDConnectProvider', `arn:aws:iam::${ANALYTICS}:oidc-provider/oidc.eks.${REGION}.amazonaws.com/id/ABC`),
      'Allowed',
    ],
    [
      'attach AmazonEKSClusterPolicy',
      () =>
        asParticipant('iam:AttachRolePolicy', role(ANALYTICS, 'acme-data-analytics-eks-cluster'), {
          'iam:PolicyARN': 'arn:aws:iam::aws:policy/AmazonEKSClusterPolicy',
        }),
      'Allowed',
    ],
    [
      'attach AdministratorAccess',
      () =>
        asParticipant('iam:AttachRolePolicy', role(ANALYTICS, 'acme-data-analytics-eks-cluster'), {
          'iam:PolicyARN': 'arn:aws:iam::aws:policy/AdministratorAccess',
        }),
      'Denied',
    ],
    [
      'pass the execution role to MWAA',
      () =>
        asParticipant('iam:PassRole', role(ANALYTICS, 'analytics-prod-mwaa-execution'), { 'iam:PassedToService': 'airflow.amazonaws.com' }),
      'Allowed',
    ],
    [
      'pass a role to CloudFormation',
      () =>
        asParticipant('iam:PassRole', role(ANALYTICS, 'analytics-prod-mwaa-execution'), {
          'iam:PassedToService': 'cloudformation.amazonaws.com',
        }),
      'Denied',
    ],
    ['create a team bucket', () => asParticipant('s3:CreateBucket', 'arn:aws:s3:::acme-data-analytics-mwaa-222222222222'), 'Allowed'],
    ['create a bucket outside the platform prefix', () => asParticipant('s3:CreateBucket', 'arn:aws:s3:::payroll-exports'), 'Denied'],
    [
      'create a Lambda function (an owner service) in a participant account',
      () => asParticipant('lambda:CreateFunction', `arn:aws:lambda:${REGION}:${ANALYTICS}:function:acme-data-x`),
      'Denied',
    ],
    ['share subnets (RAM, an owner service) from a participant account', () => asParticipant('ram:CreateResourceShare', '*'), 'Denied'],
    // A RAM-shared VPC is authorized by the participant's identity policy alone: simulated as a resource the
    // participant account can use (the simulator has no RAM), with the owner's ARN the policy must match.
    [
      'create the security group in the shared VPC',
      () =>
        simulate({
          principal: role(ANALYTICS, DEPLOY),
          action: 'ec2:CreateSecurityGroup',
          resource: `arn:aws:ec2:${REGION}:${OWNER}:vpc/vpc-0abc1234def567890`,
          resourceAccount: ANALYTICS,
          identity: deployPermissions(plan, account(ANALYTICS)),
          sameAccount: true,
        }),
      'Allowed',
    ],
    [
      'create a VPC in an unrelated account',
      () => asParticipant('ec2:CreateVpc', `arn:aws:ec2:${REGION}:444444444444:vpc/vpc-0abc1234def567890`),
      'Denied',
    ],
    [
      'create the endpoint manager function in the owner account',
      () => asOwner('lambda:CreateFunction', `arn:aws:lambda:${REGION}:${OWNER}:function:acme-data-endpoint-manager`),
      'Allowed',
    ],
    [
      'create an MWAA environment in the owner account',
      () => asOwner('airflow:CreateEnvironment', `arn:aws:airflow:${REGION}:${OWNER}:environment/x`),
      'Denied',
    ],
    ['create the PyPI mirror domain in the owner account', () => asOwner('codeartifact:CreateDomain', '*'), 'Allowed'],
    [
      'write the policy of a CodeArtifact domain that is not the mirror',
      () => asOwner('codeartifact:PutDomainPermissionsPolicy', `arn:aws:codeartifact:${REGION}:${OWNER}:domain/other`),
      'Denied',
    ],
    ['create a CodeArtifact domain in a participant account', () => asParticipant('codeartifact:CreateDomain', '*'), 'Denied'],
    ['create an EKS cluster (an action on Resource "*" only) in the owner account', () => asOwner('eks:CreateCluster', '*'), 'Denied'],
    ['delete the state bucket', () => asOwner('s3:DeleteBucket', `arn:aws:s3:::acme-data-tfstate-${OWNER}`), 'Denied'],
    ['replace the state bucket policy', () => asOwner('s3:PutBucketPolicy', `arn:aws:s3:::acme-data-tfstate-${OWNER}`), 'Denied'],
  ] as const)('may it %s?', async (_what, run, expected) => {
    expect(await run()).toBe(expected);
  });
});

describe('state access (bucket policy, key policy and identity policies together)', () => {
  const bucket = `arn:aws:s3:::acme-data-tfstate-${OWNER}`;
  const object = `${bucket}/mwaa-platform/participant-analytics.tfstate`;
  const state = (principal: string, identity: PolicyDocument | 'admin', action: string, context?: Record<string, string>) =>
    simulate({
      principal,
      action,
      resource: action === 's3:ListBucket' ? bucket : object,
      resourceAccount: OWNER,
      identity,
      resourcePolicy: stateBucketPolicy(plan),
      context,
    });

  it.each<[string, string, () => PolicyDocument | 'admin', string, Record<string, string> | undefined, Verdict]>([
    [
      'a participant deploy role writes its state',
      role(ANALYTICS, DEPLOY),
      () => deployPermissions(plan, account(ANALYTICS)),
      's3:PutObject',
      undefined,
      'Allowed',
    ],
    [
      'a participant deploy role reads its state',
      role(ANALYTICS, DEPLOY),
      () => deployPermissions(plan, account(ANALYTICS)),
      's3:GetObject',
      undefined,
      'Allowed',
    ],
    [
      'a participant plan role reads state',
      role(ANALYTICS, PLAN),
      () => planPermissions(plan, ANALYTICS),
      's3:GetObject',
      undefined,
      'Allowed',
    ],
    [
      'a participant plan role writes state',
      role(ANALYTICS, PLAN),
      () => planPermissions(plan, ANALYTICS),
      's3:PutObject',
      undefined,
      'Denied',
    ],
    [
      'the state account plan role deletes state',
      role(OWNER, PLAN),
      () => planPermissions(plan, OWNER),
      's3:DeleteObject',
      undefined,
      'Denied',
    ],
    ['an administrator of the state account reads state', role(OWNER, 'Admin'), () => 'admin', 's3:GetObject', undefined, 'Denied'],
    ['an administrator of a participant account reads state', role(ANALYTICS, 'Admin'), () => 'admin', 's3:GetObject', undefined, 'Denied'],
    [
      'the deploy role reads state without TLS',
      role(OWNER, DEPLOY),
      () => deployPermissions(plan, account(OWNER)),
      's3:GetObject',
      { 'aws:SecureTransport': 'false' },
      'Denied',
    ],
  ])('%s', async (_what, principal, identity, action, context, expected) => {
    expect(await state(principal, identity(), action, context)).toBe(expected);
  });

  it('nobody deletes state versions while the bucket policy stands; the state account administrator can remove the policy (the runbook back to nothing)', async () => {
    const asAdmin = (action: string, resource: string) =>
      simulate({
        principal: role(OWNER, 'Admin'),
        action,
        resource,
        resourceAccount: OWNER,
        identity: 'admin',
        resourcePolicy: stateBucketPolicy(plan),
      });
    expect(await asAdmin('s3:DeleteObjectVersion', object)).toBe('Denied');
    expect(await state(role(OWNER, DEPLOY), deployPermissions(plan, account(OWNER)), 's3:DeleteObjectVersion')).toBe('Denied');
    expect(await asAdmin('s3:DeleteBucketPolicy', bucket)).toBe('Allowed');
    // Without the policy the administrator's own permissions decide.
    expect(
      await simulate({
        principal: role(OWNER, 'Admin'),
        action: 's3:DeleteObjectVersion',
        resource: object,
        resourceAccount: OWNER,
        identity: 'admin',
      }),
    ).toBe('Allowed');
  });

  it('lets participant deploy roles use the state key through S3 only, and plan roles only decrypt', async () => {
    const key = `arn:aws:kms:${REGION}:${OWNER}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
    const keyPolicy = stateKeyPolicy(plan);
    const viaS3 = { 'kms:ViaService': `s3.${REGION}.amazonaws.com`, 'kms:ResourceAliases': ['alias/acme-data-terraform-state'] };
    const use = (principal: string, identity: PolicyDocument, action: string, context: Record<string, string | string[]>) =>
      simulate({ principal, action, resource: key, resourceAccount: OWNER, identity, resourcePolicy: keyPolicy, context });
    const deploy = deployPermissions(plan, account(ANALYTICS));
    const planRole = planPermissions(plan, ANALYTICS);
    expect(await use(role(ANALYTICS, DEPLOY), deploy, 'kms:GenerateDataKey', viaS3)).toBe('Allowed');
    expect(await use(role(ANALYTICS, DEPLOY), deploy, 'kms:Decrypt', { ...viaS3, 'kms:ViaService': `ssm.${REGION}.amazonaws.com` })).toBe(
      'Denied',
    );
    expect(await use(role(ANALYTICS, DEPLOY), deploy, 'kms:Decrypt', { ...viaS3, 'kms:ResourceAliases': ['alias/other'] })).toBe('Denied');
    expect(await use(role(ANALYTICS, PLAN), planRole, 'kms:Decrypt', viaS3)).toBe('Allowed');
    expect(await use(role(ANALYTICS, PLAN), planRole, 'kms:GenerateDataKey', viaS3)).toBe('Denied');
  });
});

describe('plan role permissions', () => {
  const asPlan = (action: string, resource: string, context?: Record<string, string>) =>
    simulate({
      principal: role(ANALYTICS, PLAN),
      action,
      resource,
      resourceAccount: ANALYTICS,
      identity: planPermissions(plan, ANALYTICS),
      context,
    });
  it.each([
    ['refresh an environment', 'airflow:GetEnvironment', `arn:aws:airflow:${REGION}:${ANALYTICS}:environment/analytics-prod`, 'Allowed'],
    ['update an environment', 'airflow:UpdateEnvironment', `arn:aws:airflow:${REGION}:${ANALYTICS}:environment/analytics-prod`, 'Denied'],
    ['refresh a role', 'iam:GetRole', role(ANALYTICS, 'analytics-prod-mwaa-execution'), 'Allowed'],
    ['change a role', 'iam:PutRolePolicy', role(ANALYTICS, 'analytics-prod-mwaa-execution'), 'Denied'],
    ['refresh a DAG object', 's3:GetObject', 'arn:aws:s3:::acme-data-analytics-mwaa-222222222222/dags/daily_sales.py', 'Allowed'],
    ['read an object of an unrelated bucket', 's3:GetObject', 'arn:aws:s3:::payroll-exports/2026.csv', 'Denied'],
    [
      'read log events',
      'logs:GetLogEvents',
      `arn:aws:logs:${REGION}:${ANALYTICS}:log-group:airflow-analytics-prod-Task:log-stream:x`,
      'Denied',
    ],
    ['assume the deploy role', 'sts:AssumeRole', role(ANALYTICS, DEPLOY), 'Denied'],
  ] as const)('%s', async (_what, action, resource, expected) => {
    expect(await asPlan(action, resource)).toBe(expected);
  });
});

/**
 * The bootstrap roles with a recovery region (fixture platform in eu-west-1 plus platform.yaml `recovery` in
 * us-west-2, analytics-prod recovered): the deploy and plan roles reach the recovery region's stacks, and still no
 * third region; the metadata backup buckets (named after the environment, not the platform) in both regions.
 * Evaluated with @cloud-copilot/iam-simulate on the documents the bootstrap policies build; each verdict is literal.
 */
import { runSimulation } from '@cloud-copilot/iam-simulate';
import { deployPermissions, planPermissions, type PolicyDocument } from '../../../constructs/bootstrap/policies';
import type { BootstrapPlan } from '../../../model/bootstrap';
import { RECOVERY_SECTION } from '../../support/recovery-fixture';
import { ANALYTICS, MARKETING, OWNER, planOf } from './support';

const PRIMARY = 'eu-west-1';
const RECOVERY = 'us-west-2';

const withRecovery: BootstrapPlan = planOf({
  platform: (p) => {
    p.recovery = structuredClone(RECOVERY_SECTION);
  },
  teams: {
    analytics: (t) => {
      t.environments[0].recovery = 'warm-standby';
    },
  },
});
const withoutRecovery: BootstrapPlan = planOf();

const account = (plan: BootstrapPlan, id: string) => plan.accounts.find((a) => a.accountId === id)!;

/** `shared`: a RAM-shared resource, evaluated as one of the caller's account whatever its ARN says. */
async function simulate(
  identity: PolicyDocument,
  acct: string,
  action: string,
  resource: string,
  region: string,
  shared = false,
): Promise<string> {
  const result = await runSimulation(
    {
      request: {
        principal: `arn:aws:iam::${acct}:role/mwaa-platform-deploy`,
        action,
        resource: { resource, accountId: (!shared && resource.split(':')[4]) || acct },
        contextVariables: { 'aws:RequestedRegion': region, 'aws:SecureTransport': 'true' },
      },
      identityPolicies: [{ name: 'permissions', policy: identity }],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
    },
    {},
  );
  if (result.resultType !== 'single') throw new Error(JSON.stringify(result));
  return result.overallResult === 'Allowed' ? 'Allowed' : 'Denied';
}

const deploy = (plan: BootstrapPlan, acct: string) => deployPermissions(plan, account(plan, acct));

describe('bootstrap plan with a recovery region', () => {
  it('lists both regions, the primary first, and the recovered environment’s backup buckets in each', () => {
    expect(withRecovery.regions).toEqual([PRIMARY, RECOVERY]);
    expect(withoutRecovery.regions).toEqual([PRIMARY]);
    expect(account(withRecovery, ANALYTICS).backupBuckets).toEqual([
      `analytics-prod-backup-${PRIMARY}-${ANALYTICS}`,
      `analytics-prod-backup-${RECOVERY}-${ANALYTICS}`,
    ]);
    expect(account(withRecovery, MARKETING).backupBuckets).toBeUndefined();
  });
});

describe('the deploy role reaches the recovery region', () => {
  const standby = (region: string) => `arn:aws:airflow:${region}:${ANALYTICS}:environment/analytics-prod`;

  it.each([
    ['the primary region', PRIMARY, 'Allowed', 'Allowed'],
    ['the recovery region', RECOVERY, 'Allowed', 'Denied'],
    ['any other region', 'us-east-2', 'Denied', 'Denied'],
  ])('a participant creates an environment in %s', async (_where, region, withIt, withoutIt) => {
    expect(await simulate(deploy(withRecovery, ANALYTICS), ANALYTICS, 'airflow:CreateEnvironment', standby(region), region)).toBe(withIt);
    expect(await simulate(deploy(withoutRecovery, ANALYTICS), ANALYTICS, 'airflow:CreateEnvironment', standby(region), region)).toBe(
      withoutIt,
    );
  });

  it('the owner creates the recovery region’s endpoint manager, and its security group in the recovery VPC', async () => {
    const fn = `arn:aws:lambda:${RECOVERY}:${OWNER}:function:acme-data-${RECOVERY}-endpoint-manager`;
    expect(await simulate(deploy(withRecovery, OWNER), OWNER, 'lambda:CreateFunction', fn, RECOVERY)).toBe('Allowed');
    const vpc = `arn:aws:ec2:${RECOVERY}:${OWNER}:vpc/vpc-0123456789abcdef0`;
    expect(await simulate(deploy(withRecovery, OWNER), OWNER, 'ec2:CreateVpc', vpc, RECOVERY)).toBe('Allowed');
  });

  it('the owner manages the recovery region’s PyPI mirror, under the same domain name, and no third region’s', async () => {
    const domain = (region: string) => `arn:aws:codeartifact:${region}:${OWNER}:domain/acme-data`;
    const repository = (region: string) => `arn:aws:codeartifact:${region}:${OWNER}:repository/acme-data/pypi`;
    expect(await simulate(deploy(withRecovery, OWNER), OWNER, 'codeartifact:PutDomainPermissionsPolicy', domain(RECOVERY), RECOVERY)).toBe(
      'Allowed',
    );
    expect(
      await simulate(deploy(withRecovery, OWNER), OWNER, 'codeartifact:PutRepositoryPermissionsPolicy', repository(RECOVERY), RECOVERY),
    ).toBe('Allowed');
    expect(await simulate(deploy(withRecovery, OWNER), OWNER, 'codeartifact:CreateDomain', '*', RECOVERY)).toBe('Allowed');
    expect(
      await simulate(deploy(withoutRecovery, OWNER), OWNER, 'codeartifact:PutDomainPermissionsPolicy', domain(RECOVERY), RECOVERY),
    ).toBe('Denied');
    expect(
      await simulate(deploy(withRecovery, OWNER), OWNER, 'codeartifact:PutDomainPermissionsPolicy', domain('us-east-2'), 'us-east-2'),
    ).toBe('Denied');
  });

  it('a participant places its recovery security group in the owner’s recovery VPC', async () => {
    const vpc = `arn:aws:ec2:${RECOVERY}:${OWNER}:vpc/vpc-0123456789abcdef0`;
    expect(await simulate(deploy(withRecovery, ANALYTICS), ANALYTICS, 'ec2:CreateSecurityGroup', vpc, RECOVERY, true)).toBe('Allowed');
    expect(await simulate(deploy(withoutRecovery, ANALYTICS), ANALYTICS, 'ec2:CreateSecurityGroup', vpc, RECOVERY, true)).toBe('Denied');
  });

  it('a participant creates its recovery key and alias in the recovery region', async () => {
    const alias = `arn:aws:kms:${RECOVERY}:${ANALYTICS}:alias/acme-data-analytics-${RECOVERY}-mwaa`;
    expect(await simulate(deploy(withRecovery, ANALYTICS), ANALYTICS, 'kms:CreateAlias', alias, RECOVERY)).toBe('Allowed');
  });

  it.each([PRIMARY, RECOVERY])('a participant creates the backup bucket in %s, and not another account’s', async (region) => {
    const bucket = `arn:aws:s3:::analytics-prod-backup-${region}-${ANALYTICS}`;
    expect(await simulate(deploy(withRecovery, ANALYTICS), ANALYTICS, 's3:CreateBucket', bucket, region)).toBe('Allowed');
    expect(await simulate(deploy(withRecovery, ANALYTICS), ANALYTICS, 's3:PutReplicationConfiguration', bucket, region)).toBe('Allowed');
    const other = `arn:aws:s3:::analytics-prod-backup-${region}-${MARKETING}`;
    expect(await simulate(deploy(withRecovery, ANALYTICS), ANALYTICS, 's3:CreateBucket', other, region)).toBe('Denied');
  });
});

describe('the plan role reads the recovery region', () => {
  const plan = (p: BootstrapPlan) => planPermissions(p, ANALYTICS);
  it.each([
    [RECOVERY, 'Allowed', 'Denied'],
    ['us-east-2', 'Denied', 'Denied'],
  ])('refreshes an environment in %s', async (region, withIt, withoutIt) => {
    const env = `arn:aws:airflow:${region}:${ANALYTICS}:environment/analytics-prod`;
    expect(await simulate(plan(withRecovery), ANALYTICS, 'airflow:GetEnvironment', env, region)).toBe(withIt);
    expect(await simulate(plan(withoutRecovery), ANALYTICS, 'airflow:GetEnvironment', env, region)).toBe(withoutIt);
  });

  it('reads the replica backup bucket’s objects (refresh), and not another account’s', async () => {
    const bucket = `arn:aws:s3:::analytics-prod-backup-${RECOVERY}-${ANALYTICS}`;
    expect(await simulate(plan(withRecovery), ANALYTICS, 's3:GetReplicationConfiguration', bucket, RECOVERY)).toBe('Allowed');
    expect(await simulate(plan(withRecovery), ANALYTICS, 's3:PutObject', `${bucket}/x`, RECOVERY)).toBe('Denied');
  });
});

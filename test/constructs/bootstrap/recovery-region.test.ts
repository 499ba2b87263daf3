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
  resourcePolicy?: PolicyDocument,
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
      ...(resourcePolicy ? { resourcePolicy } : {}),
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

describe('the deploy role makes the recovery stacks’ new calls in their region only', () => {
  const secret = (region: string) => `arn:aws:secretsmanager:${region}:${ANALYTICS}:secret:airflow/connections/eks_pod_operator-AbCdEf`;

  it.each([
    [PRIMARY, 'Allowed', 'Allowed'],
    [RECOVERY, 'Allowed', 'Denied'],
    ['us-east-2', 'Denied', 'Denied'],
  ])('a participant creates its alarm topic and sets its policy in %s', async (region, withIt, withoutIt) => {
    const topic = `arn:aws:sns:${region}:${ANALYTICS}:acme-data-analytics-recovery-alarms`;
    for (const action of ['sns:CreateTopic', 'sns:SetTopicAttributes', 'sns:DeleteTopic']) {
      expect([action, await simulate(deploy(withRecovery, ANALYTICS), ANALYTICS, action, topic, region)]).toEqual([action, withIt]);
      expect([action, await simulate(deploy(withoutRecovery, ANALYTICS), ANALYTICS, action, topic, region)]).toEqual([action, withoutIt]);
    }
  });

  it('no other account’s topic, nor a topic outside the platform’s names', async () => {
    const other = `arn:aws:sns:${PRIMARY}:${MARKETING}:acme-data-marketing-recovery-alarms`;
    expect(await simulate(deploy(withRecovery, ANALYTICS), ANALYTICS, 'sns:CreateTopic', other, PRIMARY)).toBe('Denied');
    const foreign = `arn:aws:sns:${PRIMARY}:${ANALYTICS}:billing-alerts`;
    expect(await simulate(deploy(withRecovery, ANALYTICS), ANALYTICS, 'sns:SetTopicAttributes', foreign, PRIMARY)).toBe('Denied');
  });

  it.each([
    [PRIMARY, 'Allowed'],
    ['us-east-2', 'Denied'],
  ])('a participant adds and removes the connection secret’s replica region (called in %s)', async (region, expected) => {
    for (const action of ['secretsmanager:ReplicateSecretToRegions', 'secretsmanager:RemoveRegionsFromReplication']) {
      expect([action, await simulate(deploy(withRecovery, ANALYTICS), ANALYTICS, action, secret(region), region)]).toEqual([
        action,
        expected,
      ]);
    }
  });

  it('the replica is encrypted with a key of the recovery region, which the participant may use', async () => {
    const key = `arn:aws:kms:${RECOVERY}:${ANALYTICS}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
    // KMS's default key policy: the account's IAM policies decide.
    const keyPolicy: PolicyDocument = {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ANALYTICS}:root` }, Action: 'kms:*', Resource: '*' }],
    } as PolicyDocument;
    for (const action of ['kms:GenerateDataKey', 'kms:Encrypt', 'kms:Decrypt'])
      expect([action, await simulate(deploy(withRecovery, ANALYTICS), ANALYTICS, action, key, RECOVERY, false, keyPolicy)]).toEqual([
        action,
        'Allowed',
      ]);
    const elsewhere = `arn:aws:kms:us-east-2:${ANALYTICS}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
    expect(await simulate(deploy(withRecovery, ANALYTICS), ANALYTICS, 'kms:Encrypt', elsewhere, 'us-east-2', false, keyPolicy)).toBe(
      'Denied',
    );
  });

  it('a participant puts its scheduler heartbeat alarm; not an alarm of another name', async () => {
    const alarm = (name: string) => `arn:aws:cloudwatch:${PRIMARY}:${ANALYTICS}:alarm:${name}`;
    expect(
      await simulate(
        deploy(withRecovery, ANALYTICS),
        ANALYTICS,
        'cloudwatch:PutMetricAlarm',
        alarm('analytics-prod-scheduler-heartbeat'),
        PRIMARY,
      ),
    ).toBe('Allowed');
    expect(await simulate(deploy(withRecovery, ANALYTICS), ANALYTICS, 'cloudwatch:PutMetricAlarm', alarm('billing'), PRIMARY)).toBe(
      'Denied',
    );
  });

  it('a participant passes the replication role to S3 only', async () => {
    const role = `arn:aws:iam::${ANALYTICS}:role/acme-data-analytics-mwaa-replication-${RECOVERY}`;
    const verdict = async (service: string) => {
      const r = await runSimulation(
        {
          request: {
            principal: `arn:aws:iam::${ANALYTICS}:role/mwaa-platform-deploy`,
            action: 'iam:PassRole',
            resource: { resource: role, accountId: ANALYTICS },
            contextVariables: { 'aws:RequestedRegion': PRIMARY, 'iam:PassedToService': service },
          },
          identityPolicies: [{ name: 'permissions', policy: deploy(withRecovery, ANALYTICS) }],
          serviceControlPolicies: [],
          resourceControlPolicies: [],
        },
        {},
      );
      return r.resultType === 'single' ? r.overallResult : r.resultType;
    };
    expect(await verdict('s3.amazonaws.com')).toBe('Allowed');
    expect(await verdict('cloudformation.amazonaws.com')).not.toBe('Allowed');
  });

  it.each([
    [RECOVERY, 'Allowed'],
    [PRIMARY, 'Denied'],
    ['us-east-2', 'Denied'],
  ])('the owner creates its alarm topic’s key in %s only where the recovery owner lives', async (region, expected) => {
    expect(await simulate(deploy(withRecovery, OWNER), OWNER, 'kms:CreateKey', '*', region)).toBe(expected);
    const alias = `arn:aws:kms:${region}:${OWNER}:alias/acme-data-${RECOVERY}-endpoint-manager-alarms`;
    expect(await simulate(deploy(withRecovery, OWNER), OWNER, 'kms:CreateAlias', alias, region)).toBe(expected);
    const topic = `arn:aws:sns:${region}:${OWNER}:acme-data-${RECOVERY}-endpoint-manager-alarms`;
    expect(await simulate(deploy(withRecovery, OWNER), OWNER, 'sns:CreateTopic', topic, region)).toBe(
      region === 'us-east-2' ? 'Denied' : 'Allowed',
    );
  });

  it('without a recovery region the owner creates no key at all', async () => {
    expect(await simulate(deploy(withoutRecovery, OWNER), OWNER, 'kms:CreateKey', '*', PRIMARY)).toBe('Denied');
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

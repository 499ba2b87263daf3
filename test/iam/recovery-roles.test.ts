/**
 * The disaster-recovery roles other than the DAG bucket's replication role (recovery-replication.test.ts),
 * evaluated with the IAM simulator against the synthesized stacks (policies read from the Terraform JSON,
 * references resolved): the backup bucket's replication role, the recovery-side execution role (restore, the
 * failback backup, the replicated platform secret), the primary execution role's failback read, and the role
 * `npm run failover`/`failback` drive the environments with (the recovery region's team access role, which
 * tools/recovery/run.ts passes to the `mwaa` command). Each table proves what is allowed and what is not.
 *
 * The simulator matches variable condition keys only in the `prefix/name` form, not `kms:EncryptionContext:…`:
 * those conditions are asserted as written (and their patterns matched the way IAM's StringLike does), and the
 * simulation runs on the policy without them, every other condition and resource evaluated.
 */
import { Testing } from 'cdktf';
import { ParticipantStack } from '../../stacks/participant-stack';
import { RecoveryStack } from '../../stacks/recovery-stack';
import { mwaaExecutionRoleName, teamAccessRoleName } from '../../contracts/names';
import { decisions, roleOf, terraformRefs, type Decision, type SimulationCase } from '../support/iam';
import { loadRecoveryExample } from '../support/recovery-fixture';
import { resourcesOf } from '../support/synth';

const ACCOUNT = '222222222222';
const PRIMARY = 'eu-west-1';
const RECOVERY = 'us-west-2';
const config = loadRecoveryExample();
const team = config.teams.find((t) => t.team === 'analytics')!;
const primaryTf = JSON.parse(Testing.synth(new ParticipantStack(Testing.app(), { config, team, contract: config.contract! })));
const recoveryTf = JSON.parse(
  Testing.synth(new RecoveryStack(Testing.app(), { config, team, recoveryContract: config.recoveryContract! })),
);
const primaryScope = { region: PRIMARY, accountId: ACCOUNT };
const recoveryScope = { region: RECOVERY, accountId: ACCOUNT };

const BACKUPS = `arn:aws:s3:::analytics-prod-backup-${PRIMARY}-${ACCOUNT}`;
const BACKUP_REPLICA = `arn:aws:s3:::analytics-prod-backup-${RECOVERY}-${ACCOUNT}`;
const DAGS = `arn:aws:s3:::acme-data-analytics-mwaa-${ACCOUNT}`;
const DAG_REPLICA = `arn:aws:s3:::acme-data-analytics-mwaa-${RECOVERY}-${ACCOUNT}`;
const MARKETING_BACKUP_REPLICA = `arn:aws:s3:::marketing-campaigns-backup-${RECOVERY}-333333333333`;
const RECOVERY_ALIAS = 'alias/acme-data-analytics-us-west-2-mwaa';
const [recoveryKeyName] = Object.keys(resourcesOf(recoveryTf, 'aws_kms_key'));
const RECOVERY_KEY = terraformRefs(recoveryTf, recoveryScope).resolve(`\${aws_kms_key.${recoveryKeyName}.arn}`);
const OTHER_RECOVERY_KEY = `arn:aws:kms:${RECOVERY}:${ACCOUNT}:key/99999999-8888-4777-8666-555555555555`;
const PRIMARY_KEY = `arn:aws:kms:${PRIMARY}:${ACCOUNT}:key/11111111-2222-4333-8444-555555555555`;
const POD_SECRET_REPLICA = `arn:aws:secretsmanager:${RECOVERY}:${ACCOUNT}:secret:airflow/connections/eks_pod_operator-AbC123`;
const TEAM_SECRET_REPLICA = `arn:aws:secretsmanager:${RECOVERY}:${ACCOUNT}:secret:airflow/connections/warehouse-XyZ789`;

const ENCRYPTION_CONTEXT = /^kms:EncryptionContext:/;
/** The policy without its encryption-context conditions (asserted separately), for the simulator. */
const withoutEncryptionContext = (policy: any) => ({
  ...policy,
  Statement: policy.Statement.map((st: any) => {
    const like = st.Condition?.StringLike;
    if (!like || !Object.keys(like).some((k) => ENCRYPTION_CONTEXT.test(k))) return st;
    const rest = Object.fromEntries(Object.entries(like).filter(([k]) => !ENCRYPTION_CONTEXT.test(k)));
    const { StringLike: _like, ...others } = st.Condition;
    return { ...st, Condition: Object.keys(rest).length ? { ...others, StringLike: rest } : others };
  }),
});
/** The encryption-context patterns of each statement that has them, by Sid. */
const contextPatterns = (policies: readonly any[]) =>
  Object.fromEntries(
    policies
      .flatMap((p) => p.Statement)
      .filter((st: any) => st.Condition?.StringLike && Object.keys(st.Condition.StringLike).some((k) => ENCRYPTION_CONTEXT.test(k)))
      .map((st: any) => [st.Sid, st.Condition.StringLike]),
  );
/** IAM's StringLike: `*` any run of characters, `?` exactly one. */
const stringLike = (pattern: string, value: string) =>
  new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
  ).test(value);

/** Keys delegate to IAM (TeamKmsKey, the team key and `aws/s3` do). */
const delegatingKey = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'kms:*', Resource: '*' }],
};
const via = (service: string, region: string) => ({ 'kms:ViaService': `${service}.${region}.amazonaws.com` });

function caller(tf: any, roleName: string, scope: typeof primaryScope) {
  const role = roleOf(tf, roleName, scope);
  expect(role.managedPolicyArns).toEqual([]);
  return { role, as: { identityPolicies: role.identityPolicies.map(withoutEncryptionContext), principal: role.arn } };
}

async function expectAll(cases: Array<SimulationCase & { expected: Decision }>) {
  expect(await decisions(cases)).toEqual(Object.fromEntries(cases.map((c) => [c.name, c.expected])));
}

describe('the backup bucket’s replication role', () => {
  const { role, as } = caller(primaryTf, 'analytics-prod-backup-replication-us-west-2', primaryScope);
  const key = { ...as, resourcePolicy: delegatingKey };

  it('is trusted by S3 for its backup bucket only, and uses keys for its two buckets only', () => {
    expect((role.trustPolicy as any).Statement[0].Condition).toEqual({
      StringEquals: { 'aws:SourceAccount': ACCOUNT },
      ArnLike: { 'aws:SourceArn': BACKUPS },
    });
    expect(contextPatterns(role.identityPolicies)).toEqual({
      DecryptSourceObjects: { 'kms:EncryptionContext:aws:s3:arn': [BACKUPS, `${BACKUPS}/*`] },
      EncryptReplicas: { 'kms:EncryptionContext:aws:s3:arn': [BACKUP_REPLICA, `${BACKUP_REPLICA}/*`] },
    });
  });

  it('replicates only from its bucket to its replica, with the replica key', () =>
    expectAll([
      { name: 'read the configuration', ...as, action: 's3:GetReplicationConfiguration', resource: BACKUPS, expected: 'Allowed' },
      {
        name: 'read a backup version for replication',
        ...as,
        action: 's3:GetObjectVersionForReplication',
        resource: `${BACKUPS}/airflow-metadata/20261203T100000Z/dag_run.csv`,
        expected: 'Allowed',
      },
      {
        name: 'write the replica',
        ...as,
        action: 's3:ReplicateObject',
        resource: `${BACKUP_REPLICA}/airflow-metadata/20261203T100000Z/dag_run.csv`,
        expected: 'Allowed',
      },
      {
        name: 'encrypt with the replica key through S3 there',
        ...key,
        action: 'kms:GenerateDataKey',
        resource: RECOVERY_KEY,
        context: { ...via('s3', RECOVERY), 'kms:ResourceAliases': [RECOVERY_ALIAS] },
        expected: 'Allowed',
      },
      {
        name: 'not the DAG bucket’s versions',
        ...as,
        action: 's3:GetObjectVersionForReplication',
        resource: `${DAGS}/dags/x.py`,
        expected: 'ImplicitlyDenied',
      },
      {
        name: 'not into the DAG replica',
        ...as,
        action: 's3:ReplicateObject',
        resource: `${DAG_REPLICA}/dags/x.py`,
        expected: 'ImplicitlyDenied',
      },
      {
        name: 'not into another team’s replica',
        ...as,
        action: 's3:ReplicateObject',
        resource: `${MARKETING_BACKUP_REPLICA}/x.csv`,
        expected: 'ImplicitlyDenied',
      },
      {
        name: 'not read a backup',
        ...as,
        action: 's3:GetObject',
        resource: `${BACKUPS}/airflow-metadata/x.csv`,
        expected: 'ImplicitlyDenied',
      },
      {
        name: 'not with another key of the recovery region',
        ...key,
        action: 'kms:GenerateDataKey',
        resource: OTHER_RECOVERY_KEY,
        context: { ...via('s3', RECOVERY), 'kms:ResourceAliases': ['alias/somebody-else'] },
        expected: 'ImplicitlyDenied',
      },
    ]));
});

describe('the recovery-side execution role', () => {
  const { role, as } = caller(recoveryTf, mwaaExecutionRoleName(`analytics-prod-${RECOVERY}`), recoveryScope);
  const key = { ...as, resourcePolicy: delegatingKey };

  it('decrypts only the platform’s replicated secret, and writes only its backup replica', () => {
    const patterns = contextPatterns(role.identityPolicies);
    expect(patterns).toEqual({
      EncryptFailbackBackups: { 'kms:EncryptionContext:aws:s3:arn': [BACKUP_REPLICA, `${BACKUP_REPLICA}/*`] },
      DecryptReplicatedSecrets: {
        'kms:EncryptionContext:SecretARN': [
          `arn:aws:secretsmanager:${RECOVERY}:${ACCOUNT}:secret:airflow/connections/eks_pod_operator-??????`,
        ],
      },
    });
    const [secretPattern] = patterns.DecryptReplicatedSecrets['kms:EncryptionContext:SecretARN'];
    expect(
      [POD_SECRET_REPLICA, TEAM_SECRET_REPLICA, POD_SECRET_REPLICA.replace(RECOVERY, PRIMARY)].map((arn) => stringLike(secretPattern, arn)),
    ).toEqual([true, false, false]);
  });

  it('restores from the backup replica, writes its failback backup there, reads the replicated secret, and nothing around it', () =>
    expectAll([
      { name: 'list the backups', ...as, action: 's3:ListBucket', resource: BACKUP_REPLICA, expected: 'Allowed' },
      {
        name: 'read a backup',
        ...as,
        action: 's3:GetObject',
        resource: `${BACKUP_REPLICA}/airflow-metadata/x/manifest.json`,
        expected: 'Allowed',
      },
      {
        name: 'write the failback backup',
        ...as,
        action: 's3:PutObject',
        resource: `${BACKUP_REPLICA}/airflow-metadata/y/manifest.json`,
        expected: 'Allowed',
      },
      {
        name: 'decrypt a backup through S3',
        ...key,
        action: 'kms:Decrypt',
        resource: RECOVERY_KEY,
        context: via('s3', RECOVERY),
        expected: 'Allowed',
      },
      {
        name: 'encrypt the failback backup through S3',
        ...key,
        action: 'kms:GenerateDataKey',
        resource: RECOVERY_KEY,
        context: via('s3', RECOVERY),
        expected: 'Allowed',
      },
      {
        name: 'read the replicated secret',
        ...as,
        action: 'secretsmanager:GetSecretValue',
        resource: POD_SECRET_REPLICA,
        expected: 'Allowed',
      },
      {
        name: 'decrypt it through Secrets Manager',
        ...key,
        action: 'kms:Decrypt',
        resource: RECOVERY_KEY,
        context: via('secretsmanager', RECOVERY),
        expected: 'Allowed',
      },
      // Denied
      {
        name: 'not delete a backup',
        ...as,
        action: 's3:DeleteObject',
        resource: `${BACKUP_REPLICA}/airflow-metadata/x.csv`,
        expected: 'ImplicitlyDenied',
      },
      {
        name: 'not write the DAG replica',
        ...as,
        action: 's3:PutObject',
        resource: `${DAG_REPLICA}/dags/evil.py`,
        expected: 'ImplicitlyDenied',
      },
      {
        name: 'not read the primary’s backups',
        ...as,
        action: 's3:GetObject',
        resource: `${BACKUPS}/airflow-metadata/x.csv`,
        expected: 'ImplicitlyDenied',
      },
      {
        name: 'not read another team’s backups',
        ...as,
        action: 's3:GetObject',
        resource: `${MARKETING_BACKUP_REPLICA}/x.csv`,
        expected: 'ImplicitlyDenied',
      },
      {
        name: 'not read the primary region’s secret',
        ...as,
        action: 'secretsmanager:GetSecretValue',
        resource: POD_SECRET_REPLICA.replace(RECOVERY, PRIMARY),
        expected: 'ImplicitlyDenied',
      },
      {
        name: 'not read a secret outside the backend’s prefixes',
        ...as,
        action: 'secretsmanager:GetSecretValue',
        resource: `arn:aws:secretsmanager:${RECOVERY}:${ACCOUNT}:secret:prod/database-AbC123`,
        expected: 'ImplicitlyDenied',
      },
      {
        // SQS is allowed too: the team has customerManagedKey, so the environment's own policy uses the key for Celery.
        name: 'not decrypt with the recovery key outside S3, SQS and Secrets Manager',
        ...key,
        action: 'kms:Decrypt',
        resource: RECOVERY_KEY,
        context: via('ssm', RECOVERY),
        expected: 'ImplicitlyDenied',
      },
      {
        name: 'not decrypt with another key through Secrets Manager',
        ...key,
        action: 'kms:Decrypt',
        resource: OTHER_RECOVERY_KEY,
        context: via('secretsmanager', RECOVERY),
        expected: 'ImplicitlyDenied',
      },
    ]));
});

describe('the primary execution role, for failback', () => {
  const { role, as } = caller(primaryTf, mwaaExecutionRoleName('analytics-prod'), primaryScope);
  const key = { ...as, resourcePolicy: delegatingKey };

  it('decrypts the recovery side’s backups for that bucket only', () => {
    expect(contextPatterns(role.identityPolicies).DecryptFailbackBackups).toEqual({
      'kms:EncryptionContext:aws:s3:arn': [BACKUP_REPLICA, `${BACKUP_REPLICA}/*`],
    });
  });

  it('reads the backup the recovery side wrote, and no more of the recovery region', () =>
    expectAll([
      { name: 'list the recovery side’s backups', ...as, action: 's3:ListBucket', resource: BACKUP_REPLICA, expected: 'Allowed' },
      {
        name: 'read one',
        ...as,
        action: 's3:GetObject',
        resource: `${BACKUP_REPLICA}/airflow-metadata/20261204T120000Z/manifest.json`,
        expected: 'Allowed',
      },
      {
        name: 'decrypt it through S3 in the recovery region with the recovery key',
        ...key,
        action: 'kms:Decrypt',
        resource: RECOVERY_KEY,
        context: { ...via('s3', RECOVERY), 'kms:ResourceAliases': [RECOVERY_ALIAS] },
        expected: 'Allowed',
      },
      {
        name: 'write its own backups still',
        ...as,
        action: 's3:PutObject',
        resource: `${BACKUPS}/airflow-metadata/z/x.csv`,
        expected: 'Allowed',
      },
      // Denied
      {
        name: 'not write into the recovery side’s bucket',
        ...as,
        action: 's3:PutObject',
        resource: `${BACKUP_REPLICA}/airflow-metadata/z/x.csv`,
        expected: 'ImplicitlyDenied',
      },
      {
        name: 'not delete there',
        ...as,
        action: 's3:DeleteObject',
        resource: `${BACKUP_REPLICA}/airflow-metadata/z/x.csv`,
        expected: 'ImplicitlyDenied',
      },
      {
        name: 'not read the DAG replica',
        ...as,
        action: 's3:GetObject',
        resource: `${DAG_REPLICA}/dags/x.py`,
        expected: 'ImplicitlyDenied',
      },
      {
        name: 'not read another team’s backups',
        ...as,
        action: 's3:GetObject',
        resource: `${MARKETING_BACKUP_REPLICA}/x.csv`,
        expected: 'ImplicitlyDenied',
      },
      {
        name: 'not decrypt with another recovery-region key',
        ...key,
        action: 'kms:Decrypt',
        resource: OTHER_RECOVERY_KEY,
        context: { ...via('s3', RECOVERY), 'kms:ResourceAliases': ['alias/somebody-else'] },
        expected: 'ImplicitlyDenied',
      },
      {
        name: 'not decrypt recovery-region data outside S3',
        ...key,
        action: 'kms:Decrypt',
        resource: RECOVERY_KEY,
        context: { ...via('secretsmanager', RECOVERY), 'kms:ResourceAliases': [RECOVERY_ALIAS] },
        expected: 'ImplicitlyDenied',
      },
      {
        name: 'its own key only through its own services',
        ...key,
        action: 'kms:Decrypt',
        resource: PRIMARY_KEY,
        context: via('secretsmanager', PRIMARY),
        expected: 'ImplicitlyDenied',
      },
    ]));
});

describe('the failover role (the recovery region’s team access role that npm run failover drives the mwaa command with)', () => {
  const { role, as } = caller(recoveryTf, teamAccessRoleName(`acme-data-analytics-${RECOVERY}`), recoveryScope);
  const env = (region: string, name: string) => `arn:aws:airflow:${region}:${ACCOUNT}:environment/${name}`;

  it('is assumed by the team’s principals only', () => {
    expect((role.trustPolicy as any).Statement).toEqual([
      expect.objectContaining({ Principal: { AWS: ['arn:aws:iam::222222222222:role/AnalyticsEngineers'] }, Action: 'sts:AssumeRole' }),
    ]);
  });

  it('may open the recovered environments’ CLI, web login and REST API, and nothing else', () =>
    expectAll([
      {
        name: 'CLI token of the standby (restore trigger, unpause)',
        ...as,
        action: 'airflow:CreateCliToken',
        resource: env(RECOVERY, 'analytics-prod'),
        expected: 'Allowed',
      },
      {
        name: 'web login as the team’s Airflow role',
        ...as,
        action: 'airflow:CreateWebLoginToken',
        resource: `arn:aws:airflow:${RECOVERY}:${ACCOUNT}:role/analytics-prod/User`,
        expected: 'Allowed',
      },
      // Denied
      {
        name: 'not the primary environment’s CLI (the primary side has its own role)',
        ...as,
        action: 'airflow:CreateCliToken',
        resource: env(PRIMARY, 'analytics-prod'),
        expected: 'ImplicitlyDenied',
      },
      {
        name: 'not a higher Airflow role',
        ...as,
        action: 'airflow:CreateWebLoginToken',
        resource: `arn:aws:airflow:${RECOVERY}:${ACCOUNT}:role/analytics-prod/Admin`,
        expected: 'ImplicitlyDenied',
      },
      {
        name: 'not another environment’s CLI',
        ...as,
        action: 'airflow:CreateCliToken',
        resource: env(RECOVERY, 'analytics-dev'),
        expected: 'ImplicitlyDenied',
      },
      {
        name: 'not change the environment',
        ...as,
        action: 'airflow:UpdateEnvironment',
        resource: env(RECOVERY, 'analytics-prod'),
        expected: 'ImplicitlyDenied',
      },
      {
        name: 'not delete it',
        ...as,
        action: 'airflow:DeleteEnvironment',
        resource: env(RECOVERY, 'analytics-prod'),
        expected: 'ImplicitlyDenied',
      },
      {
        name: 'not read the backups directly',
        ...as,
        action: 's3:GetObject',
        resource: `${BACKUP_REPLICA}/airflow-metadata/x.csv`,
        expected: 'ImplicitlyDenied',
      },
      {
        name: 'not read the replicated secret',
        ...as,
        action: 'secretsmanager:GetSecretValue',
        resource: POD_SECRET_REPLICA,
        expected: 'ImplicitlyDenied',
      },
      {
        name: 'not pass the execution role',
        ...as,
        action: 'iam:PassRole',
        resource: `arn:aws:iam::${ACCOUNT}:role/${mwaaExecutionRoleName(`analytics-prod-${RECOVERY}`)}`,
        expected: 'ImplicitlyDenied',
      },
    ]));
});

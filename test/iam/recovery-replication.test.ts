/**
 * The replication role of a recovered team's DAG bucket, evaluated with the IAM simulator against the synthesized
 * participant stack (policy read from the Terraform JSON, references resolved): what S3 replication does with it
 * (allowed) and what a role that can read the whole bucket must still not do (denied).
 */
import { Testing } from 'cdktf';
import { ParticipantStack } from '../../stacks/participant-stack';
import { decisions, roleOf, type Decision, type SimulationCase } from '../support/iam';
import { loadRecoveryExample } from '../support/recovery-fixture';

const ACCOUNT = '222222222222';
const config = loadRecoveryExample();
const team = config.teams.find((t) => t.team === 'analytics')!;
const tf = JSON.parse(Testing.synth(new ParticipantStack(Testing.app(), { config, team, contract: config.contract! })));
const role = roleOf(tf, 'acme-data-analytics-mwaa-replication-us-west-2', { region: 'eu-west-1', accountId: ACCOUNT });
const SOURCE = `arn:aws:s3:::acme-data-analytics-mwaa-${ACCOUNT}`;
const REPLICA = `arn:aws:s3:::acme-data-analytics-mwaa-us-west-2-${ACCOUNT}`;
const OTHER = `arn:aws:s3:::analytics-prod-backup-us-west-2-${ACCOUNT}`;
const SOURCE_KEY = `arn:aws:kms:eu-west-1:${ACCOUNT}:key/11111111-2222-4333-8444-555555555555`;
const REPLICA_KEY = `arn:aws:kms:us-west-2:${ACCOUNT}:key/66666666-7777-4888-8999-000000000000`;
/**
 * The simulator matches variable condition keys only in the `prefix/name` form (aws:PrincipalTag/x), not
 * `kms:EncryptionContext:aws:s3:arn`: those conditions are asserted as written below, and the simulation runs on
 * the policy without them (every other condition and resource evaluated).
 */
const ENCRYPTION_CONTEXT = 'kms:EncryptionContext:aws:s3:arn';
const withoutEncryptionContext = (policy: any) => ({
  ...policy,
  Statement: policy.Statement.map((st: any) => {
    if (!st.Condition?.StringLike?.[ENCRYPTION_CONTEXT]) return st;
    const { [ENCRYPTION_CONTEXT]: _dropped, ...rest } = st.Condition.StringLike;
    const { StringLike: _like, ...others } = st.Condition;
    return { ...st, Condition: Object.keys(rest).length ? { ...others, StringLike: rest } : others };
  }),
});
const own = { identityPolicies: role.identityPolicies.map(withoutEncryptionContext), principal: role.arn };
const throughS3 = (region: string, _bucket: string) => ({ 'kms:ViaService': `s3.${region}.amazonaws.com` });
/** Both keys delegate to IAM (the team key's policy and `aws/s3` do, as does the recovery key: TeamKmsKey). */
const keyPolicy = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'kms:*', Resource: '*' }],
};
const ownKey = { ...own, resourcePolicy: keyPolicy };

async function expectAll(cases: Array<SimulationCase & { expected: Decision }>) {
  const expected = Object.fromEntries(cases.map((c) => [c.name, c.expected]));
  expect(await decisions(cases)).toEqual(expected);
}

describe('DAG bucket replication role', () => {
  it('is trusted by S3 for the source bucket of this account only', () => {
    expect(role.trustPolicy.Statement).toEqual([
      expect.objectContaining({
        Principal: { Service: 's3.amazonaws.com' },
        Action: 'sts:AssumeRole',
        Condition: { StringEquals: { 'aws:SourceAccount': ACCOUNT }, ArnLike: { 'aws:SourceArn': SOURCE } },
      }),
    ]);
  });

  it('uses the keys only for objects of its own two buckets (bucket-key and object contexts)', () => {
    const contexts = Object.fromEntries(
      (role.identityPolicies[0] as any).Statement.filter((st: any) => st.Sid?.endsWith('Objects') || st.Sid === 'EncryptReplicas').map(
        (st: any) => [st.Sid, st.Condition.StringLike[ENCRYPTION_CONTEXT]],
      ),
    );
    expect(contexts).toEqual({ DecryptSourceObjects: [SOURCE, `${SOURCE}/*`], EncryptReplicas: [REPLICA, `${REPLICA}/*`] });
  });

  it('may do what replication does and nothing around it', () =>
    expectAll([
      { name: 'read the source configuration', ...own, action: 's3:GetReplicationConfiguration', resource: SOURCE, expected: 'Allowed' },
      { name: 'list the source', ...own, action: 's3:ListBucket', resource: SOURCE, expected: 'Allowed' },
      {
        name: 'read a version for replication',
        ...own,
        action: 's3:GetObjectVersionForReplication',
        resource: `${SOURCE}/dags/daily_sales.py`,
        expected: 'Allowed',
      },
      { name: 'write a replica', ...own, action: 's3:ReplicateObject', resource: `${REPLICA}/dags/daily_sales.py`, expected: 'Allowed' },
      { name: 'replicate a delete marker', ...own, action: 's3:ReplicateDelete', resource: `${REPLICA}/dags/old.py`, expected: 'Allowed' },
      {
        name: 'decrypt a source object through S3 (bucket key context)',
        ...ownKey,
        action: 'kms:Decrypt',
        resource: SOURCE_KEY,
        context: throughS3('eu-west-1', SOURCE),
        expected: 'Allowed',
      },
      {
        name: 'encrypt a replica with the recovery key through S3',
        ...ownKey,
        action: 'kms:Encrypt',
        resource: REPLICA_KEY,
        context: {
          ...throughS3('us-west-2', `${REPLICA}/dags/daily_sales.py`),
          'kms:ResourceAliases': ['alias/acme-data-analytics-us-west-2-mwaa'],
        },
        expected: 'Allowed',
      },
      // Denied: outside replication.
      {
        name: 'read a source object directly',
        ...own,
        action: 's3:GetObject',
        resource: `${SOURCE}/dags/daily_sales.py`,
        expected: 'ImplicitlyDenied',
      },
      { name: 'write into another bucket', ...own, action: 's3:ReplicateObject', resource: `${OTHER}/x.csv`, expected: 'ImplicitlyDenied' },
      {
        name: 'put into the replica directly',
        ...own,
        action: 's3:PutObject',
        resource: `${REPLICA}/dags/evil.py`,
        expected: 'ImplicitlyDenied',
      },
      {
        name: 'delete from the source',
        ...own,
        action: 's3:DeleteObject',
        resource: `${SOURCE}/dags/daily_sales.py`,
        expected: 'ImplicitlyDenied',
      },
      {
        name: 'decrypt outside S3',
        ...ownKey,
        action: 'kms:Decrypt',
        resource: SOURCE_KEY,
        context: { 'kms:ViaService': 'secretsmanager.eu-west-1.amazonaws.com' },
        expected: 'ImplicitlyDenied',
      },
      {
        name: 'encrypt with another recovery-region key',
        ...ownKey,
        action: 'kms:Encrypt',
        resource: REPLICA_KEY,
        context: { ...throughS3('us-west-2', `${REPLICA}/dags/daily_sales.py`), 'kms:ResourceAliases': ['alias/someone-else'] },
        expected: 'ImplicitlyDenied',
      },
    ]));
});

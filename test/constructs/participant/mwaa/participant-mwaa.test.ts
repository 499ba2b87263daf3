/** Participant MWAA constructs on their own (aws-cdk style): props, defaults and guards, without the participant stack. */
import { Testing } from 'cdktf';
import { MwaaEnvironment } from '@cdktf/provider-aws/lib/mwaa-environment';
import { S3Object } from '@cdktf/provider-aws/lib/s3-object';
import { DagBucket } from '../../../../constructs/participant/mwaa/dag-bucket';
import { EnvironmentSecurityGroup } from '../../../../constructs/participant/mwaa/environment-security-group';
import { ExecutionRole } from '../../../../constructs/participant/mwaa/execution-role';
import { TeamMwaaEnvironment } from '../../../../constructs/participant/mwaa/mwaa-environment';
import { TeamAccessRole } from '../../../../constructs/participant/mwaa/team-access-role';
import { TeamKmsKey } from '../../../../constructs/participant/mwaa/team-kms-key';
import { TeamMwaa } from '../../../../constructs/participant/mwaa/team-mwaa';
import type { EnvironmentConfig, PlatformConfig } from '../../../../model/model';
import { loadFixture } from '../../../support/config-fixture';
import { resourcesOf, only, synthPlatformScope } from '../../../support/synth';

let example: PlatformConfig;
beforeAll(() => {
  example = loadFixture();
});
const environment = (name: string): EnvironmentConfig => example.teams.flatMap((t) => t.environments).find((e) => e.name === name)!;
const statements = (policy: string) => JSON.parse(policy).Statement as any[];
const sid = (policy: string, id: string) => statements(policy).find((s) => s.Sid === id);

describe('DagBucket', () => {
  const dags = [
    { key: 'dags/a/b.py', contentBase64: Buffer.from('print(1)\n').toString('base64'), md5: 'md5-ab' },
    { key: 'dags/a_b.py', contentBase64: Buffer.from('print(2)\n').toString('base64'), md5: 'md5-a_b' },
  ];

  it('is named after the prefix and the stack’s account, and uploads each DAG as base64 after versioning is on', () => {
    const { json, tf } = synthPlatformScope((scope) => new DagBucket(scope, 'dags', { name: 'acme-team', dags: dags as any }), {
      accountId: '444455556666',
    });
    expect(only(tf, 'aws_s3_bucket').bucket).toBe('acme-team-mwaa-444455556666');
    expect(json).toHaveResourceWithProperties(S3Object, {
      key: 'dags/a/b.py',
      content_base64: 'cHJpbnQoMSkK',
      source_hash: 'md5-ab',
      content_type: 'text/x-python',
    });
    const objects = Object.values(resourcesOf(tf, 'aws_s3_object')) as any[];
    expect(
      objects.every((o) => o.content === undefined && o.depends_on.some((d: string) => d.startsWith('aws_s3_bucket_versioning.'))),
    ).toBe(true);
  });

  it('keeps clashing object ids apart (a/b.py and a_b.py), and defaults to SSE-KMS with the AWS managed key', () => {
    const { tf } = synthPlatformScope((scope) => new DagBucket(scope, 'dags', { name: 'acme-team', dags: dags as any }));
    expect(Object.keys(resourcesOf(tf, 'aws_s3_object'))).toHaveLength(2);
    const rule = only(tf, 'aws_s3_bucket_server_side_encryption_configuration').rule[0];
    expect(rule.apply_server_side_encryption_by_default).toEqual({ sse_algorithm: 'aws:kms' });
  });

  const dag = (key: string) => ({ key, contentBase64: 'cHJpbnQoMSkK', md5: `md5-${key}` });
  /** Object construct ids by key, read from the logical ids (`dags_<id>_<HASH>`). */
  const objectIds = (keys: readonly string[]) => {
    const { tf } = synthPlatformScope((scope) => new DagBucket(scope, 'dags', { name: 'acme-team', dags: keys.map(dag) as any }));
    return new Map(
      Object.entries(resourcesOf(tf, 'aws_s3_object')).map(([logicalId, o]: [string, any]) => [
        o.key,
        logicalId.replace(/^dags_|_[0-9A-F]{8}$/g, ''),
      ]),
    );
  };

  it('keys each object id by its key alone, one-to-one: pairs the old ids mixed up stay apart, in any order', () => {
    const pairs = [
      ['dags/a.py', 'dags/a_py'],
      ['dags/a/b.py', 'dags/a--b.py'],
      ['dags/a/b.py', 'dags/a_b.py'],
    ];
    for (const pair of pairs) {
      const forward = objectIds(pair);
      const backward = objectIds([...pair].reverse());
      expect(new Set(forward.values()).size).toBe(2);
      // Each file's id is the one it has alone: neither the other file nor the order changes it.
      for (const key of pair) {
        expect(forward.get(key)).toBe(objectIds([key]).get(key));
        expect(backward.get(key)).toBe(forward.get(key));
      }
    }
    // A name of letters, digits and '-' is the id as it is; anything else keeps a readable part and a hash.
    expect(objectIds(['dags/Makefile', 'dags/a/b.py']).get('dags/Makefile')).toBe('dag-Makefile');
    expect(objectIds(['dags/a/b.py']).get('dags/a/b.py')).toMatch(/^dag-a_b_py_[0-9a-f]{8}$/);
  });

  it('moves the state of each object from its old idOf address (one moved block each, none when the id is unchanged)', () => {
    const { tf } = synthPlatformScope(
      (scope) =>
        new DagBucket(scope, 'dags', {
          name: 'acme-team',
          dags: ['dags/daily.py', 'dags/x/y.py', 'dags/x--y.py', 'dags/Makefile'].map(dag) as any,
        }),
    );
    const moved = (tf.moved ?? []) as Array<{ from: string; to: string }>;
    const addressOf = (key: string) =>
      `aws_s3_object.${Object.entries(resourcesOf(tf, 'aws_s3_object')).find(([, o]: [string, any]) => o.key === key)![0]}`;
    const from = (key: string) => moved.find((m) => m.to === addressOf(key))?.from;
    expect(moved).toHaveLength(3);
    // The old ids, literal: '/' as '--', '.' as '_', and an earlier clash ('x/y.py' before 'x--y.py') took a hash suffix.
    expect(from('dags/daily.py')).toMatch(/^aws_s3_object\.dags_dag-daily_py_[0-9A-F]{8}$/);
    expect(from('dags/x/y.py')).toMatch(/^aws_s3_object\.dags_dag-x--y_py_[0-9A-F]{8}$/);
    expect(from('dags/x--y.py')).toMatch(/^aws_s3_object\.dags_dag-x--y_py-[0-9a-f]{8}_[0-9A-F]{8}$/);
    expect(from('dags/Makefile')).toBeUndefined();
  });

  it('encrypts bucket and objects with the team key when given', () => {
    const { tf } = synthPlatformScope(
      (scope) =>
        new DagBucket(scope, 'dags', { name: 'acme-team', dags: dags as any, kmsKeyArn: 'arn:aws:kms:eu-west-1:123456789012:key/k' }),
    );
    expect(
      only(tf, 'aws_s3_bucket_server_side_encryption_configuration').rule[0].apply_server_side_encryption_by_default.kms_master_key_id,
    ).toBe('arn:aws:kms:eu-west-1:123456789012:key/k');
    expect((Object.values(resourcesOf(tf, 'aws_s3_object')) as any[]).map((o) => o.kms_key_id)).toEqual([
      'arn:aws:kms:eu-west-1:123456789012:key/k',
      'arn:aws:kms:eu-west-1:123456789012:key/k',
    ]);
  });
});

describe('ExecutionRole', () => {
  const bucketArn = 'arn:aws:s3:::acme-team-mwaa-123456789012';

  it('is trusted by MWAA for this environment of this account only', () => {
    const { tf } = synthPlatformScope((scope) => new ExecutionRole(scope, 'role', { environmentName: 'env1', bucketArn }));
    const role = only(tf, 'aws_iam_role');
    expect(role.name).toBe('env1-mwaa-execution');
    expect(statements(role.assume_role_policy)).toEqual([
      {
        Effect: 'Allow',
        Principal: { Service: ['airflow.amazonaws.com', 'airflow-env.amazonaws.com'] },
        Action: 'sts:AssumeRole',
        Condition: {
          StringEquals: { 'aws:SourceAccount': '123456789012' },
          ArnLike: { 'aws:SourceArn': 'arn:aws:airflow:eu-west-1:123456789012:environment/env1' },
        },
      },
    ]);
  });

  it('defaults: reads only its bucket, writes only its own log groups, uses AWS owned keys only through SQS, no secrets', () => {
    const { tf } = synthPlatformScope((scope) => new ExecutionRole(scope, 'role', { environmentName: 'env1', bucketArn }));
    const policy = only(tf, 'aws_iam_role_policy').policy;
    expect(sid(policy, 'ReadDagBucket').Resource).toEqual([bucketArn, `${bucketArn}/*`]);
    expect(sid(policy, 'WriteOwnLogs').Resource).toBe('arn:aws:logs:eu-west-1:123456789012:log-group:airflow-env1-*');
    expect(sid(policy, 'CeleryQueues').Resource).toBe('arn:aws:sqs:eu-west-1:*:airflow-celery-*');
    expect(sid(policy, 'KmsThroughSqs')).toMatchObject({
      NotResource: 'arn:aws:kms:*:123456789012:key/*',
      Condition: { StringLike: { 'kms:ViaService': ['sqs.eu-west-1.amazonaws.com'] } },
    });
    expect(sid(policy, 'ReadAirflowSecrets')).toBeUndefined();
  });

  it('with a team key and a secrets backend: the key through SQS and S3, and exactly the two secret prefixes', () => {
    const { tf } = synthPlatformScope(
      (scope) =>
        new ExecutionRole(scope, 'role', {
          environmentName: 'env1',
          bucketArn,
          kmsKeyArn: 'arn:aws:kms:eu-west-1:123456789012:key/k',
          secretsBackend: { connectionsPrefix: 'airflow/connections', variablesPrefix: 'airflow/variables' },
        }),
    );
    const policy = only(tf, 'aws_iam_role_policy').policy;
    expect(sid(policy, 'KmsThroughSqs')).toBeUndefined();
    expect(sid(policy, 'KmsThroughSqsAndS3')).toMatchObject({
      Resource: 'arn:aws:kms:eu-west-1:123456789012:key/k',
      Condition: { StringLike: { 'kms:ViaService': ['sqs.eu-west-1.amazonaws.com', 's3.eu-west-1.amazonaws.com'] } },
    });
    expect(sid(policy, 'ReadAirflowSecrets').Resource).toEqual([
      'arn:aws:secretsmanager:eu-west-1:123456789012:secret:airflow/connections/*',
      'arn:aws:secretsmanager:eu-west-1:123456789012:secret:airflow/variables/*',
    ]);
  });
});

describe('EnvironmentSecurityGroup', () => {
  const rulesOf = (tf: any, type: string) =>
    (Object.values(resourcesOf(tf, type)) as any[])
      .map((r) => [r.ip_protocol, r.from_port ?? null, r.cidr_ipv4 ?? r.prefix_list_id ?? (r.referenced_security_group_id ? 'self' : null)])
      .sort();

  it('admits only its own members; egress to the VPC on 443 and 5432 and to the S3 prefix list on 443', () => {
    const tf = JSON.parse(
      Testing.synthScope(
        (scope) =>
          void new EnvironmentSecurityGroup(scope, 'sg', {
            name: 'acme-team',
            vpcId: 'vpc-1',
            vpcCidr: '10.1.0.0/16',
            s3PrefixListId: 'pl-123',
          }),
      ),
    );
    expect(only(tf, 'aws_security_group')).toMatchObject({ name: 'acme-team-mwaa', vpc_id: 'vpc-1' });
    expect(rulesOf(tf, 'aws_vpc_security_group_ingress_rule')).toEqual([['-1', null, 'self']]);
    expect(rulesOf(tf, 'aws_vpc_security_group_egress_rule')).toEqual([
      ['-1', null, 'self'],
      ['tcp', 443, '10.1.0.0/16'],
      ['tcp', 443, 'pl-123'],
      ['tcp', 5432, '10.1.0.0/16'],
    ]);
  });

  it('defaults: HTTPS to 0.0.0.0/0 for S3 when no prefix list is known (no internet route in the shared VPC)', () => {
    const tf = JSON.parse(
      Testing.synthScope(
        (scope) => void new EnvironmentSecurityGroup(scope, 'sg', { name: 'acme-team', vpcId: 'vpc-1', vpcCidr: '10.1.0.0/16' }),
      ),
    );
    expect(rulesOf(tf, 'aws_vpc_security_group_egress_rule')).toContainEqual(['tcp', 443, '0.0.0.0/0']);
  });
});

describe('TeamMwaaEnvironment', () => {
  const props = () => ({
    environment: environment('marketing-campaigns'),
    bucketArn: 'arn:aws:s3:::b',
    subnetIds: ['subnet-a', 'subnet-b'],
    securityGroupIds: ['sg-1'],
    logRetentionDays: 30,
  });

  it('lets the owner manage the endpoints and creates its five log groups (with retention) before the environment', () => {
    const { json, tf } = synthPlatformScope((scope) => new TeamMwaaEnvironment(scope, 'env', props()));
    expect(json).toHaveResourceWithProperties(MwaaEnvironment, {
      name: 'marketing-campaigns',
      endpoint_management: 'CUSTOMER',
      source_bucket_arn: 'arn:aws:s3:::b',
      dag_s3_path: 'dags',
      network_configuration: { subnet_ids: ['subnet-a', 'subnet-b'], security_group_ids: ['sg-1'] },
      timeouts: { create: '1h', update: '2h', delete: '1h' },
    });
    const groups = (Object.values(resourcesOf(tf, 'aws_cloudwatch_log_group')) as any[])
      .map((g) => [g.name, g.retention_in_days, g.kms_key_id])
      .sort();
    expect(groups).toEqual([
      ['airflow-marketing-campaigns-DAGProcessing', 30, undefined],
      ['airflow-marketing-campaigns-Scheduler', 30, undefined],
      ['airflow-marketing-campaigns-Task', 30, undefined],
      ['airflow-marketing-campaigns-WebServer', 30, undefined],
      ['airflow-marketing-campaigns-Worker', 30, undefined],
    ]);
    const dependsOn: string[] = only(tf, 'aws_mwaa_environment').depends_on;
    expect(dependsOn.filter((d) => d.startsWith('aws_cloudwatch_log_group.'))).toHaveLength(5);
    expect(dependsOn.some((d) => d.startsWith('aws_iam_role_policy.'))).toBe(true);
  });

  it('defaults: no requirements, plugins or startup script; with the team key, environment and log groups use it', () => {
    const { tf } = synthPlatformScope(
      (scope) => new TeamMwaaEnvironment(scope, 'env', { ...props(), kmsKeyArn: 'arn:aws:kms:eu-west-1:123456789012:key/k' }),
    );
    const env = only(tf, 'aws_mwaa_environment');
    expect([env.requirements_s3_path, env.plugins_s3_path, env.startup_script_s3_path]).toEqual([undefined, undefined, undefined]);
    expect(env.kms_key).toBe('arn:aws:kms:eu-west-1:123456789012:key/k');
    expect(
      (Object.values(resourcesOf(tf, 'aws_cloudwatch_log_group')) as any[]).every(
        (g) => g.kms_key_id === 'arn:aws:kms:eu-west-1:123456789012:key/k',
      ),
    ).toBe(true);
  });
});

describe('TeamAccessRole', () => {
  it('is assumable by the team principals only and opens web login, REST API and CLI of the team environments as one Airflow role', () => {
    const { tf } = synthPlatformScope(
      (scope) =>
        new TeamAccessRole(scope, 'access', {
          name: 'acme-team',
          principals: ['arn:aws:iam::123456789012:role/Analysts'],
          environmentNames: ['e1', 'e2'],
          airflowRole: 'Viewer',
        }),
    );
    const role = only(tf, 'aws_iam_role');
    expect(role).toMatchObject({ name: 'acme-team-airflow-access', max_session_duration: 3600 });
    expect(statements(role.assume_role_policy)).toEqual([
      { Effect: 'Allow', Principal: { AWS: ['arn:aws:iam::123456789012:role/Analysts'] }, Action: 'sts:AssumeRole' },
    ]);
    const policy = only(tf, 'aws_iam_role_policy').policy;
    expect(sid(policy, 'WebLoginAndRestApi')).toMatchObject({
      Action: ['airflow:CreateWebLoginToken', 'airflow:InvokeRestApi'],
      Resource: ['arn:aws:airflow:eu-west-1:123456789012:role/e1/Viewer', 'arn:aws:airflow:eu-west-1:123456789012:role/e2/Viewer'],
    });
    expect(sid(policy, 'CliToken').Resource).toEqual([
      'arn:aws:airflow:eu-west-1:123456789012:environment/e1',
      'arn:aws:airflow:eu-west-1:123456789012:environment/e2',
    ]);
  });
});

describe('TeamKmsKey', () => {
  it('rotates, delegates to IAM through the account root, and lets CloudWatch Logs use it for the environments’ log groups only', () => {
    const { tf } = synthPlatformScope((scope) => new TeamKmsKey(scope, 'key', { name: 'acme-team', environmentNames: ['e1'] }));
    const key = only(tf, 'aws_kms_key');
    expect(key).toMatchObject({ enable_key_rotation: true, deletion_window_in_days: 30 });
    const [root, logs] = statements(key.policy);
    expect(root.Principal).toEqual({ AWS: 'arn:aws:iam::123456789012:root' });
    expect(logs.Principal).toEqual({ Service: 'logs.eu-west-1.amazonaws.com' });
    expect(logs.Condition).toEqual({
      ArnLike: { 'kms:EncryptionContext:aws:logs:arn': ['arn:aws:logs:eu-west-1:123456789012:log-group:airflow-e1-*'] },
    });
    expect(only(tf, 'aws_kms_alias').name).toBe('alias/acme-team-mwaa');
  });

  it('takes another deletion window', () => {
    const { tf } = synthPlatformScope(
      (scope) => new TeamKmsKey(scope, 'key', { name: 'acme-team', environmentNames: ['e1'], deletionWindowInDays: 7 }),
    );
    expect(only(tf, 'aws_kms_key').deletion_window_in_days).toBe(7);
  });
});

describe('TeamMwaa', () => {
  it('refuses a team without environments', () => {
    const team = { ...example.teams.find((t) => t.team === 'marketing')!, environments: [] };
    expect(() =>
      synthPlatformScope(
        (scope) =>
          new TeamMwaa(scope, 'mwaa', {
            name: 'acme-marketing',
            team,
            artifacts: example.artifacts.marketing,
            vpcId: 'vpc-1',
            subnetIds: ['a', 'b'],
            vpcCidr: '10.1.0.0/16',
          }),
      ),
    ).toThrow('TeamMwaa: team marketing requests no environments');
  });
});

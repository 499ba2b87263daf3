import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Testing, TerraformStack } from 'cdktf';
import type { App } from 'cdktf';
import { buildApp } from '../../stacks/app';
import { findNameClashes } from '../../stacks/unique-names';
import { loadRecoveryExample } from '../support/recovery-fixture';
import { resourcesOf } from '../support/synth';

const config = loadRecoveryExample();
const outdir = () => mkdtempSync(join(tmpdir(), 'recovery-stacks-'));

function stacksOf(app: App): Record<string, any> {
  const stacks = app.node.children.filter((c): c is TerraformStack => c instanceof TerraformStack);
  return Object.fromEntries(stacks.map((s) => [s.node.id, JSON.parse(Testing.synth(s))]));
}

const all = stacksOf(buildApp(config, { outdir: outdir() }));
const recoveryOnly = stacksOf(buildApp(config, { outdir: outdir(), regions: 'recovery' }));
const ofType = (tf: any, type: string): any[] => Object.values(resourcesOf(tf, type));

describe('stacks per region', () => {
  it('adds the recovery owner stack and one recovery stack per team that asks, to the primary ones', () => {
    expect(Object.keys(all).sort()).toEqual([
      'owner',
      'owner-recovery',
      'participant-analytics',
      'participant-marketing',
      'recovery-analytics',
      'recovery-marketing',
    ]);
    expect(Object.keys(recoveryOnly).sort()).toEqual(['owner-recovery', 'recovery-analytics', 'recovery-marketing']);
  });

  it('builds no recovery stack for a team without a recovered environment', () => {
    const onlyAnalytics = loadRecoveryExample({ modes: { analytics: { 'analytics-prod': 'warm-standby' } } });
    expect(Object.keys(stacksOf(buildApp(onlyAnalytics, { outdir: outdir(), regions: 'recovery' }))).sort()).toEqual([
      'owner-recovery',
      'recovery-analytics',
    ]);
  });

  it.each(['owner-recovery', 'recovery-analytics', 'recovery-marketing'])(
    '%s is bound to the recovery region and refers to nothing of the primary region',
    (name) => {
      const tf = recoveryOnly[name];
      expect(tf.provider.aws.map((p: any) => p.region)).toEqual(['us-west-2']);
      const text = JSON.stringify(tf);
      expect(text).not.toContain('eu-west-1');
      expect(text).not.toContain('terraform_remote_state');
      // The primary contract's ids: a recovery stack reads only the recovery contract.
      expect(text).not.toMatch(/vpc-00000000000000001|subnet-0000000000000000a|sg-0000000000000000e/);
    },
  );

  it('the recovery owner stack has its own VPC, share to the same accounts, endpoints, bus and endpoint manager, named with the region', () => {
    const tf = recoveryOnly['owner-recovery'];
    expect(ofType(tf, 'aws_vpc').map((v) => v.cidr_block)).toEqual(['10.50.0.0/16']);
    expect(
      ofType(tf, 'aws_ram_principal_association')
        .map((p) => p.principal)
        .sort(),
    ).toEqual(['222222222222', '333333333333']);
    expect(ofType(tf, 'aws_vpc_endpoint').map((e) => e.service_name)).toEqual(
      expect.arrayContaining(['com.amazonaws.us-west-2.sqs', 'com.amazonaws.us-west-2.airflow.env', 'com.amazonaws.us-west-2.s3']),
    );
    expect(ofType(tf, 'aws_cloudwatch_event_bus').map((b) => b.name)).toEqual(['acme-data-us-west-2-mwaa-status']);
    expect(ofType(tf, 'aws_lambda_function').map((f) => f.function_name)).toEqual(['acme-data-us-west-2-endpoint-manager']);
    expect(
      ofType(tf, 'aws_iam_role')
        .map((r) => r.name)
        .sort(),
    ).toEqual(['acme-data-us-west-2-endpoint-manager', 'acme-data-us-west-2-vpc-flow-logs']);
    // The SQS endpoint starts with the platform's initial policy, for the recovery region.
    const sqs = ofType(tf, 'aws_vpc_endpoint').find((e) => e.service_name === 'com.amazonaws.us-west-2.sqs');
    expect(sqs.policy).toContain('us-west-2');
  });

  it('the recovery owner stack has its own PyPI mirror under the primary names, with its endpoints and outputs', () => {
    const tf = recoveryOnly['owner-recovery'];
    expect(ofType(tf, 'aws_codeartifact_domain').map((d) => d.domain)).toEqual(['acme-data']);
    const repositories = ofType(tf, 'aws_codeartifact_repository');
    expect(repositories.map((r) => r.repository).sort()).toEqual(['pypi', 'pypi-store']);
    expect(repositories.find((r) => r.repository === 'pypi-store').external_connections).toEqual({
      external_connection_name: 'public:pypi',
    });
    const services = ofType(tf, 'aws_vpc_endpoint').map((e) => e.service_name);
    expect(services).toEqual(
      expect.arrayContaining(['com.amazonaws.us-west-2.codeartifact.api', 'com.amazonaws.us-west-2.codeartifact.repositories']),
    );
    expect(Object.keys(tf.output)).toEqual(
      expect.arrayContaining(['codeartifact_domain', 'codeartifact_domain_owner', 'codeartifact_repository']),
    );
  });

  it('admits exactly the recovery execution roles of recovered environments that read the mirror, backup-restore ones included', () => {
    const admitted = (tf: any) =>
      [...ofType(tf, 'aws_codeartifact_domain_permissions_policy'), ...ofType(tf, 'aws_codeartifact_repository_permissions_policy')].map(
        (p) => JSON.parse(p.policy_document).Statement.map((st: any) => [st.Principal.AWS, st.Condition.ArnEquals['aws:PrincipalArn']]),
      );
    // marketing-campaigns installs nothing: its role is not admitted; the primary roles (no region in the name) are not either.
    const standby = [[['arn:aws:iam::222222222222:root'], ['arn:aws:iam::222222222222:role/analytics-prod-us-west-2-mwaa-execution']]];
    expect(admitted(recoveryOnly['owner-recovery'])).toEqual([standby, standby]);
    // A backup-restore environment's role does not exist before failover; it is admitted already, so failover needs no owner apply.
    const backupRestore = loadRecoveryExample({ modes: { analytics: { 'analytics-prod': 'backup-restore' } } });
    const tf = stacksOf(buildApp(backupRestore, { outdir: outdir(), regions: 'recovery' }))['owner-recovery'];
    expect(admitted(tf)).toEqual([standby, standby]);
  });

  it('a platform without a PyPI mirror has none in the recovery region either', () => {
    const noMirror = loadRecoveryExample({ platform: (p) => delete p.network.pythonPackages.codeArtifact });
    const stacks = stacksOf(buildApp(noMirror, { outdir: outdir(), regions: 'recovery' }));
    expect(ofType(stacks['owner-recovery'], 'aws_codeartifact_domain')).toEqual([]);
    expect(ofType(stacks['owner-recovery'], 'aws_vpc_endpoint').map((e) => e.service_name)).not.toEqual(
      expect.arrayContaining(['com.amazonaws.us-west-2.codeartifact.api']),
    );
    const [standby] = ofType(stacks['recovery-analytics'], 'aws_mwaa_environment');
    expect(Object.keys(standby.airflow_configuration_options).filter((k) => k.startsWith('codeartifact.'))).toEqual([]);
  });

  it('no name AWS keeps unique clashes between the regions', () => {
    expect(findNameClashes(buildApp(config, { outdir: outdir() }))).toEqual([]);
  });
});

describe('warm standby (analytics-prod)', () => {
  const tf = recoveryOnly['recovery-analytics'];
  const [standby] = ofType(tf, 'aws_mwaa_environment');

  it('runs at the smallest size its class allows, keeping the maxima, with its DAGs paused at creation', () => {
    expect(ofType(tf, 'aws_mwaa_environment')).toHaveLength(1);
    expect(standby).toMatchObject({
      name: 'analytics-prod',
      environment_class: 'mw1.medium',
      schedulers: 2,
      min_workers: 1,
      max_workers: 10,
      min_webservers: 2,
      max_webservers: 3,
      endpoint_management: 'CUSTOMER',
      dag_s3_path: 'dags',
    });
    expect(standby.airflow_configuration_options['core.dags_are_paused_at_creation']).toBe('True');
  });

  it('reads the replica bucket, its objects pinned to the versions replicated there', () => {
    const replica = ofType(tf, 'aws_s3_bucket').find((b) => b.bucket === 'acme-data-analytics-mwaa-us-west-2-222222222222');
    expect(replica).toBeDefined();
    expect(standby.source_bucket_arn).toMatch(/^\$\{aws_s3_bucket\.dag-replica_bucket_[A-F0-9]+\.arn\}$/);
    const objects = resourcesOf(tf, 'aws_s3_object');
    expect(Object.keys(objects)).toEqual([]);
    const data = tf.data.aws_s3_object;
    const byKey = Object.fromEntries(Object.entries(data).map(([id, d]: [string, any]) => [d.key, id]));
    expect(Object.keys(byKey).sort()).toEqual(['environments/analytics-prod/requirements.txt', 'environments/analytics-prod/startup.sh']);
    expect(standby.requirements_s3_object_version).toBe(
      `\${data.aws_s3_object.${byKey['environments/analytics-prod/requirements.txt']}.version_id}`,
    );
    expect(standby.startup_script_s3_object_version).toBe(
      `\${data.aws_s3_object.${byKey['environments/analytics-prod/startup.sh']}.version_id}`,
    );
  });

  it('uses the recovery network, its own security group and an execution role named with the region', () => {
    expect(standby.network_configuration.subnet_ids).toEqual(['subnet-0000000000000010a', 'subnet-0000000000000010b']);
    const roles = ofType(tf, 'aws_iam_role').map((r) => r.name);
    expect(roles).toEqual(
      expect.arrayContaining(['analytics-prod-us-west-2-mwaa-execution', 'acme-data-us-west-2-mwaa-endpoint-reconcile']),
    );
    const sg = ofType(tf, 'aws_security_group');
    expect(sg.map((g) => [g.name, g.vpc_id])).toEqual([['acme-data-analytics-us-west-2-mwaa', 'vpc-00000000000000101']]);
  });

  it('reads its requirements from the recovery region’s mirror: the recovery contract’s coordinates and grants scoped to it', () => {
    const codeArtifactOptions = (env: any) =>
      Object.fromEntries(Object.entries(env.airflow_configuration_options).filter(([k]) => k.startsWith('codeartifact.')));
    expect(codeArtifactOptions(standby)).toEqual({
      'codeartifact.domain': 'acme-data',
      'codeartifact.domain_owner': '111111111111',
      'codeartifact.repository': 'pypi',
    });
    // The options follow the recovery contract, not the primary's: a recovery mirror published differently shows here.
    const elsewhere = {
      ...config,
      recoveryContract: {
        ...config.recoveryContract!,
        codeArtifact: { domain: 'acme-data-west', domainOwner: '111111111111', repository: 'pypi' },
      },
    };
    const [moved] = ofType(
      stacksOf(buildApp(elsewhere, { outdir: outdir(), regions: 'recovery' }))['recovery-analytics'],
      'aws_mwaa_environment',
    );
    expect(codeArtifactOptions(moved)['codeartifact.domain']).toBe('acme-data-west');

    const executionPolicy = ofType(tf, 'aws_iam_role_policy').find((p) => p.name === 'mwaa-execution');
    const statements = JSON.parse(executionPolicy.policy).Statement.filter((st: any) => st.Sid.startsWith('Mirror'));
    expect(statements).toEqual([
      {
        Sid: 'MirrorToken',
        Effect: 'Allow',
        Action: 'codeartifact:GetAuthorizationToken',
        Resource: 'arn:aws:codeartifact:us-west-2:111111111111:domain/acme-data',
      },
      {
        Sid: 'MirrorRead',
        Effect: 'Allow',
        Action: ['codeartifact:GetRepositoryEndpoint', 'codeartifact:ReadFromRepository'],
        Resource: 'arn:aws:codeartifact:us-west-2:111111111111:repository/acme-data/pypi',
      },
      {
        Sid: 'MirrorBearerToken',
        Effect: 'Allow',
        Action: 'sts:GetServiceBearerToken',
        Resource: '*',
        Condition: { StringEquals: { 'sts:AWSServiceName': 'codeartifact.amazonaws.com' } },
      },
    ]);
    expect(JSON.stringify(tf)).not.toContain('codeartifact:us-east-1');
  });

  it('encrypts the replicas with a key of the recovery region under the alias the replication rule names', () => {
    expect(ofType(tf, 'aws_kms_alias').map((a) => a.name)).toEqual(['alias/acme-data-analytics-us-west-2-mwaa']);
    const encryption = ofType(tf, 'aws_s3_bucket_server_side_encryption_configuration');
    expect(encryption).toHaveLength(2);
    for (const e of encryption) expect(e.rule[0].apply_server_side_encryption_by_default.kms_master_key_id).toMatch(/^\$\{aws_kms_key\./);
    expect(ofType(tf, 'aws_s3_bucket_versioning').map((v) => v.versioning_configuration.status)).toEqual(['Enabled', 'Enabled']);
  });
});

describe('backup-restore (marketing-campaigns)', () => {
  it('has everything but the environment until failover', () => {
    const tf = recoveryOnly['recovery-marketing'];
    expect(ofType(tf, 'aws_mwaa_environment')).toEqual([]);
    expect(
      ofType(tf, 'aws_s3_bucket')
        .map((b) => b.bucket)
        .sort(),
    ).toEqual(['acme-data-marketing-mwaa-us-west-2-333333333333', 'marketing-campaigns-backup-us-west-2-333333333333']);
    expect(ofType(tf, 'aws_security_group')).toHaveLength(1);
  });

  it('failover creates it at the primary size', () => {
    const stacks = stacksOf(buildApp(config, { outdir: outdir(), regions: 'recovery', failover: ['marketing/marketing-campaigns'] }));
    const [env] = ofType(stacks['recovery-marketing'], 'aws_mwaa_environment');
    expect(env).toMatchObject({
      name: 'marketing-campaigns',
      environment_class: 'mw1.small',
      min_workers: 1,
      max_workers: 3,
      schedulers: 2,
    });
    // It installs nothing (no requirements file, no startup script): no mirror options, no CodeArtifact grant.
    expect(Object.keys(env.airflow_configuration_options).filter((k) => k.startsWith('codeartifact.'))).toEqual([]);
    expect(JSON.stringify(ofType(stacks['recovery-marketing'], 'aws_iam_role_policy'))).not.toContain('codeartifact');
    expect(ofType(stacks['recovery-analytics'], 'aws_mwaa_environment')).toHaveLength(1);
  });
});

describe('the primary side of a recovered environment', () => {
  const tf = all['participant-analytics'];

  it('replicates the DAG bucket to the replica, delete markers included, re-encrypted with the recovery key', () => {
    const configs = ofType(tf, 'aws_s3_bucket_replication_configuration');
    const dags = configs.find((c) => c.rule[0].destination.bucket === 'arn:aws:s3:::acme-data-analytics-mwaa-us-west-2-222222222222');
    expect(dags.bucket).toMatch(/^\$\{aws_s3_bucket\.mwaa_dag-bucket_[A-F0-9_]+\.bucket\}$/);
    expect(dags.rule).toEqual([
      {
        id: 'to-recovery-region',
        status: 'Enabled',
        priority: 1,
        filter: { prefix: '' },
        delete_marker_replication: { status: 'Enabled' },
        source_selection_criteria: { sse_kms_encrypted_objects: { status: 'Enabled' } },
        destination: {
          bucket: 'arn:aws:s3:::acme-data-analytics-mwaa-us-west-2-222222222222',
          encryption_configuration: { replica_kms_key_id: 'arn:aws:kms:us-west-2:222222222222:alias/acme-data-analytics-us-west-2-mwaa' },
        },
      },
    ]);
    expect(dags.depends_on).toEqual(expect.arrayContaining([expect.stringMatching(/^aws_s3_bucket_versioning\./)]));
  });

  it('uploads every object after replication is configured, marked with the recovery region', () => {
    // The DAG bucket's objects (the EKS sample pipeline has buckets of its own).
    const objects = ofType(tf, 'aws_s3_object').filter((o) => /aws_s3_bucket\.mwaa_dag-bucket/.test(o.bucket));
    expect(objects.length).toBeGreaterThan(2);
    for (const o of objects) {
      expect(o.metadata).toEqual({ 'replicated-to': 'us-west-2' });
      expect(o.depends_on).toEqual(expect.arrayContaining([expect.stringMatching(/^aws_s3_bucket_replication_configuration\./)]));
    }
  });

  it('has a backup bucket replicated to the recovery region and tells the environment where and when to back up', () => {
    const configs = ofType(tf, 'aws_s3_bucket_replication_configuration');
    const backup = configs.find((c) => c.rule[0].destination.bucket === 'arn:aws:s3:::analytics-prod-backup-us-west-2-222222222222');
    const source = ofType(tf, 'aws_s3_bucket').find((b) => b.bucket === 'analytics-prod-backup-eu-west-1-222222222222');
    expect(source).toBeDefined();
    expect(backup.bucket).toMatch(/^\$\{aws_s3_bucket\.recovery_backup-analytics-prod_bucket_[A-F0-9]+\.bucket\}$/);
    const [env] = ofType(tf, 'aws_mwaa_environment');
    expect(env.airflow_configuration_options).toMatchObject({
      'platform_recovery.backup_bucket': 'analytics-prod-backup-eu-west-1-222222222222',
      'platform_recovery.backup_schedule': '@hourly',
    });
  });

  it('alarms on the scheduler heartbeat without acting on it', () => {
    const [alarm] = ofType(tf, 'aws_cloudwatch_metric_alarm');
    expect(alarm).toMatchObject({
      alarm_name: 'analytics-prod-scheduler-heartbeat',
      namespace: 'AmazonMWAA',
      metric_name: 'SchedulerHeartbeat',
      dimensions: { Environment: 'analytics-prod', Function: 'Scheduler' },
      comparison_operator: 'LessThanThreshold',
      threshold: 1,
      treat_missing_data: 'breaching',
    });
    // The team's own alarm topic, for OK as for ALARM: nothing that acts.
    const [topic] = Object.keys(resourcesOf(tf, 'aws_sns_topic'));
    expect(alarm.alarm_actions).toEqual([`\${aws_sns_topic.${topic}.arn}`]);
    expect(alarm.ok_actions).toEqual(alarm.alarm_actions);
  });

  it('also notifies the platform topic when one is configured', () => {
    const withTopic = loadRecoveryExample({
      platform: (p) => (p.endpointManager.alarmTopicArn = 'arn:aws:sns:eu-west-1:111111111111:platform-alarms'),
    });
    const tfTopic = stacksOf(buildApp(withTopic, { outdir: outdir(), regions: 'primary' }))['participant-marketing'];
    const [alarm] = ofType(tfTopic, 'aws_cloudwatch_metric_alarm');
    expect(alarm.alarm_actions).toEqual([
      expect.stringMatching(/^\$\{aws_sns_topic\..+\.arn\}$/),
      'arn:aws:sns:eu-west-1:111111111111:platform-alarms',
    ]);
  });

  it('leaves a team without recovery as it was', () => {
    const none = loadRecoveryExample({ modes: { analytics: { 'analytics-prod': 'warm-standby' } } });
    const marketing = stacksOf(buildApp(none, { outdir: outdir(), regions: 'primary' }))['participant-marketing'];
    expect(ofType(marketing, 'aws_s3_bucket_replication_configuration')).toEqual([]);
    expect(ofType(marketing, 'aws_cloudwatch_metric_alarm')).toEqual([]);
    for (const o of ofType(marketing, 'aws_s3_object')) expect(o.metadata).toBeUndefined();
  });
});

describe('the failover list', () => {
  it('refuses anything but backup-restore environments, naming each entry', () => {
    expect(() => buildApp(config, { outdir: outdir(), failover: ['analytics/analytics-prod', 'marketing/nope', 'x'] })).toThrow(
      [
        'RECOVERY_FAILOVER: analytics/analytics-prod is warm-standby; only backup-restore environments are created at failover',
        'RECOVERY_FAILOVER: "marketing/nope" is not team/environment of a configured environment',
        'RECOVERY_FAILOVER: "x" is not team/environment of a configured environment',
      ].join('\n'),
    );
  });
});

describe('the platform recovery DAGs', () => {
  it('are uploaded into the reserved folder of a recovered team’s bucket only, and replicated with it', () => {
    const withDags = loadRecoveryExample({
      modes: { analytics: { 'analytics-prod': 'warm-standby' } },
      repoFiles: {
        'recovery/dags/platform_recovery_restore.py': 'restore = 1\n',
        'recovery/dags/platform_recovery/__init__.py': '',
        'recovery/dags/platform_recovery/__pycache__/x.pyc': 'x',
      },
    });
    const stacks = stacksOf(buildApp(withDags, { outdir: outdir(), regions: 'primary' }));
    const keys = (tf: any) => ofType(tf, 'aws_s3_object').map((o) => o.key as string);
    expect(keys(stacks['participant-analytics']).filter((k) => k.startsWith('dags/_platform/'))).toEqual([
      'dags/_platform/recovery/platform_recovery/__init__.py',
      'dags/_platform/recovery/platform_recovery_restore.py',
    ]);
    expect(keys(stacks['participant-marketing']).filter((k) => k.startsWith('dags/_platform/'))).toEqual([]);
    const restore = ofType(stacks['participant-analytics'], 'aws_s3_object').find((o) => o.key.endsWith('restore.py'));
    expect(restore.depends_on).toEqual(expect.arrayContaining([expect.stringMatching(/^aws_s3_bucket_replication_configuration\./)]));
  });
});

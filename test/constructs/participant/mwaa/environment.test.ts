import { createHash } from 'node:crypto';
import { MwaaEnvironment } from '@cdktf/provider-aws/lib/mwaa-environment';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { loadFixture } from '../../../support/config-fixture';
import { MWAA_TIMEOUTS } from '../../../../constructs/participant/mwaa/mwaa-environment';
import { addressOf, configWith, resourceNamed, resourcesOf, synthParticipant } from './support';

const example = loadFixture();
const analytics = synthParticipant(example, 'analytics');
const marketing = synthParticipant(example, 'marketing');

const analyticsEnv = resourceNamed(analytics.tf, 'aws_mwaa_environment', 'analytics-prod');
const marketingEnv = resourceNamed(marketing.tf, 'aws_mwaa_environment', 'marketing-campaigns');
const ref = (tf: any, type: string, fragment: string, attribute: string) => `\${${addressOf(tf, type, fragment)}.${attribute}}`;

describe('aws_mwaa_environment from the team file', () => {
  it('creates the analytics environment with every configured setting', () => {
    expect(analytics.json).toHaveResourceWithProperties(MwaaEnvironment, {
      name: 'analytics-prod',
      airflow_version: '2.10.3',
      environment_class: 'mw1.medium',
      endpoint_management: 'CUSTOMER',
      webserver_access_mode: 'PRIVATE_ONLY',
      min_workers: 2,
      max_workers: 10,
      schedulers: 2,
      min_webservers: 2,
      max_webservers: 3,
      weekly_maintenance_window_start: 'SUN:03:00',
      dag_s3_path: 'dags',
    });
  });

  it('uses the two shared subnets of the network contract and the team security group', () => {
    expect(analyticsEnv.network_configuration).toEqual({
      subnet_ids: ['subnet-0000000000000000a', 'subnet-0000000000000000b'],
      security_group_ids: [ref(analytics.tf, 'aws_security_group', 'mwaa_security-group', 'id')],
    });
  });

  it('wires the execution role, the DAG bucket and the customer-managed key', () => {
    expect(analyticsEnv.execution_role_arn).toBe(ref(analytics.tf, 'aws_iam_role', 'analytics-prod_execution-role', 'arn'));
    expect(analyticsEnv.source_bucket_arn).toBe(ref(analytics.tf, 'aws_s3_bucket', 'mwaa_dag-bucket', 'arn'));
    expect(analyticsEnv.kms_key).toBe(ref(analytics.tf, 'aws_kms_key', 'mwaa_kms-key', 'arn'));
    expect(marketingEnv.kms_key).toBeUndefined();
  });

  it('enables all five log types at INFO by default', () => {
    const info = { enabled: true, log_level: 'INFO' };
    expect(marketingEnv.logging_configuration).toEqual({
      dag_processing_logs: info,
      scheduler_logs: info,
      task_logs: info,
      webserver_logs: info,
      worker_logs: info,
    });
  });

  it('writes the configured options plus the Secrets Manager backend with its prefixes', () => {
    expect(analyticsEnv.airflow_configuration_options).toEqual({
      'core.default_task_retries': '2',
      'core.xcom_backend': 'include.s3_xcom_backend.S3XComBackend',
      'celery.worker_autoscale': '10,10',
      'secrets.backend': 'airflow.providers.amazon.aws.secrets.secrets_manager.SecretsManagerBackend',
      'secrets.backend_kwargs': '{"connections_prefix":"airflow/connections","variables_prefix":"airflow/variables"}',
      // Where the platform's PyPI mirror is, for the startup script (AIRFLOW__CODEARTIFACT__*).
      'codeartifact.domain': 'acme-data',
      'codeartifact.domain_owner': '111111111111',
      'codeartifact.repository': 'pypi',
    });
    // No requirements file, no startup script: marketing does not read the mirror.
    expect(marketingEnv.airflow_configuration_options).toEqual({});
  });

  it('fills the class defaults (schedulers, webservers) and keeps the public webserver the owner allowed', () => {
    expect(marketingEnv).toMatchObject({
      environment_class: 'mw1.small',
      webserver_access_mode: 'PUBLIC_ONLY',
      min_workers: 1,
      max_workers: 3,
      schedulers: 2,
      min_webservers: 2,
      max_webservers: 2,
    });
  });

  it('pins requirements.txt and the startup script by their S3 object versions', () => {
    expect(analyticsEnv.requirements_s3_path).toBe('environments/analytics-prod/requirements.txt');
    expect(analyticsEnv.requirements_s3_object_version).toBe(
      ref(analytics.tf, 'aws_s3_object', 'requirements-analytics-prod', 'version_id'),
    );
    expect(analyticsEnv.plugins_s3_path).toBeUndefined();
    expect(analyticsEnv.startup_script_s3_path).toBe('environments/analytics-prod/startup.sh');
    expect(analyticsEnv.startup_script_s3_object_version).toBe(
      ref(analytics.tf, 'aws_s3_object', 'startupScript-analytics-prod', 'version_id'),
    );
  });

  // The provider's create waiter returns at PENDING (hashicorp/aws 5.100.0), so create bounds only CREATING;
  // update waits for AVAILABLE through an Airflow upgrade.
  it('bounds create by the CREATING phase and update by a full upgrade', () => {
    expect(MWAA_TIMEOUTS).toEqual({ create: '1h', update: '2h', delete: '1h' });
    expect(analyticsEnv.timeouts).toEqual({ create: '1h', update: '2h', delete: '1h' });
  });

  it('is created after its permissions, its log groups and the DAGs it starts with', () => {
    expect(analyticsEnv.depends_on).toEqual(
      expect.arrayContaining([
        addressOf(analytics.tf, 'aws_iam_role_policy', 'analytics-prod_execution-role'),
        ...['dagProcessing', 'scheduler', 'task', 'webserver', 'worker'].map((t) =>
          addressOf(analytics.tf, 'aws_cloudwatch_log_group', `log-group-${t}`),
        ),
        addressOf(analytics.tf, 'aws_s3_object', 'dag-daily_sales_py'),
        addressOf(analytics.tf, 'aws_s3_object', 'dag-include_s3_xcom_backend_py_'),
      ]),
    );
  });

  it('tags the environment with its own tags (default tags come from the provider)', () => {
    const config = configWith({ teams: { marketing: (t) => (t.environments[0].tags = { Tier: 'gold' }) } });
    expect(synthParticipant(config, 'marketing').json).toHaveResourceWithProperties(MwaaEnvironment, { tags: { Tier: 'gold' } });
  });
});

describe("the environment's log groups", () => {
  it.each(['DAGProcessing', 'Scheduler', 'Task', 'WebServer', 'Worker'])(
    'pre-creates airflow-<env>-%s with the team retention and key',
    (suffix) => {
      expect(analytics.json).toHaveResourceWithProperties(CloudwatchLogGroup, {
        name: `airflow-analytics-prod-${suffix}`,
        retention_in_days: 30,
        kms_key_id: ref(analytics.tf, 'aws_kms_key', 'mwaa_kms-key', 'arn'),
      });
    },
  );

  it('uses the log retention of the team file and no key without customerManagedKey', () => {
    const config = configWith({ teams: { marketing: (t) => (t.logRetentionDays = 90) } });
    const groups = Object.values(resourcesOf(synthParticipant(config, 'marketing').tf, 'aws_cloudwatch_log_group')).filter((g: any) =>
      g.name.startsWith('airflow-'),
    );
    expect(groups).toHaveLength(5);
    for (const group of groups as any[]) {
      expect(group.retention_in_days).toBe(90);
      expect(group.kms_key_id).toBeUndefined();
    }
  });
});

describe('an environment with plugins, a startup script and custom logging', () => {
  const zipBytes = Buffer.from([0x50, 0x4b, 0x05, 0x06, ...new Array(18).fill(0), 0xff, 0x00]);
  const files = 'teams/marketing/env';
  const config = configWith({
    repoFiles: { [`${files}/plugins.zip`]: zipBytes, [`${files}/startup.sh`]: '#!/bin/sh\nexport FOO=bar\n' },
    teams: {
      marketing: (t) => {
        Object.assign(t.environments[0], {
          pluginsFile: `${files}/plugins.zip`,
          startupScriptFile: `${files}/startup.sh`,
          logging: { task: { enabled: false }, worker: { level: 'WARNING' } },
        });
      },
    },
  });
  const { tf } = synthParticipant(config, 'marketing');
  const env = resourceNamed(tf, 'aws_mwaa_environment', 'marketing-campaigns');

  it('uploads them per environment and pins each by object version', () => {
    expect(env.plugins_s3_path).toBe('environments/marketing-campaigns/plugins.zip');
    expect(env.plugins_s3_object_version).toBe(ref(tf, 'aws_s3_object', 'plugins-marketing-campaigns', 'version_id'));
    expect(env.startup_script_s3_path).toBe('environments/marketing-campaigns/startup.sh');
    expect(env.startup_script_s3_object_version).toBe(ref(tf, 'aws_s3_object', 'startupScript-marketing-campaigns', 'version_id'));
  });

  it('uploads a binary archive as base64 with its MD5', () => {
    const plugins = resourceNamed(tf, 'aws_s3_object', 'plugins-marketing-campaigns');
    expect(plugins).toMatchObject({
      key: 'environments/marketing-campaigns/plugins.zip',
      content_base64: zipBytes.toString('base64'),
      source_hash: createHash('md5').update(zipBytes).digest('hex'),
      content_type: 'application/zip',
    });
    expect(plugins.content).toBeUndefined();
  });

  it('applies per-log-type settings over the defaults', () => {
    expect(env.logging_configuration.task_logs).toEqual({ enabled: false, log_level: 'INFO' });
    expect(env.logging_configuration.worker_logs).toEqual({ enabled: true, log_level: 'WARNING' });
  });
});

describe('a team without environments', () => {
  it('gets no MWAA resources and no MWAA outputs', () => {
    const config = configWith({ teams: { marketing: (t) => (t.environments = []) } });
    const { tf } = synthParticipant(config, 'marketing');
    for (const type of ['aws_mwaa_environment', 'aws_s3_bucket', 'aws_security_group', 'aws_kms_key'])
      expect(resourcesOf(tf, type)).toEqual({});
    expect(Object.keys(tf.output ?? {}).filter((o) => o.startsWith('mwaa_'))).toEqual([]);
  });
});

describe('stack outputs', () => {
  it('publishes environment ARN, webserver URL, execution role, DAG bucket and access role', () => {
    expect(analytics.tf.output.mwaa_dag_bucket.value).toBe(ref(analytics.tf, 'aws_s3_bucket', 'mwaa_dag-bucket', 'bucket'));
    expect(analytics.tf.output.mwaa_access_role_arn.value).toBe(ref(analytics.tf, 'aws_iam_role', 'mwaa_access-role', 'arn'));
    expect(analytics.tf.output.mwaa_environments.value).toEqual({
      'analytics-prod': {
        arn: ref(analytics.tf, 'aws_mwaa_environment', 'analytics-prod', 'arn'),
        webserver_url: ref(analytics.tf, 'aws_mwaa_environment', 'analytics-prod', 'webserver_url'),
        execution_role_arn: ref(analytics.tf, 'aws_iam_role', 'analytics-prod_execution-role', 'arn'),
      },
    });
  });
});

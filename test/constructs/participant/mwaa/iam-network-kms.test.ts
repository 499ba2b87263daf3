import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { loadFixture } from '../../../support/config-fixture';
import { addressOf, configWith, inlinePolicyOf, resourceNamed, resourcesOf, statement, synthParticipant } from './support';

const example = loadFixture();
const analytics = synthParticipant(example, 'analytics');
const marketing = synthParticipant(example, 'marketing');
const bucketArn = (tf: any) => `\${${addressOf(tf, 'aws_s3_bucket', 'mwaa_dag-bucket')}.arn}`;
const keyArn = (tf: any) => `\${${addressOf(tf, 'aws_kms_key', 'mwaa_kms-key')}.arn}`;

describe('the execution role', () => {
  const role = resourceNamed(analytics.tf, 'aws_iam_role', 'analytics-prod_execution-role');
  const policy = inlinePolicyOf(analytics.tf, 'analytics-prod_execution-role');
  const marketingPolicy = inlinePolicyOf(marketing.tf, 'marketing-campaigns_execution-role');

  it('is named after its environment', () => {
    expect(role.name).toBe('analytics-prod-mwaa-execution');
  });

  it('is trusted by MWAA for this environment in this account only (confused deputy)', () => {
    expect(JSON.parse(role.assume_role_policy)).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { Service: ['airflow.amazonaws.com', 'airflow-env.amazonaws.com'] },
          Action: 'sts:AssumeRole',
          Condition: {
            StringEquals: { 'aws:SourceAccount': '222222222222' },
            ArnLike: { 'aws:SourceArn': 'arn:aws:airflow:eu-west-1:222222222222:environment/analytics-prod' },
          },
        },
      ],
    });
  });

  it('publishes metrics for its own environment only', () => {
    expect(statement(policy, 'PublishMetrics')).toEqual({
      Sid: 'PublishMetrics',
      Effect: 'Allow',
      Action: 'airflow:PublishMetrics',
      Resource: 'arn:aws:airflow:eu-west-1:222222222222:environment/analytics-prod',
    });
  });

  it("reads the team's bucket only and may not list all buckets", () => {
    const resources = [bucketArn(analytics.tf), `${bucketArn(analytics.tf)}/*`];
    expect(statement(policy, 'ReadDagBucket')).toEqual({
      Sid: 'ReadDagBucket',
      Effect: 'Allow',
      Action: ['s3:GetObject*', 's3:GetBucket*', 's3:List*'],
      Resource: resources,
    });
    expect(statement(policy, 'DenyListAllBuckets')).toEqual({
      Sid: 'DenyListAllBuckets',
      Effect: 'Deny',
      Action: 's3:ListAllMyBuckets',
      Resource: resources,
    });
    expect(statement(policy, 'CheckAccountPublicAccessBlock')).toEqual({
      Sid: 'CheckAccountPublicAccessBlock',
      Effect: 'Allow',
      Action: 's3:GetAccountPublicAccessBlock',
      Resource: '*',
    });
    expect(JSON.stringify(policy)).not.toContain('s3:PutObject');
  });

  it('writes only its own airflow-<env>-* log groups', () => {
    expect(statement(policy, 'WriteOwnLogs')).toEqual({
      Sid: 'WriteOwnLogs',
      Effect: 'Allow',
      Action: [
        'logs:CreateLogStream',
        'logs:CreateLogGroup',
        'logs:PutLogEvents',
        'logs:GetLogEvents',
        'logs:GetLogRecord',
        'logs:GetLogGroupFields',
        'logs:GetQueryResults',
      ],
      Resource: 'arn:aws:logs:eu-west-1:222222222222:log-group:airflow-analytics-prod-*',
    });
    expect(statement(policy, 'DescribeLogGroups')).toEqual({
      Sid: 'DescribeLogGroups',
      Effect: 'Allow',
      Action: 'logs:DescribeLogGroups',
      Resource: '*',
    });
    expect(statement(policy, 'PutMetricData')).toEqual({
      Sid: 'PutMetricData',
      Effect: 'Allow',
      Action: 'cloudwatch:PutMetricData',
      Resource: '*',
    });
  });

  it('uses the Celery queues MWAA creates in its own account', () => {
    expect(statement(policy, 'CeleryQueues')).toEqual({
      Sid: 'CeleryQueues',
      Effect: 'Allow',
      Action: [
        'sqs:ChangeMessageVisibility',
        'sqs:DeleteMessage',
        'sqs:GetQueueAttributes',
        'sqs:GetQueueUrl',
        'sqs:ReceiveMessage',
        'sqs:SendMessage',
      ],
      Resource: 'arn:aws:sqs:eu-west-1:*:airflow-celery-*',
    });
  });

  it("uses the team's key only through SQS and S3", () => {
    expect(statement(policy, 'KmsThroughSqsAndS3')).toEqual({
      Sid: 'KmsThroughSqsAndS3',
      Effect: 'Allow',
      Action: ['kms:Decrypt', 'kms:DescribeKey', 'kms:GenerateDataKey*', 'kms:Encrypt'],
      Resource: keyArn(analytics.tf),
      Condition: { StringLike: { 'kms:ViaService': ['sqs.eu-west-1.amazonaws.com', 's3.eu-west-1.amazonaws.com'] } },
    });
  });

  it('uses AWS owned keys (outside the account) only through SQS when the team has no key', () => {
    expect(statement(marketingPolicy, 'KmsThroughSqs')).toEqual({
      Sid: 'KmsThroughSqs',
      Effect: 'Allow',
      Action: ['kms:Decrypt', 'kms:DescribeKey', 'kms:GenerateDataKey*', 'kms:Encrypt'],
      NotResource: 'arn:aws:kms:*:333333333333:key/*',
      Condition: { StringLike: { 'kms:ViaService': ['sqs.eu-west-1.amazonaws.com'] } },
    });
  });

  it('reads exactly the secrets backend prefixes', () => {
    expect(statement(policy, 'ReadAirflowSecrets')).toEqual({
      Sid: 'ReadAirflowSecrets',
      Effect: 'Allow',
      Action: [
        'secretsmanager:GetSecretValue',
        'secretsmanager:DescribeSecret',
        'secretsmanager:GetResourcePolicy',
        'secretsmanager:ListSecretVersionIds',
      ],
      Resource: [
        'arn:aws:secretsmanager:eu-west-1:222222222222:secret:airflow/connections/*',
        'arn:aws:secretsmanager:eu-west-1:222222222222:secret:airflow/variables/*',
      ],
    });
    expect(JSON.stringify(marketingPolicy)).not.toContain('secretsmanager');
  });

  it('follows changed prefixes', () => {
    const config = configWith({
      teams: { marketing: (t) => (t.environments[0].secretsBackend = { connectionsPrefix: 'mkt/conn', variablesPrefix: 'mkt/vars' }) },
    });
    const { tf } = synthParticipant(config, 'marketing');
    expect(statement(inlinePolicyOf(tf, 'marketing-campaigns_execution-role'), 'ReadAirflowSecrets').Resource).toEqual([
      'arn:aws:secretsmanager:eu-west-1:333333333333:secret:mkt/conn/*',
      'arn:aws:secretsmanager:eu-west-1:333333333333:secret:mkt/vars/*',
    ]);
    expect(resourceNamed(tf, 'aws_mwaa_environment', 'marketing-campaigns').airflow_configuration_options['secrets.backend_kwargs']).toBe(
      '{"connections_prefix":"mkt/conn","variables_prefix":"mkt/vars"}',
    );
  });

  it('has nothing else', () => {
    expect(policy.Statement.map((s: any) => s.Sid)).toEqual([
      'PublishMetrics',
      'DenyListAllBuckets',
      'ReadDagBucket',
      'CheckAccountPublicAccessBlock',
      'WriteOwnLogs',
      'DescribeLogGroups',
      'PutMetricData',
      'CeleryQueues',
      'KmsThroughSqsAndS3',
      'ReadAirflowSecrets',
      // The PyPI mirror (analytics has a requirements file); evaluated in test/iam/python-package-mirror.test.ts.
      'MirrorToken',
      'MirrorRead',
      'MirrorBearerToken',
    ]);
  });
});

describe("the team's access role", () => {
  const role = resourceNamed(analytics.tf, 'aws_iam_role', 'mwaa_access-role');

  it('is assumable by the principals of the team file', () => {
    expect(role.name).toBe('acme-data-analytics-airflow-access');
    expect(JSON.parse(role.assume_role_policy)).toEqual({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { AWS: ['arn:aws:iam::222222222222:role/AnalyticsEngineers'] }, Action: 'sts:AssumeRole' }],
    });
  });

  it("opens the UI, REST API and CLI of the team's environments as the named Airflow role only", () => {
    expect(inlinePolicyOf(analytics.tf, 'mwaa_access-role')).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'WebLoginAndRestApi',
          Effect: 'Allow',
          Action: ['airflow:CreateWebLoginToken', 'airflow:InvokeRestApi'],
          Resource: ['arn:aws:airflow:eu-west-1:222222222222:role/analytics-prod/User'],
        },
        {
          Sid: 'CliToken',
          Effect: 'Allow',
          Action: 'airflow:CreateCliToken',
          Resource: ['arn:aws:airflow:eu-west-1:222222222222:environment/analytics-prod'],
        },
      ],
    });
    expect(inlinePolicyOf(marketing.tf, 'mwaa_access-role').Statement[0].Resource).toEqual([
      'arn:aws:airflow:eu-west-1:333333333333:role/marketing-campaigns/Viewer',
    ]);
  });

  it('covers every environment of the team', () => {
    const config = configWith({ teams: { marketing: (t) => t.environments.push({ ...t.environments[0], name: 'marketing-dev' }) } });
    const policy = inlinePolicyOf(synthParticipant(config, 'marketing').tf, 'mwaa_access-role');
    expect(statement(policy, 'CliToken').Resource).toEqual([
      'arn:aws:airflow:eu-west-1:333333333333:environment/marketing-campaigns',
      'arn:aws:airflow:eu-west-1:333333333333:environment/marketing-dev',
    ]);
  });

  it('is not created without access principals', () => {
    const { tf } = synthParticipant(configWith({ teams: { marketing: (t) => delete t.access } }), 'marketing');
    expect(Object.keys(resourcesOf(tf, 'aws_iam_role')).filter((id) => id.includes('access-role'))).toEqual([]);
    expect(tf.output.mwaa_access_role_arn).toBeUndefined();
  });
});

describe('the environment security group', () => {
  const sgRef = `\${${addressOf(analytics.tf, 'aws_security_group', 'mwaa_security-group')}.id}`;
  const rules = (type: string) => Object.values(resourcesOf(analytics.tf, type)).filter((r: any) => r.security_group_id === sgRef) as any[];
  const strip = ({ description: _d, ...rule }: any) => rule;

  it('lives in the shared VPC', () => {
    expect(analytics.json).toHaveResourceWithProperties(SecurityGroup, {
      name: 'acme-data-analytics-mwaa',
      vpc_id: 'vpc-00000000000000001',
    });
    expect(resourceNamed(analytics.tf, 'aws_security_group', 'mwaa_security-group').ingress).toBeUndefined();
  });

  it('admits only its own members (no 0.0.0.0/0 ingress)', () => {
    expect(rules('aws_vpc_security_group_ingress_rule').map(strip)).toEqual([
      { security_group_id: sgRef, referenced_security_group_id: sgRef, ip_protocol: '-1' },
    ]);
  });

  it('sends only what MWAA needs: itself, HTTPS and PostgreSQL to the VPC, HTTPS to the S3 prefix list', () => {
    const egress = rules('aws_vpc_security_group_egress_rule').map(strip);
    expect(egress).toHaveLength(4);
    expect(egress).toEqual(
      expect.arrayContaining([
        { security_group_id: sgRef, referenced_security_group_id: sgRef, ip_protocol: '-1' },
        { security_group_id: sgRef, cidr_ipv4: '10.40.0.0/16', ip_protocol: 'tcp', from_port: 443, to_port: 443 },
        { security_group_id: sgRef, cidr_ipv4: '10.40.0.0/16', ip_protocol: 'tcp', from_port: 5432, to_port: 5432 },
        { security_group_id: sgRef, prefix_list_id: 'pl-00000000000000005', ip_protocol: 'tcp', from_port: 443, to_port: 443 },
      ]),
    );
  });
});

describe("the team's KMS key", () => {
  it('rotates and lets CloudWatch Logs use it for the airflow-<env>-* groups only', () => {
    expect(analytics.json).toHaveResourceWithProperties(KmsKey, { enable_key_rotation: true, deletion_window_in_days: 30 });
    expect(JSON.parse(resourceNamed(analytics.tf, 'aws_kms_key', 'mwaa_kms-key').policy)).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'AccountRootDelegatesToIam',
          Effect: 'Allow',
          Principal: { AWS: 'arn:aws:iam::222222222222:root' },
          Action: 'kms:*',
          Resource: '*',
        },
        {
          Sid: 'CloudWatchLogsForAirflowLogGroups',
          Effect: 'Allow',
          Principal: { Service: 'logs.eu-west-1.amazonaws.com' },
          Action: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
          Resource: '*',
          Condition: {
            ArnLike: { 'kms:EncryptionContext:aws:logs:arn': ['arn:aws:logs:eu-west-1:222222222222:log-group:airflow-analytics-prod-*'] },
          },
        },
      ],
    });
    expect(analytics.json).toHaveResourceWithProperties(KmsAlias, { name: 'alias/acme-data-analytics-mwaa' });
  });

  it('exists only when the team asks for customerManagedKey', () => {
    expect(Object.keys(resourcesOf(marketing.tf, 'aws_kms_key'))).toEqual([]);
  });
});

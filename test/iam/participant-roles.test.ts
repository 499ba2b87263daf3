/**
 * The participant account's IAM, evaluated with the IAM simulator against the synthesized stacks (policies are
 * read from the Terraform JSON, references resolved, never re-typed). Per role: the calls it must make in
 * production, with the request context AWS sends (allowed), and the abuses it must not be able to commit
 * (denied). AWS managed policies (EKS cluster and node roles, the VPC CNI) are invisible to the simulator; the
 * tables cover the inline policies and trusts the platform writes, and say so where a managed policy matters.
 */
import { loadFixture } from '../support/config-fixture';
import { decisions, roleOf, terraformRefs, type Decision, type SimulationCase } from '../support/iam';
import { synthOwner, synthParticipant } from '../support/synth';

const REGION = 'eu-west-1';
const OWNER = '111111111111';
const ANALYTICS = '222222222222';
const MARKETING = '333333333333';
const config = loadFixture();
const analytics = synthParticipant(config, 'analytics').tf;
const marketing = synthParticipant(config, 'marketing').tf;
const scope = { region: REGION, accountId: ANALYTICS };
const refs = terraformRefs(analytics, scope);
const owner = synthOwner(config).tf;
const ownerScope = { region: REGION, accountId: OWNER };

const resourceWhere = (tf: any, type: string, where: (r: any) => boolean): [string, any] => {
  const found = Object.entries(tf.resource?.[type] ?? {}).filter(([, r]) => where(r));
  if (found.length !== 1) throw new Error(`expected one ${type}, found ${found.length}`);
  return found[0] as [string, any];
};
const bucketNamed = (tf: any, suffix: string) =>
  resourceWhere(tf, 'aws_s3_bucket', (b) => String(b.bucket).endsWith(suffix))[1].bucket as string;
/** The bucket policy of a bucket (by its address), references resolved. */
const bucketPolicyOf = (tf: any, bucket: string) => {
  const [bucketId] = resourceWhere(tf, 'aws_s3_bucket', (b) => b.bucket === bucket);
  const [, policy] = resourceWhere(tf, 'aws_s3_bucket_policy', (p) => p.bucket === `\${aws_s3_bucket.${bucketId}.id}`);
  return JSON.parse(terraformRefs(tf, { region: REGION, accountId: tf === marketing ? MARKETING : ANALYTICS }).resolve(policy.policy));
};
/** The key policy of a key (by the alias naming it), references resolved; a key without one gets AWS's default. */
const keyOf = (tf: any, alias: string): { arn: string; policy: Record<string, unknown> } => {
  const [, aliasConfig] = resourceWhere(tf, 'aws_kms_alias', (a) => a.name === alias);
  const keyAddress = /^\$\{(aws_kms_key\.[^.]+)\.key_id\}$/.exec(aliasConfig.target_key_id)![1];
  const key = tf.resource.aws_kms_key[keyAddress.split('.')[1]];
  const keyArn = refs.resolve(`\${${keyAddress}.arn}`);
  // AWS's default key policy: the account root, which delegates the key's use to IAM policies.
  const defaultPolicy = {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'Enable IAM User Permissions',
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${ANALYTICS}:root` },
        Action: 'kms:*',
        Resource: '*',
      },
    ],
  };
  return { arn: keyArn, policy: key.policy ? JSON.parse(refs.resolve(key.policy)) : defaultPolicy };
};
const expectAll = (cases: readonly SimulationCase[], expected: Decision) =>
  decisions(cases).then((got) => expect(got).toEqual(Object.fromEntries(cases.map((c) => [c.name, expected]))));

const arn = {
  env: (name: string, account = ANALYTICS) => `arn:aws:airflow:${REGION}:${account}:environment/${name}`,
  airflowRole: (env: string, role: string) => `arn:aws:airflow:${REGION}:${ANALYTICS}:role/${env}/${role}`,
  logStream: (group: string) => `arn:aws:logs:${REGION}:${ANALYTICS}:log-group:${group}:log-stream:scheduler_1`,
  secret: (name: string) => `arn:aws:secretsmanager:${REGION}:${ANALYTICS}:secret:${name}-AbCdEf`,
  ssm: (name: string) => `arn:aws:ssm:${REGION}:${ANALYTICS}:parameter${name}`,
};
const TLS = { 'aws:SecureTransport': 'true' };

// ---------------------------------------------------------------------------------------------------------
describe('MWAA execution role (analytics-prod)', () => {
  const role = roleOf(analytics, 'analytics-prod-mwaa-execution', scope);
  const dagBucket = bucketNamed(analytics, `-mwaa-${ANALYTICS}`);
  const otherTeamBucket = bucketNamed(marketing, `-mwaa-${MARKETING}`);
  const { arn: teamKey, policy: teamKeyPolicy } = keyOf(analytics, 'alias/acme-data-analytics-mwaa');
  const own = { identityPolicies: role.identityPolicies, principal: role.arn };
  const withKey = { ...own, resourcePolicy: teamKeyPolicy };
  const onDagBucket = { ...own, resourcePolicy: bucketPolicyOf(analytics, dagBucket), context: TLS };
  const QUEUE = `arn:aws:sqs:${REGION}:999999999999:airflow-celery-1a2b3c4d-5e6f`;
  // The Celery queue is in an MWAA-owned account, whose queue policy admits the environment's execution role. That
  // policy is MWAA's, not ours: this stand-in admits the role, so the rows evaluate our (identity) side of the call.
  const onCeleryQueue = {
    ...own,
    resourcePolicy: {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { AWS: role.arn }, Action: 'sqs:*', Resource: QUEUE }],
    },
  };

  it('allows what MWAA does with it in production', () =>
    expectAll(
      [
        { name: 'read a DAG', ...onDagBucket, action: 's3:GetObject', resource: `arn:aws:s3:::${dagBucket}/dags/daily_sales.py` },
        {
          name: 'read requirements by version',
          ...onDagBucket,
          action: 's3:GetObjectVersion',
          resource: `arn:aws:s3:::${dagBucket}/environments/analytics-prod/requirements.txt`,
        },
        { name: 'list the DAG bucket', ...onDagBucket, action: 's3:ListBucket', resource: `arn:aws:s3:::${dagBucket}` },
        {
          name: 'check the account public access block',
          ...own,
          action: 's3:GetAccountPublicAccessBlock',
          resource: '*',
          resourceAccount: ANALYTICS,
        },
        {
          name: 'write its scheduler logs',
          ...own,
          action: 'logs:PutLogEvents',
          resource: arn.logStream('airflow-analytics-prod-Scheduler'),
        },
        { name: 'create its log streams', ...own, action: 'logs:CreateLogStream', resource: arn.logStream('airflow-analytics-prod-Task') },
        { name: 'publish environment metrics', ...own, action: 'airflow:PublishMetrics', resource: arn.env('analytics-prod') },
        { name: 'send to its Celery queue (MWAA account)', ...onCeleryQueue, action: 'sqs:SendMessage', resource: QUEUE },
        { name: 'receive from its Celery queue', ...onCeleryQueue, action: 'sqs:ReceiveMessage', resource: QUEUE },
        {
          name: 'decrypt with the team key through SQS',
          ...withKey,
          action: 'kms:Decrypt',
          resource: teamKey,
          context: { 'kms:ViaService': `sqs.${REGION}.amazonaws.com` },
        },
        {
          name: 'generate a data key through S3',
          ...withKey,
          action: 'kms:GenerateDataKey',
          resource: teamKey,
          context: { 'kms:ViaService': `s3.${REGION}.amazonaws.com` },
        },
        {
          name: 'read a connection of the secrets backend',
          ...own,
          action: 'secretsmanager:GetSecretValue',
          resource: arn.secret('airflow/connections/warehouse'),
        },
        {
          name: 'read a variable of the secrets backend',
          ...own,
          action: 'secretsmanager:GetSecretValue',
          resource: arn.secret('airflow/variables/threshold'),
        },
        {
          name: 'describe the team EKS cluster (EksPodOperator kubeconfig)',
          ...own,
          action: 'eks:DescribeCluster',
          resource: `arn:aws:eks:${REGION}:${ANALYTICS}:cluster/acme-data-analytics`,
        },
      ],
      'Allowed',
    ));

  it('denies reading another team bucket, writing its own, and everything outside its environment', () =>
    expectAll(
      [
        {
          name: 'read another team bucket',
          ...own,
          resourcePolicy: bucketPolicyOf(marketing, otherTeamBucket),
          context: TLS,
          action: 's3:GetObject',
          resource: `arn:aws:s3:::${otherTeamBucket}/dags/campaign_report.py`,
        },
        {
          name: 'write a DAG into its own bucket',
          ...onDagBucket,
          action: 's3:PutObject',
          resource: `arn:aws:s3:::${dagBucket}/dags/evil.py`,
        },
        {
          name: 'delete from its own bucket',
          ...onDagBucket,
          action: 's3:DeleteObject',
          resource: `arn:aws:s3:::${dagBucket}/dags/daily_sales.py`,
        },
        { name: 'change its own bucket policy', ...onDagBucket, action: 's3:PutBucketPolicy', resource: `arn:aws:s3:::${dagBucket}` },
        {
          name: 'read its bucket without TLS',
          ...onDagBucket,
          context: { 'aws:SecureTransport': 'false' },
          action: 's3:GetObject',
          resource: `arn:aws:s3:::${dagBucket}/dags/daily_sales.py`,
        },
        {
          name: 'write another environment logs',
          ...own,
          action: 'logs:PutLogEvents',
          resource: arn.logStream('airflow-other-env-Scheduler'),
        },
        {
          name: 'send to a queue that is not a Celery queue',
          ...own,
          action: 'sqs:SendMessage',
          resource: `arn:aws:sqs:${REGION}:${ANALYTICS}:acme-data-analytics-mwaa-status-forwarder-dlq`,
        },
        { name: 'decrypt with the team key directly', ...withKey, action: 'kms:Decrypt', resource: teamKey },
        {
          name: 'decrypt with the team key through Secrets Manager',
          ...withKey,
          action: 'kms:Decrypt',
          resource: teamKey,
          context: { 'kms:ViaService': `secretsmanager.${REGION}.amazonaws.com` },
        },
        {
          name: 'read a secret outside the backend prefixes',
          ...own,
          action: 'secretsmanager:GetSecretValue',
          resource: arn.secret('prod/database-admin'),
        },
        {
          name: 'write a backend secret',
          ...own,
          action: 'secretsmanager:PutSecretValue',
          resource: arn.secret('airflow/connections/warehouse'),
        },
        { name: 'publish metrics of another environment', ...own, action: 'airflow:PublishMetrics', resource: arn.env('other-env') },
        { name: 'update its own environment', ...own, action: 'airflow:UpdateEnvironment', resource: arn.env('analytics-prod') },
        {
          name: 'describe another cluster',
          ...own,
          action: 'eks:DescribeCluster',
          resource: `arn:aws:eks:${REGION}:${ANALYTICS}:cluster/other`,
        },
      ],
      expect.stringMatching(/Denied$/) as unknown as Decision,
    ));

  it('is assumable by MWAA for this environment only', () => {
    const trust = { identityPolicies: [], resourcePolicy: role.trustPolicy, action: 'sts:AssumeRole', resource: role.arn };
    const source = (env: string, account = ANALYTICS) => ({ 'aws:SourceAccount': account, 'aws:SourceArn': arn.env(env, account) });
    return decisions([
      { name: 'airflow-env for analytics-prod', ...trust, principal: 'airflow-env.amazonaws.com', context: source('analytics-prod') },
      { name: 'airflow for analytics-prod', ...trust, principal: 'airflow.amazonaws.com', context: source('analytics-prod') },
      { name: 'airflow for another environment', ...trust, principal: 'airflow.amazonaws.com', context: source('other-env') },
      {
        name: 'airflow for an environment of another account',
        ...trust,
        principal: 'airflow.amazonaws.com',
        context: source('analytics-prod', MARKETING),
      },
      { name: 'another service', ...trust, principal: 'lambda.amazonaws.com', context: source('analytics-prod') },
    ]).then((got) =>
      expect(got).toEqual({
        'airflow-env for analytics-prod': 'Allowed',
        'airflow for analytics-prod': 'Allowed',
        'airflow for another environment': 'ImplicitlyDenied',
        'airflow for an environment of another account': 'ImplicitlyDenied',
        'another service': 'ImplicitlyDenied',
      }),
    );
  });
});

// ---------------------------------------------------------------------------------------------------------
describe('team access role (Airflow UI, CLI, REST API)', () => {
  const role = roleOf(analytics, 'acme-data-analytics-airflow-access', scope);
  const own = { identityPolicies: role.identityPolicies, principal: role.arn };
  const configuredRole = config.teams.find((t) => t.team === 'analytics')!.access!.airflowRole;

  it(`allows web login, REST API and CLI as ${configuredRole} on the team environment`, () =>
    expectAll(
      [
        {
          name: 'web login token',
          ...own,
          action: 'airflow:CreateWebLoginToken',
          resource: arn.airflowRole('analytics-prod', configuredRole),
        },
        { name: 'REST API', ...own, action: 'airflow:InvokeRestApi', resource: arn.airflowRole('analytics-prod', configuredRole) },
        { name: 'CLI token', ...own, action: 'airflow:CreateCliToken', resource: arn.env('analytics-prod') },
      ],
      'Allowed',
    ));

  it('denies an Admin web token, another environment, and managing environments', () =>
    expectAll(
      [
        {
          name: 'Admin web login token',
          ...own,
          action: 'airflow:CreateWebLoginToken',
          resource: arn.airflowRole('analytics-prod', 'Admin'),
        },
        { name: 'Op REST API', ...own, action: 'airflow:InvokeRestApi', resource: arn.airflowRole('analytics-prod', 'Op') },
        {
          name: 'another environment web token',
          ...own,
          action: 'airflow:CreateWebLoginToken',
          resource: arn.airflowRole('other-env', configuredRole),
        },
        { name: 'another environment CLI token', ...own, action: 'airflow:CreateCliToken', resource: arn.env('other-env') },
        {
          name: 'another account environment CLI token',
          ...own,
          action: 'airflow:CreateCliToken',
          resource: arn.env('marketing-campaigns', MARKETING),
        },
        { name: 'update the environment', ...own, action: 'airflow:UpdateEnvironment', resource: arn.env('analytics-prod') },
        {
          name: 'read the DAG bucket',
          ...own,
          action: 's3:GetObject',
          resource: `arn:aws:s3:::${bucketNamed(analytics, `-mwaa-${ANALYTICS}`)}/dags/daily_sales.py`,
          resourceAccount: ANALYTICS,
        },
      ],
      'ImplicitlyDenied',
    ));

  it('is assumable by the configured principals only', () => {
    const trust = { identityPolicies: [], resourcePolicy: role.trustPolicy, action: 'sts:AssumeRole', resource: role.arn };
    return decisions([
      { name: 'AnalyticsEngineers', ...trust, principal: `arn:aws:iam::${ANALYTICS}:role/AnalyticsEngineers` },
      { name: 'another role of the account', ...trust, principal: `arn:aws:iam::${ANALYTICS}:role/Intern` },
    ]).then((got) => expect(got).toEqual({ AnalyticsEngineers: 'Allowed', 'another role of the account': 'ImplicitlyDenied' }));
  });
});

// ---------------------------------------------------------------------------------------------------------
describe('status event forwarder (EventBridge target role and dead-letter queue)', () => {
  const role = roleOf(analytics, 'acme-data-analytics-mwaa-status-forwarder', scope);
  const own = { identityPolicies: role.identityPolicies, principal: role.arn };
  const ownerBus = `arn:aws:events:${REGION}:${OWNER}:event-bus/acme-data-mwaa-status`;
  const rule = `arn:aws:events:${REGION}:${ANALYTICS}:rule/acme-data-analytics-mwaa-status-to-owner`;

  // Cross-account: the owner bus policy (from the owner stack) must admit the call too.
  const [, busPolicy] = resourceWhere(owner, 'aws_cloudwatch_event_bus_policy', () => true);
  const onOwnerBus = { resourcePolicy: terraformRefs(owner, ownerScope).resolve(busPolicy.policy) };
  const mwaaStatus = { 'events:source': ['aws.airflow'], 'events:detail-type': 'MWAA Environment Status Change' };

  it('puts no events on any other bus, nor other events on the owner bus', () =>
    expectAll(
      [
        {
          name: 'another event source on the owner bus',
          ...own,
          ...onOwnerBus,
          action: 'events:PutEvents',
          resource: ownerBus,
          context: { ...mwaaStatus, 'events:source': ['aws.ec2'] },
        },
        {
          name: 'another bus of the owner',
          ...own,
          ...onOwnerBus,
          context: mwaaStatus,
          action: 'events:PutEvents',
          resource: `arn:aws:events:${REGION}:${OWNER}:event-bus/default`,
        },
        {
          name: 'its own default bus',
          ...own,
          context: mwaaStatus,
          action: 'events:PutEvents',
          resource: `arn:aws:events:${REGION}:${ANALYTICS}:event-bus/default`,
        },
        {
          name: 'a bus of another account',
          ...own,
          context: mwaaStatus,
          action: 'events:PutEvents',
          resource: `arn:aws:events:${REGION}:${MARKETING}:event-bus/acme-data-mwaa-status`,
        },
      ],
      'ImplicitlyDenied',
    ));

  it('is allowed by its own policy to put MWAA status events on the owner bus', () =>
    expectAll(
      [
        {
          name: 'identity side (same account view)',
          ...own,
          action: 'events:PutEvents',
          resource: ownerBus,
          context: mwaaStatus,
          resourceAccount: ANALYTICS,
        },
      ],
      'Allowed',
    ));

  // The owner bus policy matches the multivalued events:source / events:detail-type keys with set operators.
  it('is admitted by the owner bus policy for MWAA status events (cross-account)', () =>
    expectAll(
      [{ name: 'owner status bus', ...own, ...onOwnerBus, action: 'events:PutEvents', resource: ownerBus, context: mwaaStatus }],
      'Allowed',
    ));

  it('is assumable by EventBridge for this rule only', () => {
    const trust = {
      identityPolicies: [],
      resourcePolicy: role.trustPolicy,
      action: 'sts:AssumeRole',
      resource: role.arn,
      principal: 'events.amazonaws.com',
    };
    return decisions([
      { name: 'this rule', ...trust, context: { 'aws:SourceAccount': ANALYTICS, 'aws:SourceArn': rule } },
      { name: 'another rule of the account', ...trust, context: { 'aws:SourceAccount': ANALYTICS, 'aws:SourceArn': `${rule}-copy` } },
      {
        name: 'a rule of another account',
        ...trust,
        context: { 'aws:SourceAccount': MARKETING, 'aws:SourceArn': rule.replace(ANALYTICS, MARKETING) },
      },
    ]).then((got) =>
      expect(got).toEqual({
        'this rule': 'Allowed',
        'another rule of the account': 'ImplicitlyDenied',
        'a rule of another account': 'ImplicitlyDenied',
      }),
    );
  });

  it('lets only this rule write to the dead-letter queue, over TLS', () => {
    const [queueId, queue] = resourceWhere(analytics, 'aws_sqs_queue', (q) => String(q.name).endsWith('-forwarder-dlq'));
    const [, policy] = resourceWhere(analytics, 'aws_sqs_queue_policy', (p) => p.queue_url === `\${aws_sqs_queue.${queueId}.url}`);
    const dlq = {
      identityPolicies: [],
      resourcePolicy: refs.resolve(policy.policy),
      action: 'sqs:SendMessage',
      resource: `arn:aws:sqs:${REGION}:${ANALYTICS}:${queue.name}`,
      principal: 'events.amazonaws.com',
    };
    return decisions([
      { name: 'this rule over TLS', ...dlq, context: { 'aws:SourceArn': rule, ...TLS } },
      { name: 'another rule', ...dlq, context: { 'aws:SourceArn': `${rule}-copy`, ...TLS } },
      { name: 'this rule without TLS', ...dlq, context: { 'aws:SourceArn': rule, 'aws:SecureTransport': 'false' } },
    ]).then((got) =>
      expect(got).toEqual({
        'this rule over TLS': 'Allowed',
        'another rule': 'ImplicitlyDenied',
        'this rule without TLS': 'ExplicitlyDenied',
      }),
    );
  });
});

// ---------------------------------------------------------------------------------------------------------
describe('endpoint reconcile role (read-only, for the owner endpoint manager)', () => {
  const role = roleOf(analytics, 'acme-data-mwaa-endpoint-reconcile', scope);
  const own = { identityPolicies: role.identityPolicies, principal: role.arn };

  it('lists and reads the account environments, and changes nothing', () =>
    decisions([
      { name: 'list environments', ...own, action: 'airflow:ListEnvironments', resource: '*', resourceAccount: ANALYTICS },
      { name: 'get an environment', ...own, action: 'airflow:GetEnvironment', resource: arn.env('analytics-prod') },
      {
        name: 'get an environment of another account',
        ...own,
        action: 'airflow:GetEnvironment',
        resource: arn.env('marketing-campaigns', MARKETING),
      },
      { name: 'update an environment', ...own, action: 'airflow:UpdateEnvironment', resource: arn.env('analytics-prod') },
      { name: 'delete an environment', ...own, action: 'airflow:DeleteEnvironment', resource: arn.env('analytics-prod') },
      { name: 'create a CLI token', ...own, action: 'airflow:CreateCliToken', resource: arn.env('analytics-prod') },
    ]).then((got) =>
      expect(got).toEqual({
        'list environments': 'Allowed',
        'get an environment': 'Allowed',
        'get an environment of another account': 'ImplicitlyDenied',
        'update an environment': 'ImplicitlyDenied',
        'delete an environment': 'ImplicitlyDenied',
        'create a CLI token': 'ImplicitlyDenied',
      }),
    ));

  it('is assumable by the owner endpoint manager role only', () => {
    // Cross-account: the caller's own policy (from the owner stack) must allow the AssumeRole too.
    const manager = roleOf(owner, 'acme-data-endpoint-manager', ownerScope);
    const trust = { resourcePolicy: role.trustPolicy, action: 'sts:AssumeRole', resource: role.arn };
    return decisions([
      { name: 'endpoint manager', ...trust, identityPolicies: manager.identityPolicies, principal: manager.arn },
      {
        name: 'another owner role with the same permissions',
        ...trust,
        identityPolicies: manager.identityPolicies,
        principal: `arn:aws:iam::${OWNER}:role/admin`,
      },
    ]).then((got) =>
      expect(got).toEqual({ 'endpoint manager': 'Allowed', 'another owner role with the same permissions': 'ImplicitlyDenied' }),
    );
  });
});

// ---------------------------------------------------------------------------------------------------------
describe('EKS cluster and node roles (inline policies; AmazonEKSClusterPolicy, AmazonEKSWorkerNodePolicy and the ECR pull policy are AWS managed)', () => {
  const cluster = roleOf(analytics, 'acme-data-analytics-eks-cluster', scope);
  const node = roleOf(analytics, 'acme-data-analytics-eks-node', scope);
  const { arn: secretsKey, policy: secretsKeyPolicy } = keyOf(analytics, 'alias/acme-data-analytics-eks-secrets');
  const otherKey = `arn:aws:kms:${REGION}:${ANALYTICS}:key/00000000-0000-4000-8000-000000000000`;
  const clusterArn = `arn:aws:eks:${REGION}:${ANALYTICS}:cluster/acme-data-analytics`;
  const asCluster = { identityPolicies: cluster.identityPolicies, principal: cluster.arn, resourcePolicy: secretsKeyPolicy };
  const asNode = { identityPolicies: node.identityPolicies, principal: node.arn };
  const repository = (name: string) => `arn:aws:ecr:${REGION}:${ANALYTICS}:repository/${name}`;

  it('lets the cluster envelope-encrypt secrets with its key only, and grant only to AWS resources', () =>
    decisions([
      { name: 'encrypt with the secrets key', ...asCluster, action: 'kms:Encrypt', resource: secretsKey },
      { name: 'decrypt with the secrets key', ...asCluster, action: 'kms:Decrypt', resource: secretsKey },
      {
        name: 'grant for an AWS resource',
        ...asCluster,
        action: 'kms:CreateGrant',
        resource: secretsKey,
        context: { 'kms:GrantIsForAWSResource': 'true' },
      },
      {
        name: 'grant for anyone',
        ...asCluster,
        action: 'kms:CreateGrant',
        resource: secretsKey,
        context: { 'kms:GrantIsForAWSResource': 'false' },
      },
      { name: 'decrypt with another key', ...asCluster, action: 'kms:Decrypt', resource: otherKey },
      { name: 'schedule the key deletion', ...asCluster, action: 'kms:ScheduleKeyDeletion', resource: secretsKey },
    ]).then((got) =>
      expect(got).toEqual({
        'encrypt with the secrets key': 'Allowed',
        'decrypt with the secrets key': 'Allowed',
        'grant for an AWS resource': 'Allowed',
        'grant for anyone': 'ImplicitlyDenied',
        'decrypt with another key': 'ImplicitlyDenied',
        'schedule the key deletion': 'ImplicitlyDenied',
      }),
    ));

  it('is assumable by EKS for this cluster only (aws:SourceAccount and aws:SourceArn)', () => {
    const trust = { identityPolicies: [], resourcePolicy: cluster.trustPolicy, resource: cluster.arn, principal: 'eks.amazonaws.com' };
    const source = (account: string, clusterName: string) => ({
      'aws:SourceAccount': account,
      'aws:SourceArn': `arn:aws:eks:${REGION}:${account}:cluster/${clusterName}`,
    });
    return decisions([
      { name: 'this cluster', ...trust, action: 'sts:AssumeRole', context: source(ANALYTICS, 'acme-data-analytics') },
      { name: 'this cluster, tagging the session', ...trust, action: 'sts:TagSession', context: source(ANALYTICS, 'acme-data-analytics') },
      { name: 'another cluster of the account', ...trust, action: 'sts:AssumeRole', context: source(ANALYTICS, 'other') },
      { name: 'a cluster of another account', ...trust, action: 'sts:AssumeRole', context: source(MARKETING, 'acme-data-analytics') },
    ]).then((got) =>
      expect(got).toEqual({
        'this cluster': 'Allowed',
        'this cluster, tagging the session': 'Allowed',
        'another cluster of the account': 'ImplicitlyDenied',
        'a cluster of another account': 'ImplicitlyDenied',
      }),
    );
  });

  it('lets nodes create cached ECR Public repositories under the cache prefix only', () =>
    decisions([
      {
        name: 'create a cached repository',
        ...asNode,
        action: 'ecr:CreateRepository',
        resource: repository('ecr-public/docker/library/alpine'),
      },
      {
        name: 'import an upstream image',
        ...asNode,
        action: 'ecr:BatchImportUpstreamImage',
        resource: repository('ecr-public/docker/library/alpine'),
      },
      { name: 'create any other repository', ...asNode, action: 'ecr:CreateRepository', resource: repository('team-images/app') },
      {
        name: 'delete a cached repository',
        ...asNode,
        action: 'ecr:DeleteRepository',
        resource: repository('ecr-public/docker/library/alpine'),
      },
      { name: 'describe the cluster', ...asNode, action: 'eks:DescribeCluster', resource: clusterArn },
    ]).then((got) =>
      expect(got).toEqual({
        'create a cached repository': 'Allowed',
        'import an upstream image': 'Allowed',
        'create any other repository': 'ImplicitlyDenied',
        'delete a cached repository': 'ImplicitlyDenied',
        // Managed AmazonEKSWorkerNodePolicy grants this in AWS; the simulator sees inline policies only.
        'describe the cluster': 'ImplicitlyDenied',
      }),
    ));

  it('attaches exactly the managed policies the docs name (the simulator cannot see their content)', () => {
    expect([...cluster.managedPolicyArns].sort()).toEqual(['arn:aws:iam::aws:policy/AmazonEKSClusterPolicy']);
    expect([...node.managedPolicyArns].sort()).toEqual([
      'arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPullOnly',
      'arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy',
    ]);
  });
});

// ---------------------------------------------------------------------------------------------------------
describe('IRSA roles of the sample pipeline', () => {
  const ISSUER = `oidc.eks.${REGION}.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE`;
  const [oidcId] = Object.keys(analytics.resource.aws_iam_openid_connect_provider);
  const OIDC_ARN = `arn:aws:iam::${ANALYTICS}:oidc-provider/${ISSUER}`;
  /** The trust document of an IRSA role, rendered from its aws_iam_policy_document data source. */
  const trustValues = () => {
    const values: Record<string, string> = { [`\${aws_iam_openid_connect_provider.${oidcId}.arn}`]: OIDC_ARN };
    for (const [id, doc] of Object.entries(analytics.data.aws_iam_policy_document as Record<string, any>)) {
      const Statement = doc.statement.map((s: any) => ({
        Sid: s.sid,
        Effect: s.effect,
        Action: s.actions,
        Principal: Object.fromEntries(s.principals.map((p: any) => [p.type, p.identifiers.map((i: string) => values[i] ?? i)])),
        Condition: Object.fromEntries(
          s.condition
            .map((c: any) => [c.test, { [String(c.variable).replace(/^\$\{replace\(aws_eks_cluster\.[^}]+\)\}/, ISSUER)]: c.values }])
            .reduce((merged: Array<[string, Record<string, string[]>]>, [test, kv]: [string, Record<string, string[]>]) => {
              const existing = merged.find(([t]) => t === test);
              if (existing) Object.assign(existing[1], kv);
              else merged.push([test, { ...kv }]);
              return merged;
            }, []),
        ),
      }));
      values[`\${data.aws_iam_policy_document.${id}.json}`] = JSON.stringify({ Version: '2012-10-17', Statement });
    }
    return values;
  };
  const irsaScope = { ...scope, values: trustValues() };
  const reader = roleOf(analytics, 'acme-data-analytics-analytics-source-bucket-reader', irsaScope);
  const writer = roleOf(analytics, 'acme-data-analytics-analytics-destination-bucket-writer', irsaScope);
  const source = bucketNamed(analytics, '-eks-source');
  const destination = bucketNamed(analytics, '-eks-destination');
  const asReader = { identityPolicies: reader.identityPolicies, principal: reader.arn, context: TLS };
  const asWriter = { identityPolicies: writer.identityPolicies, principal: writer.arn, context: TLS };
  const onSource = { resourcePolicy: bucketPolicyOf(analytics, source) };
  const onDestination = { resourcePolicy: bucketPolicyOf(analytics, destination) };

  it('lets the reader list the source bucket and read its parameter, and nothing that writes', () =>
    decisions([
      { name: 'list the source bucket', ...asReader, ...onSource, action: 's3:ListBucket', resource: `arn:aws:s3:::${source}` },
      {
        name: 'read the source-bucket parameter',
        ...asReader,
        action: 'ssm:GetParameter',
        resource: arn.ssm('/acme-data/analytics/eks-sample/source-bucket'),
        context: {},
      },
      { name: 'write to the source bucket', ...asReader, ...onSource, action: 's3:PutObject', resource: `arn:aws:s3:::${source}/x` },
      {
        name: 'write to the destination bucket',
        ...asReader,
        ...onDestination,
        action: 's3:PutObject',
        resource: `arn:aws:s3:::${destination}/x`,
      },
      { name: 'delete from the source bucket', ...asReader, ...onSource, action: 's3:DeleteObject', resource: `arn:aws:s3:::${source}/x` },
      {
        name: 'overwrite its parameter',
        ...asReader,
        action: 'ssm:PutParameter',
        resource: arn.ssm('/acme-data/analytics/eks-sample/source-bucket'),
        context: {},
      },
      {
        name: 'read the writer parameter',
        ...asReader,
        action: 'ssm:GetParameter',
        resource: arn.ssm('/acme-data/analytics/eks-sample/destination-bucket'),
        context: {},
      },
    ]).then((got) =>
      expect(got).toEqual({
        'list the source bucket': 'Allowed',
        'read the source-bucket parameter': 'Allowed',
        'write to the source bucket': 'ImplicitlyDenied',
        'write to the destination bucket': 'ImplicitlyDenied',
        'delete from the source bucket': 'ImplicitlyDenied',
        'overwrite its parameter': 'ImplicitlyDenied',
        'read the writer parameter': 'ImplicitlyDenied',
      }),
    ));

  it('lets the writer put objects into the destination bucket only', () =>
    decisions([
      {
        name: 'put into the destination bucket',
        ...asWriter,
        ...onDestination,
        action: 's3:PutObject',
        resource: `arn:aws:s3:::${destination}/out/result.json`,
      },
      {
        name: 'read the destination bucket',
        ...asWriter,
        ...onDestination,
        action: 's3:GetObject',
        resource: `arn:aws:s3:::${destination}/out/result.json`,
      },
      { name: 'put into the source bucket', ...asWriter, ...onSource, action: 's3:PutObject', resource: `arn:aws:s3:::${source}/x` },
      {
        name: 'put without TLS',
        ...asWriter,
        ...onDestination,
        context: { 'aws:SecureTransport': 'false' },
        action: 's3:PutObject',
        resource: `arn:aws:s3:::${destination}/x`,
      },
    ]).then((got) =>
      expect(got).toEqual({
        'put into the destination bucket': 'Allowed',
        'read the destination bucket': 'ImplicitlyDenied',
        'put into the source bucket': 'ImplicitlyDenied',
        'put without TLS': 'ExplicitlyDenied',
      }),
    ));

  // The simulator drops OIDC provider condition keys (`<issuer>:sub`, `<issuer>:aud`) as not applicable to
  // sts:AssumeRoleWithWebIdentity, so it cannot evaluate IRSA trusts; test/constructs/participant/eks/irsa.test.ts and the
  // IAM_IRSA_TRUST_SUB rule check them structurally. This pins the limitation: when the simulator learns the
  // keys, this fails and the trust rows belong here.
  it('cannot evaluate the IRSA trust (OIDC provider keys), which is checked structurally elsewhere', async () => {
    await expect(
      decisions([
        {
          name: 'reader service account',
          identityPolicies: [],
          resourcePolicy: reader.trustPolicy,
          action: 'sts:AssumeRoleWithWebIdentity',
          resource: reader.arn,
          principal: OIDC_ARN,
          context: { [`${ISSUER}:sub`]: 'system:serviceaccount:analytics:source-bucket-reader', [`${ISSUER}:aud`]: 'sts.amazonaws.com' },
        },
      ]),
    ).rejects.toThrow(/context keys .*:sub.*:aud do not apply/);
    expect(reader.trustPolicy).toMatchObject({
      Statement: [
        {
          Condition: {
            StringEquals: {
              [`${ISSUER}:sub`]: ['system:serviceaccount:analytics:source-bucket-reader'],
              [`${ISSUER}:aud`]: ['sts.amazonaws.com'],
            },
          },
        },
      ],
    });
  });
});

/**
 * The deploy and plan roles against what the fixture's stacks actually contain, without and with a recovery region
 * (test/support/recovery-fixture.ts): for every resource type in every stack (owner, owner-recovery, participant-*,
 * recovery-*), in the stack's own region, the call that creates it is allowed to that account's deploy role and the call
 * that refreshes it to its plan role (the plan role may not make the create call). A resource type the table does
 * not know fails the test, so a construct that adds a new kind of resource must say which permissions it needs.
 * Evaluated with @cloud-copilot/iam-simulate on the documents the bootstrap stacks synthesize.
 */
import { runSimulation } from '@cloud-copilot/iam-simulate';
import { deployPermissions, planPermissions, type PolicyDocument } from '../../../constructs/bootstrap/policies';
import { bootstrapPlan, validateBootstrap, type BootstrapPlan } from '../../../model/bootstrap';
import { OWNER_STACK, RECOVERY_OWNER_STACK, teamOfRecoveryStack, teamOfStack } from '../../../contracts/names';
import { loadPlatformConfig } from '../../../model/load';
import type { PlatformConfig } from '../../../model/model';
import { synthAll } from '../../support/addresses';
import { FIXTURE_CONFIG } from '../../support/config-fixture';
import { recoveryConfigWith } from '../../support/recovery-fixture';

/** A call: action, resource ARN (or `*`), condition context. */
type Call = readonly [action: string, resource: string, context?: Record<string, string>];
interface Needs {
  readonly create: Call;
  readonly refresh: Call;
  /** Further calls only the deploy role makes for the type (update paths, passed roles). */
  readonly deployAlso?: readonly Call[];
}

/** What creating and refreshing each resource type calls, in account `a` and the stack's region. */
function needsOf(type: string, stack: string, a: string, platform: string, region: string): Needs | undefined {
  const alarm = stack.startsWith(OWNER_STACK) ? `${platform}-endpoint-manager-errors` : 'example-prod-scheduler-heartbeat';
  const arn = (service: string, resource: string) => `arn:aws:${service}:${region}:${a}:${resource}`;
  const ec2 = (resource: string) => arn('ec2', resource);
  const role = `arn:aws:iam::${a}:role/${platform}-example`;
  const bucket = `arn:aws:s3:::${platform}-example-${a}`;
  const domain = arn('codeartifact', `domain/${platform}`);
  const repository = arn('codeartifact', `repository/${platform}/pypi`);
  const cluster = arn('eks', `cluster/${platform}-example`);
  const key = arn('kms', 'key/1234abcd-12ab-34cd-56ef-1234567890ab');
  const table: Record<string, Needs> = {
    aws_cloudwatch_event_bus: {
      create: ['events:CreateEventBus', arn('events', `event-bus/${platform}-mwaa-status`)],
      refresh: ['events:DescribeEventBus', arn('events', `event-bus/${platform}-mwaa-status`)],
    },
    aws_cloudwatch_event_bus_policy: {
      create: ['events:PutPermission', '*'],
      refresh: ['events:DescribeEventBus', arn('events', `event-bus/${platform}-mwaa-status`)],
    },
    aws_cloudwatch_event_rule: {
      create: ['events:PutRule', arn('events', `rule/${platform}-example`)],
      refresh: ['events:DescribeRule', arn('events', `rule/${platform}-example`)],
    },
    aws_cloudwatch_event_target: {
      create: ['events:PutTargets', arn('events', `rule/${platform}-example`)],
      refresh: ['events:ListTargetsByRule', arn('events', `rule/${platform}-example`)],
    },
    aws_cloudwatch_log_group: {
      create: ['logs:CreateLogGroup', arn('logs', 'log-group:/aws/lambda/example')],
      refresh: ['logs:DescribeLogGroups', '*'],
    },
    // The owners' endpoint-manager alarms; the participants' scheduler heartbeat alarms, named after the environment.
    aws_cloudwatch_metric_alarm: {
      create: ['cloudwatch:PutMetricAlarm', arn('cloudwatch', `alarm:${alarm}`)],
      refresh: ['cloudwatch:DescribeAlarms', arn('cloudwatch', `alarm:${alarm}`)],
    },
    aws_codeartifact_domain: { create: ['codeartifact:CreateDomain', '*'], refresh: ['codeartifact:DescribeDomain', domain] },
    aws_codeartifact_domain_permissions_policy: {
      create: ['codeartifact:PutDomainPermissionsPolicy', domain],
      refresh: ['codeartifact:GetDomainPermissionsPolicy', domain],
    },
    aws_codeartifact_repository: {
      create: ['codeartifact:AssociateExternalConnection', repository],
      refresh: ['codeartifact:DescribeRepository', repository],
    },
    aws_codeartifact_repository_permissions_policy: {
      create: ['codeartifact:PutRepositoryPermissionsPolicy', repository],
      refresh: ['codeartifact:GetRepositoryPermissionsPolicy', repository],
    },
    aws_default_security_group: {
      create: ['ec2:RevokeSecurityGroupIngress', ec2('security-group/sg-0123456789abcdef0')],
      refresh: ['ec2:DescribeSecurityGroups', '*'],
    },
    aws_ecr_pull_through_cache_rule: {
      create: ['ecr:CreatePullThroughCacheRule', '*'],
      refresh: ['ecr:DescribePullThroughCacheRules', '*'],
    },
    aws_eks_access_entry: {
      create: ['eks:CreateAccessEntry', cluster],
      refresh: ['eks:DescribeAccessEntry', arn('eks', `access-entry/${platform}-example/role/${a}/x/abc`)],
    },
    aws_eks_access_policy_association: {
      create: ['eks:AssociateAccessPolicy', arn('eks', `access-entry/${platform}-example/role/${a}/x/abc`)],
      refresh: ['eks:ListAssociatedAccessPolicies', arn('eks', `access-entry/${platform}-example/role/${a}/x/abc`)],
    },
    aws_eks_addon: {
      create: ['eks:CreateAddon', cluster],
      refresh: ['eks:DescribeAddon', arn('eks', `addon/${platform}-example/vpc-cni/abc`)],
    },
    aws_eks_cluster: { create: ['eks:CreateCluster', '*'], refresh: ['eks:DescribeCluster', cluster] },
    aws_eks_node_group: {
      create: ['eks:CreateNodegroup', cluster],
      refresh: ['eks:DescribeNodegroup', arn('eks', `nodegroup/${platform}-example/workers/abc`)],
    },
    aws_flow_log: { create: ['ec2:CreateFlowLogs', ec2('vpc-flow-log/fl-0123456789abcdef0')], refresh: ['ec2:DescribeFlowLogs', '*'] },
    aws_iam_openid_connect_provider: {
      create: ['iam:CreateOpenIDConnectProvider', `arn:aws:iam::${a}:oidc-provider/oidc.eks.${region}.amazonaws.com/id/ABC`],
      refresh: ['iam:GetOpenIDConnectProvider', `arn:aws:iam::${a}:oidc-provider/oidc.eks.${region}.amazonaws.com/id/ABC`],
    },
    aws_iam_role: { create: ['iam:CreateRole', role], refresh: ['iam:GetRole', role] },
    aws_iam_role_policy: { create: ['iam:PutRolePolicy', role], refresh: ['iam:GetRolePolicy', role] },
    aws_iam_role_policy_attachment: {
      create: ['iam:AttachRolePolicy', role, { 'iam:PolicyARN': 'arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy' }],
      refresh: ['iam:ListAttachedRolePolicies', role],
    },
    aws_kms_alias: { create: ['kms:CreateAlias', arn('kms', `alias/${platform}-example`)], refresh: ['kms:ListAliases', '*'] },
    aws_kms_key: { create: ['kms:CreateKey', '*'], refresh: ['kms:GetKeyPolicy', key] },
    aws_lambda_function: {
      create: ['lambda:CreateFunction', arn('lambda', `function:${platform}-endpoint-manager`)],
      refresh: ['lambda:GetFunction', arn('lambda', `function:${platform}-endpoint-manager`)],
    },
    aws_lambda_permission: {
      create: ['lambda:AddPermission', arn('lambda', `function:${platform}-endpoint-manager`)],
      refresh: ['lambda:GetPolicy', arn('lambda', `function:${platform}-endpoint-manager`)],
    },
    aws_launch_template: {
      create: ['ec2:CreateLaunchTemplate', ec2('launch-template/lt-0123456789abcdef0')],
      refresh: ['ec2:DescribeLaunchTemplateVersions', '*'],
    },
    aws_mwaa_environment: {
      create: ['airflow:CreateEnvironment', arn('airflow', 'environment/example')],
      refresh: ['airflow:GetEnvironment', arn('airflow', 'environment/example')],
    },
    aws_ram_principal_association: {
      create: ['ram:AssociateResourceShare', arn('ram', 'resource-share/abc')],
      refresh: ['ram:GetResourceShareAssociations', '*'],
    },
    aws_ram_resource_association: {
      create: ['ram:AssociateResourceShare', arn('ram', 'resource-share/abc')],
      refresh: ['ram:GetResourceShareAssociations', '*'],
    },
    aws_ram_resource_share: { create: ['ram:CreateResourceShare', '*'], refresh: ['ram:GetResourceShares', '*'] },
    aws_route_table: {
      create: ['ec2:CreateRouteTable', ec2('route-table/rtb-0123456789abcdef0')],
      refresh: ['ec2:DescribeRouteTables', '*'],
    },
    aws_route_table_association: {
      create: ['ec2:AssociateRouteTable', ec2('route-table/rtb-0123456789abcdef0')],
      refresh: ['ec2:DescribeRouteTables', '*'],
    },
    aws_s3_bucket: { create: ['s3:CreateBucket', bucket], refresh: ['s3:ListBucket', bucket] },
    aws_s3_bucket_ownership_controls: {
      create: ['s3:PutBucketOwnershipControls', bucket],
      refresh: ['s3:GetBucketOwnershipControls', bucket],
    },
    aws_s3_bucket_replication_configuration: {
      create: ['s3:PutReplicationConfiguration', bucket],
      refresh: ['s3:GetReplicationConfiguration', bucket],
      // S3 takes the replication role: PutBucketReplication needs iam:PassRole on it.
      deployAlso: [['iam:PassRole', role, { 'iam:PassedToService': 's3.amazonaws.com' }]],
    },
    aws_s3_bucket_policy: { create: ['s3:PutBucketPolicy', bucket], refresh: ['s3:GetBucketPolicy', bucket] },
    aws_s3_bucket_public_access_block: {
      create: ['s3:PutBucketPublicAccessBlock', bucket],
      refresh: ['s3:GetBucketPublicAccessBlock', bucket],
    },
    aws_s3_bucket_server_side_encryption_configuration: {
      create: ['s3:PutEncryptionConfiguration', bucket],
      refresh: ['s3:GetEncryptionConfiguration', bucket],
    },
    aws_s3_bucket_versioning: { create: ['s3:PutBucketVersioning', bucket], refresh: ['s3:GetBucketVersioning', bucket] },
    aws_s3_object: { create: ['s3:PutObject', `${bucket}/dags/example.py`], refresh: ['s3:GetObject', `${bucket}/dags/example.py`] },
    aws_secretsmanager_secret: {
      create: ['secretsmanager:CreateSecret', arn('secretsmanager', 'secret:airflow/connections/example-AbCdEf')],
      refresh: ['secretsmanager:DescribeSecret', arn('secretsmanager', 'secret:airflow/connections/example-AbCdEf')],
      // The provider's update and delete of a `replica` block (internal/service/secretsmanager/secret.go).
      deployAlso: [
        ['secretsmanager:ReplicateSecretToRegions', arn('secretsmanager', 'secret:airflow/connections/example-AbCdEf')],
        ['secretsmanager:RemoveRegionsFromReplication', arn('secretsmanager', 'secret:airflow/connections/example-AbCdEf')],
      ],
    },
    aws_secretsmanager_secret_version: {
      create: ['secretsmanager:PutSecretValue', arn('secretsmanager', 'secret:airflow/connections/example-AbCdEf')],
      refresh: ['secretsmanager:GetSecretValue', arn('secretsmanager', 'secret:airflow/connections/example-AbCdEf')],
    },
    aws_security_group: {
      create: ['ec2:CreateSecurityGroup', ec2('security-group/sg-0123456789abcdef0')],
      refresh: ['ec2:DescribeSecurityGroups', '*'],
    },
    aws_sns_topic: {
      create: ['sns:CreateTopic', arn('sns', `${platform}-example-alarms`)],
      refresh: ['sns:GetTopicAttributes', arn('sns', `${platform}-example-alarms`)],
      deployAlso: [['sns:DeleteTopic', arn('sns', `${platform}-example-alarms`)]],
    },
    aws_sns_topic_policy: {
      create: ['sns:SetTopicAttributes', arn('sns', `${platform}-example-alarms`)],
      refresh: ['sns:GetTopicAttributes', arn('sns', `${platform}-example-alarms`)],
    },
    aws_sqs_queue: {
      create: ['sqs:CreateQueue', arn('sqs', `${platform}-example-dlq`)],
      refresh: ['sqs:GetQueueAttributes', arn('sqs', `${platform}-example-dlq`)],
    },
    aws_sqs_queue_policy: {
      create: ['sqs:SetQueueAttributes', arn('sqs', `${platform}-example-dlq`)],
      refresh: ['sqs:GetQueueAttributes', arn('sqs', `${platform}-example-dlq`)],
    },
    aws_ssm_parameter: {
      create: ['ssm:PutParameter', arn('ssm', `parameter/${platform}/example`)],
      refresh: ['ssm:GetParameter', arn('ssm', `parameter/${platform}/example`)],
    },
    aws_subnet: { create: ['ec2:CreateSubnet', ec2('subnet/subnet-0123456789abcdef0')], refresh: ['ec2:DescribeSubnets', '*'] },
    aws_vpc: { create: ['ec2:CreateVpc', ec2('vpc/vpc-0123456789abcdef0')], refresh: ['ec2:DescribeVpcs', '*'] },
    aws_vpc_endpoint: {
      create: ['ec2:CreateVpcEndpoint', ec2('vpc-endpoint/vpce-0123456789abcdef0')],
      refresh: ['ec2:DescribeVpcEndpoints', '*'],
    },
    aws_vpc_security_group_egress_rule: {
      create: ['ec2:AuthorizeSecurityGroupEgress', ec2('security-group/sg-0123456789abcdef0')],
      refresh: ['ec2:DescribeSecurityGroupRules', '*'],
    },
    aws_vpc_security_group_ingress_rule: {
      create: ['ec2:AuthorizeSecurityGroupIngress', ec2('security-group/sg-0123456789abcdef0')],
      refresh: ['ec2:DescribeSecurityGroupRules', '*'],
    },
  };
  return table[type];
}

const defaultKeyPolicy = (accountId: string) => ({
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'Enable IAM User Permissions',
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${accountId}:root` },
      Action: 'kms:*',
      Resource: '*',
    },
  ],
});

async function decide(
  principal: string,
  identity: PolicyDocument,
  accountId: string,
  region: string,
  [action, resource, context]: Call,
): Promise<string> {
  const result = await runSimulation(
    {
      request: {
        principal,
        action,
        resource: { resource, accountId },
        contextVariables: { 'aws:RequestedRegion': region, 'aws:SecureTransport': 'true', 'aws:PrincipalArn': principal, ...context },
      },
      identityPolicies: [{ name: 'permissions', policy: identity }],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      // The stacks' keys keep KMS's default key policy, which lets the account's IAM policies decide.
      ...(/^arn:aws:kms:[^:]*:\d+:key\//.test(resource) ? { resourcePolicy: defaultKeyPolicy(accountId) } : {}),
    },
    {},
  );
  // An invalid request (e.g. an action that authorizes only on `*` asked with an ARN) is a row of the table to fix.
  if (result.resultType === 'error') return `invalid (${JSON.stringify(result.errors)})`;
  if (result.resultType !== 'single') throw new Error(`unexpected ${result.resultType}`);
  return result.overallResult === 'Allowed' ? 'Allowed' : 'Denied';
}

interface StackTypes {
  readonly stack: string;
  readonly accountId: string;
  readonly region: string;
  readonly types: string[];
}

function bootstrapOf(dir: string): { plan: BootstrapPlan; config: PlatformConfig } {
  const config = loadPlatformConfig(dir);
  const problems = validateBootstrap(config);
  if (problems.length > 0) throw new Error(problems.map((p) => `${p.path}: ${p.message}`).join('\n'));
  return { plan: bootstrapPlan(config), config };
}

function stacksOf(config: PlatformConfig): StackTypes[] {
  const accountOf = (stack: string) => {
    if (stack === OWNER_STACK || stack === RECOVERY_OWNER_STACK) return config.platform.owner.accountId;
    const team = teamOfRecoveryStack(stack) ?? teamOfStack(stack);
    return config.teams.find((t) => t.team === team)!.accountId;
  };
  const regionOf = (stack: string) =>
    stack === RECOVERY_OWNER_STACK || teamOfRecoveryStack(stack) !== undefined ? config.platform.recovery!.region : config.platform.region;
  return [...synthAll(config)].map(([stack, tf]) => ({
    stack,
    accountId: accountOf(stack),
    region: regionOf(stack),
    types: Object.keys(tf.resource ?? {}).sort(),
  }));
}

const fixtures: Record<string, { plan: BootstrapPlan; stacks: StackTypes[] }> = {};
beforeAll(() => {
  for (const [name, dir] of [
    ['without recovery', FIXTURE_CONFIG],
    ['with recovery', recoveryConfigWith()],
  ] as const) {
    const { plan, config } = bootstrapOf(dir);
    fixtures[name] = { plan, stacks: stacksOf(config) };
  }
});

describe('the fixtures walk every kind of stack', () => {
  it('without recovery: owner, analytics with EKS, marketing, and the PyPI mirror', () => {
    const { stacks } = fixtures['without recovery'];
    expect(stacks.map((s) => s.stack).sort()).toEqual(['owner', 'participant-analytics', 'participant-marketing']);
    expect(stacks.find((s) => s.stack === 'owner')!.types).toContain('aws_codeartifact_domain');
  });

  it('with recovery: both owners and both teams’ recovery stacks, in us-west-2, with the alarm topics, replication and replicated secret', () => {
    const { stacks } = fixtures['with recovery'];
    expect(stacks.map((s) => `${s.stack} ${s.region}`).sort()).toEqual([
      'owner eu-west-1',
      'owner-recovery us-west-2',
      'participant-analytics eu-west-1',
      'participant-marketing eu-west-1',
      'recovery-analytics us-west-2',
      'recovery-marketing us-west-2',
    ]);
    const types = (stack: string) => stacks.find((s) => s.stack === stack)!.types;
    expect(types('owner-recovery')).toEqual(
      expect.arrayContaining(['aws_sns_topic', 'aws_sns_topic_policy', 'aws_kms_key', 'aws_kms_alias']),
    );
    expect(types('participant-analytics')).toEqual(
      expect.arrayContaining(['aws_sns_topic', 'aws_s3_bucket_replication_configuration', 'aws_secretsmanager_secret']),
    );
  });
});

describe.each(['without recovery', 'with recovery'])('deploy and plan roles cover every resource type of the stacks (%s)', (name) => {
  it('knows what every resource type of the stacks calls', () => {
    const { plan, stacks } = fixtures[name];
    const unknown = stacks.flatMap((s) =>
      s.types.filter((t) => !needsOf(t, s.stack, s.accountId, plan.platform, s.region)).map((t) => `${s.stack}: ${t}`),
    );
    expect(unknown).toEqual([]);
  });

  it('the deploy role of each stack account may create each of its resources in the stack’s region; the plan role may refresh but not create them', async () => {
    const { plan, stacks } = fixtures[name];
    const wrong: string[] = [];
    for (const s of stacks) {
      const account = plan.accounts.find((a) => a.accountId === s.accountId)!;
      const deploy = deployPermissions(plan, account);
      const planRole = planPermissions(plan, s.accountId);
      const deployArn = `arn:aws:iam::${s.accountId}:role/${account.deployRoleName}`;
      const planArn = `arn:aws:iam::${s.accountId}:role/${plan.planRoleName}`;
      for (const type of s.types) {
        const needs = needsOf(type, s.stack, s.accountId, plan.platform, s.region)!;
        const ask = (who: string, arn: string, doc: PolicyDocument, call: Call, expected: string) =>
          decide(arn, doc, s.accountId, s.region, call).then(
            (got) => got !== expected && wrong.push(`${s.stack} ${type}: ${who} ${call[0]} on ${call[1]} is ${got}, expected ${expected}`),
          );
        await ask('deploy', deployArn, deploy, needs.create, 'Allowed');
        await ask('deploy', deployArn, deploy, needs.refresh, 'Allowed');
        for (const call of needs.deployAlso ?? []) await ask('deploy', deployArn, deploy, call, 'Allowed');
        await ask('plan', planArn, planRole, needs.refresh, 'Allowed');
        await ask('plan', planArn, planRole, needs.create, 'Denied');
      }
    }
    expect(wrong).toEqual([]);
  });
});

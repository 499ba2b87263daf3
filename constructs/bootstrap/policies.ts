/**
 * The IAM documents of the bootstrap stacks, as pure functions of the bootstrap plan, so the trust and
 * permissions are evaluated with @cloud-copilot/iam-simulate exactly as they are synthesized.
 *
 * Trust: in every account the deploy role accepts (1) a GitHub Actions token of the configured repository's
 * deploy branch or environment (`:aud` = sts.amazonaws.com, `:sub` exact) and (2) the state account's deploy role
 * (the session CI signs in to first; Terraform's providers chain from it into each account). The plan role is the
 * same with the pull-request `sub` and the state account's plan role. Chained trust names the account root with an
 * `aws:PrincipalArn` condition, not the role ARN as principal, so the accounts can be bootstrapped in any order
 * (IAM refuses a trust policy whose principal role does not exist yet).
 */
import { GITHUB_OIDC_AUDIENCE, GITHUB_OIDC_HOST } from '../../contracts/bootstrap';
import { accountRootArn, awsManagedPolicyArn, formatArn, iamRoleArn } from '../../contracts/aws';
import { heartbeatAlarmName } from '../../contracts/names';
import { githubClaim, type BootstrapAccount, type BootstrapPlan } from '../../model/bootstrap';
import { policyDocument, type PolicyDocument, type PolicyStatement } from '../common/policy-document';
import { denyInsecureTransport } from '../common/resource-policies';

export type { PolicyDocument } from '../common/policy-document';
/** Every bootstrap statement has a Sid: the simulation tests and the reviewers name statements by it. */
export type Statement = PolicyStatement & { readonly Sid: string };

const doc = (...statements: Array<Statement | false>): PolicyDocument => policyDocument(statements);

export const oidcProviderArn = (plan: BootstrapPlan, accountId: string): string =>
  formatArn({
    partition: plan.partition,
    service: 'iam',
    region: '',
    account: accountId,
    resource: 'oidc-provider',
    resourceName: GITHUB_OIDC_HOST,
  });
const root = (plan: BootstrapPlan, accountId: string) => accountRootArn(plan.partition, accountId);
export const deployRoleArnOf = (plan: BootstrapPlan, account: BootstrapAccount): string =>
  iamRoleArn(plan.partition, account.accountId, account.deployRoleName);
export const planRoleArnOf = (plan: BootstrapPlan, accountId: string): string => iamRoleArn(plan.partition, accountId, plan.planRoleName);
const stateAccount = (plan: BootstrapPlan): BootstrapAccount => plan.accounts.find((a) => a.accountId === plan.stateAccountId)!;

function githubTrust(plan: BootstrapPlan, accountId: string, subjects: readonly string[]): Statement {
  return {
    Sid: 'GitHubActions',
    Effect: 'Allow',
    Principal: { Federated: oidcProviderArn(plan, accountId) },
    Action: 'sts:AssumeRoleWithWebIdentity',
    Condition: { StringEquals: { [githubClaim('aud')]: GITHUB_OIDC_AUDIENCE, [githubClaim('sub')]: [...subjects] } },
  };
}

function chainedTrust(plan: BootstrapPlan, entryRoleArn: string): Statement {
  return {
    Sid: 'ChainFromStateAccount',
    Effect: 'Allow',
    Principal: { AWS: root(plan, plan.stateAccountId) },
    Action: 'sts:AssumeRole',
    Condition: { ArnEquals: { 'aws:PrincipalArn': entryRoleArn } },
  };
}

/**
 * The configured operators (`ci.operatorRoleArns`), in the state account only: people running the runbook's steps
 * by hand sign in where CI does, and chain into the other accounts the same way.
 */
function operatorTrust(plan: BootstrapPlan, accountId: string): Statement | false {
  if (accountId !== plan.stateAccountId || plan.operatorRoleArns.length === 0) return false;
  return {
    Sid: 'Operators',
    Effect: 'Allow',
    Principal: { AWS: root(plan, plan.stateAccountId) },
    Action: 'sts:AssumeRole',
    Condition: { ArnLike: { 'aws:PrincipalArn': [...plan.operatorRoleArns] } },
  };
}

/** Deploy role trust: the deploy branch/environment of the repository, or the state account's deploy role (and its operators). */
export function deployTrustPolicy(plan: BootstrapPlan, account: BootstrapAccount): PolicyDocument {
  return doc(
    githubTrust(plan, account.accountId, plan.github.deploySubjects),
    chainedTrust(plan, deployRoleArnOf(plan, stateAccount(plan))),
    operatorTrust(plan, account.accountId),
  );
}

/** Plan role trust: the repository's pull requests, or the state account's plan role (and its operators). */
export function planTrustPolicy(plan: BootstrapPlan, accountId: string): PolicyDocument {
  return doc(
    githubTrust(plan, accountId, plan.github.planSubjects),
    chainedTrust(plan, planRoleArnOf(plan, plan.stateAccountId)),
    operatorTrust(plan, accountId),
  );
}

const bucketArn = (plan: BootstrapPlan) =>
  formatArn({ partition: plan.partition, service: 's3', region: '', account: '', resource: plan.state.bucket });
const stateObjects = (plan: BootstrapPlan) => `${bucketArn(plan)}/${plan.state.keyPrefix ? `${plan.state.keyPrefix}/` : ''}*`;
const stateKeys = (plan: BootstrapPlan) =>
  formatArn({
    partition: plan.partition,
    service: 'kms',
    region: plan.region,
    account: plan.stateAccountId,
    resource: 'key',
    resourceName: '*',
  });
const lockTable = (plan: BootstrapPlan) =>
  plan.state.dynamodbTable &&
  formatArn({
    partition: plan.partition,
    service: 'dynamodb',
    region: plan.region,
    account: plan.stateAccountId,
    resource: 'table',
    resourceName: plan.state.dynamodbTable,
  });
/** Only the state key, whichever key id it gets: matched by its alias, through S3 only. */
const viaStateKeyAlias = (plan: BootstrapPlan) => ({
  'ForAnyValue:StringEquals': { 'kms:ResourceAliases': plan.state.kmsKeyAlias },
  StringEquals: { 'kms:ViaService': `s3.${plan.region}.amazonaws.com` },
});

/** Reading and writing state (both roles read; only the deploy role writes state and the lock file). */
function stateAccess(plan: BootstrapPlan, write: boolean): Statement[] {
  const table = lockTable(plan);
  return [
    { Sid: 'StateList', Effect: 'Allow', Action: 's3:ListBucket', Resource: bucketArn(plan) },
    {
      Sid: write ? 'StateReadWrite' : 'StateRead',
      Effect: 'Allow',
      Action: write ? ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'] : ['s3:GetObject'],
      Resource: stateObjects(plan),
    },
    {
      Sid: 'StateKey',
      Effect: 'Allow',
      Action: write ? ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey'] : ['kms:Decrypt'],
      Resource: stateKeys(plan),
      Condition: viaStateKeyAlias(plan),
    },
    ...(table
      ? [
          {
            Sid: 'StateLockTable',
            Effect: 'Allow' as const,
            Action: write
              ? ['dynamodb:DescribeTable', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:DeleteItem']
              : ['dynamodb:DescribeTable', 'dynamodb:GetItem'],
            Resource: table,
          },
        ]
      : []),
  ];
}

/** Managed policies the participant stacks attach (EKS cluster and nodes); nothing else may be attached. */
export const ATTACHABLE_MANAGED_POLICIES = [
  'AmazonEKSClusterPolicy',
  'AmazonEKSWorkerNodePolicy',
  'AmazonEKS_CNI_Policy',
  'AmazonEC2ContainerRegistryPullOnly',
];
/** Services the stacks hand roles to. */
export const PASS_ROLE_SERVICES = [
  'airflow.amazonaws.com',
  'airflow-env.amazonaws.com',
  'lambda.amazonaws.com',
  'eks.amazonaws.com',
  'ec2.amazonaws.com',
  'vpc-flow-logs.amazonaws.com',
  'events.amazonaws.com',
  // S3 replication (PutBucketReplication passes the replication role).
  's3.amazonaws.com',
];
/** Service-linked roles the services create on first use in an account. */
export const SERVICE_LINKED_ROLES = [
  'airflow.amazonaws.com',
  'eks.amazonaws.com',
  'eks-nodegroup.amazonaws.com',
  'autoscaling.amazonaws.com',
  'ram.amazonaws.com',
];
/** The platform's regions as `aws:RequestedRegion` values: one string for one region (the documents stay as they were). */
const requestedRegions = (plan: BootstrapPlan): string | string[] => (plan.regions.length === 1 ? plan.regions[0] : [...plan.regions]);

/** Global services (no region): exempt from the region pin. */
const GLOBAL_ACTIONS = ['iam:*', 'sts:*', 'organizations:Describe*', 'organizations:List*', 'ram:EnableSharingWithAwsOrganization'];

/**
 * What the deploy role may do in an account: the services of the stacks that run there (owner, participant or
 * both), in the platform's region and this account, plus state access. See docs/bootstrap.md for each statement.
 */
export function deployPermissions(plan: BootstrapPlan, account: BootstrapAccount): PolicyDocument {
  const { partition: p, region } = plan;
  const acct = account.accountId;
  // In every region of the platform (the recovery region's stacks too).
  const here = (service: string, resource = '*') =>
    plan.regions.map((r) => formatArn({ partition: p, service, region: r, account: acct, resource }));
  const inEachRegion = (arn: (region: string) => string) => plan.regions.map(arn);
  const platformBuckets = [
    formatArn({ partition: p, service: 's3', region: '', account: '', resource: `${plan.platform}-*` }),
    formatArn({ partition: p, service: 's3', region: '', account: '', resource: `${plan.platform}-*`, resourceName: '*' }),
    ...(account.backupBuckets ?? []).flatMap((b) => [
      formatArn({ partition: p, service: 's3', region: '', account: '', resource: b }),
      formatArn({ partition: p, service: 's3', region: '', account: '', resource: b, resourceName: '*' }),
    ]),
  ];
  const ownerAccountId = plan.accounts.find((a) => a.runs.owner)!.accountId;
  const { owner, participant } = account.runs;
  const isStateAccount = acct === plan.stateAccountId;
  return doc(
    {
      Sid: 'OnlyThePlatformRegion',
      Effect: 'Deny',
      NotAction: GLOBAL_ACTIONS,
      Resource: '*',
      Condition: { StringNotEquals: { 'aws:RequestedRegion': requestedRegions(plan) } },
    },
    {
      Sid: 'NeverTheBootstrapIdentities',
      Effect: 'Deny',
      Action: 'iam:*',
      Resource: [deployRoleArnOf(plan, account), planRoleArnOf(plan, acct), oidcProviderArn(plan, acct)],
    },
    isStateAccount && {
      Sid: 'NeverTheStateBucketSettings',
      Effect: 'Deny',
      Action: [
        's3:DeleteBucket',
        's3:DeleteBucketPolicy',
        's3:PutBucketPolicy',
        's3:PutBucketVersioning',
        's3:PutEncryptionConfiguration',
        's3:PutLifecycleConfiguration',
        's3:PutBucketPublicAccessBlock',
        's3:PutBucketOwnershipControls',
        's3:PutBucketAcl',
      ],
      Resource: bucketArn(plan),
    },
    isStateAccount && {
      Sid: 'NeverTheStateKeySettings',
      Effect: 'Deny',
      Action: ['kms:ScheduleKeyDeletion', 'kms:DisableKey', 'kms:PutKeyPolicy', 'kms:DeleteAlias', 'kms:UpdateAlias', 'kms:CreateGrant'],
      Resource: stateKeys(plan),
      Condition: { 'ForAnyValue:StringEquals': { 'kms:ResourceAliases': plan.state.kmsKeyAlias } },
    },
    ...stateAccess(plan, true),
    isStateAccount && {
      Sid: 'ChainIntoPlatformAccounts',
      Effect: 'Allow',
      Action: 'sts:AssumeRole',
      Resource: plan.accounts.map((a) => deployRoleArnOf(plan, a)),
    },
    // Read-only calls Terraform makes while refreshing and planning; most take no resource ARN.
    { Sid: 'Describe', Effect: 'Allow', Action: readActions(), Resource: '*' },
    {
      Sid: 'Network',
      Effect: 'Allow',
      Action: 'ec2:*',
      Resource: [
        ...here('ec2'),
        // Participants place security groups and environments in the owner's shared VPC and subnets.
        ...(participant && ownerAccountId !== acct
          ? inEachRegion((r) =>
              formatArn({ partition: p, service: 'ec2', region: r, account: ownerAccountId, resource: 'vpc', resourceName: '*' }),
            )
          : []),
        ...(participant && ownerAccountId !== acct
          ? inEachRegion((r) =>
              formatArn({ partition: p, service: 'ec2', region: r, account: ownerAccountId, resource: 'subnet', resourceName: '*' }),
            )
          : []),
        ...inEachRegion((r) =>
          formatArn({ partition: p, service: 'ec2', region: r, account: 'aws', resource: 'prefix-list', resourceName: '*' }),
        ),
        ...inEachRegion((r) => formatArn({ partition: p, service: 'ec2', region: r, account: '', resource: 'image', resourceName: '*' })),
      ],
    },
    {
      Sid: 'LogsEventsQueues',
      Effect: 'Allow',
      Action: ['logs:*', 'events:*', 'sqs:*'],
      Resource: [...here('logs'), ...here('events'), ...here('sqs')],
    },
    {
      Sid: 'Roles',
      Effect: 'Allow',
      Action: [
        'iam:CreateRole',
        'iam:DeleteRole',
        'iam:UpdateRole',
        'iam:UpdateAssumeRolePolicy',
        'iam:TagRole',
        'iam:UntagRole',
        'iam:PutRolePolicy',
        'iam:DeleteRolePolicy',
        'iam:ListInstanceProfilesForRole',
      ],
      Resource: formatArn({ partition: p, service: 'iam', region: '', account: acct, resource: 'role', resourceName: '*' }),
    },
    {
      Sid: 'AttachOnlyTheManagedPoliciesTheStacksUse',
      Effect: 'Allow',
      Action: ['iam:AttachRolePolicy', 'iam:DetachRolePolicy'],
      Resource: formatArn({ partition: p, service: 'iam', region: '', account: acct, resource: 'role', resourceName: '*' }),
      Condition: { ArnEquals: { 'iam:PolicyARN': ATTACHABLE_MANAGED_POLICIES.map((n) => awsManagedPolicyArn(p, n)) } },
    },
    {
      Sid: 'PassRolesToTheStacksServices',
      Effect: 'Allow',
      Action: 'iam:PassRole',
      Resource: formatArn({ partition: p, service: 'iam', region: '', account: acct, resource: 'role', resourceName: '*' }),
      Condition: { StringEquals: { 'iam:PassedToService': PASS_ROLE_SERVICES } },
    },
    {
      Sid: 'ServiceLinkedRoles',
      Effect: 'Allow',
      Action: 'iam:CreateServiceLinkedRole',
      Resource: formatArn({
        partition: p,
        service: 'iam',
        region: '',
        account: acct,
        resource: 'role',
        resourceName: 'aws-service-role/*',
      }),
      Condition: { StringEquals: { 'iam:AWSServiceName': SERVICE_LINKED_ROLES } },
    },
    owner && {
      Sid: 'OwnerEndpointManagerSharingAlarms',
      Effect: 'Allow',
      Action: [
        'lambda:*',
        'ram:*',
        'cloudwatch:PutMetricAlarm',
        'cloudwatch:DeleteAlarms',
        'cloudwatch:TagResource',
        'cloudwatch:UntagResource',
      ],
      Resource: [...here('lambda', `function:${plan.platform}-*`), ...here('ram'), ...here('cloudwatch', `alarm:${plan.platform}-*`)],
    },
    // The CloudWatch alarm topics (constructs/common/alarm-topic.ts): a participant's in the primary region, the
    // recovery owner's in the recovery region; subscriptions are made on them by the platform, outside the stacks.
    {
      Sid: 'AlarmTopics',
      Effect: 'Allow',
      Action: 'sns:*',
      Resource: here('sns', `${plan.platform}-*`),
    },
    participant && {
      Sid: 'ParticipantHeartbeatAlarms',
      Effect: 'Allow',
      Action: ['cloudwatch:PutMetricAlarm', 'cloudwatch:DeleteAlarms', 'cloudwatch:TagResource', 'cloudwatch:UntagResource'],
      // Named after the environment (constructs/recovery/primary-recovery.ts), not the platform.
      Resource: here('cloudwatch', `alarm:${heartbeatAlarmName('*')}`),
    },
    // The recovery owner's alarm topic is encrypted with a key of its own; the primary owner has no key.
    owner &&
      plan.regions.length > 1 && {
        Sid: 'OwnerAlarmTopicKeys',
        Effect: 'Allow',
        Action: 'kms:*',
        Resource: plan.regions
          .slice(1)
          .flatMap((r) => [
            formatArn({ partition: p, service: 'kms', region: r, account: acct, resource: 'key', resourceName: '*' }),
            formatArn({ partition: p, service: 'kms', region: r, account: acct, resource: `alias/${plan.platform}-*` }),
          ]),
      },
    owner &&
      plan.regions.length > 1 && {
        Sid: 'OwnerCreatesKeysInTheRecoveryRegion',
        Effect: 'Allow',
        Action: 'kms:CreateKey',
        Resource: '*',
        Condition: { StringEquals: { 'aws:RequestedRegion': plan.regions.length === 2 ? plan.regions[1] : plan.regions.slice(1) } },
      },
    owner &&
      plan.codeArtifactDomain !== undefined && {
        Sid: 'OwnerPackageMirror',
        Effect: 'Allow',
        Action: [
          'codeartifact:DeleteDomain',
          'codeartifact:PutDomainPermissionsPolicy',
          'codeartifact:DeleteDomainPermissionsPolicy',
          'codeartifact:DeleteRepository',
          'codeartifact:UpdateRepository',
          'codeartifact:AssociateExternalConnection',
          'codeartifact:DisassociateExternalConnection',
          'codeartifact:AssociateWithDownstreamRepository',
          'codeartifact:PutRepositoryPermissionsPolicy',
          'codeartifact:DeleteRepositoryPermissionsPolicy',
          'codeartifact:TagResource',
          'codeartifact:UntagResource',
        ],
        // Each region's owner stack has its own mirror, under the same domain name.
        Resource: plan.regions.flatMap((r) => [
          formatArn({ partition: p, service: 'codeartifact', region: r, account: acct, resource: `domain/${plan.codeArtifactDomain}` }),
          formatArn({
            partition: p,
            service: 'codeartifact',
            region: r,
            account: acct,
            resource: `repository/${plan.codeArtifactDomain}/*`,
          }),
        ]),
      },
    // Calls IAM authorizes only on Resource "*" (they name no resource type; the region pin still applies): a
    // statement scoped to ARNs would never match them.
    owner && {
      Sid: 'OwnerCallsWithoutAResource',
      Effect: 'Allow',
      Action: [
        'events:PutPermission',
        'events:RemovePermission',
        'ram:CreateResourceShare',
        ...(plan.codeArtifactDomain !== undefined ? ['codeartifact:CreateDomain', 'codeartifact:CreateRepository'] : []),
      ],
      Resource: '*',
    },
    participant && {
      Sid: 'ParticipantEnvironmentsBucketsClusters',
      Effect: 'Allow',
      Action: ['airflow:*', 'eks:*', 'secretsmanager:*', 'ssm:*', 'ecr:*', 's3:*'],
      Resource: [
        ...here('airflow'),
        ...here('eks'),
        ...here('secretsmanager', 'secret:airflow/*'),
        ...here('ssm', `parameter/${plan.platform}/*`),
        ...here('ecr'),
        ...platformBuckets,
      ],
    },
    participant && {
      Sid: 'ParticipantKeys',
      Effect: 'Allow',
      Action: 'kms:*',
      Resource: [...here('kms', 'key/*'), ...here('kms', `alias/${plan.platform}-*`)],
    },
    participant && {
      Sid: 'ParticipantCallsWithoutAResource',
      Effect: 'Allow',
      Action: ['kms:CreateKey', 'eks:CreateCluster', 'ecr:CreatePullThroughCacheRule', 'ecr:DeletePullThroughCacheRule'],
      Resource: '*',
    },
    participant && {
      Sid: 'ParticipantClusterIdentityProviders',
      Effect: 'Allow',
      Action: [
        'iam:CreateOpenIDConnectProvider',
        'iam:DeleteOpenIDConnectProvider',
        'iam:TagOpenIDConnectProvider',
        'iam:UntagOpenIDConnectProvider',
        'iam:UpdateOpenIDConnectProviderThumbprint',
        'iam:AddClientIDToOpenIDConnectProvider',
      ],
      Resource: formatArn({
        partition: p,
        service: 'iam',
        region: '',
        account: acct,
        resource: 'oidc-provider',
        resourceName: `oidc.eks.${region}.amazonaws.com/*`,
      }),
    },
  );
}

/** Read-only actions for refresh. No data reads (no s3:GetObject outside platform buckets, no log events). */
export function readActions(): string[] {
  return [
    'ec2:Describe*',
    'ec2:GetManagedPrefixListEntries',
    'iam:Get*',
    'iam:List*',
    'lambda:GetFunction',
    'lambda:GetFunctionCodeSigningConfig',
    'lambda:GetFunctionConcurrency',
    'lambda:GetPolicy',
    'lambda:ListVersionsByFunction',
    'lambda:ListTags',
    'events:Describe*',
    'events:List*',
    'sqs:GetQueueAttributes',
    'sqs:GetQueueUrl',
    'sqs:ListQueueTags',
    'logs:DescribeLogGroups',
    'logs:ListTagsForResource',
    'logs:ListTagsLogGroup',
    'cloudwatch:DescribeAlarms',
    'cloudwatch:ListTagsForResource',
    'ram:Get*',
    'ram:List*',
    'kms:DescribeKey',
    'kms:GetKeyPolicy',
    'kms:GetKeyRotationStatus',
    'kms:ListAliases',
    'kms:ListResourceTags',
    'airflow:GetEnvironment',
    'airflow:ListEnvironments',
    'airflow:ListTagsForResource',
    'eks:Describe*',
    'eks:List*',
    'secretsmanager:DescribeSecret',
    'secretsmanager:GetResourcePolicy',
    'secretsmanager:ListSecretVersionIds',
    'ssm:DescribeParameters',
    'ssm:GetParameter',
    'ssm:GetParameters',
    'ssm:ListTagsForResource',
    'ecr:DescribePullThroughCacheRules',
    'codeartifact:DescribeDomain',
    'codeartifact:DescribeRepository',
    'codeartifact:GetDomainPermissionsPolicy',
    'codeartifact:GetRepositoryPermissionsPolicy',
    'codeartifact:ListTagsForResource',
    'sns:GetTopicAttributes',
    'sns:ListTagsForResource',
    'sns:ListSubscriptionsByTopic',
    'sns:GetSubscriptionAttributes',
  ];
}

/**
 * What the plan role may do: refresh (read-only calls), read the platform's own buckets (DAG objects are
 * refreshed with HeadObject) and read state. It cannot write state or take the lock: pull-request plans run
 * with `-lock=false`.
 */
export function planPermissions(plan: BootstrapPlan, accountId: string): PolicyDocument {
  const { partition: p } = plan;
  const isStateAccount = accountId === plan.stateAccountId;
  return doc(
    {
      Sid: 'OnlyThePlatformRegion',
      Effect: 'Deny',
      NotAction: GLOBAL_ACTIONS,
      Resource: '*',
      Condition: { StringNotEquals: { 'aws:RequestedRegion': requestedRegions(plan) } },
    },
    { Sid: 'Refresh', Effect: 'Allow', Action: readActions(), Resource: '*' },
    {
      Sid: 'PlatformBucketsRead',
      Effect: 'Allow',
      Action: [
        's3:GetBucket*',
        's3:GetAccelerateConfiguration',
        's3:GetEncryptionConfiguration',
        's3:GetLifecycleConfiguration',
        's3:GetReplicationConfiguration',
        's3:ListBucket',
        's3:GetObject',
        's3:GetObjectTagging',
      ],
      Resource: [
        formatArn({ partition: p, service: 's3', region: '', account: '', resource: `${plan.platform}-*` }),
        formatArn({ partition: p, service: 's3', region: '', account: '', resource: `${plan.platform}-*`, resourceName: '*' }),
        ...(plan.accounts.find((a) => a.accountId === accountId)?.backupBuckets ?? []).flatMap((b) => [
          formatArn({ partition: p, service: 's3', region: '', account: '', resource: b }),
          formatArn({ partition: p, service: 's3', region: '', account: '', resource: b, resourceName: '*' }),
        ]),
      ],
    },
    // The secret version's refresh reads its value; the same value is in the state this role already reads.
    {
      Sid: 'ConnectionSecretsRefresh',
      Effect: 'Allow',
      Action: 'secretsmanager:GetSecretValue',
      Resource: ((arns: string[]) => (arns.length === 1 ? arns[0] : arns))(
        plan.regions.map((r) =>
          formatArn({
            partition: p,
            service: 'secretsmanager',
            region: r,
            account: accountId,
            resource: 'secret',
            separator: ':',
            resourceName: 'airflow/*',
          }),
        ),
      ),
    },
    ...stateAccess(plan, false),
    isStateAccount && {
      Sid: 'ChainIntoPlatformAccounts',
      Effect: 'Allow',
      Action: 'sts:AssumeRole',
      Resource: plan.accounts.map((a) => planRoleArnOf(plan, a.accountId)),
    },
  );
}

/**
 * State bucket policy: TLS only; object access for the platform's deploy and plan roles only (every other
 * principal, administrators included, is denied the objects, not the bucket settings, which bootstrap manages);
 * plan roles read only.
 */
export function stateBucketPolicy(plan: BootstrapPlan, bucket: string = bucketArn(plan)): PolicyDocument {
  const deployRoles = plan.accounts.map((a) => deployRoleArnOf(plan, a));
  const planRoles = plan.accounts.map((a) => planRoleArnOf(plan, a.accountId));
  const roots = plan.accounts.map((a) => root(plan, a.accountId));
  const objects = `${bucket}/*`;
  return doc(
    denyInsecureTransport('s3:*', [bucket, objects]) as Statement,
    {
      Sid: 'OnlyPlatformRolesTouchState',
      Effect: 'Deny',
      Principal: '*',
      // Objects only: bucket settings and HeadBucket (s3:ListBucket) stay with the state account's administrators,
      // whose bootstrap refresh needs them.
      Action: ['s3:GetObject', 's3:GetObjectVersion', 's3:PutObject', 's3:DeleteObject', 's3:DeleteObjectVersion'],
      Resource: objects,
      Condition: { ArnNotEquals: { 'aws:PrincipalArn': [...deployRoles, ...planRoles] } },
    },
    {
      Sid: 'PlanRolesNeverWrite',
      Effect: 'Deny',
      Principal: '*',
      Action: ['s3:PutObject', 's3:DeleteObject', 's3:DeleteObjectVersion'],
      Resource: objects,
      Condition: { ArnEquals: { 'aws:PrincipalArn': planRoles } },
    },
    {
      Sid: 'DeployRoles',
      Effect: 'Allow',
      Principal: { AWS: roots },
      Action: ['s3:ListBucket', 's3:GetObject', 's3:PutObject', 's3:DeleteObject'],
      Resource: [bucket, objects],
      Condition: { ArnEquals: { 'aws:PrincipalArn': deployRoles } },
    },
    {
      Sid: 'PlanRoles',
      Effect: 'Allow',
      Principal: { AWS: roots },
      Action: ['s3:ListBucket', 's3:GetObject'],
      Resource: [bucket, objects],
      Condition: { ArnEquals: { 'aws:PrincipalArn': planRoles } },
    },
  );
}

/** State key policy: the state account administers it; the platform's roles use it through S3 only. */
export function stateKeyPolicy(plan: BootstrapPlan): PolicyDocument {
  const roots = plan.accounts.map((a) => root(plan, a.accountId));
  const via = { StringEquals: { 'kms:ViaService': `s3.${plan.region}.amazonaws.com` } };
  return doc(
    {
      Sid: 'StateAccountAdministers',
      Effect: 'Allow',
      Principal: { AWS: root(plan, plan.stateAccountId) },
      Action: 'kms:*',
      Resource: '*',
    },
    {
      Sid: 'DeployRolesUseThroughS3',
      Effect: 'Allow',
      Principal: { AWS: roots },
      Action: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:DescribeKey'],
      Resource: '*',
      Condition: { ...via, ArnEquals: { 'aws:PrincipalArn': plan.accounts.map((a) => deployRoleArnOf(plan, a)) } },
    },
    {
      Sid: 'PlanRolesDecryptThroughS3',
      Effect: 'Allow',
      Principal: { AWS: roots },
      Action: ['kms:Decrypt', 'kms:DescribeKey'],
      Resource: '*',
      Condition: { ...via, ArnEquals: { 'aws:PrincipalArn': plan.accounts.map((a) => planRoleArnOf(plan, a.accountId)) } },
    },
  );
}

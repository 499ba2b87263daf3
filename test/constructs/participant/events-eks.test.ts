/** Participant event path, reconcile role and EKS constructs on their own (aws-cdk style): props, defaults and guards. */
import { Testing } from 'cdktf';
import { EksAccessEntry } from '@cdktf/provider-aws/lib/eks-access-entry';
import { TeamEksCluster, type TeamEksClusterProps } from '../../../constructs/participant/eks/cluster';
import { IrsaRole } from '../../../constructs/participant/eks/irsa-role';
import { ReconcileReadRole } from '../../../constructs/participant/reconcile-read-role';
import {
  FORWARDER_MAX_EVENT_AGE_SECONDS,
  FORWARDER_MAX_RETRY_ATTEMPTS,
  StatusEventForwarder,
} from '../../../constructs/participant/status-event-forwarder';
import { resourcesOf, only, synthPlatformScope } from '../../support/synth';

const statements = (policy: string) => JSON.parse(policy).Statement as any[];
const BUS = 'arn:aws:events:eu-west-1:111111111111:event-bus/acme-mwaa-status';

describe('StatusEventForwarder', () => {
  const synth = (extra = {}) =>
    synthPlatformScope(
      (scope) => new StatusEventForwarder(scope, 'fwd', { name: 'acme-team', ownerBusArn: BUS, environmentNames: ['e2', 'e1'], ...extra }),
    );

  it('forwards the status events of exactly these environments (sorted ARNs) to the owner bus', () => {
    const { tf } = synth();
    const rule = only(tf, 'aws_cloudwatch_event_rule');
    expect(rule.name).toBe('acme-team-mwaa-status-to-owner');
    expect(JSON.parse(rule.event_pattern)).toEqual({
      source: ['aws.airflow'],
      'detail-type': ['MWAA Environment Status Change'],
      resources: ['arn:aws:airflow:eu-west-1:123456789012:environment/e1', 'arn:aws:airflow:eu-west-1:123456789012:environment/e2'],
    });
    expect(only(tf, 'aws_cloudwatch_event_target')).toMatchObject({
      arn: BUS,
      retry_policy: { maximum_event_age_in_seconds: FORWARDER_MAX_EVENT_AGE_SECONDS, maximum_retry_attempts: FORWARDER_MAX_RETRY_ATTEMPTS },
    });
    expect([FORWARDER_MAX_EVENT_AGE_SECONDS, FORWARDER_MAX_RETRY_ATTEMPTS]).toEqual([86_400, 185]);
  });

  it('uses a role EventBridge may assume for this rule only, which may put events on that one bus only', () => {
    const { tf } = synth();
    expect(statements(only(tf, 'aws_iam_role').assume_role_policy)[0].Condition).toEqual({
      StringEquals: {
        'aws:SourceAccount': '123456789012',
        'aws:SourceArn': 'arn:aws:events:eu-west-1:123456789012:rule/acme-team-mwaa-status-to-owner',
      },
    });
    expect(statements(only(tf, 'aws_iam_role_policy').policy)).toEqual([{ Effect: 'Allow', Action: 'events:PutEvents', Resource: BUS }]);
  });

  it('defaults: failed deliveries are kept 14 days in an SSE queue; the retention is a prop', () => {
    expect(only(synth().tf, 'aws_sqs_queue')).toMatchObject({
      name: 'acme-team-mwaa-status-forwarder-dlq',
      message_retention_seconds: 1_209_600,
      sqs_managed_sse_enabled: true,
    });
    expect(only(synth({ deadLetterRetentionDays: 4 }).tf, 'aws_sqs_queue').message_retention_seconds).toBe(345_600);
  });

  it('refuses a team without environments', () => {
    expect(() => synth({ environmentNames: [] })).toThrow('StatusEventForwarder: a team without environments has no events to forward');
  });
});

describe('ReconcileReadRole', () => {
  it('is trusted by the endpoint manager role only and may list and read MWAA environments of its account, nothing else', () => {
    const { tf } = synthPlatformScope(
      (scope) =>
        new ReconcileReadRole(scope, 'reconcile', {
          roleName: 'acme-mwaa-endpoint-reconcile',
          endpointManagerRoleArn: 'arn:aws:iam::111111111111:role/acme-endpoint-manager',
        }),
      { accountId: '222222222222' },
    );
    const role = only(tf, 'aws_iam_role');
    expect(role.name).toBe('acme-mwaa-endpoint-reconcile');
    expect(statements(role.assume_role_policy)).toEqual([
      { Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111111111111:role/acme-endpoint-manager' }, Action: 'sts:AssumeRole' },
    ]);
    expect(statements(only(tf, 'aws_iam_role_policy').policy)).toEqual([
      { Sid: 'List', Effect: 'Allow', Action: 'airflow:ListEnvironments', Resource: '*' },
      { Sid: 'Read', Effect: 'Allow', Action: 'airflow:GetEnvironment', Resource: 'arn:aws:airflow:eu-west-1:222222222222:environment/*' },
    ]);
  });
});

describe('TeamEksCluster', () => {
  const props: TeamEksClusterProps = {
    name: 'acme-team',
    version: '1.32',
    vpcId: 'vpc-1',
    subnetIds: ['subnet-a', 'subnet-b'],
    logTypes: ['api', 'audit'],
    logRetentionDays: 30,
    nodeGroup: { instanceTypes: ['m6i.large'], capacityType: 'ON_DEMAND', minSize: 1, maxSize: 2, desiredSize: 1, diskSize: 40 },
  };
  let defaults: { json: string; tf: any };
  beforeAll(() => {
    defaults = synthPlatformScope((scope) => new TeamEksCluster(scope, 'eks', props));
  });

  it('defaults: private endpoint only, access entries only, no admin, no API client rule, the ecr-public cache prefix', () => {
    const cluster = only(defaults.tf, 'aws_eks_cluster');
    expect(cluster.vpc_config).toMatchObject({
      endpoint_private_access: true,
      endpoint_public_access: false,
      subnet_ids: ['subnet-a', 'subnet-b'],
    });
    expect(cluster.vpc_config.public_access_cidrs).toBeUndefined();
    expect(cluster.access_config).toEqual({ authentication_mode: 'API', bootstrap_cluster_creator_admin_permissions: false });
    expect(defaults.json).not.toHaveResource(EksAccessEntry);
    expect(resourcesOf(defaults.tf, 'aws_vpc_security_group_ingress_rule')).toEqual({});
    expect(only(defaults.tf, 'aws_ecr_pull_through_cache_rule')).toMatchObject({
      ecr_repository_prefix: 'ecr-public',
      upstream_registry_url: 'public.ecr.aws',
    });
  });

  it('trusts EKS for this cluster of the stack’s account and region only', () => {
    const { tf } = synthPlatformScope((scope) => new TeamEksCluster(scope, 'eks', props), {
      accountId: '222222222222',
      region: 'eu-central-1',
    });
    const clusterRole = (Object.values(resourcesOf(tf, 'aws_iam_role')) as any[]).find((r) => r.name === 'acme-team-eks-cluster');
    expect(statements(clusterRole.assume_role_policy)).toEqual([
      {
        Effect: 'Allow',
        Principal: { Service: 'eks.amazonaws.com' },
        Action: ['sts:AssumeRole', 'sts:TagSession'],
        Condition: {
          StringEquals: { 'aws:SourceAccount': '222222222222' },
          ArnLike: { 'aws:SourceArn': 'arn:aws:eks:eu-central-1:222222222222:cluster/acme-team' },
        },
      },
    ]);
  });

  it('keys API client rules by role and CIDR, admin entries by principal, and opens the public endpoint only to its allow-list', () => {
    const { tf } = synthPlatformScope(
      (scope) =>
        new TeamEksCluster(scope, 'eks', {
          ...props,
          apiClientSecurityGroups: { mwaa: 'sg-mwaa' },
          apiClientCidrs: ['10.9.0.0/24', '10.9.0.0/24'],
          endpointPublicAccess: true,
          publicAccessCidrs: ['203.0.113.0/24'],
          adminPrincipalArns: ['arn:aws:iam::123456789012:role/Admin'],
          pullThroughCachePrefix: 'public',
        }),
    );
    const strip = (id: string) => id.replace(/_[0-9A-F]{8}$/, '');
    expect(Object.keys(resourcesOf(tf, 'aws_vpc_security_group_ingress_rule')).map(strip).sort()).toEqual([
      'eks_api-clients-cidr-10-9-0-0_24',
      'eks_api-clients-group-mwaa',
    ]);
    expect(Object.keys(resourcesOf(tf, 'aws_eks_access_entry')).map(strip)).toEqual(['eks_admin-123456789012-role-Admin-entry']);
    expect(only(tf, 'aws_eks_access_policy_association')).toMatchObject({
      policy_arn: 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy',
      access_scope: { type: 'cluster' },
    });
    expect(only(tf, 'aws_eks_cluster').vpc_config).toMatchObject({
      endpoint_public_access: true,
      public_access_cidrs: ['203.0.113.0/24'],
    });
    expect(only(tf, 'aws_ecr_pull_through_cache_rule').ecr_repository_prefix).toBe('public');
  });
});

describe('IrsaRole', () => {
  const synth = (extra = {}) =>
    JSON.parse(
      Testing.synthScope((scope) => {
        new IrsaRole(scope, 'irsa', {
          roleName: 'acme-team-reader',
          namespace: 'team',
          serviceAccount: 'reader',
          oidcProviderArn: 'arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABC',
          oidcIssuerHostPath: 'oidc.eks.eu-west-1.amazonaws.com/id/ABC',
          ...extra,
        });
      }),
    );

  const trustOf = (tf: any) => Object.values(tf.data.aws_iam_policy_document)[0] as any;

  it('trusts web identities of exactly this service account and audience from this provider (StringEquals only)', () => {
    const tf = synth();
    expect(trustOf(tf).statement).toEqual([
      {
        sid: 'ServiceAccountOnly',
        effect: 'Allow',
        actions: ['sts:AssumeRoleWithWebIdentity'],
        principals: [
          { type: 'Federated', identifiers: ['arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABC'] },
        ],
        condition: [
          { test: 'StringEquals', variable: 'oidc.eks.eu-west-1.amazonaws.com/id/ABC:sub', values: ['system:serviceaccount:team:reader'] },
          { test: 'StringEquals', variable: 'oidc.eks.eu-west-1.amazonaws.com/id/ABC:aud', values: ['sts.amazonaws.com'] },
        ],
      },
    ]);
    expect(only(tf, 'aws_iam_role')).toMatchObject({ name: 'acme-team-reader', description: 'IRSA role of team/reader' });
  });

  it('defaults: no inline policy and no managed policy', () => {
    const tf = synth();
    expect(resourcesOf(tf, 'aws_iam_role_policy')).toEqual({});
    expect(resourcesOf(tf, 'aws_iam_role_policy_attachment')).toEqual({});
  });

  it('carries the given statements and managed policies', () => {
    const tf = synth({
      statements: [{ effect: 'Allow', actions: ['s3:GetObject'], resources: ['arn:aws:s3:::b/*'] }],
      managedPolicyArns: ['arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy'],
      description: 'VPC CNI',
    });
    expect(statements(only(tf, 'aws_iam_role_policy').policy)).toEqual([
      { Effect: 'Allow', Action: ['s3:GetObject'], Resource: ['arn:aws:s3:::b/*'] },
    ]);
    expect(only(tf, 'aws_iam_role_policy_attachment').policy_arn).toBe('arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy');
    expect(only(tf, 'aws_iam_role').description).toBe('VPC CNI');
  });
});

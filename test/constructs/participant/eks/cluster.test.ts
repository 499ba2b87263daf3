import { EksCluster } from '@cdktf/provider-aws/lib/eks-cluster';
import { LaunchTemplate } from '@cdktf/provider-aws/lib/launch-template';
import { NODE_IMDS_HOP_LIMIT } from '../../../../constructs/participant/eks/cluster';
import { fixtureConfigWith } from '../../../support/config-fixture';
import { loadPlatformConfig } from '../../../../model/load';
import { one, ref, resources, synthEks } from './support';

const { json, tf } = synthEks();
const [clusterId, cluster] = one(tf, 'aws_eks_cluster');
const [keyId, key] = one(tf, 'aws_kms_key', (k) => /EKS cluster/.test(k.description));
const roleNamed = (name: string) => one(tf, 'aws_iam_role', (r) => r.name === name);

describe('EKS cluster', () => {
  it('runs the configured version in every shared subnet, private endpoint only', () => {
    expect(json).toHaveResourceWithProperties(EksCluster, { name: 'acme-data-analytics', version: '1.35' });
    expect(cluster.vpc_config.subnet_ids).toEqual(['subnet-0000000000000000a', 'subnet-0000000000000000b']);
    expect(cluster.vpc_config.endpoint_private_access).toBe(true);
    expect(cluster.vpc_config.endpoint_public_access).toBe(false);
    expect(cluster.vpc_config.public_access_cidrs).toBeUndefined();
  });

  it('authenticates with access entries only and grants the creator nothing implicitly', () => {
    expect(cluster.access_config).toEqual({ authentication_mode: 'API', bootstrap_cluster_creator_admin_permissions: false });
  });

  it('envelope-encrypts secrets with its own rotating KMS key that the cluster role may use', () => {
    expect(cluster.encryption_config).toEqual({ resources: ['secrets'], provider: { key_arn: ref('aws_kms_key', keyId, 'arn') } });
    expect(key.enable_key_rotation).toBe(true);
    const [roleId] = roleNamed('acme-data-analytics-eks-cluster');
    const policy = one(tf, 'aws_iam_role_policy', (p) => p.role === ref('aws_iam_role', roleId, 'id'))[1];
    const statements = JSON.parse(policy.policy).Statement;
    expect(statements.every((s: any) => s.Resource === ref('aws_kms_key', keyId, 'arn'))).toBe(true);
    expect(statements.flatMap((s: any) => [s.Action].flat()).sort()).toEqual([
      'kms:CreateGrant',
      'kms:Decrypt',
      'kms:DescribeKey',
      'kms:Encrypt',
      'kms:ListGrants',
    ]);
  });

  it('sends every control-plane log type to a log group with the team retention, created first', () => {
    expect(cluster.enabled_cluster_log_types).toEqual(['api', 'audit', 'authenticator', 'controllerManager', 'scheduler']);
    const [logId, log] = one(tf, 'aws_cloudwatch_log_group', (g) => g.name === '/aws/eks/acme-data-analytics/cluster');
    expect(log.retention_in_days).toBe(30);
    expect(cluster.depends_on).toContain(`aws_cloudwatch_log_group.${logId}`);
  });

  it('admits HTTPS to the API endpoint from the team MWAA security group and the admin CIDRs of the team file only', () => {
    const [sgId] = one(tf, 'aws_security_group', (g) => g.name === 'acme-data-analytics-eks-api-clients');
    expect(cluster.vpc_config.security_group_ids).toEqual([ref('aws_security_group', sgId, 'id')]);
    const rules = resources(tf, 'aws_vpc_security_group_ingress_rule').filter(
      ([, r]) => r.security_group_id === ref('aws_security_group', sgId, 'id'),
    );
    const [mwaaSgId] = one(tf, 'aws_security_group', (g) => g.name === 'acme-data-analytics-mwaa');
    // Order follows the rules' keys, not configuration order.
    const admitted = rules.map(([, r]) => ({ from: r.from_port, to: r.to_port, source: r.referenced_security_group_id ?? r.cidr_ipv4 }));
    expect(admitted).toHaveLength(2);
    expect(admitted).toEqual(
      expect.arrayContaining([
        { from: 443, to: 443, source: ref('aws_security_group', mwaaSgId, 'id') },
        { from: 443, to: 443, source: '10.8.0.0/16' },
      ]),
    );
  });

  it('registers the cluster issuer as an IAM OIDC provider for the STS audience, without a thumbprint', () => {
    const [, oidc] = one(tf, 'aws_iam_openid_connect_provider');
    expect(oidc.url).toBe(`\${aws_eks_cluster.${clusterId}.identity[0].oidc[0].issuer}`);
    expect(oidc.client_id_list).toEqual(['sts.amazonaws.com']);
    expect(oidc.thumbprint_list).toBeUndefined();
  });

  it('makes exactly the named eks.clusterAdmins cluster admins, never the Airflow users of access.principals', () => {
    expect(clusterAdminsOf(tf)).toEqual(['arn:aws:iam::222222222222:role/AnalyticsPlatformAdmins']);
    const [entryId, entry] = one(
      tf,
      'aws_eks_access_entry',
      (e) => e.principal_arn === 'arn:aws:iam::222222222222:role/AnalyticsPlatformAdmins',
    );
    expect(entry.type).toBe('STANDARD');
    const [, association] = one(tf, 'aws_eks_access_policy_association', (a) => a.principal_arn === entry.principal_arn);
    expect(association.policy_arn).toBe('arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy');
    expect(association.access_scope).toEqual({ type: 'cluster' });
    expect(association.depends_on).toEqual([`aws_eks_access_entry.${entryId}`]);
  });
});

/** Principals with a cluster-wide AmazonEKSClusterAdminPolicy association, sorted. */
function clusterAdminsOf(stack: any): string[] {
  return resources(stack, 'aws_eks_access_policy_association')
    .filter(([, a]) => a.policy_arn.endsWith('/AmazonEKSClusterAdminPolicy'))
    .map(([, a]) => a.principal_arn)
    .sort();
}

describe('EKS nodes', () => {
  const [ltId, lt] = one(tf, 'aws_launch_template', (t) => t.name === 'acme-data-analytics-eks-node');
  const [, nodeGroup] = one(tf, 'aws_eks_node_group');

  it('enforce IMDSv2 with hop limit 1 through the launch template, so pods cannot reach node credentials', () => {
    expect(NODE_IMDS_HOP_LIMIT).toBe(1);
    expect(json).toHaveResourceWithProperties(LaunchTemplate, {
      metadata_options: { http_endpoint: 'enabled', http_tokens: 'required', http_put_response_hop_limit: 1 },
    });
    expect(nodeGroup.launch_template).toEqual({
      id: ref('aws_launch_template', ltId, 'id'),
      version: ref('aws_launch_template', ltId, 'latest_version'),
    });
  });

  it('encrypt the root volume with the configured size', () => {
    expect(lt.block_device_mappings).toEqual([
      { device_name: '/dev/xvda', ebs: { volume_size: 50, volume_type: 'gp3', encrypted: 'true', delete_on_termination: 'true' } },
    ]);
  });

  it('run in the shared subnets with the configured sizes, instance types and capacity type', () => {
    expect(nodeGroup.subnet_ids).toEqual(['subnet-0000000000000000a', 'subnet-0000000000000000b']);
    expect(nodeGroup.scaling_config).toEqual({ min_size: 1, max_size: 3, desired_size: 1 });
    expect(nodeGroup.instance_types).toEqual(['m6i.large']);
    expect(nodeGroup.capacity_type).toBe('ON_DEMAND');
    expect(nodeGroup.ami_type).toBe('AL2023_x86_64_STANDARD');
    expect(nodeGroup.disk_size).toBeUndefined();
  });

  it('have a role with exactly the worker and image-pull policies, and cache-repository creation under its prefix only', () => {
    const [roleId, role] = roleNamed('acme-data-analytics-eks-node');
    expect(JSON.parse(role.assume_role_policy).Statement).toEqual([
      { Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' },
    ]);
    const attached = resources(tf, 'aws_iam_role_policy_attachment')
      .filter(([, a]) => a.role === ref('aws_iam_role', roleId, 'name'))
      .map(([, a]) => a.policy_arn)
      .sort();
    expect(attached).toEqual([
      'arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPullOnly',
      'arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy',
    ]);
    const inline = resources(tf, 'aws_iam_role_policy').filter(([, p]) => p.role === ref('aws_iam_role', roleId, 'id'));
    expect(inline.map(([, p]) => JSON.parse(p.policy).Statement)).toEqual([
      [
        {
          Effect: 'Allow',
          Action: ['ecr:CreateRepository', 'ecr:BatchImportUpstreamImage'],
          Resource: 'arn:aws:ecr:eu-west-1:222222222222:repository/ecr-public/*',
        },
      ],
    ]);
  });

  it('leave CNI permissions to the aws-node service account (IRSA), not to every node', () => {
    const [cniRoleId] = roleNamed('acme-data-analytics-eks-vpc-cni');
    const [, attachment] = one(tf, 'aws_iam_role_policy_attachment', (a) => a.role === ref('aws_iam_role', cniRoleId, 'name'));
    expect(attachment.policy_arn).toBe('arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy');
    const [addonId, addon] = one(tf, 'aws_eks_addon');
    expect(addon).toMatchObject({
      addon_name: 'vpc-cni',
      service_account_role_arn: ref('aws_iam_role', cniRoleId, 'arn'),
      resolve_conflicts_on_create: 'OVERWRITE',
    });
    expect(nodeGroup.depends_on).toContain(`aws_eks_addon.${addonId}`);
    const [, trust] = one(tf, 'aws_iam_role', (r) => r.name === 'acme-data-analytics-eks-vpc-cni');
    expect(trust.assume_role_policy).toMatch(/^\$\{data\.aws_iam_policy_document\..+\.json\}$/);
  });
});

describe('EKS cluster options from the team file', () => {
  const withEks = (edit: (eks: any) => void) =>
    synthEks(loadPlatformConfig(fixtureConfigWith({ teams: { analytics: (t) => edit(t.eks) } }))).tf;

  it('opens the public endpoint only to the listed CIDRs', () => {
    const edited = withEks((eks) => {
      eks.endpointPublicAccess = true;
      eks.publicAccessCidrs = ['203.0.113.0/24'];
    });
    const [, c] = one(edited, 'aws_eks_cluster');
    expect(c.vpc_config).toMatchObject({
      endpoint_private_access: true,
      endpoint_public_access: true,
      public_access_cidrs: ['203.0.113.0/24'],
    });
  });

  it('uses Graviton AMIs for Graviton instance types, and spot capacity when asked', () => {
    const edited = withEks((eks) => {
      eks.nodeGroup = {
        instanceTypes: ['m7g.large', 'c7g.large'],
        capacityType: 'SPOT',
        minSize: 0,
        maxSize: 2,
        desiredSize: 0,
        diskSize: 80,
      };
    });
    const [, ng] = one(edited, 'aws_eks_node_group');
    expect(ng).toMatchObject({
      ami_type: 'AL2023_ARM_64_STANDARD',
      capacity_type: 'SPOT',
      scaling_config: { min_size: 0, max_size: 2, desired_size: 0 },
    });
    expect(one(edited, 'aws_launch_template')[1].block_device_mappings[0].ebs.volume_size).toBe(80);
  });

  it('gives every listed cluster admin its own entry and admin policy', () => {
    const admins = ['arn:aws:iam::222222222222:role/PlatformOps', 'arn:aws:iam::222222222222:user/alice'];
    const edited = withEks((eks) => (eks.clusterAdmins = admins));
    expect(clusterAdminsOf(edited)).toEqual(admins);
    const entries = resources(edited, 'aws_eks_access_entry').map(([, e]) => e.principal_arn);
    expect(admins.every((a) => entries.includes(a))).toBe(true);
  });

  it('admits the admin security groups of the team file on 443 of the private endpoint', () => {
    const edited = withEks((eks) => (eks.adminSecurityGroupIds = ['sg-0123456789abcdef0']));
    const [sgId] = one(edited, 'aws_security_group', (g) => g.name === 'acme-data-analytics-eks-api-clients');
    const rules = resources(edited, 'aws_vpc_security_group_ingress_rule').filter(
      ([, r]) => r.security_group_id === ref('aws_security_group', sgId, 'id'),
    );
    expect(rules.map(([, r]) => r.referenced_security_group_id).filter(Boolean)).toContain('sg-0123456789abcdef0');
    expect(rules.every(([, r]) => r.from_port === 443 && r.to_port === 443 && r.ip_protocol === 'tcp')).toBe(true);
  });

  it('creates no EKS resource for a team without eks', () => {
    const marketing = synthEks(undefined, 'marketing').tf;
    expect(Object.keys(marketing.resource).filter((type) => type.startsWith('aws_eks'))).toEqual([]);
    expect(marketing.output.kubernetes_manifests).toBeUndefined();
  });
});

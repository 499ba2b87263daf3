import { Fn, Token } from 'cdktf';
import { Construct } from 'constructs';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { ECR_PUBLIC_CACHE_PREFIX, ecrRegistryHost } from '../../../contracts/container-images';
import { EcrPullThroughCacheRule } from '@cdktf/provider-aws/lib/ecr-pull-through-cache-rule';
import { EksAccessEntry } from '@cdktf/provider-aws/lib/eks-access-entry';
import { EksAccessPolicyAssociation } from '@cdktf/provider-aws/lib/eks-access-policy-association';
import { EksAddon } from '@cdktf/provider-aws/lib/eks-addon';
import { EksCluster } from '@cdktf/provider-aws/lib/eks-cluster';
import { EksNodeGroup } from '@cdktf/provider-aws/lib/eks-node-group';
import { IamOpenidConnectProvider } from '@cdktf/provider-aws/lib/iam-openid-connect-provider';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { LaunchTemplate } from '@cdktf/provider-aws/lib/launch-template';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { cidrKey, keyOf, moveFromLegacyId, principalKey } from '../../common/addresses';
import { IRSA_AUDIENCE, IrsaRole } from './irsa-role';
import { PlatformStack } from '../../common/platform-stack';
import { serviceTrustPolicy } from '../../common/resource-policies';
import { policyJson } from '../../common/policy-document';
import { awsManagedPolicyArn } from '../../../contracts/aws';

export interface EksNodeGroupSettings {
  readonly instanceTypes: readonly string[];
  readonly capacityType: 'ON_DEMAND' | 'SPOT';
  readonly minSize: number;
  readonly maxSize: number;
  readonly desiredSize: number;
  /** Root volume in GiB. */
  readonly diskSize: number;
}

export interface TeamEksClusterProps {
  /** Cluster name, also the prefix of every resource name here. */
  readonly name: string;
  /** Kubernetes minor version, e.g. "1.32". */
  readonly version: string;
  readonly vpcId: string;
  /** The shared subnets (from the network contract): control plane ENIs and nodes. */
  readonly subnetIds: readonly string[];
  /**
   * Security groups allowed to reach the private API endpoint on 443, by what each group is (e.g. `mwaa`: the
   * team's MWAA environments); the key names the rule's address, since a group id is unknown until apply.
   * @default none
   */
  readonly apiClientSecurityGroups?: Readonly<Record<string, string>>;
  /**
   * CIDRs allowed to reach the private API endpoint on 443, for clients without a security group to name.
   * @default none
   */
  readonly apiClientCidrs?: readonly string[];
  /** @default false */
  readonly endpointPublicAccess?: boolean;
  /** Allow-list of the public endpoint; required when it is on. @default none */
  readonly publicAccessCidrs?: readonly string[];
  /** Control-plane log types sent to CloudWatch. */
  readonly logTypes: readonly string[];
  readonly logRetentionDays: number;
  readonly nodeGroup: EksNodeGroupSettings;
  /**
   * IAM principals that administer the cluster (apply the Kubernetes manifests): access entries with
   * AmazonEKSClusterAdminPolicy. The deploy role gets no Kubernetes access at all.
   * @default none
   */
  readonly adminPrincipalArns?: readonly string[];
  /**
   * Repository prefix of the ECR pull-through cache for ECR Public: the shared VPC has no internet, so public
   * images are pulled as `<account>.dkr.ecr.<region>.amazonaws.com/<prefix>/<image>`.
   * @default ECR_PUBLIC_CACHE_PREFIX (`ecr-public`)
   */
  readonly pullThroughCachePrefix?: string;
}

/**
 * Metadata hop limit of the nodes. 1 means only processes in the node's own network namespace reach IMDS:
 * pods (which sit one hop further, behind their veth) cannot read the node role's credentials, so a pod can
 * only act with its own IRSA role. Pods need nothing from IMDS: IRSA injects AWS_REGION and a web identity
 * token. Host-network pods (aws-node, kube-proxy) are unaffected.
 */
export const NODE_IMDS_HOP_LIMIT = 1;

/** The node role's AWS managed policies. The VPC CNI policy is deliberately absent: aws-node uses IRSA. */
export const NODE_MANAGED_POLICIES = ['AmazonEKSWorkerNodePolicy', 'AmazonEC2ContainerRegistryPullOnly'] as const;

const managed = (stack: PlatformStack, name: string) => awsManagedPolicyArn(stack.partition, name);

/**
 * A team's EKS cluster in the shared subnets, built with the AWS provider only:
 * - private API endpoint (public only with an allow-list), reachable on 443 from the team's MWAA only;
 * - secrets envelope-encrypted with a rotating customer-managed KMS key;
 * - control-plane logs in a pre-created log group with the team's retention;
 * - authentication mode API: access entries only, no aws-auth ConfigMap, no implicit creator admin;
 * - an IAM OIDC provider for IRSA (no thumbprint: IAM validates EKS issuers against its trusted CAs);
 * - a managed node group with a least-privilege role and a launch template enforcing IMDSv2 (hop limit 1);
 * - the VPC CNI add-on with its own IRSA role instead of CNI rights on every node.
 */
export class TeamEksCluster extends Construct {
  public readonly cluster: EksCluster;
  public readonly clusterName: string;
  public readonly clusterArn: string;
  public readonly oidcProviderArn: string;
  /** Issuer without `https://`: prefix of the `:sub` / `:aud` trust condition keys. */
  public readonly oidcIssuerHostPath: string;
  public readonly secretsKeyArn: string;
  public readonly nodeRoleName: string;
  public readonly launchTemplate: LaunchTemplate;
  public readonly nodeGroup: EksNodeGroup;
  /** Registry prefix of cached ECR Public images in this account, e.g. `222222222222.dkr.ecr.eu-west-1.amazonaws.com/ecr-public`. */
  public readonly publicImageRegistry: string;

  constructor(scope: Construct, id: string, props: TeamEksClusterProps) {
    super(scope, id);
    const { name } = props;
    const stack = PlatformStack.of(this);
    const { accountId, region } = stack;
    const cachePrefix = props.pullThroughCachePrefix ?? ECR_PUBLIC_CACHE_PREFIX;

    // --- Secrets encryption key --------------------------------------------------------------------------
    // Default key policy (account root): access is granted by IAM, here to the cluster role only.
    const key = new KmsKey(this, 'secrets-key', {
      description: `Envelope encryption of Kubernetes secrets in EKS cluster ${name}`,
      enableKeyRotation: true,
      deletionWindowInDays: 30,
    });
    new KmsAlias(this, 'secrets-key-alias', { name: `alias/${name}-eks-secrets`, targetKeyId: key.keyId });
    this.secretsKeyArn = key.arn;

    // --- Cluster role ------------------------------------------------------------------------------------
    const clusterRole = new IamRole(this, 'cluster-role', {
      name: `${name}-eks-cluster`,
      description: `Control plane role of EKS cluster ${name}`,
      // Confused deputy: EKS accepts both keys in the cluster role trust (EKS user guide, "Cross-service confused
      // deputy prevention"); the cluster ARN is known from its name before it exists.
      assumeRolePolicy: serviceTrustPolicy({
        service: 'eks.amazonaws.com',
        actions: ['sts:AssumeRole', 'sts:TagSession'],
        sourceAccount: accountId,
        sourceArn: stack.arn({ service: 'eks', resource: 'cluster', resourceName: name }),
      }),
    });
    const clusterPolicy = new IamRolePolicyAttachment(this, 'cluster-role-eks-policy', {
      role: clusterRole.name,
      policyArn: managed(stack, 'AmazonEKSClusterPolicy'),
    });
    const clusterKms = new IamRolePolicy(this, 'cluster-role-secrets-key', {
      role: clusterRole.id,
      name: 'secrets-envelope-encryption',
      policy: policyJson([
        { Effect: 'Allow', Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:DescribeKey', 'kms:ListGrants'], Resource: key.arn },
        { Effect: 'Allow', Action: 'kms:CreateGrant', Resource: key.arn, Condition: { Bool: { 'kms:GrantIsForAWSResource': 'true' } } },
      ]),
    });

    // --- Control-plane logs ------------------------------------------------------------------------------
    // EKS writes to this fixed name; creating it first gives it our retention instead of "never expire".
    const logGroup = new CloudwatchLogGroup(this, 'control-plane-logs', {
      name: `/aws/eks/${name}/cluster`,
      retentionInDays: props.logRetentionDays,
    });

    // --- API endpoint clients ------------------------------------------------------------------------------
    // EKS manages the cluster security group (control plane <-> nodes). This extra group only admits HTTPS
    // to the private endpoint from the named clients: the team's MWAA workers call the Kubernetes API.
    const apiClients = new SecurityGroup(this, 'api-clients-sg', {
      name: `${name}-eks-api-clients`,
      description: `HTTPS to the private API endpoint of EKS cluster ${name} from its API clients`,
      vpcId: props.vpcId,
      tags: { Name: `${name}-eks-api-clients` },
    });
    // Rules are keyed by the client (group role, CIDR), never by position: adding a client re-creates no other's rule.
    Object.entries(props.apiClientSecurityGroups ?? {}).forEach(([role, groupId], index) => {
      const rule = new VpcSecurityGroupIngressRule(this, `api-clients-group-${keyOf(role)}`, {
        securityGroupId: apiClients.id,
        referencedSecurityGroupId: groupId,
        ipProtocol: 'tcp',
        fromPort: 443,
        toPort: 443,
        description: 'Kubernetes API from the team MWAA environments',
      });
      // Until this version the ids were list positions (`api-clients-group-<index>`): move that state here.
      moveFromLegacyId(rule, `api-clients-group-${index}`);
    });
    [...new Set(props.apiClientCidrs ?? [])].forEach((cidr, index) => {
      const rule = new VpcSecurityGroupIngressRule(this, `api-clients-cidr-${cidrKey(cidr)}`, {
        securityGroupId: apiClients.id,
        cidrIpv4: cidr,
        ipProtocol: 'tcp',
        fromPort: 443,
        toPort: 443,
        description: `Kubernetes API from ${cidr}`,
      });
      moveFromLegacyId(rule, `api-clients-subnet-${index}`);
    });

    // --- Cluster -----------------------------------------------------------------------------------------
    const publicAccess = props.endpointPublicAccess ?? false;
    this.cluster = new EksCluster(this, 'cluster', {
      name,
      version: props.version,
      roleArn: clusterRole.arn,
      vpcConfig: {
        subnetIds: [...props.subnetIds],
        securityGroupIds: [apiClients.id],
        endpointPrivateAccess: true,
        endpointPublicAccess: publicAccess,
        publicAccessCidrs: publicAccess ? [...(props.publicAccessCidrs ?? [])] : undefined,
      },
      accessConfig: { authenticationMode: 'API', bootstrapClusterCreatorAdminPermissions: false },
      encryptionConfig: { resources: ['secrets'], provider: { keyArn: key.arn } },
      enabledClusterLogTypes: [...props.logTypes],
      dependsOn: [clusterPolicy, clusterKms, logGroup],
    });
    this.clusterName = this.cluster.name;
    this.clusterArn = this.cluster.arn;

    // --- IRSA identity provider ----------------------------------------------------------------------------
    const issuer = this.cluster.identity.get(0).oidc.get(0).issuer;
    const oidc = new IamOpenidConnectProvider(this, 'oidc-provider', {
      url: issuer,
      clientIdList: [IRSA_AUDIENCE],
      tags: { Name: `${name}-eks-irsa` },
    });
    this.oidcProviderArn = oidc.arn;
    this.oidcIssuerHostPath = Fn.replace(issuer, 'https://', '');

    // --- Cluster administrators (access entries) ------------------------------------------------------------
    // Keyed by principal: adding an admin before another never re-creates the other's access.
    [...new Set(props.adminPrincipalArns ?? [])].forEach((principalArn, index) => {
      const admin = principalKey(principalArn);
      const entry = new EksAccessEntry(this, `admin-${admin}-entry`, { clusterName: this.cluster.name, principalArn, type: 'STANDARD' });
      const association = new EksAccessPolicyAssociation(this, `admin-${admin}-policy`, {
        clusterName: this.cluster.name,
        principalArn,
        policyArn: stack.arn({
          service: 'eks',
          region: '',
          account: 'aws',
          resource: 'cluster-access-policy',
          resourceName: 'AmazonEKSClusterAdminPolicy',
        }),
        accessScope: { type: 'cluster' },
        dependsOn: [entry],
      });
      // Until this version the ids were list positions (`admin-<index>-*`): move that state here.
      moveFromLegacyId(entry, `admin-${index}-entry`);
      moveFromLegacyId(association, `admin-${index}-policy`);
    });

    // --- Images without internet ----------------------------------------------------------------------------
    new EcrPullThroughCacheRule(this, 'ecr-public-cache', { ecrRepositoryPrefix: cachePrefix, upstreamRegistryUrl: 'public.ecr.aws' });
    this.publicImageRegistry = `${ecrRegistryHost(accountId, region)}/${cachePrefix}`;

    // --- Node role --------------------------------------------------------------------------------------------
    const nodeRole = new IamRole(this, 'node-role', {
      name: `${name}-eks-node`,
      description: `Node role of EKS cluster ${name}: join the cluster and pull images; nothing for pods`,
      // The EKS user guide's node role trust: EC2 instances of the node group, no source condition.
      assumeRolePolicy: serviceTrustPolicy({ service: 'ec2.amazonaws.com' }),
    });
    this.nodeRoleName = nodeRole.name;
    const nodePolicies = NODE_MANAGED_POLICIES.map(
      (policy) => new IamRolePolicyAttachment(this, `node-role-${policy}`, { role: nodeRole.name, policyArn: managed(stack, policy) }),
    );
    // The first pull of a cached image creates its repository; only under the cache prefix.
    const nodeCache = new IamRolePolicy(this, 'node-role-pull-through-cache', {
      role: nodeRole.id,
      name: 'ecr-pull-through-cache',
      policy: policyJson([
        {
          Effect: 'Allow',
          Action: ['ecr:CreateRepository', 'ecr:BatchImportUpstreamImage'],
          Resource: stack.arn({ service: 'ecr', resource: 'repository', resourceName: `${cachePrefix}/*` }),
        },
      ]),
    });

    // --- VPC CNI with its own identity ------------------------------------------------------------------------
    const cniRole = new IrsaRole(this, 'vpc-cni-role', {
      roleName: `${name}-eks-vpc-cni`,
      namespace: 'kube-system',
      serviceAccount: 'aws-node',
      oidcProviderArn: oidc.arn,
      oidcIssuerHostPath: this.oidcIssuerHostPath,
      managedPolicyArns: [managed(stack, 'AmazonEKS_CNI_Policy')],
      description: `VPC CNI (kube-system/aws-node) of EKS cluster ${name}`,
    });
    const cni = new EksAddon(this, 'vpc-cni', {
      clusterName: this.cluster.name,
      addonName: 'vpc-cni',
      serviceAccountRoleArn: cniRole.roleArn,
      // Takes over the self-managed aws-node EKS bootstraps, so the IRSA role replaces node credentials.
      resolveConflictsOnCreate: 'OVERWRITE',
      resolveConflictsOnUpdate: 'OVERWRITE',
    });

    // --- Nodes ----------------------------------------------------------------------------------------------
    this.launchTemplate = new LaunchTemplate(this, 'node-launch-template', {
      name: `${name}-eks-node`,
      description: `Nodes of EKS cluster ${name}: IMDSv2 only, hop limit ${NODE_IMDS_HOP_LIMIT}, encrypted root volume`,
      updateDefaultVersion: true,
      metadataOptions: {
        httpEndpoint: 'enabled',
        httpTokens: 'required',
        httpPutResponseHopLimit: NODE_IMDS_HOP_LIMIT,
      },
      blockDeviceMappings: [
        {
          deviceName: '/dev/xvda',
          ebs: { volumeSize: props.nodeGroup.diskSize, volumeType: 'gp3', encrypted: 'true', deleteOnTermination: 'true' },
        },
      ],
      tagSpecifications: [{ resourceType: 'instance', tags: { Name: `${name}-eks-node` } }],
    });
    const arm = props.nodeGroup.instanceTypes.every((t) => /^[a-z]+\d+g[a-z]*\./.test(t));
    this.nodeGroup = new EksNodeGroup(this, 'node-group', {
      clusterName: this.cluster.name,
      nodeGroupName: `${name}-default`,
      nodeRoleArn: nodeRole.arn,
      subnetIds: [...props.subnetIds],
      amiType: arm ? 'AL2023_ARM_64_STANDARD' : 'AL2023_x86_64_STANDARD',
      instanceTypes: [...props.nodeGroup.instanceTypes],
      capacityType: props.nodeGroup.capacityType,
      scalingConfig: { minSize: props.nodeGroup.minSize, maxSize: props.nodeGroup.maxSize, desiredSize: props.nodeGroup.desiredSize },
      updateConfig: { maxUnavailable: 1 },
      launchTemplate: { id: this.launchTemplate.id, version: Token.asString(this.launchTemplate.latestVersion) },
      // Nodes need their role's policies to join and the CNI (with its role) to become Ready.
      dependsOn: [...nodePolicies, nodeCache, cni],
    });
  }
}

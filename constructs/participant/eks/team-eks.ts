import { TerraformOutput } from 'cdktf';
import { Construct } from 'constructs';
import { iamRoleArn } from '../../../contracts/aws';
import type { PlatformFile, TeamConfig } from '../../../model/model';
import { PlatformStack } from '../../common/platform-stack';
import { effectiveServiceAccounts, eksClusterName, eksNamespace, irsaRoleName, type EksFile } from '../../../model/schema/eks';
import { TeamEksCluster } from './cluster';
import { IrsaRole } from './irsa-role';
import { KubernetesManifests, type ServiceAccountManifest } from './manifests';
import { MwaaEksAccess, type MwaaExecutionRoleRef } from './mwaa-access';
import { PodOperatorConnection, type SecretReplica } from './pod-operator-connection';
import { SamplePipeline, sampleDagConfig, type SampleDagConfig } from './sample-pipeline';

export interface TeamEksProps {
  readonly platform: PlatformFile;
  /** A team whose file has an `eks` block. */
  readonly team: TeamConfig & { readonly eks: EksFile };
  readonly vpcId: string;
  /** The shared subnets, from the network contract. */
  readonly subnetIds: readonly string[];
  /**
   * Execution roles of the team's MWAA environments: each may run pods in the team namespace.
   * @default none
   */
  readonly executionRoles?: readonly MwaaExecutionRoleRef[];
  /**
   * Security group of the team's MWAA environments: the only client of the private API endpoint.
   * @default none: the shared subnets' CIDRs (`subnetCidrs`) are admitted instead
   */
  readonly mwaaSecurityGroupId?: string;
  /** CIDRs of the shared subnets, admitted to the API endpoint when there is no MWAA security group. */
  readonly subnetCidrs: readonly string[];
  /**
   * The platform's secrets to replicate to the recovery region (environments with recovery).
   * @default none
   */
  readonly secretReplica?: SecretReplica;
}

/**
 * Everything a team's `eks:` block asks for: the cluster, one IRSA role per service account (declared, plus
 * the sample pipeline's), MWAA execution-role access to the team namespace, the Kubernetes manifests the AWS
 * provider cannot apply, the sample pipeline's buckets and parameters, and the stack outputs.
 */
export class TeamEks extends Construct {
  public readonly cluster: TeamEksCluster;
  public readonly namespace: string;
  /** IRSA roles by `namespace/name`. */
  public readonly serviceAccountRoles: ReadonlyMap<string, IrsaRole>;
  public readonly manifests: KubernetesManifests;
  public readonly samplePipeline?: SamplePipeline;
  /** The sample DAG's settings (set when the sample pipeline is on). */
  public readonly sampleDagConfig?: SampleDagConfig;

  constructor(scope: Construct, id: string, props: TeamEksProps) {
    super(scope, id);
    const { platform, team } = props;
    const { accountId, region, partition } = PlatformStack.of(this);
    const eks = team.eks;
    const name = eksClusterName(platform.platform, team.team);
    this.namespace = eksNamespace(team);

    this.cluster = new TeamEksCluster(this, 'cluster', {
      name,
      version: eks.version,
      vpcId: props.vpcId,
      subnetIds: props.subnetIds,
      // MWAA (or, without MWAA, the shared subnets) plus the admins' kubectl clients from the team file; groups
      // keyed by what they are: `mwaa`, or the admin group's own id.
      apiClientSecurityGroups: {
        ...(props.mwaaSecurityGroupId ? { mwaa: props.mwaaSecurityGroupId } : {}),
        ...Object.fromEntries(eks.adminSecurityGroupIds.map((id) => [id, id])),
      },
      apiClientCidrs: [...(props.mwaaSecurityGroupId ? [] : props.subnetCidrs), ...eks.adminCidrs],
      endpointPublicAccess: eks.endpointPublicAccess,
      publicAccessCidrs: eks.publicAccessCidrs,
      logTypes: eks.logTypes,
      logRetentionDays: team.logRetentionDays,
      nodeGroup: eks.nodeGroup,
      adminPrincipalArns: eks.clusterAdmins,
    });

    const roles = new Map<string, IrsaRole>();
    const fromConfig: ServiceAccountManifest[] = [];
    const fromState: ServiceAccountManifest[] = [];
    for (const sa of effectiveServiceAccounts(team, platform, partition)) {
      const roleName = irsaRoleName(platform.platform, team.team, sa.namespace, sa.name);
      const role = new IrsaRole(this, `irsa-${sa.namespace}-${sa.name}`, {
        roleName,
        namespace: sa.namespace,
        serviceAccount: sa.name,
        oidcProviderArn: this.cluster.oidcProviderArn,
        oidcIssuerHostPath: this.cluster.oidcIssuerHostPath,
        statements: sa.statements,
      });
      roles.set(`${sa.namespace}/${sa.name}`, role);
      fromConfig.push({ namespace: sa.namespace, name: sa.name, roleArn: iamRoleArn(partition, accountId, roleName) });
      fromState.push({ namespace: sa.namespace, name: sa.name, roleArn: role.roleArn });
    }
    this.serviceAccountRoles = roles;

    new MwaaEksAccess(this, 'mwaa-access', {
      clusterName: this.cluster.clusterName,
      clusterArn: this.cluster.clusterArn,
      namespace: this.namespace,
      executionRoles: props.executionRoles ?? [],
    });

    this.manifests = new KubernetesManifests(this, 'manifests', {
      namespaces: [this.namespace, ...fromConfig.map((sa) => sa.namespace)],
      serviceAccounts: fromConfig,
      serviceAccountsFromState: fromState,
    });

    // EksPodOperator's XCom sidecar image, reachable without internet, for every environment with a secrets backend.
    const prefixes = team.environments.flatMap((env) => (env.secretsBackend ? [env.secretsBackend.connectionsPrefix] : []));
    const connection =
      prefixes.length > 0
        ? new PodOperatorConnection(this, 'pod-operator-connection', {
            connectionsPrefixes: prefixes,
            sidecarImage: `${this.cluster.publicImageRegistry}/docker/library/alpine:3`,
            replica: props.secretReplica,
          })
        : undefined;

    if (eks.samplePipeline) {
      this.samplePipeline = new SamplePipeline(this, 'sample-pipeline', { platform: platform.platform, team: team.team });
      this.sampleDagConfig = sampleDagConfig({
        platform: platform.platform,
        team: team.team,
        accountId,
        region,
        clusterName: name,
        namespace: this.namespace,
        publicImageRegistry: this.cluster.publicImageRegistry,
        kubernetesConnId: connection?.connId,
      });
    }

    new TerraformOutput(this, 'cluster-name', {
      value: this.cluster.clusterName,
      description: 'EKS cluster of the team',
    }).overrideLogicalId('eks_cluster_name');
    new TerraformOutput(this, 'update-kubeconfig', {
      description: 'Configure kubectl (as a cluster admin principal) before applying kubernetes_manifests',
      value: `aws eks update-kubeconfig --region ${region} --name ${name}`,
    }).overrideLogicalId('eks_update_kubeconfig');
    new TerraformOutput(this, 'oidc-provider-arn', {
      value: this.cluster.oidcProviderArn,
      description: 'IAM OIDC provider of the cluster (IRSA)',
    }).overrideLogicalId('eks_oidc_provider_arn');
  }
}

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Testing, type TerraformStack } from 'cdktf';
import type { PlatformConfig } from '../../model/model';
import { buildApp } from '../../stacks/app';

/** Resource addresses (`type.logical_id`) of a synthesized stack JSON, sorted. */
export function resourceAddresses(tf: any): string[] {
  return Object.entries(tf.resource ?? {})
    .flatMap(([type, byId]) => Object.keys(byId as object).map((id) => `${type}.${id}`))
    .sort();
}

/** The stack's `moved` blocks as `from -> to` lines, sorted. */
export function movedBlocks(tf: any): string[] {
  return ((tf.moved ?? []) as Array<{ from: string; to: string }>).map((m) => `${m.from} -> ${m.to}`).sort();
}

/** The stacks of the app built from `config` (all, or those named in `only`), synthesized in memory, by stack name. */
export function synthAll(config: PlatformConfig, only?: readonly string[]): Map<string, any> {
  // Some constructs write files (Kubernetes manifests) into the outdir: keep them out of the checkout.
  const app = buildApp(config, { outdir: mkdtempSync(join(tmpdir(), 'addresses-')) });
  const stacks = new Map<string, any>();
  for (const child of app.node.children) {
    if (!only || only.includes(child.node.id)) stacks.set(child.node.id, JSON.parse(Testing.synth(child as TerraformStack)));
  }
  return stacks;
}

/**
 * The positional addresses the example had before construct ids named what a resource is, each with the
 * identity-keyed address its state must move to. Literal, from the address snapshot before the re-keying.
 */
export const LEGACY_MOVES: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  owner: {
    'aws_ram_resource_association.subnet-share_subnet-0_E418D276': 'aws_ram_resource_association.subnet-share_subnet-eu-west-1a_57F25950',
    'aws_ram_resource_association.subnet-share_subnet-1_FC224228': 'aws_ram_resource_association.subnet-share_subnet-eu-west-1b_537EC25D',
    'aws_route_table.shared-vpc_private-0-routes_03BD9CE2': 'aws_route_table.shared-vpc_private-eu-west-1a-routes_C92AE520',
    'aws_route_table.shared-vpc_private-1-routes_9BD25E39': 'aws_route_table.shared-vpc_private-eu-west-1b-routes_1BA40D6C',
    'aws_route_table_association.shared-vpc_private-0-routes-association_3C41D5D5':
      'aws_route_table_association.shared-vpc_private-eu-west-1a-routes-association_FD49C8A7',
    'aws_route_table_association.shared-vpc_private-1-routes-association_BF8B66D1':
      'aws_route_table_association.shared-vpc_private-eu-west-1b-routes-association_4DB777AF',
    'aws_subnet.shared-vpc_private-0_A1C11D46': 'aws_subnet.shared-vpc_private-eu-west-1a_6C44621B',
    'aws_subnet.shared-vpc_private-1_2735D580': 'aws_subnet.shared-vpc_private-eu-west-1b_1EEA4BF7',
    'aws_vpc_security_group_ingress_rule.mwaa-endpoints_endpoint-sg-subnet-0-443_D75C1CED':
      'aws_vpc_security_group_ingress_rule.mwaa-endpoints_endpoint-sg-subnet-10-40-0-0_20-443_1B8359D5',
    'aws_vpc_security_group_ingress_rule.mwaa-endpoints_endpoint-sg-subnet-0-5432_4E97F0D4':
      'aws_vpc_security_group_ingress_rule.mwaa-endpoints_endpoint-sg-subnet-10-40-0-0_20-5432_815DDBD1',
    'aws_vpc_security_group_ingress_rule.mwaa-endpoints_endpoint-sg-subnet-1-443_F87BC9FE':
      'aws_vpc_security_group_ingress_rule.mwaa-endpoints_endpoint-sg-subnet-10-40-16-0_20-443_51E4B779',
    'aws_vpc_security_group_ingress_rule.mwaa-endpoints_endpoint-sg-subnet-1-5432_5F387A66':
      'aws_vpc_security_group_ingress_rule.mwaa-endpoints_endpoint-sg-subnet-10-40-16-0_20-5432_79A4849B',
  },
  'participant-analytics': {
    'aws_eks_access_entry.eks_cluster_admin-0-entry_8016CBB6':
      'aws_eks_access_entry.eks_cluster_admin-222222222222-role-AnalyticsPlatformAdmins-entry_196AEAED',
    'aws_eks_access_policy_association.eks_cluster_admin-0-policy_11933B99':
      'aws_eks_access_policy_association.eks_cluster_admin-222222222222-role-AnalyticsPlatformAdmins-policy_881C8B33',
    'aws_secretsmanager_secret.eks_pod-operator-connection_secret-0_B4CE83B8':
      'aws_secretsmanager_secret.eks_pod-operator-connection_secret-airflow_connections_6BDD7F78',
    'aws_secretsmanager_secret_version.eks_pod-operator-connection_secret-0-value_F0657F01':
      'aws_secretsmanager_secret_version.eks_pod-operator-connection_secret-airflow_connections-value_097653F3',
    'aws_vpc_security_group_ingress_rule.eks_cluster_api-clients-subnet-0_1B17AAE3':
      'aws_vpc_security_group_ingress_rule.eks_cluster_api-clients-cidr-10-8-0-0_16_01F2556C',
    'aws_vpc_security_group_ingress_rule.eks_cluster_api-clients-group-0_6656AEDE':
      'aws_vpc_security_group_ingress_rule.eks_cluster_api-clients-group-mwaa_BD7EFCCA',
    // DAG objects: from the lossy, order-dependent idOf ids to keyOf ones (constructs/participant/mwaa/dag-bucket.ts).
    'aws_s3_object.mwaa_dag-bucket_dag-daily_sales_py_E1130DFD': 'aws_s3_object.mwaa_dag-bucket_dag-daily_sales_py_b9c9310b_1EFF1090',
    'aws_s3_object.mwaa_dag-bucket_dag-eks_sample_pipeline_json_4034855B':
      'aws_s3_object.mwaa_dag-bucket_dag-eks_sample_pipeline_json_c7e66555_ADEE26CE',
    'aws_s3_object.mwaa_dag-bucket_dag-eks_sample_pipeline_py_F1F4DBD2':
      'aws_s3_object.mwaa_dag-bucket_dag-eks_sample_pipeline_py_ae2efe7a_374B0EFA',
    'aws_s3_object.mwaa_dag-bucket_dag-include--__init___py_DC48954A':
      'aws_s3_object.mwaa_dag-bucket_dag-include___init___py_ad1cae45_8DE2B024',
    'aws_s3_object.mwaa_dag-bucket_dag-include--s3_xcom_backend_py_B3283FDF':
      'aws_s3_object.mwaa_dag-bucket_dag-include_s3_xcom_backend_py_36978d12_842AAB93',
  },
  'participant-marketing': {
    'aws_s3_object.mwaa_dag-bucket_dag-campaign_report_py_D0E3CF57':
      'aws_s3_object.mwaa_dag-bucket_dag-campaign_report_py_eac80163_3FA72D35',
  },
};

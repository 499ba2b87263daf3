/** Output names of the owner stack: `npm run publish-network` reads them into config/network-contract.json. */
export const OWNER_OUTPUTS = {
  vpcId: 'vpc_id',
  subnetIds: 'subnet_ids',
  endpointSecurityGroupId: 'endpoint_security_group_id',
  s3PrefixListId: 's3_prefix_list_id',
  sqsEndpointId: 'sqs_endpoint_id',
  eventBusArn: 'event_bus_arn',
  endpointManagerRoleArn: 'endpoint_manager_role_arn',
  networkFingerprint: 'network_fingerprint',
  /** Only when `network.pythonPackages.codeArtifact` is set: the PyPI mirror participants read. */
  codeArtifactDomain: 'codeartifact_domain',
  codeArtifactDomainOwner: 'codeartifact_domain_owner',
  codeArtifactRepository: 'codeartifact_repository',
} as const;

/**
 * Output names of a recovery stack: the replica DAG bucket, and each recovered environment's mode and whether it
 * exists in the recovery region now (`{ <environment>: { mode, exists } }`), which the plan review reads to label
 * a standby's cost.
 */
export const RECOVERY_STACK_OUTPUTS = {
  dagBucket: 'recovery_dag_bucket',
  environments: 'recovery_environments',
} as const;

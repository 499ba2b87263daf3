import { createHash } from 'node:crypto';
import { z } from 'zod';
import {
  ACCOUNT_ID,
  CODEARTIFACT_DOMAIN,
  CODEARTIFACT_REPOSITORY,
  EVENT_BUS_ARN,
  IAM_ROLE_ARN,
  PREFIX_LIST_ID,
  SECURITY_GROUP_ID,
  SUBNET_ID,
  VPC_ID,
} from '../contracts/aws';
import { strictObject } from './schema/common';
import type { PlatformFile } from './schema/platform';

export const CONTRACT_FILE = 'network-contract.json';
/** The recovery region's network outputs (platform.yaml `recovery`), in the same shape, published the same way. */
export const RECOVERY_CONTRACT_FILE = 'recovery-network-contract.json';

/**
 * The owner's network outputs that participant stacks need. Participant stacks read this reviewed
 * file instead of the owner's Terraform state, so they plan with only their own account's credentials.
 */
export const networkContractSchema = strictObject({
  platform: z.string(),
  region: z.string(),
  ownerAccountId: z.string().regex(ACCOUNT_ID),
  vpcId: z.string().regex(VPC_ID, 'must be a VPC id'),
  subnetIds: z.array(z.string().regex(SUBNET_ID, 'must be subnet ids')).min(2),
  endpointSecurityGroupId: z.string().regex(SECURITY_GROUP_ID, 'must be a security group id'),
  /** Prefix list of the S3 gateway endpoint: environment security groups reach S3 through it, not 0.0.0.0/0. */
  s3PrefixListId: z.string().regex(PREFIX_LIST_ID, 'must be a prefix list id such as pl-6da54004'),
  eventBusArn: z.string().regex(EVENT_BUS_ARN, 'must be an EventBridge bus ARN'),
  endpointManagerRoleArn: z.string().regex(IAM_ROLE_ARN, 'must be an IAM role ARN'),
  /** The owner's CodeArtifact PyPI mirror, when platform.yaml has `network.pythonPackages.codeArtifact`. */
  codeArtifact: strictObject({
    domain: z.string().regex(CODEARTIFACT_DOMAIN, 'must be a CodeArtifact domain name'),
    domainOwner: z.string().regex(ACCOUNT_ID, 'must be a 12-digit account id'),
    repository: z.string().regex(CODEARTIFACT_REPOSITORY, 'must be a CodeArtifact repository name'),
  }).optional(),
  /** Hash of the owner inputs the outputs derive from; a mismatch means the contract is stale. */
  networkFingerprint: z.string().regex(/^[0-9a-f]{64}$/),
  /** Where the values came from: `terraform-output` after publish, `example` for the shipped fake ids. */
  source: z.enum(['terraform-output', 'example']),
});

export type NetworkContract = z.infer<typeof networkContractSchema>;

/** The PyPI mirror's part of both fingerprints (each owner stack creates it under these names), when it is set. */
const mirrorFingerprintInputs = (platform: PlatformFile) =>
  platform.network.pythonPackages.codeArtifact && {
    domain: platform.network.pythonPackages.codeArtifact.domain ?? platform.platform,
    repository: platform.network.pythonPackages.codeArtifact.repository,
  };

/** Hash of everything in platform.yaml that changes the contract's values. */
export function networkFingerprint(platform: PlatformFile): string {
  const mirror = mirrorFingerprintInputs(platform);
  const inputs = {
    platform: platform.platform,
    region: platform.region,
    owner: platform.owner.accountId,
    create: platform.network.create
      ? {
          cidr: platform.network.create.cidr,
          azs: platform.network.create.availabilityZones,
          subnets: platform.network.create.privateSubnetCidrs,
        }
      : undefined,
    adopt: platform.network.adopt
      ? { vpc: platform.network.adopt.vpcId, subnets: platform.network.adopt.subnets.map((s) => s.id) }
      : undefined,
    // Only when set, so enabling nothing leaves every published fingerprint as it was.
    ...(mirror ? { pythonPackageMirror: { domain: mirror.domain, repository: mirror.repository } } : {}),
  };
  return createHash('sha256').update(JSON.stringify(inputs)).digest('hex');
}

/** Reasons the contract does not belong to this platform configuration (empty when it does). */
export function staleContractReasons(contract: NetworkContract, platform: PlatformFile): string[] {
  const reasons: string[] = [];
  if (contract.platform !== platform.platform) reasons.push(`it is for platform "${contract.platform}", not "${platform.platform}"`);
  if (contract.region !== platform.region) reasons.push(`it is for region ${contract.region}, not ${platform.region}`);
  if (contract.ownerAccountId !== platform.owner.accountId)
    reasons.push(`it is for owner account ${contract.ownerAccountId}, not ${platform.owner.accountId}`);
  const mirror = platform.network.pythonPackages.codeArtifact;
  if (mirror && !contract.codeArtifact)
    reasons.push('platform.yaml sets network.pythonPackages.codeArtifact, but the contract has no CodeArtifact mirror');
  if (!mirror && contract.codeArtifact)
    reasons.push('the contract names a CodeArtifact mirror that platform.yaml no longer sets (network.pythonPackages.codeArtifact)');
  if (reasons.length === 0 && contract.networkFingerprint !== networkFingerprint(platform)) {
    reasons.push('the network section of platform.yaml changed after it was published');
  }
  return reasons;
}

/** Hash of everything in platform.yaml's `recovery` section that changes the recovery contract's values. */
export function recoveryNetworkFingerprint(platform: PlatformFile): string {
  const recovery = platform.recovery;
  if (!recovery) throw new Error('recoveryNetworkFingerprint: platform.yaml has no recovery section');
  const { create, adopt } = recovery.network;
  const mirror = mirrorFingerprintInputs(platform);
  const inputs = {
    platform: platform.platform,
    region: recovery.region,
    owner: platform.owner.accountId,
    create: create ? { cidr: create.cidr, azs: create.availabilityZones, subnets: create.privateSubnetCidrs } : undefined,
    adopt: adopt ? { vpc: adopt.vpcId, subnets: adopt.subnets.map((s) => s.id) } : undefined,
    // The recovery region's own mirror, under the primary's names; only when set, like the primary's.
    ...(mirror ? { pythonPackageMirror: { domain: mirror.domain, repository: mirror.repository } } : {}),
  };
  return createHash('sha256').update(JSON.stringify(inputs)).digest('hex');
}

/** Reasons the recovery contract does not belong to platform.yaml's `recovery` section (empty when it does). */
export function staleRecoveryContractReasons(contract: NetworkContract, platform: PlatformFile): string[] {
  const recovery = platform.recovery;
  if (!recovery) return ['platform.yaml has no recovery section'];
  const reasons: string[] = [];
  if (contract.platform !== platform.platform) reasons.push(`it is for platform "${contract.platform}", not "${platform.platform}"`);
  if (contract.region !== recovery.region) reasons.push(`it is for region ${contract.region}, not ${recovery.region}`);
  if (contract.ownerAccountId !== platform.owner.accountId)
    reasons.push(`it is for owner account ${contract.ownerAccountId}, not ${platform.owner.accountId}`);
  const mirror = platform.network.pythonPackages.codeArtifact;
  if (mirror && !contract.codeArtifact)
    reasons.push(
      'platform.yaml sets network.pythonPackages.codeArtifact, but the contract has no CodeArtifact mirror of the recovery region',
    );
  if (!mirror && contract.codeArtifact)
    reasons.push('the contract names a CodeArtifact mirror that platform.yaml no longer sets (network.pythonPackages.codeArtifact)');
  if (reasons.length === 0 && contract.networkFingerprint !== recoveryNetworkFingerprint(platform)) {
    reasons.push('the recovery section of platform.yaml changed after it was published');
  }
  return reasons;
}

import { iamRoleArn, partitionOf } from '../contracts/aws';
import { CODEARTIFACT_ENDPOINTS, type PythonPackageMirror } from '../contracts/python-packages';
import { INTERFACE_ENDPOINTS_MWAA_NEEDS } from './schema/platform';
import type { PlatformFile } from './schema/platform';
import type { TeamFile } from './schema/team';
import type { EnvironmentFile } from './schema/environment';
import type { NetworkContract } from './contract';
import type { ArtifactFile, TeamArtifacts } from './artifacts';
import type { ConfigProblem } from './errors';

/** The validated configuration: the only input stacks and constructs receive (they never read files). */
export interface PlatformConfig {
  /** Absolute directory the configuration was read from (`PLATFORM_CONFIG`, default `<repository>/config`). */
  readonly configDir: string;
  readonly platform: PlatformFile;
  readonly teams: readonly TeamConfig[];
  /**
   * The owner's published network outputs. Undefined only in owner-only bootstrap, before the owner
   * stack was first applied; participant stacks are not built then.
   */
  readonly contract?: NetworkContract;
  /**
   * The recovery region's published network outputs (`recovery-network-contract.json`); set exactly when
   * platform.yaml has `recovery` and the configuration was not loaded owner-only.
   */
  readonly recoveryContract?: NetworkContract;
  /** The platform's recovery DAGs (backup, restore), keyed under the reserved folder; set only with `recovery`. */
  readonly platformDags?: readonly ArtifactFile[];
  /** What each team uploads to its DAG bucket, read from the repository by the loader, by team name. */
  readonly artifacts: Readonly<Record<string, TeamArtifacts>>;
  /** How messages name the files read (relative to the repository root when inside it). */
  readonly files: { readonly platform: string };
  /** Absolute repository root the team paths were resolved against (`teams/<team>/` lives there). */
  readonly repoRoot: string;
  /** Valid but worth saying: e.g. an EKS version in extended support (extra cost). Printed by synth and the tools. */
  readonly warnings?: readonly ConfigProblem[];
  /**
   * Problems of other teams' files when loaded with `onlyTeam` (those teams are left out of `teams`);
   * always empty otherwise, since any problem fails the load.
   */
  readonly skipped: readonly ConfigProblem[];
}

export interface TeamConfig extends TeamFile {
  /** The file the team was read from, for error messages. */
  readonly file: string;
}

export type EnvironmentConfig = EnvironmentFile;
export type { PlatformFile, TeamFile, NetworkContract, TeamArtifacts };
export { partitionOf };

/** One private subnet of the shared VPC, whether created or adopted. */
export interface SharedSubnetLayout {
  readonly cidr: string;
  readonly availabilityZone: string;
  /** Set for adopted subnets only. */
  readonly id?: string;
}

/** The create/adopt part of `network` or `recovery.network`. */
export type VpcSection = Pick<PlatformFile['network'], 'create' | 'adopt'>;

export function sharedSubnetLayout(platform: PlatformFile): readonly SharedSubnetLayout[] {
  return vpcSubnetLayout(platform.network);
}

export function vpcSubnetLayout(network: VpcSection): readonly SharedSubnetLayout[] {
  const { create, adopt } = network;
  if (create) return create.privateSubnetCidrs.map((cidr, i) => ({ cidr, availabilityZone: create.availabilityZones[i] }));
  return adopt!.subnets.map((s) => ({ cidr: s.cidr, availabilityZone: s.availabilityZone, id: s.id }));
}

/**
 * Positions (in configuration order) of the subnets that carry the platform's interface endpoints: exactly one
 * per availability zone, the first listed in that zone. EC2 refuses an interface endpoint with two subnets in one
 * zone (DuplicateSubnetsInSameZone), which an adopted VPC may well have. The first two of these are also the
 * subnets MWAA gets (see mwaaSubnetIds), so each environment's endpoints sit in the same subnets.
 */
export function endpointSubnetIndexes(layout: readonly SharedSubnetLayout[]): number[] {
  return layout.flatMap((subnet, i) => (layout.findIndex((s) => s.availabilityZone === subnet.availabilityZone) === i ? [i] : []));
}

/**
 * The two shared subnets MWAA uses: the first two in distinct availability zones (contract subnet ids are
 * in configuration order). Validation guarantees two distinct zones exist.
 */
export function mwaaSubnetIds(platform: PlatformFile, contract: NetworkContract, network: VpcSection = platform.network): [string, string] {
  const layout = vpcSubnetLayout(network);
  const second = layout.findIndex((s) => s.availabilityZone !== layout[0].availabilityZone);
  return [contract.subnetIds[0], contract.subnetIds[second]];
}

export function vpcCidr(platform: PlatformFile, network: VpcSection = platform.network): string {
  return (network.create ?? network.adopt)!.cidr;
}

/** The environments of a team that ask for disaster recovery, in configuration order. */
export const recoveredEnvironments = (team: TeamFile): EnvironmentConfig[] => team.environments.filter((e) => e.recovery !== undefined);

/**
 * Interface endpoint services of the recovery VPC: what MWAA needs, the configured extras and, when the primary
 * has a PyPI mirror, the recovery region's own mirror's, each once.
 */
export function recoveryInterfaceServices(platform: PlatformFile): string[] {
  return [
    ...new Set([
      ...INTERFACE_ENDPOINTS_MWAA_NEEDS,
      ...(platform.recovery?.network.extraInterfaceEndpoints ?? []),
      ...(platform.network.pythonPackages.codeArtifact ? CODEARTIFACT_ENDPOINTS : []),
    ]),
  ];
}

/** Which role Terraform assumes: the deploy role, or the read-only plan role for pull-request plans. */
export type TerraformRole = 'deploy' | 'plan';

/** The role Terraform assumes in an account for the given purpose; `plan` needs `planRoleName`. */
export function terraformRoleArn(platform: PlatformFile, accountId: string, role: TerraformRole): string {
  if (role === 'deploy') return deployRoleArn(platform, accountId);
  if (!platform.planRoleName) throw new Error('TERRAFORM_ROLE=plan needs planRoleName in platform.yaml');
  return iamRoleArn(partitionOf(platform.region), accountId, platform.planRoleName);
}

/** The role Terraform assumes in an account: an explicit entry in `deployRoles`, else `deployRoleName` in that account. */
export function deployRoleArn(platform: PlatformFile, accountId: string): string {
  if (platform.deployRoles[accountId]) return platform.deployRoles[accountId];
  if (accountId === platform.owner.accountId && platform.owner.deployRoleArn) return platform.owner.deployRoleArn;
  return iamRoleArn(partitionOf(platform.region), accountId, platform.deployRoleName);
}

/**
 * The PyPI mirror platform.yaml asks for (`network.pythonPackages.codeArtifact`), with its defaults applied: the
 * domain is named after the platform and owned by the owner account. Undefined when there is none.
 */
export function configuredPythonPackageMirror(
  platform: PlatformFile,
): (PythonPackageMirror & { readonly upstreamRepository: string }) | undefined {
  const mirror = platform.network.pythonPackages.codeArtifact;
  if (!mirror) return undefined;
  return {
    domain: mirror.domain ?? platform.platform,
    domainOwner: platform.owner.accountId,
    repository: mirror.repository,
    upstreamRepository: mirror.upstreamRepository,
  };
}

/** Interface endpoint services of the shared VPC: what MWAA needs, the configured extras and the mirror's, each once. */
export function platformInterfaceServices(platform: PlatformFile): string[] {
  return [
    ...new Set([
      ...INTERFACE_ENDPOINTS_MWAA_NEEDS,
      ...platform.network.extraInterfaceEndpoints,
      ...(platform.network.pythonPackages.codeArtifact ? CODEARTIFACT_ENDPOINTS : []),
    ]),
  ];
}

/**
 * Whether an environment reads the mirror: it installs packages (a requirements file) or may run pip in its
 * startup script. Only these execution roles are admitted by the mirror's policies and granted access.
 */
export const readsPythonPackageMirror = (env: EnvironmentConfig): boolean =>
  env.requirementsFile !== undefined || env.startupScriptFile !== undefined;

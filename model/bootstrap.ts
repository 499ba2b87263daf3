import { formatArn, iamRoleArn, partitionOf } from '../contracts/aws';
import { GITHUB_OIDC_HOST, defaultStateBucketName, stateKeyAlias } from '../contracts/bootstrap';
import { platformTags } from '../contracts/tags';
import type { ConfigProblem } from './errors';
import { configuredPythonPackageMirror, deployRoleArn, type PlatformConfig, type PlatformFile } from './model';
import { backupBucketName } from '../contracts/names';

/** What `npm run bootstrap` creates, derived from a validated configuration (see {@link validateBootstrap}). */
export interface BootstrapPlan {
  readonly platform: string;
  /** The primary region: the state bucket, its key and the lock table live here. */
  readonly region: string;
  /** Every region the stacks deploy to: the primary, then platform.yaml `recovery.region` when set. */
  readonly regions: readonly string[];
  readonly partition: string;
  /** The owner account, then every participant account once, in configuration order. */
  readonly accounts: readonly BootstrapAccount[];
  readonly stateAccountId: string;
  readonly state: StateStorage;
  readonly github: {
    readonly repository: string;
    /** `sub` claims that may assume the deploy role (exactly one). */
    readonly deploySubjects: readonly string[];
    /** `sub` claims that may assume the plan role: pull requests, and the branch (the scheduled drift check runs there). */
    readonly planSubjects: readonly string[];
    readonly oidcProvider: 'create' | 'adopt';
  };
  /** Roles of the state account (ARN patterns) that may assume its deploy and plan roles by hand (`ci.operatorRoleArns`). */
  readonly operatorRoleArns: readonly string[];
  readonly deployRoleName: string;
  readonly planRoleName: string;
  /** Every account's deploy role ARN, for the state bucket and KMS key policies. */
  readonly deployRoleArns: readonly string[];
  readonly planRoleArns: readonly string[];
  readonly deployRolePolicy: 'scoped' | 'administrator';
  /** The owner's CodeArtifact domain (`network.pythonPackages.codeArtifact`), when the PyPI mirror is configured. */
  readonly codeArtifactDomain?: string;
  readonly tags: Readonly<Record<string, string>>;
}

export interface BootstrapAccount {
  readonly accountId: string;
  /** The deploy role bootstrap creates in the account (`deployRoleName` or the account's override). */
  readonly deployRoleName: string;
  /** Role the bootstrap provider assumes; undefined: the administrator's ambient credentials. */
  readonly adminRoleArn?: string;
  /** Which stacks Terraform applies in the account with the deploy role. */
  readonly runs: { readonly owner: boolean; readonly participant: boolean };
  /** Teams whose participant stacks live in the account. */
  readonly teams: readonly string[];
  /**
   * Metadata backup buckets of the account's recovered environments, in each region (the primary's and its replica):
   * named after the environment, not the platform, so the platform's bucket prefix does not cover them.
   */
  readonly backupBuckets?: readonly string[];
}

export interface StateStorage {
  readonly bucket: string;
  readonly keyPrefix: string;
  readonly kmsKeyAlias: string;
  /** The alias ARN the S3 backend names as `kmsKeyArn`, so state is written with this key. */
  readonly kmsKeyAliasArn: string;
  readonly dynamodbTable?: string;
  readonly noncurrentVersionDays: number;
}

/** The `sub` claim of a GitHub Actions token for a branch push, an environment's job, or a pull request. */
export const githubSubject = {
  branch: (repository: string, branch: string) => `repo:${repository}:ref:refs/heads/${branch}`,
  environment: (repository: string, environment: string) => `repo:${repository}:environment:${environment}`,
  pullRequest: (repository: string) => `repo:${repository}:pull_request`,
};

/** IAM condition key of a claim of the GitHub OIDC token. */
export const githubClaim = (claim: 'sub' | 'aud'): string => `${GITHUB_OIDC_HOST}:${claim}`;

/**
 * The cross-field rules bootstrap adds to the schema: `ci` and `planRoleName` are required, every deploy role
 * lives in its own account, and an S3 backend matches what bootstrap creates. Empty when the config can be bootstrapped.
 */
export function validateBootstrap(config: PlatformConfig): ConfigProblem[] {
  const file = `${config.configDir}/platform.yaml`;
  const { platform } = config;
  const problems: ConfigProblem[] = [];
  if (!platform.ci) {
    problems.push({
      file,
      path: 'ci',
      message: 'npm run bootstrap needs ci.github.repository (owner/name of the repository whose workflows deploy)',
    });
  }
  if (!platform.planRoleName) {
    problems.push({
      file,
      path: 'planRoleName',
      message: 'npm run bootstrap creates the read-only plan role: set planRoleName, e.g. mwaa-platform-plan',
    });
  }
  const partition = partitionOf(platform.region);
  for (const accountId of platformAccounts(config)) {
    const arn = deployRoleArn(platform, accountId);
    const expected = iamRoleArn(partition, accountId, roleNameOf(arn));
    if (arn !== expected) {
      const path = platform.deployRoles[accountId] ? `deployRoles.${accountId}` : 'owner.deployRoleArn';
      problems.push({ file, path, message: `${arn} must be a role (path "/") in account ${accountId} itself: bootstrap creates it there` });
    }
  }
  const stateAccountId = platform.ci?.stateAccountId ?? platform.owner.accountId;
  if (platform.ci?.stateAccountId && !platformAccounts(config).includes(stateAccountId)) {
    problems.push({
      file,
      path: 'ci.stateAccountId',
      message: `${stateAccountId} is not an account of the platform (the owner or a team's accountId)`,
    });
  }
  (platform.ci?.operatorRoleArns ?? []).forEach((arn, i) => {
    const path = `ci.operatorRoleArns[${i}]`;
    const account = arn.split(':')[4];
    const name = arn.slice(arn.indexOf(':role/') + ':role/'.length);
    if (account !== stateAccountId) {
      problems.push({
        file,
        path,
        message: `${arn} must be a role of the state account ${stateAccountId}: operators sign in to its deploy role, which alone chains into the other accounts`,
      });
    } else if (!/[^*/]/.test(name) || /^\*|\/\*/.test(name)) {
      // A pattern that starts a name or a path segment with "*" admits roles nobody chose (every role, every path).
      problems.push({
        file,
        path,
        message: `${arn} would admit every role of a path; name the role, with "*" only after a fixed part (e.g. AWSReservedSSO_PlatformAdmin_*)`,
      });
    }
  });
  const backend = platform.backend;
  if (backend.type === 's3' && platform.ci && platform.planRoleName) {
    if (backend.region !== platform.region) {
      problems.push({
        file,
        path: 'backend.region',
        message: `bootstrap creates the state bucket in ${platform.region} (region); set backend.region to ${platform.region}`,
      });
    }
    const alias = keyAliasArn(platform, stateAccountId);
    if (backend.kmsKeyArn !== undefined && backend.kmsKeyArn !== alias) {
      problems.push({
        file,
        path: 'backend.kmsKeyArn',
        message: `must be the state key bootstrap creates, ${alias} (or leave it out until the bucket exists)`,
      });
    }
    if (backend.roleArn !== undefined) {
      const admitted = [
        ...platformAccounts(config).flatMap((a) => [deployRoleArn(platform, a), iamRoleArn(partition, a, platform.planRoleName!)]),
      ];
      if (!admitted.includes(backend.roleArn)) {
        problems.push({
          file,
          path: 'backend.roleArn',
          message: `the state bucket admits only the platform's deploy and plan roles; ${backend.roleArn} is neither`,
        });
      }
    }
  }
  return problems;
}

/** The account's backup buckets in every region, when it has recovered environments. */
function backupBucketsOf(config: PlatformConfig, accountId: string, regions: readonly string[]): { backupBuckets?: string[] } {
  const buckets = config.teams
    .filter((t) => t.accountId === accountId)
    .flatMap((t) => (t.environments ?? []).filter((e) => e.recovery !== undefined))
    .flatMap((env) => regions.map((region) => backupBucketName(env.name, region, accountId)));
  return buckets.length > 0 ? { backupBuckets: buckets } : {};
}

/** Builds the plan; call only after {@link validateBootstrap} returned no problems. */
export function bootstrapPlan(config: PlatformConfig): BootstrapPlan {
  const { platform } = config;
  const ci = platform.ci!;
  const partition = partitionOf(platform.region);
  const stateAccountId = ci.stateAccountId ?? platform.owner.accountId;
  const regions = [platform.region, ...(platform.recovery ? [platform.recovery.region] : [])];
  const accounts = platformAccounts(config).map((accountId) => ({
    accountId,
    deployRoleName: deployRoleNameIn(platform, accountId),
    adminRoleArn: ci.adminRoleName ? iamRoleArn(partition, accountId, ci.adminRoleName) : undefined,
    runs: { owner: accountId === platform.owner.accountId, participant: config.teams.some((t) => t.accountId === accountId) },
    teams: config.teams.filter((t) => t.accountId === accountId).map((t) => t.team),
    ...backupBucketsOf(config, accountId, regions),
  }));
  const { repository } = ci.github;
  const backend = platform.backend;
  return {
    platform: platform.platform,
    region: platform.region,
    regions,
    partition,
    accounts,
    stateAccountId,
    state: {
      bucket: backend.type === 's3' ? backend.bucket : defaultStateBucketName(platform.platform, stateAccountId),
      keyPrefix: backend.type === 's3' ? backend.keyPrefix : 'mwaa-platform',
      kmsKeyAlias: stateKeyAlias(platform.platform),
      kmsKeyAliasArn: keyAliasArn(platform, stateAccountId),
      dynamodbTable: backend.type === 's3' && backend.lock === 'dynamodb' ? backend.dynamodbTable : undefined,
      noncurrentVersionDays: ci.noncurrentStateVersionDays,
    },
    github: {
      repository,
      deploySubjects: [
        ci.github.environment
          ? githubSubject.environment(repository, ci.github.environment)
          : githubSubject.branch(repository, ci.github.branch),
      ],
      // The drift workflow (schedule, or dispatched on the branch) plans with this role too: its token names the branch.
      planSubjects: [githubSubject.pullRequest(repository), githubSubject.branch(repository, ci.github.branch)],
      oidcProvider: ci.github.oidcProvider,
    },
    operatorRoleArns: [...ci.operatorRoleArns],
    deployRoleName: platform.deployRoleName,
    planRoleName: platform.planRoleName!,
    deployRoleArns: accounts.map((a) => deployRoleArn(platform, a.accountId)),
    planRoleArns: accounts.map((a) => iamRoleArn(partition, a.accountId, platform.planRoleName!)),
    deployRolePolicy: ci.deployRolePolicy,
    codeArtifactDomain: configuredPythonPackageMirror(platform)?.domain,
    tags: { ...platform.tags, ...platformTags(platform.platform), Purpose: 'bootstrap' },
  };
}

/** The owner account, then each participant account once. */
export function platformAccounts(config: PlatformConfig): string[] {
  return [...new Set([config.platform.owner.accountId, ...config.teams.map((t) => t.accountId)])];
}

/** The deploy role's name in an account (bootstrap creates it under that name). */
export const deployRoleNameIn = (platform: PlatformFile, accountId: string): string => roleNameOf(deployRoleArn(platform, accountId));

const roleNameOf = (arn: string): string => arn.slice(arn.lastIndexOf('/') + 1);

const keyAliasArn = (platform: PlatformFile, stateAccountId: string): string =>
  formatArn({
    partition: partitionOf(platform.region),
    service: 'kms',
    region: platform.region,
    account: stateAccountId,
    resource: stateKeyAlias(platform.platform),
  });

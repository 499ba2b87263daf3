/**
 * Names several parts agree on: stack names (stacks, plan review, tools), resource name prefixes (stacks and
 * the `mwaa` CLI), MWAA's log-group naming (log groups, execution role, KMS key policy). Dependency-free
 * apart from Node's hash.
 */
import { sha256Hex } from './sha256';

export const OWNER_STACK = 'owner';
const PARTICIPANT_PREFIX = 'participant-';

export const participantStackName = (team: string): string => `${PARTICIPANT_PREFIX}${team}`;

/** The team of a participant stack name; undefined for the owner and any other stack. */
export const teamOfStack = (stack: string): string | undefined =>
  stack.startsWith(PARTICIPANT_PREFIX) ? stack.slice(PARTICIPANT_PREFIX.length) : undefined;

/** The recovery region's owner stack: its shared VPC, endpoints, status bus and endpoint manager. */
export const RECOVERY_OWNER_STACK = 'owner-recovery';
const RECOVERY_PREFIX = 'recovery-';
/** A team's stack in the recovery region (replica bucket, standby or restorable environments). */
export const recoveryStackName = (team: string): string => `${RECOVERY_PREFIX}${team}`;
/** The team of a recovery stack name; undefined for every other stack. */
export const teamOfRecoveryStack = (stack: string): string | undefined =>
  stack.startsWith(RECOVERY_PREFIX) ? stack.slice(RECOVERY_PREFIX.length) : undefined;
/**
 * Resource-name prefix of the recovery side: the region in it, so names AWS keeps unique per account (IAM roles,
 * the endpoint manager's, the reconcile role) never meet the primary's. `acme-data` → `acme-data-us-west-2`.
 */
export const recoveryResourcePrefix = (prefix: string, region: string): string => `${prefix}-${region}`;

/** Owner first, then the rest by name: the order stacks are applied and reviewed in. */
export const stackOrder = (a: string, b: string): number => (a === OWNER_STACK ? -1 : b === OWNER_STACK ? 1 : a.localeCompare(b));

/** Prefix of a team's resource names: `<platform>-<team>`. */
export const teamResourcePrefix = (platform: string, team: string): string => `${platform}-${team}`;

/**
 * `name` when it fits `max` characters, else a prefix of it plus a short hash, so long team or
 * environment names still give valid, stable and distinct AWS names.
 */
export function boundedName(name: string, max: number): string {
  if (name.length <= max) return name;
  const hash = sha256Hex(name).slice(0, 8);
  return `${name.slice(0, max - hash.length - 1).replace(/[-_.]+$/, '')}-${hash}`;
}

/** IAM role names are at most 64 characters. */
export const IAM_ROLE_NAME_MAX = 64;

/** A team's access role (the participant stack creates it, the `mwaa` CLI assumes it). */
export const teamAccessRoleName = (resourcePrefix: string): string => boundedName(`${resourcePrefix}-airflow-access`, IAM_ROLE_NAME_MAX);

/** The owner's bus for MWAA status events. */
/** A primary environment's scheduler-heartbeat alarm: the alarm, its topic's policy and the deploy role all name it. */
export const heartbeatAlarmName = (environment: string): string => `${environment}-scheduler-heartbeat`;

export const statusBusName = (platform: string): string => `${platform}-mwaa-status`;

/** MWAA writes an environment's logs to `airflow-<env>-<Type>` log groups. */
export const mwaaLogGroupName = (environment: string, type: string): string => `airflow-${environment}-${type}`;
/** Every log group of one environment, as an IAM resource / KMS encryption-context pattern. */
export const mwaaLogGroupPattern = (environment: string): string => `airflow-${environment}-*`;

/**
 * An environment's MWAA execution role (the participant stack creates it). The owner stack names it too: the
 * CodeArtifact domain and repository policies admit exactly these roles, before they exist.
 */
export const mwaaExecutionRoleName = (environment: string): string => boundedName(`${environment}-mwaa-execution`, IAM_ROLE_NAME_MAX);

/**
 * The execution role of an environment's recovery side (the recovery stack creates it): IAM names are global to the
 * account, so it carries the region. The recovery owner stack names it too, for its CodeArtifact policies.
 */
export const recoveryExecutionRoleName = (environment: string, region: string): string =>
  boundedName(`${environment}-${region}-mwaa-execution`, IAM_ROLE_NAME_MAX);

/** S3 bucket names allow lowercase letters, digits, `-` and `.`: an environment name made safe, with a hash if it changed. */
function s3Safe(name: string): string {
  const safe = name.toLowerCase().replace(/_/g, '-');
  return safe === name ? name : `${safe}-${sha256Hex(name).slice(0, 6)}`;
}

/** A team's DAG bucket replica in the recovery region (S3 names are global: region and account in it). */
export const dagReplicaBucketName = (resourcePrefix: string, region: string, account: string): string =>
  boundedName(`${resourcePrefix}-mwaa-${region}-${account}`, 63);

/**
 * An environment's metadata backup bucket in `region`: the primary region's receives the backup DAG's exports,
 * the recovery region's is its replica. Both stacks derive the name; neither reads the other.
 */
export const backupBucketName = (environment: string, region: string, account: string): string =>
  boundedName(`${s3Safe(environment)}-backup-${region}-${account}`, 63);

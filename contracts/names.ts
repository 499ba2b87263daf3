/**
 * Names several parts agree on: stack names (stacks, plan review, tools), resource name prefixes (stacks and
 * the `mwaa` CLI), MWAA's log-group naming (log groups, execution role, KMS key policy). Dependency-free
 * apart from Node's hash.
 */
import { createHash } from 'node:crypto';

export const OWNER_STACK = 'owner';
const PARTICIPANT_PREFIX = 'participant-';

export const participantStackName = (team: string): string => `${PARTICIPANT_PREFIX}${team}`;

/** The team of a participant stack name; undefined for the owner and any other stack. */
export const teamOfStack = (stack: string): string | undefined =>
  stack.startsWith(PARTICIPANT_PREFIX) ? stack.slice(PARTICIPANT_PREFIX.length) : undefined;

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
  const hash = createHash('sha256').update(name).digest('hex').slice(0, 8);
  return `${name.slice(0, max - hash.length - 1).replace(/[-_.]+$/, '')}-${hash}`;
}

/** IAM role names are at most 64 characters. */
export const IAM_ROLE_NAME_MAX = 64;

/** A team's access role (the participant stack creates it, the `mwaa` CLI assumes it). */
export const teamAccessRoleName = (resourcePrefix: string): string => boundedName(`${resourcePrefix}-airflow-access`, IAM_ROLE_NAME_MAX);

/** The owner's bus for MWAA status events. */
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

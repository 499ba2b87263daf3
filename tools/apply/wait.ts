/**
 * Waiting for MWAA environments, as pure functions: what one GetEnvironment observation means for an
 * environment being created, updated or deleted, and the progress line to print. No SDK, no clock: the
 * caller passes observations and times (see waiter.ts for the loop and sdk.ts for the AWS adapter).
 *
 * Why this exists: with customer-managed endpoints (the shared-VPC set-up), MWAA parks a new environment
 * in PENDING until someone creates its database/webserver VPC endpoints; here that is the owner's endpoint
 * manager. Terraform returns at PENDING, so "apply succeeded" says nothing about a usable environment.
 */
import {
  ENDPOINT_MANAGER_ALARMS,
  endpointManagerAlarmName,
  endpointManagerDeadLetterQueueName,
  endpointManagerLogGroupName,
  endpointManagerName,
} from '../../contracts/endpoint-manager';

/** MWAA's EnvironmentStatus, plus NOT_FOUND for GetEnvironment's ResourceNotFoundException. */
export type EnvironmentStatus =
  | 'CREATING'
  | 'CREATE_FAILED'
  | 'CREATING_SNAPSHOT'
  | 'PENDING'
  | 'AVAILABLE'
  | 'UPDATING'
  | 'UPDATE_FAILED'
  | 'ROLLING_BACK'
  | 'MAINTENANCE'
  | 'UNAVAILABLE'
  | 'DELETING'
  | 'DELETED'
  | 'NOT_FOUND';

/** One GetEnvironment reply, reduced to what the wait needs. */
export interface Observation {
  readonly status: EnvironmentStatus;
  /** `LastUpdate.Error` of the reply, when MWAA reports one. */
  readonly lastError?: { readonly code?: string; readonly message?: string };
}

/** An environment `npm run apply` created or updated (`AVAILABLE`), or `npm run decommission` destroys (`DELETED`). */
export interface WaitTarget {
  readonly team: string;
  readonly accountId: string;
  readonly name: string;
  readonly goal: 'AVAILABLE' | 'DELETED';
  /** The recovery region, for an environment of a recovery stack (a standby has its primary's name). @default the primary region */
  readonly region?: string;
}

/** Where the endpoint manager lives, to tell the user where to look when an environment stays PENDING. */
export interface EndpointManagerLocation {
  readonly platform: string;
  readonly ownerAccountId: string;
  readonly region: string;
}

export interface WaitSettings {
  /** After this long in PENDING, stop and say the endpoint manager has not created the endpoints. */
  readonly pendingTimeoutMs: number;
  /** After this long in total, stop waiting whatever the status. */
  readonly timeoutMs: number;
}

/** Progress of one environment between observations. */
export interface WaitState {
  readonly startedAt: number;
  /** When the environment entered PENDING (unset while not PENDING). */
  readonly pendingSince?: number;
  readonly last?: EnvironmentStatus;
}

export type Outcome = { readonly kind: 'waiting' } | { readonly kind: 'done' } | { readonly kind: 'failed'; readonly message: string };

export interface Step {
  readonly state: WaitState;
  readonly outcome: Outcome;
  /** The progress line for this observation. */
  readonly line: string;
}

const FAILED: ReadonlySet<EnvironmentStatus> = new Set(['CREATE_FAILED', 'UPDATE_FAILED']);

/** `3m05s`, `45s`, `1h02m`. */
export function formatElapsed(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

export const targetLabel = (t: Pick<WaitTarget, 'team' | 'name' | 'region'>): string =>
  `${t.team}/${t.name}${t.region ? ` (${t.region})` : ''}`;

/** What a status means while waiting for the goal, as the progress line's note. */
function note(status: EnvironmentStatus, goal: WaitTarget['goal']): string {
  switch (status) {
    case 'PENDING':
      return 'waiting for the endpoint manager to create endpoints';
    case 'CREATING':
      return 'MWAA is creating the environment';
    case 'UPDATING':
      return 'MWAA is applying the update';
    case 'CREATING_SNAPSHOT':
      return 'MWAA is snapshotting the metadata database before a version change';
    case 'ROLLING_BACK':
      return 'MWAA is rolling back a failed update';
    case 'MAINTENANCE':
      return 'MWAA maintenance in progress';
    case 'DELETING':
      return goal === 'DELETED' ? 'MWAA is deleting the environment' : 'the environment is being deleted';
    case 'AVAILABLE':
      return goal === 'AVAILABLE' ? 'ready' : 'still there';
    case 'DELETED':
    case 'NOT_FOUND':
      return goal === 'DELETED' ? 'gone; the endpoint manager now removes its endpoints and queues' : 'not found';
    default:
      return '';
  }
}

/** The one-line progress report for an environment: `marketing/mkt-prod  PENDING  4m10s  waiting for …`. */
export function progressLine(target: WaitTarget, status: EnvironmentStatus, elapsedMs: number): string {
  const n = note(status, target.goal);
  return `  ${targetLabel(target)}  ${status}  ${formatElapsed(elapsedMs)}${n ? `  ${n}` : ''}`;
}

/** Names of everything to check when endpoints never appear; every name comes from contracts/. */
export function endpointManagerPointers(where: EndpointManagerLocation): string {
  const alarms = ENDPOINT_MANAGER_ALARMS.map((k) => endpointManagerAlarmName(where.platform, k)).join(', ');
  return (
    `look in the owner account ${where.ownerAccountId} (${where.region}): ` +
    `the function ${endpointManagerName(where.platform)} and its log group ${endpointManagerLogGroupName(where.platform)}, ` +
    `the dead-letter queue ${endpointManagerDeadLetterQueueName(where.platform)} (undelivered status events), ` +
    `the alarms ${alarms}; and check that the participant forwards MWAA status events to the owner's bus`
  );
}

function lastError(o: Observation): string {
  const e = o.lastError;
  if (!e || (!e.code && !e.message)) return 'MWAA reported no error detail (see the environment in the MWAA console)';
  return [e.code, e.message].filter(Boolean).join(': ');
}

/** Starts the wait for one environment. */
export const startWait = (now: number): WaitState => ({ startedAt: now });

/**
 * Folds one observation into the wait: done when the goal status is reached, failed on CREATE_FAILED /
 * UPDATE_FAILED (with MWAA's last error), on PENDING past `pendingTimeoutMs`, or past `timeoutMs`.
 */
export function observe(
  target: WaitTarget,
  state: WaitState,
  o: Observation,
  now: number,
  settings: WaitSettings,
  where: EndpointManagerLocation,
): Step {
  const elapsed = now - state.startedAt;
  const pendingSince = o.status === 'PENDING' ? (state.pendingSince ?? now) : undefined;
  const next: WaitState = { startedAt: state.startedAt, pendingSince, last: o.status };
  const line = progressLine(target, o.status, elapsed);
  const label = targetLabel(target);
  const gone = o.status === 'DELETED' || o.status === 'NOT_FOUND';

  if (target.goal === 'AVAILABLE') {
    if (o.status === 'AVAILABLE') return { state: next, line, outcome: { kind: 'done' } };
    if (FAILED.has(o.status)) {
      return { state: next, line, outcome: { kind: 'failed', message: `${label} is ${o.status}: ${lastError(o)}` } };
    }
    if (gone || o.status === 'DELETING') {
      return {
        state: next,
        line,
        outcome: { kind: 'failed', message: `${label} is ${o.status} while apply expected it to become AVAILABLE` },
      };
    }
    if (pendingSince !== undefined && now - pendingSince >= settings.pendingTimeoutMs) {
      return {
        state: next,
        line,
        outcome: {
          kind: 'failed',
          message:
            `${label} has been PENDING for ${formatElapsed(now - pendingSince)}: the endpoint manager has not created the endpoints ` +
            `(MWAA waits for the database and webserver VPC endpoints in the shared VPC); ${endpointManagerPointers(where)}`,
        },
      };
    }
  } else {
    if (gone) return { state: next, line, outcome: { kind: 'done' } };
    if (FAILED.has(o.status)) {
      return {
        state: next,
        line,
        outcome: { kind: 'failed', message: `${label} is ${o.status} instead of being deleted: ${lastError(o)}` },
      };
    }
  }
  if (elapsed >= settings.timeoutMs) {
    return {
      state: next,
      line,
      outcome: {
        kind: 'failed',
        message: `${label} did not become ${target.goal} within ${formatElapsed(settings.timeoutMs)} (last status ${o.status}); raise --timeout or check the MWAA console`,
      },
    };
  }
  return { state: next, line, outcome: { kind: 'waiting' } };
}

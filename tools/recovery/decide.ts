/**
 * Pure decisions of `npm run failover` and `npm run failback`: how healthy the primary looks, whether to go on,
 * which steps a mode takes, what a restore run's state means. No AWS, no clock, no output: tools/recovery/run.ts
 * feeds them what the SDK adapter (tools/recovery/aws.ts) read.
 */
import type { RecoveryMode } from '../../model/schema/environment';

/** One heartbeat datapoint of the primary scheduler (`AmazonMWAA/SchedulerHeartbeat`, Sum per period). */
export interface HeartbeatPoint {
  readonly timestamp: Date;
  readonly sum: number;
}

/** What CloudWatch said: datapoints, or an error (throttling, an outage, no permission). */
export type HeartbeatReading = { readonly points: readonly HeartbeatPoint[] } | { readonly error: string };

export type PrimaryHealth =
  | { readonly state: 'healthy'; readonly lastBeat: Date; readonly detail: string }
  | { readonly state: 'silent'; readonly lastBeat?: Date; readonly detail: string }
  | { readonly state: 'unknown'; readonly detail: string };

/** The window a heartbeat counts in: the heartbeat alarm's (constructs/recovery/heartbeat-alarm.ts). */
export const HEARTBEAT_WINDOW_MINUTES = 15;

/**
 * Healthy when the scheduler beat within the window; silent when CloudWatch answered and it did not; unknown when
 * CloudWatch did not answer. Unknown is never treated as a disaster: CloudWatch failing is not MWAA failing.
 */
export function judgeHeartbeat(reading: HeartbeatReading, now: Date): PrimaryHealth {
  if ('error' in reading)
    return { state: 'unknown', detail: `CloudWatch did not answer (${reading.error}); the primary's state is unknown` };
  const beats = reading.points.filter((p) => p.sum > 0).sort((a, b) => b.timestamp.getTime() - a.timestamp.getTime());
  const last = beats[0]?.timestamp;
  const since = new Date(now.getTime() - HEARTBEAT_WINDOW_MINUTES * 60_000);
  if (last && last >= since) {
    return {
      state: 'healthy',
      lastBeat: last,
      detail: `the scheduler beat at ${last.toISOString()} (${minutesBetween(last, now)} min ago)`,
    };
  }
  return {
    state: 'silent',
    ...(last ? { lastBeat: last } : {}),
    detail: last
      ? `no scheduler heartbeat for ${minutesBetween(last, now)} min (last at ${last.toISOString()})`
      : `no scheduler heartbeat in the last ${HEARTBEAT_WINDOW_MINUTES} min or before it in the data read`,
  };
}

const minutesBetween = (from: Date, to: Date) => Math.round((to.getTime() - from.getTime()) / 60_000);

/** Why failover must not go on, or undefined when it may. Declaring a disaster is a human decision: `--force`. */
export function failoverRefusal(health: PrimaryHealth, force: boolean): string | undefined {
  if (force) return undefined;
  if (health.state === 'healthy')
    return `the primary looks healthy (${health.detail}); fail over anyway only if you declared a disaster: add --force`;
  if (health.state === 'unknown')
    return `${health.detail}; that is not evidence of a disaster. Check the primary another way and add --force if you declared one`;
  return undefined;
}

/** Why failback must not go on: the primary must be back (its scheduler beating) unless forced. */
export function failbackRefusal(health: PrimaryHealth, force: boolean): string | undefined {
  if (force || health.state === 'healthy') return undefined;
  return `the primary is not back (${health.detail}); fail back once its scheduler beats again, or add --force`;
}

export type StepName =
  | 'check-primary'
  | 'apply-recovery-stack'
  | 'wait-environment'
  | 'trigger-restore'
  | 'wait-restore'
  | 'trigger-backup'
  | 'wait-backup'
  | 'pause-recovery'
  | 'remove-recovery-environment';

export interface Step {
  readonly name: StepName;
  /** What the step does, as printed. */
  readonly title: string;
}

/** The steps of a failover, in order: a warm standby restores into itself; backup-restore creates the environment first. */
export function failoverSteps(mode: RecoveryMode): Step[] {
  const restore: Step[] = [
    { name: 'trigger-restore', title: 'trigger the restore DAG in the recovery environment (cleans, loads, unpauses what ran)' },
    { name: 'wait-restore', title: 'wait for the restore run to finish' },
  ];
  if (mode === 'warm-standby') return [{ name: 'check-primary', title: "read the primary's scheduler heartbeat" }, ...restore];
  return [
    { name: 'check-primary', title: "read the primary's scheduler heartbeat" },
    { name: 'apply-recovery-stack', title: "apply the team's recovery stack with the environment (REGIONS=recovery, RECOVERY_FAILOVER)" },
    { name: 'wait-environment', title: 'wait for the environment to become AVAILABLE (20-30 min)' },
    ...restore,
  ];
}

/**
 * The steps of a failback: the recovery environment's metadata is exported by its backup DAG and restored into the
 * primary, then the recovery side returns to standing by (a standby pauses its DAGs; a backup-restore environment
 * is removed by applying the recovery stack without it).
 */
export function failbackSteps(mode: RecoveryMode): Step[] {
  return [
    { name: 'check-primary', title: "read the primary's scheduler heartbeat (it must be back)" },
    { name: 'trigger-backup', title: 'trigger the backup DAG in the recovery environment' },
    { name: 'wait-backup', title: 'wait for the backup run to finish' },
    { name: 'trigger-restore', title: 'trigger the restore DAG in the primary environment, reading the recovery backup' },
    { name: 'wait-restore', title: 'wait for the restore run to finish' },
    mode === 'warm-standby'
      ? { name: 'pause-recovery', title: 'pause the DAGs of the standby again' }
      : { name: 'remove-recovery-environment', title: 'apply the recovery stack without the environment (REGIONS=recovery)' },
  ];
}

export type RunState = 'queued' | 'running' | 'success' | 'failed';

/**
 * The state of a DAG run from `airflow dags list-runs -d <dag> -o json` (newest first): the run with the given id,
 * or undefined when it is not listed yet.
 */
export function runStateOf(listRunsJson: string, runId: string): RunState | undefined {
  let runs: unknown;
  try {
    runs = JSON.parse(listRunsJson);
  } catch {
    throw new Error(`the run list is not JSON: ${listRunsJson.slice(0, 200)}`);
  }
  if (!Array.isArray(runs)) throw new Error('the run list is not a JSON array');
  const run = runs.find((r) => r && typeof r === 'object' && (r as { run_id?: unknown }).run_id === runId) as
    | { state?: unknown }
    | undefined;
  if (!run) return undefined;
  const state = String(run.state);
  if (state === 'success' || state === 'failed' || state === 'queued' || state === 'running') return state;
  throw new Error(`run ${runId} is in state "${state}", which the failover does not know`);
}

/** `12.3 s`, `4 min 05 s`: a step's duration as printed. */
export function formatDuration(ms: number): string {
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const minutes = Math.floor(ms / 60_000);
  const seconds = Math.round((ms % 60_000) / 1000);
  return `${minutes} min ${String(seconds).padStart(2, '0')} s`;
}

/** The run id failover gives the restore run, so it can find it again: unique per attempt, readable in the UI. */
export const restoreRunId = (direction: 'failover' | 'failback', now: Date): string =>
  `platform_${direction}_${now.toISOString().replace(/[:.]/g, '-')}`;

/**
 * The backup id failback's backup writes and its restore reads, in the DAGs' format (UTC `20261203T100000Z`,
 * metadata.backup_id_for). Named by the tool rather than left to "the newest": once the primary is back, its own
 * hourly backups of its stale state replicate into the same bucket and may be newer than the failback backup.
 */
export const failbackBackupId = (now: Date): string =>
  now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}Z$/, 'Z');

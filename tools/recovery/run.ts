/**
 * `npm run failover -- --team T --environment E [--force]` and `npm run failback -- --team T --environment E [--force]`
 * (docs/disaster-recovery.md). Each prints every step with its duration and the next one. Failover needs only the
 * recovery region's credentials: the primary's heartbeat is read through CloudWatch, and a CloudWatch error is an
 * unknown state, never a disaster. Decisions: decide.ts; AWS and child processes: aws.ts.
 */
import { resolve } from 'node:path';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { MWAAClient } from '@aws-sdk/client-mwaa';
import { iamRoleArn, partitionOf } from '../../contracts/aws';
import { backupBucketName, recoveryResourcePrefix, recoveryStackName, teamAccessRoleName, teamResourcePrefix } from '../../contracts/names';
import { RECOVERY_DAG_IDS, RECOVERY_RUN_CONF, RESTORE_CONFIRMATION } from '../../contracts/recovery';
import { loadPlatformConfig } from '../../model/load';
import { configDirOf } from '../../model/synth-settings';
import type { PlatformConfig } from '../../model/model';
import type { RecoveryMode } from '../../model/schema/environment';
import { AIRFLOW3_RECOVERY_SCOPE, metadataDagsCarry } from '../../model/recovery';
import { EXIT, runToolAsMain, UsageError, type CommandLine } from '../lib/cli';
import { airflowCli, environmentStatus, readHeartbeat, runProcess, type ProcessResult } from './aws';
import {
  failbackBackupId,
  failbackRefusal,
  failbackSteps,
  failoverRefusal,
  failoverSteps,
  formatDuration,
  judgeHeartbeat,
  restoreRunId,
  runStateOf,
  type HeartbeatReading,
  type Step,
} from './decide';

export type Side = 'primary' | 'recovery';

/** What the flows need from the world; tests give fakes, main gives aws.ts. */
export interface RecoveryDeps {
  readonly now: () => Date;
  readonly sleep: (ms: number) => Promise<void>;
  /** The primary environment's heartbeat, read from the primary region's CloudWatch. */
  readonly heartbeat: (environment: string) => Promise<HeartbeatReading>;
  /** An environment's MWAA status on one side. */
  readonly environmentStatus: (side: Side, environment: string) => Promise<string>;
  /** One Airflow CLI command in the environment on one side (through the `mwaa` command). */
  readonly airflow: (side: Side, words: readonly string[]) => Promise<ProcessResult>;
  /** Applies the team's recovery stack, creating the listed backup-restore environments (`team/environment`). */
  readonly applyRecoveryStack: (failover: readonly string[]) => Promise<ProcessResult>;
  readonly out: (text: string) => void;
}

export interface RecoveryRequest {
  readonly team: string;
  readonly environment: string;
  readonly mode: RecoveryMode;
  readonly force: boolean;
  /** Bucket the failback's restore reads: the recovery environment's backups. */
  readonly recoveryBackupBucket: string;
  /** @default 30 s */
  readonly pollMs?: number;
  /** @default 2 hours */
  readonly timeoutMs?: number;
}

class StepFailed extends Error {}

/** Runs `steps` in order, printing `[i/n] title`, then its duration and the next step. Returns the exit code. */
async function runSteps(steps: readonly Step[], deps: RecoveryDeps, act: (step: Step) => Promise<string | undefined>): Promise<number> {
  for (const [i, step] of steps.entries()) {
    const started = deps.now().getTime();
    deps.out(`[${i + 1}/${steps.length}] ${step.title}`);
    let note: string | undefined;
    try {
      note = await act(step);
    } catch (error) {
      const took = formatDuration(deps.now().getTime() - started);
      deps.out(`      stopped after ${took}: ${error instanceof Error ? error.message : String(error)}`);
      deps.out(`      nothing after this step ran; fix the cause and run the command again (docs/disaster-recovery.md)`);
      return EXIT.failed;
    }
    const next = steps[i + 1];
    const took = formatDuration(deps.now().getTime() - started);
    deps.out(`      ${note ? `${note}; ` : ''}done in ${took}${next ? `; next: ${next.title}` : '; nothing left to do'}`);
  }
  return EXIT.ok;
}

/** Polls until `done` returns a result or the timeout passes. */
async function waitFor<T>(deps: RecoveryDeps, request: RecoveryRequest, what: string, done: () => Promise<T | undefined>): Promise<T> {
  const deadline = deps.now().getTime() + (request.timeoutMs ?? 2 * 60 * 60_000);
  for (;;) {
    const result = await done();
    if (result !== undefined) return result;
    if (deps.now().getTime() >= deadline)
      throw new StepFailed(`${what} did not finish within ${formatDuration(request.timeoutMs ?? 7_200_000)}`);
    await deps.sleep(request.pollMs ?? 30_000);
  }
}

async function airflowOk(deps: RecoveryDeps, side: Side, words: readonly string[]): Promise<string> {
  const result = await deps.airflow(side, words);
  if (result.code !== 0) throw new StepFailed(`\`airflow ${words.join(' ')}\` in the ${side} environment failed (exit ${result.code})`);
  return result.stdout;
}

async function trigger(deps: RecoveryDeps, side: Side, dagId: string, runId: string, conf?: object) {
  await airflowOk(deps, side, ['dags', 'unpause', dagId]);
  await airflowOk(deps, side, ['dags', 'trigger', dagId, '--run-id', runId, ...(conf ? ['--conf', JSON.stringify(conf)] : [])]);
}

async function waitRun(deps: RecoveryDeps, request: RecoveryRequest, side: Side, dagId: string, runId: string): Promise<string> {
  const state = await waitFor(deps, request, `${dagId} run ${runId}`, async () => {
    const s = runStateOf(await airflowOk(deps, side, ['dags', 'list-runs', '-d', dagId, '-o', 'json']), runId);
    return s === 'success' || s === 'failed' ? s : undefined;
  });
  if (state === 'failed') throw new StepFailed(`${dagId} run ${runId} failed; read its task logs in the ${side} environment`);
  return `${dagId} run ${runId} succeeded`;
}

async function checkPrimary(deps: RecoveryDeps, request: RecoveryRequest, refusal: typeof failoverRefusal): Promise<string> {
  const health = judgeHeartbeat(await deps.heartbeat(request.environment), deps.now());
  deps.out(`      primary ${request.environment}: ${health.detail}`);
  const refused = refusal(health, request.force);
  if (refused) throw new StepFailed(`refused: ${refused}`);
  return request.force && health.state !== 'silent' ? `going on because of --force (${health.state})` : `primary ${health.state}`;
}

/** Fails an environment over to the recovery region. */
export async function failover(request: RecoveryRequest, deps: RecoveryDeps): Promise<number> {
  const runId = restoreRunId('failover', deps.now());
  return runSteps(failoverSteps(request.mode), deps, async (step) => {
    switch (step.name) {
      case 'check-primary':
        return checkPrimary(deps, request, failoverRefusal);
      case 'apply-recovery-stack': {
        const applied = await deps.applyRecoveryStack([`${request.team}/${request.environment}`]);
        if (applied.code !== 0) throw new StepFailed(`applying ${recoveryStackName(request.team)} failed (exit ${applied.code})`);
        return `${recoveryStackName(request.team)} applied`;
      }
      case 'wait-environment':
        return waitFor(deps, request, `${request.environment} in the recovery region`, async () => {
          const status = await deps.environmentStatus('recovery', request.environment);
          if (status === 'AVAILABLE') return 'AVAILABLE';
          if (/FAILED/.test(status)) throw new StepFailed(`${request.environment} is ${status} in the recovery region`);
          return undefined;
        });
      case 'trigger-restore':
        await trigger(deps, 'recovery', RECOVERY_DAG_IDS.restore, runId, { [RECOVERY_RUN_CONF.confirm]: RESTORE_CONFIRMATION });
        return `run ${runId}`;
      case 'wait-restore':
        return waitRun(deps, request, 'recovery', RECOVERY_DAG_IDS.restore, runId);
      default:
        throw new Error(`step ${step.name} is not a failover step`);
    }
  });
}

/** Brings an environment back to the primary region after a failover. */
export async function failback(request: RecoveryRequest, deps: RecoveryDeps): Promise<number> {
  const backupRun = restoreRunId('failback', deps.now()).replace('platform_failback', 'platform_failback_backup');
  const restoreRun = restoreRunId('failback', deps.now());
  const backupId = failbackBackupId(deps.now());
  return runSteps(failbackSteps(request.mode), deps, async (step) => {
    switch (step.name) {
      case 'check-primary':
        return checkPrimary(deps, request, failbackRefusal);
      case 'trigger-backup':
        // Written into the recovery side's backup bucket, which the primary's restore then reads across regions.
        await trigger(deps, 'recovery', RECOVERY_DAG_IDS.backup, backupRun, {
          [RECOVERY_RUN_CONF.bucket]: request.recoveryBackupBucket,
          [RECOVERY_RUN_CONF.backupId]: backupId,
        });
        return `run ${backupRun}`;
      case 'wait-backup':
        return waitRun(deps, request, 'recovery', RECOVERY_DAG_IDS.backup, backupRun);
      case 'trigger-restore':
        await trigger(deps, 'primary', RECOVERY_DAG_IDS.restore, restoreRun, {
          [RECOVERY_RUN_CONF.bucket]: request.recoveryBackupBucket,
          [RECOVERY_RUN_CONF.backupId]: backupId,
          [RECOVERY_RUN_CONF.confirm]: RESTORE_CONFIRMATION,
        });
        return `run ${restoreRun}`;
      case 'wait-restore':
        return waitRun(deps, request, 'primary', RECOVERY_DAG_IDS.restore, restoreRun);
      case 'pause-recovery':
        await airflowOk(deps, 'recovery', ['dags', 'pause', '--treat-dag-id-as-regex', '--yes', '.*']);
        return 'standby paused';
      case 'remove-recovery-environment': {
        const applied = await deps.applyRecoveryStack([]);
        if (applied.code !== 0) throw new StepFailed(`applying ${recoveryStackName(request.team)} failed (exit ${applied.code})`);
        return `${request.environment} removed from the recovery region`;
      }
      default:
        throw new Error(`step ${step.name} is not a failback step`);
    }
  });
}

/** The team's environment and its recovery mode; a usage error names what exists. */
export function recoveryTarget(config: PlatformConfig, team: string, environment: string): { mode: RecoveryMode; accountId: string } {
  if (!config.platform.recovery) throw new UsageError(`${config.files.platform} has no recovery section: nothing to fail over to`);
  const found = config.teams.find((t) => t.team === team);
  if (!found) throw new UsageError(`unknown team "${team}"; teams: ${config.teams.map((t) => t.team).join(', ') || 'none'}`);
  const env = found.environments.find((e) => e.name === environment);
  const recovered = found.environments.filter((e) => e.recovery).map((e) => e.name);
  if (!env?.recovery) {
    throw new UsageError(
      `${team} has no environment "${environment}" with recovery; its recovered environments: ${recovered.join(', ') || 'none'}`,
    );
  }
  if (!metadataDagsCarry(env)) {
    throw new UsageError(
      `${environment} runs Airflow ${env.airflowVersion}: the restore DAG needs the metadata database, which Airflow 3 keeps from tasks. ${AIRFLOW3_RECOVERY_SCOPE}. Follow docs/disaster-recovery.md, "Airflow 3.x"`,
    );
  }
  return { mode: env.recovery, accountId: found.accountId };
}

const options = {
  team: { type: 'string', valueName: 'team', description: 'the team (config/teams/<team>.yaml)' },
  environment: { type: 'string', valueName: 'name', description: 'one of its environments with recovery' },
  force: { type: 'boolean', description: 'go on although the primary looks healthy or its state is unknown (a declared disaster)' },
  timeout: { type: 'string', valueName: 'minutes', default: '120', description: 'minutes each wait may take' },
  poll: { type: 'string', valueName: 'seconds', default: '30', description: 'seconds between checks while waiting' },
} as const;

export const FAILOVER_SPEC = {
  command: 'npm run failover --',
  summary:
    "Fail an environment over to the recovery region (docs/disaster-recovery.md): read the primary's scheduler heartbeat and refuse without --force while it looks healthy or is unknown; a warm standby restores the last backup into itself; a backup-restore environment is created by applying the team's recovery stack, then restored. Needs only the recovery region's credentials.",
  options,
  exitCodes: { [EXIT.ok]: 'failed over', [EXIT.failed]: 'refused, or a step failed (the output names it and what ran)' },
} as const;

export const FAILBACK_SPEC = {
  ...FAILOVER_SPEC,
  command: 'npm run failback --',
  summary:
    "Bring a failed-over environment back to the primary region (docs/disaster-recovery.md): refuse without --force until the primary's scheduler beats again; export the recovery environment's metadata, restore it into the primary, then pause the standby or remove the backup-restore environment.",
  exitCodes: { [EXIT.ok]: 'failed back', [EXIT.failed]: 'refused, or a step failed' },
} as const;

const ROOT = resolve(__dirname, '..', '..');

/** The command line to a request and the real dependencies. */
export function realRecovery(cli: CommandLine<typeof options>): { request: RecoveryRequest; deps: RecoveryDeps } {
  const { team, environment } = cli.values;
  if (!team || !environment) throw new UsageError('--team and --environment are required');
  const minutes = Number(cli.values.timeout);
  const seconds = Number(cli.values.poll);
  if (!(minutes > 0) || !(seconds > 0)) throw new UsageError('--timeout and --poll must be positive numbers');
  const config = loadPlatformConfig(configDirOf(process.env, ROOT), { onlyTeam: team });
  const { mode, accountId } = recoveryTarget(config, team, environment);
  const { platform } = config;
  const recoveryRegion = platform.recovery!.region;
  const teamPrefix = teamResourcePrefix(platform.platform, team);
  const withAccess = config.teams.find((t) => t.team === team)?.access !== undefined;
  const roles: Record<Side, string | undefined> = {
    primary: withAccess ? iamRoleArn(partitionOf(platform.region), accountId, teamAccessRoleName(teamPrefix)) : undefined,
    recovery: withAccess
      ? iamRoleArn(partitionOf(recoveryRegion), accountId, teamAccessRoleName(recoveryResourcePrefix(teamPrefix, recoveryRegion)))
      : undefined,
  };
  const regions: Record<Side, string> = { primary: platform.region, recovery: recoveryRegion };
  const cloudWatch = new CloudWatchClient({ region: platform.region, maxAttempts: 2 });
  const mwaa: Record<Side, MWAAClient> = {
    primary: new MWAAClient({ region: platform.region }),
    recovery: new MWAAClient({ region: recoveryRegion }),
  };
  return {
    request: {
      team,
      environment,
      mode,
      force: cli.values.force,
      recoveryBackupBucket: backupBucketName(environment, recoveryRegion, accountId),
      pollMs: seconds * 1000,
      timeoutMs: minutes * 60_000,
    },
    deps: {
      now: () => new Date(),
      sleep: (ms) => new Promise((done) => setTimeout(done, ms)),
      heartbeat: (env) => readHeartbeat(cloudWatch, env, new Date()),
      environmentStatus: (side, env) => environmentStatus(mwaa[side], env),
      airflow: (side, words) => airflowCli({ team, environment, region: regions[side], roleArn: roles[side] }, words),
      applyRecoveryStack: (failoverList) =>
        runProcess('npm', ['run', 'apply', '--', '--stack', recoveryStackName(team), '--no-wait'], {
          REGIONS: 'recovery',
          RECOVERY_FAILOVER: failoverList.join(','),
        }),
      out: (text) => console.log(text),
    },
  };
}

if (require.main === module) {
  const back = process.argv.includes('--failback');
  const argv = process.argv.slice(2).filter((a) => a !== '--failback');
  process.argv.splice(2, process.argv.length, ...argv);
  runToolAsMain(back ? FAILBACK_SPEC : FAILOVER_SPEC, async (cli) => {
    const { request, deps } = realRecovery(cli);
    return back ? failback(request, deps) : failover(request, deps);
  });
}

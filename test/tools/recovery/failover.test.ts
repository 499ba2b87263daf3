import { mockClient } from 'aws-sdk-client-mock';
import { mockMwaaClient } from '../../lambda/endpoint-manager/src/fake-aws';
import { CloudWatchClient, GetMetricStatisticsCommand } from '@aws-sdk/client-cloudwatch';
import { GetEnvironmentCommand, MWAAClient } from '@aws-sdk/client-mwaa';
import { environmentStatus, readHeartbeat, type ProcessResult } from '../../../tools/recovery/aws';
import {
  failbackBackupId,
  failbackSteps,
  failoverRefusal,
  failoverSteps,
  formatDuration,
  judgeHeartbeat,
  runStateOf,
  type HeartbeatReading,
} from '../../../tools/recovery/decide';
import { failback, failover, recoveryTarget, type RecoveryDeps, type RecoveryRequest, type Side } from '../../../tools/recovery/run';
import { loadRecoveryExample } from '../../support/recovery-fixture';

const NOW = new Date('2026-12-06T12:00:00Z');
const minutesAgo = (m: number) => new Date(NOW.getTime() - m * 60_000);

describe('judging the primary heartbeat', () => {
  it.each([
    ['a beat 5 minutes ago', { points: [{ timestamp: minutesAgo(5), sum: 12 }] }, 'healthy'],
    ['a beat exactly 15 minutes ago', { points: [{ timestamp: minutesAgo(15), sum: 1 }] }, 'healthy'],
    [
      'the last beat 20 minutes ago',
      {
        points: [
          { timestamp: minutesAgo(20), sum: 3 },
          { timestamp: minutesAgo(5), sum: 0 },
        ],
      },
      'silent',
    ],
    ['no datapoint at all', { points: [] }, 'silent'],
    ['a CloudWatch error', { error: 'ThrottlingException: Rate exceeded' }, 'unknown'],
  ] as Array<[string, HeartbeatReading, string]>)('%s', (_what, reading, state) => {
    expect(judgeHeartbeat(reading, NOW).state).toBe(state);
  });

  it('refuses a healthy or unknown primary without --force, and goes on when the scheduler is silent', () => {
    const healthy = judgeHeartbeat({ points: [{ timestamp: minutesAgo(2), sum: 4 }] }, NOW);
    expect(failoverRefusal(healthy, false)).toBe(
      'the primary looks healthy (the scheduler beat at 2026-12-06T11:58:00.000Z (2 min ago)); fail over anyway only if you declared a disaster: add --force',
    );
    expect(failoverRefusal(judgeHeartbeat({ error: 'InternalFailure: oops' }, NOW), false)).toBe(
      "CloudWatch did not answer (InternalFailure: oops); the primary's state is unknown; that is not evidence of a disaster. Check the primary another way and add --force if you declared one",
    );
    expect(failoverRefusal(healthy, true)).toBeUndefined();
    expect(failoverRefusal(judgeHeartbeat({ points: [] }, NOW), false)).toBeUndefined();
  });

  it('reads run states and durations', () => {
    const runs = JSON.stringify([
      { run_id: 'other', state: 'failed' },
      { run_id: 'mine', state: 'running' },
    ]);
    expect(runStateOf(runs, 'mine')).toBe('running');
    expect(runStateOf(runs, 'absent')).toBeUndefined();
    expect(() => runStateOf('not json', 'mine')).toThrow('the run list is not JSON: not json');
    expect(() => runStateOf(JSON.stringify([{ run_id: 'mine', state: 'up_for_retry' }]), 'mine')).toThrow(
      'run mine is in state "up_for_retry", which the failover does not know',
    );
    expect([formatDuration(12_345), formatDuration(245_000)]).toEqual(['12.3 s', '4 min 05 s']);
  });

  it('takes the steps each mode needs', () => {
    expect(failoverSteps('warm-standby').map((s) => s.name)).toEqual(['check-primary', 'trigger-restore', 'wait-restore']);
    expect(failoverSteps('backup-restore').map((s) => s.name)).toEqual([
      'check-primary',
      'apply-recovery-stack',
      'wait-environment',
      'trigger-restore',
      'wait-restore',
    ]);
    expect(failbackSteps('backup-restore').at(-1)!.name).toBe('remove-recovery-environment');
    expect(failbackSteps('warm-standby').at(-1)!.name).toBe('pause-recovery');
  });
});

describe('the failback backup id', () => {
  it('is the UTC second in the DAGs’ format (metadata.backup_id_for), so the restore reads exactly that backup', () => {
    expect(failbackBackupId(new Date('2026-12-06T12:34:56.789Z'))).toBe('20261206T123456Z');
    expect(failbackBackupId(new Date('2027-01-01T00:00:00Z'))).toMatch(/^\d{8}T\d{6}Z$/);
  });
});

describe('the SDK adapter', () => {
  const cloudWatch = mockClient(CloudWatchClient);
  // The MWAA client is older than the mock's SDK types (the endpoint manager's tests loosen it the same way).
  const mwaa = mockMwaaClient();
  afterEach(() => {
    cloudWatch.reset();
    mwaa.reset();
  });

  it('asks for the scheduler heartbeat of the environment and turns datapoints into a reading', async () => {
    cloudWatch.on(GetMetricStatisticsCommand).resolves({ Datapoints: [{ Timestamp: minutesAgo(5), Sum: 7 }, { Sum: 1 }] });
    const reading = await readHeartbeat(new CloudWatchClient({ region: 'eu-west-1' }), 'analytics-prod', NOW);
    expect(reading).toEqual({ points: [{ timestamp: minutesAgo(5), sum: 7 }] });
    expect(cloudWatch.commandCalls(GetMetricStatisticsCommand)[0].args[0].input).toEqual({
      Namespace: 'AmazonMWAA',
      MetricName: 'SchedulerHeartbeat',
      Dimensions: [
        { Name: 'Environment', Value: 'analytics-prod' },
        { Name: 'Function', Value: 'Scheduler' },
      ],
      StartTime: minutesAgo(60),
      EndTime: NOW,
      Period: 300,
      Statistics: ['Sum'],
    });
  });

  it('turns a CloudWatch failure into an unknown reading, not a throw', async () => {
    const error = Object.assign(new Error('connect ETIMEDOUT'), { name: 'TimeoutError' });
    cloudWatch.on(GetMetricStatisticsCommand).rejects(error);
    const reading = await readHeartbeat(new CloudWatchClient({ region: 'eu-west-1' }), 'analytics-prod', NOW);
    expect(reading).toEqual({ error: 'TimeoutError: connect ETIMEDOUT' });
    expect(judgeHeartbeat(reading, NOW).state).toBe('unknown');
  });

  it('reads an environment status, ABSENT when MWAA does not know it', async () => {
    mwaa.on(GetEnvironmentCommand, { Name: 'a' }).resolves({ Environment: { Status: 'AVAILABLE' } });
    mwaa.on(GetEnvironmentCommand, { Name: 'b' }).rejects(Object.assign(new Error('no'), { name: 'ResourceNotFoundException' }));
    const client = new MWAAClient({ region: 'us-west-2' });
    expect([await environmentStatus(client, 'a'), await environmentStatus(client, 'b')]).toEqual(['AVAILABLE', 'ABSENT']);
  });
});

/** Fake world: a clock that advances on every sleep, scripted Airflow replies, and the printed lines. */
function world(options: { heartbeat: HeartbeatReading; statuses?: string[]; runStates?: string[]; applyCode?: number }) {
  let now = NOW.getTime();
  const lines: string[] = [];
  const calls: Array<[Side, string]> = [];
  const applied: Array<readonly string[]> = [];
  const statuses = [...(options.statuses ?? [])];
  const runStates = [...(options.runStates ?? ['running', 'success'])];
  const ok = (stdout = ''): ProcessResult => ({ code: 0, stdout, stderr: '' });
  const deps: RecoveryDeps = {
    now: () => new Date(now),
    sleep: async (ms) => void (now += ms),
    heartbeat: async () => options.heartbeat,
    environmentStatus: async () => statuses.shift() ?? 'AVAILABLE',
    airflow: async (side, words) => {
      calls.push([side, words.join(' ')]);
      now += 2_000;
      if (words[1] === 'list-runs') {
        // The run of the DAG listed, as the last trigger of that DAG named it.
        const trigger = [...calls.map((c) => c[1])].reverse().find((c) => c.startsWith(`dags trigger ${words[3]} `))!;
        const runId = /--run-id (\S+)/.exec(trigger)![1];
        return ok(JSON.stringify([{ run_id: runId, state: runStates.shift() ?? 'success' }]));
      }
      return ok();
    },
    applyRecoveryStack: async (list) => {
      applied.push(list);
      now += 60_000;
      return { code: options.applyCode ?? 0, stdout: '', stderr: '' };
    },
    out: (text) => lines.push(text),
  };
  return { deps, lines, calls, applied };
}

const request = (over: Partial<RecoveryRequest> = {}): RecoveryRequest => ({
  team: 'analytics',
  environment: 'analytics-prod',
  mode: 'warm-standby',
  force: false,
  recoveryBackupBucket: 'analytics-prod-backup-us-west-2-222222222222',
  pollMs: 30_000,
  timeoutMs: 600_000,
  ...over,
});
const silent: HeartbeatReading = { points: [{ timestamp: minutesAgo(40), sum: 3 }] };

describe('npm run failover', () => {
  it('refuses while the primary beats, running nothing else', async () => {
    const w = world({ heartbeat: { points: [{ timestamp: minutesAgo(1), sum: 9 }] } });
    expect(await failover(request(), w.deps)).toBe(1);
    expect(w.calls).toEqual([]);
    expect(w.lines[0]).toBe("[1/3] read the primary's scheduler heartbeat");
    expect(w.lines.at(-2)).toMatch(/^ {6}stopped after 0\.0 s: refused: the primary looks healthy/);
  });

  it('warm standby: restores into the standby through the mwaa command and waits, printing each step, its duration and the next', async () => {
    const w = world({ heartbeat: silent, runStates: ['queued', 'running', 'success'] });
    expect(await failover(request(), w.deps)).toBe(0);
    const run = 'platform_failover_2026-12-06T12-00-00-000Z';
    expect(w.calls).toEqual([
      ['recovery', 'dags unpause platform_recovery_restore'],
      ['recovery', `dags trigger platform_recovery_restore --run-id ${run} --conf {"confirm":"replace-metadata"}`],
      ['recovery', 'dags list-runs -d platform_recovery_restore -o json'],
      ['recovery', 'dags list-runs -d platform_recovery_restore -o json'],
      ['recovery', 'dags list-runs -d platform_recovery_restore -o json'],
    ]);
    expect(w.lines).toEqual([
      "[1/3] read the primary's scheduler heartbeat",
      '      primary analytics-prod: no scheduler heartbeat for 40 min (last at 2026-12-06T11:20:00.000Z)',
      '      primary silent; done in 0.0 s; next: trigger the restore DAG in the recovery environment (cleans, loads, unpauses what ran)',
      '[2/3] trigger the restore DAG in the recovery environment (cleans, loads, unpauses what ran)',
      `      run ${run}; done in 4.0 s; next: wait for the restore run to finish`,
      '[3/3] wait for the restore run to finish',
      `      platform_recovery_restore run ${run} succeeded; done in 1 min 06 s; nothing left to do`,
    ]);
  });

  it('goes on with --force when CloudWatch cannot say', async () => {
    const w = world({ heartbeat: { error: 'InternalFailure: x' } });
    expect(await failover(request({ force: true }), w.deps)).toBe(0);
    expect(w.lines[2]).toBe(
      '      going on because of --force (unknown); done in 0.0 s; next: trigger the restore DAG in the recovery environment (cleans, loads, unpauses what ran)',
    );
  });

  it('backup-restore: applies the recovery stack with the environment, waits for it, then restores', async () => {
    const w = world({ heartbeat: silent, statuses: ['ABSENT', 'CREATING', 'PENDING', 'AVAILABLE'] });
    expect(await failover(request({ team: 'marketing', environment: 'marketing-campaigns', mode: 'backup-restore' }), w.deps)).toBe(0);
    expect(w.applied).toEqual([['marketing/marketing-campaigns']]);
    expect(w.lines).toContain(
      '      AVAILABLE; done in 1 min 30 s; next: trigger the restore DAG in the recovery environment (cleans, loads, unpauses what ran)',
    );
  });

  it('stops at a failed apply or a failed restore run, saying so', async () => {
    const failedApply = world({ heartbeat: silent, applyCode: 1 });
    expect(
      await failover(request({ team: 'marketing', environment: 'marketing-campaigns', mode: 'backup-restore' }), failedApply.deps),
    ).toBe(1);
    expect(failedApply.lines).toContain('      stopped after 1 min 00 s: applying recovery-marketing failed (exit 1)');
    expect(failedApply.calls).toEqual([]);

    const failedRun = world({ heartbeat: silent, runStates: ['failed'] });
    expect(await failover(request(), failedRun.deps)).toBe(1);
    expect(failedRun.lines.at(-2)).toMatch(
      /stopped after .*: platform_recovery_restore run platform_failover_\S+ failed; read its task logs in the recovery environment$/,
    );
  });

  it('gives up waiting at the timeout', async () => {
    const w = world({ heartbeat: silent, runStates: Array(100).fill('running') });
    expect(await failover(request({ timeoutMs: 120_000 }), w.deps)).toBe(1);
    expect(w.lines.at(-2)).toMatch(/did not finish within 2 min 00 s$/);
  });
});

describe('npm run failback', () => {
  it('refuses until the primary beats again', async () => {
    const w = world({ heartbeat: silent });
    expect(await failback(request(), w.deps)).toBe(1);
    expect(w.lines.at(-2)).toMatch(/refused: the primary is not back \(no scheduler heartbeat for 40 min/);
  });

  it('exports the recovery metadata, restores it into the primary from the recovery backups, then pauses the standby', async () => {
    const w = world({ heartbeat: { points: [{ timestamp: minutesAgo(1), sum: 2 }] } });
    expect(await failback(request(), w.deps)).toBe(0);
    expect(w.calls.filter(([, c]) => !c.includes('list-runs'))).toEqual([
      ['recovery', 'dags unpause platform_recovery_backup'],
      [
        'recovery',
        'dags trigger platform_recovery_backup --run-id platform_failback_backup_2026-12-06T12-00-00-000Z --conf {"bucket":"analytics-prod-backup-us-west-2-222222222222","backupId":"20261206T120000Z"}',
      ],
      ['primary', 'dags unpause platform_recovery_restore'],
      [
        'primary',
        expect.stringMatching(
          /^dags trigger platform_recovery_restore --run-id platform_failback_2026-12-06T12-00-00-000Z --conf \{"bucket":"analytics-prod-backup-us-west-2-222222222222","backupId":"20261206T120000Z","confirm":"replace-metadata"\}$/,
        ),
      ],
      ['recovery', 'dags pause --treat-dag-id-as-regex --yes .*'],
    ]);
  });
});

describe('the failover target', () => {
  it('names the recovered environments when asked for another', () => {
    const config = loadRecoveryExample();
    expect(recoveryTarget(config, 'marketing', 'marketing-campaigns')).toEqual({ mode: 'backup-restore', accountId: '333333333333' });
    expect(() => recoveryTarget(config, 'analytics', 'nope')).toThrow(
      'analytics has no environment "nope" with recovery; its recovered environments: analytics-prod',
    );
  });

  it('refuses an Airflow 3 environment, saying what its failover carries and where the steps are', () => {
    const config = loadRecoveryExample({ teams: { marketing: (t) => (t.environments[0].airflowVersion = '3.0.6') } });
    expect(() => recoveryTarget(config, 'marketing', 'marketing-campaigns')).toThrow(
      'marketing-campaigns runs Airflow 3.0.6: the restore DAG needs the metadata database, which Airflow 3 keeps from tasks. failover carries the DAGs, requirements, plugins and the platform’s replicated secrets; not the run history, task state, XComs, logs or which DAGs were paused (every DAG arrives paused); variables, pools and connections only by hand, as far as the REST API shows them (python -m platform_recovery.rest_api backup/restore: the platform schedules no backup for it), and npm run failover/failback cannot restore it. Follow docs/disaster-recovery.md, "Airflow 3.x"',
    );
  });
});

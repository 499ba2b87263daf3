/**
 * The SDK side of `npm run failover`/`failback`: CloudWatch for the heartbeat, MWAA for an environment's status,
 * and the two commands it drives as child processes (the `mwaa` CLI for Airflow commands, through its CLI-token
 * path; `npm run apply` for the recovery stack). Decisions are in decide.ts.
 */
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { CloudWatchClient, GetMetricStatisticsCommand } from '@aws-sdk/client-cloudwatch';
import { GetEnvironmentCommand, MWAAClient } from '@aws-sdk/client-mwaa';
import { SCHEDULER_HEARTBEAT } from '../../contracts/recovery-heartbeat';
import type { HeartbeatReading } from './decide';

const ROOT = resolve(__dirname, '..', '..');

/** The primary scheduler's heartbeat over the last hour, 5-minute sums; a CloudWatch error becomes a reading, not a throw. */
export async function readHeartbeat(client: CloudWatchClient, environment: string, now: Date): Promise<HeartbeatReading> {
  try {
    const reply = await client.send(
      new GetMetricStatisticsCommand({
        Namespace: SCHEDULER_HEARTBEAT.namespace,
        MetricName: SCHEDULER_HEARTBEAT.metricName,
        Dimensions: [
          { Name: 'Environment', Value: environment },
          { Name: 'Function', Value: SCHEDULER_HEARTBEAT.function },
        ],
        StartTime: new Date(now.getTime() - 60 * 60_000),
        EndTime: now,
        Period: 300,
        Statistics: ['Sum'],
      }),
    );
    return {
      points: (reply.Datapoints ?? []).filter((d) => d.Timestamp !== undefined).map((d) => ({ timestamp: d.Timestamp!, sum: d.Sum ?? 0 })),
    };
  } catch (error) {
    return { error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
  }
}

/** MWAA's status of an environment (`AVAILABLE`, `CREATING`, `PENDING`…), or `ABSENT` when it does not exist. */
export async function environmentStatus(client: MWAAClient, environment: string): Promise<string> {
  try {
    const reply = await client.send(new GetEnvironmentCommand({ Name: environment }));
    return reply.Environment?.Status ?? 'UNKNOWN';
  } catch (error) {
    if (error instanceof Error && error.name === 'ResourceNotFoundException') return 'ABSENT';
    throw error;
  }
}

export interface ProcessResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a command of this repository (stdout captured, stderr passed through as it comes). */
export function runProcess(command: string, args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<ProcessResult> {
  return new Promise((done, fail) => {
    const child = spawn(command, [...args], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      process.stderr.write(chunk);
    });
    child.on('error', fail);
    child.on('close', (code) => done({ code: code ?? 1, stdout, stderr }));
  });
}

/** One Airflow CLI command in an environment through the `mwaa` command (CreateCliToken, then the webserver). */
export function airflowCli(target: { team: string; environment: string; region: string; roleArn?: string }, words: readonly string[]) {
  const role = target.roleArn ? ['--role', target.roleArn] : ['--no-role'];
  return runProcess(process.execPath, [
    resolve(ROOT, 'mwaa-cli', 'bin', 'mwaa.js'),
    'cli',
    '--team',
    target.team,
    '--env',
    target.environment,
    '--region',
    target.region,
    ...role,
    '--',
    ...words,
  ]);
}

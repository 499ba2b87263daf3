/**
 * The wait for MWAA environments, driven by recorded GetEnvironment sequences through the real SDK client
 * (aws-sdk-client-mock) and the real adapter in tools/apply/sdk.ts, with a fake clock.
 */
import { GetEnvironmentCommand, MWAAClient, ResourceNotFoundException } from '@aws-sdk/client-mwaa';
import { mockMwaaClient } from '../../lambda/endpoint-manager/src/fake-aws';
import { getEnvironment } from '../../../tools/apply/sdk';
import { waitForEnvironments, type WaiterOptions } from '../../../tools/apply/waiter';
import { formatElapsed, progressLine, type WaitTarget } from '../../../tools/apply/wait';
import { fakeClock } from '../../support/fake-clock';

/** A GetEnvironment reply shaped like a real one (see shared/seeds/002: Environment with Status and LastUpdate). */
function reply(status: string, lastUpdate?: Record<string, unknown>): object {
  return {
    $metadata: { httpStatusCode: 200 },
    Environment: {
      Name: 'marketing-campaigns',
      Arn: 'arn:aws:airflow:eu-west-1:333333333333:environment/marketing-campaigns',
      AirflowVersion: '2.10.3',
      EnvironmentClass: 'mw1.small',
      Status: status as never,
      WebserverAccessMode: 'PUBLIC_ONLY',
      ...(lastUpdate ? { LastUpdate: lastUpdate as never } : {}),
    },
  };
}

const marketing: WaitTarget = { team: 'marketing', accountId: '333333333333', name: 'marketing-campaigns', goal: 'AVAILABLE' };
const analytics: WaitTarget = { team: 'analytics', accountId: '222222222222', name: 'analytics-prod', goal: 'AVAILABLE' };

const options: WaiterOptions = {
  pendingTimeoutMs: 20 * 60_000,
  timeoutMs: 120 * 60_000,
  pollIntervalMs: 30_000,
  reportEveryMs: 0,
  where: { platform: 'acme-data', ownerAccountId: '111111111111', region: 'eu-west-1' },
};

/** Runs the waiter with a fake clock that advances by the poll interval on each sleep. */
async function run(targets: WaitTarget[], client: MWAAClient, overrides: Partial<WaiterOptions> = {}) {
  const clock = fakeClock();
  const lines: string[] = [];
  const result = await waitForEnvironments(
    targets,
    {
      getEnvironment: (t) => {
        clock.poll();
        return getEnvironment(client, t.name);
      },
      now: clock.now,
      sleep: clock.sleep,
      log: (l) => lines.push(l),
    },
    { ...options, ...overrides },
  );
  return { result, lines };
}

const mwaa = mockMwaaClient();
afterEach(() => mwaa.reset());
const client = () => new MWAAClient({ region: 'eu-west-1', credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' } });

describe('waiting for AVAILABLE', () => {
  it('prints a line per observation, says what PENDING waits for, and ends at AVAILABLE', async () => {
    mwaa
      .on(GetEnvironmentCommand, { Name: 'marketing-campaigns' })
      .resolvesOnce(reply('CREATING'))
      .resolvesOnce(reply('PENDING'))
      .resolvesOnce(reply('PENDING'))
      .resolves(reply('AVAILABLE'));
    const { result, lines } = await run([marketing], client());
    expect(result.failures).toEqual([]);
    expect(result.done).toEqual([marketing]);
    expect(lines).toEqual([
      '  marketing/marketing-campaigns  CREATING  0s  MWAA is creating the environment',
      '  marketing/marketing-campaigns  PENDING  30s  waiting for the endpoint manager to create endpoints',
      '  marketing/marketing-campaigns  PENDING  1m00s  waiting for the endpoint manager to create endpoints',
      '  marketing/marketing-campaigns  AVAILABLE  1m30s  ready',
    ]);
  });

  it("fails on CREATE_FAILED with the environment's last error", async () => {
    mwaa
      .on(GetEnvironmentCommand)
      .resolvesOnce(reply('CREATING'))
      .resolves(
        reply('CREATE_FAILED', {
          Status: 'FAILED',
          Error: {
            ErrorCode: 'INCORRECT_CONFIGURATION',
            ErrorMessage: 'You may need to check the execution role permissions policy for your environment',
          },
        }),
      );
    const { result } = await run([marketing], client());
    expect(result.done).toEqual([]);
    expect(result.failures.map((f) => f.message)).toEqual([
      'marketing/marketing-campaigns is CREATE_FAILED: INCORRECT_CONFIGURATION: You may need to check the execution role permissions policy for your environment',
    ]);
  });

  it('fails on UPDATE_FAILED, and says so when MWAA gives no detail', async () => {
    mwaa.on(GetEnvironmentCommand).resolvesOnce(reply('UPDATING')).resolves(reply('UPDATE_FAILED'));
    const { result } = await run([marketing], client());
    expect(result.failures.map((f) => f.message)).toEqual([
      'marketing/marketing-campaigns is UPDATE_FAILED: MWAA reported no error detail (see the environment in the MWAA console)',
    ]);
  });

  it('after the PENDING timeout, blames the endpoint manager and names its log group, DLQ and alarms', async () => {
    mwaa.on(GetEnvironmentCommand).resolvesOnce(reply('CREATING')).resolves(reply('PENDING'));
    const { result, lines } = await run([marketing], client(), { pendingTimeoutMs: 5 * 60_000 });
    expect(result.failures.map((f) => f.message)).toEqual([
      'marketing/marketing-campaigns has been PENDING for 5m00s: the endpoint manager has not created the endpoints ' +
        '(MWAA waits for the database and webserver VPC endpoints in the shared VPC); look in the owner account 111111111111 (eu-west-1): ' +
        'the function acme-data-endpoint-manager and its log group /aws/lambda/acme-data-endpoint-manager, ' +
        'the dead-letter queue acme-data-endpoint-manager-dlq (undelivered status events), ' +
        'the alarms acme-data-endpoint-manager-dlq-depth, acme-data-endpoint-manager-errors, acme-data-endpoint-manager-throttles; ' +
        "and check that the participant forwards MWAA status events to the owner's bus",
    ]);
    // CREATING at 0s, PENDING from 30s; the timeout counts from entering PENDING, not from the start.
    expect(lines[lines.length - 1]).toBe(
      '  marketing/marketing-campaigns  PENDING  5m30s  waiting for the endpoint manager to create endpoints',
    );
  });

  it('keeps watching the other environments when one fails', async () => {
    mwaa
      .on(GetEnvironmentCommand, { Name: 'marketing-campaigns' })
      .resolves(reply('CREATE_FAILED', { Error: { ErrorCode: 'X', ErrorMessage: 'boom' } }));
    mwaa
      .on(GetEnvironmentCommand, { Name: 'analytics-prod' })
      .resolvesOnce(reply('UPDATING'))
      .resolvesOnce(reply('UPDATING'))
      .resolves(reply('AVAILABLE'));
    const { result } = await run([marketing, analytics], client());
    expect(result.done).toEqual([analytics]);
    expect(result.failures.map((f) => f.message)).toEqual(['marketing/marketing-campaigns is CREATE_FAILED: X: boom']);
  });

  it('an environment that disappears while apply waits for it is a failure', async () => {
    mwaa.on(GetEnvironmentCommand).rejects(new ResourceNotFoundException({ message: 'Environment not found', $metadata: {} }));
    const { result } = await run([marketing], client());
    expect(result.failures.map((f) => f.message)).toEqual([
      'marketing/marketing-campaigns is NOT_FOUND while apply expected it to become AVAILABLE',
    ]);
  });

  it('an SDK error (e.g. access denied) fails that environment with the SDK message', async () => {
    const denied = Object.assign(new Error('User is not authorized to perform: airflow:GetEnvironment'), { name: 'AccessDeniedException' });
    mwaa.on(GetEnvironmentCommand).rejects(denied);
    const { result } = await run([marketing], client());
    expect(result.failures.map((f) => f.message)).toEqual([
      'marketing/marketing-campaigns: GetEnvironment failed: User is not authorized to perform: airflow:GetEnvironment',
    ]);
  });

  it('gives up after the overall timeout with the last status', async () => {
    mwaa.on(GetEnvironmentCommand).resolves(reply('UPDATING'));
    const { result } = await run([marketing], client(), { timeoutMs: 2 * 60_000 });
    expect(result.failures.map((f) => f.message)).toEqual([
      'marketing/marketing-campaigns did not become AVAILABLE within 2m00s (last status UPDATING); raise --timeout or check the MWAA console',
    ]);
  });

  it('prints unchanged statuses only every reportEveryMs', async () => {
    mwaa
      .on(GetEnvironmentCommand)
      .resolvesOnce(reply('PENDING'))
      .resolvesOnce(reply('PENDING'))
      .resolvesOnce(reply('PENDING'))
      .resolves(reply('AVAILABLE'));
    const { lines } = await run([marketing], client(), { reportEveryMs: 60_000 });
    expect(lines.map((l) => l.trim().split(/\s+/).slice(1, 3).join(' '))).toEqual(['PENDING 0s', 'PENDING 1m00s', 'AVAILABLE 1m30s']);
  });
});

describe('waiting for DELETED', () => {
  const deleting: WaitTarget = { ...marketing, goal: 'DELETED' };

  it('ends when GetEnvironment no longer finds the environment', async () => {
    mwaa
      .on(GetEnvironmentCommand)
      .resolvesOnce(reply('DELETING'))
      .rejects(new ResourceNotFoundException({ message: 'Environment marketing-campaigns not found', $metadata: {} }));
    const { result, lines } = await run([deleting], client());
    expect(result.done).toEqual([deleting]);
    expect(lines).toEqual([
      '  marketing/marketing-campaigns  DELETING  0s  MWAA is deleting the environment',
      '  marketing/marketing-campaigns  NOT_FOUND  30s  gone; the endpoint manager now removes its endpoints and queues',
    ]);
  });

  it('a DELETED status also ends the wait', async () => {
    mwaa.on(GetEnvironmentCommand).resolves(reply('DELETED'));
    const { result } = await run([deleting], client());
    expect(result.done).toEqual([deleting]);
  });
});

describe('formatting', () => {
  it.each([
    [0, '0s'],
    [59_999, '59s'],
    [60_000, '1m00s'],
    [185_000, '3m05s'],
    [3_600_000, '1h00m'],
    [3_725_000, '1h02m'],
  ])('formatElapsed(%d) = %s', (ms, text) => expect(formatElapsed(ms)).toBe(text));

  it('progress lines name team, environment, status and elapsed time', () => {
    expect(progressLine(marketing, 'UPDATING', 61_000)).toBe(
      '  marketing/marketing-campaigns  UPDATING  1m01s  MWAA is applying the update',
    );
  });
});

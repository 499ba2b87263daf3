/**
 * The pure decisions of `npm run apply` / `npm run decommission`, one observation or plan at a time: what a
 * status means for each goal, when a wait gives up, which plan changes are waited for, the order of stacks,
 * when the loop prints, and the numeric flags. End-to-end runs are in flow.test.ts and wait.test.ts.
 */
import fc from 'fast-check';
import type { NetworkContract } from '../../../model/contract';
import type { PlatformConfig } from '../../../model/model';
import { applyAll, contractDrift, decommission, type FlowDeps } from '../../../tools/apply/flow';
import { parseApplyArgs, parseDecommissionArgs } from '../../../tools/apply/options';
import { applyWaves, environmentsChangedBy, type PlanJson } from '../../../tools/apply/targets';
import {
  endpointManagerPointers,
  formatElapsed,
  observe,
  progressLine,
  startWait,
  type EnvironmentStatus,
  type Observation,
  type WaitTarget,
} from '../../../tools/apply/wait';
import { waitForEnvironments, type WaiterIo } from '../../../tools/apply/waiter';
import { fakeClock } from '../../support/fake-clock';

const where = { platform: 'acme-data', ownerAccountId: '111111111111', region: 'eu-west-1' };
const settings = { pendingTimeoutMs: 20 * 60_000, timeoutMs: 120 * 60_000 };
const create: WaitTarget = { team: 'marketing', accountId: '333333333333', name: 'mkt-prod', goal: 'AVAILABLE' };
const destroy: WaitTarget = { ...create, goal: 'DELETED' };
const MIN = 60_000;

describe('formatElapsed', () => {
  it.each([
    [-5000, '0s'],
    [0, '0s'],
    [999, '0s'],
    [59_999, '59s'],
    [60_000, '1m00s'],
    [61_000, '1m01s'],
    [605_000, '10m05s'],
    [3_599_999, '59m59s'],
    [3_600_000, '1h00m'],
    [3_661_000, '1h01m'],
    [36_000_000 + 59 * MIN, '10h59m'],
  ])('%j ms is %s', (ms, text) => expect(formatElapsed(ms)).toBe(text));

  it('reads back to the whole seconds (under an hour) or minutes it was given', () => {
    fc.assert(
      fc.property(fc.nat(10 * 3600 * 1000), (ms) => {
        const text = formatElapsed(ms);
        const m = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(text)!;
        const [h, mi, s] = [Number(m[1] ?? 0), Number(m[2] ?? 0), Number(m[3] ?? 0)];
        return ms < 3_600_000
          ? h * 3600 + mi * 60 + s === Math.floor(ms / 1000)
          : h * 60 + mi === Math.floor(ms / MIN) && m[3] === undefined;
      }),
    );
  });
});

describe('progress lines', () => {
  it.each([
    ['PENDING', 'AVAILABLE', 'waiting for the endpoint manager to create endpoints'],
    ['CREATING', 'AVAILABLE', 'MWAA is creating the environment'],
    ['UPDATING', 'AVAILABLE', 'MWAA is applying the update'],
    ['CREATING_SNAPSHOT', 'AVAILABLE', 'MWAA is snapshotting the metadata database before a version change'],
    ['ROLLING_BACK', 'AVAILABLE', 'MWAA is rolling back a failed update'],
    ['MAINTENANCE', 'AVAILABLE', 'MWAA maintenance in progress'],
    ['DELETING', 'DELETED', 'MWAA is deleting the environment'],
    ['DELETING', 'AVAILABLE', 'the environment is being deleted'],
    ['AVAILABLE', 'AVAILABLE', 'ready'],
    ['AVAILABLE', 'DELETED', 'still there'],
    ['DELETED', 'DELETED', 'gone; the endpoint manager now removes its endpoints and queues'],
    ['NOT_FOUND', 'DELETED', 'gone; the endpoint manager now removes its endpoints and queues'],
    ['DELETED', 'AVAILABLE', 'not found'],
    ['NOT_FOUND', 'AVAILABLE', 'not found'],
  ] as const)('%s while waiting for %s: %s', (status, goal, note) => {
    expect(progressLine({ ...create, goal }, status, 65_000)).toBe(`  marketing/mkt-prod  ${status}  1m05s  ${note}`);
  });

  it.each(['CREATE_FAILED', 'UPDATE_FAILED', 'UNAVAILABLE'] as const)('%s has no note', (status) => {
    expect(progressLine(create, status, 0)).toBe(`  marketing/mkt-prod  ${status}  0s`);
  });
});

describe('one observation', () => {
  const step = (target: WaitTarget, o: Observation, now: number, state = startWait(0)) => observe(target, state, o, now, settings, where);
  const outcome = (target: WaitTarget, status: EnvironmentStatus, now = MIN) => step(target, { status }, now).outcome;

  it('AVAILABLE ends a create, DELETED or NOT_FOUND ends a decommission', () => {
    expect(outcome(create, 'AVAILABLE')).toEqual({ kind: 'done' });
    expect(outcome(destroy, 'DELETED')).toEqual({ kind: 'done' });
    expect(outcome(destroy, 'NOT_FOUND')).toEqual({ kind: 'done' });
  });

  it.each(['CREATING', 'UPDATING', 'CREATING_SNAPSHOT', 'ROLLING_BACK', 'MAINTENANCE', 'UNAVAILABLE', 'PENDING'] as const)(
    '%s keeps a create waiting',
    (status) => {
      expect(outcome(create, status)).toEqual({ kind: 'waiting' });
    },
  );

  it.each(['AVAILABLE', 'DELETING', 'UPDATING', 'PENDING', 'UNAVAILABLE'] as const)('%s keeps a decommission waiting', (status) => {
    expect(outcome(destroy, status)).toEqual({ kind: 'waiting' });
  });

  it.each(['DELETED', 'NOT_FOUND', 'DELETING'] as const)('%s fails a create', (status) => {
    expect(outcome(create, status)).toEqual({
      kind: 'failed',
      message: `marketing/mkt-prod is ${status} while apply expected it to become AVAILABLE`,
    });
  });

  it.each([
    [
      { code: 'INCORRECT_CONFIGURATION', message: 'You may need to check the execution role permissions' },
      'INCORRECT_CONFIGURATION: You may need to check the execution role permissions',
    ],
    [{ code: 'INTERNAL_ERROR' }, 'INTERNAL_ERROR'],
    [{ message: 'subnets are not private' }, 'subnets are not private'],
    [{}, 'MWAA reported no error detail (see the environment in the MWAA console)'],
    [{ code: '', message: '' }, 'MWAA reported no error detail (see the environment in the MWAA console)'],
    [undefined, 'MWAA reported no error detail (see the environment in the MWAA console)'],
  ])('a failed create or update says MWAA’s last error %j', (lastError, detail) => {
    for (const status of ['CREATE_FAILED', 'UPDATE_FAILED'] as const) {
      expect(step(create, { status, lastError }, MIN).outcome).toEqual({
        kind: 'failed',
        message: `marketing/mkt-prod is ${status}: ${detail}`,
      });
      expect(step(destroy, { status, lastError }, MIN).outcome).toEqual({
        kind: 'failed',
        message: `marketing/mkt-prod is ${status} instead of being deleted: ${detail}`,
      });
    }
  });

  it('PENDING fails at the pending timeout, counted from when PENDING started, and names where to look', () => {
    const first = step(create, { status: 'CREATING' }, 0);
    expect(first.state).toEqual({ startedAt: 0, pendingSince: undefined, last: 'CREATING' });
    const pending = step(create, { status: 'PENDING' }, 5 * MIN, first.state);
    expect(pending.state).toEqual({ startedAt: 0, pendingSince: 5 * MIN, last: 'PENDING' });
    const still = step(create, { status: 'PENDING' }, 25 * MIN - 1, pending.state);
    expect([still.outcome, still.state.pendingSince]).toEqual([{ kind: 'waiting' }, 5 * MIN]);
    expect(step(create, { status: 'PENDING' }, 25 * MIN, still.state).outcome).toEqual({
      kind: 'failed',
      message:
        'marketing/mkt-prod has been PENDING for 20m00s: the endpoint manager has not created the endpoints (MWAA waits for the database and webserver VPC endpoints in the shared VPC); ' +
        endpointManagerPointers(where),
    });
  });

  it('leaving PENDING resets the pending clock', () => {
    const pending = step(create, { status: 'PENDING' }, 0);
    const creating = step(create, { status: 'CREATING' }, 19 * MIN, pending.state);
    expect(creating.state.pendingSince).toBeUndefined();
    const again = step(create, { status: 'PENDING' }, 30 * MIN, creating.state);
    expect([again.outcome, again.state.pendingSince]).toEqual([{ kind: 'waiting' }, 30 * MIN]);
  });

  it('a decommission does not time out on PENDING', () => {
    const pending = step(destroy, { status: 'PENDING' }, 0);
    expect(step(destroy, { status: 'PENDING' }, 60 * MIN, pending.state).outcome).toEqual({ kind: 'waiting' });
  });

  it.each([create, destroy])('gives up at the overall timeout, not before ($goal)', (target) => {
    const status: EnvironmentStatus = target.goal === 'AVAILABLE' ? 'UPDATING' : 'DELETING';
    const started = startWait(10 * MIN);
    expect(step(target, { status }, 130 * MIN - 1, started).outcome).toEqual({ kind: 'waiting' });
    expect(step(target, { status }, 130 * MIN, started).outcome).toEqual({
      kind: 'failed',
      message: `marketing/mkt-prod did not become ${target.goal} within 2h00m (last status ${status}); raise --timeout or check the MWAA console`,
    });
  });

  it('the line of each observation is its progress line, with the time since the wait started', () => {
    expect(step(create, { status: 'UPDATING' }, 10 * MIN + 5000, startWait(5000)).line).toBe(
      '  marketing/mkt-prod  UPDATING  10m00s  MWAA is applying the update',
    );
  });

  it('names the endpoint manager’s function, log group, dead-letter queue and alarms in the owner account', () => {
    expect(endpointManagerPointers(where)).toBe(
      'look in the owner account 111111111111 (eu-west-1): the function acme-data-endpoint-manager and its log group /aws/lambda/acme-data-endpoint-manager, ' +
        'the dead-letter queue acme-data-endpoint-manager-dlq (undelivered status events), the alarms acme-data-endpoint-manager-dlq-depth, ' +
        "acme-data-endpoint-manager-errors, acme-data-endpoint-manager-throttles; and check that the participant forwards MWAA status events to the owner's bus",
    );
  });
});

describe('the polling loop', () => {
  /** A fake clock advanced by sleep; statuses replayed per environment; GetEnvironment errors thrown as given. */
  function io(sequences: Record<string, Array<EnvironmentStatus | Error>>) {
    const clock = fakeClock();
    const lines: string[] = [];
    const sleeps = clock.sleeps;
    const seen: Record<string, number> = {};
    const fake: WaiterIo = {
      getEnvironment: async (t) => {
        clock.poll();
        const list = sequences[t.name];
        const i = Math.min(seen[t.name] ?? 0, list.length - 1);
        seen[t.name] = i + 1;
        const next = list[i];
        if (next instanceof Error) throw next;
        return { status: next };
      },
      now: clock.now,
      sleep: clock.sleep,
      log: (l) => lines.push(l),
    };
    return { fake, lines, sleeps };
  }
  const options = { ...settings, pollIntervalMs: 30_000, reportEveryMs: 90_000, where };

  it('prints on every change, at most every reportEveryMs while unchanged, and on the end; sleeps only while something is left', async () => {
    const { fake, lines, sleeps } = io({
      'mkt-prod': ['CREATING', 'CREATING', 'CREATING', 'CREATING', 'CREATING', 'PENDING', 'AVAILABLE'],
    });
    const result = await waitForEnvironments([create], fake, options);
    expect(result).toEqual({ done: [create], failures: [] });
    expect(lines.map((l) => l.trim().split(/\s+/).slice(1, 3).join(' '))).toEqual([
      'CREATING 0s',
      'CREATING 1m30s',
      'PENDING 2m30s',
      'AVAILABLE 3m00s',
    ]);
    expect(sleeps).toEqual([30_000, 30_000, 30_000, 30_000, 30_000, 30_000]);
  });

  it('a failed environment is printed and reported; the others are watched to their end', async () => {
    const other: WaitTarget = { ...create, name: 'mkt-dev' };
    const { fake, lines } = io({ 'mkt-prod': ['CREATING', 'CREATE_FAILED'], 'mkt-dev': ['CREATING', 'CREATING', 'CREATING', 'AVAILABLE'] });
    const result = await waitForEnvironments([create, other], fake, options);
    expect(result.done).toEqual([other]);
    expect(result.failures).toEqual([
      {
        target: create,
        message: 'marketing/mkt-prod is CREATE_FAILED: MWAA reported no error detail (see the environment in the MWAA console)',
      },
    ]);
    expect(lines.filter((l) => l.includes('CREATE_FAILED'))).toHaveLength(1);
    expect(lines.at(-1)).toContain('marketing/mkt-dev  AVAILABLE  1m30s  ready');
  });

  it('a GetEnvironment error ends that environment with the SDK message, without a progress line', async () => {
    const { fake, lines, sleeps } = io({ 'mkt-prod': [new Error('Rate exceeded')] });
    expect(await waitForEnvironments([create], fake, options)).toEqual({
      done: [],
      failures: [{ target: create, message: 'marketing/mkt-prod: GetEnvironment failed: Rate exceeded' }],
    });
    expect([lines, sleeps]).toEqual([[], []]);
  });

  it('nothing to wait for returns at once', async () => {
    const { fake, lines, sleeps } = io({});
    expect(await waitForEnvironments([], fake, options)).toEqual({ done: [], failures: [] });
    expect([lines, sleeps]).toEqual([[], []]);
  });
});

describe('what a plan makes apply wait for', () => {
  const change = (
    type: string,
    actions: string[],
    before: Record<string, unknown> | null,
    after: Record<string, unknown> | null,
    mode?: string,
  ) => ({ type, mode, change: { actions, before, after } });
  const plan: PlanJson = {
    resource_changes: [
      change('aws_mwaa_environment', ['create'], null, { name: 'zeta' }),
      change('aws_mwaa_environment', ['update'], { name: 'beta' }, { name: 'beta' }),
      change('aws_mwaa_environment', ['delete', 'create'], { name: 'alpha' }, { name: 'alpha' }),
      change('aws_mwaa_environment', ['create', 'delete'], { name: 'gamma' }, { name: 'gamma' }),
      change('aws_mwaa_environment', ['delete'], { name: 'omega' }, null),
      change('aws_mwaa_environment', ['no-op'], { name: 'idle' }, { name: 'idle' }),
      change('aws_mwaa_environment', ['read'], null, { name: 'looked-up' }, 'data'),
      change('aws_mwaa_environment', ['create'], null, { name: 'from-data' }, 'data'),
      change('aws_mwaa_environment', ['create'], null, { name: 42 }),
      change('aws_mwaa_environment', ['create'], null, {}),
      change('aws_s3_bucket', ['create'], null, { name: 'not-an-environment' }),
      change('aws_mwaa_environment', ['create'], null, { name: 'managed' }, 'managed'),
    ],
  };

  it('creates, updates and replacements become AVAILABLE, deletions DELETED, by name; no-ops, data sources and other types are skipped', () => {
    const t = (name: string, goal: WaitTarget['goal']) => ({ team: 'analytics', accountId: '222222222222', name, goal });
    expect(environmentsChangedBy(plan, 'analytics', '222222222222')).toEqual([
      t('alpha', 'AVAILABLE'),
      t('beta', 'AVAILABLE'),
      t('gamma', 'AVAILABLE'),
      t('managed', 'AVAILABLE'),
      t('omega', 'DELETED'),
      t('zeta', 'AVAILABLE'),
    ]);
  });

  it('a plan without resource changes waits for nothing', () => {
    expect(environmentsChangedBy({}, 'analytics', '222222222222')).toEqual([]);
  });

  it('stacks: the owner alone first, then the participants in name order; anything else is not applied', () => {
    expect(applyWaves(['participant-zeta', 'bootstrap-111111111111', 'owner', 'participant-alpha', 'random'])).toEqual({
      first: ['owner'],
      recovery: [],
      then: ['participant-alpha', 'participant-zeta'],
    });
    expect(applyWaves(['participant-alpha'])).toEqual({ first: [], recovery: [], then: ['participant-alpha'] });
  });
});

describe('numeric flags', () => {
  it.each([
    ['1.5', 90_000],
    ['0.5', 30_000],
    ['10', 600_000],
  ])('--timeout %s is %i ms', (raw, ms) => {
    expect(parseApplyArgs(['--timeout', raw])!.timeoutMs).toBe(ms);
    expect(parseDecommissionArgs(['--team', 't', '--timeout', raw])!.timeoutMs).toBe(ms);
  });

  it.each(['0', '0.0', '-1', '1e3', '.5', '5.', ' 5', '5 ', 'Infinity', '0x10'])('--poll %j is refused', (raw) => {
    expect(() => parseApplyArgs([`--poll=${raw}`])).toThrow(`option --poll must be a positive number, got "${raw}"`);
    expect(() => parseDecommissionArgs(['--team', 't', `--poll=${raw}`])).toThrow(`option --poll must be a positive number, got "${raw}"`);
  });

  it('decommission defaults: asks, synthesizes, destroys both stacks (not the recovery stack alone), waits 120 minutes, polls every 30 s', () => {
    expect(parseDecommissionArgs(['--team', 'marketing'])).toEqual({
      team: 'marketing',
      yes: false,
      synth: true,
      recoveryOnly: false,
      timeoutMs: 7_200_000,
      pollIntervalMs: 30_000,
    });
  });

  it('--pending-timeout in minutes, --poll in seconds', () => {
    expect(parseApplyArgs(['--pending-timeout', '2', '--poll', '2'])).toMatchObject({ pendingTimeoutMs: 120_000, pollIntervalMs: 2_000 });
  });
});

describe('the apply and decommission flows, on what they print and return', () => {
  const contract = {
    platform: 'acme-data',
    region: 'eu-west-1',
    ownerAccountId: '111111111111',
    vpcId: 'vpc-1',
    subnetIds: ['subnet-1'],
    source: 'example',
  } as unknown as NetworkContract;
  const config = {
    configDir: 'config',
    platform: { platform: 'acme-data', region: 'eu-west-1', owner: { accountId: '111111111111' } },
    teams: [
      { team: 'analytics', accountId: '222222222222', file: 'config/teams/analytics.yaml', environments: [{ name: 'an-prod' }] },
      {
        team: 'marketing',
        accountId: '333333333333',
        file: 'config/teams/marketing.yaml',
        environments: [{ name: 'mkt-prod' }, { name: 'mkt-dev' }],
      },
    ],
    contract,
  } as unknown as PlatformConfig;
  const mwaa = (name: string, actions: string[]) => ({
    type: 'aws_mwaa_environment',
    change: { actions, before: { name }, after: { name } },
  });

  function run(
    plans: Record<string, { changes: boolean; json: PlanJson; output?: string[]; fail?: string }>,
    statuses: Record<string, EnvironmentStatus[]> = {},
    owner = contract,
  ) {
    const lines: string[] = [];
    const calls: string[] = [];
    const clock = fakeClock();
    const seen: Record<string, number> = {};
    const deps: FlowDeps = {
      parallel: 2,
      log: (l) => lines.push(l),
      terraform: {
        plan: async (stack, options) => {
          calls.push(`plan ${stack}${options?.destroy ? ' -destroy' : ''}`);
          return plans[stack];
        },
        apply: async (stack, onLine) => {
          calls.push(`apply ${stack}`);
          for (const l of plans[stack].output ?? []) onLine(l);
          if (plans[stack].fail) throw new Error(plans[stack].fail);
        },
        ownerContract: async () => {
          calls.push('output owner');
          return owner;
        },
      },
      waiter: {
        getEnvironment: async (t) => {
          clock.poll();
          const list = statuses[t.name] ?? ['AVAILABLE'];
          const i = Math.min(seen[t.name] ?? 0, list.length - 1);
          seen[t.name] = i + 1;
          return { status: list[i] };
        },
        now: clock.now,
        sleep: clock.sleep,
        log: (l) => lines.push(l),
      },
    };
    return { deps, lines, calls };
  }
  const waitFor = { pendingTimeoutMs: 20 * MIN, timeoutMs: 120 * MIN, pollIntervalMs: 30_000 };

  it('echoes only the apply lines that say what changed, prefixed with the stack', async () => {
    const output = [
      'aws_s3_bucket.b: Creating...',
      'aws_s3_bucket.b: Creation complete after 1s [id=b]',
      'aws_iam_role.r: Modifying... [id=r]',
      'aws_iam_role.r: Modifications complete after 0s',
      'aws_sqs_queue.q: Destroying... [id=q]',
      'aws_sqs_queue.q: Destruction complete after 1s',
      'aws_s3_bucket.b: Still creating... [10s elapsed]',
      'Terraform used the selected providers to generate the following execution plan.',
      '  Error: indented is not the error line',
      'Error: creating SQS Queue: AccessDenied',
      'Apply complete! Resources: 1 added, 1 changed, 1 destroyed.',
    ];
    const { deps, lines } = run({ owner: { changes: true, json: {}, output } });
    expect(await applyAll(deps, config, ['owner'], { ...waitFor, wait: true })).toEqual({ ok: true, failures: [] });
    expect(lines.filter((l) => l.startsWith('  [owner] '))).toEqual([0, 1, 2, 3, 4, 5, 9, 10].map((i) => `  [owner] ${output[i]}`));
    expect(lines[0]).toBe('owner: applying the saved plan');
    expect(lines.at(-1)).toMatch(/^owner: applied in \d+s$/);
  });

  it('the owner alone needs no contract check; an unchanged stack is not applied', async () => {
    const { deps, lines, calls } = run({ owner: { changes: false, json: {} } });
    expect(await applyAll(deps, config, ['owner'], { ...waitFor, wait: true })).toEqual({ ok: true, failures: [] });
    expect([calls, lines]).toEqual([['plan owner'], ['owner: no changes']]);
  });

  it('a failed apply reports its whole message (all 15 lines), indented, and the flow carries on with the other participants', async () => {
    const message = Array.from({ length: 15 }, (_, i) => `line ${i + 1}`).join('\n');
    const { deps, calls } = run({
      'participant-analytics': { changes: true, json: {}, fail: message },
      'participant-marketing': { changes: true, json: { resource_changes: [mwaa('mkt-prod', ['update'])] } },
    });
    const result = await applyAll(deps, config, ['participant-marketing', 'participant-analytics'], { ...waitFor, wait: true });
    expect(result).toEqual({
      ok: false,
      failures: [`participant-analytics: ${Array.from({ length: 15 }, (_, i) => `line ${i + 1}`).join('\n  ')}`],
    });
    expect(calls).toContain('apply participant-marketing');
  });

  it('waits only for environments created or updated, and not at all with --no-wait', async () => {
    const plans = {
      'participant-marketing': { changes: true, json: { resource_changes: [mwaa('mkt-prod', ['create']), mwaa('mkt-old', ['delete'])] } },
    };
    const waited = run(plans, { 'mkt-prod': ['CREATING', 'AVAILABLE'] });
    expect(await applyAll(waited.deps, config, ['participant-marketing'], { ...waitFor, wait: true })).toEqual({ ok: true, failures: [] });
    expect(waited.lines).toContain('participant-marketing: applying the saved plan (MWAA environments: mkt-prod)');
    expect(waited.lines).toContain(
      'waiting for 1 MWAA environment(s) to become AVAILABLE (PENDING for more than 20m00s means the endpoint manager did not create the endpoints):',
    );
    expect(waited.lines.filter((l) => l.includes('mkt-old'))).toEqual([]);

    const notWaited = run(plans, { 'mkt-prod': ['CREATE_FAILED'] });
    expect(await applyAll(notWaited.deps, config, ['participant-marketing'], { ...waitFor, wait: false })).toEqual({
      ok: true,
      failures: [],
    });
    expect(notWaited.lines.some((l) => l.startsWith('waiting for'))).toBe(false);
  });

  it('an environment that fails makes the apply fail with its message', async () => {
    const { deps } = run(
      { 'participant-analytics': { changes: true, json: { resource_changes: [mwaa('an-prod', ['update'])] } } },
      { 'an-prod': ['UPDATE_FAILED'] },
    );
    expect(await applyAll(deps, config, ['participant-analytics'], { ...waitFor, wait: true })).toEqual({
      ok: false,
      failures: ['analytics/an-prod is UPDATE_FAILED: MWAA reported no error detail (see the environment in the MWAA console)'],
    });
  });

  it('reports an unchanged status every two minutes unless told otherwise', async () => {
    const { deps, lines } = run(
      { 'participant-analytics': { changes: true, json: { resource_changes: [mwaa('an-prod', ['update'])] } } },
      { 'an-prod': ['UPDATING', 'UPDATING', 'UPDATING', 'UPDATING', 'UPDATING', 'UPDATING', 'AVAILABLE'] },
    );
    await applyAll(deps, config, ['participant-analytics'], { ...waitFor, wait: true });
    expect(lines.filter((l) => l.startsWith('  analytics/')).map((l) => l.trim().split(/\s+/).slice(1, 3).join(' '))).toEqual([
      'UPDATING 0s',
      'UPDATING 2m00s',
      'AVAILABLE 3m00s',
    ]);
  });

  it('a stack the owner outputs would make stale is not applied, naming the changed fields', async () => {
    const { deps, calls } = run({ owner: { changes: true, json: {} }, 'participant-analytics': { changes: true, json: {} } }, {}, {
      ...contract,
      vpcId: 'vpc-2',
      source: 'terraform-output',
    } as NetworkContract);
    const result = await applyAll(deps, config, ['owner', 'participant-analytics'], { ...waitFor, wait: true });
    expect(result.failures[0]).toMatch(/^the owner's outputs changed the network contract \(vpcId\): participant stacks were not applied/);
    expect(calls).toEqual(['plan owner', 'apply owner', 'output owner']);
  });

  it('contract drift: none when equal apart from the source, every changed field otherwise, and no committed contract at all', () => {
    expect(contractDrift(contract, { ...contract, source: 'terraform-output' } as NetworkContract)).toEqual([]);
    expect(contractDrift(contract, { ...contract, subnetIds: ['subnet-1', 'subnet-2'], region: 'us-east-1' } as NetworkContract)).toEqual([
      'region',
      'subnetIds',
    ]);
    expect(contractDrift(undefined, contract)).toEqual(['(no committed contract)']);
  });

  it('decommission: destroys, echoes destroy lines, waits for planned and configured environments, then says what to remove', async () => {
    const output = [
      'aws_mwaa_environment.e: Destroying... [id=mkt-prod]',
      'aws_mwaa_environment.e: Destruction complete after 20m',
      'aws_x.y: Still destroying...',
      'Destroy complete! Resources: 9 destroyed.',
      'Error: x',
    ];
    const { deps, lines, calls } = run(
      { 'participant-marketing': { changes: true, json: { resource_changes: [mwaa('mkt-prod', ['delete'])] }, output } },
      { 'mkt-prod': ['DELETING', 'DELETED'], 'mkt-dev': ['NOT_FOUND'] },
    );
    expect(await decommission(deps, config, 'marketing', waitFor)).toEqual({ ok: true, failures: [] });
    expect(calls).toEqual(['plan participant-marketing -destroy', 'apply participant-marketing']);
    expect(lines.filter((l) => l.startsWith('  [participant-marketing] '))).toEqual(
      [0, 1, 3, 4].map((i) => `  [participant-marketing] ${output[i]}`),
    );
    expect(lines).toContain('participant-marketing: destroying (MWAA environments: mkt-prod)');
    expect(lines).toContain('waiting for 2 MWAA environment(s) to be DELETED:');
    expect(lines.at(-1)).toMatch(/^participant-marketing is destroyed\. Now remove config\/teams\/marketing\.yaml/);
  });

  it('decommission of an empty stack still waits for the configured environments', async () => {
    const { deps, lines, calls } = run({ 'participant-analytics': { changes: false, json: {} } }, { 'an-prod': ['DELETED'] });
    expect(await decommission(deps, config, 'analytics', waitFor)).toEqual({ ok: true, failures: [] });
    expect(calls).toEqual(['plan participant-analytics -destroy']);
    expect(lines).toContain('participant-analytics: nothing to destroy (its state is empty)');
    expect(lines).toContain('waiting for 1 MWAA environment(s) to be DELETED:');
  });

  it('decommission keeps the file when the destroy fails or an environment survives', async () => {
    const failed = run({ 'participant-analytics': { changes: true, json: {}, fail: 'Error: deleting\nsecond line' } });
    expect(await decommission(failed.deps, config, 'analytics', waitFor)).toEqual({
      ok: false,
      failures: [
        'participant-analytics: Error: deleting\n  second line',
        'keep config/teams/analytics.yaml: the stack still has resources',
      ],
    });
    const survived = run(
      { 'participant-analytics': { changes: false, json: {} } },
      { 'an-prod': ['DELETE_FAILED' as EnvironmentStatus, 'UPDATE_FAILED'] },
    );
    const result = await decommission(survived.deps, { ...config, teams: [config.teams[0]] } as PlatformConfig, 'analytics', {
      ...waitFor,
      timeoutMs: 0,
    });
    expect(result.ok).toBe(false);
    expect(result.failures.at(-1)).toBe('keep config/teams/analytics.yaml until every environment is DELETED');
  });

  it('decommission of an unknown team lists the teams there are', async () => {
    const { deps, calls } = run({});
    expect((await decommission(deps, config, 'finance', waitFor)).failures[0]).toMatch(
      /^team "finance" is not in config\/teams\/ \(have: analytics, marketing\)\. If you already removed its file/,
    );
    expect((await decommission(deps, { ...config, teams: [] } as PlatformConfig, 'finance', waitFor)).failures[0]).toMatch(
      /\(have: none\)/,
    );
    expect(calls).toEqual([]);
  });
});

/**
 * `npm run apply` and `npm run decommission` with a recovery region (fixture: test/support/recovery-fixture.ts), with a
 * fake Terraform and a fake GetEnvironment per region: the recovery owner after the owner, each team's recovery stack
 * before its participant (whose replication names the replica), the recovery contract's drift check, environments
 * waited for in their own region, and decommission destroying both regions' stacks of a team.
 */
import type { NetworkContract } from '../../../model/contract';
import type { PlatformConfig } from '../../../model/model';
import { applyAll, decommission, endpointManagerLocation, type FlowDeps, type StackRunner } from '../../../tools/apply/flow';
import type { PlanJson } from '../../../tools/apply/targets';
import type { EnvironmentStatus, WaitTarget } from '../../../tools/apply/wait';
import { fakeClock } from '../../support/fake-clock';
import { loadRecoveryExample } from '../../support/recovery-fixture';

let config: PlatformConfig;
beforeAll(() => {
  config = loadRecoveryExample();
});

const mwaaChange = (name: string, action: 'create' | 'delete'): NonNullable<PlanJson['resource_changes']>[number] => ({
  type: 'aws_mwaa_environment',
  mode: 'managed',
  change: { actions: [action], before: action === 'create' ? null : { name }, after: action === 'delete' ? null : { name } },
});
const bucketChange = { type: 'aws_s3_bucket', mode: 'managed', change: { actions: ['create'], before: null, after: { bucket: 'b' } } };

interface Fake extends StackRunner {
  readonly calls: string[];
}

function fakeTerraform(
  plans: Record<string, PlanJson | undefined>,
  opts: { contracts?: { primary?: NetworkContract; recovery?: NetworkContract }; failApply?: string[] } = {},
): Fake {
  const calls: string[] = [];
  return {
    calls,
    async plan(stack, options = {}) {
      calls.push(`plan${options.destroy ? ' -destroy' : ''} ${stack}`);
      const json = plans[stack];
      return { changes: json !== undefined, json: json ?? {} };
    },
    async apply(stack, onLine) {
      calls.push(`apply ${stack}`);
      if (opts.failApply?.includes(stack)) throw new Error('Error: creating S3 Bucket: AccessDenied');
      onLine('Apply complete! Resources: 1 added, 0 changed, 0 destroyed.');
    },
    async ownerContract(site = 'primary') {
      calls.push(`output ${site}`);
      return (
        (site === 'primary' ? opts.contracts?.primary : opts.contracts?.recovery) ??
        (site === 'primary' ? config.contract! : config.recoveryContract!)
      );
    },
  };
}

/** GetEnvironment answered per `region/name`: the standby and its primary share a name. */
function deps(terraform: StackRunner, statuses: Record<string, EnvironmentStatus>): FlowDeps & { lines: string[]; asked: string[] } {
  const lines: string[] = [];
  const asked: string[] = [];
  const clock = fakeClock();
  return {
    lines,
    asked,
    parallel: 1,
    terraform,
    log: (l) => lines.push(l),
    waiter: {
      getEnvironment: async (t: WaitTarget) => {
        clock.poll();
        const key = `${t.region ?? config.platform.region}/${t.name}`;
        asked.push(key);
        const status = statuses[key];
        if (!status) throw new Error(`unexpected GetEnvironment ${key}`);
        return { status };
      },
      now: clock.now,
      sleep: clock.sleep,
      log: (l) => lines.push(l),
    },
  };
}

const waitOptions = { pendingTimeoutMs: 20 * 60_000, timeoutMs: 120 * 60_000, pollIntervalMs: 30_000, reportEveryMs: 0, wait: true };
const ALL = ['participant-marketing', 'recovery-marketing', 'owner', 'recovery-analytics', 'owner-recovery', 'participant-analytics'];

describe('npm run apply with a recovery region', () => {
  it('applies owner, recovery owner, the recovery stacks, then the participants, and waits for the standby in the recovery region', async () => {
    const tf = fakeTerraform({
      owner: { resource_changes: [bucketChange] },
      'owner-recovery': { resource_changes: [bucketChange] },
      'recovery-analytics': { resource_changes: [mwaaChange('analytics-prod', 'create')] },
      'recovery-marketing': { resource_changes: [bucketChange] },
      'participant-analytics': { resource_changes: [mwaaChange('analytics-prod', 'create')] },
      'participant-marketing': { resource_changes: [bucketChange] },
    });
    const d = deps(tf, { 'eu-west-1/analytics-prod': 'AVAILABLE', 'us-west-2/analytics-prod': 'AVAILABLE' });
    const result = await applyAll(d, config, ALL, waitOptions);
    expect(result).toEqual({ ok: true, failures: [] });
    expect(tf.calls).toEqual([
      'plan owner',
      'apply owner',
      'output primary',
      'plan owner-recovery',
      'apply owner-recovery',
      'output recovery',
      'plan recovery-analytics',
      'apply recovery-analytics',
      'plan recovery-marketing',
      'apply recovery-marketing',
      'plan participant-analytics',
      'apply participant-analytics',
      'plan participant-marketing',
      'apply participant-marketing',
    ]);
    expect(d.asked.sort()).toEqual(['eu-west-1/analytics-prod', 'us-west-2/analytics-prod']);
    expect(d.lines).toContain('  analytics/analytics-prod (us-west-2)  AVAILABLE  0s  ready');
    expect(d.lines).toContain('  analytics/analytics-prod  AVAILABLE  0s  ready');
  });

  it("stops before the recovery stacks and the participants when the recovery owner's outputs changed the recovery contract", async () => {
    const tf = fakeTerraform(
      { owner: { resource_changes: [bucketChange] }, 'owner-recovery': { resource_changes: [bucketChange] } },
      { contracts: { recovery: { ...config.recoveryContract!, vpcId: 'vpc-0fedcba9876543210' } } },
    );
    const result = await applyAll(deps(tf, {}), config, ALL, waitOptions);
    expect(result.failures).toEqual([
      "the recovery owner's outputs changed the recovery network contract (vpcId): recovery stacks were not applied (nor the participant stacks) against a stale contract. " +
        'Run `npm run publish-network -- --recovery`, merge config/recovery-network-contract.json in a pull request, then run `npm run apply` again.',
    ]);
    expect(tf.calls).toEqual([
      'plan owner',
      'apply owner',
      'output primary',
      'plan owner-recovery',
      'apply owner-recovery',
      'output recovery',
    ]);
  });

  it('a failing recovery owner applies no recovery or participant stack', async () => {
    const tf = fakeTerraform({ 'owner-recovery': { resource_changes: [bucketChange] } }, { failApply: ['owner-recovery'] });
    const result = await applyAll(deps(tf, {}), config, ALL, waitOptions);
    expect(result.ok).toBe(false);
    expect(result.failures[1]).toBe('recovery stacks were not applied (nor the participant stacks): fix the owner-recovery stack first');
    expect(tf.calls.filter((c) => c.startsWith('apply'))).toEqual(['apply owner-recovery']);
  });

  it('does not apply the participant whose recovery stack failed (its replication needs the replica); the other team goes on', async () => {
    const tf = fakeTerraform(
      {
        'recovery-analytics': { resource_changes: [bucketChange] },
        'recovery-marketing': { resource_changes: [bucketChange] },
        'participant-analytics': { resource_changes: [bucketChange] },
        'participant-marketing': { resource_changes: [bucketChange] },
      },
      { failApply: ['recovery-analytics'] },
    );
    const result = await applyAll(deps(tf, {}), config, ALL, waitOptions);
    expect(result.ok).toBe(false);
    expect(result.failures).toEqual([
      'recovery-analytics: Error: creating S3 Bucket: AccessDenied',
      'participant-analytics: not applied: its replication needs recovery-analytics, which failed',
    ]);
    expect(tf.calls).not.toContain('plan participant-analytics');
    expect(tf.calls).toContain('apply participant-marketing');
  });

  it('applies the recovery region alone (REGIONS=recovery, the primary unreachable) without asking for the primary owner', async () => {
    const tf = fakeTerraform({ 'recovery-analytics': { resource_changes: [mwaaChange('analytics-prod', 'create')] } });
    const d = deps(tf, { 'us-west-2/analytics-prod': 'AVAILABLE' });
    const result = await applyAll(d, config, ['recovery-analytics', 'owner-recovery', 'recovery-marketing'], waitOptions);
    expect(result).toEqual({ ok: true, failures: [] });
    expect(tf.calls).not.toContain('output primary');
    expect(d.asked).toEqual(['us-west-2/analytics-prod']);
  });

  it("blames the recovery region's endpoint manager for a standby stuck in PENDING", () => {
    expect(endpointManagerLocation(config, { region: 'us-west-2' })).toEqual({
      platform: 'acme-data-us-west-2',
      ownerAccountId: '111111111111',
      region: 'us-west-2',
    });
    expect(endpointManagerLocation(config)).toEqual({ platform: 'acme-data', ownerAccountId: '111111111111', region: 'eu-west-1' });
  });
});

describe('npm run decommission with a recovery region', () => {
  it('destroys the participant, then the recovery stack, waits for both regions, and names both owners and both states', async () => {
    const tf = fakeTerraform({
      'participant-analytics': { resource_changes: [mwaaChange('analytics-prod', 'delete'), bucketChange] },
      'recovery-analytics': { resource_changes: [mwaaChange('analytics-prod', 'delete'), bucketChange] },
    });
    const d = deps(tf, { 'eu-west-1/analytics-prod': 'DELETED', 'us-west-2/analytics-prod': 'DELETED' });
    const result = await decommission(d, config, 'analytics', waitOptions);
    expect(result).toEqual({ ok: true, failures: [] });
    expect(tf.calls).toEqual([
      'plan -destroy participant-analytics',
      'apply participant-analytics',
      'plan -destroy recovery-analytics',
      'apply recovery-analytics',
    ]);
    expect(d.asked.sort()).toEqual(['eu-west-1/analytics-prod', 'us-west-2/analytics-prod']);
    const recoveryCheck = d.lines.find((l) => l.startsWith("The recovery region's endpoint manager (us-west-2)"));
    expect(recoveryCheck).toContain(
      'aws ec2 describe-vpc-endpoints --region us-west-2 --filters Name=tag:mwaa:account,Values=222222222222 Name=tag:mwaa:environment,Values=analytics-prod Name=tag:ManagedBy,Values=acme-data-us-west-2-endpoint-manager',
    );
    expect(d.lines[d.lines.length - 1]).toBe(
      "participant-analytics and recovery-analytics are destroyed. Now remove config/teams/analytics.yaml (and the team's DAG folder) in a pull request; " +
        'applying it updates the owner and owner-recovery stacks, which drop the account from the RAM share, the status bus policy and the endpoint manager. ' +
        'Then delete the empty state of participant-analytics (terraform.participant-analytics.tfstate, or its key in the state bucket) and ' +
        'recovery-analytics (terraform.recovery-analytics.tfstate, or its key in the state bucket).',
    );
  });

  it('keeps the file, and destroys no recovery stack, when the participant fails to destroy', async () => {
    const tf = fakeTerraform({ 'participant-marketing': { resource_changes: [bucketChange] } }, { failApply: ['participant-marketing'] });
    const result = await decommission(deps(tf, {}), config, 'marketing', waitOptions);
    expect(result.failures).toEqual([
      'participant-marketing: Error: creating S3 Bucket: AccessDenied',
      'keep config/teams/marketing.yaml: the stack still has resources',
    ]);
    expect(tf.calls).toEqual(['plan -destroy participant-marketing', 'apply participant-marketing']);
  });

  it('keeps the file when the recovery stack fails to destroy', async () => {
    const tf = fakeTerraform(
      { 'participant-marketing': { resource_changes: [bucketChange] }, 'recovery-marketing': { resource_changes: [bucketChange] } },
      { failApply: ['recovery-marketing'] },
    );
    const d = deps(tf, { 'eu-west-1/marketing-campaigns': 'DELETED' });
    const result = await decommission(d, config, 'marketing', waitOptions);
    expect(result.failures).toEqual([
      'recovery-marketing: Error: creating S3 Bucket: AccessDenied',
      'keep config/teams/marketing.yaml: recovery-marketing still has resources',
    ]);
  });

  it('--recovery-only destroys only the recovery stack, waits for the standby in the recovery region, and says to turn recovery off', async () => {
    const tf = fakeTerraform({
      'participant-analytics': { resource_changes: [mwaaChange('analytics-prod', 'delete')] },
      'recovery-analytics': { resource_changes: [mwaaChange('analytics-prod', 'delete'), bucketChange] },
    });
    const d = deps(tf, { 'us-west-2/analytics-prod': 'DELETED' });
    const result = await decommission(d, config, 'analytics', { ...waitOptions, recoveryOnly: true });
    expect(result).toEqual({ ok: true, failures: [] });
    expect(tf.calls).toEqual(['plan -destroy recovery-analytics', 'apply recovery-analytics']);
    expect(d.asked).toEqual(['us-west-2/analytics-prod']);
    expect(d.lines[d.lines.length - 1]).toBe(
      "recovery-analytics is destroyed. Now remove `recovery` from config/teams/analytics.yaml's environments in a pull request; " +
        'applying it drops the replication of participant-analytics to the recovery region. ' +
        'Then delete the empty state of recovery-analytics (terraform.recovery-analytics.tfstate, or its key in the state bucket).',
    );
  });

  it('--recovery-only keeps recovery on when the recovery stack fails to destroy', async () => {
    const tf = fakeTerraform({ 'recovery-marketing': { resource_changes: [bucketChange] } }, { failApply: ['recovery-marketing'] });
    const result = await decommission(deps(tf, {}), config, 'marketing', { ...waitOptions, recoveryOnly: true });
    expect(result.failures).toEqual([
      'recovery-marketing: Error: creating S3 Bucket: AccessDenied',
      'keep recovery on in config/teams/marketing.yaml: recovery-marketing still has resources',
    ]);
    expect(tf.calls).toEqual(['plan -destroy recovery-marketing', 'apply recovery-marketing']);
  });

  it('--recovery-only refuses a team without recovery, naming why, and runs nothing', async () => {
    const noRecovery = loadRecoveryExample({ modes: { analytics: { 'analytics-prod': 'warm-standby' } } });
    const tf = fakeTerraform({});
    const result = await decommission(deps(tf, {}), noRecovery, 'marketing', { ...waitOptions, recoveryOnly: true });
    expect(result).toEqual({
      ok: false,
      failures: [
        'recovery-marketing is not configured (no environment of config/teams/marketing.yaml sets recovery), so it cannot be ' +
          'destroyed from its configuration: restore the recovery settings (git checkout <rev> -- the files), run this command again, then remove them again.',
      ],
    });
    expect(tf.calls).toEqual([]);
  });
});

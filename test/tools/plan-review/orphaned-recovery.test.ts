/**
 * Recovery stacks left behind: a team turning recovery off, or the platform removing its recovery region, leaves
 * `recovery-<team>` and `owner-recovery` with resources and no configuration. The offline `--base` review reports each
 * like a removed participant stack (high, "🔴 orphaned" row, what it keeps costing, the command that removes it),
 * never as deletes; the state scan (orphans.ts) reports them too. Fixture: test/support/recovery-fixture.ts.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadPlatformConfig } from '../../../model/load';
import type { PlatformConfig } from '../../../model/model';
import type { StackJson } from '../../../tools/rules/types';
import type { PriceTable } from '../../../tools/plan-review/cost';
import prices from '../../../tools/plan-review/prices.json';
import { configuredRecoveryStacks, scanForOrphans } from '../../../tools/plan-review/orphans';
import { reviewPlans, type ReviewResult } from '../../../tools/plan-review/review';
import { changedStacks, stackInputsFor } from '../../../tools/plan-review/run';
import { synthAll } from '../../support/addresses';
import { FIXTURE_CONFIG } from '../../support/config-fixture';
import { recoveryConfigWith } from '../../support/recovery-fixture';

const ANALYTICS_ONLY = { modes: { analytics: { 'analytics-prod': 'warm-standby' as const } } };

function review(base: PlatformConfig, head: PlatformConfig): ReviewResult {
  const b = synthAll(base) as Map<string, StackJson>;
  const h = synthAll(head) as Map<string, StackJson>;
  const split = changedStacks(b, h);
  return reviewPlans(stackInputsFor(split.changed, { head: h, base: b, config: head }), {
    mode: 'base',
    base: 'main',
    prices: prices as unknown as PriceTable,
    today: '2026-12-01',
  });
}

const rowOf = (r: ReviewResult, stack: string) => r.full.split('\n').filter((l) => l.startsWith(`| \`${stack}\` |`));
const titleOf = (r: ReviewResult, stack: string) => r.full.split('\n').filter((l) => l.startsWith(`- \`${stack}\``));

describe('offline --base review when recovery is turned off', () => {
  let withBoth: PlatformConfig;
  beforeAll(() => {
    withBoth = loadPlatformConfig(recoveryConfigWith());
  });

  it('a team turning recovery off: its recovery stack is orphaned (row, title with --recovery-only, cost), never deleted', () => {
    const r = review(withBoth, loadPlatformConfig(recoveryConfigWith(ANALYTICS_ONLY)));
    expect(r.full).not.toMatch(/`recovery-marketing`[^\n]*DELETES/);
    expect(r.result).toBe('high');
    expect(titleOf(r, 'recovery-marketing')).toEqual([
      '- `recovery-marketing` · **stack** · **orphaned**: no longer in the configuration; its resources stay in AWS and keep costing until ' +
        '`npm run decommission -- --team marketing --recovery-only`',
    ]);
    const details = r.full.split(titleOf(r, 'recovery-marketing')[0])[1].split('\n- `')[0];
    expect(details).toContain('no MWAA environment; its other resources stay');
    expect(details).toContain(
      "restore the recovery settings (`recovery` of marketing's environments in `config/teams/marketing.yaml`, and `recovery` in " +
        '`config/platform.yaml` if it went too), run `npm run decommission -- --team marketing --recovery-only`, then remove them again',
    );
    const cost = /monthly cost while it stays: (.*)$/m.exec(details)![1];
    expect(rowOf(r, 'recovery-marketing')).toEqual([
      `| \`recovery-marketing\` | 🔴 orphaned | 0 | 0 | 0 | 0 | 1 | 0 | ${cost} while it stays | — |`,
    ]);
    // The other team's recovery stack and the recovery owner are still configured.
    expect(rowOf(r, 'recovery-analytics').join('\n')).not.toContain('orphaned');
    expect(rowOf(r, 'owner-recovery').join('\n')).not.toContain('orphaned');
  });

  it('a warm standby left behind names its still-running environment in the recovery region', () => {
    const r = review(
      withBoth,
      loadPlatformConfig(recoveryConfigWith({ modes: { marketing: { 'marketing-campaigns': 'backup-restore' } } })),
    );
    const details = r.full.split(titleOf(r, 'recovery-analytics')[0])[1].split('\n- `')[0];
    expect(details).toMatch(/environments still running: `analytics-prod` \(mw1\.\w+, Airflow [\d.]+, (public|private) webserver\)/);
  });

  it('the platform removing its recovery region: owner-recovery and every recovery stack are orphaned', () => {
    const r = review(withBoth, loadPlatformConfig(FIXTURE_CONFIG));
    for (const stack of ['owner-recovery', 'recovery-analytics', 'recovery-marketing']) {
      expect(rowOf(r, stack)).toEqual([expect.stringMatching(new RegExp(`^\\| \`${stack}\` \\| 🔴 orphaned \\|`))]);
      expect(r.full).not.toMatch(new RegExp(`\`${stack}\`[^\\n]*DELETES`));
    }
    expect(titleOf(r, 'owner-recovery')).toEqual([
      '- `owner-recovery` · **stack** · **orphaned**: no longer in the configuration; its shared VPC, endpoints and endpoint manager stay in AWS and keep costing until it is destroyed',
    ]);
  });
});

describe('state scan: recovery stacks with state and no configuration', () => {
  const withResources = JSON.stringify({ version: 4, resources: [{ mode: 'managed', instances: [{}] }] });
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'orphans-recovery-'));
    for (const stack of ['owner', 'owner-recovery', 'participant-marketing', 'recovery-analytics', 'recovery-marketing'])
      writeFileSync(join(root, `terraform.${stack}.tfstate`), withResources);
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('configuredRecoveryStacks names the recovery owner and each recovering team’s stack, none without a recovery region', () => {
    expect(configuredRecoveryStacks(loadPlatformConfig(recoveryConfigWith(ANALYTICS_ONLY)))).toEqual([
      'owner-recovery',
      'recovery-analytics',
    ]);
    expect(configuredRecoveryStacks(loadPlatformConfig(FIXTURE_CONFIG))).toEqual([]);
  });

  it('a team without recovery: its recovery stack is reported, with why and the --recovery-only command', async () => {
    const scan = await scanForOrphans(root, { type: 'local' }, ['analytics', 'marketing'], {
      live: false,
      recoveryStacks: ['owner-recovery', 'recovery-analytics'],
    });
    expect(scan.orphans.map((o) => [o.stack, o.team, o.title])).toEqual([
      [
        'recovery-marketing',
        'marketing',
        '**orphaned**: no longer in the configuration; its resources stay in AWS and keep costing until `npm run decommission -- --team marketing --recovery-only`',
      ],
    ]);
    expect(scan.orphans[0].detail).toMatch(
      /^recovery-marketing has 1 resource\(s\) in .*terraform\.recovery-marketing\.tfstate, but the configuration no longer has recovery-marketing \(no recovery for "marketing"\): restore the recovery settings/,
    );
  });

  it('no recovery region: the recovery owner and both recovery stacks are reported', async () => {
    const scan = await scanForOrphans(root, { type: 'local' }, ['analytics', 'marketing'], { live: false, recoveryStacks: [] });
    expect(scan.orphans.map((o) => o.stack)).toEqual(['owner-recovery', 'recovery-analytics', 'recovery-marketing']);
    expect(scan.orphans[0].detail).toContain(
      'but config/platform.yaml has no recovery region: restore `recovery` in `config/platform.yaml`',
    );
  });
});

/**
 * The plan review with a recovery region (fixture: test/support/recovery-fixture.ts, recovery in us-west-2): recovery
 * stacks attributed to their team and account, the recovery side's per-account names not taken for another team's,
 * levels of replication and of recovery environments, and the standby's monthly cost on its own line — never $0 for
 * what the price table lacks.
 */
import { Testing, TerraformStack, type App } from 'cdktf';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp } from '../../../stacks/app';
import type { PriceTable, RegionPrices } from '../../../tools/plan-review/cost';
import { reviewPlans, type StackInput, type TerraformPlanJson } from '../../../tools/plan-review/review';
import { stackInputsFor } from '../../../tools/plan-review/run';
import type { StackJson } from '../../../tools/rules/types';
import { loadRecoveryExample } from '../../support/recovery-fixture';

const config = loadRecoveryExample();

function stacksOf(app: App): Map<string, StackJson> {
  const stacks = app.node.children.filter((c): c is TerraformStack => c instanceof TerraformStack);
  return new Map(stacks.map((s) => [s.node.id, JSON.parse(Testing.synth(s)) as StackJson]));
}
const head = stacksOf(buildApp(config, { outdir: mkdtempSync(join(tmpdir(), 'review-recovery-')) }));

const p = (usd: number | null) => ({ usd, source: 's' });
/** Round figures, so every expected sum below is worked out by hand. */
const region = (overrides: Partial<RegionPrices> = {}): RegionPrices => ({
  mwaaEnvironmentHour: { 'mw1.small': p(1), 'mw1.medium': p(2) },
  mwaaWorkerHour: { 'mw1.small': p(0.1), 'mw1.medium': p(0.2) },
  mwaaSchedulerHour: { 'mw1.small': p(0.1), 'mw1.medium': p(0.2) },
  mwaaWebserverHour: { 'mw1.small': p(0.1), 'mw1.medium': p(0.2) },
  mwaaMetadataGbMonth: p(null),
  interfaceEndpointAzHour: p(0.01),
  eksClusterHour: p(0.1),
  eksExtendedClusterHour: p(0.6),
  ec2OnDemandHour: {},
  kmsKeyMonth: p(1),
  ...overrides,
});
const table = (recovery: RegionPrices): PriceTable => ({
  hoursPerMonth: 100,
  sources: {},
  mwaaIncluded: { workers: 1, schedulers: 2, webservers: 2 },
  eksStandardSupportEnd: {},
  regions: { 'eu-west-1': region(), 'us-west-2': recovery },
});

const inputs = stackInputsFor(['recovery-analytics', 'recovery-marketing', 'owner-recovery'], { head, config });
const review = (prices: PriceTable) => reviewPlans(inputs, { prices, today: '2026-12-06', mode: 'base' });

describe('recovery stacks in the review', () => {
  it('are attributed to their team and account, with the recovery region’s name prefix', () => {
    expect(inputs.map((i) => [i.stack, i.team, i.accountId, i.platform])).toEqual([
      ['recovery-analytics', 'analytics', '222222222222', 'acme-data-us-west-2'],
      ['recovery-marketing', 'marketing', '333333333333', 'acme-data-us-west-2'],
      ['owner-recovery', undefined, '111111111111', 'acme-data-us-west-2'],
    ]);
  });

  it('finds no cross-team resource in a recovery stack (its reconcile role is the recovery region’s per-account name)', () => {
    const r = review(table(region()));
    const titles = r.stacks.flatMap((s) => s.findings.map((f) => `${s.stack}: ${f.title}`));
    expect(titles.filter((t) => t.includes('may belong to another team'))).toEqual([]);
    expect(r.stacks.find((s) => s.stack === 'recovery-analytics')!.team).toBe('analytics');
  });

  it('shows the warm standby’s monthly cost on its own line, named as the standby in the recovery region', () => {
    const md = review(table(region())).full;
    const standby = config.teams.find((t) => t.team === 'analytics')!.environments.find((e) => e.name === 'analytics-prod')!;
    expect(standby.environmentClass).toBe('mw1.medium');
    // Smallest mw1.medium: 1 worker and 2 schedulers (included), 2 webservers (included) up to the primary's maximum.
    // 100 h × $2 environment + 4 endpoint-AZ (private webserver: database + webserver, 2 AZ) × 100 h × $0.01 = $204;
    // the maximum adds (maxWorkers − 1) × 100 h × $0.2 and (maxWebservers − 2) × 100 h × $0.2.
    const max = 204 + (standby.maxWorkers! - 1) * 20 + (Math.max(standby.maxWebservers ?? 2, 2) - 2) * 20;
    expect(md).toContain(
      `| \`recovery-analytics\` | **environment analytics-prod (warm standby, us-west-2)** | subtotal | **$204.00–$${max.toFixed(2)}** |`,
    );
    expect(md).toContain(
      '| `recovery-analytics` | analytics-prod (warm standby, us-west-2): mw1.medium environment | 1 environment × 100 h × $2 | $200.00 |',
    );
    // The backup-restore environment does not exist until failover: nothing of it is priced.
    expect(md).not.toMatch(/marketing-campaigns \(/);
  });

  it('says "≥" with the unpriced count when the recovery region lacks a figure, never $0', () => {
    const md = review(table(region({ mwaaWorkerHour: {} }))).full;
    expect(md).toContain('| `recovery-analytics` | analytics-prod (warm standby, us-west-2): additional workers |');
    expect(md).toMatch(
      /\| `recovery-analytics` \| analytics-prod \(warm standby, us-west-2\): additional workers \| [^|]+ × no price \| no price \(us-west-2\) \|/,
    );
    expect(md).toContain('| `recovery-analytics` | **environment analytics-prod (warm standby, us-west-2)** | subtotal | **≥ $204.00');
    expect(md).toMatch(
      /environment analytics-prod \(warm standby, us-west-2\)\*\* \| subtotal \| \*\*≥ \$204\.00[^*]* \(1 item unpriced\)\*\*/,
    );
    expect(md).toContain('`npm run prices -- --region us-west-2`');
  });

  it('labels a backup-restore environment being failed over as such', () => {
    const failover = stacksOf(
      buildApp(config, {
        outdir: mkdtempSync(join(tmpdir(), 'review-failover-')),
        regions: 'recovery',
        failover: ['marketing/marketing-campaigns'],
      }),
    );
    const md = reviewPlans(stackInputsFor(['recovery-marketing'], { head: failover, config }), {
      prices: table(region()),
      today: '2026-12-06',
      mode: 'base',
    }).full;
    expect(md).toContain('**environment marketing-campaigns (backup-restore, failed over, us-west-2)**');
  });
});

// Plans built inline, in the shape of `terraform show -json`.
const RC = 'aws_s3_bucket_replication_configuration.dag';
const rule = (destination: string, status = 'Enabled', deleteMarkers = 'Enabled') => ({
  id: 'to-recovery-region',
  status,
  destination: [{ bucket: `arn:aws:s3:::${destination}` }],
  delete_marker_replication: [{ status: deleteMarkers }],
});
function planOf(address: string, actions: string[], before: object | null, after: object | null): TerraformPlanJson {
  return {
    format_version: '1.2',
    resource_changes: [
      {
        address,
        mode: 'managed',
        type: address.split('.')[0],
        name: address.split('.')[1],
        change: { actions, before, after, after_unknown: {} },
      },
    ],
  } as unknown as TerraformPlanJson;
}
const input = (stack: string, plan: TerraformPlanJson): StackInput => ({
  stack,
  team: 'data',
  accountId: '111111111111',
  platformAccounts: ['111111111111'],
  plan,
});
const findings = (stack: string, plan: TerraformPlanJson) =>
  reviewPlans([input(stack, plan)]).stacks[0].findings.map((f) => `${f.level}: ${f.title}`);

describe('levels of replication into the recovery region', () => {
  const on = { bucket: 'data-dags', rule: [rule('data-dags-replica')] };

  it('new replication is review: objects leave the region', () => {
    expect(findings('participant-data', planOf(RC, ['create'], null, on))).toEqual([
      'review: replicates `data-dags` to `data-dags-replica`: its objects leave this region',
    ]);
  });

  it('replication deleted is high: a failover would start from stale objects', () => {
    expect(findings('participant-data', planOf(RC, ['delete'], on, null))).toEqual([
      'high: **replication to the recovery region stops**: new objects of `data-dags` no longer reach `data-dags-replica`; a failover would start from what the replica holds now',
    ]);
  });

  it.each([
    ['a rule disabled', rule('data-dags-replica', 'Disabled'), '`data-dags-replica` (disabled)'],
    ['delete markers no longer replicated', rule('data-dags-replica', 'Enabled', 'Disabled'), '`data-dags-replica` without delete markers'],
    ['another destination', rule('elsewhere'), '`elsewhere`'],
  ])('%s is high', (_what, changed, shown) => {
    expect(findings('participant-data', planOf(RC, ['update'], on, { ...on, rule: [changed] }))).toEqual([
      `high: **replication to the recovery region reduced**: \`data-dags-replica\` → ${shown}; a failover would miss what no longer replicates`,
    ]);
  });

  it('an unchanged configuration (a tags-only update) says nothing', () => {
    expect(findings('participant-data', planOf(RC, ['update'], on, { ...on }))).toEqual([]);
  });
});

describe('levels of recovery environments', () => {
  const env = (options: Record<string, string>) => ({
    name: 'data-prod',
    environment_class: 'mw1.small',
    webserver_access_mode: 'PRIVATE_ONLY',
    airflow_configuration_options: options,
  });
  const MWAA = 'aws_mwaa_environment.standby';

  it('a recovery environment keeping its DAGs paused is no finding', () => {
    expect(findings('recovery-data', planOf(MWAA, ['create'], null, env({ 'core.dags_are_paused_at_creation': 'True' })))).toEqual([]);
  });

  it.each([
    ['unset', {}, 'unset'],
    ['False', { 'core.dags_are_paused_at_creation': 'False' }, '`False`'],
  ])('one whose DAGs are not paused (%s) is high: it would run the primary’s schedules twice', (_what, options, shown) => {
    expect(findings('recovery-data', planOf(MWAA, ['create'], null, env(options)))).toEqual([
      `high: **recovery environment \`data-prod\` would run its DAGs**: \`core.dags_are_paused_at_creation\` is ${shown}, so it would run the primary's schedules a second time`,
    ]);
  });

  it('the same environment in a participant stack is not a recovery environment', () => {
    expect(findings('participant-data', planOf(MWAA, ['create'], null, env({})))).toEqual([]);
  });
});

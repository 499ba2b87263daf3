/**
 * Issue 21's "done when" for the review, on a fixture platform: a new team (own account, private webserver, one
 * DAG) is added and an existing team removed exactly as the README says (a team file and a `teams/<team>/`
 * directory). The offline `--base` review, assembled as `npm run plan -- --base` assembles it, rates the new team
 * below high and the removed one as orphaned with the decommission command, never as deletes.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { loadPlatformConfig } from '../../../model/load';
import { buildApp } from '../../../stacks/app';
import { listStacks, loadPlatformInputs, readStack } from '../../../tools/lib/stacks';
import { runRulesOverStacks } from '../../../tools/rules';
import type { StackJson } from '../../../tools/rules/types';
import { readTree, teamFileDirs } from '../../../tools/plan-review/base';
import type { PriceTable } from '../../../tools/plan-review/cost';
import prices from '../../../tools/plan-review/prices.json';
import { reviewPlans, type ReviewResult } from '../../../tools/plan-review/review';
import { changedStacks, configuredEnvironmentFiles, stackInputsFor } from '../../../tools/plan-review/run';
import { environmentFileItems } from '../../../tools/plan-review/environment-files';
import { diffTeamFiles } from '../../../tools/plan-review/team-files';
import { fenceFor } from '../../../tools/plan-review/review';
import { fixtureConfigWith } from '../../support/config-fixture';

const NEW_ACCOUNT = '444444444444';
const PAYMENTS_TEAM = `team: payments
accountId: "${NEW_ACCOUNT}"
environments:
  - name: payments-core
    airflowVersion: "2.10.3"
    environmentClass: mw1.small
    webserverAccessMode: PRIVATE_ONLY
    minWorkers: 1
    maxWorkers: 2
`;
const PAYMENTS_DAG = `"""A payments DAG."""
import pendulum
from airflow import DAG
from airflow.operators.empty import EmptyOperator

with DAG(dag_id="payments_settle", schedule="@daily", start_date=pendulum.datetime(2024, 1, 1, tz="UTC"), catchup=False) as dag:
    EmptyOperator(task_id="settle")
`;

/** Synthesizes into the repository's own `cdktf.out`, as main.ts does: the local backend's path is relative to it. */
function synthesize(configDir: string): Map<string, StackJson> {
  const outdir = join(configDir, '..', 'cdktf.out');
  try {
    buildApp(loadPlatformConfig(configDir), { outdir, mode: 'offline-preview' }).synth();
    return new Map(listStacks(outdir).map((s) => [s, readStack(outdir, s)]));
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

describe('offline --base review of a new team and a removed one (fixture platform)', () => {
  let review: ReviewResult;
  let split: { changed: string[]; unchanged: string[] };
  let removedTeam: string;

  beforeAll(() => {
    const baseDir = fixtureConfigWith({});
    const baseConfig = loadPlatformConfig(baseDir);
    // The removed team: the fixture's team without EKS, so the new team is the only change of its kind.
    removedTeam = baseConfig.teams.find((t) => !t.eks && t.environments.length > 0)!.team;
    const headDir = fixtureConfigWith({
      files: { 'teams/payments.yaml': PAYMENTS_TEAM },
      repoFiles: { 'teams/payments/dags/payments_settle.py': PAYMENTS_DAG },
    });
    rmSync(join(headDir, 'teams', `${removedTeam}.yaml`));
    rmSync(join(headDir, '..', 'teams', removedTeam), { recursive: true, force: true });
    const headInputs = loadPlatformInputs(join(headDir, '..'), { PLATFORM_CONFIG: 'config' });
    const headConfig = headInputs.config!;

    const base = synthesize(baseDir);
    const head = synthesize(headDir);
    split = changedStacks(base, head);
    const teamFiles = diffTeamFiles(
      readTree(join(baseDir, '..'), teamFileDirs('config')),
      readTree(join(headDir, '..'), teamFileDirs('config')),
      { withDiff: true },
    );
    // The security rules over the reviewed stacks, as the run does: an unsuppressed finding is high.
    const rules = runRulesOverStacks(
      split.changed.filter((s) => head.has(s)).map((stack) => ({ stack, json: head.get(stack)! })),
      headInputs,
    );
    review = reviewPlans(stackInputsFor(split.changed, { head, base, config: headConfig }), {
      mode: 'base',
      findings: rules.findings,
      suppressed: rules.suppressed,
      base: 'main',
      prices: prices as unknown as PriceTable,
      today: '2026-12-01',
      teamFiles,
      stackItems: environmentFileItems(teamFiles, configuredEnvironmentFiles(headConfig), fenceFor),
    });
  }, 300_000);

  it('reviews the new team, the owner (its RAM share) and the removed team; the other team is unchanged', () => {
    expect(split.changed).toEqual(expect.arrayContaining(['owner', 'participant-payments', `participant-${removedTeam}`]));
    expect(split.unchanged.length).toBeGreaterThan(0);
    expect(split.unchanged).not.toContain('participant-payments');
  });

  it('rates the new team below high: no cross-team finding for the names the platform gives once per account', () => {
    const payments = review.stacks.find((s) => s.stack === 'participant-payments')!;
    expect(payments.findings.filter((f) => f.level === 'high').map((f) => f.title)).toEqual([]);
    expect(payments.level).toBe('review');
    expect(review.full).not.toMatch(/`participant-payments` · \*\*[^\n]*security rule/);
    expect(review.full).not.toContain('may belong to another team');
  });

  it("shares the network with the new account as a review item of the owner, at the level of a platform account's trust", () => {
    const owner = review.stacks.find((s) => s.stack === 'owner')!;
    expect(owner.findings.map((f) => `${f.level}: ${f.title}`)).toContainEqual(
      `review: RAM share with account ${NEW_ACCOUNT} (\`${NEW_ACCOUNT}\`) — trust of a platform account`,
    );
  });

  it('reviews the removed team as orphaned (high, with the decommission command, its environment and cost), never as deletes', () => {
    const stack = `participant-${removedTeam}`;
    expect(review.stacks.map((s) => s.stack)).not.toContain(stack);
    expect(review.full).not.toMatch(new RegExp(`\`${stack}\`[^\\n]*DELETES`));
    expect(review.result).toBe('high');
    const high = review.full.split('\n').filter((l) => l.startsWith(`- \`${stack}\``));
    expect(high).toEqual([
      `- \`${stack}\` · **stack** · **orphaned**: no longer in the configuration; its resources stay in AWS and keep costing until \`npm run decommission -- --team ${removedTeam}\``,
    ]);
    const details = review.full.split(high[0])[1].split('\n- ')[0];
    expect(details).toMatch(/environments still running: `[a-z-]+` \(mw1\.\w+, Airflow [\d.]+, (public|private) webserver\)/);
    expect(details).toMatch(/monthly cost while it stays: (≥ )?(\$[\d,.]+|unknown)/);
    expect(details).toContain(`restore \`config/teams/${removedTeam}.yaml\`, run \`npm run decommission -- --team ${removedTeam}\``);
    expect(review.summary).toContain(`  ${stack}: high: **orphaned**`);
    // A row of its own in the per-stack table, its cost in the review's one format (the same text as its detail line).
    const cost = /monthly cost while it stays: (.*)$/m.exec(details)![1];
    expect(review.full.split('\n').filter((l) => l.startsWith(`| \`${stack}\` |`))).toEqual([
      `| \`${stack}\` | 🔴 orphaned | 0 | 0 | 0 | 0 | 1 | 0 | ${cost} while it stays | — |`,
    ]);
  });

  it("lists the new team's DAG as a team file, and no team file of the new team is a review item without a startup script", () => {
    expect(review.full).toContain('| `teams/payments/dags/payments_settle.py` | added (7 lines) |');
    expect(review.full).not.toContain('startup script `teams/payments');
  });
});

describe('the configuration the review reads, written by hand (what the test above relies on)', () => {
  it('a team file added the README way loads with its own account and a private webserver', () => {
    const dir = fixtureConfigWith({
      files: { 'teams/payments.yaml': PAYMENTS_TEAM },
      repoFiles: { 'teams/payments/dags/payments_settle.py': PAYMENTS_DAG },
    });
    const team = loadPlatformConfig(dir).teams.find((t) => t.team === 'payments')!;
    expect(team.accountId).toBe(NEW_ACCOUNT);
    expect(team.environments.map((e) => e.webserverAccessMode)).toEqual(['PRIVATE_ONLY']);
  });
});

/**
 * Terraform tier: a configuration with a recovery region (fixture: test/support/recovery-fixture.ts) is synthesized
 * through main.ts with REGIONS=recovery, the primary region's stacks left out, and every recovery-region stack goes
 * through `terraform init` against the local mirror, `validate` and an offline `plan`: they need nothing of the
 * primary region to plan. A backup-restore environment being failed over (RECOVERY_FAILOVER) plans too.
 */
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initAsync, planAsync, requireTerraform, runAsync, showJsonAsync, type TerraformValidateJson } from '../../tools/lib/terraform';
import { recoveryConfigWith } from '../support/recovery-fixture';
import { runMain } from '../support/synth';

jest.setTimeout(900_000);

/** main.ts's synthesis (what `npm run synth` runs) in this process; returns cdktf.out. */
function synth(env: Record<string, string>): string {
  const outdir = join(mkdtempSync(join(process.env.MWAA_TEST_SCRATCH ?? tmpdir(), 'recovery-tier-')), 'cdktf.out');
  const r = runMain({ PREVIEW: 'offline', CDKTF_OUTDIR: outdir, PLATFORM_CONFIG: recoveryConfigWith(), ...env });
  if (r.status !== 0) throw new Error(`synth failed:\n${r.stderr}`);
  return outdir;
}

async function check(outdir: string, stack: string) {
  const dir = join(outdir, 'stacks', stack);
  await initAsync(dir);
  const validate = JSON.parse((await runAsync(dir, ['validate', '-json', '-no-color'], [0, 1])).stdout) as TerraformValidateJson;
  await planAsync(dir, 'tfplan');
  const plan = (await showJsonAsync(dir, 'tfplan')) as any;
  const created = (plan.resource_changes ?? []).filter((c: any) => c.mode === 'managed' && c.change.actions.join() === 'create');
  const types: string[] = created.map((c: any) => c.type as string);
  return { validate, created: types };
}

describe('the recovery region plans offline without the primary region', () => {
  let outdir: string;
  const results = new Map<string, Awaited<ReturnType<typeof check>>>();
  beforeAll(async () => {
    requireTerraform();
    outdir = synth({ REGIONS: 'recovery' });
    const queue = ['owner-recovery', 'recovery-analytics', 'recovery-marketing'];
    await Promise.all(
      [0, 1].map(async () => {
        for (let stack = queue.shift(); stack; stack = queue.shift()) results.set(stack, await check(outdir, stack));
      }),
    );
  });

  it('synthesizes only the recovery region’s stacks', () => {
    expect(readdirSync(join(outdir, 'stacks')).sort()).toEqual(['owner-recovery', 'recovery-analytics', 'recovery-marketing']);
  });

  it.each(['owner-recovery', 'recovery-analytics', 'recovery-marketing'])('%s validates and plans', (stack) => {
    const result = results.get(stack)!;
    expect(result.validate.diagnostics.map((d) => `${d.severity}: ${d.summary} ${d.detail ?? ''}`)).toEqual([]);
    expect(result.created.length).toBeGreaterThan(0);
  });

  it('plans the standby environment and no backup-restore environment', () => {
    expect(results.get('recovery-analytics')!.created.filter((t) => t === 'aws_mwaa_environment')).toHaveLength(1);
    expect(results.get('recovery-marketing')!.created.filter((t) => t === 'aws_mwaa_environment')).toHaveLength(0);
  });

  it('plans the backup-restore environment at failover', async () => {
    const failover = synth({ REGIONS: 'recovery', RECOVERY_FAILOVER: 'marketing/marketing-campaigns' });
    const result = await check(failover, 'recovery-marketing');
    expect(result.validate.diagnostics).toEqual([]);
    expect(result.created.filter((t) => t === 'aws_mwaa_environment')).toHaveLength(1);
  });
});

/**
 * The shipped example's recovery region (config/platform.yaml `recovery`, one warm standby and one backup-restore
 * environment): its placeholder recovery contract is current, and with REGIONS=recovery main.ts synthesizes the
 * recovery region's stacks alone, each of which validates and plans offline with the primary region's stacks absent.
 * Behaviour on other configurations is tested on fixtures (test/terraform/recovery-plan.test.ts).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RECOVERY_CONTRACT_FILE } from '../../model/contract';
import { loadPlatformConfig } from '../../model/load';
import { exampleContract, formatJson } from '../../tools/publish-network';
import { initAsync, planAsync, requireTerraform, runAsync, showJsonAsync, type TerraformValidateJson } from '../../tools/lib/terraform';
import { REPO_ROOT } from '../support/fixture-paths';
import { describeShippedExample, WORKING_CONFIG } from './shipped-example';

jest.setTimeout(900_000);

const RECOVERY_STACKS = ['owner-recovery', 'recovery-analytics', 'recovery-marketing'];

describeShippedExample('the shipped example’s recovery region', () => {
  it('has a recovery region and exactly one warm-standby and one backup-restore environment', () => {
    const config = loadPlatformConfig(WORKING_CONFIG);
    expect(config.platform.recovery?.region).toBe('us-west-2');
    const modes = config.teams.flatMap((t) => t.environments.filter((e) => e.recovery).map((e) => `${e.name}: ${e.recovery}`));
    expect(modes.sort()).toEqual(['analytics-prod: warm-standby', 'marketing-campaigns: backup-restore']);
    expect(config.warnings).toEqual([]);
  });

  it('carries the recovery contract `npm run publish-network -- --recovery --example` writes for it, byte for byte', () => {
    const { platform } = loadPlatformConfig(WORKING_CONFIG, { ownerOnly: true });
    expect(readFileSync(join(WORKING_CONFIG, RECOVERY_CONTRACT_FILE), 'utf8')).toBe(
      `${formatJson(exampleContract(platform, 'recovery'))}\n`,
    );
  });

  describe('with REGIONS=recovery (the primary region unreachable)', () => {
    let outdir: string;
    const results = new Map<string, { validate: TerraformValidateJson; created: string[]; other: string[] } | Error>();

    beforeAll(async () => {
      requireTerraform();
      outdir = join(mkdtempSync(join(process.env.MWAA_TEST_SCRATCH ?? tmpdir(), 'example-recovery-')), 'cdktf.out');
      const env: NodeJS.ProcessEnv = { ...process.env, PREVIEW: 'offline', REGIONS: 'recovery', CDKTF_OUTDIR: outdir };
      delete env.PLATFORM_CONFIG;
      delete env.RECOVERY_FAILOVER;
      const r = spawnSync(process.execPath, ['--import', 'tsx', 'main.ts'], { cwd: REPO_ROOT, env, encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`synthesis failed (exit ${r.status}):\n${r.stderr}`);
      // Two at a time: the provider is CPU-bound.
      const queue = [...RECOVERY_STACKS];
      await Promise.all(
        [0, 1].map(async () => {
          for (let stack = queue.shift(); stack; stack = queue.shift()) {
            const dir = join(outdir, 'stacks', stack);
            try {
              await initAsync(dir);
              const validate = JSON.parse(
                (await runAsync(dir, ['validate', '-json', '-no-color'], [0, 1])).stdout,
              ) as TerraformValidateJson;
              await planAsync(dir, 'tfplan');
              const plan = (await showJsonAsync(dir, 'tfplan')) as any;
              const managed = (plan.resource_changes ?? []).filter((c: any) => c.mode === 'managed');
              const isCreate = (c: any) => c.change.actions.join() === 'create';
              results.set(stack, {
                validate,
                created: managed.filter(isCreate).map((c: any) => c.type as string),
                other: managed.filter((c: any) => !isCreate(c)).map((c: any) => `${c.address}: ${c.change.actions.join()}`),
              });
            } catch (error) {
              results.set(stack, error as Error);
            }
          }
        }),
      );
    });

    const result = (stack: string) => {
      const r = results.get(stack);
      if (r instanceof Error) throw r;
      if (!r) throw new Error(`${stack} was not planned`);
      return r;
    };

    it('synthesizes the recovery region’s stacks and none of the primary’s', () => {
      expect(readdirSync(join(outdir, 'stacks')).sort()).toEqual(RECOVERY_STACKS);
    });

    it.each(RECOVERY_STACKS)('%s validates cleanly and plans offline, creating everything', (stack) => {
      const r = result(stack);
      expect(r.validate.diagnostics.map((d) => `${d.severity}: ${d.summary} ${d.detail ?? ''}`)).toEqual([]);
      expect(r.created.length).toBeGreaterThan(0);
      expect(r.other).toEqual([]);
    });

    it('plans analytics-prod’s standby environment and no environment for marketing-campaigns until failover', () => {
      expect(result('recovery-analytics').created.filter((t) => t === 'aws_mwaa_environment')).toHaveLength(1);
      expect(result('recovery-marketing').created.filter((t) => t === 'aws_mwaa_environment')).toHaveLength(0);
    });
  });
});

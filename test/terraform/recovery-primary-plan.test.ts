/**
 * Terraform tier, primary side of recovery: a recovered team's participant stack (fixture:
 * test/support/recovery-fixture.ts, REGIONS=primary) goes through `terraform init` against the local mirror,
 * `validate` and an offline `plan`, so the provider accepts what recovery adds there: the secret's `replica` block,
 * the encrypted alarm topic and its policy, the replication configurations and the failback grants.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initAsync, planAsync, requireTerraform, runAsync, showJsonAsync, type TerraformValidateJson } from '../../tools/lib/terraform';
import { recoveryConfigWith } from '../support/recovery-fixture';

jest.setTimeout(900_000);
const ROOT = join(__dirname, '..', '..');

describe('a recovered team’s participant stack validates and plans offline', () => {
  let validate: TerraformValidateJson;
  let created: any[];
  beforeAll(async () => {
    requireTerraform();
    const outdir = join(mkdtempSync(join(process.env.MWAA_TEST_SCRATCH ?? tmpdir(), 'recovery-primary-tier-')), 'cdktf.out');
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'main.ts'], {
      cwd: ROOT,
      env: { ...process.env, PREVIEW: 'offline', CDKTF_OUTDIR: outdir, PLATFORM_CONFIG: recoveryConfigWith(), REGIONS: 'primary' },
      encoding: 'utf8',
    });
    if (r.status !== 0) throw new Error(`synth failed:\n${r.stderr}`);
    const dir = join(outdir, 'stacks', 'participant-analytics');
    await initAsync(dir);
    validate = JSON.parse((await runAsync(dir, ['validate', '-json', '-no-color'], [0, 1])).stdout) as TerraformValidateJson;
    await planAsync(dir, 'tfplan');
    const plan = (await showJsonAsync(dir, 'tfplan')) as any;
    created = (plan.resource_changes ?? []).filter((c: any) => c.mode === 'managed' && c.change.actions.join() === 'create');
  });

  it('validates with no diagnostics', () => {
    expect(validate.diagnostics.map((d) => `${d.severity}: ${d.summary} ${d.detail ?? ''}`)).toEqual([]);
  });

  it('plans the replicated secret, the alarm topic with its key and policy, and both replications', () => {
    const after = (type: string) => created.filter((c) => c.type === type).map((c) => c.change.after);
    expect(after('aws_secretsmanager_secret').map((s) => [s.name, s.replica])).toEqual([
      [
        'airflow/connections/eks_pod_operator',
        [{ region: 'us-west-2', kms_key_id: 'arn:aws:kms:us-west-2:222222222222:alias/acme-data-analytics-us-west-2-mwaa' }],
      ],
    ]);
    expect(after('aws_sns_topic').map((t) => t.name)).toEqual(['acme-data-analytics-recovery-alarms']);
    expect(after('aws_sns_topic_policy')).toHaveLength(1);
    expect(after('aws_s3_bucket_replication_configuration')).toHaveLength(2);
  });
});

/**
 * Terraform tier for the participant stacks: the example configuration synthesizes in offline-preview
 * mode, and every team's stack passes `terraform validate` and plans with no AWS access (no data
 * source may call AWS). Needs terraform and the provider mirror (scripts/terraform.ts).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadExample } from '../support/config-fixture';
import { buildApp } from '../../stacks/app';
import { participantStackName } from '../../stacks/participant-stack';
import { initAsync, planAsync, requireTerraform, showJsonAsync, validateJson } from '../../scripts/terraform';

const config = loadExample();
const outdir = mkdtempSync(join(tmpdir(), 'mwaa-tf-'));
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

let available = true;
try {
  requireTerraform();
} catch {
  available = false;
}
const describeTf = available ? describe : describe.skip;

describeTf('offline Terraform plan of every participant stack', () => {
  beforeAll(() => {
    buildApp(config, { outdir, mode: 'offline-preview' }).synth();
  });

  it.each(config.teams.map((t) => t.team))(
    'participant-%s validates and plans its MWAA resources without AWS',
    async (team) => {
      const dir = join(outdir, 'stacks', participantStackName(team));
      await initAsync(dir);
      const validation = validateJson(dir);
      expect(validation.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      expect(validation.valid).toBe(true);

      const result = await planAsync(dir, 'tfplan');
      expect(result.changes).toBe(true);
      const plan = (await showJsonAsync(dir, 'tfplan')) as { resource_changes: Array<{ mode: string; type: string; change: { actions: string[]; after: any } }> };
      const created = (type: string) => plan.resource_changes.filter((r) => r.type === type && r.change.actions.join() === 'create');

      const teamConfig = config.teams.find((t) => t.team === team)!;
      const environments = created('aws_mwaa_environment');
      expect(environments.map((e) => e.change.after.name).sort()).toEqual(teamConfig.environments.map((e) => e.name).sort());
      for (const env of environments) expect(env.change.after).toMatchObject({ endpoint_management: 'CUSTOMER', dag_s3_path: 'dags' });
      expect(created('aws_s3_bucket').filter((b) => b.change.after.bucket === `acme-data-${team}-mwaa-${teamConfig.accountId}`)).toHaveLength(1);
      expect(created('aws_s3_object').length).toBeGreaterThan(0);
      expect(created('aws_kms_key').filter((k) => String(k.change.after.description).startsWith('MWAA'))).toHaveLength(teamConfig.customerManagedKey ? 1 : 0);
      // A first plan against empty state creates everything; data sources are only read.
      expect(plan.resource_changes.filter((r) => r.mode === 'managed' && r.change.actions.join() !== 'create')).toEqual([]);
    },
    300_000,
  );
});

/**
 * Terraform tier: the example is synthesized through main.ts, then every stack goes through a real
 * `terraform init` against the local provider mirror, `terraform validate` and an offline `terraform plan`.
 * A missing terraform binary or mirror fails the suite; it is never skipped.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { initAsync, planAsync, requireTerraform, runAsync, showJsonAsync, type TerraformValidateJson } from '../../tools/lib/terraform';
import { loadFixture } from '../support/config-fixture';
import { fixtureOfflineSynth } from '../support/fixture-synth';

jest.setTimeout(600_000);
const example = loadFixture();
const stacks = ['owner', ...example.teams.map((t) => `participant-${t.team}`)];

interface StackResult {
  readonly validate: TerraformValidateJson;
  readonly plan: any;
  readonly synthesized: any;
}

const results = new Map<string, StackResult | Error>();
let outdir: string;

async function checkStack(stack: string): Promise<void> {
  const dir = join(outdir, 'stacks', stack);
  try {
    await initAsync(dir);
    const validate = JSON.parse((await runAsync(dir, ['validate', '-json', '-no-color'], [0, 1])).stdout) as TerraformValidateJson;
    await planAsync(dir, 'tfplan');
    const plan = await showJsonAsync(dir, 'tfplan');
    results.set(stack, { validate, plan, synthesized: JSON.parse(readFileSync(join(dir, 'cdk.tf.json'), 'utf8')) });
  } catch (error) {
    results.set(stack, error as Error);
  }
}

beforeAll(async () => {
  requireTerraform();
  // main.ts with PREVIEW=offline, once per run (shared with the moved-state test).
  outdir = fixtureOfflineSynth('tf-tier-');
  // Two at a time: the provider is CPU-bound and the machine has two cores.
  const queue = [...stacks];
  await Promise.all(
    [0, 1].map(async () => {
      for (let stack = queue.shift(); stack; stack = queue.shift()) await checkStack(stack);
    }),
  );
});

describe.each(stacks)('terraform: stack %s', (stack) => {
  const result = (): StackResult => {
    const r = results.get(stack);
    if (r instanceof Error) throw r;
    if (!r) throw new Error(`stack ${stack} was not checked`);
    return r;
  };

  it('validates with no errors or warnings', () => {
    const { validate } = result();
    expect(validate.diagnostics.map((d) => `${d.severity}: ${d.summary} ${d.detail ?? ''}`)).toEqual([]);
    expect(validate.valid).toBe(true);
  });

  it('plans offline, creating every synthesized resource and nothing else', () => {
    const { plan, synthesized } = result();
    const planned = (plan.resource_changes ?? [])
      .filter((c: any) => c.mode === 'managed')
      .map((c: any) => ({ address: c.address, actions: c.change.actions }));
    const expected = Object.entries(synthesized.resource ?? {}).flatMap(([type, byId]) =>
      Object.keys(byId as object).map((id) => `${type}.${id}`),
    );
    expect(planned.map((p: any) => p.address).sort()).toEqual(expected.sort());
    expect(planned.every((p: any) => p.actions.join() === 'create')).toBe(true);
  });
});

describe.each(example.teams.map((t) => t.team))('terraform: participant-%s MWAA resources in the plan', (team) => {
  const created = (type: string): any[] => {
    const r = results.get(`participant-${team}`);
    if (!(r && !(r instanceof Error))) throw r ?? new Error('not checked');
    return r.plan.resource_changes
      .filter((c: any) => c.type === type && c.change.actions.join() === 'create')
      .map((c: any) => c.change.after);
  };
  const teamConfig = example.teams.find((t) => t.team === team)!;

  it('creates each requested environment with customer-managed endpoints in the contract subnets', () => {
    const environments = created('aws_mwaa_environment');
    expect(environments.map((e) => e.name).sort()).toEqual(teamConfig.environments.map((e) => e.name).sort());
    for (const env of environments) {
      expect(env).toMatchObject({ endpoint_management: 'CUSTOMER', dag_s3_path: 'dags' });
      expect(env.network_configuration[0].subnet_ids.sort()).toEqual([...example.contract!.subnetIds].sort());
    }
  });

  it('creates the DAG bucket, uploads the DAGs, and a team KMS key only when asked', () => {
    expect(created('aws_s3_bucket').filter((b) => b.bucket === `acme-data-${team}-mwaa-${teamConfig.accountId}`)).toHaveLength(1);
    expect(created('aws_s3_object').filter((o) => String(o.key).startsWith('dags/')).length).toBeGreaterThan(0);
    expect(created('aws_kms_key').filter((k) => String(k.description).startsWith('MWAA'))).toHaveLength(
      teamConfig.customerManagedKey ? 1 : 0,
    );
  });
});

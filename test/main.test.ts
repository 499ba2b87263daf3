import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FIXTURE_CONFIG, FIXTURE_ROOT, fixtureConfigWith } from './support/config-fixture';
import { runMain as runMainInProcess } from './support/synth';

const ROOT = join(__dirname, '..');
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');

/** main.ts as `npm run synth` runs it (a process), on the fixture platform unless `env` names another configuration. */
function runMainProcess(env: Record<string, string>) {
  return spawnSync(TSX, [join(ROOT, 'main.ts')], {
    cwd: ROOT,
    env: { ...process.env, PLATFORM_CONFIG: FIXTURE_CONFIG, ...env },
    encoding: 'utf8',
  });
}

/** The same synthesis in this process: the tests of what it writes and refuses, once the command itself is covered. */
const runMain = (env: Record<string, string>) => runMainInProcess({ PLATFORM_CONFIG: FIXTURE_CONFIG, ...env });

describe('main.ts', () => {
  it('synthesizes the owner and one participant stack per team', () => {
    const outdir = join(mkdtempSync(join(tmpdir(), 'synth-')), 'cdktf.out');
    const result = runMainProcess({ CDKTF_OUTDIR: outdir, PREVIEW: 'offline' });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(readdirSync(join(outdir, 'stacks')).sort()).toEqual(['owner', 'participant-analytics', 'participant-marketing']);
  });

  it("keeps each stack's initialized .terraform across re-synth, and never keeps state inside cdktf.out", () => {
    const outdir = join(mkdtempSync(join(tmpdir(), 'synth-')), 'cdktf.out');
    expect(runMain({ CDKTF_OUTDIR: outdir, PREVIEW: 'offline' }).status).toBe(0);
    mkdirSync(join(outdir, 'stacks', 'owner', '.terraform'));
    writeFileSync(join(outdir, 'stacks', 'owner', '.terraform', 'marker'), 'initialized');
    expect(runMain({ CDKTF_OUTDIR: outdir, PREVIEW: 'offline' }).status).toBe(0);
    expect(readFileSync(join(outdir, 'stacks', 'owner', '.terraform', 'marker'), 'utf8')).toBe('initialized');
    const statePath = JSON.parse(readFileSync(join(outdir, 'stacks', 'owner', 'cdk.tf.json'), 'utf8')).terraform.backend.local.path;
    // In the root of the repository holding the configuration (the fixture's, here), never in cdktf.out.
    expect(join(outdir, 'stacks', 'owner', statePath)).toBe(join(FIXTURE_ROOT, 'terraform.owner.tfstate'));
  });

  it('exits non-zero on a bad config, prints file, field and what is allowed, and leaves the previous output untouched', () => {
    const outdir = join(mkdtempSync(join(tmpdir(), 'synth-')), 'cdktf.out');
    mkdirSync(outdir);
    writeFileSync(join(outdir, 'previous.txt'), 'kept');
    const config = fixtureConfigWith({ teams: { analytics: (t) => (t.accountId = 'abc'), marketing: (t) => (t.enviroments = []) } });
    const result = runMainProcess({ CDKTF_OUTDIR: outdir, PLATFORM_CONFIG: config });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('Invalid platform configuration (2 problems); nothing was synthesized:');
    expect(result.stderr).toMatch(/teams\/analytics\.yaml at accountId: must be a 12-digit AWS account id/);
    expect(result.stderr).toMatch(/teams\/marketing\.yaml: unknown field "enviroments"; allowed fields: team, accountId/);
    expect(readdirSync(outdir)).toEqual(['previous.txt']);
    expect(readFileSync(join(outdir, 'previous.txt'), 'utf8')).toBe('kept');
    expect(readdirSync(join(outdir, '..')).filter((f) => f.includes('staging'))).toEqual([]);
  });

  it('assumes the read-only plan role in every account with TERRAFORM_ROLE=plan, and refuses it when none is configured', () => {
    const outdir = join(mkdtempSync(join(tmpdir(), 'synth-')), 'cdktf.out');
    const withoutPlanRole = fixtureConfigWith({ platform: (p) => delete p.planRoleName });
    const noPlanRole = runMain({ CDKTF_OUTDIR: outdir, PLATFORM_CONFIG: withoutPlanRole, TERRAFORM_ROLE: 'plan' });
    expect(noPlanRole.status).toBe(1);
    // Files are named relative to the repository holding the configuration.
    expect(noPlanRole.stderr).toContain(
      'TERRAFORM_ROLE=plan needs planRoleName in config/platform.yaml (the read-only role in every account); nothing was synthesized',
    );
    expect(existsSync(outdir)).toBe(false);
    expect(runMain({ CDKTF_OUTDIR: outdir, TERRAFORM_ROLE: 'admin' }).stderr).toContain(
      'TERRAFORM_ROLE must be "deploy" or "plan", got "admin"',
    );

    expect(runMain({ CDKTF_OUTDIR: outdir, TERRAFORM_ROLE: 'plan' }).status).toBe(0);
    for (const [stack, account] of [
      ['owner', '111111111111'],
      ['participant-analytics', '222222222222'],
    ]) {
      const provider = JSON.parse(readFileSync(join(outdir, 'stacks', stack, 'cdk.tf.json'), 'utf8')).provider.aws[0];
      expect(provider.assume_role[0].role_arn).toBe(`arn:aws:iam::${account}:role/mwaa-platform-plan`);
    }
  });

  it('synthesizes only the owner stack in bootstrap, when no contract exists yet', () => {
    const config = fixtureConfigWith({ files: { 'network-contract.json': '' } });
    const outdir = join(mkdtempSync(join(tmpdir(), 'synth-')), 'cdktf.out');
    expect(runMain({ CDKTF_OUTDIR: outdir, PLATFORM_CONFIG: config }).status).toBe(1);
    expect(existsSync(outdir)).toBe(false);
    const bootstrap = runMain({ CDKTF_OUTDIR: outdir, PLATFORM_CONFIG: config, BOOTSTRAP: 'owner' });
    expect(bootstrap.status).toBe(0);
    expect(readdirSync(join(outdir, 'stacks'))).toEqual(['owner']);
  });
});

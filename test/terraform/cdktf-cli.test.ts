/**
 * Terraform tier: cdktf's own CLI on a machine that has only the provider mirror. With the exports of
 * tools/lib/cdktf-env.ts, `cdktf synth`, `cdktf diff` and `cdktf plan` finish (bounded by the spawn timeout), install the provider
 * from the mirror, and make no checkpoint call (none is attempted, so there is no ENOTFOUND noise).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { offlineTerraformVariables, requireTerraform } from '../../tools/lib/terraform';
import { FIXTURE_CONFIG } from '../support/fixture-paths';

jest.setTimeout(400_000);
const ROOT = join(__dirname, '..', '..');
const CDKTF = join(ROOT, 'node_modules', '.bin', 'cdktf');

function cdktf(args: readonly string[]) {
  const r = spawnSync(CDKTF, args, {
    cwd: ROOT,
    env: { ...process.env, ...offlineTerraformVariables(), PREVIEW: 'offline', PLATFORM_CONFIG: FIXTURE_CONFIG, CI: '1', FORCE_COLOR: '0' },
    encoding: 'utf8',
    timeout: 180_000,
  });
  return { ...r, output: `${r.stdout}${r.stderr}` };
}

describe('cdktf CLI offline', () => {
  const outdir = join(mkdtempSync(join(tmpdir(), 'cdktf-cli-')), 'cdktf.out');
  beforeAll(() => requireTerraform());

  it('synthesizes every stack with no checkpoint call', () => {
    const r = cdktf(['synth', '--output', outdir]);
    expect(r.error).toBeUndefined();
    expect(r.output).not.toMatch(/checkpoint/i);
    expect(r.status).toBe(0);
    expect(existsSync(join(outdir, 'stacks', 'owner', 'cdk.tf.json'))).toBe(true);
  });

  it('plans a stack (diff) with the provider from the mirror, lock file included', () => {
    const r = cdktf(['diff', 'participant-marketing', '--output', outdir, '--skip-synth']);
    expect(r.error).toBeUndefined();
    expect(r.output).not.toMatch(/checkpoint|registry\.terraform\.io\/\.well-known/i);
    expect(r.status).toBe(0);
    expect(r.output).toMatch(/Plan: \d+ to add, 0 to change, 0 to destroy/);
    expect(existsSync(join(outdir, 'stacks', 'participant-marketing', '.terraform.lock.hcl'))).toBe(true);
  });

  it('cdktf plan (the name the issue and the README give next to diff) plans the same way', () => {
    const r = cdktf(['plan', 'participant-marketing', '--output', outdir, '--skip-synth']);
    expect(r.error).toBeUndefined();
    expect(r.output).not.toMatch(/checkpoint|registry\.terraform\.io\/\.well-known/i);
    expect(r.status).toBe(0);
    expect(r.output).toMatch(/Plan: \d+ to add, 0 to change, 0 to destroy/);
  });
});

import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadPlatformConfig } from '../../../model/load';
import { deploymentGuards, isCi } from '../../../model/validate/deployment';
import { FIXTURE_CONFIG, fixtureConfigWith } from '../../support/config-fixture';
import { runMain } from '../../support/synth';

let example: ReturnType<typeof loadPlatformConfig>;
beforeAll(() => {
  example = loadPlatformConfig(FIXTURE_CONFIG);
});
const s3 = (p: any) => (p.backend = { type: 's3', bucket: 'acme-state', region: 'eu-west-1' });

/** main.ts's synthesis in this process (test/main.test.ts runs the command itself). */
function synth(env: Record<string, string>) {
  const outdir = join(mkdtempSync(join(tmpdir(), 'guard-')), 'cdktf.out');
  const r = runMain({ PLATFORM_CONFIG: FIXTURE_CONFIG, CDKTF_OUTDIR: outdir, ...env });
  return { ...r, wrote: existsSync(outdir) };
}

describe('CI guards', () => {
  it('refuse the example contract and local state only in CI with real providers', () => {
    expect(deploymentGuards(example, { real: true, ci: false })).toEqual([]);
    expect(deploymentGuards(example, { real: false, ci: true })).toEqual([]);
    expect(deploymentGuards(example, { real: true, ci: true }).map((p) => [p.file, p.path])).toEqual([
      // Repository-relative, as every other message: never the absolute path of the checkout.
      ['config/platform.yaml', 'backend.type'],
      ['config/network-contract.json', 'source'],
    ]);
  });

  it('accept a published contract with an S3 backend', () => {
    const config = loadPlatformConfig(fixtureConfigWith({ platform: s3 }));
    const published = { ...config, contract: { ...config.contract!, source: 'terraform-output' as const } };
    expect(deploymentGuards(published, { real: true, ci: true })).toEqual([]);
  });

  it('read CI as CI systems set it', () => {
    expect(isCi({ CI: 'true' })).toBe(true);
    expect(isCi({ CI: '1' })).toBe(true);
    expect(isCi({ CI: 'false' })).toBe(false);
    expect(isCi({})).toBe(false);
  });

  it('make main.ts exit 1 with what to do, writing nothing', () => {
    const r = synth({ CI: 'true' });
    expect(r.status).toBe(1);
    expect(r.wrote).toBe(false);
    expect(r.stderr).toContain('Invalid platform configuration (2 problems); nothing was synthesized:');
    expect(r.stderr).toMatch(
      /\n {2}config\/platform\.yaml at backend\.type: local state is refused in CI with real credentials .*npm run bootstrap -- --apply/,
    );
    expect(r.stderr).toMatch(
      /network-contract\.json at source: the shipped example contract \(fake ids\) is refused .*npm run publish-network/,
    );
  });

  it('let the owner-only synth of a first deployment through once the backend is S3 (no contract read yet)', () => {
    const config = fixtureConfigWith({ platform: s3 });
    expect(synth({ CI: 'true', PLATFORM_CONFIG: config }).stderr).toMatch(/network-contract\.json at source/);
    const owner = synth({ CI: 'true', PLATFORM_CONFIG: config, BOOTSTRAP: 'owner' });
    expect(owner.stderr).toBe('');
    expect(owner.status).toBe(0);
  });

  it('do not apply to the offline preview or outside CI', () => {
    expect(synth({ CI: 'true', PREVIEW: 'offline' }).status).toBe(0);
    expect(synth({ CI: 'false' }).status).toBe(0);
  });

  it('main.ts refuses an unknown BOOTSTRAP value', () => {
    const r = synth({ BOOTSTRAP: 'all' });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('BOOTSTRAP must be "owner" or "accounts", got "all"; nothing was synthesized');
  });
});

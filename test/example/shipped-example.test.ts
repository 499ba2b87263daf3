/**
 * The shipped example itself, as a new user finds it: config/ and teams/ of the working tree load, synthesize
 * through main.ts's default configuration and carry the contract `publish-network --example` writes for them.
 * Skipped (one test saying so) once a platform replaces the example; see ./shipped-example.ts.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadPlatformConfig } from '../../model/load';
import { exampleContract } from '../../tools/publish-network';
import { REPO_ROOT } from '../support/fixture-paths';
import { describeShippedExample, notTheShippedExample, SHIPPED_EXAMPLE, WORKING_CONFIG } from './shipped-example';

describeShippedExample('the shipped example (config/ and teams/)', () => {
  it('loads with its two teams and its placeholder contract', () => {
    const config = loadPlatformConfig(WORKING_CONFIG);
    expect(config.platform.platform).toBe('acme-data');
    expect(config.teams.map((t) => t.team)).toEqual(['analytics', 'marketing']);
    expect(config.contract?.source).toBe('example');
    expect(config.warnings).toEqual([]);
  });

  it('carries the network contract `npm run publish-network -- --example` writes for it (it is current)', () => {
    const { platform } = loadPlatformConfig(WORKING_CONFIG, { ownerOnly: true });
    expect(JSON.parse(readFileSync(join(WORKING_CONFIG, 'network-contract.json'), 'utf8'))).toEqual(exampleContract(platform));
  });

  it('is what main.ts synthesizes without PLATFORM_CONFIG: the owner, one participant stack per team and the recovery region’s stacks', () => {
    const outdir = join(mkdtempSync(join(tmpdir(), 'example-synth-')), 'cdktf.out');
    const env: NodeJS.ProcessEnv = { ...process.env, PREVIEW: 'offline', CDKTF_OUTDIR: outdir };
    delete env.PLATFORM_CONFIG;
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'main.ts'], { cwd: REPO_ROOT, env, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(readdirSync(join(outdir, 'stacks')).sort()).toEqual([
      'owner',
      'owner-recovery',
      'participant-analytics',
      'participant-marketing',
      'recovery-analytics',
      'recovery-marketing',
    ]);
  });
});

describe('recognizing the shipped example', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
  /** A configuration directory with these team files, platform name and contract source. */
  function configOf(platform: string, teams: readonly string[], source: string | undefined): string {
    const dir = mkdtempSync(join(tmpdir(), 'example-detect-'));
    dirs.push(dir);
    mkdirSync(join(dir, 'teams'));
    writeFileSync(join(dir, 'platform.yaml'), `platform: ${platform}\nregion: eu-west-1\n`);
    for (const team of teams) writeFileSync(join(dir, 'teams', `${team}.yaml`), `team: ${team}\n`);
    if (source) writeFileSync(join(dir, 'network-contract.json'), JSON.stringify({ source }));
    return dir;
  }

  it('is the example platform with exactly its two teams and its placeholder contract', () => {
    expect(notTheShippedExample(configOf('acme-data', SHIPPED_EXAMPLE.teams, 'example'))).toBeUndefined();
  });

  it.each([
    ['a team added', ['acme-data', ['analytics', 'marketing', 'payments'], 'example'], 'teams analytics, marketing, payments'],
    ['a team replaced', ['acme-data', ['marketing', 'payments'], 'example'], 'teams marketing, payments'],
    ['a platform of its own', ['globex', ['analytics', 'marketing'], 'example'], 'platform "globex"'],
    ['a published contract', ['acme-data', ['analytics', 'marketing'], 'terraform-output'], 'a contract from "terraform-output"'],
    ['no contract yet', ['acme-data', ['analytics', 'marketing'], undefined], 'no readable contract'],
  ] as const)('is not the example with %s, and says what it has instead', (_, [platform, teams, source], what) => {
    expect(notTheShippedExample(configOf(platform, teams, source))).toContain(what);
  });
});

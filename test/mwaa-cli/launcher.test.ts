/** mwaa-cli/bin/mwaa.js as a real process: the tsx register path works and exit codes reach the shell. */
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeConfig } from './fixtures';

const BIN = join(__dirname, '..', '..', 'mwaa-cli', 'bin', 'mwaa.js');

function mwaa(args: readonly string[], env: Record<string, string> = {}, cwd?: string) {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd,
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', ...env },
    timeout: 30_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('mwaa-cli/bin/mwaa.js', () => {
  it('prints usage', () => {
    const r = mwaa(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('mwaa cli          --team T --env E');
  });

  it('runs config-check against PLATFORM_CONFIG and exits 2 on an unknown team', () => {
    const dir = writeConfig();
    const ok = mwaa(['config-check', '--team', 'marketing'], { PLATFORM_CONFIG: dir });
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('marketing-campaigns: Airflow 2.10.3, mw1.small, PUBLIC_ONLY');

    const bad = mwaa(['cli', '--team', 'nope', '--env', 'x', '--', 'version'], { PLATFORM_CONFIG: dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^error: unknown team "nope"\nhint: /);
  });

  it('resolves repository-relative paths in team files from the repository root, wherever it is started', () => {
    // dagsPath must exist relative to the repository root (the configuration directory's parent), not the working directory.
    const dir = writeConfig({ ops: 'team: ops\naccountId: "444444444444"\ndagsPath: teams/ops/dags\nenvironments:\n  - name: ops-main\n' });
    mkdirSync(join(dir, '..', 'teams', 'ops', 'dags'), { recursive: true });
    const r = mwaa(['config-check', '--config-dir', dir], {}, tmpdir());
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('ops-main: Airflow');
  });
});

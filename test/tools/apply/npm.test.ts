import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { FIXTURE_CONFIG } from '../../support/fixture-paths';

/** The apply and decommission tools through npm: usage and exit codes as a user sees them (slow: spawns npm; kept out of the mutation area). */
describe('through npm', () => {
  const npm = (args: string[], env: Record<string, string | undefined>) =>
    spawnSync('npm', ['run', '--silent', ...args], {
      cwd: resolve(__dirname, '..', '..', '..'),
      encoding: 'utf8',
      env: { ...process.env, PLATFORM_CONFIG: FIXTURE_CONFIG, ...env },
    });
  const noCredentials = {
    AWS_PROFILE: undefined,
    AWS_ACCESS_KEY_ID: undefined,
    AWS_SECRET_ACCESS_KEY: undefined,
    AWS_WEB_IDENTITY_TOKEN_FILE: undefined,
  };

  it.each([
    ['apply', /^Usage: npm run apply -- \[options\]/, /--pending-timeout <minutes>/],
    ['decommission', /^Usage: npm run decommission -- \[options\]/, /--team <team>/],
  ])('npm run %s -- --help prints usage and exits 0', (tool, usage, option) => {
    const r = npm([tool, '--', '--help'], {});
    expect([r.status, r.stdout]).toEqual([0, expect.stringMatching(usage)]);
    expect(r.stdout).toMatch(option);
  });

  it('npm run apply without credentials exits 2 before running anything', () => {
    const r = npm(['apply'], noCredentials);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("npm run apply: AWS credentials are needed: a session of the state account's deploy role");
  });
});

/**
 * `npm run validate`, the CI step for a platform's own configuration, through npm as CI runs it: offline whatever
 * credentials the shell has, then the security rules; every problem of the configuration at once (exit 2).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fixtureConfigWith } from '../support/config-fixture';

const ROOT = resolve(__dirname, '..', '..');
const validate = (config: string, env: Record<string, string> = {}) =>
  spawnSync('npm', ['run', '--silent', 'validate'], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, PLATFORM_CONFIG: config, CDKTF_OUTDIR: join(mkdtempSync(join(tmpdir(), 'validate-')), 'cdktf.out'), ...env },
  });

describe('npm run validate', () => {
  it('synthesizes every stack offline even with credentials in the shell, and runs the security rules', () => {
    const r = validate(fixtureConfigWith({}), { AWS_ACCESS_KEY_ID: 'AKIAEXAMPLE', AWS_SECRET_ACCESS_KEY: 'not-a-secret' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout.trim().split('\n')).toEqual([
      '0 finding(s), 0 suppressed, across 3 stack(s): owner, participant-analytics, participant-marketing',
    ]);
  });

  it('exits 2 with every problem of a team file at once: file, field and what is allowed', () => {
    const config = fixtureConfigWith({
      teams: {
        marketing: (t) => {
          t.accountId = '33333333333';
          t.environments[0].environmentClass = 'mw1.smal';
          t.environments[0].airflowVersion = '2.9.0';
        },
      },
    });
    const r = validate(config);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('Invalid platform configuration (3 problems)');
    expect(r.stderr).toContain('config/teams/marketing.yaml at accountId: must be a 12-digit AWS account id');
    expect(r.stderr).toContain(
      'config/teams/marketing.yaml at environments[0].environmentClass: "mw1.smal" is not an MWAA environment class; use one of',
    );
    expect(r.stderr).toContain('config/teams/marketing.yaml at environments[0].airflowVersion: "2.9.0" is not an Airflow version');
  });
});

/**
 * teams/analytics/startup.sh as MWAA runs it: sourced by bash (execute-user-startup-script in
 * amazon-mwaa-docker-images), with the environment's Airflow options as AIRFLOW__* variables, and the variables
 * it leaves exported kept for the requirements install. A stand-in `aws` on PATH answers the two CodeArtifact
 * calls and records its arguments.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { airflowOptionEnvVar, MIRROR_OPTIONS, mirrorAirflowOptions } from '../../../../contracts/python-packages';
import { FIXTURE_ROOT } from '../../../support/fixture-paths';

const SCRIPT = join(FIXTURE_ROOT, 'teams', 'analytics', 'startup.sh');
const bin = mkdtempSync(join(tmpdir(), 'fake-aws-'));
afterAll(() => rmSync(bin, { recursive: true, force: true }));
const calls = join(bin, 'calls.log');
writeFileSync(
  join(bin, 'aws'),
  `#!/bin/sh
echo "$*" >> "${calls}"
case "$2" in
  get-authorization-token) [ -n "$FAIL_TOKEN" ] && exit 255; echo "tok3n" ;;
  get-repository-endpoint) echo "https://acme-data-111111111111.d.codeartifact.eu-west-1.amazonaws.com/pypi/pypi/" ;;
esac
`,
);
chmodSync(join(bin, 'aws'), 0o755);

/** Sources the script like MWAA and returns what it exported (PIP_*, CODEARTIFACT_*), its stderr and the aws calls. */
function runStartup(env: Record<string, string>) {
  writeFileSync(calls, '');
  const result = spawnSync('bash', ['-c', `source "${SCRIPT}" > /dev/null; env | grep -E '^(PIP_|CODEARTIFACT_)' | sort`], {
    env: { PATH: `${bin}:/usr/bin:/bin`, ...env },
    encoding: 'utf8',
  });
  return {
    exported: result.stdout.trim().split('\n').filter(Boolean),
    stderr: result.stderr,
    calls: readFileSync(calls, 'utf8').trim().split('\n').filter(Boolean),
    status: result.status,
  };
}

// What the platform writes on the environment (the same function the participant stack uses), as MWAA exposes it.
const mirrorEnv = Object.fromEntries(
  Object.entries(mirrorAirflowOptions({ domain: 'acme-data', domainOwner: '111111111111', repository: 'pypi' })).map(([option, value]) => [
    airflowOptionEnvVar(option),
    value,
  ]),
);

describe('teams/analytics/startup.sh', () => {
  it('reads the AIRFLOW__CODEARTIFACT__* variables MWAA derives from the codeartifact.* options', () => {
    expect(Object.values(MIRROR_OPTIONS).map(airflowOptionEnvVar)).toEqual([
      'AIRFLOW__CODEARTIFACT__DOMAIN',
      'AIRFLOW__CODEARTIFACT__DOMAIN_OWNER',
      'AIRFLOW__CODEARTIFACT__REPOSITORY',
    ]);
    const script = readFileSync(SCRIPT, 'utf8');
    for (const variable of Object.keys(mirrorEnv)) expect(script).toContain(`\${${variable}}`);
  });

  it('exports PIP_INDEX_URL with a token for the mirror, and nothing else', () => {
    const run = runStartup(mirrorEnv);
    expect(run.status).toBe(0);
    expect(run.exported).toEqual([
      'PIP_INDEX_URL=https://aws:tok3n@acme-data-111111111111.d.codeartifact.eu-west-1.amazonaws.com/pypi/pypi/simple/',
    ]);
    expect(run.calls).toEqual([
      'codeartifact get-authorization-token --domain acme-data --domain-owner 111111111111 --duration-seconds 1800 --query authorizationToken --output text',
      'codeartifact get-repository-endpoint --domain acme-data --domain-owner 111111111111 --repository pypi --format pypi --query repositoryEndpoint --output text',
    ]);
  });

  it('says why and exports no index when the token call fails', () => {
    const run = runStartup({ ...mirrorEnv, FAIL_TOKEN: '1' });
    expect(run.exported).toEqual([]);
    expect(run.stderr).toContain('ERROR: no CodeArtifact token or endpoint for domain acme-data');
  });

  it('calls nothing and warns when the platform set no mirror options', () => {
    const run = runStartup({});
    expect(run.calls).toEqual([]);
    expect(run.exported).toEqual([]);
    expect(run.stderr).toContain('WARNING: the platform set no codeartifact.* options on this environment');
  });
});

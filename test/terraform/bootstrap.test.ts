/**
 * Terraform tier: `npm run bootstrap -- --plan` end to end, offline. The bootstrap stacks of the example
 * (and of a variant that adopts the OIDC provider, locks with DynamoDB and grants AdministratorAccess) are
 * initialized from the mirror, planned with the offline-preview providers and validated.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requireTerraform, runAsync, type TerraformValidateJson } from '../../tools/lib/terraform';
import { FIXTURE_CONFIG, fixtureConfigWith } from '../support/config-fixture';

jest.setTimeout(600_000);
const ROOT = join(__dirname, '..', '..');

/** Runs the tool with CDKTF_OUTDIR in a temporary folder holding a platform stack and its manifests, as after `npm run synth`. */
function bootstrap(args: readonly string[], env: Record<string, string> = {}) {
  const platformOut = join(mkdtempSync(join(tmpdir(), 'bootstrap-tier-')), 'cdktf.out');
  mkdirSync(join(platformOut, 'stacks', 'participant-analytics', 'kubernetes'), { recursive: true });
  writeFileSync(join(platformOut, 'stacks', 'participant-analytics', 'kubernetes', 'namespace.yaml'), 'kind: Namespace\n');
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'tools/bootstrap.ts', ...args], {
    cwd: ROOT,
    env: { ...process.env, PREVIEW: 'offline', PLATFORM_CONFIG: FIXTURE_CONFIG, CDKTF_OUTDIR: platformOut, ...env },
    encoding: 'utf8',
  });
  return { ...r, platformOut, outdir: `${platformOut}.bootstrap` };
}

describe('npm run bootstrap -- --plan (offline)', () => {
  beforeAll(() => requireTerraform());

  it('plans every account of the example, state account first, and each stack validates', async () => {
    const r = bootstrap(['--plan']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const lines = r.stdout.trim().split('\n');
    const saved = (account: string) => ` Saved plan: ${join(r.outdir, 'stacks', `bootstrap-${account}`, 'tfplan')}`;
    expect(lines.filter((l) => l.startsWith('bootstrap-'))).toEqual([
      `bootstrap-111111111111: Plan: 14 to add, 0 to change, 0 to destroy.${saved('111111111111')}`,
      `bootstrap-222222222222: Plan: 5 to add, 0 to change, 0 to destroy.${saved('222222222222')}`,
      `bootstrap-333333333333: Plan: 5 to add, 0 to change, 0 to destroy.${saved('333333333333')}`,
    ]);
    expect(existsSync(join(r.outdir, 'stacks', 'bootstrap-222222222222', 'tfplan'))).toBe(true);
    // Beside the platform's output, never in place of it: the participant stack and its manifests stay.
    expect(readFileSync(join(r.platformOut, 'stacks', 'participant-analytics', 'kubernetes', 'namespace.yaml'), 'utf8')).toBe(
      'kind: Namespace\n',
    );

    const reviewFile = join(r.outdir, 'bootstrap-review.md');
    expect(lines).toContain(
      `Review: ${reviewFile} (every role with its trust statements and their sub/aud conditions, the state bucket's policy)`,
    );
    const review = readFileSync(reviewFile, 'utf8');
    const oidc = 'token.actions.githubusercontent.com';
    expect(review).toContain(
      `+ Allow sts:AssumeRoleWithWebIdentity for Federated: arn:aws:iam::222222222222:oidc-provider/${oidc} when StringEquals ${oidc}:aud=sts.amazonaws.com and StringEquals ${oidc}:sub=repo:acme/mwaa-platform:environment:production`,
    );
    expect(review).toContain(
      `+ Allow sts:AssumeRoleWithWebIdentity for Federated: arn:aws:iam::111111111111:oidc-provider/${oidc} when StringEquals ${oidc}:aud=sts.amazonaws.com and StringEquals ${oidc}:sub=repo:acme/mwaa-platform:pull_request|repo:acme/mwaa-platform:ref:refs/heads/main`,
    );
    expect(review).toMatch(/\*\*state \/ policy\*\* · resource policy/);
    // Both at once: each validate starts the provider, which is CPU-bound on one core.
    const validations = await Promise.all(
      ['bootstrap-111111111111', 'bootstrap-222222222222'].map(
        async (stack) =>
          JSON.parse(
            (await runAsync(join(r.outdir, 'stacks', stack), ['validate', '-json', '-no-color'], [0, 1])).stdout,
          ) as TerraformValidateJson,
      ),
    );
    for (const result of validations) {
      expect(result.diagnostics).toEqual([]);
      expect(result.valid).toBe(true);
    }
  });

  it('plans an adopted OIDC provider, the DynamoDB lock table, AdministratorAccess and operators', () => {
    const config = fixtureConfigWith({
      platform: (p) => {
        p.ci.github.oidcProvider = 'adopt';
        p.ci.deployRolePolicy = 'administrator';
        p.ci.operatorRoleArns = ['arn:aws:iam::111111111111:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_PlatformAdmin_*'];
        p.backend = { type: 's3', bucket: 'acme-state', region: 'eu-west-1', lock: 'dynamodb', dynamodbTable: 'acme-locks' };
      },
    });
    const r = bootstrap(['--plan', '--account', '111111111111'], { PLATFORM_CONFIG: config });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    // 14 - the OIDC provider + the lock table + the AdministratorAccess attachment.
    expect(r.stdout).toContain('bootstrap-111111111111: Plan: 15 to add, 0 to change, 0 to destroy.');
  });

  it('refuses --apply without credentials, before synthesizing', () => {
    const r = bootstrap(['--apply']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--apply needs administrator credentials');
  });
});

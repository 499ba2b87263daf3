/**
 * The recovery region's PyPI mirror across accounts, evaluated with the IAM simulator on the recovery fixture
 * (primary eu-west-1, recovery us-west-2): the standby's execution role (recovery-analytics) and the domain and
 * repository policies of owner-recovery, both synthesized. The standby reads the mirror of its own region; it cannot
 * use the primary region's, and the primary's execution role cannot use the recovery region's.
 */
import { Testing, TerraformStack } from 'cdktf';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp } from '../../stacks/app';
import { loadRecoveryExample } from '../support/recovery-fixture';
import { decisions, roleOf, terraformRefs, type Decision, type SimulationCase } from '../support/iam';

const PRIMARY = 'eu-west-1';
const RECOVERY = 'us-west-2';
const OWNER = '111111111111';
const ANALYTICS = '222222222222';

const app = buildApp(loadRecoveryExample(), { outdir: mkdtempSync(join(tmpdir(), 'recovery-mirror-iam-')) });
const synth = (id: string): any =>
  JSON.parse(Testing.synth(app.node.children.find((c): c is TerraformStack => c instanceof TerraformStack && c.node.id === id)!));
const ownerRecovery = synth('owner-recovery');
const refs = terraformRefs(ownerRecovery, { region: RECOVERY, accountId: OWNER });
const policyOf = (type: string): Record<string, unknown> =>
  JSON.parse(refs.resolve((Object.values(ownerRecovery.resource[type]) as any[])[0].policy_document));
const domainPolicy = policyOf('aws_codeartifact_domain_permissions_policy');
const repositoryPolicy = policyOf('aws_codeartifact_repository_permissions_policy');

const domain = (region: string) => `arn:aws:codeartifact:${region}:${OWNER}:domain/acme-data`;
const repository = (region: string) => `arn:aws:codeartifact:${region}:${OWNER}:repository/acme-data/pypi`;

const standby = roleOf(synth('recovery-analytics'), `analytics-prod-${RECOVERY}-mwaa-execution`, {
  region: RECOVERY,
  accountId: ANALYTICS,
});
const primary = roleOf(synth('participant-analytics'), 'analytics-prod-mwaa-execution', { region: PRIMARY, accountId: ANALYTICS });
// AWS sends aws:PrincipalArn with every request; the simulator does not derive it from the principal.
const caller = (role: typeof standby) => ({
  identityPolicies: role.identityPolicies,
  principal: role.arn,
  context: { 'aws:PrincipalArn': role.arn },
});
const expectAll = (cases: readonly SimulationCase[], expected: Decision) =>
  decisions(cases).then((got) => expect(got).toEqual(Object.fromEntries(cases.map((c) => [c.name, expected]))));

describe('the standby (analytics-prod) and the recovery region’s PyPI mirror', () => {
  it('gets a token and reads packages from the mirror of its own region', () =>
    expectAll(
      [
        {
          name: 'token',
          ...caller(standby),
          resourcePolicy: domainPolicy,
          action: 'codeartifact:GetAuthorizationToken',
          resource: domain(RECOVERY),
        },
        {
          name: 'endpoint',
          ...caller(standby),
          resourcePolicy: repositoryPolicy,
          action: 'codeartifact:GetRepositoryEndpoint',
          resource: repository(RECOVERY),
        },
        {
          name: 'read',
          ...caller(standby),
          resourcePolicy: repositoryPolicy,
          action: 'codeartifact:ReadFromRepository',
          resource: repository(RECOVERY),
        },
      ],
      'Allowed',
    ));

  it('cannot use the primary region’s mirror, and the primary’s role cannot use the recovery one', () =>
    expectAll(
      [
        {
          name: 'standby token in the primary region',
          ...caller(standby),
          action: 'codeartifact:GetAuthorizationToken',
          resource: domain(PRIMARY),
        },
        {
          name: 'standby read in the primary region',
          ...caller(standby),
          action: 'codeartifact:ReadFromRepository',
          resource: repository(PRIMARY),
        },
        {
          name: 'primary role token in the recovery region',
          ...caller(primary),
          resourcePolicy: domainPolicy,
          action: 'codeartifact:GetAuthorizationToken',
          resource: domain(RECOVERY),
        },
        {
          name: 'primary role read in the recovery region',
          ...caller(primary),
          resourcePolicy: repositoryPolicy,
          action: 'codeartifact:ReadFromRepository',
          resource: repository(RECOVERY),
        },
      ],
      'ImplicitlyDenied',
    ));
});

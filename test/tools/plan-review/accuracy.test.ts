/**
 * Review accuracy on real pull requests (issue 21): names the platform gives once per account, orphaned stacks,
 * resource policies and RAM shares at the level of cross-account trust, startup scripts and requirements files,
 * and the one-line hint for credentials that cannot reach the roles. Plans and configurations are built inline.
 */
import { ACCOUNT_SCOPED_NAMES, podOperatorSecretName } from '../../../contracts/account-scoped-names';
import { reconcileRoleName } from '../../../contracts/endpoint-manager';
import { reviewPlans, fenceFor, type StackInput, type TerraformPlanJson } from '../../../tools/plan-review/review';
import type { StackJson } from '../../../tools/rules/types';
import { environmentFileItems, environmentFileKind } from '../../../tools/plan-review/environment-files';
import { credentialHint, isCredentialFailure } from '../../../tools/plan-review/credentials';
import { orphanItems } from '../../../tools/plan-review/review';
import { orphanTitle } from '../../../tools/plan-review/orphaned';
import { loadFixture } from '../../support/config-fixture';
import { configuredEnvironmentFiles, runUrl } from '../../../tools/plan-review/run';
import { synthParticipant } from '../../support/synth';

const ACCOUNT = '111111111111';
const OTHER_PLATFORM_ACCOUNT = '222222222222';
const FOREIGN = '999999999999';
const PLATFORM = 'acme';

const planOf = (...rcs: Array<{ address: string; before?: object | null; after?: object | null }>): TerraformPlanJson => ({
  format_version: '1.2',
  resource_changes: rcs.map((rc) => ({
    address: rc.address,
    mode: 'managed' as const,
    type: rc.address.split('.')[0],
    name: rc.address.split('.')[1],
    change: {
      actions: rc.before && rc.after ? ['update'] : rc.after ? ['create'] : ['delete'],
      before: rc.before ?? null,
      after: rc.after ?? null,
      after_unknown: {},
    },
  })) as never,
});
const participant = (extra: Partial<StackInput>): StackInput => ({
  stack: 'participant-data',
  team: 'data',
  platform: PLATFORM,
  accountId: ACCOUNT,
  platformAccounts: [ACCOUNT, OTHER_PLATFORM_ACCOUNT],
  ...extra,
});
const titles = (input: StackInput) => reviewPlans([input]).stacks[0].findings.map((f) => `${f.level}: ${f.title}`);
const configOf = (resources: Record<string, Record<string, Record<string, unknown>>>): StackJson => ({ resource: resources });

describe('names the platform gives once per account are no cross-team finding', () => {
  const reconcile = reconcileRoleName(PLATFORM);
  const secret = podOperatorSecretName('airflow/connections');

  it('offline (--base): the reconcile role, its policy and the eks_pod_operator connection of a new team are not "another team"', () => {
    const config = configOf({
      aws_iam_role: { reconcile: { name: reconcile, assume_role_policy: '{"Statement":[]}' } },
      aws_iam_role_policy: { reconcile: { name: 'read-mwaa-environments', role: reconcile, policy: '{"Statement":[]}' } },
      aws_secretsmanager_secret: { conn: { name: secret } },
    });
    expect(titles(participant({ config })).filter((t) => t.includes('another team'))).toEqual([]);
  });

  it('with state (a plan): the same names, known in the plan, are not "another team" either', () => {
    const plan = planOf(
      { address: 'aws_iam_role.reconcile', after: { name: reconcile, assume_role_policy: '{"Statement":[]}' } },
      { address: 'aws_iam_role_policy.reconcile', after: { name: 'read', role: reconcile, policy: '{"Statement":[]}' } },
      { address: 'aws_secretsmanager_secret.conn', after: { name: secret } },
    );
    expect(titles(participant({ plan })).filter((t) => t.includes('another team'))).toEqual([]);
  });

  it("names that really belong to another team stay high, offline and with state: another platform's role, another team's secret", () => {
    const foreignNames = {
      aws_iam_role: { r: { name: reconcileRoleName('other'), assume_role_policy: '{"Statement":[]}' } },
      aws_secretsmanager_secret: { s: { name: 'acme-finance-token' } },
    };
    const expected = [
      `high: may belong to another team: name \`${reconcileRoleName('other')}\` does not carry the team name`,
      'high: may belong to another team: name `acme-finance-token` does not carry the team name',
    ];
    expect(titles(participant({ config: configOf(foreignNames) })).filter((t) => t.includes('another team'))).toEqual(expected);
    const plan = planOf(
      { address: 'aws_iam_role.r', after: foreignNames.aws_iam_role.r },
      { address: 'aws_secretsmanager_secret.s', after: foreignNames.aws_secretsmanager_secret.s },
    );
    expect(titles(participant({ plan })).filter((t) => t.includes('another team'))).toEqual(expected);
    // The exemption is by type and attribute: a bucket named like the reconcile role is still somebody else's.
    expect(titles(participant({ config: configOf({ aws_s3_bucket: { b: { bucket: reconcile } } }) }))).toEqual([
      `high: may belong to another team: bucket \`${reconcile}\` does not carry the team name`,
    ]);
  });

  it('without the platform name nothing is exempt (a run that could not load the configuration)', () => {
    const config = configOf({ aws_secretsmanager_secret: { conn: { name: secret } } });
    expect(titles(participant({ config, platform: undefined }))).toEqual([
      `high: may belong to another team: name \`${secret}\` does not carry the team name`,
    ]);
  });

  it('every name of every fixture participant stack carries its team or is on the per-account list (found from the constructs)', () => {
    const config = loadFixture();
    for (const team of config.teams) {
      const json = JSON.parse(synthParticipant(config, team.team, 'offline-preview').json) as StackJson;
      const input: StackInput = {
        stack: `participant-${team.team}`,
        team: team.team,
        platform: config.platform.platform,
        accountId: team.accountId,
        config: json,
      };
      const cross = reviewPlans([input]).stacks[0].findings.filter((f) => f.title.includes('another team'));
      expect(cross.map((f) => `${team.team}: ${f.title}`)).toEqual([]);
      // And the list is not wider than needed: without it, exactly its entries are reported.
      const without = reviewPlans([{ ...input, platform: undefined }]).stacks[0].findings.filter((f) => f.title.includes('another team'));
      for (const f of without) expect(ACCOUNT_SCOPED_NAMES.map((n) => n.type)).toContain(f.address.split('.')[0]);
    }
  });
});

describe('resource policies and RAM shares, at the level of cross-account trust', () => {
  const grant = (principal: string, action: string) =>
    JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { AWS: principal },
          Action: action,
          Resource: '*',
          Condition: { ArnEquals: { 'aws:PrincipalArn': `arn:aws:iam::${principal.split(':')[4]}:role/x-mwaa-execution` } },
        },
      ],
    });
  const owner = (extra: Partial<StackInput>): StackInput => ({
    stack: 'owner',
    platform: PLATFORM,
    accountId: ACCOUNT,
    platformAccounts: [ACCOUNT, OTHER_PLATFORM_ACCOUNT],
    ...extra,
  });
  const ownerTitles = (input: StackInput) => reviewPlans([input]).stacks[0].findings.map((f) => `${f.level}: ${f.title}`);

  it.each([
    ['aws_codeartifact_domain_permissions_policy', 'policy_document', 'codeartifact:GetAuthorizationToken'],
    ['aws_codeartifact_repository_permissions_policy', 'policy_document', 'codeartifact:ReadFromRepository'],
    ['aws_kms_key_policy', 'policy', 'kms:Decrypt'],
    ['aws_s3_bucket_policy', 'policy', 's3:GetObject'],
    ['aws_cloudwatch_event_bus_policy', 'policy', 'events:PutEvents'],
    ['aws_secretsmanager_secret_policy', 'policy', 'secretsmanager:GetSecretValue'],
  ])('%s: a grant to a platform account is review with its statements; to an account beyond the platform high', (type, attr, action) => {
    const root = (a: string) => `arn:aws:iam::${a}:root`;
    const before = configOf({ [type]: { p: { [attr]: grant(root(OTHER_PLATFORM_ACCOUNT), action).replace(action, `${action}X`) } } });
    const inPlatform = owner({
      baseConfig: before,
      config: configOf({ [type]: { p: { [attr]: grant(root(OTHER_PLATFORM_ACCOUNT), action) } } }),
    });
    const r = reviewPlans([inPlatform]).stacks[0].findings;
    expect(r.map((f) => `${f.level}: ${f.title}`)).toEqual([
      `review: resource policy (+1 / −1 statements) — trust of platform account(s) ${OTHER_PLATFORM_ACCOUNT}`,
    ]);
    expect(r[0].details).toEqual([
      '```diff',
      `- Allow ${action}X on * for AWS: ${root(OTHER_PLATFORM_ACCOUNT)} when ArnEquals aws:PrincipalArn=arn:aws:iam::${OTHER_PLATFORM_ACCOUNT}:role/x-mwaa-execution`,
      `+ Allow ${action} on * for AWS: ${root(OTHER_PLATFORM_ACCOUNT)} when ArnEquals aws:PrincipalArn=arn:aws:iam::${OTHER_PLATFORM_ACCOUNT}:role/x-mwaa-execution`,
      '```',
    ]);
    const foreign = owner({ config: configOf({ [type]: { p: { [attr]: grant(root(FOREIGN), action) } } }) });
    expect(ownerTitles(foreign)).toEqual([
      `high: resource policy (+1 / −0 statements) — **trust of an account outside the platform (${FOREIGN})**`,
    ]);
  });

  it('a RAM principal association with a platform account is review, with an account beyond it or an organization high', () => {
    const assoc = (principal: string) => owner({ plan: planOf({ address: 'aws_ram_principal_association.p', after: { principal } }) });
    expect(ownerTitles(assoc(OTHER_PLATFORM_ACCOUNT))).toEqual([
      `review: RAM share with account ${OTHER_PLATFORM_ACCOUNT} (\`${OTHER_PLATFORM_ACCOUNT}\`) — trust of a platform account`,
    ]);
    expect(ownerTitles(assoc(FOREIGN))).toEqual([
      `high: RAM share with account ${FOREIGN} (\`${FOREIGN}\`) — **trust beyond the platform's accounts**`,
    ]);
    const org = 'arn:aws:organizations::111111111111:organization/o-abc';
    expect(ownerTitles(assoc(org))).toEqual([
      `high: RAM share with an organization or OU (\`${org}\`) — **trust beyond the platform's accounts**`,
    ]);
    expect(ownerTitles(assoc('${aws_organizations_account.x.id}'))).toEqual([
      'review: RAM share with a principal known after apply (`${aws_organizations_account.x.id}`)',
    ]);
    // Removing one is already DELETES (high): no second item.
    expect(
      ownerTitles(owner({ plan: planOf({ address: 'aws_ram_principal_association.p', before: { principal: OTHER_PLATFORM_ACCOUNT } }) })),
    ).toEqual(['high: **DELETES** `aws_ram_principal_association`']);
  });

  it('a RAM share that starts allowing external principals is high; one that stays internal is no item', () => {
    const share = (before: boolean, after: boolean) =>
      owner({
        plan: planOf({
          address: 'aws_ram_resource_share.s',
          before: { name: 's', allow_external_principals: before },
          after: { name: 's', allow_external_principals: after },
        }),
      });
    expect(ownerTitles(share(false, true))).toEqual([
      'high: **RAM share allows principals outside the organization** (`allow_external_principals`)',
    ]);
    expect(ownerTitles(share(false, false))).toEqual([]);
  });
});

describe('orphaned stacks: a participant stack the base has and the head has not', () => {
  const env = { name: 'gone-etl', environment_class: 'mw1.medium', airflow_version: '2.10.3', webserver_access_mode: 'PRIVATE_ONLY' };
  const baseConfig = configOf({
    aws_mwaa_environment: { e: env },
    aws_s3_bucket: { b: { bucket: 'acme-gone-dags' } },
  });
  const gone: StackInput = { stack: 'participant-gone', team: 'gone', baseConfig };

  it('is one high stack item with its environments, resources and the decommission command, and no deletes', () => {
    const r = reviewPlans([gone], { mode: 'base', base: 'main' });
    expect(r.result).toBe('high');
    expect(r.stacks).toEqual([]);
    expect(r.full).not.toContain('DELETES');
    expect(r.full).toContain(
      [
        '- `participant-gone` · **stack** · ' + orphanTitle('gone'),
        '  - environments still running: `gone-etl` (mw1.medium, Airflow 2.10.3, private webserver)',
        '  - 2 resource(s) in the base configuration stay in the account unmanaged',
        '  - to remove them: restore `config/teams/gone.yaml`, run `npm run decommission -- --team gone`, then remove the file again',
      ].join('\n'),
    );
    expect(orphanTitle('gone')).toBe(
      '**orphaned**: no longer in the configuration; its resources stay in AWS and keep costing until `npm run decommission -- --team gone`',
    );
    expect(r.summary).toContain('  participant-gone: high: ' + orphanTitle('gone'));
  });

  it('says what it keeps costing when the review has prices; unknown, never $0.00, when nothing of it is priced', () => {
    const table = {
      hoursPerMonth: 100,
      sources: { l: { url: 'u', what: 'w', readOn: '2026-11-30' } },
      mwaaIncluded: { workers: 1, schedulers: 2, webservers: 2 },
      eksStandardSupportEnd: {},
      regions: {
        r: {
          mwaaEnvironmentHour: { 'mw1.medium': { usd: 1, source: 'l' } },
          mwaaWorkerHour: {},
          mwaaSchedulerHour: {},
          mwaaWebserverHour: {},
          mwaaMetadataGbMonth: { usd: null, source: 'l' },
          interfaceEndpointAzHour: { usd: 0.01, source: 'l' },
          eksClusterHour: { usd: 0.1, source: 'l' },
          eksExtendedClusterHour: { usd: 0.6, source: 'l' },
          ec2OnDemandHour: {},
          kmsKeyMonth: { usd: null, source: 'l' },
        },
      },
    } as never;
    // The review's one cost format (cost.ts), as in every other total: environment 100 h × $1 + 4 endpoint-AZ
    // (database + webserver, 2 AZ) × 100 h × $0.01; the additional workers (0–9) have no price.
    const priced = reviewPlans([gone], { prices: table, region: 'r', today: '2026-12-01' }).full;
    expect(priced).toContain('  - monthly cost while it stays: ≥ $104.00 (1 item unpriced)\n');
    const unpriced = reviewPlans([gone], { prices: table, region: 'nowhere', today: '2026-12-01' }).full;
    expect(unpriced).toContain('  - monthly cost while it stays: unknown (3 items unpriced)\n');
    expect(unpriced).not.toContain('monthly cost while it stays: $0.00');
    expect(`${priced}${unpriced}`).not.toMatch(/item\(s\) unpriced|\+ \d+ item/);
    // Its row in the per-stack table, with what it keeps costing.
    expect(priced).toContain(
      '| `participant-gone` | 🔴 orphaned | 0 | 0 | 0 | 0 | 1 | 0 | ≥ $104.00 (1 item unpriced) while it stays | — |',
    );
    expect(unpriced).toContain(
      '| `participant-gone` | 🔴 orphaned | 0 | 0 | 0 | 0 | 1 | 0 | unknown (3 items unpriced) while it stays | — |',
    );
  });

  it("is a row of the per-stack table, beside the planned stacks, once even with the state scan's item", () => {
    const scan = {
      stack: 'participant-gone',
      level: 'high' as const,
      title: orphanTitle('gone'),
      details: ['state in s3://b/k'],
      orphaned: true as const,
    };
    const kept: StackInput = {
      stack: 'participant-kept',
      team: 'kept',
      config: configOf({ aws_s3_bucket: { b: { bucket: 'acme-kept' } } }),
    };
    const md = reviewPlans([kept, gone], { mode: 'base', base: 'main', stackItems: [scan] }).full;
    const rows = md.split('\n').filter((l) => /^\| `participant-/.test(l));
    expect(rows).toEqual([
      expect.stringMatching(/^\| `participant-kept` \| /),
      '| `participant-gone` | 🔴 orphaned | 0 | 0 | 0 | 0 | 1 | 0 |',
    ]);
  });

  it("is one item with the state scan's finding of the same stack (its state location kept)", () => {
    const scan = { stack: 'participant-gone', level: 'high' as const, title: orphanTitle('gone'), details: ['state in s3://b/k'] };
    const { items, others } = orphanItems([gone], { stackItems: [scan, { stack: '(state)', level: 'info', title: 'a note' }] });
    expect(items).toHaveLength(1);
    expect(items[0].details).toContain('- state in s3://b/k');
    expect(others).toEqual([{ stack: '(state)', level: 'info', title: 'a note' }]);
    const md = reviewPlans([gone], { stackItems: [scan] }).full;
    expect(md.split(orphanTitle('gone')).length - 1).toBe(1);
    expect(md).toContain('  - state in s3://b/k');
  });

  it('the owner stack, a stack still configured, or a planned stack is never orphaned', () => {
    expect(orphanItems([{ stack: 'owner', baseConfig }], {}).items).toEqual([]);
    expect(orphanItems([{ ...gone, config: baseConfig }], {}).items).toEqual([]);
    expect(orphanItems([{ ...gone, plan: planOf() }], {}).items).toEqual([]);
  });
});

describe('startup scripts and requirements files are review items with their diff', () => {
  const diff = '--- /dev/null\n+++ b/teams/data/startup.sh\n@@ -0,0 +1,2 @@\n+#!/bin/sh\n+pip download x';

  it('knows them by the configuration, else by their name inside teams/<team>/', () => {
    const configured = new Map([['teams/data/boot/init.bash.txt', 'startup script' as const]]);
    expect(environmentFileKind('teams/data/boot/init.bash.txt', configured)).toBe('startup script');
    expect(environmentFileKind('teams/data/startup.sh')).toBe('startup script');
    expect(environmentFileKind('teams/data/requirements.txt')).toBe('requirements file');
    expect(environmentFileKind('teams/data/requirements-dev.txt')).toBe('requirements file');
    expect(environmentFileKind('teams/data/dags/etl.py')).toBeUndefined();
    expect(environmentFileKind('config/teams/data.yaml')).toBeUndefined();
    expect(environmentFileKind('scripts/startup.sh')).toBeUndefined();
    // A platform configured elsewhere (PLATFORM_CONFIG=bench/config): its team folders are bench/teams/, its
    // configuration names paths from there.
    expect(environmentFileKind('bench/teams/data/boot/init.bash.txt', configured)).toBe('startup script');
    expect(environmentFileKind('bench/teams/data/requirements.txt')).toBe('requirements file');
    expect(environmentFileKind('bench/config/teams/data.yaml')).toBeUndefined();
    expect(
      environmentFileItems([{ path: 'bench/teams/data/startup.sh', status: 'added', added: 2, removed: 0, diff }], new Map(), fenceFor).map(
        (i) => i.stack,
      ),
    ).toEqual(['participant-data']);
  });

  it('an added startup script is a review item of its team with the diff; the review is review, not info', () => {
    const items = environmentFileItems(
      [{ path: 'teams/data/startup.sh', status: 'added', added: 2, removed: 0, diff }],
      new Map(),
      fenceFor,
    );
    expect(items).toEqual([
      {
        stack: 'participant-data',
        level: 'review',
        title:
          "startup script `teams/data/startup.sh` added (2 lines) — runs as the environment's execution role before Airflow starts, on every start",
        details: ['```diff', ...diff.split('\n'), '```'],
      },
    ]);
    const info = planOf({ address: 'aws_s3_object.startup', after: { key: 'startup.sh', bucket: 'acme-data-dags' } });
    const r = reviewPlans([participant({ plan: info })], { stackItems: items });
    expect(r.result).toBe('review');
    expect(r.full).toContain(`- 🟡 **stack** · ${items[0].title}\n  \`\`\`diff\n  --- /dev/null`);
  });

  it('a modified requirements file counts its lines; a file whose backticks could close the fence gets a longer one', () => {
    const d = '@@ -1 +1 @@\n-a==1\n+a==2 # ```';
    const [item] = environmentFileItems(
      [{ path: 'teams/data/requirements.txt', status: 'modified', added: 1, removed: 1, diff: d }],
      new Map(),
      fenceFor,
    );
    expect(item.title).toBe(
      'requirements file `teams/data/requirements.txt` modified (+1 / −1 lines) — decides what every scheduler, worker and webserver installs on start',
    );
    expect(item.details[0]).toBe('````diff');
    expect(item.details[item.details.length - 1]).toBe('````');
  });

  it('an item of a stack the review has no section for is still shown, under other items', () => {
    const items = environmentFileItems(
      [{ path: 'teams/data/startup.sh', status: 'removed', added: 0, removed: 2, diff }],
      new Map(),
      fenceFor,
    );
    const md = reviewPlans([participant({ stack: 'participant-else', team: 'else', plan: planOf() })], { stackItems: items }).full;
    expect(md).toContain('### Other items\n\n- 🟡 `participant-data` · **stack** · startup script `teams/data/startup.sh` removed');
  });
});

describe('what the run passes the review', () => {
  it("the environments' startup scripts and requirements files, by path, from the configuration", () => {
    // The fixture's analytics-prod names both.
    expect(configuredEnvironmentFiles(loadFixture())).toEqual(
      new Map([
        ['teams/analytics/requirements.txt', 'requirements file'],
        ['teams/analytics/startup.sh', 'startup script'],
      ]),
    );
    expect(configuredEnvironmentFiles(undefined)).toEqual(new Map());
  });

  it("the run's page for the shortened comment's link, only when GitHub Actions names it", () => {
    const env = { GITHUB_SERVER_URL: 'https://github.com', GITHUB_REPOSITORY: 'acme/platform', GITHUB_RUN_ID: '42' };
    expect(runUrl(env)).toBe('https://github.com/acme/platform/actions/runs/42');
    expect(runUrl({ ...env, GITHUB_RUN_ID: undefined })).toBeUndefined();
    expect(runUrl({})).toBeUndefined();
  });
});

describe('credentials that cannot reach the roles', () => {
  it.each([
    'Error: Cannot assume IAM Role\n\nIAM Role (arn:aws:iam::222222222222:role/plan) cannot be assumed. ... dial tcp: lookup sts.eu-west-1.amazonaws.com: no such host',
    'Error: No valid credential sources found',
    'Error: validating provider credentials: retrieving caller identity from STS: operation error STS: GetCallerIdentity, https response error StatusCode: 403, api error InvalidClientTokenId',
    'Error: ExpiredToken: The security token included in the request is expired',
  ])('recognises %s', (message) => {
    expect(isCredentialFailure(message)).toBe(true);
  });

  it('says in one line that PREVIEW=offline plans without them, naming the stacks; nothing for other failures', () => {
    expect(
      credentialHint([
        { stack: 'owner', message: 'Error: Cannot assume IAM Role' },
        { stack: 'participant-a', message: 'Error: Unsupported argument' },
      ]),
    ).toBe(
      'plan: the AWS credentials in this shell cannot reach the platform\'s roles (owner); `PREVIEW=offline npm run plan` plans without them (docs/plan-review.md, "Which mode applies")',
    );
    expect(credentialHint([{ stack: 'owner', message: 'Error: Unsupported argument "x"' }])).toBeUndefined();
    expect(isCredentialFailure('Error: creating S3 Bucket: AccessDenied')).toBe(false);
  });
});

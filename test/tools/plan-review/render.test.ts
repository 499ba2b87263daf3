/**
 * The review as a reviewer reads it: headline, summary table, sections and the one-line summary, from small inputs.
 */
import fc from 'fast-check';
import type { StackJson } from '../../../tools/rules/types';
import {
  mergeFindings,
  nameCarriesTeam,
  reviewPlans,
  type Finding,
  type StackInput,
  type TerraformPlanJson,
} from '../../../tools/plan-review/review';
import type { PlanAction } from '../../../tools/plan-review/plan-json';

interface Rc {
  readonly address: string;
  readonly actions: readonly PlanAction[];
  readonly before?: object | null;
  readonly after?: object | null;
}
const planOf = (...rcs: Rc[]): TerraformPlanJson => ({
  format_version: '1.2',
  resource_changes: rcs.map((rc) => ({
    address: rc.address,
    mode: 'managed' as const,
    type: rc.address.split('.')[0],
    name: rc.address.split('.')[1],
    change: { actions: rc.actions, before: (rc.before ?? null) as never, after: (rc.after ?? null) as never, after_unknown: {} },
  })),
});
const create = (address: string, after: object = {}): Rc => ({ address, actions: ['create'], after });
const update = (address: string, before: object, after: object): Rc => ({ address, actions: ['update'], before, after });
const del = (address: string, before: object = {}): Rc => ({ address, actions: ['delete'], before });
const ADMIN = 'arn:aws:iam::aws:policy/AdministratorAccess';
const linesOf = (md: string, prefix: string) => md.split('\n').filter((l) => l.startsWith(prefix));

describe('headline and mode', () => {
  it('names the result and how the review was made', () => {
    const info: StackInput = { stack: 'participant-a', team: 'a', plan: planOf(create('aws_cloudwatch_log_group.l', { name: 'x-a-l' })) };
    const md = (opts: Parameters<typeof reviewPlans>[1]) => reviewPlans([info], opts).markdown;
    expect(md({})).toContain('**Result: 🟢 INFO — standard changes only**');
    expect(md({ mode: 'offline' })).toContain('> ℹ️ Offline preview: planned without AWS credentials');
    expect(md({ mode: 'base', base: 'origin/main' })).toContain(
      '> ℹ️ Compared offline with `origin/main`: the synthesized configurations of both revisions',
    );
    expect(md({ mode: 'base' })).toContain('> ℹ️ Compared offline with `base`:');
    expect(md({ mode: 'live', base: 'origin/main' })).toContain(
      '> ℹ️ Planned with credentials; only stacks whose configuration differs from `origin/main` were planned.',
    );
    expect(md({ mode: 'live' })).not.toContain('ℹ️');
    expect(md({})).not.toContain('ℹ️');
    const review: StackInput = { stack: 'participant-a', team: 'a', plan: planOf(create('aws_iam_openid_connect_provider.o')) };
    expect(reviewPlans([review]).markdown).toContain('**Result: 🟡 REVIEW — changes to look at**');
    const high: StackInput = { stack: 'participant-a', team: 'a', plan: planOf(del('aws_s3_bucket.b', { bucket: 'x-a-b' })) };
    expect(reviewPlans([high]).markdown).toContain('**Result: 🔴 HIGH — platform review required**');
    expect(reviewPlans([review], { stackItems: [{ stack: 'participant-a', level: 'info', title: 'note' }] }).result).toBe('review');
  });
});

describe('summary table and one-line summary', () => {
  const owner: StackInput = {
    stack: 'owner',
    plan: planOf(
      create('aws_iam_openid_connect_provider.o'),
      update('aws_cloudwatch_log_group.l', { retention_in_days: 1 }, { retention_in_days: 2 }),
      { address: 'aws_sqs_queue.q', actions: ['delete', 'create'], before: { name: 'q' }, after: { name: 'q2' } },
    ),
  };
  const team: StackInput = {
    stack: 'participant-b',
    team: 'b',
    plan: planOf(
      del('aws_s3_bucket.b', { bucket: 'x-b-b' }),
      create('aws_iam_role_policy_attachment.a', { role: 'x-b-r', policy_arn: ADMIN }),
      create('aws_iam_openid_connect_provider.o'),
    ),
  };
  const none: StackInput = { stack: 'participant-c', team: 'c', plan: planOf() };

  it('one row per stack, owner first, with counts and item numbers; a stack with no changes has no level', () => {
    const r = reviewPlans([none, team, owner], { unchanged: ['participant-z'] });
    expect(linesOf(r.markdown, '| `')).toEqual([
      '| `owner` | 🟡 review | 1 | 1 | 1 | 0 | 0 | 1 |',
      '| `participant-b` | 🔴 high | 2 | 0 | 0 | 1 | 2 | 1 |',
      '| `participant-c` | — | 0 | 0 | 0 | 0 | 0 | 0 |',
    ]);
    expect(r.summary.split('\n')).toEqual([
      'Plan review: HIGH — 3 stack(s) reviewed, 1 unchanged: 3 to create, 1 to update, 1 to replace, 1 to delete; 2 high item(s).',
      '  owner: review +1 ~1 -/+1 -0; high 0, review 1',
      '  participant-b: high +2 ~0 -/+0 -1; high 2, review 1',
      '  participant-c: none +0 ~0 -/+0 -0; high 0, review 0',
    ]);
  });

  it('a stack item below high is listed in its own stack section, even when the stack has no change; a high one under High only', () => {
    const quiet: StackInput = { stack: 'participant-a', team: 'a', plan: planOf() };
    const r = reviewPlans([quiet], {
      stackItems: [
        { stack: 'participant-a', level: 'review', title: 'a note' },
        { stack: 'participant-a', level: 'high', title: 'orphaned' },
      ],
    });
    const section = r.markdown.split('### 🟡 Review and 🟢 info by stack')[1] ?? '';
    expect(section.split('\n').slice(0, 5)).toEqual(['', '', '#### `participant-a` (team `a`)', '', '- 🟡 **stack** · a note']);
    expect(section).not.toContain('orphaned');
    expect(r.markdown.split('### 🔴 High')[1]).toContain('orphaned');
    // Without the item, a stack with no change has no section.
    expect(reviewPlans([quiet]).markdown).not.toContain('### 🟡 Review and 🟢 info by stack');
  });

  it('failed stacks get a row, their complete message (code fences defused) and summary lines; high items count stack items and rule findings', () => {
    const r = reviewPlans([owner], {
      errors: [
        { stack: 'participant-x', stage: 'init', message: 'Error: boom\n```\nmore\n' },
        { stack: 'owner', stage: 'show', message: 'late' },
      ],
      stackItems: [
        { stack: 'participant-gone', level: 'high', title: 'orphaned' },
        { stack: 'owner', level: 'review', title: 'a note' },
      ],
      findings: [{ rule: 'R', checkovId: 'R', severity: 'HIGH', stack: 'owner', resource: 'aws_sqs_queue.q', message: 'm' }],
    });
    expect(r.result).toBe('failed');
    expect(r.markdown).toContain('**Result: ❌ FAILED** — 2 stack(s) failed');
    expect(linesOf(r.markdown, '| `participant-x`')).toEqual(['| `participant-x` | ❌ failed (init) | | | | | | |']);
    // A stack that was reviewed and then failed has its review row only.
    expect(linesOf(r.markdown, '| `owner`')).toHaveLength(1);
    expect(r.markdown).toContain(
      ['### ❌ Failed', '', '**`participant-x` failed at init:**', '', '```text', "Error: boom\n'''\nmore", '```'].join('\n'),
    );
    expect(r.summary).toContain('FAILED participant-x (init):\n    Error: boom\n    ```\n    more');
    expect(r.summary).toContain('; 2 high item(s).');
    expect(r.summary).not.toContain('no stack was reviewed');
    // The rule finding names the resource by its address when the stack has no configuration; no checkov id repeat.
    expect(r.markdown).toContain('- `owner` · **aws_sqs_queue.q** · security rule R: m');
    // The owner's review note is in its section.
    expect(r.markdown).toContain('- 🟡 **stack** · a note');
    expect(reviewPlans([]).summary).toBe(
      'Plan review: FAILED — 0 stack(s) reviewed: 0 to create, 0 to update, 0 to replace, 0 to delete; 0 high item(s).\nFAILED: no stack was reviewed',
    );
    expect(reviewPlans([], { unchanged: ['owner'] }).markdown).not.toContain('No stack was reviewed');
  });

  it('with prices, the table has the monthly estimate and the change; failed rows keep the columns', () => {
    const prices = {
      hoursPerMonth: 100,
      sources: {},
      mwaaIncluded: { workers: 1, schedulers: 2, webservers: 2 },
      eksStandardSupportEnd: {},
      regions: {
        'eu-west-1': {
          mwaaEnvironmentHour: {},
          mwaaWorkerHour: {},
          mwaaSchedulerHour: {},
          mwaaWebserverHour: {},
          mwaaMetadataGbMonth: { usd: null, source: 's' },
          interfaceEndpointAzHour: { usd: null, source: 's' },
          eksClusterHour: { usd: null, source: 's' },
          eksExtendedClusterHour: { usd: null, source: 's' },
          ec2OnDemandHour: {},
          kmsKeyMonth: { usd: 1, source: 's' },
        },
      },
    };
    const cfg = (keys: number): StackJson =>
      ({
        provider: { aws: [{ region: 'eu-west-1' }] },
        resource: { aws_kms_key: Object.fromEntries(Array.from({ length: keys }, (_, i) => [`k${i}`, { description: 'k' }])) },
      }) as StackJson;
    const r = reviewPlans(
      [
        { stack: 'participant-a', team: 'a', baseConfig: cfg(3), config: cfg(1) },
        { stack: 'participant-b', team: 'b', baseConfig: cfg(1), config: cfg(2) },
      ],
      { prices, errors: [{ stack: 'participant-x', stage: 'plan', message: 'm' }] },
    );
    expect(linesOf(r.markdown, '| Stack | Level')).toEqual(['| Stack | Level | + | ~ | -/+ | - | High | Review | Monthly estimate | Δ |']);
    // Deleting keys is high (stateful).
    expect(linesOf(r.markdown, '| `participant-a` | 🔴')).toEqual([
      '| `participant-a` | 🔴 high | 0 | 0 | 0 | 2 | 2 | 0 | $1.00 | −$2.00 |',
    ]);
    expect(linesOf(r.markdown, '| `participant-b` | 🟢')).toEqual([
      '| `participant-b` | 🟢 info | 1 | 0 | 0 | 0 | 0 | 0 | $2.00 | +$1.00 |',
    ]);
    expect(linesOf(r.markdown, '| `participant-x`')).toEqual(['| `participant-x` | ❌ failed (plan) | | | | | | | | |']);
    expect(r.markdown).toContain(
      '**Total of the reviewed stacks: $3.00 per month** (workers at configured minimum–maximum), −$1.00 from this change.',
    );
    expect(r.markdown).toContain('| `participant-a` | **stack total** | before: $3.00 | **$1.00** |');
    // Unchanged cost is $0.00, unsigned.
    expect(
      reviewPlans(
        [
          {
            stack: 'participant-a',
            team: 'a',
            baseConfig: cfg(1),
            config: { ...cfg(1), resource: { ...cfg(1).resource, aws_sqs_queue: { q: { name: 'x-a-q' } } } } as StackJson,
          },
        ],
        { prices },
      ).markdown,
    ).toContain('$1.00 per month** (workers at configured minimum–maximum), $0.00 from this change.');
  });
});

describe('high items', () => {
  it('stack items show their details until the shortest form; rule findings name the resource by its construct path and both rule ids', () => {
    const config: StackJson = {
      resource: { aws_kms_key: { k: { '//': { metadata: { path: 'participant-a/secrets/key' } }, description: 'k' } } },
    };
    const r = reviewPlans([{ stack: 'participant-a', team: 'a', config }], {
      stackItems: [{ stack: 'participant-gone', level: 'high', title: 'orphaned', details: ['resources: 3'] }],
      findings: [
        {
          rule: 'KMS_ROTATION',
          checkovId: 'CKV_AWS_7',
          severity: 'MEDIUM',
          stack: 'participant-a',
          resource: 'aws_kms_key.k',
          message: 'no rotation',
        },
        { rule: 'X', severity: 'LOW', stack: 'participant-q', resource: 'aws_s3_bucket.b', message: 'm' },
      ],
    });
    expect(r.markdown).toContain(
      [
        '### 🔴 High',
        '',
        '- `participant-gone` · **stack** · orphaned',
        '  resources: 3',
        '- `participant-a` · **secrets** · security rule KMS_ROTATION (CKV_AWS_7): no rotation',
        '- `participant-q` · **aws_s3_bucket.b** · security rule X: m',
        '',
      ].join('\n'),
    );
  });

  it("the same finding on several resources is one line naming each; one resource's diff blocks merge with repeated lines counted", () => {
    const f = (name: string, address: string, details: string[] = []): Finding => ({ level: 'review', address, name, title: 't', details });
    expect(mergeFindings([f('a', 'x.a'), f('b', 'x.b'), f('a', 'x.c')]).map((m) => [m.names, m.addresses])).toEqual([
      [
        ['a', 'b'],
        ['x.a', 'x.b', 'x.c'],
      ],
    ]);
    const merged = mergeFindings([f('g', 'r.1', ['```diff', '+ one', '```']), f('g', 'r.2', ['```diff', '+ one', '- two', '```'])]);
    expect(merged.map((m) => m.f.details)).toEqual([['```diff', '+ one (×2)', '- two', '```']]);
    // Plain (non-diff) details are kept apart, never merged.
    expect(mergeFindings([f('g', 'r.1', ['note']), f('g', 'r.2', ['other'])]).map((m) => m.f.details)).toEqual([['note'], ['other']]);
    expect(mergeFindings([f('g', 'r.1', ['```diff', '+ a', '```']), f('g', 'r.2', ['x'])]).map((m) => m.f.details)).toEqual([
      ['```diff', '+ a', '```'],
      ['x'],
    ]);
    // A stack-level finding has no address.
    expect(mergeFindings([f('a', '')])[0].addresses).toEqual([]);

    const buckets: StackInput = {
      stack: 'participant-a',
      team: 'a',
      plan: planOf(del('aws_s3_bucket.x', { bucket: 'x-a-1' }), del('aws_s3_bucket.y', { bucket: 'x-a-2' })),
    };
    expect(reviewPlans([buckets]).markdown).toContain(
      '- `participant-a` · **aws_s3_bucket.x**, **aws_s3_bucket.y** (×2) · **DELETES** `aws_s3_bucket`',
    );
  });
});

describe('environments', () => {
  const env = (name: string, over: object = {}) => ({
    name,
    environment_class: 'mw1.small',
    airflow_version: '2.10.3',
    min_workers: 1,
    max_workers: 2,
    schedulers: 2,
    min_webservers: 2,
    max_webservers: 2,
    webserver_access_mode: 'PRIVATE_ONLY',
    ...over,
  });
  const cfg = (...envs: Array<[string, object]>): StackJson =>
    ({ resource: { aws_mwaa_environment: Object.fromEntries(envs) } }) as StackJson;

  it('new, changed, removed and unchanged environments, each cell showing before → after', () => {
    const r = reviewPlans([
      {
        stack: 'participant-a',
        team: 'a',
        baseConfig: cfg(['e1', env('a-one')], ['e2', env('a-two')], ['e3', env('a-gone', { webserver_access_mode: 'X' })]),
        config: cfg(
          ['e1', env('a-one')],
          ['e2', env('a-two', { max_workers: 4, webserver_access_mode: 'PUBLIC_ONLY' })],
          ['e4', env('a-new', { airflow_version: undefined })],
        ),
      },
    ]);
    expect(linesOf(r.markdown, '| a |')).toEqual([
      '| a | a-gone _(removed)_ | ~~mw1.small~~ | ~~2.10.3~~ | ~~1–2~~ | ~~2~~ | ~~2–2~~ | ~~X~~ |',
      '| a | a-new _(new)_ | mw1.small | — | 1–2 | 2 | 2–2 | private |',
      '| a | a-one | mw1.small | 2.10.3 | 1–2 | 2 | 2–2 | private |',
      '| a | a-two _(changed)_ | mw1.small | 2.10.3 | 1–2 → **1–4** | 2 | 2–2 | private → **public** |',
    ]);
    expect(r.markdown).toContain('| Team | Environment | Class | Airflow | Workers | Schedulers | Webservers | Webserver |');
    // The owner stack has no team: the stack names the row.
    expect(linesOf(reviewPlans([{ stack: 'owner', config: cfg(['e', env('shared')]) }]).markdown, '| owner |')).toEqual([
      '| owner | shared _(new)_ | mw1.small | 2.10.3 | 1–2 | 2 | 2–2 | private |',
    ]);
  });
});

describe('review and info sections', () => {
  it('per stack: a heading with the team, review items, the baseline line and the address table', () => {
    const config: StackJson = {
      resource: {
        aws_iam_openid_connect_provider: { o: { '//': { metadata: { path: 'participant-a/eks/oidc' } }, url: 'u' } },
        aws_cloudwatch_log_group: { l: { '//': { metadata: { path: 'participant-a/logs/group' } }, name: 'x-a-l' }, m: { name: 'x-a-m' } },
        aws_sqs_queue: { q: { name: 'x-a-q' } },
      },
    };
    const r = reviewPlans([{ stack: 'participant-a', team: 'a', config }]);
    const section = r.full.slice(r.full.indexOf('### 🟡 Review'));
    expect(section.split('\n').slice(0, 14)).toEqual([
      '### 🟡 Review and 🟢 info by stack',
      '',
      '#### `participant-a` (team `a`)',
      '',
      '- 🟡 **eks / oidc** · create IAM OIDC provider (federated trust for `u`)',
      '- 🟢 standard team baseline: 3 resource(s) created (2 cloudwatch_log_group, 1 sqs_queue)',
      '',
      '<details><summary>Terraform addresses</summary>',
      '',
      '| Resource | Address |',
      '|---|---|',
      '| eks / oidc | `aws_iam_openid_connect_provider.o` |',
      '| logs / group | `aws_cloudwatch_log_group.l` |',
      '',
    ]);
    const owner = reviewPlans([{ stack: 'owner', config }]).full;
    expect(owner).toContain('#### `owner`\n');
    expect(owner).toContain('- 🟢 standard platform resources: 3 resource(s) created');
  });

  it('identical updates are one line (×n); deletions and replacements are listed by kind', () => {
    const r = reviewPlans([
      {
        stack: 'owner',
        plan: planOf(
          update('aws_cloudwatch_log_group.a', { retention_in_days: 7 }, { retention_in_days: 30 }),
          update('aws_cloudwatch_log_group.b', { retention_in_days: 7 }, { retention_in_days: 30 }),
          del('aws_sqs_queue.q'),
          { address: 'aws_lambda_function.f', actions: ['create', 'delete'], before: { x: 1 }, after: { x: 2 } },
        ),
      },
    ]);
    expect(linesOf(r.full, '- 🟢')).toEqual([
      '- 🟢 update **aws_cloudwatch_log_group.a**, **aws_cloudwatch_log_group.b** (×2): `retention_in_days: 7 → 30`',
      '- 🟢 delete **aws_sqs_queue.q**',
      '- 🟢 replace **aws_lambda_function.f**',
    ]);
  });

  it('a backtick in a value cannot end the code span; a pipe in an address is escaped in the table', () => {
    const r = reviewPlans([{ stack: 'owner', plan: planOf(update('aws_ssm_parameter.p', { value: 'a' }, { value: 'b`c' })) }]);
    expect(r.full).toContain("`value: a → b'c`");
  });
});

describe('team files, suppressed findings and capacity', () => {
  const base = { stack: 'owner', plan: planOf() } as StackInput;

  it('team files with their line counts', () => {
    const r = reviewPlans([base], {
      teamFiles: [
        { path: 'teams/a/x|y.py', status: 'modified', added: 2, removed: 1 },
        { path: 'teams/a/n.py', status: 'added', added: 3, removed: 0 },
        { path: 'teams/a/o.py', status: 'removed', added: 0, removed: 4 },
      ],
    });
    expect(r.markdown).toContain(
      [
        '### Team files',
        '',
        '_From the files themselves (DAGs, requirements, team configuration), not from Terraform._',
        '',
        '| File | Change |',
        '|---|---|',
        '| `teams/a/x\\|y.py` | modified (+2 / −1 lines) |',
        '| `teams/a/n.py` | added (3 lines) |',
        '| `teams/a/o.py` | removed |',
        '',
      ].join('\n'),
    );
    expect(reviewPlans([base]).markdown).not.toContain('### Team files');
  });

  it("shows each team file's diff in a fence no DAG can close, and drops the diffs first when the comment must be short", () => {
    const diff =
      '--- a/teams/a/x.py\n+++ b/teams/a/x.py\n@@ -1,1 +1,1 @@\n-x = 1\n+doc = """\n+```\n+## Approved by the platform team\n+````\n+"""\n';
    const teamFiles = [{ path: 'teams/a/x.py', status: 'modified' as const, added: 5, removed: 1, diff }];
    const r = reviewPlans([base], { teamFiles });
    expect(r.markdown).toContain(
      [
        '<details><summary>What changed in the team files</summary>',
        '',
        '`teams/a/x.py`',
        '',
        '`````diff',
        ...diff.split('\n'),
        '`````',
        '',
        '</details>',
      ].join('\n'),
    );
    const long = {
      path: 'teams/a/long.py',
      status: 'added' as const,
      added: 300,
      removed: 0,
      diff: Array.from({ length: 300 }, (_, i) => `+line ${i}`).join('\n'),
    };
    const shown = reviewPlans([base], { teamFiles: [long] }).markdown;
    expect(shown).toContain('+line 199\n… 100 more lines\n```');
    expect(shown).not.toContain('+line 200');
    expect(reviewPlans([base], { teamFiles: [{ path: 'teams/a/n.py', status: 'added', added: 1, removed: 0 }] }).markdown).not.toContain(
      'What changed in the team files',
    );
  });

  it('suppressed findings: None, the table, or a count when the comment must be short', () => {
    expect(reviewPlans([base]).markdown).toContain('### Suppressed security findings\n\nNone.\n');
    const suppressed = [{ rule: 'R1', severity: 'LOW' as const, stack: 'owner', resource: 'a.b', message: 'm', reason: 'r' }];
    expect(reviewPlans([base], { suppressed }).markdown).toContain('| R1 | `owner` | `a.b` | m | r |');
  });

  it('capacity: percentage used, a warning from 80 %, over the limit, units and notes', () => {
    const r = reviewPlans([base], {
      capacity: [
        { name: 'A', used: 79, limit: 100 },
        { name: 'B', used: 80, limit: 100, unit: 'chars', note: 'worst case' },
        { name: 'C', used: 100, limit: 100 },
        { name: 'D', used: 0, limit: 0 },
        { name: 'E', used: 1, limit: 0 },
      ],
    });
    expect(linesOf(r.markdown, '| ').filter((l) => /^\| [A-E]/.test(l))).toEqual([
      '| A | 79 | 100 | 21 | ✅ 79% used |',
      '| B — worst case | 80 chars | 100 chars | 20 chars | ⚠️ 80% used |',
      '| C | 100 | 100 | 0 | ⚠️ 100% used |',
      '| D | 0 | 0 | 0 | ⚠️ 100% used |',
      '| E | 1 | 0 | -1 | ❌ over limit |',
    ]);
    expect(r.markdown).toContain('### Capacity headroom\n\n| Metric | Used | Limit | Headroom | Status |\n|---|--:|--:|--:|---|\n');
    expect(reviewPlans([base]).markdown).not.toContain('### Capacity headroom');
  });
});

describe('fitting a GitHub comment', () => {
  const many = (n: number): StackInput[] =>
    Array.from({ length: n }, (_, i) => ({
      stack: `participant-t${String(i).padStart(2, '0')}`,
      team: `t${i}`,
      baseConfig: {
        resource: {
          aws_cloudwatch_log_group: {
            l: {
              '//': { metadata: { path: `participant-t${String(i).padStart(2, '0')}/logs/group` } },
              name: `x-t${i}-l`,
              retention_in_days: 7,
            },
          },
        },
      },
      config: {
        resource: {
          aws_cloudwatch_log_group: {
            l: {
              '//': { metadata: { path: `participant-t${String(i).padStart(2, '0')}/logs/group` } },
              name: `x-t${i}-l`,
              retention_in_days: 30,
            },
          },
          aws_iam_openid_connect_provider: {
            o: { '//': { metadata: { path: `participant-t${String(i).padStart(2, '0')}/eks/oidc` } }, url: 'u' },
          },
          aws_sqs_queue: { q: { name: `x-t${i}-q` } },
        },
      },
    }));
  const teamFiles = Array.from({ length: 60 }, (_, i) => ({ path: `teams/t/f${i}.py`, status: 'added' as const, added: 1, removed: 0 }));
  const suppressed = [{ rule: 'R1', severity: 'LOW' as const, stack: 'owner', resource: 'a.b', message: 'm', reason: 'r' }];

  it('drops the least important parts first, at every size, and names exactly the parts it dropped', () => {
    const inputs = many(3);
    const full = reviewPlans(inputs, { teamFiles, suppressed }).full;
    const at = (max: number) => reviewPlans(inputs, { teamFiles, suppressed, maxMarkdownChars: max }).markdown;
    // Each part of this review, least important first: its name in the note, and what shows it is still there.
    const parts: Array<[string, (md: string) => boolean]> = [
      ['the attribute diffs of standard changes', (md) => md.includes('`retention_in_days: 7 → 30`')],
      ['the Terraform address tables', (md) => md.includes('<summary>Terraform addresses</summary>')],
      ['the suppressed findings table (count kept)', (md) => md.includes('| R1 | `owner` | `a.b` | m | r |')],
      ['team files beyond the first 50', (md) => md.includes('| `teams/t/f59.py` |')],
      ['review items (counted per stack) and the diffs of high items', (md) => md.includes('create IAM OIDC provider')],
    ];
    for (const [, present] of parts) expect(present(full)).toBe(true);
    const seen = new Set<string>();
    for (let max = full.length - 1; ; max -= 25) {
      const md = at(max);
      if (md.includes('_Truncated to fit a GitHub comment')) break;
      expect(md.length).toBeLessThanOrEqual(max);
      const gone = parts.map(([, present]) => !present(md));
      // Once a part is gone, every less important one is gone too.
      expect(gone).toEqual([...gone].sort((a, b) => Number(b) - Number(a)));
      const named = parts.filter((_, i) => gone[i]).map(([name]) => name);
      expect(md).toContain(`this comment leaves out ${named.join('; ')}. The full review is in the job summary`);
      seen.add(named.join('; '));
    }
    // More than one shorter form on the way down (a step saving less than its note costs is taken with the next).
    expect(seen.size).toBeGreaterThan(1);
    expect(at(full.length)).toBe(full);
  });

  it('cuts the shortest form at the limit with a note, never over it', () => {
    const inputs = many(40);
    const r = reviewPlans(inputs, { maxMarkdownChars: 3000 });
    expect(r.markdown.length).toBe(3000);
    expect(
      r.markdown.endsWith('_Truncated to fit a GitHub comment: the full review is in the job summary and the `plan-review` artifact._\n'),
    ).toBe(true);
    // The limit is capped below GitHub's.
    expect(reviewPlans(many(40), { maxMarkdownChars: 1_000_000 }).markdown.length).toBeLessThanOrEqual(65_536 - 100);
    // Short enough already: the full review.
    expect(reviewPlans(many(1)).markdown).toBe(reviewPlans(many(1)).full);
  });
});

describe('team names in resource names', () => {
  it('property: the team is found as a whole token, case-insensitively, never inside another word', () => {
    const token = fc.stringMatching(/^[a-z][a-z0-9]{0,8}$/);
    fc.assert(
      fc.property(token, token, fc.constantFrom('-', '_', '/', '.', ':'), (team, other, sep) => {
        expect(nameCarriesTeam(team, `acme${sep}${team}${sep}dags`)).toBe(true);
        expect(nameCarriesTeam(team, team.toUpperCase())).toBe(true);
        expect(nameCarriesTeam(team, `${team}${sep}x`)).toBe(true);
        expect(nameCarriesTeam(team, `x${sep}${team}`)).toBe(true);
        expect(nameCarriesTeam(team, `acme-${team}x-dags`)).toBe(false);
        expect(nameCarriesTeam(team, `acme-x${team}-dags`)).toBe(false);
        expect(nameCarriesTeam(team, `acme-${team}1`)).toBe(false);
        if (!`-${other}-`.includes(`-${team}-`)) expect(nameCarriesTeam(team, `acme-${other}-dags`)).toBe(false);
      }),
    );
    // Regex characters in a team name are literal.
    expect(nameCarriesTeam('a.b', 'acme-a.b-x')).toBe(true);
    expect(nameCarriesTeam('a.b', 'acme-axb-x')).toBe(false);
  });
});

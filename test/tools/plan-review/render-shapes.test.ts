/**
 * The review's shape at every length: the full review and each shorter form the comment falls back to are
 * well-formed GitHub markdown (a table or heading glued to the line before it does not render), and each shorter
 * form drops exactly what docs/plan-review.md says, in order. One review with a bit of everything, priced from a
 * small hand-made table whose arithmetic is checked by hand below.
 */
import type { PriceTable } from '../../../tools/plan-review/cost';
import { REVIEW_MARKER, reviewPlans, type ReviewOptions, type StackInput, type TerraformPlanJson } from '../../../tools/plan-review/review';

const price = (usd: number | null, source = 'list') => ({ usd, source });
const prices: PriceTable = {
  hoursPerMonth: 100,
  sources: {
    list: { url: 'https://example.com/prices', what: 'the list', readOn: '2026-11-30' },
    none: { url: '', what: 'nothing found', readOn: '2026-11-30' },
  },
  mwaaIncluded: { workers: 1, schedulers: 2, webservers: 2 },
  eksStandardSupportEnd: {},
  regions: {
    r: {
      mwaaEnvironmentHour: { 'mw1.small': price(1) },
      mwaaWorkerHour: { 'mw1.small': price(0.1) },
      mwaaSchedulerHour: { 'mw1.small': price(0.2) },
      mwaaWebserverHour: { 'mw1.small': price(0.3) },
      mwaaMetadataGbMonth: price(null),
      // A source id the table does not describe: never listed under the price sources.
      interfaceEndpointAzHour: price(0.01, 'ghost'),
      eksClusterHour: price(0.1),
      eksExtendedClusterHour: price(0.6),
      ec2OnDemandHour: {},
      kmsKeyMonth: price(null, 'none'),
    },
  },
};

const rc = (address: string, actions: string[], before: object | null, after: object | null, mode = 'managed') => {
  const parts = address.split('.');
  return {
    address,
    mode,
    type: parts[parts.length - 2],
    name: parts[parts.length - 1],
    change: { actions, before, after, after_unknown: {} },
  };
};
const env = (name: string, maxWorkers: number) => ({
  name,
  environment_class: 'mw1.small',
  airflow_version: '2.10.3',
  min_workers: 1,
  max_workers: maxWorkers,
  schedulers: 2,
  webserver_access_mode: 'PUBLIC_ONLY',
});
const planOf = (...changes: ReturnType<typeof rc>[]): TerraformPlanJson => ({ format_version: '1.2', resource_changes: changes as never });

const plan = planOf(
  rc('aws_mwaa_environment.prod', ['update'], env('a-prod', 2), env('a-prod', 3)),
  rc('aws_mwaa_environment.dev', ['no-op'], env('a-dev', 1), env('a-dev', 1)),
  rc('aws_kms_key.k', ['create'], null, { description: 'k' }),
  // Neither a data source nor a deleted key costs anything after the change.
  rc('data.aws_kms_key.existing', ['read'], null, { key_id: 'alias/x' }, 'data'),
  rc('aws_kms_key.old', ['delete'], { description: 'old' }, null),
  rc('aws_iam_openid_connect_provider.o', ['create'], null, { url: 'u' }),
  rc('aws_vpc_security_group_ingress_rule.web', ['create'], null, {
    security_group_id: 'sg-1',
    cidr_ipv4: '0.0.0.0/0',
    from_port: 443,
    to_port: 443,
    ip_protocol: 'tcp',
  }),
);
const input: StackInput = { stack: 'participant-a', team: 'a', plan };
const options: ReviewOptions = {
  prices,
  region: 'r',
  today: '2026-12-01',
  stackItems: [
    { stack: 'participant-a', level: 'info', title: 'a note' },
    { stack: 'participant-gone', level: 'high', title: 'orphaned', details: ['restore it'] },
  ],
  teamFiles: [{ path: 'teams/a/x.py', status: 'modified', added: 1, removed: 1, diff: '--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+b' }],
  suppressed: [{ rule: 'R1', severity: 'LOW', stack: 'participant-a', resource: 'aws_kms_key.k', message: 'm', reason: 'r' }],
  capacity: [{ name: 'Interface endpoints', used: 1, limit: 2 }],
  findings: [{ rule: 'S3_TLS_ONLY', severity: 'HIGH', stack: 'participant-a', resource: 'aws_kms_key.k', message: 'no TLS' }],
};

/** The full review, then each shorter form the comment falls back to, until the cut one. */
function forms(inputs: readonly StackInput[], opts: ReviewOptions): { full: string; shorter: string[]; cut: string } {
  const full = reviewPlans(inputs, opts).full;
  const shorter: string[] = [];
  for (let previous = full; ; ) {
    const md = reviewPlans(inputs, { ...opts, maxMarkdownChars: previous.length - 1 }).markdown;
    if (md.includes('_Truncated to fit a GitHub comment')) return { full, shorter, cut: md };
    shorter.push(md);
    previous = md;
  }
}

/** Cells of a table row: unescaped pipes separate them. */
const cells = (row: string): number => row.replace(/\\\|/g, '').split('|').length - 2;

/** What GitHub needs to render the review as meant; returns the problems found. */
function markdownProblems(md: string): string[] {
  const problems: string[] = [];
  const lines = md.split('\n');
  if (lines.slice(0, 3).join('\n') !== `${REVIEW_MARKER}\n## MWAA platform plan review\n`)
    problems.push('does not open with the marker and the title');
  if (!md.endsWith('\n') || md.endsWith('\n\n') || md.includes('\n\n\n'))
    problems.push('paragraphs are not separated by exactly one blank line');
  let fence: string | undefined;
  lines.forEach((line, i) => {
    const before = lines[i - 1];
    const after = lines[i + 1];
    if (fence !== undefined) {
      if (line === fence) fence = undefined;
      return;
    }
    const open = /^(`{3,})[a-z]*$/.exec(line);
    if (open) {
      fence = open[1];
      if (before !== '') problems.push(`line ${i + 1}: a code fence right after text`);
      return;
    }
    // The title follows the marker, an HTML comment: that block ends on its own line.
    if (/^#{2,4} /.test(line) && ((i > 1 && before !== '') || after !== ''))
      problems.push(`line ${i + 1}: heading "${line}" not set off by blank lines`);
    if (line.startsWith('|') && !before.startsWith('|')) {
      if (before !== '' && !before.startsWith('<details>')) problems.push(`line ${i + 1}: table right after text`);
      if (!/^\|(-{3}|-{2}:)(\|(-{3}|-{2}:))*\|$/.test(after ?? '') || cells(after) !== cells(line))
        problems.push(`line ${i + 1}: table header without its delimiter row`);
      for (let j = i + 2; lines[j]?.startsWith('|'); j++)
        if (cells(lines[j]) !== cells(line)) problems.push(`line ${j + 1}: ${cells(lines[j])} cells under a ${cells(line)}-column header`);
    }
    if (line.startsWith('|') && after !== undefined && !after.startsWith('|') && after !== '')
      problems.push(`line ${i + 1}: table not followed by a blank line`);
    if (line.startsWith('> ') && after !== '') problems.push(`line ${i + 1}: a quote continues into the next line`);
    if (line.startsWith('<details>') && after !== '') problems.push(`line ${i + 1}: <details> content not set off`);
    if (line === '</details>' && (before !== '' || after !== '')) problems.push(`line ${i + 1}: </details> not set off`);
  });
  if (fence !== undefined) problems.push('a code fence is never closed');
  return problems;
}

const section = (md: string, heading: string): string[] => {
  const lines = md.split('\n');
  const start = lines.indexOf(heading);
  if (start < 0) return [];
  const end = lines.findIndex((l, i) => i > start && /^#{2,3} /.test(l));
  return lines.slice(start, end < 0 ? undefined : end);
};

// Computed in beforeAll, not while jest collects the tests: code run at collection is outside every test, which
// makes Stryker treat each mutant it reaches as static (run against every test of the area).
describe('every form of the review', () => {
  let full: string;
  let shorter: string[];
  let cut: string;
  beforeAll(() => ({ full, shorter, cut } = forms([input], options)));

  it('has four shorter forms before the cut one (one per step that fits), each shorter than the last', () => {
    expect(shorter).toHaveLength(4);
    expect([full, ...shorter].map((m) => m.length)).toEqual([...[full, ...shorter].map((m) => m.length)].sort((a, b) => b - a));
    expect(cut.length).toBe(shorter[3].length - 1);
  });

  it.each([0, 1, 2, 3, 4])('form %i is well-formed markdown', (i) => {
    expect(markdownProblems([full, ...shorter][i])).toEqual([]);
  });

  it('the checker itself finds what breaks rendering', () => {
    const broken = full.replace('\n\n| Stack | Level', '\nStryker\n| Stack | Level').replace('### 🔴 High\n\n', '### 🔴 High\n');
    expect(markdownProblems(broken)).toEqual(
      expect.arrayContaining([
        expect.stringContaining('table right after text'),
        expect.stringContaining('heading "### 🔴 High" not set off'),
      ]),
    );
    expect(markdownProblems(full.replace('|---|---|---|--:|', '|---|---|--:|'))).toEqual([
      expect.stringContaining('without its delimiter row'),
    ]);
    expect(markdownProblems(`${full}\n`)).toEqual(['paragraphs are not separated by exactly one blank line']);
  });
});

describe('the full review', () => {
  let r: ReturnType<typeof reviewPlans>;
  beforeAll(() => (r = reviewPlans([input], options)));

  it('counts high items of the stacks, the security rules and the stack items, and names the stack-level ones in the summary', () => {
    expect(r.result).toBe('high');
    expect(r.summary.split('\n')).toEqual([
      'Plan review: HIGH — 1 stack(s) reviewed: 3 to create, 1 to update, 0 to replace, 1 to delete; 4 high item(s).',
      '  participant-a: high +3 ~1 -/+0 -1; high 2, review 2',
      '  participant-gone: high: orphaned',
    ]);
  });

  it('high: the stack item with its details, the stack findings with theirs, then the security rules', () => {
    expect(section(r.full, '### 🔴 High')).toEqual([
      '### 🔴 High',
      '',
      '- `participant-gone` · **stack** · orphaned',
      '  restore it',
      '- `participant-a` · **aws_kms_key.old** · **DELETES** `aws_kms_key`',
      '- `participant-a` · **aws_vpc_security_group_ingress_rule.web** · security group rules — **opens ingress to the internet**',
      '  ```diff',
      '  + ingress tcp port 443 from 0.0.0.0/0',
      '  ```',
      '- `participant-a` · **aws_kms_key.k** · security rule S3_TLS_ONLY: no TLS',
      '',
    ]);
  });

  it('environments: every environment, the changed one marked, unchanged ones too', () => {
    expect(section(r.full, '### Environments')).toEqual([
      '### Environments',
      '',
      '| Team | Environment | Class | Airflow | Workers | Schedulers | Webservers | Webserver |',
      '|---|---|---|---|---|---|---|---|',
      '| a | a-dev | mw1.small | 2.10.3 | 1–1 | 2 | —–— | public |',
      '| a | a-prod _(changed)_ | mw1.small | 2.10.3 | 1–2 → **1–3** | 2 | —–— | public |',
      '',
    ]);
  });

  it('cost: each priced line, no price for what the table lacks, subtotals per environment, the stack before and after, the sources', () => {
    // By hand, 100 h a month: environment 1 × $1 = $100; workers above the included one: prod 0–2 × $0.1 = $0–$20
    // (before 0–1: $0–$10), dev none; one database endpoint in 2 AZ × $0.01 = $2. Prod $102–$122, dev $102; after
    // $204–$224, before $204–$214; the new key has no price (and the deleted one had none), the data source is no cost.
    expect(section(r.full, '### Monthly cost estimate')).toEqual([
      '### Monthly cost estimate',
      '',
      // The new key k and the deleted key old have no price: the change is unknown, not $0.00.
      '**Total of the reviewed stacks: ≥ $204.00–$224.00 per month (1 item unpriced)** (workers at configured minimum–maximum), unknown (priced items $0.00; 2 items without a price added, removed or changed) from this change; items without a figure in `tools/plan-review/prices.json` are not in the totals: `npm run prices -- --region r` fills them from the AWS Price List.',
      '',
      '| Stack | Item | Arithmetic | Per month |',
      '|---|---|---|--:|',
      '| `participant-a` | a-prod: mw1.small environment | 1 environment × 100 h × $1 | $100.00 |',
      '| `participant-a` | a-prod: additional workers | 0–2 worker × 100 h × $0.1 | $0.00–$20.00 |',
      '| `participant-a` | a-prod: database endpoint (2 AZ) | 2 endpoint-AZ × 100 h × $0.01 | $2.00 |',
      '| `participant-a` | a-dev: mw1.small environment | 1 environment × 100 h × $1 | $100.00 |',
      '| `participant-a` | a-dev: database endpoint (2 AZ) | 2 endpoint-AZ × 100 h × $0.01 | $2.00 |',
      '| `participant-a` | KMS key k | 1 key × no price | no price (r) |',
      '| `participant-a` | **environment a-prod** | subtotal | **$102.00–$122.00** |',
      '| `participant-a` | **environment a-dev** | subtotal | **$102.00** |',
      '| `participant-a` | **stack total** | before: ≥ $204.00–$214.00 (1 item unpriced) | **≥ $204.00–$224.00 (1 item unpriced)** |',
      '',
      '_Not estimated: data transfer and interface endpoint data processing (per GB); CloudWatch log ingestion and storage; MWAA metadata database storage (per GB-month, depends on usage); S3 storage and requests; KMS requests and rotated key versions; Lambda, EventBridge and SQS requests; EBS volumes of EKS nodes; CodeArtifact storage and requests of the PyPI mirror (per GB-month, per request)._',
      '',
      '<details><summary>Price sources</summary>',
      '',
      '- `list`: <https://example.com/prices> — the list (read 2026-11-30)',
      '- `none`: (no source found) — nothing found (read 2026-11-30)',
      '',
      '</details>',
      '',
    ]);
    expect(r.full).toContain(
      '| `participant-a` | 🔴 high | 3 | 1 | 0 | 1 | 2 | 2 | ≥ $204.00–$224.00 (1 item unpriced) | unknown (priced items $0.00; 2 items without a price added, removed or changed) |',
    );
  });

  it('no address table when every resource is named by its address, no failure section without failures', () => {
    expect(r.full).not.toContain('Terraform addresses');
    expect(r.full).not.toContain('### ❌ Failed');
  });

  it('team files, suppressed findings and capacity as tables', () => {
    expect(section(r.full, '### Team files').slice(0, 7)).toEqual([
      '### Team files',
      '',
      '_From the files themselves (DAGs, requirements, team configuration), not from Terraform._',
      '',
      '| File | Change |',
      '|---|---|',
      '| `teams/a/x.py` | modified (+1 / −1 lines) |',
    ]);
    expect(section(r.full, '### Team files')[7]).toBe('');
    expect(section(r.full, '### Suppressed security findings')).toEqual([
      '### Suppressed security findings',
      '',
      '| Rule | Stack | Resource | Finding | Reason |',
      '|---|---|---|---|---|',
      '| R1 | `participant-a` | `aws_kms_key.k` | m | r |',
      '',
    ]);
  });
});

describe('edges of the rendering', () => {
  const quiet: StackInput = {
    stack: 'participant-a',
    team: 'a',
    plan: planOf(rc('aws_iam_openid_connect_provider.o', ['create'], null, { url: 'u' })),
  };

  it('a review without high items has no High section; one without other changes no count of them', () => {
    const { full, shorter } = forms([quiet], {});
    expect(full).not.toContain('### 🔴 High');
    for (const md of shorter) expect(md).not.toContain('other standard change');
    expect(forms([input], options).shorter[0]).not.toContain('other standard change');
  });

  it("a review exactly at the limit is not shortened; the limit is capped below GitHub's 65,536 characters", () => {
    const full = reviewPlans([input], options).full;
    expect(reviewPlans([input], { ...options, maxMarkdownChars: full.length }).markdown).toBe(full);
    const many = Array.from(
      { length: 800 },
      (_, i): StackInput => ({
        stack: `participant-t${i}`,
        team: `t${i}`,
        plan: planOf(rc('aws_kms_key.old', ['delete'], { description: 'a key with a long description' }, null)),
      }),
    );
    const huge = reviewPlans(many, { maxMarkdownChars: 1_000_000 });
    expect(huge.full.length).toBeGreaterThan(70_000);
    expect(huge.markdown.length).toBe(65_536 - 100);
  });

  it('a line break in a table cell is a space; a failure message is indented under its stack in the summary, trailing space dropped', () => {
    const md = reviewPlans([quiet], {
      suppressed: [
        { rule: 'R1', severity: 'LOW', stack: 'participant-a', resource: 'x.y', message: 'two\nlines', reason: 'because\nof this' },
      ],
    }).full;
    expect(md).toContain('| R1 | `participant-a` | `x.y` | two lines | because of this |');
    const failed = reviewPlans([], { errors: [{ stack: 'owner', stage: 'plan', message: '  Error: boom\n  at line 3 \n\n' }] });
    expect(failed.summary.split('\n').slice(-4)).toEqual([
      'FAILED owner (plan):',
      '      Error: boom',
      '      at line 3',
      'FAILED: no stack was reviewed',
    ]);
  });

  it('a team file diff of exactly the line limit is shown whole; one line more is cut with a count', () => {
    const diffOf = (n: number) => Array.from({ length: n }, (_, i) => `+line ${i}`).join('\n');
    const shown = (n: number) =>
      reviewPlans([quiet], { teamFiles: [{ path: 'teams/a/x.py', status: 'added', added: n, removed: 0, diff: diffOf(n) }] }).full;
    expect(shown(200)).toContain('+line 199\n```');
    expect(shown(200)).not.toContain('more lines');
    expect(shown(201)).toContain('+line 199\n… 1 more lines\n```');
  });
});

describe('each shorter form drops what the one before kept, least important first, and says so', () => {
  let full: string;
  let one: string, two: string, three: string, four: string;
  beforeAll(() => {
    let shorter: string[];
    ({ full, shorter } = forms([input], options));
    [one, two, three, four] = shorter;
  });
  const note = (md: string): string | undefined => md.split('\n').find((l) => l.startsWith('> ✂️'));
  const pointer = 'The full review is in the job summary and the `plan-review` artifact.';

  it('the full review has no note; each shorter one names every part it left out (parts the review lacks are not named)', () => {
    expect(note(full)).toBeUndefined();
    const parts = ['the attribute diffs of standard changes', 'the price sources', 'the cost lines of each stack (totals kept)'];
    expect(note(one)).toBe(`> ✂️ **Shortened to fit a GitHub comment**: this comment leaves out ${parts.join('; ')}. ${pointer}`);
    expect(note(two)).toContain(`${[...parts, 'unchanged environments'].join('; ')}. ${pointer}`);
    expect(note(three)).toContain(
      `unchanged environments; the suppressed findings table (count kept); the diffs of the team files. ${pointer}`,
    );
    expect(note(four)).toContain(`the diffs of the team files; review items (counted per stack) and the diffs of high items. ${pointer}`);
    // Nothing about address tables: this review has none to leave out.
    for (const md of [one, two, three, four]) expect(md).not.toContain('address tables');
  });

  it('1: the resource types of the baseline line, the price sources and the cost lines; the totals, the team file diffs stay', () => {
    expect(full).toContain('- 🟢 standard team baseline: 1 resource(s) created (1 kms_key)');
    expect(one).toContain('- 🟢 standard team baseline: 1 resource(s) created\n');
    expect(full).toContain('<summary>Price sources</summary>');
    expect(one).not.toContain('<summary>Price sources</summary>');
    expect(section(one, '### Monthly cost estimate')).toEqual([
      '### Monthly cost estimate',
      '',
      expect.stringMatching(/^\*\*Total of the reviewed stacks: ≥ \$204\.00–\$224\.00 per month \(1 item unpriced\)\*\*/),
      '',
      expect.stringMatching(/^_Not estimated: /),
      '',
    ]);
    expect(one).toContain('<summary>What changed in the team files</summary>');
    expect(one).toContain('| a | a-dev | mw1.small |');
  });

  it('2: the unchanged environments; the changed one stays', () => {
    expect(section(two, '### Environments')).toEqual([
      '### Environments',
      '',
      '| Team | Environment | Class | Airflow | Workers | Schedulers | Webservers | Webserver |',
      '|---|---|---|---|---|---|---|---|',
      '| a | a-prod _(changed)_ | mw1.small | 2.10.3 | 1–2 → **1–3** | 2 | —–— | public |',
      '',
    ]);
    expect(two).toContain('| R1 | `participant-a` |');
  });

  it('3: the suppressed table (counted) and the team file diffs; the high details and the review items stay', () => {
    expect(three).not.toContain('| R1 | `participant-a` |');
    expect(three).toContain('1 suppressed finding(s), each with its reason in platform.yaml (listed in the full review).');
    expect(two).toContain('<summary>What changed in the team files</summary>');
    expect(three).not.toContain('<summary>What changed in the team files</summary>');
    expect(three).toContain('- `participant-gone` · **stack** · orphaned\n  restore it\n');
    expect(three).toContain('opens ingress to the internet**\n  ```diff\n');
    expect(three).toContain('- 🟡 **aws_iam_openid_connect_provider.o** · create IAM OIDC provider (federated trust for `u`)');
  });

  it('4: the details of high items and the titles of review items, counted instead', () => {
    expect(section(four, '### 🔴 High')).toEqual([
      '### 🔴 High',
      '',
      '- `participant-gone` · **stack** · orphaned',
      '- `participant-a` · **aws_kms_key.old** · **DELETES** `aws_kms_key`',
      '- `participant-a` · **aws_vpc_security_group_ingress_rule.web** · security group rules — **opens ingress to the internet**',
      '- `participant-a` · **aws_kms_key.k** · security rule S3_TLS_ONLY: no TLS',
      '',
    ]);
    expect(section(four, '### 🟡 Review and 🟢 info by stack')).toEqual([
      '### 🟡 Review and 🟢 info by stack',
      '',
      '#### `participant-a` (team `a`)',
      '',
      '- 🟢 **stack** · a note',
      '- 🟡 2 review item(s): IAM, security group rules or environment settings (details in the full review)',
      '- 🟢 standard team baseline: 1 resource(s) created',
      '',
    ]);
  });

  it('the note links the run when the workflow says which one', () => {
    const url = 'https://github.com/acme/platform/actions/runs/42';
    const md = reviewPlans([input], { ...options, fullReviewUrl: url, maxMarkdownChars: one.length + 100 }).markdown;
    expect(note(md)).toContain(`. The full review is in the [job summary](${url}) and its \`plan-review\` artifact.`);
  });

  it('a review diff is cut to its first lines before review diffs go altogether', () => {
    const statements = Array.from({ length: 30 }, (_, i) => ({ Effect: 'Allow', Action: `s3:GetObject${i}`, Resource: '*' }));
    const policyPlan = planOf(
      rc('aws_iam_role_policy.p', ['create'], null, { name: 'p', role: 'r', policy: JSON.stringify({ Statement: statements }) }),
    );
    const r = reviewPlans([{ stack: 'participant-a', team: 'a', plan: policyPlan }], {});
    const cut = reviewPlans([{ stack: 'participant-a', team: 'a', plan: policyPlan }], { maxMarkdownChars: r.full.length - 1 }).markdown;
    expect(note(cut)).toContain('leaves out review diffs beyond their first lines.');
    expect(cut).toContain('+ Allow s3:GetObject11 on *\n  … 18 more line(s) in the full review\n  ```');
    expect(cut).not.toContain('s3:GetObject12 ');
  });

  it('with only unchanged environments, the environment table goes altogether', () => {
    const quiet: StackInput = {
      stack: 'participant-a',
      team: 'a',
      plan: planOf(
        rc('aws_mwaa_environment.dev', ['no-op'], env('a-dev', 1), env('a-dev', 1)),
        rc('aws_iam_openid_connect_provider.o', ['create'], null, { url: 'u' }),
      ),
    };
    const { full: quietFull, shorter } = forms([quiet], { ...options, stackItems: [], findings: [] });
    expect(quietFull).toContain('### Environments');
    expect(shorter[0]).toContain('### Environments');
    expect(shorter[shorter.length - 1]).not.toContain('### Environments');
    for (const md of shorter) expect(markdownProblems(md)).toEqual([]);
  });
});

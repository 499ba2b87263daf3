import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { StackJson } from '../../../tools/rules/types';
import type { PriceTable } from '../../../tools/plan-review/cost';
import {
  GITHUB_COMMENT_LIMIT,
  REVIEW_MARKER,
  reviewPlans,
  type StackInput,
  type TerraformPlanJson,
} from '../../../tools/plan-review/review';

const fixture = (name: string): TerraformPlanJson =>
  JSON.parse(readFileSync(join(__dirname, 'fixtures', `${name}.json`), 'utf8')) as TerraformPlanJson;
const example = <T>(name: string): T => JSON.parse(readFileSync(join(__dirname, 'fixtures', 'example', name), 'utf8')) as T;

const participant = (name: string): StackInput => ({ stack: 'participant-marketing', team: 'marketing', plan: fixture(name) });
const highTitles = (r: ReturnType<typeof reviewPlans>) =>
  r.stacks.flatMap((s) => s.findings.filter((f) => f.level === 'high').map((f) => `${f.address}: ${f.title}`));
const levelOf = (r: ReturnType<typeof reviewPlans>, address: string) =>
  r.stacks[0].findings.filter((f) => f.address === address).map((f) => f.level);

describe('levels on recorded plan JSON', () => {
  it('reports no changes for no-op and read-only plans', () => {
    const r = reviewPlans([participant('no-changes')]);
    expect(r.result).toBe('none');
    expect(r.stacks[0].counts).toEqual({ create: 0, update: 0, replace: 0, delete: 0 });
    expect(r.markdown.startsWith(REVIEW_MARKER)).toBe(true);
    expect(r.markdown).toContain('**Result: ✅ no changes**');
  });

  it('info: ordinary creates and updates, with the changed attributes', () => {
    const r = reviewPlans([participant('tags-only-update')]);
    expect(r.result).toBe('info');
    expect(r.stacks[0].counts).toEqual({ create: 1, update: 1, replace: 0, delete: 0 });
    expect(r.stacks[0].findings).toEqual([]);
    expect(r.markdown).toContain('🟢 INFO');
    expect(r.markdown).toMatch(/🟢 update \*\*aws_s3_bucket\.dags\*\*: `tags: /);
    expect(r.markdown).toContain('standard team baseline: 1 resource(s) created');
  });

  it('high: replacing the MWAA environment and deleting the DAG bucket, with the cause', () => {
    const r = reviewPlans([participant('mwaa-replace')]);
    expect(r.result).toBe('high');
    expect(highTitles(r)).toEqual([
      'aws_mwaa_environment.env: **REPLACES** `aws_mwaa_environment` (forced by `name`)',
      'aws_s3_bucket.dags: **DELETES** `aws_s3_bucket` (delete_because_no_resource_config)',
    ]);
    // High items come right after the summary table.
    expect(r.markdown.indexOf('### 🔴 High')).toBeGreaterThan(r.markdown.indexOf('| Stack |'));
    expect(r.markdown.indexOf('### 🔴 High')).toBeLessThan(r.markdown.indexOf('### Environments'));
  });

  it('high: EKS, RAM and VPC endpoint destruction', () => {
    const r = reviewPlans([{ stack: 'owner', plan: fixture('network-destructive') }]);
    expect(r.stacks[0].counts).toEqual({ create: 0, update: 0, replace: 1, delete: 3 });
    expect(r.stacks[0].findings.filter((f) => f.title.includes('REPLACES') || f.title.includes('DELETES')).map((f) => f.address)).toEqual([
      'aws_eks_cluster.this[0]',
      'aws_ram_resource_share.subnets',
      'aws_ram_principal_association.marketing',
      'aws_vpc_endpoint.ecr_api',
    ]);
    expect(r.markdown).toContain('(forced by `allow_external_principals`)');
  });

  it('review: IAM inside the account, statement by statement, ignoring Sid renames, ordering and formatting', () => {
    const r = reviewPlans([{ ...participant('iam-changes'), accountId: '111111111111' }]);
    expect(r.result).toBe('review');
    const policy = r.stacks[0].findings.find((f) => f.address === 'aws_iam_role_policy.exec')!;
    expect(policy.level).toBe('review');
    expect(policy.title).toContain('(+1 / −0 statements)');
    expect(policy.details).toEqual(['```diff', '+ Allow s3:PutObject on arn:aws:s3:::mwaa-finance-dags/*', '```']);
    const trust = r.stacks[0].findings.find((f) => f.address === 'aws_iam_role.exec')!;
    expect(trust.title).toContain('trust policy (+1 / −1 statements)');
    expect(trust.details.find((l) => l.startsWith('- '))).toContain('when StringEquals aws:SourceAccount=111111111111');
    expect(levelOf(r, 'aws_iam_role_policy_attachment.readonly')).toEqual(['review']);
    // A whitespace / array-vs-scalar rewrite is an update but no permission change: info.
    expect(levelOf(r, 'aws_iam_policy.formatting')).toEqual([]);
    expect(r.stacks[0].info.map((c) => c.address)).toContain('aws_iam_policy.formatting');
  });

  it('review vs high: security group rules; ingress from the internet is high; description-only edits are info', () => {
    const r = reviewPlans([participant('sg-rules')]);
    expect(r.result).toBe('high');
    expect(levelOf(r, 'aws_security_group.mwaa')).toEqual(['high']);
    const world = r.stacks[0].findings.find((f) => f.address === 'aws_security_group.mwaa')!;
    expect(world.title).toContain('opens ingress to the internet');
    expect(world.details).toEqual(['```diff', '+ ingress tcp port 443 from 0.0.0.0/0', '```']);
    expect(levelOf(r, 'aws_vpc_security_group_ingress_rule.endpoint_https')).toEqual(['review']);
    expect(levelOf(r, 'aws_vpc_security_group_egress_rule.desc_only')).toEqual([]);
  });

  it('high: the shared SQS endpoint policy', () => {
    const r = reviewPlans([{ stack: 'owner', plan: fixture('sqs-endpoint-policy') }]);
    expect(r.result).toBe('high');
    const f = r.stacks[0].findings.filter((x) => x.level === 'high');
    expect(f).toHaveLength(1);
    expect(f[0].title).toContain('shared SQS endpoint policy');
    expect(f[0].details.join('\n')).toContain('arn:aws:sqs:eu-west-1:333333333333:airflow-celery-finance');
  });

  it('high: a participant stack touching another team or platform-owned resources', () => {
    const r = reviewPlans([participant('cross-team')]);
    const cross = r.stacks[0].findings.filter((f) => f.title.startsWith('may belong to another team'));
    expect(cross.map((f) => f.address)).toEqual(['aws_s3_bucket.shared', 'aws_cloudwatch_event_target.forward', 'aws_vpc_endpoint.rogue']);
    expect(cross.every((f) => f.level === 'high')).toBe(true);
    expect(cross[0].title).toContain('tag `Team=finance`');
    expect(cross[1].title).toContain('rule `marketingforward` does not carry the team name');
    expect(cross[2].title).toContain('belongs to the platform');
    expect(
      reviewPlans([{ stack: 'owner', plan: fixture('cross-team') }]).stacks[0].findings.filter((f) => f.title.startsWith('may belong')),
    ).toEqual([]);
  });

  it('a dedicated policy resource known only after apply and absent from the configuration is review, and says so', () => {
    const r = reviewPlans([{ stack: 'owner', plan: fixture('resource-policy-unknown') }]);
    expect(r.stacks[0].findings.map((f) => `${f.level} ${f.address}`)).toEqual(['review aws_s3_bucket_policy.dags']);
    expect(r.stacks[0].findings[0].title).toContain('known only after apply, not in the configuration either');
  });
});

describe('levels from synthesized changes', () => {
  const account = '111111111111';
  const stackJson = (resource: Record<string, Record<string, Record<string, unknown>>>): StackJson => ({ resource });
  const review = (before: StackJson | undefined, after: StackJson, extra: Partial<StackInput> = {}) =>
    reviewPlans([
      {
        stack: 'participant-data',
        team: 'data',
        accountId: account,
        platformAccounts: [account, '222222222222'],
        baseConfig: before,
        config: after,
        ...extra,
      },
    ]);
  const role = (trust: object) => stackJson({ aws_iam_role: { r: { name: 'acme-data-x', assume_role_policy: JSON.stringify(trust) } } });
  const trust = (principal: object) => ({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: principal }],
  });

  it('high: trust of an account outside the platform; review: trust of a platform account', () => {
    expect(review(undefined, role(trust({ AWS: 'arn:aws:iam::999999999999:root' }))).stacks[0].findings[0]).toEqual(
      expect.objectContaining({ level: 'high', title: expect.stringContaining('trust of an account outside the platform (999999999999)') }),
    );
    const widened = review(
      role(trust({ AWS: `arn:aws:iam::${account}:root` })),
      role(trust({ AWS: ['arn:aws:iam::222222222222:root', `arn:aws:iam::${account}:root`] })),
    );
    expect(widened.stacks[0].findings[0]).toEqual(
      expect.objectContaining({ level: 'review', title: expect.stringContaining('trust of platform account(s) 222222222222') }),
    );
  });

  it('high: `*` principal, wildcard action, wildcard resource for a write; review: read-only or star-only actions on *', () => {
    const policy = (statement: object) =>
      stackJson({ aws_iam_role_policy: { p: { name: 'x', role: 'acme-data-x', policy: JSON.stringify({ Statement: [statement] }) } } });
    const levelFor = (s: object) => review(undefined, policy(s)).stacks[0].findings[0];
    expect(levelFor({ Effect: 'Allow', Action: 's3:*', Resource: 'arn:aws:s3:::b/*' })).toEqual(
      expect.objectContaining({ level: 'high', title: expect.stringContaining('wildcard action') }),
    );
    expect(levelFor({ Effect: 'Allow', Action: 's3:PutObject', Resource: '*' })).toEqual(
      expect.objectContaining({ level: 'high', title: expect.stringContaining('wildcard resource for s3:PutObject') }),
    );
    expect(levelFor({ Effect: 'Allow', Action: ['logs:DescribeLogGroups', 'cloudwatch:PutMetricData'], Resource: '*' }).level).toBe(
      'review',
    );
    const bucketPolicy = stackJson({
      aws_s3_bucket_policy: {
        p: {
          bucket: 'b',
          policy: JSON.stringify({
            Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' }],
          }),
        },
      },
    });
    expect(review(undefined, bucketPolicy).stacks[0].findings[0]).toEqual(
      expect.objectContaining({ level: 'high', title: expect.stringContaining('`*` principal') }),
    );
    // A key policy giving the own account root everything is the documented default: review, not high.
    const key = stackJson({
      aws_kms_key: {
        k: {
          policy: JSON.stringify({
            Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: 'kms:*', Resource: '*' }],
          }),
        },
      },
    });
    expect(review(undefined, key).stacks[0].findings[0].level).toBe('review');
  });

  it('high: public EKS endpoint and a PUBLIC_ONLY webserver; high for an Airflow version MWAA cannot reach in place', () => {
    const eks = (pub: boolean) =>
      stackJson({
        aws_eks_cluster: { c: { name: 'acme-data', vpc_config: { endpoint_public_access: pub, endpoint_private_access: true } } },
      });
    expect(review(eks(false), eks(true)).stacks[0].findings[0]).toEqual(
      expect.objectContaining({ level: 'high', title: expect.stringContaining('public EKS API endpoint') }),
    );
    expect(review(eks(false), eks(false)).stacks).toHaveLength(1);
    const env = (over: object) =>
      stackJson({
        aws_mwaa_environment: {
          e: {
            name: 'data-prod',
            airflow_version: '2.10.3',
            environment_class: 'mw1.small',
            webserver_access_mode: 'PRIVATE_ONLY',
            min_workers: 1,
            max_workers: 2,
            schedulers: 2,
            ...over,
          },
        },
      });
    const titles = (over: object) => review(env({}), env(over)).stacks[0].findings.map((f) => `${f.level}: ${f.title}`);
    expect(titles({ webserver_access_mode: 'PUBLIC_ONLY' })).toEqual([expect.stringMatching(/^high: \*\*public webserver\*\*/)]);
    // 2.x → 3.x only from 2.11: a new environment; 2.11 → 3.x MWAA does in place but the provider replaces.
    expect(titles({ airflow_version: '3.0.6' })).toEqual([
      expect.stringMatching(/^high: \*\*Airflow 2\.10\.3 → 3\.0\.6: not an in-place change here\*\* — .*only from 2\.11\.x/),
    ]);
    expect(review(env({ airflow_version: '2.11.0' }), env({ airflow_version: '3.0.6' })).stacks[0].findings.map((f) => f.level)).toEqual([
      'high',
    ]);
    expect(titles({ airflow_version: '2.11.0' })).toEqual([
      expect.stringMatching(/^review: Airflow 2\.10\.3 → 2\.11\.0: in-place upgrade/),
    ]);
    expect(titles({ airflow_version: '2.9.2' })).toEqual([
      expect.stringMatching(/^review: Airflow 2\.10\.3 → 2\.9\.2: in-place downgrade/),
    ]);
    expect(titles({ environment_class: 'mw1.medium', max_workers: 5 })).toEqual([
      'review: class/scaling: environment_class mw1.small → mw1.medium, max_workers 2 → 5',
    ]);
    // Renaming the environment replaces it: high, with the attribute that forces it.
    expect(titles({ name: 'data-prod2' })[0]).toBe('high: **REPLACES** `aws_mwaa_environment` (forced by `name`)');
  });

  it('stack-level items (e.g. an orphaned stack) are rendered and decide the result', () => {
    const r = reviewPlans([participant('no-changes')], {
      stackItems: [
        {
          stack: 'participant-gone',
          level: 'high',
          title: 'orphaned stack: state exists, configuration does not',
          details: ['resources: 31'],
        },
      ],
    });
    expect(r.result).toBe('high');
    expect(r.markdown).toContain('- `participant-gone` · **stack** · orphaned stack: state exists, configuration does not');
    expect(r.markdown).toContain('  resources: 31');
  });

  it('unsuppressed security-rule findings are high items in the review', () => {
    const r = reviewPlans([participant('no-changes')], {
      findings: [
        {
          rule: 'CKV_AWS_7',
          checkovId: 'CKV_AWS_7',
          severity: 'MEDIUM',
          stack: 'participant-marketing',
          resource: 'aws_kms_key.k',
          message: 'key rotation is not enabled',
        },
      ],
    });
    expect(r.result).toBe('high');
    expect(r.markdown).toMatch(
      /### 🔴 High\n\n- `participant-marketing` · \*\*aws_kms_key\.k\*\* · security rule CKV_AWS_7: key rotation is not enabled/,
    );
  });
});

describe('the example: recorded offline plan and synthesized configuration of participant-marketing', () => {
  let r: ReturnType<typeof reviewPlans>;
  // beforeEach, not beforeAll: mutation testing attributes what a test's own hooks run to that test (perTest coverage).
  beforeEach(() => {
    const plan = example<TerraformPlanJson>('participant-marketing.plan.json');
    const config = example<StackJson>('participant-marketing.cdk.tf.json');
    const input: StackInput = {
      stack: 'participant-marketing',
      team: 'marketing',
      accountId: '333333333333',
      platformAccounts: ['111111111111', '222222222222', '333333333333'],
      plan,
      config,
    };
    r = reviewPlans([input], { mode: 'offline' });
  });

  it('shows the public webserver as the only high item', () => {
    expect(r.result).toBe('high');
    expect(highTitles(r)).toEqual([expect.stringMatching(/aws_mwaa_environment\..*: \*\*public webserver\*\* \(`PUBLIC_ONLY`\)/)]);
  });

  it('renders the execution role statements from the configuration, references symbolic, named by construct path', () => {
    const exec = r.stacks[0].findings.find(
      (f) => f.name === 'participant-marketing / mwaa / marketing-campaigns / execution-role / policy',
    )!;
    expect(exec.level).toBe('review');
    expect(exec.title).toContain('(+9 / −0 statements)');
    expect(exec.title).toContain('from the synthesized configuration');
    expect(exec.details).toContain('+ Allow s3:GetBucket*, s3:GetObject*, s3:List* on <dag-bucket>.arn, <dag-bucket>.arn/*');
    expect(r.markdown).not.toContain('known after apply; -0');
    // The address is there on demand.
    expect(r.markdown).toContain(
      '| mwaa / marketing-campaigns / execution-role / policy | `aws_iam_role_policy.mwaa_environment-marketing-campaigns_execution-role_policy_0055653C` |',
    );
  });

  it('renders the security group rules as one item, self references as "itself"', () => {
    const sg = r.markdown.split('\n').filter((l) => l.includes('security group rules'));
    expect(sg).toEqual(['- 🟡 **mwaa / security-group** · security group rules']);
    expect(r.markdown).toContain('+ ingress all protocols all ports from itself');
    expect(r.markdown).toContain('+ egress all protocols all ports to itself');
    expect(r.markdown).not.toContain('(none)');
  });

  it('collapses the standard team baseline into one line', () => {
    expect(r.markdown).toMatch(/- 🟢 standard team baseline: \d+ resource\(s\) created \(5 cloudwatch_log_group, /);
  });

  it('has the environment table', () => {
    expect(r.markdown).toContain('| marketing | marketing-campaigns _(new)_ | mw1.small | 2.10.3 | 1–3 | 2 | 2–2 | public |');
  });
});

describe('cost', () => {
  let config: StackJson;
  let analytics: StackJson;
  beforeEach(() => {
    config = example<StackJson>('participant-marketing.cdk.tf.json');
    analytics = example<StackJson>('participant-analytics.cdk.tf.json');
  });
  const p = (usd: number | null) => ({ usd, source: 'test' });
  const prices: PriceTable = {
    hoursPerMonth: 730,
    sources: { test: { url: 'https://example.com/prices', what: 'test figures', readOn: '2026-12-01' } },
    mwaaIncluded: { workers: 1, schedulers: 2, webservers: 2 },
    eksStandardSupportEnd: { '1.32': '2026-03-23' },
    regions: {
      'eu-west-1': {
        mwaaEnvironmentHour: { 'mw1.small': p(0.49), 'mw1.medium': p(null) },
        mwaaWorkerHour: { 'mw1.small': p(0.055) },
        mwaaSchedulerHour: {},
        mwaaWebserverHour: { 'mw1.medium': p(0.1) },
        mwaaMetadataGbMonth: p(null),
        interfaceEndpointAzHour: p(0.01),
        eksClusterHour: p(0.1),
        eksExtendedClusterHour: p(0.6),
        ec2OnDemandHour: { 'm6i.large': p(0.107) },
        kmsKeyMonth: p(1),
      },
    },
  };

  it('prices an environment at its configured minimum and maximum (hand-computed)', () => {
    const r = reviewPlans([{ stack: 'participant-marketing', team: 'marketing', config }], { prices, today: '2026-12-01', mode: 'base' });
    const cost = r.stacks[0].cost!.after;
    // mw1.small: 730 × 0.49 = 357.70; workers 1–3 with one included: 0–2 × 730 × 0.055 = 0–80.30;
    // database endpoint in 2 AZ (public webserver: no webserver endpoint): 2 × 730 × 0.01 = 14.60.
    expect(cost.lines.map((l) => [l.item, l.min, l.max])).toEqual([
      ['marketing-campaigns: mw1.small environment', 357.7, 357.7],
      ['marketing-campaigns: additional workers', 0, 80.3],
      ['marketing-campaigns: database endpoint (2 AZ)', 14.6, 14.6],
    ]);
    expect([cost.min, cost.max]).toEqual([372.3, 452.6]);
    expect(r.markdown).toContain('**Total of the reviewed stacks: $372.30–$452.60 per month**');
    expect(r.markdown).toContain('+$372.30 from this change');
  });

  it('says "no price" for a missing figure, never 0, and prices EKS extended support past the standard window', () => {
    const r = reviewPlans([{ stack: 'participant-analytics', team: 'analytics', config: analytics }], {
      prices,
      today: '2026-12-01',
      mode: 'base',
    });
    const lines = r.stacks[0].cost!.after.lines;
    const line = (item: string) => lines.find((l) => l.item.startsWith(item))!;
    expect(line('analytics-prod: mw1.medium environment')).toEqual(expect.objectContaining({ min: null, max: null }));
    expect(r.markdown).toMatch(/analytics-prod: mw1\.medium environment \| 1 environment × 730 h × no price \| no price \(eu-west-1\)/);
    // Workers 2–10 with one included: 1–9 extra, but the medium worker price is unknown.
    expect(line('analytics-prod: additional workers').min).toBeNull();
    // Webservers 2–3 with two included: 0–1 × 730 × 0.1 = 0–73.
    expect([line('analytics-prod: additional webservers').min, line('analytics-prod: additional webservers').max]).toEqual([0, 73]);
    // Private webserver: database + webserver endpoints, 2 AZ each: 4 × 730 × 0.01 = 29.20, paid by the owner account.
    expect(line('analytics-prod: database + webserver endpoints')).toEqual(expect.objectContaining({ min: 29.2, paidBy: 'owner account' }));
    // EKS 1.32 ended standard support on 2026-03-23: 730 × 0.10 = 73 plus 730 × (0.60 − 0.10) = 365.
    expect(line('EKS cluster').min).toBe(73);
    expect(line('EKS extended support for 1.32').min).toBe(365);
    expect(
      lines.find((l) => l.item.startsWith('EKS extended support')) &&
        reviewPlans([{ stack: 'participant-analytics', config: analytics }], {
          prices,
          today: '2026-03-01',
        }).stacks[0].cost!.after.lines.some((l) => l.item.startsWith('EKS extended')),
    ).toBe(false);
    // Node group 1–3 × m6i.large: 730 × 0.107 = 78.11 to 234.33; two KMS keys at $1.
    expect([line('node group').min, line('node group').max]).toEqual([78.11, 234.33]);
    expect(lines.filter((l) => l.item.startsWith('KMS key')).map((l) => l.min)).toEqual([1, 1]);
    // The medium environment and workers have no eu-west-1 figure: the total is a lower bound, never a bare sum.
    expect(r.markdown).toMatch(/\*\*Total of the reviewed stacks: ≥ \$[\d,.]+–\$[\d,.]+ per month \(2 items unpriced\)\*\*/);
    expect(r.markdown).toContain('`npm run prices -- --region eu-west-1` fills them from the AWS Price List');
  });

  it('a region without prices says so', () => {
    const r = reviewPlans([{ stack: 'participant-marketing', config }], { prices: { ...prices, regions: {} }, today: '2026-12-01' });
    expect(r.stacks[0].cost!.after.lines.every((l) => l.min === null)).toBe(true);
    expect(r.markdown).toContain('**Total of the reviewed stacks: unknown (3 items unpriced)**');
    // Nothing priced before or after: the change is unknown too, not "$0.00 from this change".
    expect(r.markdown).toContain('unknown (priced items $0.00; 3 items without a price added, removed or changed) from this change');
    expect(r.markdown).not.toMatch(/marketing-campaigns: mw1\.small environment \|[^\n]*\| \$0\.00 \|/);
  });

  it('the change delta comes from the base configuration', () => {
    const bigger = JSON.parse(JSON.stringify(config));
    const env = Object.values(bigger.resource.aws_mwaa_environment)[0] as Record<string, unknown>;
    env.min_workers = 3;
    const r = reviewPlans([{ stack: 'participant-marketing', team: 'marketing', baseConfig: config, config: bigger }], {
      prices,
      today: '2026-12-01',
      mode: 'base',
    });
    // Two more minimum workers: 2 × 730 × 0.055 = 80.30 more at the minimum.
    expect(r.markdown).toContain('+$80.30 from this change');
    expect(r.markdown).toContain('| marketing | marketing-campaigns _(changed)_ | mw1.small | 2.10.3 | 1–3 → **3–3** |');
    expect(r.stacks[0].findings.map((f) => f.title)).toEqual(['class/scaling: min_workers 1 → 3']);
  });
});

describe('result and size', () => {
  it('is FAILED with the complete error when a stack fails, and when nothing was reviewed', () => {
    const message =
      'Error: No valid credential sources found\n\n  with provider["registry.terraform.io/hashicorp/aws"],\n  on cdk.tf.json line 40';
    const r = reviewPlans([participant('tags-only-update')], { errors: [{ stack: 'participant-finance', stage: 'plan', message }] });
    expect(r.result).toBe('failed');
    expect(r.markdown).toContain('**Result: ❌ FAILED** — 1 stack(s) failed');
    expect(r.markdown).toContain(['```text', message, '```'].join('\n'));
    expect(r.summary).toContain('on cdk.tf.json line 40');
    const none = reviewPlans([]);
    expect(none.result).toBe('failed');
    expect(none.markdown).toContain('No stack was reviewed');
    // Nothing to review because every stack is unchanged is not a failure.
    expect(reviewPlans([], { unchanged: ['owner'], base: 'main' }).result).toBe('none');
  });

  it('renders suppressed findings, capacity and the unchanged stacks on one line', () => {
    const r = reviewPlans([participant('no-changes')], {
      unchanged: ['owner', 'participant-a'],
      base: 'origin/main',
      suppressed: [
        {
          rule: 'LAMBDA_CONCURRENCY',
          checkovId: 'CKV_AWS_115',
          severity: 'LOW',
          stack: 'owner',
          resource: 'aws_lambda_function.m',
          message: 'no reserved concurrency',
          reason: 'single-writer | by design',
        },
      ],
      capacity: [
        { name: 'Interface endpoints', used: 9, limit: 50 },
        { name: 'Over', used: 3, limit: 2 },
      ],
    });
    expect(r.markdown).toContain('**Unchanged** (configuration identical to `origin/main`, not planned): `owner`, `participant-a`');
    expect(r.markdown).toContain(
      '| LAMBDA_CONCURRENCY (CKV_AWS_115) | `owner` | `aws_lambda_function.m` | no reserved concurrency | single-writer \\| by design |',
    );
    expect(r.markdown).toContain('| Interface endpoints | 9 | 50 | 41 | ✅ 18% used |');
    expect(r.markdown).toContain('| Over | 3 | 2 | -1 | ❌ over limit |');
  });

  it("stays under GitHub's comment limit at any number of teams, high items and summary first; the full review keeps everything", () => {
    const plan = example<TerraformPlanJson>('participant-marketing.plan.json');
    const config = example<StackJson>('participant-marketing.cdk.tf.json');
    const inputs: StackInput[] = Array.from({ length: 40 }, (_, i) => ({
      stack: `participant-t${String(i).padStart(3, '0')}`,
      team: `t${i}`,
      plan,
      config,
    }));
    const r = reviewPlans(inputs, { mode: 'offline', maxMarkdownChars: 65_000 });
    expect(r.markdown.length).toBeLessThan(GITHUB_COMMENT_LIMIT);
    expect(r.full.length).toBeGreaterThan(GITHUB_COMMENT_LIMIT);
    expect(r.markdown.indexOf('| `participant-t000`')).toBeGreaterThan(0);
    expect(r.markdown.indexOf('### 🔴 High')).toBeGreaterThan(r.markdown.indexOf('| Stack |'));
    expect(r.markdown).toContain('public webserver');
    expect(r.full).toContain('+ Allow s3:GetBucket*');
    const small = reviewPlans(inputs.slice(0, 3), { mode: 'offline', maxMarkdownChars: 4000 });
    expect(small.markdown.length).toBeLessThanOrEqual(4000);
    expect(small.markdown).toContain('### 🔴 High');
  });
});

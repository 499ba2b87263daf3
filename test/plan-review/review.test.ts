import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REVIEW_MARKER, reviewPlans, type TerraformPlanJson } from '../../tools/plan-review/review';

const fixture = (name: string): TerraformPlanJson =>
  JSON.parse(readFileSync(join(__dirname, 'fixtures', `${name}.json`), 'utf8')) as TerraformPlanJson;

const participant = (name: string) => ({ stack: 'participant-marketing', team: 'marketing', plan: fixture(name) });

describe('reviewPlans', () => {
  it('reports no changes for no-op and read-only plans', () => {
    const r = reviewPlans([participant('no-changes')]);
    expect(r.risk).toBe('none');
    expect(r.stacks[0].counts).toEqual({ create: 0, update: 0, replace: 0, delete: 0 });
    expect(r.markdown.startsWith(REVIEW_MARKER)).toBe(true);
    expect(r.markdown).toContain('✅ no changes');
    expect(r.markdown).toContain('No changes.');
  });

  it('counts ordinary changes without flagging them', () => {
    const r = reviewPlans([participant('tags-only-update')]);
    expect(r.risk).toBe('changes');
    expect(r.stacks[0].counts).toEqual({ create: 1, update: 1, replace: 0, delete: 0 });
    expect(r.stacks[0].flags).toEqual([]);
    expect(r.markdown).toContain('| `participant-marketing` | 1 | 1 | 0 | 0 | — |');
    expect(r.markdown).toContain('| `~` update | `aws_s3_bucket.dags` |');
    expect(r.markdown).not.toContain('Risk flags');
  });

  it('flags replacement of the MWAA environment and deletion of the DAG bucket', () => {
    const r = reviewPlans([participant('mwaa-replace')]);
    expect(r.risk).toBe('risky');
    expect(r.stacks[0].counts).toEqual({ create: 0, update: 0, replace: 1, delete: 1 });
    const titles = r.stacks[0].flags.map((f) => `${f.kind}:${f.address}`);
    expect(titles).toEqual(['destructive:aws_mwaa_environment.env', 'destructive:aws_s3_bucket.dags']);
    expect(r.markdown).toContain('**REPLACES** `aws_mwaa_environment` `aws_mwaa_environment.env` (forced by `name`)');
    expect(r.markdown).toContain('**DELETES** `aws_s3_bucket` `aws_s3_bucket.dags` (delete_because_no_resource_config)');
    expect(r.markdown).toContain('| `-/+` replace | `aws_mwaa_environment.env` | destructive');
  });

  it('flags EKS, RAM and VPC endpoint destruction', () => {
    const r = reviewPlans([{ stack: 'owner', plan: fixture('network-destructive') }]);
    expect(r.risk).toBe('risky');
    expect(r.stacks[0].counts).toEqual({ create: 0, update: 0, replace: 1, delete: 3 });
    expect(r.stacks[0].flags.filter((f) => f.kind === 'destructive').map((f) => f.address)).toEqual([
      'aws_eks_cluster.this[0]',
      'aws_ram_resource_share.subnets',
      'aws_ram_principal_association.marketing',
      'aws_vpc_endpoint.ecr_api',
    ]);
    expect(r.markdown).toContain('(forced by `allow_external_principals`)');
  });

  it('shows IAM statements added and removed, ignoring Sid renames, ordering and formatting', () => {
    const r = reviewPlans([participant('iam-changes')]);
    expect(r.risk).toBe('risky');
    const iam = r.stacks[0].flags.filter((f) => f.kind === 'iam');
    expect(iam.map((f) => f.address)).toEqual(['aws_iam_role_policy.exec', 'aws_iam_role.exec', 'aws_iam_role_policy_attachment.readonly']);

    const policy = iam[0];
    expect(policy.title).toContain('(+1 / -0 statements)');
    expect(policy.details).toContain('+ {"Effect":"Allow","Action":["s3:PutObject"],"Resource":["arn:aws:s3:::mwaa-finance-dags/*"]}');
    expect(policy.details.join('\n')).not.toContain('s3:GetObject'); // reordered + Sid-renamed statement is unchanged

    const trust = iam[1];
    expect(trust.title).toContain('trust policy of IAM role `aws_iam_role.exec` (+1 / -1 statements)');
    expect(trust.details.find((l) => l.startsWith('- '))).toContain('"aws:SourceAccount":["111111111111"]');
    expect(trust.details.find((l) => l.startsWith('+ '))).not.toContain('Condition');

    expect(iam[2].title).toBe('attaches `arn:aws:iam::aws:policy/ReadOnlyAccess` to role `mwaa-marketing-exec`');
    // The whitespace/array-vs-scalar-only policy rewrite is an update but not an IAM change.
    expect(r.stacks[0].changes.find((c) => c.address === 'aws_iam_policy.formatting')).toEqual({
      address: 'aws_iam_policy.formatting',
      type: 'aws_iam_policy',
      kind: 'update',
      flags: [],
    });
    expect(r.markdown).toContain('```diff');
  });

  it('flags security group rule changes and world-open ingress, but not description-only updates', () => {
    const r = reviewPlans([participant('sg-rules')]);
    expect(r.risk).toBe('risky');
    const sg = r.stacks[0].flags.filter((f) => f.kind === 'security-group');
    expect(sg.map((f) => f.address)).toEqual(['aws_security_group.mwaa', 'aws_vpc_security_group_ingress_rule.endpoint_https']);
    expect(sg[0].title).toContain('opens ingress to the internet');
    expect(sg[0].details).toEqual(['```diff', '+ ingress tcp port 443 from 0.0.0.0/0', '```']);
    expect(sg[1].title).not.toContain('internet');
    expect(sg[1].details).toContain('+ ingress tcp port 443 from sg-0aaa');
    expect(r.stacks[0].changes.find((c) => c.address === 'aws_vpc_security_group_egress_rule.desc_only')?.flags).toEqual([]);
  });

  it('flags SQS endpoint policy changes with the queues added, and ignores other endpoints without policy change', () => {
    const r = reviewPlans([{ stack: 'owner', plan: fixture('sqs-endpoint-policy') }]);
    expect(r.risk).toBe('risky');
    expect(r.stacks[0].flags).toHaveLength(1);
    const f = r.stacks[0].flags[0];
    expect(f.kind).toBe('sqs-endpoint-policy');
    expect(f.title).toContain('(+1 / -0 queue resources)');
    expect(f.details.join('\n')).toContain('arn:aws:sqs:eu-west-1:333333333333:airflow-celery-finance');
    expect(f.details[0]).toMatch(/^Policy size after change: \d+ characters/);
    expect(f.details.join('\n')).toContain('{"Effect":"Allow","Principal":"*","Action":["sqs:*"]');
  });

  it('flags a participant stack touching another team or platform-owned resources', () => {
    const r = reviewPlans([participant('cross-team')]);
    const cross = r.stacks[0].flags.filter((f) => f.kind === 'cross-team');
    expect(cross.map((f) => f.address)).toEqual(['aws_s3_bucket.shared', 'aws_cloudwatch_event_target.forward', 'aws_vpc_endpoint.rogue']);
    expect(cross[0].title).toContain('tag `Team=finance`');
    // Untaggable resource: the name is the fallback, matched as a token, not a substring.
    expect(cross[1].title).toContain('rule `marketingforward` does not carry the team name');
    expect(cross[2].title).toContain('owned by the platform');
    // A resource tagged with the stack's team is owned regardless of its name (platform roles in team accounts).
    expect(cross.map((f) => f.address)).not.toContain('aws_cloudwatch_log_group.ok');
    expect(r.risk).toBe('risky');
  });

  it('does not run cross-team checks for stacks without a team', () => {
    const r = reviewPlans([{ stack: 'owner', plan: fixture('cross-team') }]);
    expect(r.stacks[0].flags.filter((f) => f.kind === 'cross-team')).toEqual([]);
  });

  it('accepts a custom ownership test', () => {
    const r = reviewPlans([participant('cross-team')], { teamOwns: () => true });
    expect(r.stacks[0].flags.filter((f) => f.kind === 'cross-team').map((f) => f.address)).toEqual([
      'aws_s3_bucket.shared', // still tagged Team=finance
      'aws_vpc_endpoint.rogue',
    ]);
  });

  it('combines stacks: owner first, worst risk wins, summary lists each stack', () => {
    const r = reviewPlans([participant('tags-only-update'), { stack: 'owner', plan: fixture('no-changes') }]);
    expect(r.stacks.map((s) => s.stack)).toEqual(['owner', 'participant-marketing']);
    expect(r.risk).toBe('changes');
    expect(r.summary.split('\n')).toEqual([
      'Plan review: CHANGES — 2 stack(s): 1 to create, 1 to update, 0 to replace, 0 to delete; 0 risk flag(s).',
      '  owner: +0 ~0 -/+0 -0',
      '  participant-marketing: +1 ~1 -/+0 -0',
    ]);
  });

  it('renders suppressed findings, capacity headroom, offline notice and plan errors', () => {
    const r = reviewPlans([participant('no-changes')], {
      preview: 'offline',
      suppressed: [
        {
          rule: 'LAMBDA_CONCURRENCY',
          checkovId: 'CKV_AWS_115',
          severity: 'LOW',
          stack: 'owner',
          resource: 'aws_lambda_function.endpoint_manager',
          message: 'no reserved concurrency',
          reason: 'single-writer | by design',
        },
      ],
      capacity: [
        { name: 'Interface endpoints', used: 9, limit: 50 },
        { name: 'SQS endpoint policy', used: 18_000, limit: 20_480, unit: 'chars', note: 'worst case' },
        { name: 'Over', used: 3, limit: 2 },
      ],
      errors: [{ stack: 'participant-finance', message: 'Error: No valid credential sources found\nmore' }],
    });
    expect(r.markdown).toContain('Offline preview');
    expect(r.markdown).toContain('| LAMBDA_CONCURRENCY (CKV_AWS_115) | `owner` | `aws_lambda_function.endpoint_manager` | no reserved concurrency | single-writer \\| by design |');
    expect(r.markdown).toContain('| Interface endpoints | 9 | 50 | 41 | ✅ 18% used |');
    expect(r.markdown).toContain('| SQS endpoint policy — worst case | 18000 chars | 20480 chars | 2480 chars | ⚠️ 88% used |');
    expect(r.markdown).toContain('| Over | 3 | 2 | -1 | ❌ over limit |');
    expect(r.markdown).toContain('participant-finance failed to plan');
    expect(r.summary).toContain('Suppressed security findings: 1');
    expect(r.summary).toContain('ERROR planning participant-finance: Error: No valid credential sources found');
  });

  it('says so when nothing is suppressed or measured', () => {
    const r = reviewPlans([participant('no-changes')]);
    expect(r.markdown).toMatch(/### Suppressed security findings\n\nNone\./);
    expect(r.markdown).toMatch(/### Capacity headroom\n\nNo capacity figures were provided\./);
  });

  it('keeps the comment under the size limit by dropping details first', () => {
    const full = reviewPlans([participant('iam-changes')]);
    const small = reviewPlans([participant('iam-changes')], { maxMarkdownChars: full.markdown.length - 1 });
    expect(small.markdown.length).toBeLessThan(full.markdown.length);
    expect(small.markdown).not.toContain('```diff');
    expect(small.markdown).toContain('Risk flags');
    const tiny = reviewPlans([participant('iam-changes')], { maxMarkdownChars: 400 });
    expect(tiny.markdown.length).toBeLessThanOrEqual(400);
    expect(tiny.markdown).toContain('Truncated');
  });
});

describe('resource policies known only after apply', () => {
  it('ignores the computed default policy of a new endpoint but flags a new dedicated policy resource', () => {
    const r = reviewPlans([{ stack: 'owner', plan: fixture('resource-policy-unknown') }]);
    expect(r.stacks[0].flags.map((f) => f.address)).toEqual(['aws_s3_bucket_policy.dags']);
    expect(r.stacks[0].flags[0].title).toContain('(policy known after apply; -0 statements)');
    expect(r.stacks[0].flags[0].details).toEqual(['_new policy is known only after apply_']);
  });
});

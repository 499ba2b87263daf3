import { rules, runRules, suppressionMatches, validateSuppressions } from '../../../tools/rules';
import { buildContext } from '../../../tools/rules/context';
import { CASES_BY_SERVICE } from './checks';
import { stack } from './harness';

describe('rule list', () => {
  it('has at least 20 rules with unique ids and applicable types', () => {
    expect(rules.length).toBeGreaterThanOrEqual(20);
    expect(new Set(rules.map((r) => r.id)).size).toBe(rules.length);
    for (const r of rules) expect(r.appliesTo.length).toBeGreaterThan(0);
  });

  it('gives every rule at least one compliant and one non-compliant case', () => {
    const all = Object.values(CASES_BY_SERVICE).flat();
    const missing = rules
      .map((r) => r.id)
      .filter((id) => !all.some((c) => c.rule === id && c.compliant.length > 0 && c.noncompliant.length > 0));
    expect(missing).toEqual([]);
  });
});

const openStack = stack({
  aws_kms_key: {
    dags_key: { description: 'dags', '//': { metadata: { path: 'participant-marketing/dags/key', uniqueId: 'dags_key' } } },
    other_key: { description: 'other' },
  },
  aws_sqs_queue: { dlq: { name: 'dlq', sqs_managed_sse_enabled: true } },
});

describe('runRules', () => {
  it('returns findings with rule, Checkov id, severity, stack, address and construct path', () => {
    const { findings, suppressed } = runRules(openStack, { stack: 'participant-marketing' });
    expect(suppressed).toEqual([]);
    expect(findings).toContainEqual({
      rule: 'CKV_AWS_7',
      checkovId: 'CKV_AWS_7',
      severity: 'MEDIUM',
      stack: 'participant-marketing',
      resource: 'aws_kms_key.dags_key',
      path: 'participant-marketing/dags/key',
      message: 'enable_key_rotation is not true',
    });
    expect(findings.filter((f) => f.resource === 'aws_sqs_queue.dlq')).toEqual([]);
  });

  it('moves suppressed findings aside, keeping the reason', () => {
    const { findings, suppressed } = runRules(openStack, {
      stack: 'participant-marketing',
      suppressions: [
        { rule: 'CKV_AWS_7', stack: 'participant-marketing', resource: 'participant-marketing/dags/key', reason: 'rotated by hand' },
      ],
    });
    expect(suppressed).toEqual([
      expect.objectContaining({ rule: 'CKV_AWS_7', resource: 'aws_kms_key.dags_key', reason: 'rotated by hand' }),
    ]);
    expect(findings.map((f) => f.resource)).toEqual(['aws_kms_key.other_key']);
  });

  it('does not apply a suppression scoped to another stack', () => {
    const { findings, suppressed } = runRules(openStack, {
      stack: 'participant-marketing',
      suppressions: [{ rule: 'CKV_AWS_7', stack: 'participant-finance', resource: '*', reason: 'x' }],
    });
    expect(suppressed).toEqual([]);
    expect(findings).toHaveLength(2);
  });

  it('rejects suppressions without a reason', () => {
    expect(() => runRules(openStack, { stack: 's', suppressions: [{ rule: 'CKV_AWS_7', resource: '*', reason: '  ' }] })).toThrow(
      /non-empty reason/,
    );
    expect(() => validateSuppressions([{ rule: 'CKV_AWS_7', resource: 'aws_kms_key.k', reason: 'ok' }])).not.toThrow();
  });

  it('matches suppressions by rule id or Checkov id and by address, path or glob', () => {
    const f = {
      rule: 'CKV_AWS_7',
      checkovId: 'CKV_AWS_7',
      severity: 'MEDIUM',
      stack: 'owner',
      resource: 'aws_kms_key.k_1A2B',
      path: 'owner/kms/key',
      message: 'm',
    } as const;
    expect(suppressionMatches({ rule: 'CKV_AWS_7', resource: 'aws_kms_key.k_1A2B', reason: 'r' }, f)).toBe(true);
    expect(suppressionMatches({ rule: 'CKV_AWS_7', resource: 'aws_kms_key.k_*', reason: 'r' }, f)).toBe(true);
    expect(suppressionMatches({ rule: 'CKV_AWS_7', resource: 'owner/kms/*', stack: 'own*', reason: 'r' }, f)).toBe(true);
    expect(suppressionMatches({ rule: 'CKV_AWS_8', resource: '*', reason: 'r' }, f)).toBe(false);
    expect(suppressionMatches({ rule: 'CKV_AWS_7', resource: 'aws_kms_key.k', reason: 'r' }, f)).toBe(false);
  });
});

describe('rule context', () => {
  const s = stack(
    {
      aws_s3_bucket: { b: { bucket: 'x' } },
      aws_s3_bucket_versioning: { v: { bucket: '${aws_s3_bucket.b.id}' }, w: { bucket: '${aws_s3_bucket.other.id}' } },
      aws_iam_policy: { p: { policy: '${data.aws_iam_policy_document.d.json}' }, q: { policy: '${aws_iam_policy.p.policy}' } },
    },
    { aws_iam_policy_document: { d: { statement: [{ actions: ['s3:GetObject'], resources: ['*'] }] } } },
  );
  const { ctx } = buildContext(s, 'test');

  it('resolves references to resources and data sources', () => {
    expect(ctx.resolve('${aws_s3_bucket.b.arn}/*')?.address).toBe('aws_s3_bucket.b');
    expect(ctx.resolve('${data.aws_iam_policy_document.d.json}')?.address).toBe('data.aws_iam_policy_document.d');
    expect(ctx.resolve('${aws_s3_bucket.missing.id}')).toBeUndefined();
    expect(ctx.resolve('literal')).toBeUndefined();
  });

  it('finds resources that reference a target', () => {
    const bucket = ctx.resources('aws_s3_bucket')[0];
    expect(ctx.referencing('aws_s3_bucket_versioning', 'bucket', bucket).map((r) => r.address)).toEqual(['aws_s3_bucket_versioning.v']);
  });

  it('reads policies from JSON text and policy documents, and reports the rest as unresolved', () => {
    expect(ctx.policy('${data.aws_iam_policy_document.d.json}')).toEqual({
      statements: [expect.objectContaining({ effect: 'Allow', actions: ['s3:GetObject'], resources: ['*'] })],
    });
    expect(ctx.policy('${aws_iam_policy.p.policy}')).toBe('unresolved');
    expect(ctx.policy('${jsonencode({})}')).toBe('unresolved');
    expect(ctx.policy(undefined)).toBeUndefined();
    expect(ctx.policy('{"Statement":{"Effect":"Deny","Action":"*","Resource":"${aws_s3_bucket.b.arn}"}}')).toEqual({
      statements: [expect.objectContaining({ effect: 'Deny', actions: ['*'], resources: ['${aws_s3_bucket.b.arn}'] })],
    });
  });
});

/** The stack index every rule reads through (tools/rules/context.ts): blocks, references, correlation, policies. */
import { blocksOf, buildContext, DEFAULT_SETTINGS, refersTo } from '../../../tools/rules/context';
import { runRules, rules } from '../../../tools/rules';
import { stack } from './harness';

const pabRule = rules.find((r) => r.id === 'CKV2_AWS_6')!;
const flagged = (json: ReturnType<typeof stack>, rule = pabRule) =>
  runRules(json, { stack: 'test', rules: [rule] }).findings.map((f) => f.resource);
const PAB_FLAGS = { block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true };

describe('blocksOf', () => {
  it('lists managed and data blocks with their addresses and construct paths', () => {
    const blocks = blocksOf(
      stack(
        { aws_s3_bucket: { dags: { bucket: 'b', '//': { metadata: { path: 'participant-x/dags/bucket' } } }, logs: { bucket: 'l' } } },
        { aws_iam_policy_document: { doc: { statement: [] } } },
      ),
    );
    expect(blocks.map((b) => [b.mode, b.type, b.name, b.address, b.path])).toEqual([
      ['managed', 'aws_s3_bucket', 'dags', 'aws_s3_bucket.dags', 'participant-x/dags/bucket'],
      ['managed', 'aws_s3_bucket', 'logs', 'aws_s3_bucket.logs', undefined],
      ['data', 'aws_iam_policy_document', 'doc', 'data.aws_iam_policy_document.doc', undefined],
    ]);
    expect(blocks[1]).not.toHaveProperty('path');
  });

  it('takes a stack without resource or data sections', () => {
    expect(blocksOf({})).toEqual([]);
  });
});

describe('refersTo', () => {
  const target = blocksOf(stack({ aws_s3_bucket: { dags: {} } }))[0]!;
  it.each([
    ['${aws_s3_bucket.dags.id}', true],
    ['${aws_s3_bucket.dags}', true],
    ['${aws_s3_bucket.dags[0].id}', true],
    ['prefix-${aws_s3_bucket.dags.arn}/*', true],
    ['${aws_s3_bucket.dags_other.id}', false],
    ['${aws_s3_bucket.dagsx}', false],
    ['aws_s3_bucket.dags.id', false],
    ['aws_s3_bucket.dags}', false],
    ['aws_s3_bucket.dags[0].id', false],
    ['${data.aws_s3_bucket.dags.id}', false],
  ])('%s → %s', (value, expected) => {
    expect(refersTo(value, target)).toBe(expected);
  });

  it('is false for anything but a string', () => {
    expect(refersTo(['${aws_s3_bucket.dags.id}'], target)).toBe(false);
    expect(refersTo(undefined, target)).toBe(false);
  });
});

describe('one bucket’s public access block never satisfies the rule for another bucket', () => {
  const buckets = { aws_s3_bucket: { dags: { bucket: 'mwaa-dags' }, logs: { bucket: 'mwaa-logs' } } };

  it('by reference: only the referenced bucket passes', () => {
    expect(
      flagged(stack({ ...buckets, aws_s3_bucket_public_access_block: { dags: { bucket: '${aws_s3_bucket.dags.id}', ...PAB_FLAGS } } })),
    ).toEqual(['aws_s3_bucket.logs']);
  });

  it('by a reference to a bucket whose name starts like this one', () => {
    const json = stack({
      aws_s3_bucket: { dags: { bucket: 'mwaa-dags' }, dags_old: { bucket: 'mwaa-dags-old' } },
      aws_s3_bucket_public_access_block: { old: { bucket: '${aws_s3_bucket.dags_old.id}', ...PAB_FLAGS } },
    });
    expect(flagged(json)).toEqual(['aws_s3_bucket.dags']);
  });

  it('by literal name: only the bucket of that name passes', () => {
    expect(flagged(stack({ ...buckets, aws_s3_bucket_public_access_block: { p: { bucket: 'mwaa-logs', ...PAB_FLAGS } } }))).toEqual([
      'aws_s3_bucket.dags',
    ]);
  });

  it('an unresolved expression equal on both sides is not a correlation (rules do not guess)', () => {
    const json = stack({
      aws_s3_bucket: { dags: { bucket: '${var.bucket_name}' } },
      aws_s3_bucket_public_access_block: { p: { bucket: '${var.bucket_name}', ...PAB_FLAGS } },
    });
    expect(flagged(json)).toEqual(['aws_s3_bucket.dags']);
  });

  it('a bucket without a name is not correlated with a block without one', () => {
    const json = stack({ aws_s3_bucket: { dags: {} }, aws_s3_bucket_public_access_block: { p: { ...PAB_FLAGS } } });
    expect(flagged(json)).toEqual(['aws_s3_bucket.dags']);
  });

  it('a data source of the same type is not a public access block of the stack', () => {
    const json = stack(buckets, { aws_s3_bucket_public_access_block: { p: { bucket: '${aws_s3_bucket.dags.id}', ...PAB_FLAGS } } });
    expect(flagged(json)).toEqual(['aws_s3_bucket.dags', 'aws_s3_bucket.logs']);
  });

  it('an account-level block counts only with every flag on', () => {
    for (const off of Object.keys(PAB_FLAGS)) {
      const json = stack({ ...buckets, aws_s3_account_public_access_block: { acct: { ...PAB_FLAGS, [off]: false } } });
      expect(flagged(json)).toEqual(['aws_s3_bucket.dags', 'aws_s3_bucket.logs']);
    }
    expect(
      flagged(stack({ ...buckets, aws_s3_account_public_access_block: { acct: { ...PAB_FLAGS, block_public_acls: 'true' } } })),
    ).toEqual([]);
  });
});

describe('buildContext', () => {
  const json = stack(
    {
      aws_s3_bucket: { dags: { bucket: 'mwaa-dags' } },
      aws_s3_bucket_policy: {
        inline: {
          bucket: '${aws_s3_bucket.dags.id}',
          policy: '{"Statement":[{"Effect":"Deny","Action":"s3:*","Resource":"*","Principal":"*"}]}',
        },
        viaDoc: { bucket: '${aws_s3_bucket.dags.id}', policy: '${data.aws_iam_policy_document.doc.json}' },
        viaResource: { bucket: '${aws_s3_bucket.dags.id}', policy: '${aws_iam_policy.p.policy}' },
      },
      aws_iam_policy: { p: { policy: '{}' } },
    },
    { aws_iam_policy_document: { doc: { statement: [{ effect: 'Allow', actions: ['s3:GetObject'], resources: ['*'] }] } } },
  );
  const { ctx, blocks } = buildContext(json, 'participant-x');

  it('carries the stack name and, by default, the secure settings', () => {
    expect(ctx.stack).toBe('participant-x');
    expect(ctx.settings).toEqual({ allowPublicWebserver: false });
    expect(DEFAULT_SETTINGS.allowPublicWebserver).toBe(false);
    expect(buildContext(json, 's', { allowPublicWebserver: true }).ctx.settings.allowPublicWebserver).toBe(true);
    expect(blocks).toHaveLength(6);
  });

  it('lists managed resources by type, never data sources, and nothing for an absent type', () => {
    expect(ctx.resources('aws_s3_bucket_policy').map((b) => b.name)).toEqual(['inline', 'viaDoc', 'viaResource']);
    expect(ctx.resources('aws_iam_policy_document')).toEqual([]);
    expect(ctx.resources('aws_instance')).toEqual([]);
  });

  it('resolves references to managed and data blocks, nothing else', () => {
    expect(ctx.resolve('${aws_s3_bucket.dags.id}')?.address).toBe('aws_s3_bucket.dags');
    expect(ctx.resolve('${data.aws_iam_policy_document.doc.json}')?.address).toBe('data.aws_iam_policy_document.doc');
    expect(ctx.resolve('${aws_s3_bucket.dags[0].arn}')?.address).toBe('aws_s3_bucket.dags');
    expect(ctx.resolve('${aws_s3_bucket.missing.id}')).toBeUndefined();
    expect(ctx.resolve('aws_s3_bucket.dags')).toBeUndefined();
    expect(ctx.resolve(42)).toBeUndefined();
    expect(ctx.resolve(['${aws_s3_bucket.dags.id}'])).toBeUndefined();
  });

  it('finds the resources of a type that reference a block', () => {
    const bucket = blocks.find((b) => b.address === 'aws_s3_bucket.dags')!;
    expect(ctx.referencing('aws_s3_bucket_policy', 'bucket', bucket).map((b) => b.name)).toEqual(['inline', 'viaDoc', 'viaResource']);
    expect(ctx.referencing('aws_s3_bucket_public_access_block', 'bucket', bucket)).toEqual([]);
  });

  it('reads a policy from JSON text or a policy document data source; an unresolvable one is "unresolved"', () => {
    const [inline, viaDoc, viaResource] = ctx.resources('aws_s3_bucket_policy');
    expect(ctx.policy(inline!.props.policy)).toEqual({
      statements: [
        expect.objectContaining({ effect: 'Deny', actions: ['s3:*'], resources: ['*'], principals: [{ type: '*', identifiers: ['*'] }] }),
      ],
    });
    expect(ctx.policy(viaDoc!.props.policy)).toEqual({
      statements: [expect.objectContaining({ effect: 'Allow', actions: ['s3:GetObject'] })],
    });
    expect(ctx.policy(' ${data.aws_iam_policy_document.doc.json}\n')).toEqual(ctx.policy(viaDoc!.props.policy));
    expect(ctx.policy(viaResource!.props.policy)).toBe('unresolved');
    expect(ctx.policy('${data.aws_iam_policy_document.missing.json}')).toBe('unresolved');
    expect(ctx.policy('${jsonencode(local.p)}')).toBe('unresolved');
    expect(ctx.policy('not json')).toBe('unresolved');
    expect(ctx.policy({ Statement: [{ Effect: 'Allow', Action: 'sqs:*' }] })).toEqual({
      statements: [expect.objectContaining({ actions: ['sqs:*'] })],
    });
  });

  it('only a whole-value reference to a policy document data source is read through it', () => {
    expect(ctx.policy('prefix ${data.aws_iam_policy_document.doc.json}')).toBe('unresolved');
    expect(ctx.policy('${data.aws_iam_policy_document.doc.json} suffix')).toBe('unresolved');
    const managedLookalike = buildContext(stack({ aws_iam_policy_document: { fake: { statement: [{ actions: ['s3:*'] }] } } }), 's').ctx;
    expect(managedLookalike.policy('${aws_iam_policy_document.fake.json}')).toBe('unresolved');
  });

  it('an absent policy is none, not unresolved', () => {
    expect(ctx.policy(undefined)).toBeUndefined();
    expect(ctx.policy(null)).toBeUndefined();
    expect(ctx.policy('')).toBeUndefined();
  });

  it('JSON text that embeds an expression is parsed as JSON, not taken for a reference', () => {
    const text = '{"Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"${aws_s3_bucket.dags.arn}/*"}]}';
    expect(ctx.policy(`  ${text}  `)).toEqual({ statements: [expect.objectContaining({ resources: ['${aws_s3_bucket.dags.arn}/*'] })] });
  });
});

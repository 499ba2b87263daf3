/** Reading cdktf JSON props (tools/rules/helpers.ts), and what the rules report through them. */
import {
  first,
  identityPolicies,
  IDENTITY_POLICY_TYPES,
  isFalse,
  isToken,
  isTrue,
  nested,
  stmtLabel,
  strings,
} from '../../../tools/rules/helpers';
import { buildContext } from '../../../tools/rules/context';
import { rules, runRules } from '../../../tools/rules';
import { stack } from './harness';

describe('prop readers', () => {
  it('nested: a block synthesized as an object or a list is a list of objects', () => {
    expect(nested({ a: 1 })).toEqual([{ a: 1 }]);
    expect(nested([{ a: 1 }, null, 'x', { b: 2 }])).toEqual([{ a: 1 }, { b: 2 }]);
    expect(nested(undefined)).toEqual([]);
    expect(nested(null)).toEqual([]);
    expect(nested('x')).toEqual([]);
    expect(first([{ a: 1 }, { b: 2 }])).toEqual({ a: 1 });
    expect(first(undefined)).toBeUndefined();
  });

  it('booleans may be strings; anything else is neither true nor false', () => {
    expect([true, 'true', false, 'false', 'TRUE', 1, undefined].map(isTrue)).toEqual([true, true, false, false, false, false, false]);
    expect([true, 'true', false, 'false', 'FALSE', 0, undefined].map(isFalse)).toEqual([false, false, true, true, false, false, false]);
  });

  it('a token is a string holding an expression', () => {
    expect(isToken('${var.x}')).toBe(true);
    expect(isToken('prefix-${aws_s3_bucket.b.id}')).toBe(true);
    expect(isToken('$notatoken')).toBe(false);
    expect(isToken(['${var.x}'])).toBe(false);
  });

  it('strings: a value or a list as strings; nothing for an absent value', () => {
    expect(strings('a')).toEqual(['a']);
    expect(strings(['a', 1, true])).toEqual(['a', '1', 'true']);
    expect(strings(undefined)).toEqual([]);
    expect(strings(null)).toEqual([]);
    expect(strings(0)).toEqual(['0']);
  });

  it('statements are named by Sid, else by position from 1', () => {
    const s = {
      effect: 'Allow' as const,
      actions: undefined,
      notActions: undefined,
      resources: undefined,
      notResources: undefined,
      principals: undefined,
      notPrincipals: undefined,
      conditions: [],
    };
    expect(stmtLabel({ ...s, sid: 'ReadDags' }, 0)).toBe('statement "ReadDags"');
    expect(stmtLabel(s, 0)).toBe('statement #1');
    expect(stmtLabel(s, 2)).toBe('statement #3');
  });
});

describe('identityPolicies', () => {
  const write = JSON.stringify({ Statement: [{ Effect: 'Allow', Action: 's3:PutObject', Resource: '*' }] });
  const json = stack({
    aws_iam_role: {
      r: {
        inline_policy: [{ name: 'writer', policy: write }, { policy: write }, { name: 'later', policy: '${aws_iam_policy.p.policy}' }],
        policy: write,
      },
    },
    aws_iam_role_policy: { rp: { policy: write } },
    aws_iam_policy: { p: { policy: '' } },
  });
  const { ctx, blocks } = buildContext(json, 'test');
  const block = (address: string) => blocks.find((b) => b.address === address)!;

  it('a role: its inline policies, labelled by name; unresolved ones are skipped; never a role-level `policy`', () => {
    expect(identityPolicies(block('aws_iam_role.r'), ctx).map((p) => p.label)).toEqual(['inline policy writer', 'inline policy']);
  });

  it('other policy types: their `policy`; an empty one is none', () => {
    expect(identityPolicies(block('aws_iam_role_policy.rp'), ctx)).toEqual([
      { label: 'policy', doc: { statements: [expect.objectContaining({ actions: ['s3:PutObject'] })] } },
    ]);
    expect(identityPolicies(block('aws_iam_policy.p'), ctx)).toEqual([]);
  });

  it('covers every identity policy type, so the wildcard-write rule reports each', () => {
    expect([...IDENTITY_POLICY_TYPES].sort()).toEqual([
      'aws_iam_group_policy',
      'aws_iam_policy',
      'aws_iam_role',
      'aws_iam_role_policy',
      'aws_iam_user_policy',
    ]);
    const rule = rules.find((r) => r.id === 'CKV_AWS_355')!;
    const all = stack(
      Object.fromEntries(IDENTITY_POLICY_TYPES.filter((t) => t !== 'aws_iam_role').map((t) => [t, { x: { policy: write } }])),
    );
    expect(
      runRules(all, { stack: 'test', rules: [rule] })
        .findings.map((f) => f.resource)
        .sort(),
    ).toEqual(['aws_iam_group_policy.x', 'aws_iam_policy.x', 'aws_iam_role_policy.x', 'aws_iam_user_policy.x']);
    const messages = runRules(json, { stack: 'test', rules: [rule] })
      .findings.filter((f) => f.resource === 'aws_iam_role.r')
      .map((f) => f.message);
    expect(messages).toEqual([
      'inline policy writer statement #1 allows s3:PutObject on Resource "*"',
      'inline policy statement #1 allows s3:PutObject on Resource "*"',
    ]);
  });
});

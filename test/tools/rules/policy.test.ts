/** IAM policy normalization (tools/rules/policy.ts): JSON text and policy-document blocks become one statement shape. */
import fc from 'fast-check';
import {
  canonicalStatement,
  diffStatements,
  hasSourceCondition,
  isWildcardPrincipal,
  parsePolicyJson,
  policyFromDocumentData,
} from '../../../tools/rules/policy';
import type { NormalizedStatement } from '../../../tools/rules/types';

const one = (statement: Record<string, unknown>) => parsePolicyJson({ Statement: statement })!.statements[0]!;
const base: NormalizedStatement = {
  effect: 'Allow',
  actions: ['s3:GetObject'],
  notActions: undefined,
  resources: ['*'],
  notResources: undefined,
  principals: undefined,
  notPrincipals: undefined,
  conditions: [],
};

describe('parsePolicyJson', () => {
  it('normalizes every field: lists sorted, strings as one-element lists, principals by type', () => {
    const text = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'S1',
          Effect: 'Deny',
          Action: ['s3:PutObject', 's3:GetObject'],
          NotAction: 'iam:*',
          Resource: 'arn:aws:s3:::b/*',
          NotResource: ['arn:aws:s3:::b/private', 'arn:aws:s3:::b/a'],
          Principal: { Service: 'airflow.amazonaws.com', AWS: ['arn:aws:iam::2:root', 'arn:aws:iam::1:root'] },
          NotPrincipal: 'arn:aws:iam::3:root',
          Condition: {
            StringEquals: { 'aws:SourceAccount': '111111111111', 'aws:SourceArn': ['b', 'a'] },
            Bool: { 'aws:SecureTransport': false },
          },
        },
      ],
    });
    expect(parsePolicyJson(text)).toEqual({
      statements: [
        {
          sid: 'S1',
          effect: 'Deny',
          actions: ['s3:GetObject', 's3:PutObject'],
          notActions: ['iam:*'],
          resources: ['arn:aws:s3:::b/*'],
          notResources: ['arn:aws:s3:::b/a', 'arn:aws:s3:::b/private'],
          principals: [
            { type: 'AWS', identifiers: ['arn:aws:iam::1:root', 'arn:aws:iam::2:root'] },
            { type: 'Service', identifiers: ['airflow.amazonaws.com'] },
          ],
          notPrincipals: [{ type: 'AWS', identifiers: ['arn:aws:iam::3:root'] }],
          conditions: [
            { test: 'Bool', variable: 'aws:SecureTransport', values: ['false'] },
            { test: 'StringEquals', variable: 'aws:SourceAccount', values: ['111111111111'] },
            { test: 'StringEquals', variable: 'aws:SourceArn', values: ['a', 'b'] },
          ],
        },
      ],
    });
  });

  it('a statement without Sid has none; any Effect but Deny allows; "*" is the wildcard principal', () => {
    const s = one({ Effect: 'allow', Action: 's3:*', Principal: '*' });
    expect(s).not.toHaveProperty('sid');
    expect(s.effect).toBe('Allow');
    expect(one({ Effect: 'Deny' }).effect).toBe('Deny');
    expect(s.principals).toEqual([{ type: '*', identifiers: ['*'] }]);
    expect(s.notPrincipals).toBeUndefined();
    expect(s.resources).toBeUndefined();
    expect(s.conditions).toEqual([]);
    expect(one({ Principal: { AWS: '*' } }).principals).toEqual([{ type: 'AWS', identifiers: ['*'] }]);
    expect(one({ Sid: 7 }).sid).toBe('7');
  });

  it('a single Statement object counts as a list of one; non-object statements are skipped', () => {
    expect(parsePolicyJson('{"Statement":{"Effect":"Allow","Action":"s3:GetObject"}}')!.statements).toHaveLength(1);
    expect(parsePolicyJson({ Statement: [null, 'x', { Effect: 'Deny' }] })!.statements.map((s) => s.effect)).toEqual(['Deny']);
  });

  it('conditions that are not objects are ignored', () => {
    expect(one({ Condition: 'x' }).conditions).toEqual([]);
    expect(one({ Condition: { StringEquals: 'x', Bool: { 'aws:SecureTransport': 'true' } } }).conditions).toEqual([
      { test: 'Bool', variable: 'aws:SecureTransport', values: ['true'] },
    ]);
  });

  it('JSON null for a principal, a condition or a list is absent, not the text "null"', () => {
    const s = one({ Effect: 'Allow', Action: 's3:GetObject', Resource: null, Principal: null, NotPrincipal: null, Condition: null });
    expect(s).toEqual({ ...base, resources: undefined });
    expect(canonicalStatement(s)).toBe('{"Effect":"Allow","Action":["s3:GetObject"]}');
  });

  it('a principal without identifiers and a condition without values have empty lists', () => {
    const s = one({ Principal: { AWS: null }, Condition: { StringEquals: { 'aws:SourceAccount': null } } });
    expect(s.principals).toEqual([{ type: 'AWS', identifiers: [] }]);
    expect(s.conditions).toEqual([{ test: 'StringEquals', variable: 'aws:SourceAccount', values: [] }]);
  });

  it('is undefined for what is not a policy: not JSON, not an object, no Statement', () => {
    expect(parsePolicyJson('${jsonencode(local.policy)}')).toBeUndefined();
    expect(parsePolicyJson('42')).toBeUndefined();
    expect(parsePolicyJson('null')).toBeUndefined();
    expect(parsePolicyJson(undefined)).toBeUndefined();
    expect(parsePolicyJson('{"Version":"2012-10-17"}')).toBeUndefined();
  });
});

describe('policyFromDocumentData', () => {
  it('reads statement blocks like JSON statements, principals and conditions included', () => {
    const doc = policyFromDocumentData({
      statement: [
        {
          sid: 'Read',
          effect: 'Allow',
          actions: ['s3:ListBucket', 's3:GetObject'],
          resources: ['arn:aws:s3:::b'],
          principals: [
            { type: 'Service', identifiers: ['airflow.amazonaws.com'] },
            { type: 'AWS', identifiers: '*' },
          ],
          condition: [
            { test: 'StringEquals', variable: 'aws:SourceAccount', values: ['1'] },
            { test: 'ArnLike', variable: 'aws:SourceArn', values: ['b', 'a'] },
          ],
        },
        {
          effect: 'Deny',
          not_actions: ['s3:GetObject'],
          not_resources: ['x'],
          not_principals: { type: 'AWS', identifiers: ['arn:aws:iam::1:root'] },
        },
      ],
    });
    expect(doc).toEqual({
      statements: [
        {
          sid: 'Read',
          effect: 'Allow',
          actions: ['s3:GetObject', 's3:ListBucket'],
          notActions: undefined,
          resources: ['arn:aws:s3:::b'],
          notResources: undefined,
          principals: [
            { type: 'AWS', identifiers: ['*'] },
            { type: 'Service', identifiers: ['airflow.amazonaws.com'] },
          ],
          notPrincipals: undefined,
          conditions: [
            { test: 'ArnLike', variable: 'aws:SourceArn', values: ['a', 'b'] },
            { test: 'StringEquals', variable: 'aws:SourceAccount', values: ['1'] },
          ],
        },
        {
          effect: 'Deny',
          actions: undefined,
          notActions: ['s3:GetObject'],
          resources: undefined,
          notResources: ['x'],
          principals: undefined,
          notPrincipals: [{ type: 'AWS', identifiers: ['arn:aws:iam::1:root'] }],
          conditions: [],
        },
      ],
    });
  });

  it('equals the JSON form of the same policy (one normalization for rules and plan review)', () => {
    const fromDoc = policyFromDocumentData({
      statement: {
        sid: 'A',
        effect: 'Allow',
        actions: ['sqs:SendMessage'],
        resources: '*',
        principals: { type: 'AWS', identifiers: ['*'] },
      },
    });
    const fromJson = parsePolicyJson({
      Statement: [{ Sid: 'A', Effect: 'Allow', Action: 'sqs:SendMessage', Resource: '*', Principal: { AWS: '*' } }],
    });
    expect(fromDoc).toEqual(fromJson);
  });

  it('merges literal source and override documents first; an unresolved one makes the whole document unresolved', () => {
    const src = JSON.stringify({ Statement: [{ Effect: 'Deny', Action: 's3:*' }] });
    const override = JSON.stringify({ Statement: { Effect: 'Allow', Action: 'sqs:*' } });
    const doc = policyFromDocumentData({
      source_policy_documents: [src],
      override_policy_documents: override,
      statement: [{ actions: ['kms:Decrypt'] }],
    });
    expect(doc !== 'unresolved' && doc.statements.map((s) => `${s.effect} ${s.actions}`)).toEqual([
      'Deny s3:*',
      'Allow sqs:*',
      'Allow kms:Decrypt',
    ]);
    expect(policyFromDocumentData({ source_policy_documents: ['${data.aws_iam_policy_document.other.json}'] })).toBe('unresolved');
    expect(policyFromDocumentData({ override_policy_documents: ['${var.p}'] })).toBe('unresolved');
    expect(policyFromDocumentData({ source_policy_documents: null })).toEqual({ statements: [] });
    expect(policyFromDocumentData({})).toEqual({ statements: [] });
  });

  it('skips statement and principal blocks that are not objects', () => {
    const doc = policyFromDocumentData({ statement: [null, 'x', 5, { actions: ['a:B'], principals: [null, 'AWS'], condition: 'x' }] });
    expect(policyFromDocumentData({ statement: { principals: { type: 'AWS' } } })).toEqual({
      statements: [expect.objectContaining({ principals: [{ type: 'AWS', identifiers: [] }] })],
    });
    expect(doc).toEqual({ statements: [expect.objectContaining({ actions: ['a:B'], principals: undefined, conditions: [] })] });
  });

  it('reads a statement as terraform show -json renders it: unset attributes null, unset blocks empty lists', () => {
    const planned = {
      sid: '',
      effect: 'Allow',
      actions: ['sqs:SendMessage'],
      not_actions: null,
      resources: ['*'],
      not_resources: null,
      principals: [{ type: 'AWS', identifiers: ['arn:aws:iam::1:root'] }],
      not_principals: [],
      condition: [{ test: 'StringEquals', variable: 'aws:SourceAccount', values: null }],
    };
    const doc = policyFromDocumentData({ statement: [planned], source_policy_documents: null, override_policy_documents: null });
    expect(doc).toEqual({
      statements: [
        {
          sid: '',
          effect: 'Allow',
          actions: ['sqs:SendMessage'],
          notActions: undefined,
          resources: ['*'],
          notResources: undefined,
          principals: [{ type: 'AWS', identifiers: ['arn:aws:iam::1:root'] }],
          notPrincipals: undefined,
          conditions: [{ test: 'StringEquals', variable: 'aws:SourceAccount', values: [] }],
        },
      ],
    });
  });
});

describe('canonicalStatement and diffStatements', () => {
  it('ignores the Sid and the order of lists; a changed action, resource, principal or condition is a change', () => {
    const a = one({ Sid: 'One', Effect: 'Allow', Action: ['b:X', 'a:Y'], Resource: '*', Principal: '*' });
    const b = one({ Sid: 'Two', Effect: 'Allow', Action: ['a:Y', 'b:X'], Resource: ['*'], Principal: '*' });
    expect(canonicalStatement(a)).toBe(canonicalStatement(b));
    expect(canonicalStatement(a)).toBe('{"Effect":"Allow","Principal":"*","Action":["a:Y","b:X"],"Resource":["*"]}');
    for (const changed of [
      { ...a, effect: 'Deny' as const },
      { ...a, actions: ['a:Y'] },
      { ...a, resources: ['arn:aws:s3:::b'] },
      { ...a, principals: [{ type: 'AWS', identifiers: ['arn:aws:iam::1:root'] }] },
      { ...a, conditions: [{ test: 'Bool', variable: 'aws:SecureTransport', values: ['true'] }] },
      { ...a, notActions: ['iam:*'] },
      { ...a, notResources: ['x'] },
      { ...a, notPrincipals: [{ type: '*', identifiers: ['*'] }] },
    ]) {
      expect(canonicalStatement(changed)).not.toBe(canonicalStatement(a));
    }
  });

  it('renders every field under its IAM name, principals by type unless it is the wildcard alone', () => {
    const s = one({
      Effect: 'Deny',
      NotAction: 'iam:*',
      NotResource: 'x',
      NotPrincipal: { AWS: ['arn:aws:iam::1:root'], Service: 's.amazonaws.com' },
      Condition: { Bool: { 'aws:SecureTransport': 'false' }, StringEquals: { 'aws:SourceAccount': '1' } },
    });
    expect(JSON.parse(canonicalStatement(s))).toEqual({
      Effect: 'Deny',
      NotPrincipal: { AWS: ['arn:aws:iam::1:root'], Service: ['s.amazonaws.com'] },
      NotAction: ['iam:*'],
      NotResource: ['x'],
      Condition: { Bool: { 'aws:SecureTransport': ['false'] }, StringEquals: { 'aws:SourceAccount': ['1'] } },
    });
    expect(JSON.parse(canonicalStatement(one({ Principal: { AWS: '*' } }))).Principal).toEqual({ AWS: ['*'] });
    // The wildcard next to another principal (possible in policy-document blocks) is rendered by type, so it is seen.
    const both = {
      ...base,
      principals: [
        { type: '*', identifiers: ['*'] },
        { type: 'AWS', identifiers: ['arn:aws:iam::1:root'] },
      ],
    };
    expect(JSON.parse(canonicalStatement(both)).Principal).toEqual({ '*': ['*'], AWS: ['arn:aws:iam::1:root'] });
  });

  it('lists added and removed statements as a multiset difference', () => {
    const doc = (...ss: Array<Record<string, unknown>>) => parsePolicyJson({ Statement: ss });
    const x = { Effect: 'Allow', Action: 's3:GetObject', Resource: '*' };
    const y = { Effect: 'Allow', Action: 's3:PutObject', Resource: '*' };
    const d = diffStatements(doc(x, x, y), doc(x, { ...y, Sid: 'Renamed' }, { ...y, Resource: 'arn:aws:s3:::b/*' }));
    expect(d.removed).toEqual([canonicalStatement(one(x))]);
    expect(d.added).toEqual([canonicalStatement(one({ ...y, Resource: 'arn:aws:s3:::b/*' }))]);
    expect(diffStatements(undefined, doc(x))).toEqual({ added: [canonicalStatement(one(x))], removed: [] });
    expect(diffStatements(doc(x), undefined)).toEqual({ added: [], removed: [canonicalStatement(one(x))] });
  });

  it('a document compared with a reordering of itself has no difference', () => {
    const stmt = fc.record({
      Effect: fc.constantFrom('Allow', 'Deny'),
      Action: fc.subarray(['s3:GetObject', 's3:PutObject', 'sqs:*']),
      Resource: fc.constantFrom('*', 'arn:aws:s3:::b'),
    });
    fc.assert(
      fc.property(fc.array(stmt, { maxLength: 6 }), fc.integer(), (ss, seed) => {
        const shuffled = [...ss].sort(() => (seed % 2 ? 1 : -1));
        expect(diffStatements(parsePolicyJson({ Statement: ss }), parsePolicyJson({ Statement: shuffled.reverse() }))).toEqual({
          added: [],
          removed: [],
        });
      }),
    );
  });
});

describe('isWildcardPrincipal and hasSourceCondition', () => {
  it('a wildcard principal is "*" or AWS "*", not a service or a named account', () => {
    expect(isWildcardPrincipal(one({ Principal: '*' }))).toBe(true);
    expect(isWildcardPrincipal(one({ Principal: { AWS: ['arn:aws:iam::1:root', '*'] } }))).toBe(true);
    expect(isWildcardPrincipal(one({ Principal: { Service: '*' } }))).toBe(false);
    expect(isWildcardPrincipal(one({ Principal: { Service: 'airflow.amazonaws.com', AWS: '*' } }))).toBe(true);
    expect(isWildcardPrincipal(one({ Principal: { AWS: 'arn:aws:iam::1:root' } }))).toBe(false);
    expect(isWildcardPrincipal(one({ NotPrincipal: '*' }))).toBe(false);
    expect(isWildcardPrincipal(base)).toBe(false);
  });

  it('source conditions are the confused-deputy keys, in any letter case', () => {
    for (const key of ['aws:SourceAccount', 'aws:SourceArn', 'aws:SourceOrgID', 'aws:SourceOrgPaths', 'AWS:SOURCEACCOUNT']) {
      expect(hasSourceCondition({ ...base, conditions: [{ test: 'StringEquals', variable: key, values: ['1'] }] })).toBe(true);
    }
    expect(hasSourceCondition({ ...base, conditions: [{ test: 'StringEquals', variable: 'aws:PrincipalAccount', values: ['1'] }] })).toBe(
      false,
    );
    expect(hasSourceCondition(base)).toBe(false);
  });
});

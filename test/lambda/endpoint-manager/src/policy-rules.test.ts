/**
 * Rules of the SQS endpoint policy that the example-based tests in policy.test.ts leave open: what a
 * hand-edited document is refused for, which queues a removal may re-allow, exact size boundaries,
 * and (as a property) that compaction takes the accounts with the biggest real saving first.
 */
import fc from 'fast-check';
import {
  addQueuesToPolicy,
  celeryWildcardArn,
  DEFAULT_POLICY_SIZE_LIMIT,
  isQueueAllowed,
  parseSqsEndpointPolicy,
  policyForLiveQueues,
  removeQueueFromPolicy,
  serializeSqsEndpointPolicy,
  type PolicyScope,
  type PolicyUpdate,
} from '../../../../lambda/endpoint-manager/src/policy';
import { QUEUE_OWNER, REGION, queueArn } from './fixtures';

const scope: PolicyScope = { region: REGION, partition: 'aws' };
const OTHER_OWNER = '888888888888';
const WILDCARD = celeryWildcardArn(scope, QUEUE_OWNER);
const OTHER_WILDCARD = celeryWildcardArn(scope, OTHER_OWNER);

function ok(update: PolicyUpdate) {
  if (!update.ok) throw new Error(`expected an ok update, got: ${update.reason}`);
  return update;
}

function refusal(text: string): string {
  const parsed = parseSqsEndpointPolicy(text, scope);
  if (parsed.ok) throw new Error(`expected a refusal, got ${JSON.stringify(parsed.resources)}`);
  return parsed.reason;
}

const statement = { Sid: 'AllowRegisteredCeleryQueues', Effect: 'Allow', Principal: '*', Action: 'sqs:*' };
const withResource = (resource: unknown) => JSON.stringify({ Version: '2012-10-17', Statement: [{ ...statement, Resource: resource }] });

describe('parseSqsEndpointPolicy: hand-edited documents', () => {
  it('refuses a JSON null document and a null statement with the managed-form reason (no crash)', () => {
    expect(refusal('null')).toBe('the SQS endpoint policy is not in the managed form (one statement, Version 2012-10-17)');
    expect(refusal(JSON.stringify({ Version: '2012-10-17', Statement: [null] }))).toBe(
      'the SQS endpoint policy statement is not the managed AllowRegisteredCeleryQueues statement',
    );
  });

  it('refuses a Resource list that mixes ARNs and non-strings', () => {
    expect(refusal(withResource([queueArn('a'), 42]))).toBe('the SQS endpoint policy Resource is not a list of ARNs');
  });

  it('decodes a URL-encoded document even with surrounding whitespace', () => {
    const managed = serializeSqsEndpointPolicy([queueArn('a')], scope);
    expect(parseSqsEndpointPolicy(`\n  ${encodeURIComponent(managed)}  `, scope)).toEqual({ ok: true, resources: [queueArn('a')] });
  });

  it('does not URL-decode a plain JSON document: a "%" in it is an entry that is not ours, not an encoding error', () => {
    const entry = `arn:aws:sqs:${REGION}:${QUEUE_OWNER}:airflow-celery-%ZZ`;
    expect(refusal(withResource([entry]))).toBe(`the SQS endpoint policy lists "${entry}", which is not a Celery queue ARN of us-east-1`);
    // A percent-escape must not turn a hand-edited Sid into the managed one.
    expect(
      refusal(
        JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ ...statement, Sid: 'AllowRegisteredCeleryQueue%73', Resource: [queueArn('a')] }],
        }),
      ),
    ).toContain('not the managed AllowRegisteredCeleryQueues statement');
  });
});

describe('isQueueAllowed: scope of a wildcard', () => {
  it('a wildcard of this region does not allow a queue of the same account in another partition', () => {
    const govQueue = `arn:aws-us-gov:sqs:${REGION}:${QUEUE_OWNER}:airflow-celery-b`;
    expect(isQueueAllowed([WILDCARD], govQueue, scope)).toBe(false);
  });
});

describe('only Celery queue ARNs are accepted as queues (programming errors surface)', () => {
  it.each([
    ['a wildcard', WILDCARD],
    ['a non-Celery queue', `arn:aws:sqs:${REGION}:${QUEUE_OWNER}:exfiltrate`],
  ])('%s is refused by add, remove and the live-set policy', (_label, arn) => {
    expect(() => addQueuesToPolicy([], [arn], scope, DEFAULT_POLICY_SIZE_LIMIT)).toThrow(`not a Celery queue ARN of aws/${REGION}: ${arn}`);
    expect(() => removeQueueFromPolicy([WILDCARD], arn, scope, DEFAULT_POLICY_SIZE_LIMIT)).toThrow(
      `not a Celery queue ARN of aws/${REGION}: ${arn}`,
    );
    expect(() => policyForLiveQueues([], new Set([queueArn('a'), arn]), scope, DEFAULT_POLICY_SIZE_LIMIT)).toThrow(
      `not a Celery queue ARN of aws/${REGION}: ${arn}`,
    );
  });
});

describe('keptWildcards is reported only when a wildcard really was kept', () => {
  it('adding queues or writing the live set never reports a kept wildcard', () => {
    expect(
      ok(addQueuesToPolicy([WILDCARD], [queueArn('a'), queueArn('b', OTHER_OWNER)], scope, DEFAULT_POLICY_SIZE_LIMIT)).keptWildcards,
    ).toEqual([]);
    expect(ok(policyForLiveQueues([WILDCARD], new Set([queueArn('a')]), scope, DEFAULT_POLICY_SIZE_LIMIT)).keptWildcards).toEqual([]);
  });

  it('removing an exact entry with no wildcard of its account reports none, and adds no live queue', () => {
    const single = ok(removeQueueFromPolicy([queueArn('a'), queueArn('b')], queueArn('a'), scope, DEFAULT_POLICY_SIZE_LIMIT));
    expect(single.keptWildcards).toEqual([]);
    const reconcile = ok(removeQueueFromPolicy([queueArn('a')], queueArn('a'), scope, DEFAULT_POLICY_SIZE_LIMIT, new Set([queueArn('c')])));
    expect(reconcile.keptWildcards).toEqual([]);
    expect(reconcile.resources).toEqual([]);
  });
});

describe('removeQueueFromPolicy with a live set: the wildcard becomes exactly the other live queues of its account', () => {
  it('never re-allows the removed queue, nor allows live queues of other accounts that were not listed', () => {
    const live = new Set([queueArn('a'), queueArn('b'), queueArn('c', OTHER_OWNER)]);
    const update = ok(removeQueueFromPolicy([WILDCARD], queueArn('a'), scope, DEFAULT_POLICY_SIZE_LIMIT, live));
    expect(update.resources).toEqual([queueArn('b')]);
    expect(isQueueAllowed(update.resources, queueArn('a'), scope)).toBe(false);
  });

  it('expands when the exact queues fit the limit to the character', () => {
    const live = new Set([queueArn('b'), queueArn('c')]);
    const limit = serializeSqsEndpointPolicy([queueArn('b'), queueArn('c')], scope).length;
    const update = ok(removeQueueFromPolicy([WILDCARD], queueArn('a'), scope, limit, live));
    expect(update.resources).toEqual([queueArn('b'), queueArn('c')]);
    expect(update.keptWildcards).toEqual([]);
  });

  it('drops a wildcard no live queue needs even when the rest of the document is over the limit', () => {
    // The other owner's queues alone exceed the limit, so they are compacted; the removed queue's wildcard must go.
    const others = Array.from({ length: 4 }, (_, i) => queueArn(`other-queue-${i}`, OTHER_OWNER));
    const limit = serializeSqsEndpointPolicy(others, scope).length - 1;
    const update = ok(removeQueueFromPolicy([WILDCARD, ...others], queueArn('a'), scope, limit, new Set(others)));
    expect(update.resources).toEqual([OTHER_WILDCARD]);
    expect(isQueueAllowed(update.resources, queueArn('a'), scope)).toBe(false);
  });
});

describe('compaction at the limit', () => {
  it('an account whose single queue is one character longer than the wildcard is still compacted when that is what fits', () => {
    const queue = queueArn('ab'); // saves exactly one character as airflow-celery-*
    const limit = serializeSqsEndpointPolicy([queue], scope).length - 1;
    const update = ok(addQueuesToPolicy([], [queue], scope, limit));
    expect(update.resources).toEqual([WILDCARD]);
    expect(update.compactedAccounts).toEqual([QUEUE_OWNER]);
    expect(update.document.length).toBe(limit);
  });

  it('stops compacting as soon as the document fits exactly', () => {
    const mine = Array.from({ length: 4 }, (_, i) => queueArn(`my-queue-${i}`));
    const solo = queueArn('solo', OTHER_OWNER);
    const limit = serializeSqsEndpointPolicy([WILDCARD, solo], scope).length;
    const update = ok(addQueuesToPolicy([solo], mine, scope, limit));
    expect(update.compactedAccounts).toEqual([QUEUE_OWNER]);
    expect(update.resources).toEqual([solo, WILDCARD].sort());
  });

  it('never lists an account that had only a wildcard as compacted', () => {
    // Two one-character queues save as much as the other owner's wildcard entry is long: a tie that must not pull it in.
    const mine = [queueArn('x'), queueArn('y'), queueArn('z')];
    const limit = serializeSqsEndpointPolicy([OTHER_WILDCARD, WILDCARD], scope).length;
    const update = ok(addQueuesToPolicy([OTHER_WILDCARD], mine, scope, limit));
    expect(update.compactedAccounts).toEqual([QUEUE_OWNER]);
  });

  it('a refusal names the length of the fully compacted document', () => {
    const owners = ['100000000001', '100000000002', '100000000003', '100000000004'];
    const queues = owners.map((owner) => queueArn('x1', owner));
    const compacted = serializeSqsEndpointPolicy(
      owners.map((owner) => celeryWildcardArn(scope, owner)),
      scope,
    ).length;
    const update = addQueuesToPolicy([], queues, scope, compacted - 1);
    expect(update).toEqual({
      ok: false,
      reason: `the SQS endpoint policy would need ${compacted} characters even with every queue-owner account compacted, over the ${compacted - 1}-character limit`,
    });
  });
});

// ---- property: greedy compaction by real saving --------------------------------------------

const OWNERS = ['100000000001', '100000000002', '100000000003', '100000000004'];
const ownerOf = (arn: string) => arn.split(':')[4]!;
/** The test's own compaction: drop the account's entries, add its wildcard. */
const compactInTest = (entries: readonly string[], owner: string) => [
  ...entries.filter((e) => ownerOf(e) !== owner),
  celeryWildcardArn(scope, owner),
];
const length = (entries: readonly string[]) => serializeSqsEndpointPolicy(entries, scope).length;

// Few suffix lengths, so equal savings (ties broken by account id) are common.
const queueArb = fc
  .record({
    owner: fc.constantFrom(...OWNERS),
    suffix: fc.constantFrom('a', 'bb', 'cccc', 'dddddddd').chain((base) => fc.nat(99).map((n) => `${base}${n}`)),
  })
  .map(({ owner, suffix }) => queueArn(suffix, owner));
const inputArb = fc.record({
  queues: fc.uniqueArray(queueArb, { minLength: 1, maxLength: 16 }),
  wildcards: fc.subarray(OWNERS),
  cut: fc.double({ min: 0, max: 1, noNaN: true }),
});

describe('compaction property', () => {
  it('compacts the account with the biggest real saving first (ties: lowest account id) and stops once it fits', () => {
    let compacting = 0;
    fc.assert(
      fc.property(inputArb, ({ queues, wildcards, cut }) => {
        const initial = [...new Set([...queues, ...wildcards.map((owner) => celeryWildcardArn(scope, owner))])];
        const fullyCompacted = length([...new Set(initial.map(ownerOf))].reduce(compactInTest, initial));
        // Limits between the fully compacted and the exact size: something must be compacted, and it can fit.
        const limit = Math.floor(fullyCompacted + cut * (length(initial) - 1 - fullyCompacted));
        if (limit < fullyCompacted) return;
        // The current document may list an account's wildcard next to its exact queues (an edit of an older form).
        const withWildcards = ok(addQueuesToPolicy(initial, [], scope, limit));
        let current = initial;
        const remaining = new Set(initial.filter((e) => !e.endsWith('*')).map(ownerOf));
        for (const account of withWildcards.compactedAccounts) {
          expect(length(current)).toBeGreaterThan(limit); // not compacted while it already fit
          const saving = (owner: string) => length(current) - length(compactInTest(current, owner));
          const best = Math.max(...[...remaining].map(saving));
          expect(remaining.has(account)).toBe(true); // only accounts with exact queues
          expect(saving(account)).toBe(best);
          const firstOfBest = [...remaining].filter((owner) => saving(owner) === best).sort()[0];
          expect(account).toBe(firstOfBest);
          current = compactInTest(current, account);
          remaining.delete(account);
          compacting += 1;
        }
        expect(length(current)).toBeLessThanOrEqual(limit);
        expect(withWildcards.resources).toEqual([...current].sort());
      }),
      { numRuns: 300 },
    );
    expect(compacting).toBeGreaterThan(100);
  });
});

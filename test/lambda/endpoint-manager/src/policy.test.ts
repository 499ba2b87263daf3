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
import { initialSqsEndpointPolicy } from '../../../../contracts/sqs-endpoint-policy';
import { QUEUE_OWNER, REGION, queueArn } from './fixtures';

const scope: PolicyScope = { region: REGION, partition: 'aws' };
const OTHER_OWNER = '888888888888';

function ok(update: PolicyUpdate) {
  if (!update.ok) throw new Error(`expected an ok update, got: ${update.reason}`);
  return update;
}

describe('initial SQS endpoint policy', () => {
  it('is an Allow statement whose only resource is a placeholder queue that cannot exist', () => {
    expect(initialSqsEndpointPolicy({ region: 'us-east-1', partition: 'aws' })).toBe(
      '{"Version":"2012-10-17","Statement":[{"Sid":"AllowRegisteredCeleryQueues","Effect":"Allow","Principal":"*",' +
        '"Action":"sqs:*","Resource":["arn:aws:sqs:us-east-1:000000000000:none"]}]}',
    );
  });

  it('uses the partition it is given', () => {
    expect(initialSqsEndpointPolicy({ region: 'cn-north-1', partition: 'aws-cn' })).toContain(
      '"arn:aws-cn:sqs:cn-north-1:000000000000:none"',
    );
  });

  it('is exactly what the function writes once the last queue is removed', () => {
    const added = ok(addQueuesToPolicy([], [queueArn('one')], scope, DEFAULT_POLICY_SIZE_LIMIT));
    const removed = ok(removeQueueFromPolicy(added.resources, queueArn('one'), scope, DEFAULT_POLICY_SIZE_LIMIT));
    expect(removed.document).toBe(initialSqsEndpointPolicy(scope));
  });

  it('parses to an empty list and allows no Celery queue', () => {
    const parsed = parseSqsEndpointPolicy(initialSqsEndpointPolicy(scope), scope);
    expect(parsed).toEqual({ ok: true, resources: [] });
    expect(isQueueAllowed([], queueArn('x'), scope)).toBe(false);
  });
});

describe('parseSqsEndpointPolicy', () => {
  const managed = serializeSqsEndpointPolicy([queueArn('b'), queueArn('a')], scope);

  it('reads the managed form (sorted) and its URL-encoded variant', () => {
    expect(parseSqsEndpointPolicy(managed, scope)).toEqual({ ok: true, resources: [queueArn('a'), queueArn('b')] });
    expect(parseSqsEndpointPolicy(encodeURIComponent(managed), scope)).toEqual({ ok: true, resources: [queueArn('a'), queueArn('b')] });
  });

  it('accepts a single Resource string and pretty-printed JSON', () => {
    const single = JSON.stringify(
      {
        Version: '2012-10-17',
        Statement: [{ Sid: 'AllowRegisteredCeleryQueues', Effect: 'Allow', Principal: '*', Action: 'sqs:*', Resource: queueArn('a') }],
      },
      null,
      2,
    );
    expect(parseSqsEndpointPolicy(single, scope)).toEqual({ ok: true, resources: [queueArn('a')] });
  });

  it.each([
    ['a missing document', undefined, 'has no policy document'],
    ['invalid JSON', '{"Version":', 'not valid JSON'],
    [
      'the default full-access policy',
      '{"Statement":[{"Action":"*","Effect":"Allow","Principal":"*","Resource":"*"}]}',
      'not in the managed form',
    ],
    [
      'a second statement',
      JSON.stringify({ Version: '2012-10-17', Statement: [JSON.parse(managed).Statement[0], JSON.parse(managed).Statement[0]] }),
      'not in the managed form',
    ],
    ['a different action', managed.replace('"sqs:*"', '"*"'), 'not the managed AllowRegisteredCeleryQueues statement'],
    [
      'a condition added by hand',
      managed.replace('"Resource"', '"Condition":{},"Resource"'),
      'not the managed AllowRegisteredCeleryQueues statement',
    ],
    [
      'a queue of another region',
      serializeSqsEndpointPolicy([queueArn('a', QUEUE_OWNER, 'eu-west-1')], scope),
      'not a Celery queue ARN of us-east-1',
    ],
    ['an account wildcard', serializeSqsEndpointPolicy([`arn:aws:sqs:${REGION}:${QUEUE_OWNER}:*`], scope), 'not a Celery queue ARN'],
    [
      'a non-Celery queue',
      serializeSqsEndpointPolicy([`arn:aws:sqs:${REGION}:${QUEUE_OWNER}:exfiltrate`], scope),
      'not a Celery queue ARN',
    ],
    // Hand edits that look like the managed statement but mean something else must never be taken for it.
    ['Effect Deny', managed.replace('"Effect":"Allow"', '"Effect":"Deny"'), 'not the managed AllowRegisteredCeleryQueues statement'],
    [
      'a narrowed principal',
      managed.replace('"Principal":"*"', '"Principal":{"AWS":"arn:aws:iam::111111111111:root"}'),
      'not the managed AllowRegisteredCeleryQueues statement',
    ],
    [
      'another Sid',
      managed.replace('"Sid":"AllowRegisteredCeleryQueues"', '"Sid":"Mine"'),
      'not the managed AllowRegisteredCeleryQueues statement',
    ],
    [
      'NotResource instead of Resource',
      managed.replace('"Resource"', '"NotResource"'),
      'not the managed AllowRegisteredCeleryQueues statement',
    ],
    [
      'a statement that is not an object',
      JSON.stringify({ Version: '2012-10-17', Statement: ['Allow'] }),
      'not the managed AllowRegisteredCeleryQueues statement',
    ],
    ['an older policy language version', managed.replace('"2012-10-17"', '"2008-10-17"'), 'not in the managed form'],
    [
      'a single statement object instead of a list',
      JSON.stringify({ Version: '2012-10-17', Statement: JSON.parse(managed).Statement[0] }),
      'not in the managed form',
    ],
    ['no statement', JSON.stringify({ Version: '2012-10-17', Statement: [] }), 'not in the managed form'],
    ['a JSON list', '[]', 'not in the managed form'],
    [
      'a Resource that is not a list of strings',
      managed.replace(/"Resource":\[[^\]]*\]/, '"Resource":[42]'),
      'Resource is not a list of ARNs',
    ],
    ['a Resource object', managed.replace(/"Resource":\[[^\]]*\]/, '"Resource":{"a":1}'), 'Resource is not a list of ARNs'],
    [
      'a queue of another partition',
      serializeSqsEndpointPolicy([queueArn('a').replace('arn:aws:', 'arn:aws-cn:')], scope),
      'not a Celery queue ARN of us-east-1',
    ],
    ['an empty document', '', 'has no policy document'],
    ['broken URL encoding', '%7B%ZZ', 'not valid URL-encoded JSON'],
  ])('refuses %s', (_label, text, message) => {
    const parsed = parseSqsEndpointPolicy(text, scope);
    expect(parsed.ok).toBe(false);
    expect(parsed.ok ? '' : parsed.reason).toContain(message);
  });
});

describe('parseSqsEndpointPolicy: entries', () => {
  it('drops the placeholder and duplicates, keeps wildcards of the managed form', () => {
    const wildcard = celeryWildcardArn(scope, QUEUE_OWNER);
    const text = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'AllowRegisteredCeleryQueues',
          Effect: 'Allow',
          Principal: '*',
          Action: 'sqs:*',
          Resource: [queueArn('b'), wildcard, queueArn('b'), `arn:aws:sqs:${REGION}:000000000000:none`],
        },
      ],
    });
    expect(parseSqsEndpointPolicy(`  ${text}\n`, scope)).toEqual({ ok: true, resources: [wildcard, queueArn('b')] }); // sorted: '*' before letters
  });

  it('refuses a wildcard of another region and a wildcard that is not the Celery prefix', () => {
    for (const entry of [`arn:aws:sqs:eu-west-1:${QUEUE_OWNER}:airflow-celery-*`, `arn:aws:sqs:${REGION}:${QUEUE_OWNER}:airflow-*`]) {
      const parsed = parseSqsEndpointPolicy(serializeSqsEndpointPolicy([entry], scope), scope);
      expect(parsed).toEqual({
        ok: false,
        reason: `the SQS endpoint policy lists "${entry}", which is not a Celery queue ARN of us-east-1`,
      });
    }
  });
});

describe('isQueueAllowed', () => {
  const wildcard = celeryWildcardArn(scope, QUEUE_OWNER);
  it('allows an exact entry or its owner account wildcard, nothing else', () => {
    expect(isQueueAllowed([queueArn('a')], queueArn('a'), scope)).toBe(true);
    expect(isQueueAllowed([queueArn('a')], queueArn('b'), scope)).toBe(false);
    expect(isQueueAllowed([wildcard], queueArn('b'), scope)).toBe(true);
    expect(isQueueAllowed([wildcard], queueArn('b', OTHER_OWNER), scope)).toBe(false);
  });

  it('never allows a queue of another region through a wildcard, nor a non-Celery queue', () => {
    expect(
      isQueueAllowed(
        [wildcard, celeryWildcardArn({ ...scope, region: 'eu-west-1' }, QUEUE_OWNER)],
        queueArn('b', QUEUE_OWNER, 'eu-west-1'),
        scope,
      ),
    ).toBe(false);
    expect(isQueueAllowed([wildcard], `arn:aws:sqs:${REGION}:${QUEUE_OWNER}:exfiltrate`, scope)).toBe(false);
    expect(
      isQueueAllowed([`arn:aws:sqs:${REGION}:${QUEUE_OWNER}:exfiltrate`], `arn:aws:sqs:${REGION}:${QUEUE_OWNER}:exfiltrate`, scope),
    ).toBe(false);
    expect(isQueueAllowed([wildcard], 'not an arn', scope)).toBe(false);
  });

  it('takes any iterable of entries', () => {
    expect(isQueueAllowed(new Set([queueArn('a')]), queueArn('a'), scope)).toBe(true);
  });
});

describe('addQueuesToPolicy', () => {
  it('replaces the placeholder with the first queue', () => {
    const update = ok(addQueuesToPolicy([], [queueArn('a')], scope, DEFAULT_POLICY_SIZE_LIMIT));
    expect(update.changed).toBe(true);
    expect(update.resources).toEqual([queueArn('a')]);
    expect(JSON.parse(update.document).Statement[0].Resource).toEqual([queueArn('a')]);
  });

  it('lists a queue once however often it is added', () => {
    const first = ok(addQueuesToPolicy([], [queueArn('a')], scope, DEFAULT_POLICY_SIZE_LIMIT));
    const second = ok(addQueuesToPolicy(first.resources, [queueArn('a'), queueArn('a')], scope, DEFAULT_POLICY_SIZE_LIMIT));
    expect(second.changed).toBe(false);
    expect(second.resources).toEqual([queueArn('a')]);
  });

  it('does not add a queue already covered by its owner account wildcard', () => {
    const wildcard = celeryWildcardArn(scope, QUEUE_OWNER);
    const update = ok(addQueuesToPolicy([wildcard], [queueArn('new')], scope, DEFAULT_POLICY_SIZE_LIMIT));
    expect(update.changed).toBe(false);
    expect(update.resources).toEqual([wildcard]);
  });

  it('compacts the owner account with the biggest saving into airflow-celery-* when the limit would be exceeded', () => {
    const many = Array.from({ length: 6 }, (_, i) => queueArn(`queue-number-${i}`));
    const other = queueArn('solo', OTHER_OWNER);
    const exactLength = serializeSqsEndpointPolicy([...many, other], scope).length;
    const update = ok(addQueuesToPolicy([...many.slice(0, 5), other], [many[5]!], scope, exactLength - 1));
    expect(update.compactedAccounts).toEqual([QUEUE_OWNER]);
    expect(update.resources).toEqual([other, `arn:aws:sqs:${REGION}:${QUEUE_OWNER}:airflow-celery-*`].sort());
    expect(update.document.length).toBeLessThanOrEqual(exactLength - 1);
  });

  it('never writes an account-wide wildcard', () => {
    const queues = Array.from({ length: 30 }, (_, i) => queueArn(`q${i}`, i % 2 ? QUEUE_OWNER : OTHER_OWNER));
    const update = ok(addQueuesToPolicy([], queues, scope, 400));
    for (const entry of update.resources) expect(entry).toMatch(/:airflow-celery-(\*|[A-Za-z0-9_-]+)$/);
  });

  it('refuses, without a document, when even full compaction cannot fit', () => {
    const owners = ['100000000001', '100000000002', '100000000003', '100000000004'];
    const update = addQueuesToPolicy(
      [],
      owners.map((owner) => queueArn('x1', owner)),
      scope,
      250,
    );
    expect(update).toEqual({
      ok: false,
      reason: expect.stringMatching(
        /would need \d+ characters even with every queue-owner account compacted, over the 250-character limit/,
      ),
    });
  });

  it('throws on a queue ARN that validation should have rejected', () => {
    expect(() => addQueuesToPolicy([], ['arn:aws:sqs:us-east-1:999999999999:not-celery'], scope, DEFAULT_POLICY_SIZE_LIMIT)).toThrow(
      'not a Celery queue ARN',
    );
  });
});

describe('removeQueueFromPolicy', () => {
  const wildcard = celeryWildcardArn(scope, QUEUE_OWNER);

  it('drops an exact entry and leaves others', () => {
    const update = ok(removeQueueFromPolicy([queueArn('a'), queueArn('b')], queueArn('a'), scope, DEFAULT_POLICY_SIZE_LIMIT));
    expect(update.resources).toEqual([queueArn('b')]);
    expect(update.changed).toBe(true);
  });

  it('is a no-op for a queue that is not listed', () => {
    expect(ok(removeQueueFromPolicy([queueArn('b')], queueArn('a'), scope, DEFAULT_POLICY_SIZE_LIMIT)).changed).toBe(false);
  });

  it('keeps a covering wildcard when the live set is unknown (single DELETED event)', () => {
    const update = ok(removeQueueFromPolicy([wildcard], queueArn('a'), scope, DEFAULT_POLICY_SIZE_LIMIT));
    expect(update.changed).toBe(false);
    expect(update.keptWildcards).toEqual([wildcard]);
  });

  it('drops the wildcard when no other live queue of that owner account remains', () => {
    const other = queueArn('z', OTHER_OWNER);
    const update = ok(removeQueueFromPolicy([wildcard, other], queueArn('a'), scope, DEFAULT_POLICY_SIZE_LIMIT, new Set([other])));
    expect(update.resources).toEqual([other]);
  });

  it('replaces the wildcard by the remaining live queues when they fit', () => {
    const update = ok(
      removeQueueFromPolicy([wildcard], queueArn('a'), scope, DEFAULT_POLICY_SIZE_LIMIT, new Set([queueArn('b'), queueArn('c')])),
    );
    expect(update.resources).toEqual([queueArn('b'), queueArn('c')]);
    expect(isQueueAllowed(update.resources, queueArn('a'), scope)).toBe(false);
  });

  it('keeps the wildcard when the remaining live queues would not fit', () => {
    const live = new Set(Array.from({ length: 10 }, (_, i) => queueArn(`a-long-queue-name-${i}`)));
    const update = ok(removeQueueFromPolicy([wildcard], queueArn('gone'), scope, 300, live));
    expect(update.resources).toEqual([wildcard]);
    expect(update.keptWildcards).toEqual([wildcard]);
  });
});

describe('policyForLiveQueues', () => {
  it('lists exactly the live queues and drops wildcards that are no longer needed', () => {
    const update = ok(
      policyForLiveQueues([celeryWildcardArn(scope, QUEUE_OWNER)], new Set([queueArn('a')]), scope, DEFAULT_POLICY_SIZE_LIMIT),
    );
    expect(update.resources).toEqual([queueArn('a')]);
  });

  it('returns the initial document when nothing is live', () => {
    expect(ok(policyForLiveQueues([queueArn('a')], new Set(), scope, DEFAULT_POLICY_SIZE_LIMIT)).document).toBe(
      initialSqsEndpointPolicy(scope),
    );
  });
});

// ---- property: any sequence of additions and removals --------------------------------------

const OWNERS = [QUEUE_OWNER, OTHER_OWNER, '777777777777'];
const queueArb = fc
  .record({ owner: fc.constantFrom(...OWNERS), suffix: fc.stringMatching(/^[a-z0-9]{4,40}$/) })
  .map(({ owner, suffix }) => queueArn(suffix, owner));
const operationArb = fc.oneof(
  { weight: 3, arbitrary: queueArb.map((queue) => ({ op: 'add' as const, queue })) },
  { weight: 2, arbitrary: fc.nat(1000).map((pick) => ({ op: 'remove-live' as const, pick })) },
  { weight: 1, arbitrary: queueArb.map((queue) => ({ op: 'remove-any' as const, queue })) },
);
// Small limits force compaction; limits around the size of a document holding only the owners' wildcards
// force refusals (no compaction can make room). The default never compacts these sizes.
const WILDCARDS_ONLY_SIZE = serializeSqsEndpointPolicy(
  OWNERS.map((owner) => celeryWildcardArn(scope, owner)),
  scope,
).length;
const limitArb = fc.oneof(
  fc.constant(DEFAULT_POLICY_SIZE_LIMIT),
  fc.integer({ min: 260, max: 1200 }),
  fc.integer({ min: WILDCARDS_ONLY_SIZE - 120, max: WILDCARDS_ONLY_SIZE + 20 }),
);

function assertInvariants(resources: readonly string[], live: ReadonlySet<string>, removed: ReadonlySet<string>, limit: number) {
  const document = serializeSqsEndpointPolicy(resources, scope);
  expect(() => JSON.parse(document)).not.toThrow();
  expect(document.length).toBeLessThanOrEqual(limit);
  expect(parseSqsEndpointPolicy(document, scope)).toEqual({ ok: true, resources: [...resources].sort() });
  for (const entry of resources) expect(entry).toMatch(/^arn:aws:sqs:us-east-1:\d{12}:airflow-celery-(\*|[a-z0-9]+)$/);
  for (const queue of live) expect(isQueueAllowed(resources, queue, scope)).toBe(true);
  for (const queue of removed) {
    if (live.has(queue) || !isQueueAllowed(resources, queue, scope)) continue;
    // Still allowed only through its owner's wildcard, while another live queue of that owner needs it.
    const owner = queue.split(':')[4]!;
    expect(resources).toContain(celeryWildcardArn(scope, owner));
    expect([...live].some((other) => other.split(':')[4] === owner)).toBe(true);
    expect(limit).toBeLessThan(DEFAULT_POLICY_SIZE_LIMIT);
  }
}

describe('policy property', () => {
  it('stays valid, within the limit, allows every live queue and no removed one', () => {
    let runsWithCompaction = 0;
    let runsWithRefusal = 0;
    fc.assert(
      fc.property(limitArb, fc.array(operationArb, { maxLength: 60 }), (limit, operations) => {
        let resources: readonly string[] = [];
        const live = new Set<string>();
        const removed = new Set<string>();
        for (const operation of operations) {
          if (operation.op === 'add') {
            const update = addQueuesToPolicy(resources, [operation.queue], scope, limit);
            if (update.ok) {
              if (update.compactedAccounts.length > 0) runsWithCompaction += 1;
              resources = update.resources;
              live.add(operation.queue);
              removed.delete(operation.queue);
            } else {
              runsWithRefusal += 1;
              // Refused: nothing written, and the queue did not sneak in.
              expect(isQueueAllowed(resources, operation.queue, scope) && !live.has(operation.queue)).toBe(false);
            }
          } else {
            const liveList = [...live];
            const queue = operation.op === 'remove-live' ? liveList[operation.pick % Math.max(liveList.length, 1)] : operation.queue;
            if (!queue) continue;
            live.delete(queue);
            const update = ok(removeQueueFromPolicy(resources, queue, scope, limit, live));
            resources = update.resources;
            removed.add(queue);
          }
          assertInvariants(resources, live, removed, limit);
        }
      }),
      { numRuns: 300 },
    );
    // The generator must really exercise compaction and refusal, or the property proves little.
    expect(runsWithCompaction).toBeGreaterThan(0);
    expect(runsWithRefusal).toBeGreaterThan(0);
  });

  it('without a live set (DELETED events) keeps live queues allowed and removes exact entries', () => {
    fc.assert(
      fc.property(limitArb, fc.uniqueArray(queueArb, { minLength: 1, maxLength: 25 }), fc.nat(), (limit, queues, cut) => {
        let resources: readonly string[] = [];
        const live = new Set<string>();
        for (const queue of queues) {
          const update = addQueuesToPolicy(resources, [queue], scope, limit);
          if (update.ok) {
            resources = update.resources;
            live.add(queue);
          }
        }
        const toRemove = [...live].slice(0, cut % (live.size + 1));
        for (const queue of toRemove) {
          live.delete(queue);
          const update = ok(removeQueueFromPolicy(resources, queue, scope, limit));
          resources = update.resources;
          expect(resources).not.toContain(queue);
        }
        for (const queue of live) expect(isQueueAllowed(resources, queue, scope)).toBe(true);
        expect(serializeSqsEndpointPolicy(resources, scope).length).toBeLessThanOrEqual(limit);
      }),
      { numRuns: 200 },
    );
  });

  it('policyForLiveQueues allows exactly the live set when it fits, and never exceeds the limit', () => {
    fc.assert(
      fc.property(limitArb, fc.uniqueArray(queueArb, { maxLength: 30 }), (limit, queues) => {
        const update = policyForLiveQueues([], new Set(queues), scope, limit);
        const exact = serializeSqsEndpointPolicy(queues, scope);
        if (exact.length <= limit) {
          expect(ok(update).resources).toEqual([...queues].sort());
        } else if (update.ok) {
          expect(update.document.length).toBeLessThanOrEqual(limit);
          for (const queue of queues) expect(isQueueAllowed(update.resources, queue, scope)).toBe(true);
        }
      }),
      { numRuns: 200 },
    );
  });
});

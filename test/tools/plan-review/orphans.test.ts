/** Stacks with state but no configuration: detected from local state files and from S3 keys, reported with the exact title. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import {
  countResources,
  orphanedStacks,
  orphanReviewItems,
  orphanTitle,
  scanForOrphans,
  type StateBucket,
} from '../../../tools/plan-review/orphans';
import { reviewPlans } from '../../../tools/plan-review/review';
import { mergePartials, type PartialReview } from '../../../tools/plan-review/run';

const state = (resources: Array<{ mode?: string; instances: unknown[] }>) =>
  JSON.stringify({ version: 4, terraform_version: '1.11.4', resources });
const withResources = state([
  { mode: 'managed', instances: [{}] },
  { mode: 'managed', instances: [{}, {}] },
  { mode: 'data', instances: [{}] },
]);
const empty = state([]);

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'orphans-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('local backend', () => {
  it('reports a participant stack whose state has resources but whose team file is gone, with the exact title', async () => {
    writeFileSync(join(root, 'terraform.owner.tfstate'), withResources);
    writeFileSync(join(root, 'terraform.participant-analytics.tfstate'), withResources);
    writeFileSync(join(root, 'terraform.participant-finance.tfstate'), withResources);
    const scan = await scanForOrphans(root, { type: 'local' }, ['analytics', 'marketing'], { live: false });
    expect(scan.notes).toEqual([]);
    expect(scan.orphans).toEqual([
      {
        stack: 'participant-finance',
        team: 'finance',
        resources: 2,
        location: join(root, 'terraform.participant-finance.tfstate'),
        title:
          '**orphaned**: no longer in the configuration; its resources stay in AWS and keep costing until `npm run decommission -- --team finance`',
        detail:
          `participant-finance has 2 resource(s) in ${join(root, 'terraform.participant-finance.tfstate')}, but config/teams/ has no team "finance": ` +
          'restore `config/teams/finance.yaml`, run `npm run decommission -- --team finance`, then remove the file again',
      },
    ]);
  });

  it('an empty state (what decommission leaves) and configured teams are not orphans', async () => {
    writeFileSync(join(root, 'terraform.participant-finance.tfstate'), empty);
    writeFileSync(join(root, 'terraform.participant-analytics.tfstate'), withResources);
    expect((await scanForOrphans(root, { type: 'local' }, ['analytics'], { live: false })).orphans).toEqual([]);
  });

  it('an unreadable state file counts as having resources (a false alarm beats a silent orphan)', async () => {
    writeFileSync(join(root, 'terraform.participant-finance.tfstate'), '{ not json');
    expect((await scanForOrphans(root, { type: 'local' }, [], { live: false })).orphans.map((o) => o.stack)).toEqual([
      'participant-finance',
    ]);
  });

  it('ignores files that are not stack states', async () => {
    writeFileSync(join(root, 'terraform.participant-finance.tfstate.backup'), withResources);
    writeFileSync(join(root, 'other.tfstate'), withResources);
    expect((await scanForOrphans(root, { type: 'local' }, [], { live: false })).orphans).toEqual([]);
  });
});

describe('S3 backend', () => {
  const backend = { type: 's3' as const, bucket: 'acme-tfstate', keyPrefix: 'mwaa-platform', region: 'eu-west-1' };
  const bucket = (objects: Record<string, string>): StateBucket & { prefixes: string[] } => {
    const prefixes: string[] = [];
    return {
      prefixes,
      async listKeys(prefix) {
        prefixes.push(prefix);
        return Object.keys(objects).filter((k) => k.startsWith(prefix));
      },
      async read(key) {
        return objects[key];
      },
    };
  };

  it('lists the keys under the prefix and reports stacks of removed teams', async () => {
    const b = bucket({
      'mwaa-platform/owner.tfstate': withResources,
      'mwaa-platform/participant-marketing.tfstate': withResources,
      'mwaa-platform/participant-finance.tfstate': withResources,
      'mwaa-platform/participant-old.tfstate': empty,
      'mwaa-platform/nested/participant-x.tfstate': withResources,
      'other/participant-y.tfstate': withResources,
    });
    const scan = await scanForOrphans(root, backend, ['marketing'], { live: true, bucketFor: () => b });
    expect(b.prefixes).toEqual(['mwaa-platform/']);
    expect(scan.orphans.map((o) => [o.stack, o.location, o.title])).toEqual([
      ['participant-finance', 's3://acme-tfstate/mwaa-platform/participant-finance.tfstate', orphanTitle('finance')],
    ]);
  });

  it('without credentials it says the bucket was not listed', async () => {
    expect(await scanForOrphans(root, backend, [], { live: false })).toEqual({
      orphans: [],
      notes: ['state keys in s3://acme-tfstate/mwaa-platform/ were not listed: no AWS credentials (offline preview)'],
    });
  });

  it('when listing is denied it says so instead of failing', async () => {
    const denied: StateBucket = {
      listKeys: async () => {
        throw Object.assign(new Error('Access Denied'), { name: 'AccessDenied' });
      },
      read: async () => '',
    };
    expect((await scanForOrphans(root, backend, [], { live: true, bucketFor: () => denied })).notes).toEqual([
      'state keys in s3://acme-tfstate/mwaa-platform/ could not be listed (AccessDenied: Access Denied); orphaned stacks there are not detected',
    ]);
  });

  it('reads the bucket with the S3 SDK: every page of keys under the prefix, then each state', async () => {
    const s3 = mockClient(S3Client);
    s3.on(ListObjectsV2Command, { Bucket: 'acme-tfstate', Prefix: 'mwaa-platform/' })
      .resolvesOnce({ Contents: [{ Key: 'mwaa-platform/owner.tfstate' }], IsTruncated: true, NextContinuationToken: 't1' })
      .resolvesOnce({ Contents: [{ Key: 'mwaa-platform/participant-finance.tfstate' }], IsTruncated: false });
    // The SDK's streaming body, reduced to the one method the reader uses.
    s3.on(GetObjectCommand).resolves({ Body: { transformToString: async () => withResources } } as never);
    try {
      const scan = await scanForOrphans(root, backend, ['analytics'], { live: true });
      expect(scan.orphans.map((o) => o.title)).toEqual([orphanTitle('finance')]);
      expect(s3.commandCalls(ListObjectsV2Command)).toHaveLength(2);
    } finally {
      s3.restore();
    }
  });
});

describe('pure parts', () => {
  it('counts managed resources with instances only', () => {
    expect(countResources(JSON.parse(withResources))).toBe(2);
    expect(countResources({ resources: [{ mode: 'managed', instances: [] }] })).toBe(0);
  });

  it('never reports the owner stack or stacks that are not participants', () => {
    const states = ['owner', 'bootstrap-111111111111', 'participant-gone'].map((stack) => ({ stack, resources: 3, location: 'x' }));
    expect(orphanedStacks(states, [], 'cfg').map((o) => [o.stack, o.detail])).toEqual([
      [
        'participant-gone',
        'participant-gone has 3 resource(s) in x, but cfg/teams/ has no team "gone": restore `cfg/teams/gone.yaml`, run `npm run decommission -- --team gone`, then remove the file again',
      ],
    ]);
  });
});

describe('orphans in the plan review', () => {
  it('makes the review high, with the exact title first among the high items, and keeps scan notes as info', async () => {
    writeFileSync(join(root, 'terraform.participant-finance.tfstate'), withResources);
    const scan = await scanForOrphans(root, { type: 'local' }, ['analytics'], { live: false });
    const items = orphanReviewItems({ ...scan, notes: ['state keys in s3://b/p/ were not listed: no AWS credentials (offline preview)'] });
    expect(items.map((i) => [i.stack, i.level, i.title])).toEqual([
      [
        'participant-finance',
        'high',
        '**orphaned**: no longer in the configuration; its resources stay in AWS and keep costing until `npm run decommission -- --team finance`',
      ],
      ['(state)', 'info', 'state keys in s3://b/p/ were not listed: no AWS credentials (offline preview)'],
    ]);
    // An unchanged stack, so the run reviewed something (a review of nothing is FAILED).
    const review = reviewPlans([], { stackItems: items, unchanged: ['participant-analytics'] });
    expect(review.result).toBe('high');
    expect(review.markdown).toContain(
      '**orphaned**: no longer in the configuration; its resources stay in AWS and keep costing until `npm run decommission -- --team finance`',
    );
    // The console summary of `npm run plan` names it too (it counts it among the high items).
    expect(review.summary.split('\n')).toEqual([
      'Plan review: HIGH — 0 stack(s) reviewed, 1 unchanged: 0 to create, 0 to update, 0 to replace, 0 to delete; 1 high item(s).',
      '  participant-finance: high: **orphaned**: no longer in the configuration; its resources stay in AWS and keep costing until `npm run decommission -- --team finance`',
    ]);
  });

  it('is reported once when several matrix shards scanned the same state', () => {
    const item = { stack: 'participant-finance', level: 'high' as const, title: orphanTitle('finance') };
    const part = (stack: string): PartialReview => ({
      mode: 'offline',
      inputs: [{ stack }],
      errors: [],
      unchanged: [],
      findings: [],
      suppressed: [],
      teamFiles: [],
      capacity: [],
      stackItems: [item],
    });
    expect(mergePartials([part('participant-a'), part('participant-b')]).stackItems).toEqual([item]);
  });
});

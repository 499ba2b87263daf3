import { loadFixture } from '../../support/config-fixture';
import { teamOfStack as teamOf } from '../../../contracts/names';
import { runRulesOverStacks } from '../../../tools/rules';
import { hasAwsCredentials, previewMode } from '../../../tools/lib/stacks';
import { capacityFigures } from '../../../tools/plan-review/pipeline';
import { loadRecoveryExample } from '../../support/recovery-fixture';
import { UsageError } from '../../../tools/lib/cli';
import { mapLimit } from '../../../tools/lib/concurrency';
import { exitCode, parseArgs } from '../../../tools/plan-review/run';

describe('preview detection', () => {
  it('is offline without credentials and live with any credential source', () => {
    expect(previewMode({})).toBe('offline');
    expect(hasAwsCredentials({ AWS_ACCESS_KEY_ID: 'a' })).toBe(false); // a key id alone is not a credential
    expect(previewMode({ AWS_ACCESS_KEY_ID: 'a', AWS_SECRET_ACCESS_KEY: 'b' })).toBe('live');
    expect(previewMode({ AWS_PROFILE: 'dev' })).toBe('live');
    expect(previewMode({ AWS_WEB_IDENTITY_TOKEN_FILE: '/t' })).toBe('live');
    expect(previewMode({ AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: '/v2/creds' })).toBe('live');
  });

  it('is forced offline by PREVIEW=offline', () => {
    expect(previewMode({ PREVIEW: 'offline', AWS_PROFILE: 'dev' })).toBe('offline');
  });
});

describe('runner helpers', () => {
  it('derives the team from participant stack names', () => {
    expect(teamOf('participant-data-eng')).toBe('data-eng');
    expect(teamOf('owner')).toBeUndefined();
  });

  it('maps exit codes: a failure is 1 whatever the flags, detailed codes only on request, never 2 (usage)', () => {
    expect(exitCode('failed', true)).toBe(1);
    expect(exitCode('failed', false)).toBe(1);
    expect(exitCode('high', false)).toBe(0);
    expect(exitCode('none', true)).toBe(0);
    expect(exitCode('info', true)).toBe(3);
    expect(exitCode('review', true)).toBe(3);
    expect(exitCode('high', true)).toBe(4);
  });

  it('parses arguments and rejects unknown ones as usage errors', () => {
    expect(parseArgs(['--stack', 'owner', '--detailed-exitcode'])).toEqual({
      stacks: ['owner'],
      detailed: true,
      synth: true,
      out: 'plan-review.md',
      listChanged: false,
    });
    expect(parseArgs(['--no-synth', '--out', 'x.md', '--stack=a,b'])).toEqual({
      stacks: ['a', 'b'],
      detailed: false,
      synth: false,
      out: 'x.md',
      listChanged: false,
    });
    expect(parseArgs(['--base', 'origin/main', '--list-changed'])).toEqual(
      expect.objectContaining({ base: 'origin/main', listChanged: true }),
    );
    expect(parseArgs(['--merge', 'a.json', 'b.json', '--detailed-exitcode'])).toEqual(
      expect.objectContaining({ merge: ['a.json', 'b.json'], detailed: true }),
    );
    expect(() => parseArgs(['--stack'])).toThrow(UsageError);
    expect(() => parseArgs(['--stack'])).toThrow(/--stack <value>' argument missing/);
    expect(() => parseArgs(['--detailed'])).toThrow(/Unknown option '--detailed'/);
    expect(() => parseArgs(['owner'])).toThrow(/unexpected argument: owner/);
    expect(() => parseArgs(['--list-changed'])).toThrow(/needs --base/);
    expect(() => parseArgs(['--merge'])).toThrow(/at least one partial file/);
    expect(() => parseArgs(['owner', 'x'])).toThrow(new UsageError('unexpected argument: owner x (partial files go with --merge)'));
    // Empty names from a trailing or doubled comma are dropped, and a list of nothing is no filter.
    expect(parseArgs(['--stack', 'owner,,participant-a,'])).toEqual(expect.objectContaining({ stacks: ['owner', 'participant-a'] }));
    expect(parseArgs(['--stack', ','])).not.toHaveProperty('stacks');
    expect(() => parseArgs(['--help'])).toThrow(new UsageError('--help is handled by the runner'));
  });

  it('runs at most `limit` tasks at once and keeps result order', async () => {
    let inFlight = 0;
    let peak = 0;
    const out = await mapLimit([30, 10, 20, 5, 1], 2, async (ms) => {
      peak = Math.max(peak, ++inFlight);
      await new Promise((r) => setTimeout(r, ms));
      inFlight--;
      return ms * 2;
    });
    expect(peak).toBe(2);
    expect(out).toEqual([60, 20, 40, 10, 2]);
  });
});

describe('runRulesOverStacks', () => {
  it('collects findings and suppressed findings per stack and reports unused suppressions', () => {
    const json = { resource: { aws_kms_key: { k: { description: 'x' } } } };
    const run = runRulesOverStacks(
      [
        { stack: 'owner', json },
        { stack: 'participant-a', json },
      ],
      {
        settings: { allowPublicWebserver: false },
        suppressions: [
          { rule: 'CKV_AWS_7', stack: 'owner', resource: 'aws_kms_key.k', reason: 'rotation handled by the key owner' },
          { rule: 'CKV_AWS_58', resource: '*', reason: 'no EKS here, stale exception' },
        ],
      },
    );
    expect(run.findings.map((f) => `${f.stack}:${f.rule}`)).toEqual(['participant-a:CKV_AWS_7']);
    expect(run.suppressed.map((f) => `${f.stack}:${f.rule}`)).toEqual(['owner:CKV_AWS_7']);
    expect(run.unused.map((s) => s.rule)).toEqual(['CKV_AWS_58']);
  });
});

describe('capacityFigures', () => {
  let config: ReturnType<typeof loadFixture>;
  beforeEach(() => {
    config = loadFixture();
  });

  it('counts the platform interface endpoints plus one per environment and one per private webserver', () => {
    const [endpoints] = capacityFigures(config);
    // 9 MWAA endpoints + secretsmanager, ssm, sts, ec2, eks + the PyPI mirror's codeartifact.api and
    // codeartifact.repositories; analytics-prod is private (2), marketing-campaigns public (1).
    expect(endpoints).toEqual(expect.objectContaining({ used: 16 + 2 + 1, limit: 50 }));
    expect(endpoints.note).toBe('16 platform + 3 for 2 MWAA environments (database, plus webserver when private)');
    expect(endpoints).not.toHaveProperty('unit');
  });

  it('sizes the SQS endpoint policy with one maximal queue ARN per environment', () => {
    const sqs = capacityFigures(config)[1];
    expect(sqs.limit).toBe(20_480);
    expect(sqs.unit).toBe('chars');
    expect(sqs.note).toBe('worst case, 2 queue(s) of maximal name length by exact ARN, before compaction');
    const withOneMore = {
      ...config,
      teams: [...config.teams, { ...config.teams[1], team: 'c', environments: [config.teams[1].environments[0]] }],
    };
    const oneMore = capacityFigures(withOneMore)[1];
    // Each extra environment adds one ARN with an 80-character queue name (plus quotes and comma).
    expect(oneMore.used - sqs.used).toBe('arn:aws:sqs:eu-west-1:999999999999:'.length + 80 + 3);
  });

  it('adds the recovery VPC’s endpoints when the platform has a recovery region, and nothing without one', () => {
    expect(capacityFigures(config).map((f) => f.name)).toEqual(['Interface endpoints in the shared VPC', 'SQS endpoint policy size']);
    // analytics-prod (private, 2) and marketing-campaigns (public, 1) recovered; the 9 endpoints MWAA needs and the
    // recovery region's own PyPI mirror (codeartifact.api and codeartifact.repositories).
    expect(capacityFigures(loadRecoveryExample())[2]).toEqual({
      name: 'Interface endpoints in the recovery VPC (us-west-2)',
      used: 14,
      limit: 50,
      note: '11 platform + 3 for 2 recovered MWAA environments, as after a failover',
    });
  });
});

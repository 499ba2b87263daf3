/**
 * `npm run plan` in-process, on the paths that need neither synthesis nor Terraform: merging matrix results,
 * failures before any plan (missing output, invalid configuration, unknown stack). Each test writes into its own
 * temporary folder, removed afterwards.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseCommandLine, UsageError } from '../../../tools/lib/cli';
import { ConfigError } from '../../../model/errors';
import { PLAN_COMMAND, runPlan, type PartialReview } from '../../../tools/plan-review/run';
import type { StackJson } from '../../../tools/rules/types';
import { FIXTURE_CONFIG } from '../../support/fixture-paths';

const ENV_KEYS = ['PREVIEW', 'CDKTF_OUTDIR', 'PLATFORM_CONFIG', 'GITHUB_STEP_SUMMARY'] as const;
let dir: string;
let saved: Record<string, string | undefined>;
let log: jest.SpyInstance;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'plan-run-'));
  saved = Object.fromEntries(ENV_KEYS.map((k) => [k, process.env[k]]));
  for (const k of ENV_KEYS) delete process.env[k];
  process.env.PREVIEW = 'offline';
  process.env.PLATFORM_CONFIG = FIXTURE_CONFIG;
  log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
  jest.spyOn(console, 'error').mockImplementation(() => undefined);
});
afterEach(() => {
  for (const k of ENV_KEYS)
    if (saved[k] === undefined) delete process.env[k];
    else process.env[k] = saved[k];
  jest.restoreAllMocks();
  rmSync(dir, { recursive: true, force: true });
});

const run = (...argv: string[]) => runPlan(parseCommandLine(PLAN_COMMAND, argv)!);
const read = (f: string) => readFileSync(f, 'utf8');
const ADMIN = 'arn:aws:iam::aws:policy/AdministratorAccess';

const partial = (over: Partial<PartialReview>): PartialReview => ({
  mode: 'base',
  base: 'origin/main',
  inputs: [],
  errors: [],
  unchanged: [],
  findings: [],
  suppressed: [],
  teamFiles: [],
  capacity: [],
  ...over,
});
const attachment = (arn: string): StackJson => ({
  resource: { aws_iam_role_policy_attachment: { a: { role: 'x-a-r', policy_arn: arn } } },
});

describe('--merge', () => {
  const write = (name: string, p: PartialReview) => {
    const f = join(dir, name);
    writeFileSync(f, JSON.stringify(p));
    return f;
  };

  it('renders one review from the shards, writes both files and the job summary, and exits by the result with --detailed-exitcode', async () => {
    const a = write(
      'a.json',
      partial({
        inputs: [{ stack: 'participant-a', team: 'a', baseConfig: { resource: {} }, config: attachment(ADMIN) }],
        unchanged: ['owner', 'participant-b'],
        teamFiles: [{ path: 'teams/a/x.py', status: 'added', added: 1, removed: 0 }],
        capacity: [{ name: 'Interface endpoints', used: 1, limit: 2 }],
      }),
    );
    const b = write(
      'b.json',
      partial({
        inputs: [
          {
            stack: 'participant-b',
            team: 'b',
            baseConfig: { resource: {} },
            config: { resource: { aws_sqs_queue: { q: { name: 'x-b-q' } } } },
          },
        ],
        unchanged: ['owner', 'participant-a'],
        stackItems: [{ stack: 'participant-gone', level: 'review', title: 'note' }],
      }),
    );
    const out = join(dir, 'review.md');
    const summary = join(dir, 'summary.md');
    writeFileSync(summary, 'before\n');
    process.env.GITHUB_STEP_SUMMARY = summary;
    expect(await run('--merge', a, b, '--out', out, '--detailed-exitcode')).toBe(4);
    const md = read(out);
    expect(md).toContain('> ℹ️ Compared offline with `origin/main`');
    expect(md).toContain('**Unchanged** (configuration identical to `origin/main`, not planned): `owner`');
    expect(md).toContain(
      `- \`participant-a\` · **aws_iam_role_policy_attachment.a** · attaches \`${ADMIN}\` — **broad AWS managed policy**`,
    );
    expect(md).toContain('| `teams/a/x.py` | added (1 lines) |');
    expect(md).toContain('| Interface endpoints | 1 | 2 | 1 | ✅ 50% used |');
    const full = read(join(dir, 'review.full.md'));
    expect(read(summary)).toBe(`before\n${full}\n`);
    expect(log).toHaveBeenCalledWith(expect.stringMatching(/^Plan review: HIGH — 2 stack\(s\) reviewed, 1 unchanged/));
    // Without --detailed-exitcode a finished review is 0, whatever it found.
    expect(await run('--merge', a, '--out', out)).toBe(0);
    const info = write(
      'c.json',
      partial({
        mode: 'live',
        base: undefined,
        inputs: [
          {
            stack: 'participant-b',
            team: 'b',
            baseConfig: { resource: {} },
            config: { resource: { aws_sqs_queue: { q: { name: 'x-b-q' } } } },
          },
        ],
      }),
    );
    expect(await run('--merge', info, '--out', out, '--detailed-exitcode')).toBe(3);
    expect(read(out)).not.toContain('ℹ️');
  });

  it('a shard that cannot be read fails the review (exit 1) and replaces the previous one; with --partial the failure is the partial', async () => {
    const out = join(dir, 'review.md');
    writeFileSync(out, 'stale');
    writeFileSync(join(dir, 'review.full.md'), 'stale');
    expect(await run('--merge', join(dir, 'missing.json'), '--out', out, '--detailed-exitcode')).toBe(1);
    expect(read(out)).toContain('**Result: ❌ FAILED** — 1 stack(s) failed');
    expect(read(out)).toContain('**`(all stacks)` failed at merge:**');
    expect(read(out)).toContain('missing.json');
    expect(read(join(dir, 'review.full.md'))).toContain('failed at merge');

    const p = join(dir, 'partial.json');
    expect(await run('--merge', join(dir, 'missing.json'), '--out', out, '--partial', p)).toBe(1);
    // The old review is gone; the failure travels in the partial, for the merge job to show.
    expect(existsSync(out)).toBe(false);
    expect(existsSync(join(dir, 'review.full.md'))).toBe(false);
    const written = JSON.parse(read(p)) as PartialReview;
    expect(written).toEqual(expect.objectContaining({ mode: 'offline', inputs: [], unchanged: [] }));
    expect(written.errors).toEqual([
      expect.objectContaining({ stack: '(all stacks)', stage: 'merge', message: expect.stringContaining('missing.json') }),
    ]);
  });
});

describe('before any plan', () => {
  it('an absolute CDKTF_OUTDIR is read where it is; without synthesized stacks the review is FAILED at synth', async () => {
    const outdir = join(dir, 'cdktf.out');
    process.env.CDKTF_OUTDIR = outdir;
    const out = join(dir, 'review.md');
    expect(await run('--no-synth', '--out', out, '--detailed-exitcode')).toBe(1);
    expect(read(out)).toContain('**`(all stacks)` failed at synth:**');
    expect(read(out)).toContain(`\n\`\`\`text\n${join(outdir, 'stacks')} does not exist: synthesize first`);
    expect(read(out)).toContain('> ℹ️ Offline preview');
  });

  it('a stack that is not in the output is a usage error naming the stacks there are', async () => {
    const outdir = join(dir, 'cdktf.out');
    mkdirSync(join(outdir, 'stacks', 'owner'), { recursive: true });
    writeFileSync(join(outdir, 'stacks', 'owner', 'cdk.tf.json'), '{"resource":{}}');
    process.env.CDKTF_OUTDIR = outdir;
    const result = run('--no-synth', '--stack', 'participant-x', '--out', join(dir, 'review.md'));
    await expect(result).rejects.toThrow(UsageError);
    await expect(run('--no-synth', '--stack', 'participant-x', '--out', join(dir, 'review.md'))).rejects.toThrow(
      `no stack participant-x in ${outdir} (have: owner)`,
    );
  });

  it('an invalid configuration is a FAILED review at configuration, and the error goes on to the runner (exit 2)', async () => {
    process.env.PLATFORM_CONFIG = join(dir, 'no-config');
    const out = join(dir, 'review.md');
    await expect(run('--out', out)).rejects.toThrow(ConfigError);
    expect(read(out)).toContain('failed at configuration');
    expect(read(out)).toContain('**Result: ❌ FAILED**');
  });

  it('prints an invalid configuration not at all itself: the runner prints it, once', async () => {
    process.env.PLATFORM_CONFIG = join(dir, 'no-config');
    const error = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    const thrown = await run('--out', join(dir, 'review.md')).catch((e: Error) => e);
    expect(thrown).toBeInstanceOf(ConfigError);
    const printed = [...log.mock.calls, ...error.mock.calls].map((c) => c.join(' ')).join('\n');
    expect(printed).not.toContain((thrown as Error).message.split('\n')[1]);
  });

  it('prints a failed synthesis once (in the summary), not again on its own', async () => {
    process.env.CDKTF_OUTDIR = join(dir, 'cdktf.out');
    const error = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    expect(await run('--no-synth', '--out', join(dir, 'review.md'))).toBe(1);
    const printed = [...log.mock.calls, ...error.mock.calls].map((c) => c.join(' ')).join('\n');
    expect(printed.split('does not exist: synthesize first').length - 1).toBe(1);
  });

  it('a failed --base review names the ref it compared with, not "base"', async () => {
    process.env.CDKTF_OUTDIR = join(dir, 'cdktf.out');
    const out = join(dir, 'review.md');
    expect(await run('--no-synth', '--base', 'origin/release-7', '--out', out)).toBe(1);
    expect(read(out)).toContain('Compared offline with `origin/release-7`');
    expect(read(out)).not.toContain('with `base`');
  });
});

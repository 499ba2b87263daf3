/**
 * `npm run plan` in-process past synthesis: which stacks are planned, what each planned stack contributes to the
 * review (team, account, plan, findings), failures of one stack, --partial, --base and the first deployment. The two
 * process boundaries are replaced: Terraform (init/plan/show, covered for real in terraform-init.test.ts) and the
 * base revision's synthesis in a git worktree (covered for real in base.test.ts). Configuration loading, the rules,
 * the orphan scan and the review itself run as in production.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { parseCommandLine, UsageError } from '../../../tools/lib/cli';
import { configInRepo, readTree, synthesizeBase, teamFileDirs, type BaseSnapshot } from '../../../tools/plan-review/base';
import { FIRST_DEPLOYMENT_NOTE, PLAN_COMMAND, runPlan, type PartialReview } from '../../../tools/plan-review/run';
import type { TerraformPlanJson } from '../../../tools/plan-review/review';
import type { StackJson } from '../../../tools/rules/types';
import { initAndPlanAsync, requireTerraform, showJsonAsync, TerraformError } from '../../../tools/lib/terraform';
import { FIXTURE_CONFIG, fixtureConfigWith, REPO_ROOT } from '../../support/config-fixture';

jest.mock('../../../tools/lib/terraform', () => ({
  ...jest.requireActual('../../../tools/lib/terraform'),
  requireTerraform: jest.fn(),
  initAndPlanAsync: jest.fn(),
  showJsonAsync: jest.fn(),
}));
jest.mock('../../../tools/plan-review/base', () => ({
  ...jest.requireActual('../../../tools/plan-review/base'),
  synthesizeBase: jest.fn(),
}));

const planMock = jest.mocked(initAndPlanAsync);
const showMock = jest.mocked(showJsonAsync);
const requireMock = jest.mocked(requireTerraform);
const baseMock = jest.mocked(synthesizeBase);

const ADMIN = 'arn:aws:iam::aws:policy/AdministratorAccess';
const OWNER_ACCOUNT = '111111111111';
const ANALYTICS_ACCOUNT = '222222222222';
const MARKETING_ACCOUNT = '333333333333';

let dir: string;
let outdir: string;
let savedEnv: NodeJS.ProcessEnv;
let stderr: string[];
let stdout: string[];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'plan-run-'));
  outdir = join(dir, 'cdktf.out');
  savedEnv = { ...process.env };
  for (const k of Object.keys(process.env))
    if (/^(AWS_|GITHUB_|CI$|PREVIEW$|CDKTF_OUTDIR$|PLATFORM_CONFIG$|TERRAFORM_ROLE$|BOOTSTRAP$)/.test(k)) delete process.env[k];
  process.env.PREVIEW = 'offline';
  process.env.CDKTF_OUTDIR = outdir;
  // The fixture platform, never the working tree's config/ (a platform's own); inside the repository, as --base needs.
  process.env.PLATFORM_CONFIG = FIXTURE_CONFIG;
  stderr = [];
  stdout = [];
  jest.spyOn(console, 'error').mockImplementation((m: string) => void stderr.push(String(m)));
  jest.spyOn(console, 'log').mockImplementation((m: string) => void stdout.push(String(m)));
  planMock.mockReset().mockResolvedValue({ changes: true } as never);
  showMock.mockReset();
  requireMock.mockReset();
  baseMock.mockReset();
});
afterEach(() => {
  process.env = savedEnv;
  jest.restoreAllMocks();
  rmSync(dir, { recursive: true, force: true });
});

const run = (...argv: string[]) => runPlan(parseCommandLine(PLAN_COMMAND, argv)!);
const read = (f: string) => readFileSync(f, 'utf8');
const out = () => join(dir, 'review.md');

/** Synthesized stacks on disk, as `npm run synth` leaves them. */
function synthesized(stacks: Record<string, StackJson>): void {
  for (const [stack, json] of Object.entries(stacks)) {
    mkdirSync(join(outdir, 'stacks', stack), { recursive: true });
    writeFileSync(join(outdir, 'stacks', stack, 'cdk.tf.json'), JSON.stringify(json));
  }
}

/** Terraform's `show -json` per stack directory. */
function plans(byStack: Record<string, TerraformPlanJson>): void {
  showMock.mockImplementation(async (stackDirectory: string) => {
    const plan = byStack[basename(stackDirectory)];
    if (!plan) throw new Error(`no plan for ${stackDirectory}`);
    return plan;
  });
}

const create = (address: string, after: Record<string, unknown>) => {
  const [type, name] = address.split('.');
  return {
    address,
    mode: 'managed',
    type,
    name,
    provider_name: 'registry.terraform.io/hashicorp/aws',
    change: { actions: ['create'], before: null, after, after_unknown: {} },
  };
};
const plan = (...resourceChanges: ReturnType<typeof create>[]): TerraformPlanJson => ({
  format_version: '1.2',
  resource_changes: resourceChanges as never,
});
const NO_CHANGES = plan();

/** An encrypted queue: no rule reports it. */
const queue = (name: string): StackJson => ({ resource: { aws_sqs_queue: { q: { name, sqs_managed_sse_enabled: true } } } });
const adminAttachment = (role: string): StackJson => ({
  resource: { aws_iam_role_policy_attachment: { admin: { role, policy_arn: ADMIN } } },
});
/** A bucket with no public access block: the rules' S3 check reports it. */
const bareBucket: StackJson = { resource: { aws_s3_bucket: { dags: { bucket: 'acme-data-analytics-dags' } } } };

describe('offline preview (Terraform plans every stack)', () => {
  it('plans each synthesized stack in its own directory and reviews the plans with team, account and rule findings', async () => {
    synthesized({
      owner: queue('acme-data-owner-q'),
      'participant-analytics': bareBucket,
      'participant-marketing': adminAttachment('acme-data-marketing-exec'),
    });
    plans({
      owner: NO_CHANGES,
      'participant-analytics': plan(create('aws_s3_bucket.dags', { bucket: 'acme-data-analytics-dags' })),
      'participant-marketing': plan(
        create('aws_iam_role_policy_attachment.admin', { role: 'acme-data-marketing-exec', policy_arn: ADMIN }),
      ),
    });
    const code = await run('--no-synth', '--out', out(), '--detailed-exitcode');

    expect(requireMock).toHaveBeenCalledTimes(1);
    expect(planMock.mock.calls.map(([d, f]) => [d, f]).sort()).toEqual(
      ['owner', 'participant-analytics', 'participant-marketing'].map((s) => [join(outdir, 'stacks', s), 'tfplan']),
    );
    expect(code).toBe(4);
    const md = read(out());
    expect(md).toContain('> ℹ️ Offline preview');
    expect(md).toContain(
      `- \`participant-marketing\` · **aws_iam_role_policy_attachment.admin** · attaches \`${ADMIN}\` — **broad AWS managed policy**`,
    );
    expect(md).toMatch(/participant-analytics.*aws_s3_bucket\.dags/);
    expect(read(join(dir, 'review.full.md'))).toContain('aws_s3_bucket.dags');
    expect(stderr).toContain('plan: offline preview (no AWS credentials or PREVIEW=offline)');
    expect(stderr.filter((l) => /^ {2}✓ \S+ planned in \d+s$/.test(l))).toHaveLength(3);
    expect(stdout).toEqual([expect.stringMatching(/^Plan review: HIGH — 3 stack\(s\) reviewed/)]);
  });

  it('the partial result carries each stack with its team, account, the platform accounts, plan and configuration', async () => {
    synthesized({ owner: queue('acme-data-owner-q'), 'participant-analytics': bareBucket });
    const analyticsPlan = plan(create('aws_s3_bucket.dags', { bucket: 'acme-data-analytics-dags' }));
    plans({ owner: NO_CHANGES, 'participant-analytics': analyticsPlan });
    const partialFile = join(dir, 'partial.json');
    expect(await run('--no-synth', '--out', out(), '--partial', partialFile)).toBe(0);

    expect(existsSync(out())).toBe(false);
    const written = JSON.parse(read(partialFile)) as PartialReview;
    const accounts = [OWNER_ACCOUNT, ANALYTICS_ACCOUNT, MARKETING_ACCOUNT];
    expect(written.mode).toBe('offline');
    expect(written).not.toHaveProperty('base');
    expect(written.inputs).toEqual([
      {
        platformAccounts: accounts,
        platform: 'acme-data',
        stack: 'owner',
        accountId: OWNER_ACCOUNT,
        plan: NO_CHANGES,
        config: queue('acme-data-owner-q'),
      },
      {
        platformAccounts: accounts,
        platform: 'acme-data',
        stack: 'participant-analytics',
        team: 'analytics',
        accountId: ANALYTICS_ACCOUNT,
        plan: analyticsPlan,
        config: bareBucket,
      },
    ]);
    expect(written.errors).toEqual([]);
    expect(written.unchanged).toEqual([]);
    expect(written.teamFiles).toEqual([]);
    expect(written.findings.map((f) => [f.stack, f.resource])).toContainEqual(['participant-analytics', 'aws_s3_bucket.dags']);
    expect(written.findings.map((f) => [f.stack, f.resource, f.rule]).sort()).toEqual(
      ['CKV2_AWS_6', 'CKV_AWS_145', 'CKV_AWS_21', 'S3_TLS_ONLY'].map((rule) => ['participant-analytics', 'aws_s3_bucket.dags', rule]),
    );
    expect(written.capacity.map((c) => c.name)).toEqual(['Interface endpoints in the shared VPC', 'SQS endpoint policy size']);
    expect(written.stackItems).toEqual([]);
    expect(stderr).toContain(`wrote ${partialFile}: 2 stack(s), 0 failure(s)`);
  });

  it('a stack whose init fails is FAILED at init (exit 1, with or without --detailed-exitcode); the others are still reviewed', async () => {
    synthesized({ owner: queue('acme-data-owner-q'), 'participant-marketing': adminAttachment('acme-data-marketing-exec') });
    planMock.mockImplementation(async (d: string) => {
      if (basename(d) === 'owner')
        throw new TerraformError('terraform init failed: mirror missing', ['init', '-input=false'], d, 1, 'mirror missing');
      return { changes: true } as never;
    });
    plans({
      'participant-marketing': plan(
        create('aws_iam_role_policy_attachment.admin', { role: 'acme-data-marketing-exec', policy_arn: ADMIN }),
      ),
    });

    expect(await run('--no-synth', '--out', out())).toBe(1);
    const md = read(out());
    expect(md).toContain('**Result: ❌ FAILED**');
    expect(md).toContain('**`owner` failed at init:**');
    expect(md).toContain('terraform init failed: mirror missing');
    expect(md).toContain('aws_iam_role_policy_attachment.admin');
    expect(stderr).toContain('  ✗ owner failed at init');
    expect(showMock).toHaveBeenCalledTimes(1);

    // Any other error is a failure at plan; in a partial it makes the shard exit 1 and is not among the inputs.
    planMock.mockRejectedValue(new Error('spawn terraform ENOENT'));
    const partialFile = join(dir, 'partial.json');
    expect(await run('--no-synth', '--stack', 'participant-marketing', '--out', out(), '--partial', partialFile)).toBe(1);
    const written = JSON.parse(read(partialFile)) as PartialReview;
    expect(written.errors).toEqual([{ stack: 'participant-marketing', stage: 'plan', message: 'spawn terraform ENOENT' }]);
    expect(written.inputs).toEqual([]);
    expect(written.findings).toEqual([]);
    expect(stderr).toContain(`wrote ${partialFile}: 0 stack(s), 1 failure(s)`);
  });

  it('credentials that cannot reach the roles: one line says PREVIEW=offline plans without them, and the review says it too', async () => {
    delete process.env.PREVIEW;
    process.env.AWS_ACCESS_KEY_ID = 'AKIAEXAMPLE';
    process.env.AWS_SECRET_ACCESS_KEY = 'example';
    synthesized({ owner: queue('acme-data-owner-q') });
    planMock.mockRejectedValue(
      new TerraformError(
        'terraform plan failed:\nError: Cannot assume IAM Role\n\n  with provider["registry.terraform.io/hashicorp/aws"],\ndial tcp: lookup sts.eu-west-1.amazonaws.com: no such host',
        ['plan'],
        'owner',
        1,
        '',
      ),
    );
    expect(await run('--no-synth', '--out', out())).toBe(1);
    expect(stderr).toContain('plan: live, with AWS credentials');
    const hint = stderr.filter((l) => l.includes('PREVIEW=offline'));
    expect(hint).toEqual([
      'plan: the AWS credentials in this shell cannot reach the platform\'s roles (owner); `PREVIEW=offline npm run plan` plans without them (docs/plan-review.md, "Which mode applies")',
    ]);
    expect(read(out())).toContain('`PREVIEW=offline npm run plan` plans without them');
    // Any other failure gets no such line.
    stderr.length = 0;
    planMock.mockRejectedValue(new TerraformError('Error: Unsupported argument', ['plan'], 'owner', 1, ''));
    expect(await run('--no-synth', '--out', out())).toBe(1);
    expect(stderr.filter((l) => l.includes('PREVIEW=offline'))).toEqual([]);
  });

  it('--stack plans only the named stacks; the others are not mentioned as reviewed', async () => {
    synthesized({
      owner: adminAttachment('acme-data-owner-r'),
      'participant-analytics': queue('acme-data-analytics-q'),
      'participant-marketing': queue('acme-data-marketing-q'),
    });
    plans({ 'participant-analytics': NO_CHANGES, 'participant-marketing': NO_CHANGES });
    expect(await run('--no-synth', '--stack', 'participant-marketing,participant-analytics', '--out', out(), '--detailed-exitcode')).toBe(
      0,
    );
    expect(planMock.mock.calls.map(([d]) => basename(d)).sort()).toEqual(['participant-analytics', 'participant-marketing']);
    expect(stdout).toEqual([expect.stringMatching(/^Plan review: \S+ — 2 stack\(s\) reviewed/)]);
  });

  it('a configuration that cannot be loaded after synthesis is a warning: the review has no capacity, accounts or rule findings', async () => {
    process.env.PLATFORM_CONFIG = join(dir, 'no-config');
    synthesized({ 'participant-analytics': bareBucket });
    plans({ 'participant-analytics': NO_CHANGES });
    const partialFile = join(dir, 'partial.json');
    expect(await run('--no-synth', '--out', out(), '--partial', partialFile)).toBe(0);
    expect(stderr.find((l) => l.startsWith('warning: '))).toMatch(
      /^warning: platform config not loaded, review has no suppressions, capacity or accounts: \S/,
    );
    expect(stderr.find((l) => l.startsWith('warning: '))).not.toContain('\n');
    const written = JSON.parse(read(partialFile)) as PartialReview;
    expect(written.inputs).toEqual([{ stack: 'participant-analytics', team: 'analytics', plan: NO_CHANGES, config: bareBucket }]);
    expect(written.capacity).toEqual([]);
    expect(written.findings).toEqual([]);
    expect(written.suppressed).toEqual([]);
  });

  it('a configuration outside the repository is fine without --base (only the comparison reads it in both revisions)', async () => {
    process.env.PLATFORM_CONFIG = fixtureConfigWith({});
    synthesized({ owner: queue('acme-data-owner-q') });
    plans({ owner: NO_CHANGES });
    const partialFile = join(dir, 'partial.json');
    expect(await run('--no-synth', '--out', out(), '--partial', partialFile)).toBe(0);
    const written = JSON.parse(read(partialFile)) as PartialReview;
    expect(written.inputs.map((i) => i.accountId)).toEqual([OWNER_ACCOUNT]);
  });
});

describe('what a run writes', () => {
  it('the full review goes next to the comment, also when the name has no .md; stderr says where and how long', async () => {
    synthesized({ owner: queue('acme-data-owner-q') });
    plans({ owner: NO_CHANGES });
    const txt = join(dir, 'review.txt');
    expect(await run('--no-synth', '--out', txt)).toBe(0);
    expect(read(`${txt}.full.md`)).toContain('owner');
    expect(stderr).toContain(`wrote ${txt} (${read(txt).length} characters) and ${txt}.full.md`);
    expect(await run('--no-synth', '--out', out())).toBe(0);
    expect(existsSync(join(dir, 'review.full.md'))).toBe(true);
  });

  it('a failure is reported on stderr with its stage, and as a partial that holds nothing but the failure', async () => {
    const partialFile = join(dir, 'partial.json');
    expect(await run('--no-synth', '--out', out(), '--partial', partialFile)).toBe(1);
    const message = `${join(outdir, 'stacks')} does not exist: synthesize first (npm run synth)`;
    expect(stderr).toContain(`plan FAILED at synth:\n${message}`);
    expect(JSON.parse(read(partialFile))).toEqual({
      mode: 'offline',
      inputs: [],
      errors: [{ stack: '(all stacks)', stage: 'synth', message }],
      unchanged: [],
      findings: [],
      suppressed: [],
      teamFiles: [],
      capacity: [],
    });
  });
});

describe('--base (offline comparison of two configurations)', () => {
  const baseSnapshot = (stacks: Record<string, StackJson>, teamFiles: Map<string, string>): BaseSnapshot => ({
    ref: 'origin/main',
    commit: 'c0ffee',
    stacks: new Map(Object.entries(stacks)),
    teamFiles,
  });
  const headTeamFiles = () => readTree(REPO_ROOT, teamFileDirs(configInRepo(REPO_ROOT, { PLATFORM_CONFIG: FIXTURE_CONFIG })));

  it('reviews only the changed stacks from the two configurations, without Terraform; the rest is listed unchanged', async () => {
    synthesized({
      owner: queue('acme-data-owner-q'),
      'participant-analytics': bareBucket,
      'participant-marketing': adminAttachment('acme-data-marketing-exec'),
    });
    const teamFiles = headTeamFiles();
    teamFiles.set('teams/analytics/dags/removed_dag.py', 'print("gone")\n');
    baseMock.mockReturnValue(
      baseSnapshot(
        {
          owner: queue('acme-data-owner-q'),
          'participant-analytics': bareBucket,
          'participant-marketing': { resource: {} },
          'participant-old': queue('x'),
        },
        teamFiles,
      ),
    );

    const partialFile = join(dir, 'partial.json');
    expect(await run('--no-synth', '--base', 'origin/main', '--out', out(), '--partial', partialFile)).toBe(0);
    expect(baseMock).toHaveBeenCalledWith(REPO_ROOT, 'origin/main', process.env, 'offline');
    expect(requireMock).not.toHaveBeenCalled();
    expect(planMock).not.toHaveBeenCalled();
    const written = JSON.parse(read(partialFile)) as PartialReview;
    expect(written.mode).toBe('base');
    expect(written.base).toBe('origin/main');
    expect(written.unchanged).toEqual(['owner', 'participant-analytics']);
    expect(written.inputs.map((i) => [i.stack, Boolean(i.config), Boolean(i.baseConfig), Boolean(i.plan)])).toEqual([
      ['participant-marketing', true, true, false],
      ['participant-old', false, true, false],
    ]);
    expect(written.inputs[0]).toEqual(
      expect.objectContaining({ config: adminAttachment('acme-data-marketing-exec'), baseConfig: { resource: {} } }),
    );
    expect(written.teamFiles).toEqual([expect.objectContaining({ path: 'teams/analytics/dags/removed_dag.py', status: 'removed' })]);
    expect(stderr).toContain('plan: offline comparison with origin/main');

    // Rendered: the comparison banner and the unchanged stacks.
    expect(await run('--no-synth', '--base', 'origin/main', '--out', out(), '--detailed-exitcode')).toBe(4);
    expect(read(out())).toContain(
      '**Unchanged** (configuration identical to `origin/main`, not planned): `owner`, `participant-analytics`',
    );
  });

  it('--list-changed prints the split for the job matrix and writes no review', async () => {
    synthesized({ owner: queue('acme-data-owner-q'), 'participant-analytics': bareBucket });
    baseMock.mockReturnValue(baseSnapshot({ owner: queue('acme-data-owner-q'), 'participant-analytics': queue('y') }, headTeamFiles()));
    expect(await run('--no-synth', '--base', 'origin/main', '--list-changed', '--out', out())).toBe(0);
    expect(stdout).toEqual([JSON.stringify({ changed: ['participant-analytics'], unchanged: ['owner'] })]);
    expect(existsSync(out())).toBe(false);
  });

  it('--stack may name a stack the change removes (only in base) but not one in neither revision', async () => {
    synthesized({ owner: queue('acme-data-owner-q') });
    baseMock.mockReturnValue(baseSnapshot({ owner: queue('acme-data-owner-q'), 'participant-old': queue('x') }, headTeamFiles()));
    const partialFile = join(dir, 'partial.json');
    expect(await run('--no-synth', '--base', 'origin/main', '--stack', 'participant-old', '--out', out(), '--partial', partialFile)).toBe(
      0,
    );
    expect((JSON.parse(read(partialFile)) as PartialReview).inputs.map((i) => i.stack)).toEqual(['participant-old']);
    expect((JSON.parse(read(partialFile)) as PartialReview).unchanged).toEqual([]);
    await expect(run('--no-synth', '--base', 'origin/main', '--stack', 'participant-none', '--out', out())).rejects.toThrow(
      new UsageError(`no stack participant-none in ${outdir} (have: owner)`),
    );
  });

  it('a base revision that cannot be synthesized is FAILED at "synth (base)"', async () => {
    synthesized({ owner: queue('acme-data-owner-q') });
    baseMock.mockImplementation(() => {
      throw new Error('fatal: bad revision nope');
    });
    expect(await run('--no-synth', '--base', 'nope', '--out', out())).toBe(1);
    expect(read(out())).toContain('**`(all stacks)` failed at synth (base):**');
    expect(read(out())).toContain('fatal: bad revision nope');
  });

  it('with AWS credentials --base plans just the changed stacks', async () => {
    delete process.env.PREVIEW;
    process.env.AWS_ACCESS_KEY_ID = 'AKIAEXAMPLE';
    process.env.AWS_SECRET_ACCESS_KEY = 'example';
    synthesized({ owner: queue('acme-data-owner-q'), 'participant-analytics': bareBucket });
    baseMock.mockReturnValue(baseSnapshot({ owner: queue('acme-data-owner-q'), 'participant-analytics': queue('y') }, headTeamFiles()));
    plans({ 'participant-analytics': NO_CHANGES });
    const partialFile = join(dir, 'partial.json');
    expect(await run('--no-synth', '--base', 'origin/main', '--out', out(), '--partial', partialFile)).toBe(0);
    expect(requireMock).toHaveBeenCalledTimes(1);
    expect(planMock.mock.calls.map(([d]) => basename(d))).toEqual(['participant-analytics']);
    const written = JSON.parse(read(partialFile)) as PartialReview;
    expect(written.mode).toBe('live');
    expect(written.inputs.map((i) => [i.stack, i.plan])).toEqual([['participant-analytics', NO_CHANGES]]);
    expect(stderr).toContain('plan: live, with AWS credentials');
  });
});

describe('first deployment (CI plan role, example contract, S3 state)', () => {
  const firstDeploymentEnv = (config: string) => {
    delete process.env.PREVIEW;
    Object.assign(process.env, {
      CI: 'true',
      TERRAFORM_ROLE: 'plan',
      AWS_ACCESS_KEY_ID: 'AKIAEXAMPLE',
      AWS_SECRET_ACCESS_KEY: 'example',
      PLATFORM_CONFIG: config,
    });
  };
  const s3Backend = (p: Record<string, any>) => {
    p.backend = { type: 's3', bucket: 'acme-data-tfstate', region: 'eu-west-1' };
  };

  it('reviews offline and says why, as an info item of the review', async () => {
    firstDeploymentEnv(fixtureConfigWith({ platform: s3Backend, republishContract: false }));
    synthesized({ owner: queue('acme-data-owner-q') });
    plans({ owner: NO_CHANGES });
    const partialFile = join(dir, 'partial.json');
    expect(await run('--no-synth', '--out', out(), '--partial', partialFile)).toBe(0);
    expect(stderr).toContain(`plan: ${FIRST_DEPLOYMENT_NOTE}`);
    const written = JSON.parse(read(partialFile)) as PartialReview;
    expect(written.mode).toBe('offline');
    expect(written.stackItems).toContainEqual({ stack: '(network contract)', level: 'info', title: FIRST_DEPLOYMENT_NOTE });
    // Offline, so the S3 state is not listed (and not called).
    expect(written.stackItems).toContainEqual(
      expect.objectContaining({ stack: '(state)', level: 'info', title: expect.stringContaining('were not listed') }),
    );
  });

  it('is a normal live plan once the state is local (the synthesis guard reports that case)', async () => {
    firstDeploymentEnv(fixtureConfigWith({ republishContract: false }));
    synthesized({ owner: queue('acme-data-owner-q') });
    plans({ owner: NO_CHANGES });
    const partialFile = join(dir, 'partial.json');
    expect(await run('--no-synth', '--out', out(), '--partial', partialFile)).toBe(0);
    expect(stderr).not.toContain(`plan: ${FIRST_DEPLOYMENT_NOTE}`);
    const written = JSON.parse(read(partialFile)) as PartialReview;
    expect(written.mode).toBe('live');
    expect(written.stackItems).toEqual([]);
  });
});

/**
 * `npm run bootstrap`: what every platform account needs before the platform's stacks can run there, like
 * `cdk bootstrap`. One stack `bootstrap-<account>` per account (owner and every participant): the GitHub OIDC
 * provider, the deploy and plan roles and, in the state account, the state bucket.
 *
 *   npm run bootstrap                              synthesize the bootstrap stacks into cdktf.out.bootstrap/stacks/
 *   npm run bootstrap -- --plan                    and plan each (offline preview without AWS credentials), writing
 *                                                  cdktf.out.bootstrap/bootstrap-review.md: roles, their trust, the state bucket's policy
 *   npm run bootstrap -- --apply                   and apply each, the state account first (asks before each apply; needs ci.adminRoleName)
 *   npm run bootstrap -- --apply --account <id>    only that account (comma-separate several), with its credentials
 *   npm run bootstrap -- --apply --auto-approve    no confirmation
 *
 * Applying needs an administrator of each account: the ambient credentials (one account per run, `--account`),
 * or `ci.adminRoleName`, a role assumed in every account. The provider's `allowed_account_ids` stops an apply
 * with credentials of the wrong account before it changes anything. Flags and exit codes follow tools/lib/cli.ts.
 */
import { writeFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { ACCOUNT_ID } from '../contracts/aws';
import { BOOTSTRAP_OUTPUTS, bootstrapStackName } from '../contracts/bootstrap';
import { bootstrapPlan, validateBootstrap, type BootstrapPlan } from '../model/bootstrap';
import { ConfigError } from '../model/errors';
import { loadPlatformConfig } from '../model/load';
import { configDirOf, outdirOf } from '../model/synth-settings';
import { EXIT, runToolAsMain, UsageError, type CommandLine } from './lib/cli';
import { hasAwsCredentials, previewMode, readStack, stackDir, synthesize } from './lib/stacks';
import { applyInteractive, init, initAndPlanAsync, isInitialized, output, requireTerraform, showJsonAsync } from './lib/terraform';
import { reviewPlans, type StackInput, type TerraformPlanJson } from './plan-review/review';
import { mapLimit } from './lib/concurrency';

const ROOT = resolve(__dirname, '..');

export const BOOTSTRAP_COMMAND = {
  command: 'npm run bootstrap --',
  summary:
    'Synthesizes one stack bootstrap-<account> per platform account into <CDKTF_OUTDIR>.bootstrap/stacks/ (default cdktf.out.bootstrap, beside the platform stacks, which stay as they are: GitHub OIDC provider, deploy and plan roles; the state bucket in the state account); with --plan, plans them (saved plans: <stack>/tfplan) and writes bootstrap-review.md beside them (the plan review of the roles, their trust and the state bucket policy); with --apply, applies them, the state account first.',
  options: {
    plan: {
      type: 'boolean',
      description:
        'also plan each stack (offline preview when no AWS credentials are present) and write bootstrap-review.md beside the saved plans',
    },
    apply: { type: 'boolean', description: 'also apply each stack with administrator credentials, asking before each' },
    'auto-approve': { type: 'boolean', description: 'with --apply: do not ask before each apply' },
    account: { type: 'string', valueName: 'id[,id…]', description: 'only these accounts (12-digit ids, comma-separated)' },
  },
  exitCodes: {
    [EXIT.ok]: 'synthesized (and planned or applied)',
    [EXIT.failed]: 'synthesis, a plan or an apply failed, or an apply was declined',
  },
} as const;

export interface BootstrapArgs {
  readonly action: 'synth' | 'plan' | 'apply';
  readonly accounts: readonly string[];
  readonly autoApprove: boolean;
}

/** The checks node:util cannot make; throws UsageError. */
export function bootstrapArgs({ values }: CommandLine<typeof BOOTSTRAP_COMMAND.options>): BootstrapArgs {
  const accounts = values.account === undefined ? [] : values.account.split(',').map((a) => a.trim());
  const bad = accounts.find((a) => !ACCOUNT_ID.test(a));
  if (bad !== undefined) throw new UsageError(`--account needs 12-digit account ids, got "${bad}"`);
  if (values.plan && values.apply) throw new UsageError('--plan and --apply exclude each other (--apply shows the plan before it applies)');
  if (values['auto-approve'] && !values.apply) throw new UsageError('--auto-approve goes with --apply');
  return { action: values.apply ? 'apply' : values.plan ? 'plan' : 'synth', accounts, autoApprove: values['auto-approve'] };
}

/** Stacks to run: the state account first (the others' roles use its bucket), then configuration order. */
export function stacksToRun(plan: BootstrapPlan, only: readonly string[]): string[] {
  const known = plan.accounts.map((a) => a.accountId);
  const unknown = only.filter((a) => !known.includes(a));
  if (unknown.length > 0) throw new UsageError(`--account ${unknown.join(', ')}: not an account of the platform (${known.join(', ')})`);
  const ordered = [plan.stateAccountId, ...known.filter((a) => a !== plan.stateAccountId)];
  return ordered.filter((a) => only.length === 0 || only.includes(a)).map(bootstrapStackName);
}

/**
 * Why an apply cannot cover these stacks with the credentials it will use (undefined when it can): without
 * `ci.adminRoleName` every provider uses the ambient credentials, which belong to one account, and
 * `allowed_account_ids` would stop the second stack after the first was applied.
 */
export function applyRefusal(plan: BootstrapPlan, stacks: readonly string[]): string | undefined {
  if (stacks.length <= 1 || plan.accounts.some((a) => a.adminRoleArn !== undefined)) return undefined;
  return (
    `--apply without ci.adminRoleName uses your credentials, which belong to one account, for ${stacks.length} accounts: ` +
    `run it once per account with that account's administrator credentials, the state account first (--account ${plan.stateAccountId}), ` +
    'or set ci.adminRoleName (e.g. OrganizationAccountAccessRole) to assume it in every account'
  );
}

/**
 * Where the bootstrap stacks are synthesized: beside the platform's output (`<CDKTF_OUTDIR>.bootstrap`, default
 * `cdktf.out.bootstrap`), never into it, since a synthesis replaces its whole output folder and the platform's
 * stacks and their `kubernetes/` manifests would go.
 */
export function bootstrapOutdir(root: string, env: NodeJS.ProcessEnv): string {
  return `${outdirOf(env, root)}.bootstrap`;
}

/** The review `--plan` writes, in the bootstrap output folder beside the saved plans. */
export const BOOTSTRAP_REVIEW = 'bootstrap-review.md';

/** The review of the bootstrap plans, in the plan review's format: every role with its trust statements, the state bucket's policy. */
export function bootstrapReview(
  plan: BootstrapPlan,
  stacks: ReadonlyArray<{ readonly stack: string; readonly plan: TerraformPlanJson; readonly config?: StackInput['config'] }>,
  mode: 'offline' | 'live',
): ReturnType<typeof reviewPlans> {
  const platformAccounts = plan.accounts.map((a) => a.accountId);
  return reviewPlans(
    stacks.map((s) => ({
      stack: s.stack,
      accountId: s.stack.replace(/^bootstrap-/, ''),
      platformAccounts,
      plan: s.plan,
      ...(s.config ? { config: s.config } : {}),
    })),
    { mode },
  );
}

/** `Plan: 14 to add, 0 to change, 0 to destroy.` or `No changes.` from a plan's output. */
export function planSummary(stdout: string): string {
  return /Plan: .*$/m.exec(stdout)?.[0] ?? (/No changes\./.test(stdout) ? 'No changes.' : 'plan finished');
}

/** What to do once the state account is bootstrapped: the backend block and the workflow's repository variables. */
export function nextSteps(plan: BootstrapPlan, outputs: Record<string, { value: unknown }>): string {
  const value = (name: string) => String(outputs[name]?.value ?? '');
  return [
    'Next steps:',
    `  1. In platform.yaml set the backend (state of every platform stack goes to the bucket):`,
    `       backend: { type: s3, bucket: ${value(BOOTSTRAP_OUTPUTS.stateBucket)}, region: ${plan.region}, kmsKeyArn: ${value(BOOTSTRAP_OUTPUTS.stateKmsKeyAlias)} }`,
    `  2. In the GitHub repository ${plan.github.repository}, set the Actions variables:`,
    `       AWS_APPLY_ROLE_ARN=${value(BOOTSTRAP_OUTPUTS.deployRoleArn)}`,
    `       AWS_PLAN_ROLE_ARN=${value(BOOTSTRAP_OUTPUTS.planRoleArn)}`,
    `       AWS_REGION=${plan.region}`,
    '  3. Continue with the first deployment in docs/deploying.md (apply the owner, publish the network contract).',
  ].join('\n');
}

async function main(cli: CommandLine<typeof BOOTSTRAP_COMMAND.options>): Promise<number> {
  const args = bootstrapArgs(cli);
  const env = process.env;
  const outdir = bootstrapOutdir(ROOT, env);
  const config = loadPlatformConfig(configDirOf(env, ROOT), { ownerOnly: true });
  const problems = validateBootstrap(config);
  if (problems.length > 0) throw new ConfigError(problems);
  const plan = bootstrapPlan(config);
  const stacks = stacksToRun(plan, args.accounts);
  if (args.action === 'apply' && (env.PREVIEW === 'offline' || !hasAwsCredentials(env))) {
    throw new UsageError('--apply needs administrator credentials of the account(s) (AWS_PROFILE or keys); PREVIEW=offline only plans');
  }
  const refused = args.action === 'apply' ? applyRefusal(plan, stacks) : undefined;
  if (refused) throw new UsageError(refused);
  const preview = args.action === 'apply' ? 'live' : previewMode(env);
  synthesize(ROOT, { ...env, BOOTSTRAP: 'accounts', CDKTF_OUTDIR: outdir }, preview);
  console.log(
    `Synthesized ${stacks.length} bootstrap stack${stacks.length === 1 ? '' : 's'} into ${shown(resolve(outdir, 'stacks'))}: ${stacks.join(', ')}`,
  );
  if (args.action === 'synth') return EXIT.ok;

  requireTerraform();
  if (args.action === 'plan') {
    if (preview === 'offline')
      console.log('No AWS credentials: planning with the offline-preview providers (empty state, nothing read from AWS).');
    // Two at a time (the provider is CPU-bound), reported in order.
    const results = await mapLimit(stacks, 2, async (stack) => {
      const dir = stackDir(outdir, stack);
      const planned = await initAndPlanAsync(dir, 'tfplan');
      return {
        stack,
        stdout: planned.stdout,
        plan: (await showJsonAsync(dir, 'tfplan')) as TerraformPlanJson,
        config: readStack(outdir, stack),
      };
    });
    for (const r of results)
      console.log(`${r.stack}: ${planSummary(r.stdout)} Saved plan: ${shown(resolve(stackDir(outdir, r.stack), 'tfplan'))}`);
    const review = bootstrapReview(plan, results, preview);
    writeFileSync(resolve(outdir, BOOTSTRAP_REVIEW), review.full);
    console.log(
      `Review: ${shown(resolve(outdir, BOOTSTRAP_REVIEW))} (every role with its trust statements and their sub/aud conditions, the state bucket's policy)`,
    );
    console.log(
      preview === 'live'
        ? `To apply exactly a reviewed plan, as that account's administrator: terraform -chdir=${shown(resolve(outdir, 'stacks'))}/<stack> apply tfplan`
        : 'Offline preview: the saved plans show what would be created from empty state; npm run bootstrap -- --apply plans again with real credentials and asks before applying.',
    );
    return EXIT.ok;
  }
  for (const stack of stacks) {
    const dir = stackDir(outdir, stack);
    if (!isInitialized(dir)) init(dir);
    console.log(`\n== ${stack}`);
    if (applyInteractive(dir, args.autoApprove ? ['-auto-approve'] : []) !== 0) {
      console.error(`bootstrap: terraform apply of ${stack} failed or was declined; the stacks after it were not applied`);
      return EXIT.failed;
    }
  }
  const stateStack = bootstrapStackName(plan.stateAccountId);
  if (stacks.includes(stateStack)) console.log(`\n${nextSteps(plan, output(stackDir(outdir, stateStack)))}`);
  return EXIT.ok;
}

/** Repository-relative, as every message names paths; absolute when outside the repository. */
function shown(path: string): string {
  const rel = relative(ROOT, path);
  return rel.startsWith('..') ? path : rel;
}

if (require.main === module) runToolAsMain(BOOTSTRAP_COMMAND, main);

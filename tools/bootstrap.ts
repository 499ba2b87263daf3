/**
 * `npm run bootstrap`: what every platform account needs before the platform's stacks can run there, like
 * `cdk bootstrap`. One stack `bootstrap-<account>` per account (owner and every participant): the GitHub OIDC
 * provider, the deploy and plan roles and, in the state account, the state bucket.
 *
 *   npm run bootstrap                              synthesize the bootstrap stacks into cdktf.out/stacks/
 *   npm run bootstrap -- --plan                    and plan each (offline preview without AWS credentials)
 *   npm run bootstrap -- --apply                   and apply each, the state account first (asks before each apply)
 *   npm run bootstrap -- --apply --account <id>    only that account (repeatable), with that account's credentials
 *   npm run bootstrap -- --apply --auto-approve    no confirmation
 *
 * Applying needs an administrator of each account: the ambient credentials (one account per run, `--account`),
 * or `ci.adminRoleName`, a role assumed in every account. The provider's `allowed_account_ids` stops an apply
 * with credentials of the wrong account before it changes anything.
 */
import { join, resolve } from 'node:path';
import { BOOTSTRAP_OUTPUTS, bootstrapStackName } from '../contracts/bootstrap';
import { bootstrapPlan, type BootstrapPlan } from '../model/bootstrap';
import { ConfigError } from '../model/errors';
import { loadPlatformConfig } from '../model/load';
import { hasAwsCredentials, previewMode, stackDir, synthesize } from './stacks';
import { applyInteractive, init, initAndPlanAsync, isInitialized, output, requireTerraform } from './terraform';

const ROOT = resolve(__dirname, '..');

export const USAGE = `Usage: npm run bootstrap [-- --plan | --apply [--auto-approve]] [--account <id> ...]

Synthesizes one stack bootstrap-<account> per platform account into cdktf.out/stacks/ (GitHub OIDC provider,
deploy and plan roles; the state bucket in the state account).
  --plan           also plan each stack (offline preview when no AWS credentials are present)
  --apply          also apply each stack, the state account first, with administrator credentials
  --auto-approve   with --apply: do not ask before each apply
  --account <id>   only this account (repeatable)
  --help           this text`;

export interface BootstrapArgs {
  readonly action: 'synth' | 'plan' | 'apply';
  readonly accounts: readonly string[];
  readonly autoApprove: boolean;
  readonly help: boolean;
}

export function parseArgs(argv: readonly string[]): BootstrapArgs {
  const accounts: string[] = [];
  let plan = false;
  let apply = false;
  let autoApprove = false;
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--plan') plan = true;
    else if (arg === '--apply') apply = true;
    else if (arg === '--auto-approve') autoApprove = true;
    else if (arg === '--help' || arg === '-h') help = true;
    else if (arg === '--account') {
      const id = argv[++i];
      if (!id || !/^\d{12}$/.test(id)) throw new Error(`--account needs a 12-digit account id, got ${id === undefined ? 'nothing' : `"${id}"`}`);
      accounts.push(id);
    } else throw new Error(`unknown argument "${arg}"\n\n${USAGE}`);
  }
  if (plan && apply) throw new Error('--plan and --apply exclude each other (--apply shows the plan before it applies)');
  if (autoApprove && !apply) throw new Error('--auto-approve goes with --apply');
  return { action: apply ? 'apply' : plan ? 'plan' : 'synth', accounts, autoApprove, help };
}

/** Stacks to run: the state account first (the others' roles use its bucket), then configuration order. */
export function stacksToRun(plan: BootstrapPlan, only: readonly string[]): string[] {
  const known = plan.accounts.map((a) => a.accountId);
  const unknown = only.filter((a) => !known.includes(a));
  if (unknown.length > 0) throw new Error(`--account ${unknown.join(', ')}: not an account of the platform (${known.join(', ')})`);
  const ordered = [plan.stateAccountId, ...known.filter((a) => a !== plan.stateAccountId)];
  return ordered.filter((a) => only.length === 0 || only.includes(a)).map(bootstrapStackName);
}

/** Runs `fn` over items with at most `limit` in flight; results in input order. */
async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
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
    '  3. Continue with the first-deployment runbook in the README (apply the owner, publish the network contract).',
  ].join('\n');
}

async function main(argv: readonly string[]): Promise<number> {
  let args: BootstrapArgs;
  try {
    args = parseArgs(argv);
  } catch (error) {
    console.error(`bootstrap: ${(error as Error).message}`);
    return 2;
  }
  if (args.help) {
    console.log(USAGE);
    return 0;
  }
  const env = process.env;
  const outdir = resolve(ROOT, env.CDKTF_OUTDIR || 'cdktf.out');
  try {
    const config = loadPlatformConfig(resolve(ROOT, env.PLATFORM_CONFIG || 'config'), { ownerOnly: true });
    if (args.action === 'apply' && (env.PREVIEW === 'offline' || !hasAwsCredentials(env))) {
      console.error('bootstrap --apply needs administrator credentials of the account(s) (AWS_PROFILE or keys); PREVIEW=offline only plans');
      return 1;
    }
    // Synthesis validates too (validateBootstrap) and reports every problem with file and field.
    const preview = args.action === 'apply' ? 'live' : previewMode(env);
    synthesize(ROOT, { ...env, BOOTSTRAP: 'accounts', CDKTF_OUTDIR: outdir }, preview);
    const plan = bootstrapPlan(config);
    const stacks = stacksToRun(plan, args.accounts);
    console.log(`Synthesized ${stacks.length} bootstrap stack${stacks.length === 1 ? '' : 's'} into ${join(outdir, 'stacks')}: ${stacks.join(', ')}`);
    if (args.action === 'synth') return 0;

    requireTerraform();
    if (args.action === 'plan') {
      if (preview === 'offline') console.log('No AWS credentials: planning with the offline-preview providers (empty state, nothing read from AWS).');
      // Two at a time (the provider is CPU-bound), reported in order.
      const results = await mapLimit(stacks, 2, (stack) => initAndPlanAsync(stackDir(outdir, stack), 'tfplan'));
      stacks.forEach((stack, i) => console.log(`${stack}: ${planSummary(results[i].stdout)}`));
      return 0;
    }
    for (const stack of stacks) {
      const dir = stackDir(outdir, stack);
      if (!isInitialized(dir)) init(dir);
      console.log(`\n== ${stack}`);
      if (applyInteractive(dir, args.autoApprove ? ['-auto-approve'] : []) !== 0) {
        console.error(`bootstrap: terraform apply of ${stack} failed or was declined; the stacks after it were not applied`);
        return 1;
      }
    }
    const stateStack = bootstrapStackName(plan.stateAccountId);
    if (stacks.includes(stateStack)) console.log(`\n${nextSteps(plan, output(stackDir(outdir, stateStack)))}`);
    return 0;
  } catch (error) {
    console.error(error instanceof ConfigError ? error.message : `bootstrap failed: ${(error as Error).message}`);
    return 1;
  }
}

if (require.main === module) void main(process.argv.slice(2)).then((code) => (process.exitCode = code));

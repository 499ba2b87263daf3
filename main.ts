/**
 * Entry point: config files → validated model → constructs → stacks → Terraform JSON.
 *
 *   PLATFORM_CONFIG  configuration directory (default `config` beside this file); its parent is the repository
 *                    root that team paths (`teams/<team>/…`) are relative to
 *   PREVIEW=offline  providers that plan without AWS credentials (placeholder keys, no assume_role)
 *   BOOTSTRAP=owner  owner stack only, before the network contract exists
 *   BOOTSTRAP=accounts  the bootstrap stacks instead (`bootstrap-<account>`: CI trust, roles, state bucket)
 *   CI=true          with real providers: refuse the example network contract and local state
 *   TERRAFORM_ROLE   `deploy` (default) or `plan`: assume the read-only planRoleName, for pull-request plans
 *   REGIONS          `all` (default), `primary`, or `recovery`: only the recovery region's stacks, which read nothing
 *                    of the primary region (plan and apply while it is down)
 *   RECOVERY_FAILOVER  comma-separated `team/environment` backup-restore environments to create in the recovery
 *                    region (set by `npm run failover`)
 */
import { existsSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { App } from 'cdktf';
import { bootstrapPlan, validateBootstrap } from './model/bootstrap';
import { ConfigError } from './model/errors';
import { loadPlatformConfig } from './model/load';
import { failoverListProblems } from './model/recovery';
import { configDirOf, outdirOf } from './model/synth-settings';
import { deploymentGuards, isCi } from './model/validate/deployment';
import type * as Stacks from './stacks/app';
import type * as BootstrapStacks from './stacks/bootstrap-stack';
import type * as UniqueNames from './stacks/unique-names';

/** Where main's lines go: the console for the command, a collector for tests that run it in-process. */
export interface SynthOutput {
  readonly log: (line: string) => void;
  readonly error: (line: string) => void;
}

/**
 * The synthesis as a function of its environment: returns the exit code. Tests call it in-process (one process per
 * case cost more than the cases); `npm run synth` runs this file, which calls it with the process's environment.
 */
export function main(env: NodeJS.ProcessEnv = process.env, out: SynthOutput = console): number {
  // Relative names are relative to the repository, never to the working directory (model/synth-settings.ts).
  const configDir = configDirOf(env);
  const outdir = outdirOf(env);
  const bootstrap = env.BOOTSTRAP;
  if (bootstrap !== undefined && bootstrap !== '' && bootstrap !== 'owner' && bootstrap !== 'accounts') {
    out.error(`BOOTSTRAP must be "owner" or "accounts", got "${bootstrap}"; nothing was synthesized`);
    return 1;
  }
  const preview = env.PREVIEW === 'offline';
  let config;
  try {
    // The bootstrap stacks come before any contract exists, like the owner-only synth.
    config = loadPlatformConfig(configDir, { ownerOnly: bootstrap === 'owner' || bootstrap === 'accounts' });
    const problems = bootstrap === 'accounts' ? validateBootstrap(config) : deploymentGuards(config, { real: !preview, ci: isCi(env) });
    if (problems.length > 0) throw new ConfigError(problems);
  } catch (error) {
    if (error instanceof ConfigError) {
      out.error(error.message);
      return 1;
    }
    process.setSourceMapsEnabled(true);
    throw error;
  }
  for (const w of config.warnings ?? []) out.error(`warning: ${w.file}${w.path ? ` at ${w.path}` : ''}: ${w.message}`);

  const terraformRole = env.TERRAFORM_ROLE || 'deploy';
  if (terraformRole !== 'deploy' && terraformRole !== 'plan') {
    out.error(`TERRAFORM_ROLE must be "deploy" or "plan", got "${terraformRole}"; nothing was synthesized`);
    return 1;
  }
  if (terraformRole === 'plan' && !config.platform.planRoleName) {
    out.error(
      `TERRAFORM_ROLE=plan needs planRoleName in ${config.files.platform} (the read-only role in every account); nothing was synthesized`,
    );
    return 1;
  }

  const regions = env.REGIONS || 'all';
  if (regions !== 'all' && regions !== 'primary' && regions !== 'recovery') {
    out.error(`REGIONS must be "all", "primary" or "recovery", got "${regions}"; nothing was synthesized`);
    return 1;
  }
  const failover = (env.RECOVERY_FAILOVER ?? '')
    .split(',')
    .map((f) => f.trim())
    .filter(Boolean);
  const failoverProblems = failoverListProblems(config.teams, failover);
  if (failoverProblems.length > 0) {
    out.error(`${failoverProblems.join('\n')}\nnothing was synthesized`);
    return 1;
  }

  // Synthesize beside the output and swap it in only when complete, so a failure never leaves a partial cdktf.out.
  const staging = `${outdir}.staging-${process.pid}`;
  // The constructs and the provider classes are loaded only for a valid configuration: a refused one (a pull
  // request's first CI step, most often) is reported without paying for them.
  /* eslint-disable @typescript-eslint/no-require-imports -- loaded on demand, see above */
  const { buildApp } = require('./stacks/app') as typeof Stacks;
  const { buildBootstrapApp } = require('./stacks/bootstrap-stack') as typeof BootstrapStacks;
  const { DuplicateNameError } = require('./stacks/unique-names') as typeof UniqueNames;
  /* eslint-enable @typescript-eslint/no-require-imports */
  try {
    const mode = preview ? 'offline-preview' : 'real';
    const app: App =
      bootstrap === 'accounts'
        ? buildBootstrapApp(bootstrapPlan(config), { outdir: staging, mode })
        : buildApp(config, { outdir: staging, mode, terraformRole, regions, failover });
    app.synth();
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    if (error instanceof DuplicateNameError) {
      out.error(error.message);
      return 1;
    }
    process.setSourceMapsEnabled(true);
    out.error(`Synthesis failed; ${outdir} was left as it was:\n${(error as Error).stack ?? error}`);
    return 1;
  }
  if (existsSync(outdir)) {
    keepTerraformWorkingDirs(outdir, staging);
    rmSync(outdir, { recursive: true, force: true });
  }
  renameSync(staging, outdir);
  out.log(summary(outdir, preview));
  return 0;
}

/** One line saying what was written: `Synthesized 3 stacks (owner, …) into cdktf.out with real providers`. */
function summary(outdir: string, preview: boolean): string {
  const stacks = readdirSync(join(outdir, 'stacks')).sort();
  const providers = preview ? 'offline-preview providers (no AWS credentials needed)' : 'real providers';
  return `Synthesized ${stacks.length} stack${stacks.length === 1 ? '' : 's'} (${stacks.join(', ')}) into ${outdir} with ${providers}`;
}

/** Carries each stack's initialized `.terraform` (providers, modules) into the new output, so re-synth doesn't force re-init. */
function keepTerraformWorkingDirs(previous: string, next: string): void {
  const stacks = join(previous, 'stacks');
  if (!existsSync(stacks)) return;
  for (const stack of readdirSync(stacks)) {
    for (const kept of ['.terraform', '.terraform.lock.hcl']) {
      const from = join(stacks, stack, kept);
      const to = join(next, 'stacks', stack, kept);
      if (existsSync(from) && existsSync(join(next, 'stacks', stack)) && !existsSync(to)) renameSync(from, to);
    }
  }
}

if (require.main === module) {
  // cdktf records a stack trace for every token it creates; mapping each one through tsx's source maps
  // cost more than the synthesis itself. They are switched back on only to report an unexpected error.
  process.setSourceMapsEnabled(false);
  process.exitCode = main();
}

/**
 * `npm run apply`: synthesize (real providers), apply the owner stack, then the participant stacks from saved
 * plans, then wait until every MWAA environment created or updated is AVAILABLE. Flags: options.ts.
 */
import { resolve } from 'node:path';
import { loadPlatformConfig } from '../../model/load';
import type { PlatformConfig } from '../../model/model';
import { configDirOf, outdirOf } from '../../model/synth-settings';
import { EXIT, runToolAsMain, UsageError } from '../lib/cli';
import { listStacks, previewMode, synthesize } from '../lib/stacks';
import { requireTerraform } from '../lib/terraform';
import { applyAll } from './flow';
import { applyOptions, APPLY_SPEC } from './options';
import { realDeps } from './wiring';

const ROOT = resolve(__dirname, '..', '..');

/**
 * The configuration `npm run apply` works from. With BOOTSTRAP=owner (the apply job's first step, and a first
 * deployment by hand) only the owner is synthesized and the committed contract is not read: on a new platform the
 * shipped example contract names other accounts, and reading it would refuse the very apply that replaces it.
 */
export function applyConfig(root: string, env: NodeJS.ProcessEnv): PlatformConfig {
  return loadPlatformConfig(configDirOf(env, root), { ownerOnly: env.BOOTSTRAP === 'owner' });
}

/** Refusal before anything runs (pure, for tests): applying needs real credentials. */
export function preflight(env: NodeJS.ProcessEnv): string | undefined {
  if (previewMode(env) === 'offline') {
    return "AWS credentials are needed: a session of the state account's deploy role (CI's, or an operator's profile: docs/bootstrap.md, By hand), from which Terraform assumes the deploy role of every account; PREVIEW=offline (or no credentials) can only plan: npm run plan";
  }
  return undefined;
}

if (require.main === module) {
  runToolAsMain(APPLY_SPEC, async (cli) => {
    const options = applyOptions(cli);
    const refused = preflight(process.env);
    if (refused) throw new UsageError(refused);
    const outdir = outdirOf(process.env, ROOT);
    requireTerraform();
    // The config first: an invalid file is a usage error with its file and field.
    const config = applyConfig(ROOT, process.env);
    if (options.synth) synthesize(ROOT, process.env, 'live');
    const all = listStacks(outdir);
    const stacks = options.stack ? all.filter((s) => s === options.stack) : all;
    if (stacks.length === 0) throw new UsageError(`no stack ${options.stack} in ${outdir} (have: ${all.join(', ')})`);
    const wired = realDeps(config, outdir);
    try {
      const result = await applyAll(wired.deps, config, stacks, options);
      for (const f of result.failures) console.error(`✗ ${f}`);
      console.log(
        result.ok ? 'apply: done, every environment it created or updated is AVAILABLE' : `apply: ${result.failures.length} failure(s)`,
      );
      return result.ok ? EXIT.ok : EXIT.failed;
    } finally {
      wired.close();
    }
  });
}

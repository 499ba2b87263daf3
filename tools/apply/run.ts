/**
 * `npm run apply`: synthesize (real providers), apply the owner stack, then the participant stacks from saved
 * plans, then wait until every MWAA environment created or updated is AVAILABLE. See options.ts for flags.
 */
import { join, resolve } from 'node:path';
import { ConfigError } from '../../model/errors';
import { loadPlatformConfig } from '../../model/load';
import { listStacks, previewMode, synthesize } from '../stacks';
import { requireTerraform } from '../terraform';
import { applyAll } from './flow';
import { APPLY_USAGE, parseApplyArgs, UsageError } from './options';
import { realDeps } from './wiring';

const ROOT = resolve(__dirname, '..', '..');

/** Refusals before anything runs; pure for tests. */
export function preflight(env: NodeJS.ProcessEnv): string | undefined {
  if (previewMode(env) === 'offline') {
    return 'npm run apply needs AWS credentials that can assume the deploy role in every account; PREVIEW=offline (or no credentials) can only plan (npm run plan)';
  }
  return undefined;
}

async function main(argv: readonly string[]): Promise<number> {
  let options;
  try {
    options = parseApplyArgs(argv);
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`${error.message}\n\n${APPLY_USAGE}`);
      return 2;
    }
    throw error;
  }
  if (options.help) {
    console.log(APPLY_USAGE);
    return 0;
  }
  const refused = preflight(process.env);
  if (refused) {
    console.error(refused);
    return 2;
  }
  const outdir = join(ROOT, process.env.CDKTF_OUTDIR || 'cdktf.out');
  let close = (): void => undefined;
  try {
    requireTerraform();
    if (options.synth) synthesize(ROOT, process.env, 'live');
    const config = loadPlatformConfig(join(ROOT, process.env.PLATFORM_CONFIG || 'config'));
    const all = listStacks(outdir);
    const stacks = options.stack ? all.filter((s) => s === options.stack) : all;
    if (stacks.length === 0) throw new UsageError(`no stack ${options.stack} in ${outdir} (have: ${all.join(', ')})`);
    const wired = realDeps(config, outdir);
    close = wired.close;
    const result = await applyAll(wired.deps, config, stacks, options);
    for (const f of result.failures) console.error(`✗ ${f}`);
    console.log(result.ok ? 'apply: done, every environment it created or updated is AVAILABLE' : `apply: ${result.failures.length} failure(s)`);
    return result.ok ? 0 : 1;
  } catch (error) {
    console.error(error instanceof ConfigError ? error.message : `apply failed: ${(error as Error).message}`);
    return error instanceof UsageError ? 2 : 1;
  } finally {
    close();
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => (process.exitCode = code));
}

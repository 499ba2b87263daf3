/**
 * Prints the shell exports that let cdktf's own CLI (`npx cdktf synth|diff|plan|deploy`) run on a machine that has
 * only the provider mirror, with no HashiCorp checkpoint calls:
 *
 *   eval "$(node --import tsx tools/lib/cdktf-env.ts)"       # add `--offline` to plan with the offline-preview providers
 *   npx cdktf synth && npx cdktf diff owner
 *
 * The npm scripts need none of this: they pass the same variables to every Terraform they start.
 */
import { offlineTerraformVariables } from './terraform';

/** `export NAME='value'` lines, single-quoted for POSIX shells. */
export function cdktfExports(offline: boolean): string {
  const variables: Record<string, string> = { ...offlineTerraformVariables(), ...(offline ? { PREVIEW: 'offline' } : {}) };
  return Object.entries(variables)
    .map(([name, value]) => `export ${name}='${value.replace(/'/g, `'\\''`)}'`)
    .join('\n');
}

function main(args: readonly string[]): number {
  const unknown = args.filter((a) => a !== '--offline');
  if (unknown.length > 0) {
    console.error(`tools/lib/cdktf-env.ts: unknown argument ${unknown[0]}; the only option is --offline (offline-preview providers)`);
    return 2;
  }
  try {
    console.log(cdktfExports(args.includes('--offline')));
    return 0;
  } catch (error) {
    console.error((error as Error).message);
    return 1;
  }
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));

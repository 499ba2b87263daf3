/**
 * `npm run decommission -- --team T`: destroy a participant stack while its team file still exists, wait for its
 * MWAA environments to be DELETED, then tell the user to remove the file. See options.ts for flags.
 */
import { createInterface } from 'node:readline/promises';
import { join, resolve } from 'node:path';
import { participantStackName } from '../../contracts/names';
import { ConfigError } from '../../model/errors';
import { loadPlatformConfig } from '../../model/load';
import { synthesize } from '../stacks';
import { requireTerraform } from '../terraform';
import { decommission } from './flow';
import { DECOMMISSION_USAGE, parseDecommissionArgs, UsageError } from './options';
import { preflight } from './run';
import { realDeps } from './wiring';

const ROOT = resolve(__dirname, '..', '..');

async function confirmed(team: string, yes: boolean): Promise<boolean> {
  if (yes) return true;
  if (!process.stdin.isTTY) {
    console.error('decommission destroys a team\'s environments and their metadata: pass --yes when stdin is not a terminal');
    return false;
  }
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  const answer = await rl.question(`This destroys ${participantStackName(team)} and every MWAA environment of "${team}". Type the team name to go on: `);
  rl.close();
  return answer.trim() === team;
}

async function main(argv: readonly string[]): Promise<number> {
  let options;
  try {
    options = parseDecommissionArgs(argv);
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`${error.message}\n\n${DECOMMISSION_USAGE}`);
      return 2;
    }
    throw error;
  }
  if (options.help) {
    console.log(DECOMMISSION_USAGE);
    return 0;
  }
  const refused = preflight(process.env);
  if (refused) {
    console.error(refused.replace('npm run apply', 'npm run decommission'));
    return 2;
  }
  const team = options.team!;
  let close = (): void => undefined;
  try {
    requireTerraform();
    if (options.synth) synthesize(ROOT, process.env, 'live');
    const config = loadPlatformConfig(join(ROOT, process.env.PLATFORM_CONFIG || 'config'));
    if (!(await confirmed(team, options.yes))) return 2;
    const wired = realDeps(config, join(ROOT, process.env.CDKTF_OUTDIR || 'cdktf.out'));
    close = wired.close;
    const result = await decommission(wired.deps, config, team, { ...options, pendingTimeoutMs: options.timeoutMs });
    for (const f of result.failures) console.error(`✗ ${f}`);
    return result.ok ? 0 : 1;
  } catch (error) {
    console.error(error instanceof ConfigError ? error.message : `decommission failed: ${(error as Error).message}`);
    return 1;
  } finally {
    close();
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => (process.exitCode = code));
}

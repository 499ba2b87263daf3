/**
 * `npm run decommission -- --team T`: destroy a participant stack while its team file still exists, wait for its
 * MWAA environments to be DELETED, then tell the user to remove the file. Flags: options.ts.
 */
import { createInterface } from 'node:readline/promises';
import { resolve } from 'node:path';
import { participantStackName, recoveryStackName } from '../../contracts/names';
import { loadPlatformConfig } from '../../model/load';
import { recoveredEnvironments, type PlatformConfig } from '../../model/model';
import { configDirOf, outdirOf } from '../../model/synth-settings';
import { EXIT, runToolAsMain, UsageError } from '../lib/cli';
import { synthesize } from '../lib/stacks';
import { requireTerraform } from '../lib/terraform';
import { decommission } from './flow';
import { decommissionOptions, DECOMMISSION_SPEC } from './options';
import { preflight } from './run';
import { realDeps } from './wiring';

const ROOT = resolve(__dirname, '..', '..');

async function confirmed(config: PlatformConfig, team: string, recoveryOnly: boolean): Promise<boolean> {
  const t = config.teams.find((x) => x.team === team);
  const recovery = t && config.platform.recovery && recoveredEnvironments(t).length > 0 ? ` and ${recoveryStackName(team)}` : '';
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  const what = recoveryOnly
    ? `${recoveryStackName(team)} (the replica bucket and the standby environments of "${team}")`
    : `${participantStackName(team)}${recovery} and every MWAA environment of "${team}"`;
  const answer = await rl.question(`This destroys ${what}. Type the team name to go on: `);
  rl.close();
  return answer.trim() === team;
}

if (require.main === module) {
  runToolAsMain(DECOMMISSION_SPEC, async (cli) => {
    const options = decommissionOptions(cli);
    const refused = preflight(process.env);
    if (refused) throw new UsageError(refused);
    if (!options.yes && !process.stdin.isTTY)
      throw new UsageError('decommission destroys environments and their metadata: pass --yes when stdin is not a terminal');
    requireTerraform();
    const config = loadPlatformConfig(configDirOf(process.env, ROOT));
    if (options.synth) synthesize(ROOT, process.env, 'live');
    if (!options.yes && !(await confirmed(config, options.team, options.recoveryOnly))) {
      console.error('not confirmed; nothing was destroyed');
      return EXIT.failed;
    }
    const wired = realDeps(config, outdirOf(process.env, ROOT));
    try {
      const result = await decommission(wired.deps, config, options.team, { ...options, pendingTimeoutMs: options.timeoutMs });
      for (const f of result.failures) console.error(`✗ ${f}`);
      return result.ok ? EXIT.ok : EXIT.failed;
    } finally {
      wired.close();
    }
  });
}

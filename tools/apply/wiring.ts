/** The real dependencies of the apply and decommission flows: Terraform through tools/lib/terraform.ts, MWAA through the SDK. */
import { OWNER_STACK, RECOVERY_OWNER_STACK } from '../../contracts/names';
import { deployRoleArn, type PlatformConfig } from '../../model/model';
import { contractFromOutputs } from '../publish-network';
import { stackDir } from '../lib/stacks';
import { applyPlanAsync, initAndPlanAsync, outputJsonAsync, showJsonAsync } from '../lib/terraform';
import type { FlowDeps } from './flow';
import { getEnvironment, mwaaClients } from './sdk';
import type { PlanJson } from './targets';

export function realDeps(config: PlatformConfig, outdir: string): { deps: FlowDeps; close: () => void } {
  const clients = mwaaClients({ region: config.platform.region, roleArnFor: (account) => deployRoleArn(config.platform, account) });
  const deps: FlowDeps = {
    parallel: 2,
    log: (line) => console.log(line),
    terraform: {
      async plan(stack, options = {}) {
        const dir = stackDir(outdir, stack);
        const r = await initAndPlanAsync(dir, 'tfplan', options.destroy ? ['-destroy'] : []);
        return { changes: r.changes, json: (await showJsonAsync(dir, 'tfplan')) as PlanJson };
      },
      apply: (stack, onLine) => applyPlanAsync(stackDir(outdir, stack), 'tfplan', onLine),
      ownerContract: async (site = 'primary') =>
        contractFromOutputs(
          await outputJsonAsync(stackDir(outdir, site === 'primary' ? OWNER_STACK : RECOVERY_OWNER_STACK)),
          config.platform,
          site,
        ),
    },
    waiter: {
      getEnvironment: (t) => getEnvironment(clients.forTarget(t), t.name),
      now: () => Date.now(),
      sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
      log: (line) => console.log(line),
    },
  };
  return { deps, close: () => clients.destroy() };
}

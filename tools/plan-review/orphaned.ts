/**
 * Orphaned stacks: a participant or recovery stack that was in the base configuration and is not in the head. Nothing is
 * deleted when its team file goes: the stack is no longer synthesized, so Terraform never plans it, its resources
 * stay in AWS (running and billed) and the owner's next apply drops its account from the RAM share. The review says
 * that, once per stack, with what keeps running — never "DELETES". Pure.
 */
import { RECOVERY_OWNER_STACK, teamOfRecoveryStack, teamOfStack } from '../../contracts/names';
import { blocksOf, type StackJson } from '../rules';
import { estimateStack, stackTotalText, type CostBlock, type PriceTable, type StackCost } from './cost';
import { environmentState } from './environments';

/** The one title of an orphaned stack, from the offline comparison and from the state scan alike. */
export const orphanTitle = (team: string): string =>
  `**orphaned**: no longer in the configuration; its resources stay in AWS and keep costing until \`npm run decommission -- --team ${team}\``;

/** How to decommission a stack whose team file is already gone (decommission reads the team file). */
export const orphanRemedy = (team: string, configDir = 'config'): string =>
  `restore \`${configDir}/teams/${team}.yaml\`, run \`npm run decommission -- --team ${team}\`, then remove the file again`;

/**
 * A stack that can be orphaned: a participant (its team file removed), a team's recovery stack (the team turned
 * recovery off, or left, or the platform removed its recovery region) or the recovery owner (the recovery region
 * removed). Undefined for the primary owner, which is never orphaned.
 */
export function orphanable(
  stack: string,
): { readonly team?: string; readonly title: string; readonly remedy: (configDir?: string) => string } | undefined {
  const team = teamOfStack(stack);
  if (team !== undefined) return { team, title: orphanTitle(team), remedy: (dir) => orphanRemedy(team, dir) };
  const recoveryTeam = teamOfRecoveryStack(stack);
  if (recoveryTeam !== undefined)
    return {
      team: recoveryTeam,
      title:
        '**orphaned**: no longer in the configuration; its resources stay in AWS and keep costing until ' +
        `\`npm run decommission -- --team ${recoveryTeam} --recovery-only\``,
      remedy: (dir = 'config') =>
        `restore the recovery settings (\`recovery\` of ${recoveryTeam}'s environments in \`${dir}/teams/${recoveryTeam}.yaml\`, ` +
        `and \`recovery\` in \`${dir}/platform.yaml\` if it went too), run \`npm run decommission -- --team ${recoveryTeam} --recovery-only\`, ` +
        'then remove them again',
    };
  if (stack === RECOVERY_OWNER_STACK)
    return {
      title:
        '**orphaned**: no longer in the configuration; its shared VPC, endpoints and endpoint manager stay in AWS and keep costing until it is destroyed',
      remedy: (dir = 'config') =>
        `restore \`recovery\` in \`${dir}/platform.yaml\`, destroy every team's recovery stack first ` +
        `(\`npm run decommission -- --team <team> --recovery-only\`), then ${RECOVERY_OWNER_STACK} with the owner's deploy role ` +
        `(\`terraform destroy\` in \`cdktf.out/stacks/${RECOVERY_OWNER_STACK}\`), then remove \`recovery\` again`,
    };
  return undefined;
}

export interface OrphanedStackItem {
  readonly stack: string;
  /** The team; empty for the recovery owner. */
  readonly team: string;
  readonly level: 'high';
  readonly title: string;
  readonly details: readonly string[];
  /** What it keeps costing, with a price table (the review's per-stack table shows it on the stack's row). */
  readonly cost?: StackCost;
}

const managed = (json: StackJson): CostBlock[] =>
  blocksOf(json)
    .filter((b) => b.mode === 'managed')
    .map((b) => ({ address: b.address, type: b.type, props: b.props }));

/** The monthly cost line, in the review's one cost format (cost.ts): "≥ $X (N items unpriced)" or "unknown", never a bare 0. */
const costLine = (cost: StackCost): string =>
  `monthly cost while it stays: ${cost.lines.length ? stackTotalText(cost) : 'nothing the estimate prices'}`;

/**
 * The review item of a participant stack present in the base configuration and absent from the head: its MWAA
 * environments (still running) and, with a price table, what they keep costing.
 */
export function orphanedStackItem(
  stack: string,
  baseConfig: StackJson,
  options: { readonly prices?: PriceTable; readonly region?: string; readonly today: string; readonly configDir?: string },
): OrphanedStackItem | undefined {
  const kind = orphanable(stack);
  if (kind === undefined) return undefined;
  const blocks = managed(baseConfig);
  const envs = blocks.filter((b) => b.type === 'aws_mwaa_environment').map((b) => environmentState(b.props));
  const cost = options.prices ? estimateStack(blocks, options.prices, options.region, options.today) : undefined;
  const details = [
    envs.length
      ? `environments still running: ${envs.map((e) => `\`${e.name}\` (${e.class}, Airflow ${e.version}, ${e.mode} webserver)`).join(', ')}`
      : 'no MWAA environment; its other resources stay',
    `${blocks.length} resource(s) in the base configuration stay in the account unmanaged`,
    ...(cost ? [costLine(cost)] : []),
    `to remove them: ${kind.remedy(options.configDir)}`,
  ];
  return {
    stack,
    team: kind.team ?? '',
    level: 'high',
    title: kind.title,
    details: details.map((d) => `- ${d}`),
    ...(cost ? { cost } : {}),
  };
}

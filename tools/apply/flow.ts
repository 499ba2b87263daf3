/**
 * The apply and decommission flows, with Terraform and AWS passed in (`FlowDeps`) so tests run them end to
 * end against fakes and aws-sdk-client-mock. run.ts and decommission.ts wire the real ones.
 */
import {
  participantStackName,
  recoveryResourcePrefix,
  recoveryStackName,
  teamOfRecoveryStack,
  teamOfStack,
  OWNER_STACK,
  RECOVERY_OWNER_STACK,
} from '../../contracts/names';
import { networkContractSchema, type NetworkContract } from '../../model/contract';
import { recoveredEnvironments, type PlatformConfig } from '../../model/model';
import { airflowVersionReplacements, applyWaves, environmentsChangedBy, type PlanJson } from './targets';
import { waitForEnvironments, type WaiterIo } from './waiter';
import { endpointManagerPointers, formatElapsed, type EndpointManagerLocation, type WaitTarget } from './wait';
import { ENDPOINT_TAGS, endpointManagerName } from '../../contracts/endpoint-manager';
import { mapLimit } from '../lib/concurrency';

/** What the flows need from Terraform, per stack. */
export interface StackRunner {
  /** init when needed, `plan -out=tfplan` (`-destroy` when asked), `show -json`; `changes` from -detailed-exitcode. */
  plan(stack: string, options?: { readonly destroy?: boolean }): Promise<{ readonly changes: boolean; readonly json: PlanJson }>;
  /** `apply tfplan`, streaming output. */
  apply(stack: string, onLine: (line: string) => void): Promise<void>;
  /** An owner's network contract as its outputs describe it now (after apply): the primary's, or the recovery region's. */
  ownerContract(site?: 'primary' | 'recovery'): Promise<NetworkContract>;
}

export interface FlowDeps {
  readonly terraform: StackRunner;
  readonly waiter: WaiterIo;
  readonly log: (line: string) => void;
  /** Bounded parallelism for participant stacks (Terraform is CPU-bound; 2 cores here). */
  readonly parallel: number;
}

export interface WaitOptions {
  readonly pendingTimeoutMs: number;
  readonly timeoutMs: number;
  readonly pollIntervalMs: number;
  readonly reportEveryMs?: number;
}

export interface FlowResult {
  readonly ok: boolean;
  readonly failures: readonly string[];
}

/** The endpoint manager that creates the target's endpoints: the primary's, or the recovery region's for a recovery-region target. */
export function endpointManagerLocation(config: PlatformConfig, target?: Pick<WaitTarget, 'region'>): EndpointManagerLocation {
  const { platform, owner, region } = config.platform;
  if (target?.region && target.region !== region)
    return { platform: recoveryResourcePrefix(platform, target.region), ownerAccountId: owner.accountId, region: target.region };
  return { platform, ownerAccountId: owner.accountId, region };
}

/**
 * Fields in which the owner's outputs differ from the committed contract (empty when it is current): every field
 * participants build on, including ones added later (the PyPI mirror's `codeArtifact`), in the schema's order;
 * `source` says where the values came from and is not compared.
 */
export function contractDrift(committed: NetworkContract | undefined, fromOutputs: NetworkContract): string[] {
  if (!committed) return ['(no committed contract)'];
  const fields = Object.keys(networkContractSchema.shape).filter((f) => f !== 'source') as Array<keyof NetworkContract>;
  return fields.filter((f) => JSON.stringify(committed[f]) !== JSON.stringify(fromOutputs[f]));
}

function accountOf(config: PlatformConfig, stack: string): { team: string; accountId: string; region?: string } | undefined {
  const recoveryTeam = teamOfRecoveryStack(stack);
  const team = recoveryTeam ?? teamOfStack(stack);
  const t = team === undefined ? undefined : config.teams.find((x) => x.team === team);
  if (!t) return undefined;
  const region = recoveryTeam !== undefined ? config.platform.recovery?.region : undefined;
  return { team: t.team, accountId: t.accountId, ...(region ? { region } : {}) };
}

async function applyStack(deps: FlowDeps, config: PlatformConfig, stack: string): Promise<{ targets: WaitTarget[]; error?: string }> {
  const started = Date.now();
  try {
    const { changes, json } = await deps.terraform.plan(stack);
    if (!changes) {
      deps.log(`${stack}: no changes`);
      return { targets: [] };
    }
    // A saved plan that would replace an environment for its Airflow version is never applied (history lost).
    const replaced = airflowVersionReplacements(json);
    if (replaced.length > 0) return { targets: [], error: `${stack}: not applied: ${replaced.join('; ')}` };
    const who = accountOf(config, stack);
    const targets = who ? environmentsChangedBy(json, who.team, who.accountId, who.region).filter((t) => t.goal === 'AVAILABLE') : [];
    deps.log(`${stack}: applying the saved plan${targets.length ? ` (MWAA environments: ${targets.map((t) => t.name).join(', ')})` : ''}`);
    await deps.terraform.apply(stack, (line) => {
      if (
        /^(Apply complete|Error|.*: (Creating|Modifying|Destroying|Creation complete|Modifications complete|Destruction complete))/.test(
          line,
        )
      )
        deps.log(`  [${stack}] ${line}`);
    });
    deps.log(`${stack}: applied in ${formatElapsed(Date.now() - started)}`);
    return { targets };
  } catch (error) {
    return { targets: [], error: stackFailure(stack, error) };
  }
}

/**
 * A stack's failure as reported: Terraform's whole message, indented under the stack. Never cut: an offline or
 * credentials error puts its causes after "the most common are:", and the last lines are what says what to do.
 */
export function stackFailure(stack: string, error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return `${stack}: ${message.trimEnd().split('\n').join('\n  ')}`;
}

/**
 * `npm run apply`: the owner, then the recovery region's owner; if an owner's outputs no longer match its committed
 * contract, stop (the stacks after it would be applied against a stale network); then the recovery stacks, then the
 * participants, each wave in parallel; a participant whose recovery stack failed is not applied (its replication
 * needs the replica). Then wait for every environment created or updated, in its region.
 */
export async function applyAll(
  deps: FlowDeps,
  config: PlatformConfig,
  stacks: readonly string[],
  options: WaitOptions & { readonly wait: boolean },
): Promise<FlowResult> {
  const { first, recovery, then } = applyWaves(stacks);
  const failures: string[] = [];
  const targets: WaitTarget[] = [];

  for (const stack of first) {
    const r = await applyStack(deps, config, stack);
    const site = stack === RECOVERY_OWNER_STACK ? 'recovery' : 'primary';
    // What an early stop leaves out, in the words of the waves.
    const recoveryLeft = first.indexOf(stack) < first.length - 1 || recovery.length > 0;
    const notApplied =
      site === 'primary'
        ? `participant stacks were not applied${recoveryLeft ? ' (nor the recovery region’s)' : ''}`
        : `recovery stacks were not applied${then.length > 0 ? ' (nor the participant stacks)' : ''}`;
    if (r.error) return { ok: false, failures: [r.error, `${notApplied}: fix the ${stack} stack first`] };
    const readers = site === 'primary' ? then : recovery;
    if (readers.length === 0) continue;
    const committed = site === 'primary' ? config.contract : config.recoveryContract;
    const drift = contractDrift(committed, await deps.terraform.ownerContract(site));
    if (drift.length > 0) {
      const [whose, flag, file] =
        site === 'primary'
          ? ["the owner's outputs changed the network contract", '', 'config/network-contract.json']
          : [
              "the recovery owner's outputs changed the recovery network contract",
              ' -- --recovery',
              'config/recovery-network-contract.json',
            ];
      return {
        ok: false,
        failures: [
          `${whose} (${drift.join(', ')}): ${notApplied} against a stale contract. ` +
            `Run \`npm run publish-network${flag}\`, merge ${file} in a pull request, then run \`npm run apply\` again.`,
        ],
      };
    }
  }

  const recoveryResults = await mapLimit(recovery, deps.parallel, (s) => applyStack(deps, config, s));
  const recoveryFailed = new Set<string>();
  recovery.forEach((stack, i) => {
    const r = recoveryResults[i];
    if (r.error) {
      failures.push(r.error);
      recoveryFailed.add(teamOfRecoveryStack(stack)!);
    }
    targets.push(...r.targets);
  });
  const blocked = then.filter((s) => recoveryFailed.has(teamOfStack(s)!));
  for (const s of blocked) failures.push(`${s}: not applied: its replication needs ${recoveryStackName(teamOfStack(s)!)}, which failed`);

  const results = await mapLimit(
    then.filter((s) => !blocked.includes(s)),
    deps.parallel,
    (s) => applyStack(deps, config, s),
  );
  for (const r of results) {
    if (r.error) failures.push(r.error);
    targets.push(...r.targets);
  }
  if (!options.wait || targets.length === 0) return { ok: failures.length === 0, failures };

  deps.log(
    `waiting for ${targets.length} MWAA environment(s) to become AVAILABLE (PENDING for more than ${formatElapsed(options.pendingTimeoutMs)} means the endpoint manager did not create the endpoints):`,
  );
  const waited = await waitForEnvironments(targets, deps.waiter, {
    ...options,
    reportEveryMs: options.reportEveryMs ?? 120_000,
    where: (target) => endpointManagerLocation(config, target),
  });
  failures.push(...waited.failures.map((f) => f.message));
  return { ok: failures.length === 0, failures };
}

/** Destroys one stack from a `-destroy` plan; the environments it deletes (in `region` for a recovery stack). */
async function destroyStack(
  deps: FlowDeps,
  stack: string,
  t: { team: string; accountId: string },
  region?: string,
): Promise<{ targets: WaitTarget[]; error?: string }> {
  const { changes, json } = await deps.terraform.plan(stack, { destroy: true });
  const targets = environmentsChangedBy(json, t.team, t.accountId, region).filter((x) => x.goal === 'DELETED');
  if (!changes) {
    deps.log(`${stack}: nothing to destroy (its state is empty)`);
    return { targets };
  }
  deps.log(`${stack}: destroying${targets.length ? ` (MWAA environments: ${targets.map((x) => x.name).join(', ')})` : ''}`);
  try {
    await deps.terraform.apply(stack, (line) => {
      if (/^(Destroy complete|Apply complete|Error|.*: (Destroying|Destruction complete))/.test(line)) deps.log(`  [${stack}] ${line}`);
    });
    return { targets };
  } catch (error) {
    return { targets, error: stackFailure(stack, error) };
  }
}

/** How to check in the owner account that the endpoint manager of `where` left no endpoint of these environments. */
function endpointCheck(accountId: string, names: readonly string[], where: EndpointManagerLocation): string {
  return (
    `aws ec2 describe-vpc-endpoints --region ${where.region} --filters ` +
    `Name=tag:${ENDPOINT_TAGS.account},Values=${accountId} Name=tag:${ENDPOINT_TAGS.environment},Values=${names.join(',')} ` +
    `Name=tag:${ENDPOINT_TAGS.managedBy},Values=${endpointManagerName(where.platform)} --query 'VpcEndpoints[].VpcEndpointId'`
  );
}

/**
 * `npm run decommission -- --team T`: destroy the participant stack (the team file still configures it), then the
 * team's recovery stack when it has one (after the participant, whose replication writes into it: the replica is
 * the last copy of the DAGs to go), wait until their environments are DELETED in both regions, then say what to
 * remove. Both owners keep the account in their RAM share and bus policy until the file is removed, so MWAA can
 * still deliver the DELETED events that make each region's endpoint manager remove the endpoints and queues; the
 * recovery stack is destroyed before the recovery owner drops the account.
 */
export async function decommission(
  deps: FlowDeps,
  config: PlatformConfig,
  team: string,
  options: WaitOptions & { readonly recoveryOnly?: boolean },
): Promise<FlowResult> {
  if (options.recoveryOnly) return decommissionRecovery(deps, config, team, options);
  const t = config.teams.find((x) => x.team === team);
  if (!t) {
    return {
      ok: false,
      failures: [
        `team "${team}" is not in ${config.configDir}/teams/ (have: ${config.teams.map((x) => x.team).join(', ') || 'none'}). ` +
          'If you already removed its file, restore it (git checkout <rev> -- the file), run decommission, then remove it again.',
      ],
    };
  }
  const stack = participantStackName(team);
  const recoveryRegion = recoveredEnvironments(t).length > 0 ? config.platform.recovery?.region : undefined;
  const recoveryStack = recoveryRegion ? recoveryStackName(team) : undefined;
  const destroyed = await destroyStack(deps, stack, t);
  if (destroyed.error) return { ok: false, failures: [destroyed.error, `keep ${t.file}: the stack still has resources`] };
  const recoveryDestroyed = recoveryStack ? await destroyStack(deps, recoveryStack, t, recoveryRegion) : { targets: [] };
  if (recoveryDestroyed.error)
    return { ok: false, failures: [recoveryDestroyed.error, `keep ${t.file}: ${recoveryStack} still has resources`] };

  const targets = [...destroyed.targets, ...recoveryDestroyed.targets];
  const all: WaitTarget[] = [
    ...targets,
    ...t.environments
      .filter((e) => !destroyed.targets.some((x) => x.name === e.name))
      .map((e) => ({ team: t.team, accountId: t.accountId, name: e.name, goal: 'DELETED' as const })),
  ];
  if (all.length > 0) {
    deps.log(`waiting for ${all.length} MWAA environment(s) to be DELETED:`);
    const waited = await waitForEnvironments(all, deps.waiter, {
      ...options,
      reportEveryMs: options.reportEveryMs ?? 120_000,
      where: (target) => endpointManagerLocation(config, target),
    });
    if (waited.failures.length > 0)
      return { ok: false, failures: [...waited.failures.map((f) => f.message), `keep ${t.file} until every environment is DELETED`] };
  }
  // Each region's endpoint manager removes its endpoints on the DELETED events (the owners still list the account);
  // nothing here can see the owners' VPCs, so say how to check that none is left before the account leaves them.
  const { owner } = config.platform;
  for (const region of [undefined, recoveryRegion]) {
    const here = all.filter((x) => x.region === region);
    if (here.length === 0) continue;
    const where = endpointManagerLocation(config, region ? { region } : undefined);
    const names = here.map((x) => x.name).sort();
    deps.log(
      `${region ? `The recovery region's endpoint manager (${region})` : 'The endpoint manager'} removes the endpoints of ${names.join(', ')} on their DELETED events. ` +
        `Before removing the file, check in the owner account ${owner.accountId} that none is left: ${endpointCheck(t.accountId, names, where)} ` +
        `(an empty list). If some remain after a few minutes, ${endpointManagerPointers(where)}.`,
    );
  }
  const stacks = recoveryStack ? `${stack} and ${recoveryStack} are` : `${stack} is`;
  const owners = recoveryStack
    ? `the ${OWNER_STACK} and ${RECOVERY_OWNER_STACK} stacks, which drop`
    : `the ${OWNER_STACK} stack, which drops`;
  const states = [stack, ...(recoveryStack ? [recoveryStack] : [])];
  deps.log(
    `${stacks} destroyed. Now remove ${t.file} (and the team's DAG folder) in a pull request; applying it updates ${owners} ` +
      'the account from the RAM share, the status bus policy and the endpoint manager. Then delete the empty state of ' +
      `${states.map((s) => `${s} (terraform.${s}.tfstate, or its key in the state bucket)`).join(' and ')}.`,
  );
  return { ok: true, failures: [] };
}

/**
 * `npm run decommission -- --team T --recovery-only`: destroy only the team's recovery stack, while its team file
 * still asks for recovery (the stack is synthesized only then), wait for its standby environments to be DELETED,
 * then say to turn recovery off. The participant stack stays: the next apply of it, without recovery, drops its
 * replication to the (destroyed) replica bucket.
 */
async function decommissionRecovery(deps: FlowDeps, config: PlatformConfig, team: string, options: WaitOptions): Promise<FlowResult> {
  const t = config.teams.find((x) => x.team === team);
  const stack = recoveryStackName(team);
  const region = config.platform.recovery?.region;
  if (!t || !region || recoveredEnvironments(t).length === 0) {
    const why = !t
      ? `team "${team}" is not in ${config.configDir}/teams/`
      : !region
        ? `${config.configDir}/platform.yaml has no recovery region`
        : `no environment of ${t.file} sets recovery`;
    return {
      ok: false,
      failures: [
        `${stack} is not configured (${why}), so it cannot be destroyed from its configuration: restore the recovery settings ` +
          '(git checkout <rev> -- the files), run this command again, then remove them again.',
      ],
    };
  }
  const destroyed = await destroyStack(deps, stack, t, region);
  if (destroyed.error) return { ok: false, failures: [destroyed.error, `keep recovery on in ${t.file}: ${stack} still has resources`] };
  if (destroyed.targets.length > 0) {
    deps.log(`waiting for ${destroyed.targets.length} MWAA environment(s) to be DELETED in ${region}:`);
    const waited = await waitForEnvironments(destroyed.targets, deps.waiter, {
      ...options,
      reportEveryMs: options.reportEveryMs ?? 120_000,
      where: (target) => endpointManagerLocation(config, target),
    });
    if (waited.failures.length > 0)
      return {
        ok: false,
        failures: [...waited.failures.map((f) => f.message), `keep recovery on in ${t.file} until every environment is DELETED`],
      };
  }
  deps.log(
    `${stack} is destroyed. Now remove \`recovery\` from ${t.file}'s environments in a pull request; applying it drops the ` +
      `replication of ${participantStackName(team)} to the recovery region. Then delete the empty state of ${stack} ` +
      `(terraform.${stack}.tfstate, or its key in the state bucket).`,
  );
  return { ok: true, failures: [] };
}

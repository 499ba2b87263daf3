/**
 * The apply and decommission flows, with Terraform and AWS passed in (`FlowDeps`) so tests run them end to
 * end against fakes and aws-sdk-client-mock. run.ts and decommission.ts wire the real ones.
 */
import { participantStackName, teamOfStack, OWNER_STACK } from '../../contracts/names';
import { networkContractSchema, type NetworkContract } from '../../model/contract';
import type { PlatformConfig } from '../../model/model';
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
  /** The owner's network contract as its outputs describe it now (after apply). */
  ownerContract(): Promise<NetworkContract>;
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

export function endpointManagerLocation(config: PlatformConfig): EndpointManagerLocation {
  return { platform: config.platform.platform, ownerAccountId: config.platform.owner.accountId, region: config.platform.region };
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

function accountOf(config: PlatformConfig, stack: string): { team: string; accountId: string } | undefined {
  const team = teamOfStack(stack);
  const t = team === undefined ? undefined : config.teams.find((x) => x.team === team);
  return t ? { team: t.team, accountId: t.accountId } : undefined;
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
    const targets = who ? environmentsChangedBy(json, who.team, who.accountId).filter((t) => t.goal === 'AVAILABLE') : [];
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
 * `npm run apply`: the owner first; if its outputs no longer match the committed network contract, stop
 * (participants would be applied against a stale network); then the participants in parallel; then wait
 * for every environment created or updated.
 */
export async function applyAll(
  deps: FlowDeps,
  config: PlatformConfig,
  stacks: readonly string[],
  options: WaitOptions & { readonly wait: boolean },
): Promise<FlowResult> {
  const { first, then } = applyWaves(stacks);
  const failures: string[] = [];
  const targets: WaitTarget[] = [];

  for (const stack of first) {
    const r = await applyStack(deps, config, stack);
    if (r.error) return { ok: false, failures: [r.error, 'participant stacks were not applied: fix the owner stack first'] };
    if (then.length > 0) {
      const drift = contractDrift(config.contract, await deps.terraform.ownerContract());
      if (drift.length > 0) {
        return {
          ok: false,
          failures: [
            `the owner's outputs changed the network contract (${drift.join(', ')}): participant stacks were not applied against a stale contract. ` +
              'Run `npm run publish-network`, merge config/network-contract.json in a pull request, then run `npm run apply` again.',
          ],
        };
      }
    }
  }

  const results = await mapLimit(then, deps.parallel, (s) => applyStack(deps, config, s));
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
    where: endpointManagerLocation(config),
  });
  failures.push(...waited.failures.map((f) => f.message));
  return { ok: failures.length === 0, failures };
}

/**
 * `npm run decommission -- --team T`: destroy the participant stack (the team file still configures it),
 * wait until its environments are DELETED, then say what to remove. The owner keeps the account in the RAM
 * share and bus policy until the file is removed, so MWAA can still deliver the DELETED events that make the
 * endpoint manager remove the endpoints and queues.
 */
export async function decommission(deps: FlowDeps, config: PlatformConfig, team: string, options: WaitOptions): Promise<FlowResult> {
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
  const { changes, json } = await deps.terraform.plan(stack, { destroy: true });
  const targets = environmentsChangedBy(json, t.team, t.accountId).filter((x) => x.goal === 'DELETED');
  if (changes) {
    deps.log(`${stack}: destroying${targets.length ? ` (MWAA environments: ${targets.map((x) => x.name).join(', ')})` : ''}`);
    try {
      await deps.terraform.apply(stack, (line) => {
        if (/^(Destroy complete|Apply complete|Error|.*: (Destroying|Destruction complete))/.test(line)) deps.log(`  [${stack}] ${line}`);
      });
    } catch (error) {
      return {
        ok: false,
        failures: [stackFailure(stack, error), `keep ${t.file}: the stack still has resources`],
      };
    }
  } else {
    deps.log(`${stack}: nothing to destroy (its state is empty)`);
  }
  const all = [
    ...targets,
    ...t.environments
      .filter((e) => !targets.some((x) => x.name === e.name))
      .map((e) => ({ team: t.team, accountId: t.accountId, name: e.name, goal: 'DELETED' as const })),
  ];
  if (all.length > 0) {
    deps.log(`waiting for ${all.length} MWAA environment(s) to be DELETED:`);
    const waited = await waitForEnvironments(all, deps.waiter, {
      ...options,
      reportEveryMs: options.reportEveryMs ?? 120_000,
      where: endpointManagerLocation(config),
    });
    if (waited.failures.length > 0)
      return { ok: false, failures: [...waited.failures.map((f) => f.message), `keep ${t.file} until every environment is DELETED`] };
  }
  // The endpoint manager removes the endpoints on the DELETED events (the owner still lists the account); nothing
  // here can see the owner's VPC, so say how to check that none is left before the account leaves the owner stack.
  const names = all.map((x) => x.name).sort();
  if (names.length > 0) {
    const { region, platform, owner } = config.platform;
    deps.log(
      `The endpoint manager removes the endpoints of ${names.join(', ')} on their DELETED events. Before removing the file, check in the owner account ` +
        `${owner.accountId} that none is left: aws ec2 describe-vpc-endpoints --region ${region} --filters ` +
        `Name=tag:${ENDPOINT_TAGS.account},Values=${t.accountId} Name=tag:${ENDPOINT_TAGS.environment},Values=${names.join(',')} ` +
        `Name=tag:${ENDPOINT_TAGS.managedBy},Values=${endpointManagerName(platform)} --query 'VpcEndpoints[].VpcEndpointId' ` +
        `(an empty list). If some remain after a few minutes, ${endpointManagerPointers(endpointManagerLocation(config))}.`,
    );
  }
  deps.log(
    `${stack} is destroyed. Now remove ${t.file} (and the team's DAG folder) in a pull request; applying it updates the ${OWNER_STACK} stack, ` +
      'which drops the account from the RAM share, the status bus policy and the endpoint manager. Then delete the empty state of ' +
      `${stack} (terraform.${stack}.tfstate, or its key in the state bucket).`,
  );
  return { ok: true, failures: [] };
}

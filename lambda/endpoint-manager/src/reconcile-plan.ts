/**
 * Reconcile: desired state (MWAA environments of every registered participant) against observed
 * state (managed endpoints in the shared VPC). Pure: no SDK imports.
 *
 * Safety rule: nothing is removed on missing data. Endpoints are deleted as orphans only for
 * accounts whose environments were listed and read completely; queue entries are pruned only when
 * every registered account was (queue ARNs belong to an AWS-managed account, so an entry cannot be
 * attributed to a participant and any incomplete account could own any entry).
 */
import {
  decideDeletedEnvironment,
  decideEnvironmentEndpoints,
  TAG_ACCOUNT,
  TAG_ENVIRONMENT,
  TAG_MANAGED_BY,
  type EndpointContext,
  type EndpointDecision,
  type ObservedEndpoint,
} from './decide';
import {
  checkQueue,
  validateEnvironmentDetail,
  type EnvironmentDetail,
  type EnvironmentRef,
  type EnvironmentSpec,
  type ValidationContext,
} from './event';
import { SUBNET_ID } from './names';

/** Statuses in which an environment needs its endpoints (MWAA waits in PENDING until they exist). */
export const STATUSES_NEEDING_ENDPOINTS: ReadonlySet<string> = new Set([
  'PENDING',
  'CREATING',
  'AVAILABLE',
  'UPDATING',
  'UPDATE_FAILED',
  'ROLLING_BACK',
  'CREATING_SNAPSHOT',
  'MAINTENANCE',
  'UNAVAILABLE',
]);

/** One environment as read with GetEnvironment, mapped to the event's detail shape. */
export interface ObservedEnvironment {
  readonly name: string;
  readonly status: string;
  readonly endpointManagement: string | undefined;
  readonly detail: EnvironmentDetail;
}

export interface AccountObservation {
  readonly account: string;
  /** Every name ListEnvironments returned (known to exist even if GetEnvironment failed). */
  readonly environmentNames: readonly string[];
  readonly environments: readonly ObservedEnvironment[];
  /** True only when listing and every GetEnvironment succeeded (NotFound counts as success). */
  readonly complete: boolean;
  readonly error?: string;
}

export interface ReconcileInput {
  readonly accounts: readonly AccountObservation[];
  readonly managedEndpoints: readonly ObservedEndpoint[];
  readonly validation: ValidationContext;
  readonly endpoints: EndpointContext;
}

export interface PlannedEnvironment {
  readonly environment: EnvironmentSpec;
  readonly decision: EndpointDecision;
}

export interface PlannedOrphan {
  readonly environment: EnvironmentRef;
  readonly decision: EndpointDecision;
}

export interface SkipNote {
  readonly account?: string;
  readonly environmentName?: string;
  readonly message: string;
}

export interface ReconcilePlan {
  /** Every registered account observed completely: queue entries may be pruned to `liveQueues`. */
  readonly complete: boolean;
  /** Queues of existing, eligible environments: these must stay allowed. */
  readonly liveQueues: ReadonlySet<string>;
  /** Eligible environments needing endpoints, with their decisions (possibly no action). */
  readonly environments: readonly PlannedEnvironment[];
  readonly orphans: readonly PlannedOrphan[];
  readonly skipped: readonly SkipNote[];
}

export function planReconcile(input: ReconcileInput): ReconcilePlan {
  const { validation, endpoints } = input;
  const liveQueues = new Set<string>();
  const environments: PlannedEnvironment[] = [];
  const orphans: PlannedOrphan[] = [];
  const skipped: SkipNote[] = [];
  const observationByAccount = new Map(input.accounts.map((observation) => [observation.account, observation]));
  const endpointsOf = (ref: EnvironmentRef) =>
    input.managedEndpoints.filter((e) => e.tags[TAG_ACCOUNT] === ref.account && e.tags[TAG_ENVIRONMENT] === ref.name);

  for (const account of [...validation.participantAccounts].sort()) {
    const observation = observationByAccount.get(account);
    if (!observation || !observation.complete) {
      skipped.push({
        account,
        message: `account not fully observed (${observation?.error ?? 'no observation'}); its removals are skipped`,
      });
    }
    for (const environment of observation?.environments ?? []) {
      const ref = { account, name: environment.name };
      if (environment.endpointManagement !== 'CUSTOMER' || environment.status === 'DELETED') continue;
      if (!inSharedSubnets(environment.detail, validation)) {
        skipped.push({ account, environmentName: environment.name, message: 'environment is not in the shared subnets; ignored' });
        continue;
      }
      // Existing environments keep their queue allowed even when other fields are incomplete.
      if (!checkQueue(environment.detail.celeryExecutorQueue, validation)) liveQueues.add(environment.detail.celeryExecutorQueue as string);
      if (!STATUSES_NEEDING_ENDPOINTS.has(environment.status)) continue;
      const validated = validateEnvironmentDetail(ref, environment.status, environment.detail, validation);
      if (!validated.ok) {
        skipped.push({
          account,
          environmentName: environment.name,
          message: `not reconciled: ${validated.reasons.map((r) => r.message).join('; ')}`,
        });
        continue;
      }
      environments.push({
        environment: validated.environment,
        decision: decideEnvironmentEndpoints(validated.environment, endpointsOf(ref), endpoints, {
          pruneStale: environment.status === 'PENDING',
        }),
      });
    }
  }

  for (const ref of managedEnvironmentRefs(input.managedEndpoints, endpoints.managedBy, skipped)) {
    const observation = observationByAccount.get(ref.account);
    if (!validation.participantAccounts.has(ref.account)) {
      skipped.push({
        account: ref.account,
        environmentName: ref.name,
        message: 'managed endpoints of an account that is no longer registered; left for an operator',
      });
    } else if (!observation?.complete) {
      continue; // already reported per account above
    } else if (!observation.environmentNames.includes(ref.name)) {
      const decision = decideDeletedEnvironment(ref, endpointsOf(ref), endpoints, []);
      if (decision.actions.length > 0 || decision.notes.length > 0) orphans.push({ environment: ref, decision });
    } else if (observation.environments.find((e) => e.name === ref.name)?.status === 'DELETED') {
      orphans.push({ environment: ref, decision: decideDeletedEnvironment(ref, endpointsOf(ref), endpoints, []) });
    }
  }

  const complete = [...validation.participantAccounts].every((account) => observationByAccount.get(account)?.complete === true);
  return { complete, liveQueues, environments, orphans, skipped };
}

function inSharedSubnets(detail: EnvironmentDetail, validation: ValidationContext): boolean {
  const network = detail.networkConfiguration as { subnetIds?: unknown } | undefined;
  const subnets = network?.subnetIds;
  return (
    Array.isArray(subnets) &&
    subnets.length > 0 &&
    subnets.every((subnet) => typeof subnet === 'string' && SUBNET_ID.test(subnet) && validation.sharedSubnetIds.has(subnet))
  );
}

/** Distinct (account, environment) pairs named by managed endpoints' tags, sorted. */
function managedEnvironmentRefs(all: readonly ObservedEndpoint[], managedBy: string, skipped: SkipNote[]): EnvironmentRef[] {
  const refs = new Map<string, EnvironmentRef>();
  for (const endpoint of all) {
    if (endpoint.tags[TAG_MANAGED_BY] !== managedBy) continue;
    const account = endpoint.tags[TAG_ACCOUNT];
    const name = endpoint.tags[TAG_ENVIRONMENT];
    if (!account || !name) {
      skipped.push({ message: `managed endpoint ${endpoint.id} lacks ${TAG_ACCOUNT}/${TAG_ENVIRONMENT} tags; left alone` });
      continue;
    }
    refs.set(`${account}/${name}`, { account, name });
  }
  return [...refs.values()].sort((a, b) => a.account.localeCompare(b.account) || a.name.localeCompare(b.name));
}

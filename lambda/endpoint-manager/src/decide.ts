/**
 * Endpoint decisions: given what an environment needs and the managed endpoints observed in the
 * shared VPC, which endpoints to create and which to delete. Pure: no SDK imports.
 */
import { createHash } from 'node:crypto';
import { ENDPOINT_TAGS } from '../../../contracts/endpoint-manager';
import { ENDPOINT_KINDS, type EndpointKind, type EnvironmentRef, type EnvironmentSpec } from './event';

export const TAG_NAME = ENDPOINT_TAGS.name;
export const TAG_MANAGED_BY = ENDPOINT_TAGS.managedBy;
export const TAG_ENVIRONMENT = ENDPOINT_TAGS.environment;
export const TAG_ACCOUNT = ENDPOINT_TAGS.account;
export const TAG_ENDPOINT_KIND = ENDPOINT_TAGS.endpointKind;

/**
 * Private DNS is off for both kinds: MWAA's endpoint services (vpce-svc-...) publish no private DNS
 * name (the blog's example creates them without it, and EC2 rejects private DNS for a service that
 * has none); MWAA reaches the database and web server through the endpoints' own DNS names.
 */
export const PRIVATE_DNS_BY_KIND: Readonly<Record<EndpointKind, boolean>> = { database: false, webserver: false };

export interface ObservedEndpoint {
  readonly id: string;
  readonly serviceName: string;
  /** EC2 state as returned (e.g. available, pendingAcceptance, failed); compared case-insensitively. */
  readonly state: string;
  readonly tags: Readonly<Record<string, string>>;
  readonly subnetIds: readonly string[];
  /** ISO timestamp; orders duplicates so the oldest survives. */
  readonly createdAt?: string;
}

export interface EndpointContext {
  readonly vpcId: string;
  /**
   * The owner's security group for each kind: database endpoints admit only the shared subnets, webserver
   * endpoints also the configured clients (VPN, office, bastion). Never a participant's group.
   */
  readonly securityGroupIds: Readonly<Record<EndpointKind, string>>;
  readonly managedBy: string;
}

export interface Tag {
  readonly key: string;
  readonly value: string;
}

export interface CreateEndpointRequest {
  readonly vpcId: string;
  readonly serviceName: string;
  readonly subnetIds: readonly string[];
  readonly securityGroupIds: readonly string[];
  readonly privateDnsEnabled: boolean;
  readonly clientToken: string;
  readonly tags: readonly Tag[];
}

export type EndpointAction =
  | {
      readonly type: 'create';
      readonly environment: EnvironmentRef;
      readonly endpointKind: EndpointKind;
      readonly request: CreateEndpointRequest;
      /** Ids of earlier dead endpoints of this kind, part of the ClientToken (see endpointClientToken). */
      readonly deadEndpointIds: readonly string[];
    }
  | {
      readonly type: 'delete';
      readonly environment: EnvironmentRef;
      readonly endpointId: string;
      readonly endpointKind: EndpointKind | 'unknown';
      readonly reason: string;
    };

export interface EndpointDecision {
  readonly actions: readonly EndpointAction[];
  /** Observations worth a log line that need no action (kept, left alone, ...). */
  readonly notes: readonly string[];
}

export type EndpointLifecycle = 'live' | 'broken' | 'gone';

/** The one definition of dead endpoint states (EC2 spells them lower-case on the wire). */
const BROKEN_STATES: ReadonlySet<string> = new Set(['failed', 'rejected', 'expired']);
const GONE_STATES: ReadonlySet<string> = new Set(['deleting', 'deleted']);

/**
 * live: counts as the environment's endpoint (unknown states too, so we never create duplicates);
 * broken (failed/rejected/expired): useless, deleted and replaced; gone (deleting/deleted): ignored.
 */
export function endpointLifecycle(state: string): EndpointLifecycle {
  const normalized = state.toLowerCase();
  if (BROKEN_STATES.has(normalized)) return 'broken';
  if (GONE_STATES.has(normalized)) return 'gone';
  return 'live';
}

/** Dead: broken or gone; an endpoint in such a state will never serve the environment. */
export const isDeadEndpointState = (state: string): boolean => endpointLifecycle(state) !== 'live';

export function managedEndpointTags(environment: EnvironmentRef, kind: EndpointKind, managedBy: string): readonly Tag[] {
  return [
    { key: TAG_NAME, value: `${environment.name}-${kind}` },
    { key: TAG_MANAGED_BY, value: managedBy },
    { key: TAG_ENVIRONMENT, value: environment.name },
    { key: TAG_ACCOUNT, value: environment.account },
    { key: TAG_ENDPOINT_KIND, value: kind },
  ];
}

/**
 * Deterministic ClientToken (64 hex chars, EC2's maximum): a retry of the same creation returns the
 * same endpoint instead of a duplicate. The service name separates incarnations of an environment
 * name; the ids of dead endpoints separate a replacement from the attempt that died, which EC2
 * would otherwise hand back for the token's lifetime.
 */
export function endpointClientToken(
  environment: EnvironmentRef,
  kind: EndpointKind,
  serviceName: string,
  deadEndpointIds: readonly string[],
): string {
  const material = [environment.account, environment.name, kind, serviceName, ...[...deadEndpointIds].sort()].join('\n');
  return createHash('sha256').update(material).digest('hex');
}

export function createAction(
  environment: EnvironmentRef,
  kind: EndpointKind,
  serviceName: string,
  subnetIds: readonly string[],
  context: EndpointContext,
  deadEndpointIds: readonly string[],
): Extract<EndpointAction, { readonly type: 'create' }> {
  return {
    type: 'create',
    environment: { account: environment.account, name: environment.name },
    endpointKind: kind,
    deadEndpointIds,
    request: {
      vpcId: context.vpcId,
      serviceName,
      subnetIds: [...subnetIds],
      securityGroupIds: [context.securityGroupIds[kind]],
      privateDnsEnabled: PRIVATE_DNS_BY_KIND[kind],
      clientToken: endpointClientToken(environment, kind, serviceName, deadEndpointIds),
      tags: managedEndpointTags(environment, kind, context.managedBy),
    },
  };
}

export function isManagedEndpointOf(endpoint: ObservedEndpoint, environment: EnvironmentRef, managedBy: string): boolean {
  return (
    endpoint.tags[TAG_MANAGED_BY] === managedBy &&
    endpoint.tags[TAG_ACCOUNT] === environment.account &&
    endpoint.tags[TAG_ENVIRONMENT] === environment.name
  );
}

function kindOf(endpoint: ObservedEndpoint): EndpointKind | undefined {
  const kind = endpoint.tags[TAG_ENDPOINT_KIND];
  return kind === 'database' || kind === 'webserver' ? kind : undefined;
}

function oldestFirst(a: ObservedEndpoint, b: ObservedEndpoint): number {
  return (a.createdAt ?? '').localeCompare(b.createdAt ?? '') || a.id.localeCompare(b.id);
}

/**
 * What an environment that needs endpoints requires: exactly one live endpoint per needed kind, to
 * the environment's endpoint service. Broken endpoints are deleted and replaced; duplicates beyond
 * the oldest are deleted. With `pruneStale` (a PENDING environment, which by definition has no
 * endpoints of its own yet) live endpoints to other services, or of a kind no longer needed, are
 * leftovers of an earlier environment with the same name and are deleted; otherwise they are only
 * reported, because deleting on ambiguous data could cut off a running environment.
 */
export function decideEnvironmentEndpoints(
  environment: EnvironmentSpec,
  observed: readonly ObservedEndpoint[],
  context: EndpointContext,
  options: { readonly pruneStale: boolean },
): EndpointDecision {
  const actions: EndpointAction[] = [];
  const notes: string[] = [];
  const ref: EnvironmentRef = { account: environment.account, name: environment.name };
  const mine = observed.filter((endpoint) => isManagedEndpointOf(endpoint, ref, context.managedBy));
  const remove = (endpoint: ObservedEndpoint, kind: EndpointKind | 'unknown', reason: string) =>
    actions.push({ type: 'delete', environment: ref, endpointId: endpoint.id, endpointKind: kind, reason });

  for (const endpoint of mine.filter((e) => kindOf(e) === undefined && endpointLifecycle(e.state) !== 'gone')) {
    notes.push(`endpoint ${endpoint.id} has no valid ${TAG_ENDPOINT_KIND} tag; left alone`);
  }

  for (const kind of ENDPOINT_KINDS) {
    const ofKind = mine.filter((endpoint) => kindOf(endpoint) === kind);
    const wantedService = environment.endpointServices[kind];
    for (const endpoint of ofKind.filter((e) => endpointLifecycle(e.state) === 'broken')) {
      remove(endpoint, kind, `endpoint is ${endpoint.state}`);
    }
    const live = ofKind.filter((e) => endpointLifecycle(e.state) === 'live').sort(oldestFirst);
    const unwanted = wantedService === undefined ? live : live.filter((e) => e.serviceName !== wantedService);
    for (const endpoint of unwanted) {
      const why =
        wantedService === undefined
          ? `environment needs no ${kind} endpoint (web server access ${environment.webserverAccessMode})`
          : `endpoint service ${endpoint.serviceName} is not the environment's ${wantedService}`;
      if (options.pruneStale) remove(endpoint, kind, `stale: ${why}`);
      else notes.push(`${kind} endpoint ${endpoint.id} left in place although ${why}`);
    }
    if (wantedService === undefined) continue;

    const matching = live.filter((e) => e.serviceName === wantedService);
    const [keep, ...duplicates] = matching;
    if (keep) {
      notes.push(`${kind} endpoint ${keep.id} already exists (${keep.state})`);
      duplicates.forEach((duplicate) => remove(duplicate, kind, `duplicate of ${keep.id}`));
      continue;
    }
    const dead = ofKind.filter((e) => e.serviceName === wantedService && isDeadEndpointState(e.state)).map((e) => e.id);
    actions.push(createAction(ref, kind, wantedService, environment.subnetIds, context, dead));
  }
  return { actions: creationsFirst(actions), notes };
}

/**
 * DELETED environment (or reconcile orphan): delete its managed endpoints that are not already
 * going away. When the event names endpoint services, only endpoints to those are deleted, so a
 * late DELETED event cannot remove the endpoints of a new environment with the same name.
 */
export function decideDeletedEnvironment(
  environment: EnvironmentRef,
  observed: readonly ObservedEndpoint[],
  context: EndpointContext,
  endpointServices: readonly string[],
): EndpointDecision {
  const actions: EndpointAction[] = [];
  const notes: string[] = [];
  for (const endpoint of observed.filter((e) => isManagedEndpointOf(e, environment, context.managedBy)).sort(oldestFirst)) {
    if (endpointLifecycle(endpoint.state) === 'gone') {
      notes.push(`endpoint ${endpoint.id} is already ${endpoint.state}`);
    } else if (endpointServices.length > 0 && !endpointServices.includes(endpoint.serviceName)) {
      notes.push(`endpoint ${endpoint.id} (${endpoint.serviceName}) is not one of the deleted environment's services; left alone`);
    } else {
      actions.push({
        type: 'delete',
        environment: { account: environment.account, name: environment.name },
        endpointId: endpoint.id,
        endpointKind: kindOf(endpoint) ?? 'unknown',
        reason: 'environment no longer exists',
      });
    }
  }
  return { actions, notes };
}

/** Creations first: a new environment waiting in PENDING should not wait for clean-up calls. */
function creationsFirst(actions: readonly EndpointAction[]): EndpointAction[] {
  return [...actions.filter((a) => a.type === 'create'), ...actions.filter((a) => a.type === 'delete')];
}

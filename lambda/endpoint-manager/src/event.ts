/**
 * Validation of incoming events (and of GetEnvironment data, which reconcile maps to the same
 * detail shape) into typed values or rejection reasons. Pure: no SDK imports, no logging.
 */
import { ACCOUNT_ID, ENVIRONMENT_NAME, REGION, SUBNET_ID, isCeleryQueueName, isVpcEndpointServiceOfRegion, parseSqsArn } from './names';
import { MWAA_EVENT_SOURCE, MWAA_STATUS_DETAIL_TYPE } from '../../../contracts/events';

export const SCHEDULED_EVENT_SOURCE = 'aws.events';
export const SCHEDULED_EVENT = 'Scheduled Event';

export type EndpointKind = 'database' | 'webserver';
export const ENDPOINT_KINDS: readonly EndpointKind[] = ['database', 'webserver'];
export type WebserverAccessMode = 'PRIVATE_ONLY' | 'PUBLIC_ONLY';

/** An environment is identified by (account, name): names are unique per account only. */
export interface EnvironmentRef {
  readonly account: string;
  readonly name: string;
}

/** Everything needed to give an environment its endpoints and queue entry. */
export interface EnvironmentSpec extends EnvironmentRef {
  readonly status: string;
  readonly celeryExecutorQueue: string;
  readonly subnetIds: readonly string[];
  readonly webserverAccessMode: WebserverAccessMode;
  /** Endpoint service per kind the environment needs (webserver only when PRIVATE_ONLY). */
  readonly endpointServices: Readonly<Partial<Record<EndpointKind, string>>>;
}

export type RejectionCode =
  | 'unsupported-event'
  | 'malformed-event'
  | 'unregistered-account'
  | 'foreign-region'
  | 'foreign-subnet'
  | 'invalid-queue'
  | 'invalid-endpoint-service'
  /** The SQS endpoint policy cannot take the queue (size limit, or not in the managed form). */
  | 'policy-not-updatable';

export interface Rejection {
  readonly code: RejectionCode;
  readonly message: string;
}

export type ValidatedEvent =
  | { readonly type: 'scheduled' }
  | { readonly type: 'pending'; readonly environment: EnvironmentSpec }
  | {
      readonly type: 'deleted';
      readonly environment: EnvironmentRef;
      /** The deleted environment's queue, when the event carries one. */
      readonly celeryExecutorQueue?: string;
      /** Endpoint services named by the event: only endpoints to these are deleted when present. */
      readonly endpointServices: readonly string[];
    }
  | { readonly type: 'other-status'; readonly environment: EnvironmentRef; readonly status: string };

export type EventValidation =
  | { readonly ok: true; readonly event: ValidatedEvent }
  | { readonly ok: false; readonly reasons: readonly Rejection[]; readonly environment: Partial<EnvironmentRef> };

export interface ValidationContext {
  /** Region of the shared VPC (the function's own region). */
  readonly region: string;
  readonly partition: string;
  readonly participantAccounts: ReadonlySet<string>;
  readonly sharedSubnetIds: ReadonlySet<string>;
}

/** The `detail` of an MWAA status-change event; GetEnvironment replies are mapped to this shape. */
export interface EnvironmentDetail {
  readonly name?: unknown;
  readonly status?: unknown;
  readonly celeryExecutorQueue?: unknown;
  readonly databaseVpcEndpointService?: unknown;
  readonly webserverVpcEndpointService?: unknown;
  readonly webserverAccessMode?: unknown;
  readonly networkConfiguration?: unknown;
}

const malformed = (message: string): Rejection => ({ code: 'malformed-event', message });

export function validateEvent(event: unknown, context: ValidationContext): EventValidation {
  if (!isRecord(event)) return reject([malformed('event is not a JSON object')], {});
  const source = event.source;
  const detailType = event['detail-type'];
  if (source === SCHEDULED_EVENT_SOURCE && detailType === SCHEDULED_EVENT) return { ok: true, event: { type: 'scheduled' } };
  if (source !== MWAA_EVENT_SOURCE || detailType !== MWAA_STATUS_DETAIL_TYPE) {
    return reject(
      [{ code: 'unsupported-event', message: `unsupported event source/detail-type "${String(source)}"/"${String(detailType)}"` }],
      {},
    );
  }

  const detail = isRecord(event.detail) ? (event.detail as EnvironmentDetail) : undefined;
  const account = typeof event.account === 'string' ? event.account : undefined;
  const name = typeof detail?.name === 'string' ? detail.name : undefined;
  const ref = { account, name };
  const basics: Rejection[] = [];
  if (!account || !ACCOUNT_ID.test(account)) basics.push(malformed(`account "${String(event.account)}" is not a 12-digit account id`));
  if (typeof event.region !== 'string' || !REGION.test(event.region))
    basics.push(malformed(`region "${String(event.region)}" is not an AWS region`));
  if (!detail) basics.push(malformed('detail is missing or not an object'));
  else {
    if (!name || !ENVIRONMENT_NAME.test(name))
      basics.push(malformed(`detail.name "${String(detail.name)}" is not an MWAA environment name`));
    if (typeof detail.status !== 'string' || !/^[A-Z_]+$/.test(detail.status))
      basics.push(malformed(`detail.status "${String(detail.status)}" is not an MWAA status`));
  }
  if (basics.length > 0) return reject(basics, ref);

  const environment: EnvironmentRef = { account: account!, name: name! };
  const region = event.region as string;
  const status = detail!.status as string;
  if (!context.participantAccounts.has(environment.account)) {
    return reject([{ code: 'unregistered-account', message: `account ${environment.account} is not a registered participant` }], ref);
  }
  if (region !== context.region) {
    return reject([{ code: 'foreign-region', message: `event region ${region} is not the shared VPC's region ${context.region}` }], ref);
  }

  if (status === 'PENDING') {
    const result = validateEnvironmentDetail(environment, status, detail!, context);
    return result.ok ? { ok: true, event: { type: 'pending', environment: result.environment } } : reject(result.reasons, ref);
  }
  if (status === 'DELETED') return validateDeleted(environment, detail!, context, ref);
  return { ok: true, event: { type: 'other-status', environment, status } };
}

/**
 * Validates the fields needed to create endpoints for an environment. Used for PENDING events and
 * for GetEnvironment data during reconcile, so both paths apply the same rules.
 */
export function validateEnvironmentDetail(
  environment: EnvironmentRef,
  status: string,
  detail: EnvironmentDetail,
  context: ValidationContext,
): { readonly ok: true; readonly environment: EnvironmentSpec } | { readonly ok: false; readonly reasons: readonly Rejection[] } {
  const reasons: Rejection[] = [];
  const queue = checkQueue(detail.celeryExecutorQueue, context);
  if (queue) reasons.push(queue);

  const subnetIds = isRecord(detail.networkConfiguration) ? detail.networkConfiguration.subnetIds : undefined;
  if (!Array.isArray(subnetIds) || subnetIds.length === 0 || subnetIds.some((s) => typeof s !== 'string' || !SUBNET_ID.test(s))) {
    reasons.push(malformed(`networkConfiguration.subnetIds ${JSON.stringify(subnetIds ?? null)} is not a non-empty list of subnet ids`));
  } else {
    const foreign = (subnetIds as string[]).filter((subnet) => !context.sharedSubnetIds.has(subnet));
    if (foreign.length > 0) {
      reasons.push({ code: 'foreign-subnet', message: `subnets ${foreign.join(', ')} are not shared subnets of the shared VPC` });
    }
  }

  const accessMode = detail.webserverAccessMode;
  if (accessMode !== 'PRIVATE_ONLY' && accessMode !== 'PUBLIC_ONLY') {
    reasons.push(malformed(`webserverAccessMode "${String(accessMode)}" is not PRIVATE_ONLY or PUBLIC_ONLY`));
  }
  const database = checkService('databaseVpcEndpointService', detail.databaseVpcEndpointService, context);
  if (database) reasons.push(database);
  const webserver =
    accessMode === 'PRIVATE_ONLY' ? checkService('webserverVpcEndpointService', detail.webserverVpcEndpointService, context) : undefined;
  if (webserver) reasons.push(webserver);

  if (reasons.length > 0) return { ok: false, reasons };
  return {
    ok: true,
    environment: {
      ...environment,
      status,
      celeryExecutorQueue: detail.celeryExecutorQueue as string,
      subnetIds: [...new Set(subnetIds as string[])].sort(),
      webserverAccessMode: accessMode as WebserverAccessMode,
      endpointServices: {
        database: detail.databaseVpcEndpointService as string,
        ...(accessMode === 'PRIVATE_ONLY' ? { webserver: detail.webserverVpcEndpointService as string } : {}),
      },
    },
  };
}

/** DELETED needs only the identity; optional fields, when present, must still be valid. */
function validateDeleted(
  environment: EnvironmentRef,
  detail: EnvironmentDetail,
  context: ValidationContext,
  ref: Partial<EnvironmentRef>,
): EventValidation {
  const reasons: Rejection[] = [];
  if (detail.celeryExecutorQueue !== undefined) {
    const queue = checkQueue(detail.celeryExecutorQueue, context);
    if (queue) reasons.push(queue);
  }
  const services: string[] = [];
  for (const field of ['databaseVpcEndpointService', 'webserverVpcEndpointService'] as const) {
    if (detail[field] === undefined || detail[field] === null) continue;
    const problem = checkService(field, detail[field], context);
    if (problem) reasons.push(problem);
    else services.push(detail[field] as string);
  }
  if (reasons.length > 0) return reject(reasons, ref);
  return {
    ok: true,
    event: {
      type: 'deleted',
      environment,
      endpointServices: services,
      // Stryker disable next-line ConditionalExpression: a non-string queue was rejected above, so only an absent one reaches here; absent or undefined reads the same
      ...(typeof detail.celeryExecutorQueue === 'string' ? { celeryExecutorQueue: detail.celeryExecutorQueue } : {}),
    },
  };
}

/**
 * MWAA keeps Celery queues in an AWS-managed account, so the queue's account is not checked against
 * the participant: the SQS endpoint policy is what keeps look-alike queues out.
 */
export function checkQueue(value: unknown, context: ValidationContext): Rejection | undefined {
  if (typeof value !== 'string' || value.length === 0) return malformed('celeryExecutorQueue is missing');
  const queue = parseSqsArn(value);
  if (!queue) return { code: 'invalid-queue', message: `celeryExecutorQueue "${value}" is not an SQS queue ARN` };
  if (queue.partition !== context.partition || queue.region !== context.region) {
    return { code: 'invalid-queue', message: `celeryExecutorQueue "${value}" is not in ${context.partition}/${context.region}` };
  }
  if (!isCeleryQueueName(queue.name)) {
    return { code: 'invalid-queue', message: `celeryExecutorQueue "${value}" is not an MWAA Celery queue (airflow-celery-...)` };
  }
  return undefined;
}

function checkService(field: string, value: unknown, context: ValidationContext): Rejection | undefined {
  if (typeof value !== 'string' || value.length === 0) return malformed(`${field} is missing`);
  if (!isVpcEndpointServiceOfRegion(value, context.region)) {
    return {
      code: 'invalid-endpoint-service',
      message: `${field} "${value}" is not a VPC endpoint service of ${context.region} (com.amazonaws.vpce.${context.region}.vpce-svc-...)`,
    };
  }
  return undefined;
}

function reject(reasons: readonly Rejection[], environment: { account?: string | undefined; name?: string | undefined }): EventValidation {
  const known: { account?: string; name?: string } = {};
  // Stryker disable ConditionalExpression: an undefined key reads the same as an absent one (the handler spreads only truthy values)
  if (environment.account) known.account = environment.account;
  if (environment.name) known.name = environment.name;
  // Stryker restore ConditionalExpression
  return { ok: false, reasons, environment: known };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

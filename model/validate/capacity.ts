import { CELERY_QUEUE_PREFIX, MAX_QUEUE_NAME_LENGTH, POLICY_SIZE_LIMIT, serializeSqsEndpointPolicy } from '../../contracts/sqs-endpoint-policy';
import { partitionOf, type TeamConfig } from '../model';
import { INTERFACE_ENDPOINTS_MWAA_NEEDS, type PlatformFile } from '../schema/platform';
import type { FieldProblem } from './network';

export interface CapacityFigure {
  readonly used: number;
  readonly limit: number;
}

export interface CapacityUsage {
  /** Interface endpoints in the shared VPC: the platform's own plus one or two per environment. */
  readonly interfaceEndpoints: CapacityFigure & { readonly platform: number; readonly environments: number };
  /** Characters of the SQS endpoint policy if every environment's queue were listed by exact ARN (names of maximal length). */
  readonly sqsEndpointPolicy: CapacityFigure & { readonly queues: number };
}

/**
 * What the registered environments will use of the shared VPC's limits, from configuration alone:
 * each environment needs a database endpoint, plus a webserver endpoint when its webserver is private.
 */
export function capacityUsage(platform: PlatformFile, teams: readonly TeamConfig[]): CapacityUsage {
  const platformEndpoints = new Set([...INTERFACE_ENDPOINTS_MWAA_NEEDS, ...platform.network.extraInterfaceEndpoints]).size;
  const environments = teams.flatMap((t) => t.environments.map((env) => ({ account: t.accountId, env })));
  const perEnvironment = environments.reduce((sum, { env }) => sum + (env.webserverAccessMode === 'PRIVATE_ONLY' ? 2 : 1), 0);
  const scope = { region: platform.region, partition: partitionOf(platform.region) };
  const worstQueues = environments.map((_, i) =>
    `arn:${scope.partition}:sqs:${scope.region}:999999999999:${`${CELERY_QUEUE_PREFIX}${i}-`.padEnd(MAX_QUEUE_NAME_LENGTH, 'x')}`,
  );
  return {
    interfaceEndpoints: {
      used: platformEndpoints + perEnvironment,
      limit: platform.network.interfaceEndpointQuota,
      platform: platformEndpoints,
      environments: environments.length,
    },
    sqsEndpointPolicy: {
      used: serializeSqsEndpointPolicy(worstQueues, scope).length,
      limit: POLICY_SIZE_LIMIT,
      queues: environments.length,
    },
  };
}

/** Fails synthesis before the registered environments would exceed the VPC's endpoint quota or the policy size. */
export function validateCapacity(platform: PlatformFile, teams: readonly TeamConfig[]): FieldProblem[] {
  const usage = capacityUsage(platform, teams);
  const problems: FieldProblem[] = [];
  const { interfaceEndpoints: ep, sqsEndpointPolicy: sqs } = usage;
  if (ep.used > ep.limit) {
    problems.push({
      path: 'network.interfaceEndpointQuota',
      message:
        `the registered environments need ${ep.used} interface endpoints (${ep.platform} for the platform + ` +
        `${ep.used - ep.platform} for ${ep.environments} environments: one database endpoint each, plus one webserver ` +
        `endpoint per PRIVATE_ONLY webserver), above the quota of ${ep.limit}; request an AWS quota increase and raise ` +
        `interfaceEndpointQuota, or remove environments`,
    });
  }
  if (sqs.used > sqs.limit) {
    problems.push({
      path: 'teams',
      message:
        `${sqs.queues} environments could make the SQS endpoint policy ${sqs.used} characters in the worst case, above ` +
        `the ${sqs.limit}-character limit of a VPC endpoint policy; split the platform into another shared VPC`,
    });
  }
  return problems;
}

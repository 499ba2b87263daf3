import {
  CELERY_QUEUE_PREFIX,
  MAX_QUEUE_NAME_LENGTH,
  POLICY_SIZE_LIMIT,
  serializeSqsEndpointPolicy,
} from '../../contracts/sqs-endpoint-policy';
import { formatArn } from '../../contracts/aws';
import { parseCidr } from '../cidr';
import {
  endpointSubnetIndexes,
  platformInterfaceServices,
  recoveredEnvironments,
  recoveryInterfaceServices,
  sharedSubnetLayout,
  partitionOf,
  type TeamConfig,
} from '../model';
import type { PlatformFile } from '../schema/platform';
import type { FieldProblem } from './network';

export interface CapacityFigure {
  readonly used: number;
  readonly limit: number;
}

export interface CapacityUsage {
  /** Interface endpoints in the shared VPC: the platform's own plus one or two per environment. */
  readonly interfaceEndpoints: CapacityFigure & { readonly platform: number; readonly environments: number };
  /**
   * Endpoint network interfaces in each endpoint subnet (one per availability zone, the first listed there):
   * every interface endpoint puts one in each of its subnets, so the platform's endpoints use an address in
   * every zone's subnet, and each environment's endpoints one in each of its two MWAA subnets. MWAA's own
   * interfaces are not counted. Limit: the subnet's addresses less the 5 AWS reserves.
   */
  readonly endpointSubnets: ReadonlyArray<
    CapacityFigure & { readonly availabilityZone: string; readonly cidr: string; readonly path: string }
  >;
  /** Characters of the SQS endpoint policy if every environment's queue were listed by exact ARN (names of maximal length). */
  readonly sqsEndpointPolicy: CapacityFigure & { readonly queues: number };
  /**
   * Interface endpoints in the recovery region's shared VPC (platform.yaml `recovery`): its own, plus those of every
   * recovered environment as if all existed there (after a failover the backup-restore ones do too). Undefined
   * without a recovery region.
   */
  readonly recoveryInterfaceEndpoints?: CapacityFigure & { readonly platform: number; readonly environments: number };
}

/**
 * What the registered environments will use of the shared VPC's limits, from configuration alone:
 * each environment needs a database endpoint, plus a webserver endpoint when its webserver is private.
 */
export function capacityUsage(platform: PlatformFile, teams: readonly TeamConfig[]): CapacityUsage {
  // The mirror's two CodeArtifact endpoints count like any other of the platform's.
  const platformEndpoints = platformInterfaceServices(platform).length;
  const environments = teams.flatMap((t) => t.environments.map((env) => ({ account: t.accountId, env })));
  const endpointsOf = (env: TeamConfig['environments'][number]) => (env.webserverAccessMode === 'PRIVATE_ONLY' ? 2 : 1);
  const perEnvironment = environments.reduce((sum, { env }) => sum + endpointsOf(env), 0);
  const recovered = platform.recovery ? teams.flatMap((t) => recoveredEnvironments(t)) : [];
  // The recovery region's own mirror endpoints count there too (recoveryInterfaceServices names them).
  const recoveryPlatform = platform.recovery ? recoveryInterfaceServices(platform).length : 0;
  const scope = { region: platform.region, partition: partitionOf(platform.region) };
  const worstQueues = environments.map((_, i) =>
    formatArn({
      ...scope,
      service: 'sqs',
      account: '999999999999',
      resource: `${CELERY_QUEUE_PREFIX}${i}-`.padEnd(MAX_QUEUE_NAME_LENGTH, 'x'),
    }),
  );
  const layout = sharedSubnetLayout(platform);
  const endpointSubnets = endpointSubnetIndexes(layout).map((index, position) => {
    const subnet = layout[index]!;
    const range = parseCidr(subnet.cidr);
    return {
      availabilityZone: subnet.availabilityZone,
      cidr: subnet.cidr,
      path: platform.network.create ? `network.create.privateSubnetCidrs[${index}]` : `network.adopt.subnets[${index}].cidr`,
      // The first two zones' subnets are MWAA's (mwaaSubnetIds), so they also hold the environments' endpoints.
      used: platformEndpoints + (position < 2 ? perEnvironment : 0),
      limit: range ? 2 ** (32 - range.prefix) - AWS_RESERVED_ADDRESSES_PER_SUBNET : 0,
    };
  });
  return {
    endpointSubnets,
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
    ...(platform.recovery
      ? {
          recoveryInterfaceEndpoints: {
            used: recoveryPlatform + recovered.reduce((sum, env) => sum + endpointsOf(env), 0),
            limit: platform.recovery.network.interfaceEndpointQuota,
            platform: recoveryPlatform,
            environments: recovered.length,
          },
        }
      : {}),
  };
}

/** The first four addresses and the last one of every subnet are AWS's. */
const AWS_RESERVED_ADDRESSES_PER_SUBNET = 5;

/** Fails synthesis before the registered environments would exceed the VPC's endpoint quota, a subnet's addresses or the policy size. */
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
  const rec = usage.recoveryInterfaceEndpoints;
  if (rec && rec.used > rec.limit) {
    problems.push({
      path: 'recovery.network.interfaceEndpointQuota',
      message:
        `the recovery region's VPC needs ${rec.used} interface endpoints (${rec.platform} for the platform + ` +
        `${rec.used - rec.platform} for ${rec.environments} recovered environments, counted as after a failover: one database ` +
        `endpoint each, plus one webserver endpoint per PRIVATE_ONLY webserver), above the quota of ${rec.limit}; request an ` +
        `AWS quota increase in ${platform.recovery!.region} and raise recovery.network.interfaceEndpointQuota, or recover fewer environments`,
    });
  }
  for (const subnet of usage.endpointSubnets) {
    // An invalid CIDR is reported by the network checks; limit 0 would only repeat it.
    if (subnet.limit > 0 && subnet.used > subnet.limit) {
      problems.push({
        path: subnet.path,
        message:
          `${subnet.cidr} (the endpoint subnet of ${subnet.availabilityZone}) has ${subnet.limit} usable addresses, but the ` +
          `endpoints need ${subnet.used} network interfaces there (one per interface endpoint per availability zone); use a larger subnet`,
      });
    }
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

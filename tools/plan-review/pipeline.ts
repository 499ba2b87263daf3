/** The plan review's view of the configuration: capacity headroom from the same arithmetic that fails synthesis. */
import type { PlatformConfig } from '../../model/model';
import { capacityUsage } from '../../model/validate/capacity';
import type { CapacityItem } from './review';

/** Capacity headroom for the review, from the same arithmetic that fails synthesis when a limit is exceeded. */
export function capacityFigures(config: PlatformConfig): CapacityItem[] {
  const { interfaceEndpoints: ep, sqsEndpointPolicy: sqs, recoveryInterfaceEndpoints: rec } = capacityUsage(config.platform, config.teams);
  return [
    {
      name: 'Interface endpoints in the shared VPC',
      used: ep.used,
      limit: ep.limit,
      note: `${ep.platform} platform + ${ep.used - ep.platform} for ${ep.environments} MWAA environments (database, plus webserver when private)`,
    },
    {
      name: 'SQS endpoint policy size',
      used: sqs.used,
      limit: sqs.limit,
      unit: 'chars',
      note: `worst case, ${sqs.queues} queue(s) of maximal name length by exact ARN, before compaction`,
    },
    ...(rec
      ? [
          {
            name: `Interface endpoints in the recovery VPC (${config.platform.recovery!.region})`,
            used: rec.used,
            limit: rec.limit,
            note: `${rec.platform} platform + ${rec.used - rec.platform} for ${rec.environments} recovered MWAA environments, as after a failover`,
          },
        ]
      : []),
  ];
}

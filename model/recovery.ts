/** Disaster-recovery facts the stacks, the plan review and the tools share. */
import { ENVIRONMENT_CLASSES, environmentCapacity, type EnvironmentCapacity } from './environment';
import type { EnvironmentConfig } from './model';

/**
 * A warm standby's capacity: the smallest its class allows for everything that runs all the time (schedulers,
 * minimum workers and webservers), the primary's maxima kept so that after failover it scales to the primary's
 * load on its own. With its DAGs paused it never scales up before then, so the maxima cost nothing.
 */
export function standbyCapacity(env: EnvironmentConfig): EnvironmentCapacity {
  const own = environmentCapacity(env);
  const ranges = ENVIRONMENT_CLASSES[env.environmentClass];
  if (!ranges) return own;
  return {
    schedulers: ranges.schedulers[0],
    minWorkers: ranges.workers[0],
    maxWorkers: own.maxWorkers,
    minWebservers: ranges.webservers[0],
    maxWebservers: Math.max(own.maxWebservers, ranges.webservers[0]),
  };
}

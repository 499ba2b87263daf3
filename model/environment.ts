/** MWAA environment classes and versions, and the capacity an environment resolves to. */
import type { EnvironmentConfig } from './model';

/** Capacity one environment class allows (MWAA user guide, "Environment class"; API CreateEnvironment). */
export interface ClassRanges {
  readonly schedulers: readonly [min: number, max: number];
  readonly defaultSchedulers: number;
  /** Bounds for both minWorkers and maxWorkers. */
  readonly workers: readonly [min: number, max: number];
  readonly defaultMaxWorkers: number;
  /** Bounds for both minWebservers and maxWebservers. */
  readonly webservers: readonly [min: number, max: number];
  readonly defaultWebservers: number;
}

// mw1.micro runs one of everything and cannot scale; the larger classes share the service's ranges
// (schedulers and webservers 2-5, workers up to the default quota of 25).
const MICRO: ClassRanges = {
  schedulers: [1, 1],
  defaultSchedulers: 1,
  workers: [1, 1],
  defaultMaxWorkers: 1,
  webservers: [1, 1],
  defaultWebservers: 1,
};
const STANDARD: ClassRanges = {
  schedulers: [2, 5],
  defaultSchedulers: 2,
  workers: [1, 25],
  defaultMaxWorkers: 10,
  webservers: [2, 5],
  defaultWebservers: 2,
};

export const ENVIRONMENT_CLASSES: Readonly<Record<string, ClassRanges>> = {
  'mw1.micro': MICRO,
  'mw1.small': STANDARD,
  'mw1.medium': STANDARD,
  'mw1.large': STANDARD,
  'mw1.xlarge': STANDARD,
  'mw1.2xlarge': STANDARD,
};

/** Airflow versions MWAA offers, those whose support ended, and which version changes it makes in place. */
export { AIRFLOW_VERSIONS, ENDED_AIRFLOW_VERSIONS, airflowVersionChange, airflowVersionProblem } from './airflow-versions';

/** Every capacity setting resolved: what the stack sends to MWAA, so a plan never depends on service defaults. */
export interface EnvironmentCapacity {
  readonly schedulers: number;
  readonly minWorkers: number;
  readonly maxWorkers: number;
  readonly minWebservers: number;
  readonly maxWebservers: number;
}

/** Class defaults filled in; call only on a validated environment. */
export function environmentCapacity(env: EnvironmentConfig): EnvironmentCapacity {
  const ranges = ENVIRONMENT_CLASSES[env.environmentClass] ?? STANDARD;
  const minWorkers = env.minWorkers ?? ranges.workers[0];
  const minWebservers = env.minWebservers ?? ranges.defaultWebservers;
  return {
    schedulers: env.schedulers ?? ranges.defaultSchedulers,
    minWorkers,
    maxWorkers: env.maxWorkers ?? Math.max(ranges.defaultMaxWorkers, minWorkers),
    minWebservers,
    maxWebservers: env.maxWebservers ?? Math.max(ranges.defaultWebservers, minWebservers),
  };
}

/** Disaster-recovery facts the stacks, the plan review and the tools share. */
import { ENVIRONMENT_CLASSES, environmentCapacity, type EnvironmentCapacity } from './environment';
import { podOperatorSecretName } from '../contracts/account-scoped-names';
import { parseAirflowVersion } from './airflow-versions';
import type { EnvironmentConfig, TeamConfig, TeamFile } from './model';

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

/**
 * Problems of a failover list (`team/environment`, RECOVERY_FAILOVER): each must name a backup-restore environment
 * (a warm standby exists already). Empty when the list is fine.
 */
export function failoverListProblems(teams: readonly TeamFile[], list: readonly string[]): string[] {
  return list.flatMap((entry) => {
    const [team, environment, ...rest] = entry.split('/');
    const env = teams.find((t) => t.team === team)?.environments.find((e) => e.name === environment);
    if (rest.length > 0 || !env) return [`RECOVERY_FAILOVER: "${entry}" is not team/environment of a configured environment`];
    if (env.recovery !== 'backup-restore')
      return [
        `RECOVERY_FAILOVER: ${entry} is ${env.recovery ?? 'without recovery'}; only backup-restore environments are created at failover`,
      ];
    return [];
  });
}

/**
 * Secrets the platform itself creates in an environment's secrets backend, which recovery replicates to the
 * recovery region: the `eks_pod_operator` connection, for a team with EKS and an environment with a secrets
 * backend. Secrets a team creates are the team's to replicate (docs/disaster-recovery.md).
 */
export function platformSecretNames(team: Pick<TeamConfig, 'eks'>, env: Pick<EnvironmentConfig, 'secretsBackend'>): string[] {
  return team.eks && env.secretsBackend ? [podOperatorSecretName(env.secretsBackend.connectionsPrefix)] : [];
}

/** The platform's secrets of a team's environments with recovery, sorted and once each (environments may share a prefix). */
export function replicatedSecretNames(team: Pick<TeamConfig, 'eks' | 'environments'>): string[] {
  return [...new Set(team.environments.filter((env) => env.recovery).flatMap((env) => platformSecretNames(team, env)))].sort();
}

/**
 * Whether the platform's backup and restore DAGs carry this environment's metadata: Airflow 2 only. Airflow 3 took
 * tasks' access to the metadata database away; what its REST API allows is carried by hand (`platform_recovery.rest_api`).
 */
export const metadataDagsCarry = (env: Pick<EnvironmentConfig, 'airflowVersion'>): boolean =>
  (parseAirflowVersion(env.airflowVersion)?.[0] ?? 0) < 3;

/** What an Airflow 3 environment's failover carries and does not, in one sentence for the warning and the tools. */
export const AIRFLOW3_RECOVERY_SCOPE =
  'failover carries the DAGs, requirements, plugins and the platform’s replicated secrets; not the run history, task state, XComs, logs or which DAGs were paused (every DAG arrives paused); variables, pools and connections only by hand, as far as the REST API shows them (python -m platform_recovery.rest_api backup/restore: the platform schedules no backup for it), and npm run failover/failback cannot restore it';

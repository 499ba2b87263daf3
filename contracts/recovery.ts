/**
 * The metadata backup/restore DAGs' contract with the stacks that deploy them and the failover tools that run them.
 * The DAGs are Python (recovery/dags/); they cannot import this file, so recovery/dags/platform_recovery/names.py
 * repeats these values and test/contracts/recovery.test.ts fails when the two differ. Dependency-free.
 */
import { airflowOptionEnvVar } from './python-packages';

/** Folder of the environment's DAG bucket the constructs copy recovery/dags/ into; teams may not write under it. */
export const RECOVERY_DAG_FOLDER = '_platform/recovery/';

/** The same folder as a DAG bucket key prefix (under the environments' `dags/`), without the trailing slash. */
export const PLATFORM_DAGS_FOLDER = `dags/${RECOVERY_DAG_FOLDER.replace(/\/$/, '')}`;

/**
 * Source of the DAGs in this repository, uploaded file by file under RECOVERY_DAG_FOLDER, `.airflowignore` included
 * (it keeps the DAG processor out of the helper package, whose modules would otherwise show as import errors).
 */
export const RECOVERY_DAG_SOURCE = 'recovery/dags';

/** DAG ids: the failover tool unpauses and triggers the restore DAG; neither DAG's own rows are backed up or cleaned. */
export const RECOVERY_DAG_IDS = { backup: 'platform_recovery_backup', restore: 'platform_recovery_restore' } as const;

/** Key prefix of every backup in a backup bucket: `<prefix><backupId>/<table>.csv`, and `manifest.json` written last. */
export const RECOVERY_BACKUP_PREFIX = 'airflow-metadata/';

/** Backup schedule when the environment sets no `recoveryBackupSchedule` (RPO = this interval). */
export const DEFAULT_RECOVERY_BACKUP_SCHEDULE = '@hourly';

/**
 * Airflow configuration options the stacks set on a recovered environment. MWAA passes each option to the
 * containers as an environment variable (RECOVERY_ENV), which the DAGs read when they are parsed. Teams may not
 * set options of this section.
 */
export const RECOVERY_OPTION_SECTION = 'platform_recovery';
export const RECOVERY_OPTIONS = {
  /** Bucket this environment writes backups to. Unset (e.g. on a warm standby): the backup DAG writes nothing. */
  backupBucket: `${RECOVERY_OPTION_SECTION}.backup_bucket`,
  /** Bucket the restore DAG reads from by default: on the recovery side, the replica of the primary's backup bucket. */
  restoreBucket: `${RECOVERY_OPTION_SECTION}.restore_bucket`,
  /** Cron expression or preset of the backup DAG (`recoveryBackupSchedule`); DEFAULT_RECOVERY_BACKUP_SCHEDULE when unset. */
  backupSchedule: `${RECOVERY_OPTION_SECTION}.backup_schedule`,
} as const;

export const RECOVERY_ENV = {
  backupBucket: airflowOptionEnvVar(RECOVERY_OPTIONS.backupBucket),
  restoreBucket: airflowOptionEnvVar(RECOVERY_OPTIONS.restoreBucket),
  backupSchedule: airflowOptionEnvVar(RECOVERY_OPTIONS.backupSchedule),
} as const;

/**
 * Airflow variables: none, on purpose. Terraform cannot set Airflow variables, the restore itself replaces them,
 * and reading one at parse time costs a database query per parse. Everything comes from RECOVERY_OPTIONS or a run's conf.
 */
export const RECOVERY_AIRFLOW_VARIABLES = {} as const;

/** How the restore treats connections and variables the target already has (by conn_id / key). */
export const RESTORE_KEEP_MODES = ['keep-existing', 'replace'] as const;
export type RestoreKeepMode = (typeof RESTORE_KEEP_MODES)[number];
export const DEFAULT_RESTORE_KEEP_MODE: RestoreKeepMode = 'keep-existing';

/** Keys of the `conf` the tools pass when they trigger a DAG run (all optional). */
export const RECOVERY_RUN_CONF = {
  /** Backup to restore; default: the newest in the bucket (refused when it is incomplete). */
  backupId: 'backupId',
  /** Bucket to read (restore) or write (a manual backup, e.g. before failback) instead of the configured one. */
  bucket: 'bucket',
  /** RestoreKeepMode for connections and for variables. */
  connections: 'connections',
  variables: 'variables',
  /** Required by the restore, with RESTORE_CONFIRMATION as its value: a stray trigger must not replace an environment's metadata. */
  confirm: 'confirm',
} as const;
export const RESTORE_CONFIRMATION = 'replace-metadata';

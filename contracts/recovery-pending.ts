/**
 * PLACEHOLDERS for the recovery contract engineer `drdata` publishes as `contracts/recovery.ts` (the backup and
 * restore DAGs' folder, ids, Airflow options and run conf), with the values their branch has now. This is the one
 * place the stacks and tools take those facts from until that file lands on main; then this module re-exports it
 * and disappears.
 */

/** Source of the platform DAGs in this repository (drdata: RECOVERY_DAG_SOURCE). */
export const PLATFORM_DAGS_SOURCE = 'recovery/dags';

/**
 * Folder of the DAG bucket reserved for the platform's DAGs, as a bucket key prefix without the trailing slash (drdata:
 * RECOVERY_DAG_FOLDER, under the environments' `dags/`): team files there are refused, the stacks upload the DAGs there.
 */
export const PLATFORM_DAGS_FOLDER = 'dags/_platform/recovery';

/** DAG ids the failover command triggers and watches (drdata: RECOVERY_DAG_IDS). */
export const BACKUP_DAG_ID = 'platform_recovery_backup';
export const RESTORE_DAG_ID = 'platform_recovery_restore';

/** Airflow configuration options through which the stacks tell the DAGs where and when (drdata: RECOVERY_OPTIONS). */
export const RECOVERY_AIRFLOW_OPTIONS = {
  backupBucket: 'platform_recovery.backup_bucket',
  restoreBucket: 'platform_recovery.restore_bucket',
  backupSchedule: 'platform_recovery.backup_schedule',
} as const;

/** `dags trigger --conf` keys (drdata: RECOVERY_RUN_CONF, RESTORE_CONFIRMATION). */
export const RECOVERY_RUN_CONF = { bucket: 'bucket', confirm: 'confirm' } as const;
export const RESTORE_CONFIRMATION = 'replace-metadata';

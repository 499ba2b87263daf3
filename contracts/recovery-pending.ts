/**
 * PLACEHOLDERS for the recovery contract engineer `drdata` publishes as `contracts/recovery.ts` (the backup and
 * restore DAGs' object prefix, the reserved DAG folder, the Airflow option names the DAGs read). This is the one
 * place the stacks and tools take those facts from until that file lands on main; then this module re-exports it
 * and disappears.
 */

/** Folder of the DAG bucket reserved for the platform's DAGs: team files there are refused, the stacks upload the DAGs there. */
export const PLATFORM_DAGS_FOLDER = 'dags/platform_recovery';

/** DAG ids the failover command triggers and watches. */
export const BACKUP_DAG_ID = 'platform_recovery_backup';
export const RESTORE_DAG_ID = 'platform_recovery_restore';

/** Key prefix of the metadata exports in the backup bucket. */
export const BACKUP_OBJECT_PREFIX = 'metadata-backups';

/** Airflow configuration options (`section.key`) through which the stacks tell the DAGs where and when to back up. */
export const RECOVERY_AIRFLOW_OPTIONS = {
  backupBucket: 'platform_recovery.backup_bucket',
  backupSchedule: 'platform_recovery.backup_schedule',
} as const;

/** `dags trigger --conf` key naming the bucket the restore DAG reads (failback reads the recovery region's backups). */
export const RESTORE_CONF_SOURCE_BUCKET = 'source_bucket';

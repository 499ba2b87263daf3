"""Names the DAGs share with the stacks and tools: the Python copy of contracts/recovery.ts.

test/contracts/recovery.test.ts fails when a value here differs from the contract, so change both together.
"""

DAG_FOLDER = "_platform/recovery/"
BACKUP_DAG_ID = "platform_recovery_backup"
RESTORE_DAG_ID = "platform_recovery_restore"
RECOVERY_DAG_IDS = (BACKUP_DAG_ID, RESTORE_DAG_ID)

BACKUP_PREFIX = "airflow-metadata/"
DEFAULT_BACKUP_SCHEDULE = "@hourly"

# Environment variables MWAA sets from the platform_recovery.* Airflow configuration options.
BACKUP_BUCKET_ENV = "AIRFLOW__PLATFORM_RECOVERY__BACKUP_BUCKET"
RESTORE_BUCKET_ENV = "AIRFLOW__PLATFORM_RECOVERY__RESTORE_BUCKET"
BACKUP_SCHEDULE_ENV = "AIRFLOW__PLATFORM_RECOVERY__BACKUP_SCHEDULE"

KEEP_EXISTING = "keep-existing"
REPLACE = "replace"
KEEP_MODES = (KEEP_EXISTING, REPLACE)
DEFAULT_KEEP_MODE = KEEP_EXISTING

# Keys of a DAG run's conf.
CONF_BACKUP_ID = "backupId"
CONF_BUCKET = "bucket"
CONF_CONNECTIONS = "connections"
CONF_VARIABLES = "variables"
# The restore refuses to run without this in its conf: a stray trigger must not replace an environment's metadata.
CONF_CONFIRM = "confirm"
CONFIRM_VALUE = "replace-metadata"

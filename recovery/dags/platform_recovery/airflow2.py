"""The Airflow 2.x task callables of the recovery DAGs: Airflow and boto3 are imported when a task runs, not when
the scheduler parses the DAG files; the work itself is in metadata.py."""

from __future__ import annotations

import logging
import os
from datetime import datetime, timezone

from . import metadata, names

log = logging.getLogger(__name__)


class _FernetCodec:
    def __init__(self, fernet):
        self.fernet = fernet

    def encrypt(self, value: str) -> str:
        return self.fernet.encrypt(value.encode("utf-8")).decode("utf-8")

    def decrypt(self, value: str) -> str:
        return self.fernet.decrypt(value.encode("utf-8")).decode("utf-8")


def _codec():
    from airflow.models.crypto import get_fernet

    fernet = get_fernet()
    return _FernetCodec(fernet) if getattr(fernet, "is_encrypted", False) else None  # NullFernet: no key configured


def _conf(context) -> dict:
    dag_run = context.get("dag_run")
    return dict(getattr(dag_run, "conf", None) or {})


def _store(bucket: str):
    import boto3

    return metadata.S3Store(boto3.client("s3"), bucket)


def _connection():
    from airflow import settings

    return settings.engine.raw_connection()


AIRFLOW3 = (
    "Airflow {version} gives tasks no metadata-database access: these DAGs carry nothing here. Carry variables, pools "
    "and connections with `python -m platform_recovery.rest_api backup|restore` (docs/disaster-recovery.md, Airflow 3.x)"
)


def _airflow3(version: str) -> bool:
    major = version.split(".", 1)[0]
    return major.isdigit() and int(major) >= 3


def backup(**context) -> dict:
    from airflow.exceptions import AirflowSkipException
    from airflow.version import version

    if _airflow3(version):
        raise AirflowSkipException(AIRFLOW3.format(version=version))  # skipped, not failed: nothing to fix here
    conf = _conf(context)
    bucket = conf.get(names.CONF_BUCKET) or os.environ.get(names.BACKUP_BUCKET_ENV)
    if not bucket:
        raise AirflowSkipException(f"{names.BACKUP_BUCKET_ENV} is not set: this environment takes no backups (a standby, or recovery is off)")
    backup_id = conf.get(names.CONF_BACKUP_ID) or metadata.backup_id_for(datetime.now(timezone.utc))
    store = _store(bucket)
    conn = _connection()
    try:
        manifest = metadata.backup(conn, store, backup_id, version, codec=_codec())
    finally:
        conn.close()
    rows = {table: entry["rows"] for table, entry in manifest["tables"].items()}
    log.info("backup %s written: %s", store.location(backup_id), rows)
    return {"backupId": backup_id, "location": store.location(backup_id), "rows": rows}


def restore(**context) -> dict:
    from airflow.exceptions import AirflowFailException
    from airflow.version import version

    if _airflow3(version):
        raise AirflowFailException(AIRFLOW3.format(version=version))
    conf = _conf(context)
    if conf.get(names.CONF_CONFIRM) != names.CONFIRM_VALUE:
        raise AirflowFailException(
            f"the restore replaces this environment's metadata: trigger it with conf {{\"{names.CONF_CONFIRM}\": \"{names.CONFIRM_VALUE}\"}} "
            "(npm run failover does)"
        )
    bucket = conf.get(names.CONF_BUCKET) or os.environ.get(names.RESTORE_BUCKET_ENV)
    store = _store(bucket)
    conn = _connection()
    try:
        report = metadata.restore(
            conn,
            store,
            backup_id=conf.get(names.CONF_BACKUP_ID),
            connections=conf.get(names.CONF_CONNECTIONS, names.DEFAULT_KEEP_MODE),
            variables=conf.get(names.CONF_VARIABLES, names.DEFAULT_KEEP_MODE),
            codec=_codec(),
        )
    except metadata.BackupError as error:
        raise AirflowFailException(str(error)) from error  # retrying cannot help
    finally:
        conn.close()
    for dag_id, run_id in report.interrupted_runs:
        log.warning("interrupted at backup time, marked failed: clear it to rerun: dag %s run %s", dag_id, run_id)
    log.info("restored %s: %s", store.location(report.backup_id), report.to_dict())
    return report.to_dict()


def unpause_late_dags(**context) -> None:
    """DAGs unpaused in the backup that this environment had not parsed at restore time: unpaused once they appear
    (the task's retries are the wait)."""
    report = context["ti"].xcom_pull(task_ids="restore") or {}
    if not report.get("missing_dags"):
        return
    conn = _connection()
    try:
        _, missing = metadata.set_unpaused(conn, report["unpaused"] + report["missing_dags"])
    finally:
        conn.close()
    if missing:
        raise RuntimeError(f"not parsed yet, still paused: {', '.join(missing)}")

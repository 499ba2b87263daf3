"""Platform-owned (docs/disaster-recovery.md): replaces this environment's Airflow metadata with a backup.

Triggered by `npm run failover` / `npm run failback` with conf {"confirm": "replace-metadata"} and optionally
backupId, bucket, connections and variables (keep-existing | replace). Deployed under dags/_platform/recovery/,
which teams cannot write. Airflow 2.x only.
"""

import os
import sys
from datetime import datetime, timedelta

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from airflow import DAG  # noqa: E402
from airflow.operators.python import PythonOperator  # noqa: E402
from platform_recovery import airflow2, names  # noqa: E402

with DAG(
    dag_id=names.RESTORE_DAG_ID,
    description="Platform: restore metadata from a backup (failover, failback)",
    schedule=None,
    start_date=datetime(2024, 1, 1),
    catchup=False,
    max_active_runs=1,
    is_paused_upon_creation=False,  # a standby's DAGs are paused at creation; this one must run when triggered
    default_args={"owner": "platform"},
    tags=["platform", "recovery"],
) as dag:
    restore = PythonOperator(task_id="restore", python_callable=airflow2.restore)
    unpause = PythonOperator(
        task_id="unpause_late_dags", python_callable=airflow2.unpause_late_dags, retries=15, retry_delay=timedelta(minutes=1)
    )
    restore >> unpause

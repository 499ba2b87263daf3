"""Platform-owned (docs/disaster-recovery.md): backs this environment's Airflow metadata up to its backup bucket.

Deployed by the platform under dags/_platform/recovery/, which teams cannot write. Airflow 2.x only: Airflow 3 tasks
cannot reach the metadata database (platform_recovery/rest_api.py carries what the REST API allows instead).
"""

import os
import sys
from datetime import datetime, timedelta

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from airflow import DAG  # noqa: E402
from airflow.operators.python import PythonOperator  # noqa: E402
from platform_recovery import airflow2, names  # noqa: E402

with DAG(
    dag_id=names.BACKUP_DAG_ID,
    description="Platform: metadata backup for disaster recovery",
    schedule=os.environ.get(names.BACKUP_SCHEDULE_ENV) or names.DEFAULT_BACKUP_SCHEDULE,
    start_date=datetime(2024, 1, 1),
    catchup=False,
    max_active_runs=1,
    is_paused_upon_creation=False,  # backups start with the environment; without a backup bucket it skips
    dagrun_timeout=timedelta(minutes=50),
    default_args={"owner": "platform", "retries": 1, "retry_delay": timedelta(minutes=2)},
    tags=["platform", "recovery"],
) as dag:
    PythonOperator(task_id="backup", python_callable=airflow2.backup)

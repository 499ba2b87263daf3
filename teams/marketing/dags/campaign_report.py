"""Weekly campaign report; an example DAG of the marketing team."""
from __future__ import annotations

import pendulum
from airflow import DAG
from airflow.operators.empty import EmptyOperator

with DAG(
    dag_id="marketing_campaign_report",
    schedule="@weekly",
    start_date=pendulum.datetime(2024, 1, 1, tz="UTC"),
    catchup=False,
    tags=["marketing", "example"],
) as dag:
    EmptyOperator(task_id="report")

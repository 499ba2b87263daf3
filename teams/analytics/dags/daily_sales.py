"""Aggregates yesterday's sales; an example DAG of the analytics team."""
from __future__ import annotations

import pendulum
from airflow import DAG
from airflow.operators.python import PythonOperator


def _summarize(ds: str, **_: object) -> None:
    print(f"summarizing sales for {ds}")


with DAG(
    dag_id="analytics_daily_sales",
    schedule="@daily",
    start_date=pendulum.datetime(2024, 1, 1, tz="UTC"),
    catchup=False,
    tags=["analytics", "example"],
) as dag:
    PythonOperator(task_id="summarize", python_callable=_summarize)

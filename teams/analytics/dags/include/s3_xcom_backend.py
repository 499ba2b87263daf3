"""XCom backend of the analytics environments (named by core.xcom_backend in config/teams/analytics.yaml).

MWAA puts the dags/ folder on sys.path, so this module imports as include.s3_xcom_backend.
"""
from __future__ import annotations

from airflow.models.xcom import BaseXCom


class S3XComBackend(BaseXCom):
    """Keeps Airflow's default behaviour; a real backend would offload large values to S3."""

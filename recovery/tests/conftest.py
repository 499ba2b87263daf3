"""Fixtures: a throwaway PostgreSQL 15 cluster on a unix socket in a temporary folder (started once, stopped at the
end), a fresh pair of Airflow 2.x-shaped databases per test, and S3 in-process through moto."""

from __future__ import annotations

import itertools
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import boto3
import pytest
import sqlalchemy
from moto import mock_aws

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "dags"))

SCHEMA = Path(__file__).with_name("airflow2_schema.sql")
TEMPLATE_DB = "airflow2_template"
# Airflow 2.8's shape of the carried tables: 2.10's without the columns 2.9 and 2.10 added.
AIRFLOW_2_8 = """
ALTER TABLE task_instance DROP COLUMN executor, DROP COLUMN task_display_name, DROP COLUMN rendered_map_index;
ALTER TABLE log DROP COLUMN try_number;
"""
TEMPLATES = {"2.10": TEMPLATE_DB, "2.8": "airflow28_template"}
BUCKET = "analytics-prod-recovery-backups"


def _pg_bin(name: str) -> str:
    """initdb and pg_ctl are often outside PATH (Debian keeps them in /usr/lib/postgresql/<major>/bin)."""
    found = shutil.which(name) or next(iter(sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), reverse=True)), None)
    if not found:
        pytest.exit(f"FATAL: PostgreSQL's {name} was not found (PATH or /usr/lib/postgresql/*/bin); the recovery tests need it", returncode=3)
    return str(found)


class Cluster:
    def __init__(self, root: Path):
        self.root, self.data, self.socket_dir = root, root / "data", root / "socket"
        # PostgreSQL refuses to run as root: as root, the server runs as the `postgres` account.
        self.run_as = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []

    def _run(self, *args: str) -> None:
        result = subprocess.run([*self.run_as, *args], capture_output=True, text=True)
        if result.returncode != 0:
            raise RuntimeError(f"{' '.join(args)} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")

    def start(self) -> None:
        self.socket_dir.mkdir(parents=True)
        if self.run_as:
            shutil.chown(self.root, "postgres")
            shutil.chown(self.socket_dir, "postgres")
        self._run(_pg_bin("initdb"), "-D", str(self.data), "-U", "airflow", "--auth=trust", "--encoding=UTF8", "--locale=C", "-N")
        options = f"-k {self.socket_dir} -c listen_addresses='' -c fsync=off -c full_page_writes=off -c synchronous_commit=off"
        self._run(_pg_bin("pg_ctl"), "-D", str(self.data), "-l", str(self.root / "server.log"), "-o", options, "-w", "start")

    def stop(self) -> None:
        self._run(_pg_bin("pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop")

    def url(self, database: str) -> str:
        return f"postgresql+psycopg2://airflow@/{database}?host={self.socket_dir}"


@pytest.fixture(scope="session")
def cluster():
    root = Path(tempfile.mkdtemp(prefix="recovery-pg-"))
    os.chmod(root, 0o755)
    server = Cluster(root)
    server.start()
    admin = sqlalchemy.create_engine(server.url("postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f"CREATE DATABASE {TEMPLATE_DB}")
    template = sqlalchemy.create_engine(server.url(TEMPLATE_DB))
    with template.begin() as conn:
        conn.exec_driver_sql(SCHEMA.read_text())
    template.dispose()
    with admin.connect() as conn:
        conn.exec_driver_sql(f"CREATE DATABASE {TEMPLATES['2.8']} TEMPLATE {TEMPLATE_DB}")
    template = sqlalchemy.create_engine(server.url(TEMPLATES["2.8"]))
    with template.begin() as conn:
        conn.exec_driver_sql(AIRFLOW_2_8)
    template.dispose()
    server.admin = admin
    try:
        yield server
    finally:
        admin.dispose()
        server.stop()
        shutil.rmtree(root, ignore_errors=True)


_names = itertools.count(1)


class AirflowDb:
    """One Airflow 2.x-shaped database; `raw()` is what a DAG gets from airflow.settings.engine.raw_connection()."""

    def __init__(self, engine: sqlalchemy.Engine):
        self.engine = engine

    def raw(self):
        return self.engine.raw_connection()

    def execute(self, sql: str, params=None):
        with self.engine.begin() as conn:
            return conn.exec_driver_sql(sql, params or ())

    def rows(self, sql: str, params=None) -> list:
        with self.engine.connect() as conn:
            return [tuple(row) for row in conn.exec_driver_sql(sql, params or ())]


@pytest.fixture()
def make_db(cluster):
    engines = []

    def create(airflow_version: str = "2.10") -> AirflowDb:
        name = f"airflow_{next(_names)}"
        with cluster.admin.connect() as conn:
            conn.exec_driver_sql(f"CREATE DATABASE {name} TEMPLATE {TEMPLATES[airflow_version]}")
        engine = sqlalchemy.create_engine(cluster.url(name))
        engines.append((name, engine))
        return AirflowDb(engine)

    yield create
    for name, engine in engines:
        engine.dispose()
        with cluster.admin.connect() as conn:
            conn.exec_driver_sql(f"DROP DATABASE {name}")


@pytest.fixture()
def s3():
    with mock_aws():
        client = boto3.client("s3", region_name="eu-west-1")
        client.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
        yield client


@pytest.fixture(autouse=True)
def _no_real_aws(monkeypatch):
    for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-west-1")

"""The DAG files and their task callables, with a stand-in for the few Airflow 2 modules they import: the DAGs'
settings, the bucket and schedule from the environment, the restore's confirmation, Fernet, and the late unpause."""

from __future__ import annotations

import base64
import importlib.util
import sys
import types
from pathlib import Path

import pytest
from conftest import BUCKET
from platform_recovery import airflow2, names
from support import add_dag, populate_primary

DAGS = Path(__file__).resolve().parents[1] / "dags"


class Skip(Exception):
    pass


class Fail(Exception):
    pass


class FakeFernet:
    """Airflow's Fernet shape (bytes in, bytes out) with a reversible stand-in cipher."""

    is_encrypted = True

    def __init__(self, key: str):
        self.key = key.encode()

    def encrypt(self, value: bytes) -> bytes:
        return self.key + b":" + base64.b64encode(value)

    def decrypt(self, value: bytes) -> bytes:
        assert value.startswith(self.key + b":"), "wrong Fernet key"
        return base64.b64decode(value[len(self.key) + 1 :])


class Operator:
    def __init__(self, task_id, python_callable, **options):
        self.task_id, self.python_callable, self.options, self.downstream = task_id, python_callable, options, []
        FakeDag.current.tasks.append(self)

    def __rshift__(self, other):
        self.downstream.append(other.task_id)
        return other


class FakeDag:
    current = None

    def __init__(self, **settings):
        self.settings, self.tasks = settings, []

    def __enter__(self):
        FakeDag.current = self
        return self

    def __exit__(self, *exc):
        FakeDag.current = None


@pytest.fixture()
def airflow(monkeypatch):
    """Stand-ins for airflow, airflow.operators.python, airflow.exceptions, airflow.version, airflow.models.crypto and
    airflow.settings; `state` lets a test choose the Fernet key and the database engine."""
    state = types.SimpleNamespace(fernet=FakeFernet("k1"), engine=None)
    modules = {
        "airflow": types.SimpleNamespace(DAG=FakeDag),
        "airflow.operators": types.SimpleNamespace(),
        "airflow.operators.python": types.SimpleNamespace(PythonOperator=Operator),
        "airflow.exceptions": types.SimpleNamespace(AirflowSkipException=Skip, AirflowFailException=Fail),
        "airflow.version": types.SimpleNamespace(version="2.10.3"),
        "airflow.models": types.SimpleNamespace(),
        "airflow.models.crypto": types.SimpleNamespace(get_fernet=lambda: state.fernet),
        "airflow.settings": types.SimpleNamespace(engine=types.SimpleNamespace(raw_connection=lambda: state.engine.raw_connection())),
    }
    for name, module in modules.items():
        monkeypatch.setitem(sys.modules, name, module)
    monkeypatch.setattr(sys.modules["airflow"], "settings", modules["airflow.settings"], raising=False)
    for name in (names.BACKUP_BUCKET_ENV, names.RESTORE_BUCKET_ENV, names.BACKUP_SCHEDULE_ENV):
        monkeypatch.delenv(name, raising=False)
    return state


def load_dag(file: str) -> FakeDag:
    spec = importlib.util.spec_from_file_location(f"dagfile_{file[:-3]}", DAGS / file)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.dag


def run_context(conf=None, xcom=None):
    return {"dag_run": types.SimpleNamespace(conf=conf or {}), "ti": types.SimpleNamespace(xcom_pull=lambda task_ids: xcom)}


def test_the_backup_dag_runs_hourly_unless_the_environment_says_otherwise(airflow, monkeypatch):
    dag = load_dag("platform_recovery_backup.py")
    assert dag.settings["dag_id"] == "platform_recovery_backup" and dag.settings["schedule"] == "@hourly"
    assert dag.settings["is_paused_upon_creation"] is False and dag.settings["max_active_runs"] == 1 and dag.settings["catchup"] is False
    assert [task.task_id for task in dag.tasks] == ["backup"]

    monkeypatch.setenv(names.BACKUP_SCHEDULE_ENV, "*/15 * * * *")
    assert load_dag("platform_recovery_backup.py").settings["schedule"] == "*/15 * * * *"


def test_the_restore_dag_only_runs_when_triggered_and_unpauses_late_dags_after_the_restore(airflow):
    dag = load_dag("platform_recovery_restore.py")
    assert dag.settings["dag_id"] == "platform_recovery_restore" and dag.settings["schedule"] is None
    assert dag.settings["is_paused_upon_creation"] is False
    restore, unpause = dag.tasks
    assert (restore.task_id, restore.downstream, unpause.task_id) == ("restore", ["unpause_late_dags"], "unpause_late_dags")
    assert unpause.options["retries"] > 0


def test_the_backup_task_skips_where_no_backup_bucket_is_configured(airflow, make_db, s3):
    airflow.engine = make_db().engine
    with pytest.raises(Skip, match=r"^AIRFLOW__PLATFORM_RECOVERY__BACKUP_BUCKET is not set: this environment takes no backups"):
        airflow2.backup(**run_context())
    assert s3.list_objects_v2(Bucket=BUCKET).get("KeyCount") == 0


def test_on_airflow_3_the_backup_skips_and_the_restore_fails_saying_what_to_use_instead(airflow, make_db, s3, monkeypatch):
    monkeypatch.setitem(sys.modules, "airflow.version", types.SimpleNamespace(version="3.0.6"))
    monkeypatch.setenv(names.BACKUP_BUCKET_ENV, BUCKET)
    monkeypatch.setenv(names.RESTORE_BUCKET_ENV, BUCKET)
    expected = (
        r"^Airflow 3\.0\.6 gives tasks no metadata-database access: these DAGs carry nothing here\. Carry variables, pools "
        r"and connections with `python -m platform_recovery\.rest_api backup\|restore` \(docs/disaster-recovery\.md, Airflow 3\.x\)$"
    )
    with pytest.raises(Skip, match=expected):
        airflow2.backup(**run_context())
    with pytest.raises(Fail, match=expected):
        airflow2.restore(**run_context({names.CONF_CONFIRM: names.CONFIRM_VALUE}))
    assert s3.list_objects_v2(Bucket=BUCKET).get("KeyCount") == 0


def test_backup_and_restore_tasks_carry_secrets_between_two_fernet_keys(airflow, make_db, s3, monkeypatch):
    primary, standby = make_db(), make_db()
    populate_primary(primary, None)
    primary.execute("UPDATE variable SET val = %s, is_encrypted = true WHERE key = 'var_2'", (FakeFernet("k1").encrypt("clé".encode()).decode(),))
    add_dag(standby, "sales_daily", paused=True)
    monkeypatch.setenv(names.BACKUP_BUCKET_ENV, BUCKET)
    airflow.engine = primary.engine

    result = airflow2.backup(**run_context({names.CONF_BACKUP_ID: "20261203T100000Z"}))

    assert result["backupId"] == "20261203T100000Z" and result["rows"]["variable"] == 7
    airflow.engine, airflow.fernet = standby.engine, FakeFernet("k2")
    monkeypatch.setenv(names.RESTORE_BUCKET_ENV, BUCKET)
    report = airflow2.restore(**run_context({names.CONF_CONFIRM: names.CONFIRM_VALUE}))
    assert report["backup_id"] == "20261203T100000Z" and report["unpaused"] == ["sales_daily"] and report["missing_dags"] == ["finance_report"]
    (val,), = standby.rows("SELECT val FROM variable WHERE key = 'var_2'")
    assert FakeFernet("k2").decrypt(val.encode()).decode() == "clé"


def test_the_restore_task_refuses_without_its_confirmation(airflow, make_db, s3):
    airflow.engine = make_db().engine
    with pytest.raises(Fail, match=r'^the restore replaces this environment\'s metadata: trigger it with conf \{"confirm": "replace-metadata"\}'):
        airflow2.restore(**run_context({names.CONF_BUCKET: BUCKET}))


def test_an_unusable_backup_fails_the_restore_task_without_retries(airflow, make_db, s3):
    airflow.engine = make_db().engine
    with pytest.raises(Fail, match=r"^no backup under s3://analytics-prod-recovery-backups/airflow-metadata/: nothing to restore"):
        airflow2.restore(**run_context({names.CONF_CONFIRM: names.CONFIRM_VALUE, names.CONF_BUCKET: BUCKET}))


def test_late_dags_are_unpaused_once_parsed_and_the_task_retries_until_then(airflow, make_db):
    db = make_db()
    airflow.engine = db.engine
    add_dag(db, "sales_daily", paused=False)
    report = {"unpaused": ["sales_daily"], "missing_dags": ["finance_report"]}

    with pytest.raises(RuntimeError, match=r"^not parsed yet, still paused: finance_report$"):
        airflow2.unpause_late_dags(**run_context(xcom=report))
    add_dag(db, "finance_report", paused=True)
    airflow2.unpause_late_dags(**run_context(xcom=report))

    assert db.rows("SELECT dag_id FROM dag WHERE NOT is_paused ORDER BY dag_id") == [("finance_report",), ("sales_daily",)]
    airflow2.unpause_late_dags(**run_context(xcom={"unpaused": [], "missing_dags": []}))  # nothing missing: nothing to do

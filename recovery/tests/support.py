"""Test data: an Airflow 2.x metadata database with awkward values, and comparisons that read it back."""

from __future__ import annotations

import base64

from platform_recovery import metadata, names

# Values CSV and COPY must carry unchanged: separators, quotes, line breaks, backslashes, COPY's text-format NULL
# marker, unicode beyond the BMP, an empty string (which is not NULL).
AWKWARD = [
    'comma, "quoted" and\nnew line',
    "tab\tand\r\nCRLF, backslash \\ and \\N",
    "ünïcödé — 日本語 — 🚀",
    "",
    '"',
    " leading and trailing spaces ",
]


class PrefixCodec:
    """A stand-in for one environment's Fernet: decrypting another key's value fails, as Fernet's InvalidToken would."""

    def __init__(self, key: str):
        self.key = key

    def encrypt(self, value: str) -> str:
        return f"{self.key}:" + base64.b64encode(value.encode()).decode()

    def decrypt(self, value: str) -> str:
        prefix = f"{self.key}:"
        if not value.startswith(prefix):
            raise ValueError(f"not encrypted with key {self.key}")
        return base64.b64decode(value[len(prefix) :]).decode()


def add_dag(db, dag_id: str, paused: bool, active: bool = True) -> None:
    db.execute(
        "INSERT INTO dag (dag_id, is_paused, is_active, fileloc, max_active_tasks, max_consecutive_failed_dag_runs, has_task_concurrency_limits) "
        "VALUES (%s, %s, %s, %s, 16, 0, false)",
        (dag_id, paused, active, f"/usr/local/airflow/dags/{dag_id}.py"),
    )


def add_run(db, dag_id: str, run_id: str, state: str = "success", when: str = "2026-12-01T10:00:00Z", conf: bytes | None = None, run_id_value=None) -> int:
    columns = "dag_id, run_id, execution_date, state, run_type, external_trigger, conf, log_template_id, data_interval_start, data_interval_end"
    values = [dag_id, run_id, when, state, "scheduled", False, conf, 1, when, when]
    if run_id_value is not None:
        columns, values = "id, " + columns, [run_id_value, *values]
    placeholders = ", ".join(["%s"] * len(values))
    return _insert_returning(db, f"INSERT INTO dag_run ({columns}) VALUES ({placeholders}) RETURNING id", values)


def _insert_returning(db, sql, values) -> int:
    with db.engine.begin() as conn:
        return conn.exec_driver_sql(sql, tuple(values)).scalar_one()


def add_task(db, dag_id: str, run_id: str, task_id: str, state: str = "success", map_index: int = -1, trigger_id=None, job_id=None) -> None:
    db.execute(
        "INSERT INTO task_instance (dag_id, task_id, run_id, map_index, state, try_number, max_tries, pool, pool_slots, queue, "
        "priority_weight, operator, executor_config, start_date, end_date, duration, trigger_id, job_id, next_kwargs, hostname) "
        "VALUES (%s, %s, %s, %s, %s, 1, 0, 'default_pool', 1, 'default', 1, 'PythonOperator', %s, "
        "'2026-12-01T10:00:01.123456Z', '2026-12-01T10:00:02.5Z', 1.376543, %s, %s, %s, %s)",
        (dag_id, task_id, run_id, map_index, state, b"\x80\x04\x95\x00pickled\x00bytes", trigger_id, job_id, '{"a": [1, "b"]}', "ip-10-0-0-1"),
    )


def populate_primary(db, codec: PrefixCodec | None) -> None:
    """A primary with every carried table filled, awkward values included, plus rows that must not be carried."""
    enc = codec.encrypt if codec else (lambda value: value)
    for index, value in enumerate(AWKWARD):
        db.execute("INSERT INTO variable (key, val, description, is_encrypted) VALUES (%s, %s, %s, %s)", (f"var_{index}", enc(value), value, codec is not None))
    db.execute("INSERT INTO variable (key, val, description, is_encrypted) VALUES ('null_value', NULL, NULL, false)")
    db.execute(
        "INSERT INTO connection (conn_id, conn_type, description, host, schema, login, password, port, is_encrypted, is_extra_encrypted, extra) "
        "VALUES ('warehouse', 'postgres', %s, 'db.example.internal', 'analytics', 'etl', %s, 5432, %s, %s, %s)",
        (AWKWARD[0], enc("p@ss,\"word\"\n"), codec is not None, codec is not None, enc('{"sslmode": "require", "note": "ü"}')),
    )
    db.execute(
        "INSERT INTO connection (conn_id, conn_type, host, password, is_encrypted, is_extra_encrypted, extra) "
        "VALUES ('aws_default', 'aws', NULL, NULL, false, false, NULL)"
    )
    db.execute("INSERT INTO slot_pool (pool, slots, description, include_deferred) VALUES ('warehouse', 4, %s, true)", (AWKWARD[2],))
    db.execute("UPDATE slot_pool SET slots = 64 WHERE pool = 'default_pool'")

    add_dag(db, "sales_daily", paused=False)
    add_dag(db, "sales_hourly", paused=True)
    add_dag(db, "finance_report", paused=False)
    add_dag(db, "retired", paused=False, active=False)
    add_dag(db, names.BACKUP_DAG_ID, paused=False)
    add_dag(db, names.RESTORE_DAG_ID, paused=True)

    db.execute("INSERT INTO job (dag_id, state, job_type, start_date, latest_heartbeat, hostname) VALUES (NULL, 'running', 'SchedulerJob', now(), now(), 'primary-scheduler')")
    db.execute("INSERT INTO job (dag_id, state, job_type, start_date, end_date, hostname) VALUES ('sales_daily', 'success', 'LocalTaskJob', now(), now(), 'worker-1')")
    db.execute("INSERT INTO job (dag_id, state, job_type, start_date, end_date, hostname) VALUES ('finance_report', 'failed', 'LocalTaskJob', now(), now(), 'worker-2')")
    db.execute("INSERT INTO job (dag_id, state, job_type, start_date, end_date, hostname) VALUES (%s, 'success', 'LocalTaskJob', now(), now(), 'worker-1')", (names.BACKUP_DAG_ID,))

    trigger = _insert_returning(db, "INSERT INTO trigger (classpath, kwargs, created_date, triggerer_id) VALUES ('airflow.triggers.temporal.DateTimeTrigger', %s, now(), 7) RETURNING id", ('{"moment": "x, y"}',))
    for day in range(1, 4):
        run = f"scheduled__2026-12-0{day}T00:00:00+00:00"
        run_pk = add_run(db, "sales_daily", run, when=f"2026-12-0{day}T00:00:00Z", conf=b"\x80\x04}\x94.")
        add_task(db, "sales_daily", run, "extract")
        for index in range(3):
            add_task(db, "sales_daily", run, "load", map_index=index, state="failed" if index == 2 else "success")
        db.execute("INSERT INTO task_fail (dag_id, task_id, run_id, map_index, start_date, end_date, duration) VALUES ('sales_daily', 'load', %s, 2, now(), now(), 3)", (run,))
        for index, value in enumerate(AWKWARD):
            db.execute(
                "INSERT INTO xcom (dag_run_id, dag_id, run_id, task_id, map_index, key, value, timestamp) VALUES (%s, 'sales_daily', %s, 'extract', -1, %s, %s, now())",
                (run_pk, run, f"key {index}, \"quoted\"", value.encode()),
            )
    add_run(db, "finance_report", "manual__2026-12-03", state="success", when="2026-12-03T08:00:00Z")
    add_task(db, "finance_report", "manual__2026-12-03", "wait", state="success", trigger_id=trigger)
    add_run(db, names.BACKUP_DAG_ID, "scheduled__2026-12-03T09:00:00+00:00", state="running", when="2026-12-03T09:00:00Z")
    add_task(db, names.BACKUP_DAG_ID, "scheduled__2026-12-03T09:00:00+00:00", "backup", state="running")
    for value in AWKWARD:
        db.execute("INSERT INTO log (dttm, dag_id, task_id, event, owner, extra) VALUES (now(), 'sales_daily', 'load', 'cli_task_run', 'airflow', %s)", (value,))
    db.execute("INSERT INTO log (dttm, dag_id, event, owner, extra) VALUES (now(), NULL, 'cli_webserver', NULL, NULL)")
    db.execute("INSERT INTO log (dttm, dag_id, event, owner) VALUES (now(), %s, 'running', 'airflow')", (names.BACKUP_DAG_ID,))


def _clear(table: str, columns: list, row: tuple, codec) -> tuple:
    record = dict(zip(columns, row))
    for column, flag in metadata._ENCRYPTED.get(table, {}).items():
        if record.get(flag) and record[column] is not None:
            record[column] = codec.decrypt(record[column])
        record.pop(flag, None)
    if table in metadata.KEYED_TABLES:
        record.pop("id")
    return tuple(sorted(record.items()))


def carried(db, codec=None) -> dict:
    """Every carried row of every table, in clear, ids of connections and variables aside: what a restore must reproduce."""
    result = {}
    raw = db.raw()
    try:
        cur = raw.cursor()
        for table in metadata.TABLES:
            cur.execute(f"SELECT * FROM {table} WHERE {metadata._carried(cur, table)}")
            columns = [description[0] for description in cur.description]
            rows = (_clear(table, columns, tuple(bytes(v) if isinstance(v, memoryview) else v for v in row), codec) for row in cur.fetchall())
            result[table] = sorted(rows, key=repr)
        raw.rollback()
    finally:
        raw.close()
    return result


def unpaused(db) -> list:
    return [row[0] for row in db.rows("SELECT dag_id FROM dag WHERE NOT is_paused ORDER BY dag_id")]

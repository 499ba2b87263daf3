"""Backup and restore of an Airflow 2.x metadata database against a real PostgreSQL and moto's S3."""

from __future__ import annotations

import json

import pytest
from conftest import BUCKET
from platform_recovery import metadata, names
from platform_recovery.metadata import BackupError, S3Store
from support import AWKWARD, PrefixCodec, add_dag, add_run, add_task, carried, populate_primary, unpaused

PRIMARY_KEY, STANDBY_KEY = PrefixCodec("primary-fernet"), PrefixCodec("standby-fernet")
BACKUP_ID = "20261203T100000Z"


@pytest.fixture()
def store(s3):
    return S3Store(s3, BUCKET)


@pytest.fixture()
def primary(make_db):
    db = make_db()
    populate_primary(db, PRIMARY_KEY)
    return db


def take_backup(db, store, backup_id=BACKUP_ID, codec=PRIMARY_KEY):
    conn = db.raw()
    try:
        return metadata.backup(conn, store, backup_id, "2.10.3", codec=codec)
    finally:
        conn.close()


def run_restore(db, store, **options):
    options.setdefault("codec", STANDBY_KEY)
    conn = db.raw()
    try:
        return metadata.restore(conn, store, **options)
    finally:
        conn.close()


def test_round_trip_into_an_empty_database_reproduces_every_carried_row(primary, make_db, store):
    manifest = take_backup(primary, store)
    standby = make_db()

    report = run_restore(standby, store)

    assert carried(standby, STANDBY_KEY) == carried(primary, PRIMARY_KEY)
    assert report.backup_id == BACKUP_ID
    assert report.rows == {table: manifest["tables"][table]["rows"] for table in metadata.TABLES}
    assert report.rows["xcom"] == 3 * len(AWKWARD) and report.rows["task_instance"] == 13
    assert report.interrupted_runs == []
    assert report.missing_dags == ["finance_report", "sales_daily"]  # this database has parsed no DAG yet


def test_round_trip_of_an_airflow_2_8_database(make_db, store):
    primary = make_db("2.8")
    populate_primary(primary, PRIMARY_KEY)
    manifest = take_backup(primary, store)
    standby = make_db("2.8")

    run_restore(standby, store)

    assert "executor" not in manifest["tables"]["task_instance"]["columns"]
    assert carried(standby, STANDBY_KEY) == carried(primary, PRIMARY_KEY)


def test_an_older_backup_loads_into_a_newer_schema_with_the_new_columns_empty(make_db, store):
    primary = make_db("2.8")
    populate_primary(primary, PRIMARY_KEY)
    take_backup(primary, store)
    standby = make_db("2.10")

    report = run_restore(standby, store)

    assert report.rows["task_instance"] == 13
    assert standby.rows("SELECT count(*) FROM task_instance WHERE executor IS NULL AND rendered_map_index IS NULL") == [(13,)]


def test_backup_leaves_out_the_recovery_dags_rows_and_running_jobs(primary, store):
    manifest = take_backup(primary, store)

    for table in ("dag_run", "task_instance", "log", "job"):
        body = store.get(BACKUP_ID, f"{table}.csv").read().decode()
        assert names.BACKUP_DAG_ID not in body, table
    assert "primary-scheduler" not in store.get(BACKUP_ID, "job.csv").read().decode()
    assert manifest["tables"]["job"]["rows"] == 2
    assert store.get(BACKUP_ID, "active_dags.csv").read().decode().splitlines() == ["dag_id", "finance_report", "sales_daily"]


def test_secrets_are_decrypted_into_the_backup_and_encrypted_with_the_targets_key(primary, make_db, store):
    take_backup(primary, store)
    standby = make_db()

    run_restore(standby, store)

    (val, is_encrypted), = standby.rows("SELECT val, is_encrypted FROM variable WHERE key = 'var_0'")
    assert is_encrypted and val == STANDBY_KEY.encrypt(AWKWARD[0])
    (password, extra, flags), = standby.rows("SELECT password, extra, (is_encrypted, is_extra_encrypted)::text FROM connection WHERE conn_id = 'warehouse'")
    assert STANDBY_KEY.decrypt(password) == 'p@ss,"word"\n' and STANDBY_KEY.decrypt(extra) == '{"sslmode": "require", "note": "ü"}'
    assert flags == "(t,t)"
    assert standby.rows("SELECT val, is_encrypted FROM variable WHERE key = 'null_value'") == [(None, False)]


def test_backup_of_encrypted_values_without_a_key_is_refused_by_name(primary, store):
    with pytest.raises(BackupError, match=r"^variable 'var_0' is encrypted but no Fernet key was given to decrypt it$"):
        take_backup(primary, store, codec=None)
    assert store.backup_ids() == []


def test_csv_carries_separators_quotes_line_breaks_nulls_and_unicode_exactly(make_db, store):
    primary = make_db()
    populate_primary(primary, None)
    take_backup(primary, store, codec=None)
    standby = make_db()

    run_restore(standby, store, codec=None)

    values = standby.rows("SELECT key, val, description FROM variable ORDER BY key")
    assert values == [("null_value", None, None)] + [(f"var_{index}", value, value) for index, value in enumerate(AWKWARD)]
    assert standby.rows("SELECT val = '', val IS NULL FROM variable WHERE key = 'var_3'") == [(True, False)]
    xcoms = standby.rows("SELECT key, value FROM xcom WHERE run_id LIKE %s ORDER BY key", ("%12-01%",))
    assert [(key, bytes(value).decode()) for key, value in xcoms] == [(f'key {index}, "quoted"', value) for index, value in enumerate(AWKWARD)]
    assert standby.rows("SELECT executor_config FROM task_instance LIMIT 1")[0][0].tobytes() == b"\x80\x04\x95\x00pickled\x00bytes"
    assert standby.rows("SELECT duration, next_kwargs::text FROM task_instance WHERE task_id = 'extract' LIMIT 1") == [(1.376543, '{"a": [1, "b"]}')]
    assert standby.rows("SELECT count(*) FROM log WHERE extra IS NULL AND owner IS NULL") == [(1,)]


def make_busy_standby(make_db):
    """A warm standby: its own paused DAGs, runs whose keys and ids clash with the primary's, children that must
    cascade, its scheduler's running job, and the restore DAG's own run in progress (the restore runs inside it)."""
    standby = make_db()
    populate_primary(standby, STANDBY_KEY)  # same run ids, conn ids, keys and serial ids as the primary
    standby.execute("UPDATE dag SET is_paused = true")
    standby.execute("UPDATE dag SET is_paused = false WHERE dag_id = %s", (names.RESTORE_DAG_ID,))
    standby.execute("UPDATE variable SET val = %s, description = 'standby only' WHERE key = 'var_1'", (STANDBY_KEY.encrypt("standby value"),))
    standby.execute("INSERT INTO variable (key, val, is_encrypted) VALUES ('standby_region', %s, true)", (STANDBY_KEY.encrypt("eu-central-1"),))
    standby.execute("UPDATE connection SET host = 'db.standby.internal' WHERE conn_id = 'warehouse'")
    standby.execute(
        "INSERT INTO task_reschedule (dag_id, task_id, run_id, try_number, start_date, end_date, duration, reschedule_date) "
        "VALUES ('sales_daily', 'extract', 'scheduled__2026-12-02T00:00:00+00:00', 1, now(), now(), 1, now())"
    )
    standby.execute("DELETE FROM job")  # its live jobs take ids 2 and 3, which the backup's finished jobs also have
    standby.execute("INSERT INTO job (id, state, job_type, hostname) VALUES (2, 'running', 'SchedulerJob', 'standby-scheduler')")
    standby.execute("INSERT INTO job (id, state, job_type, dag_id, hostname) VALUES (3, 'running', 'LocalTaskJob', %s, 'standby-worker')", (names.RESTORE_DAG_ID,))
    standby.execute("DELETE FROM dag_run WHERE dag_id = %s", (names.BACKUP_DAG_ID,))
    add_run(standby, names.RESTORE_DAG_ID, "manual__failover", state="running", run_id_value=1000)
    standby.execute("DELETE FROM dag_run WHERE id = 1")
    standby.execute("UPDATE dag_run SET id = 1 WHERE id = 1000")  # clashes with the primary's first run
    add_task(standby, names.RESTORE_DAG_ID, "manual__failover", "restore", state="running", job_id=3)
    standby.execute("INSERT INTO log (id, dttm, dag_id, event) VALUES (1000, now(), %s, 'running')", (names.RESTORE_DAG_ID,))
    standby.execute("DELETE FROM log WHERE id = 1")
    standby.execute("UPDATE log SET id = 1 WHERE id = 1000")
    return standby


def without_job_ids(rows: dict) -> dict:
    return {**rows, "job": sorted((tuple(pair for pair in row if pair[0] != "id") for row in rows["job"]), key=repr)}


def test_restore_into_a_busy_standby_cleans_first_and_keeps_its_own_recovery_rows(primary, make_db, store):
    manifest = take_backup(primary, store)
    standby = make_busy_standby(make_db)

    report = run_restore(standby, store, connections=names.REPLACE, variables=names.REPLACE)

    # The backup's finished jobs 2 and 3 were given new ids: the standby's running jobs hold 2 and 3.
    assert without_job_ids(carried(standby, STANDBY_KEY)) == without_job_ids(carried(primary, PRIMARY_KEY))
    assert standby.rows("SELECT count(*) FROM task_reschedule") == [(0,)]
    restore_run = standby.rows("SELECT id, state FROM dag_run WHERE dag_id = %s", (names.RESTORE_DAG_ID,))
    assert restore_run[0][1] == "running" and restore_run[0][0] > manifest["tables"]["dag_run"]["maxId"]
    assert standby.rows("SELECT state, job_id FROM task_instance WHERE dag_id = %s", (names.RESTORE_DAG_ID,)) == [("running", 3)]
    assert standby.rows("SELECT id, hostname FROM job WHERE state = 'running' ORDER BY id") == [(2, "standby-scheduler"), (3, "standby-worker")]
    assert standby.rows("SELECT count(*) FROM log WHERE dag_id = %s", (names.RESTORE_DAG_ID,)) == [(1,)]
    assert report.reassigned == {"dag_run": 1, "log": 1, "job": 2}
    assert sorted(row[0] for row in standby.rows("SELECT hostname FROM job WHERE state <> 'running'")) == ["worker-1", "worker-2"]


@pytest.mark.parametrize(
    ("mode", "var_1", "kept"),
    [
        (names.KEEP_EXISTING, "standby value", ["var_0", "var_1", "var_2", "var_3", "var_4", "var_5", "null_value"]),
        (names.REPLACE, AWKWARD[1], []),
    ],
)
def test_variables_follow_the_declared_mode(primary, make_db, store, mode, var_1, kept):
    take_backup(primary, store)
    standby = make_busy_standby(make_db)

    report = run_restore(standby, store, variables=mode)

    (val,), = standby.rows("SELECT val FROM variable WHERE key = 'var_1'")
    assert STANDBY_KEY.decrypt(val) == var_1
    assert standby.rows("SELECT count(*) FROM variable WHERE key = 'standby_region'") == [(1 if mode == names.KEEP_EXISTING else 0,)]
    assert sorted(report.kept["variable"]) == sorted(kept)
    assert standby.rows("SELECT count(DISTINCT id) = count(*) FROM variable") == [(True,)]


@pytest.mark.parametrize(("mode", "host"), [(names.KEEP_EXISTING, "db.standby.internal"), (names.REPLACE, "db.example.internal")])
def test_connections_follow_the_declared_mode(primary, make_db, store, mode, host):
    take_backup(primary, store)
    standby = make_busy_standby(make_db)
    standby.execute("INSERT INTO connection (conn_id, conn_type, is_encrypted, is_extra_encrypted) VALUES ('standby_only', 'http', false, false)")

    report = run_restore(standby, store, connections=mode)

    assert standby.rows("SELECT host FROM connection WHERE conn_id = 'warehouse'") == [(host,)]
    assert standby.rows("SELECT count(*) FROM connection WHERE conn_id = 'standby_only'") == [(1 if mode == names.KEEP_EXISTING else 0,)]
    assert report.kept["connection"] == (["aws_default", "warehouse"] if mode == names.KEEP_EXISTING else [])


def test_unknown_mode_is_refused_before_anything_changes(primary, store):
    with pytest.raises(ValueError, match=r"^connections: unknown mode 'merge'; use one of keep-existing, replace$"):
        run_restore(primary, store, connections="merge")


def test_unpaused_dags_are_restored_exactly_and_late_dags_are_reported(primary, make_db, store):
    take_backup(primary, store)
    standby = make_db()
    add_dag(standby, "sales_daily", paused=True)
    add_dag(standby, "sales_hourly", paused=False)  # paused in the primary: paused again
    add_dag(standby, "standby_only", paused=False)
    add_dag(standby, names.BACKUP_DAG_ID, paused=True)
    add_dag(standby, names.RESTORE_DAG_ID, paused=False)  # the recovery DAGs keep their own state

    report = run_restore(standby, store)

    assert unpaused(standby) == ["platform_recovery_restore", "sales_daily"]
    assert report.unpaused == ["sales_daily"] and report.missing_dags == ["finance_report"]
    add_dag(standby, "finance_report", paused=True)  # parsed later
    conn = standby.raw()
    try:
        assert metadata.set_unpaused(conn, ["finance_report", "sales_daily"]) == (["finance_report", "sales_daily"], [])
    finally:
        conn.close()
    assert unpaused(standby) == ["finance_report", "platform_recovery_restore", "sales_daily"]


def test_sequences_continue_after_the_largest_restored_id(primary, make_db, store):
    manifest = take_backup(primary, store)
    standby = make_db()
    run_restore(standby, store)

    for table, insert in {
        "dag_run": "INSERT INTO dag_run (dag_id, run_id, execution_date, run_type) VALUES ('sales_daily', 'new', now(), 'manual')",
        "log": "INSERT INTO log (event) VALUES ('new')",
        "job": "INSERT INTO job (state) VALUES ('running')",
        "trigger": "INSERT INTO trigger (classpath, kwargs, created_date) VALUES ('x', '{}', now())",
        "task_fail": "INSERT INTO task_fail (dag_id, task_id, run_id, map_index) VALUES ('sales_daily', 'extract', 'scheduled__2026-12-01T00:00:00+00:00', -1)",
        "slot_pool": "INSERT INTO slot_pool (pool, slots, include_deferred) VALUES ('new', 1, false)",
        "variable": "INSERT INTO variable (key, val) VALUES ('new', 'x')",
        "connection": "INSERT INTO connection (conn_id, conn_type) VALUES ('new', 'http')",
    }.items():
        standby.execute(insert)
        (largest, new), = standby.rows(f"SELECT max(id) FILTER (WHERE id <> (SELECT max(id) FROM {table})), max(id) FROM {table}")
        assert new == largest + 1, table
    assert standby.rows("SELECT max(id) FROM dag_run") == [(manifest["tables"]["dag_run"]["maxId"] + 1,)]


def test_interrupted_task_instances_are_marked_failed_and_their_runs_listed(make_db, store):
    primary = make_db()
    populate_primary(primary, PRIMARY_KEY)
    add_run(primary, "sales_daily", "scheduled__2026-12-04T00:00:00+00:00", state="running", when="2026-12-04T00:00:00Z")
    add_task(primary, "sales_daily", "scheduled__2026-12-04T00:00:00+00:00", "extract", state="success")
    add_task(primary, "sales_daily", "scheduled__2026-12-04T00:00:00+00:00", "load", state="running")
    add_task(primary, "sales_daily", "scheduled__2026-12-04T00:00:00+00:00", "report", state="queued")
    add_task(primary, "sales_daily", "scheduled__2026-12-04T00:00:00+00:00", "publish", state=None)
    take_backup(primary, store)
    standby = make_db()

    report = run_restore(standby, store)

    assert report.interrupted_runs == [("sales_daily", "scheduled__2026-12-04T00:00:00+00:00")]
    states = standby.rows("SELECT task_id, state FROM task_instance WHERE run_id = 'scheduled__2026-12-04T00:00:00+00:00' ORDER BY task_id")
    assert states == [("extract", "success"), ("load", "failed"), ("publish", None), ("report", "failed")]


def test_no_backup_at_all_is_refused_clearly(make_db, store):
    with pytest.raises(BackupError, match=r"^no backup under s3://analytics-prod-recovery-backups/airflow-metadata/: nothing to restore"):
        run_restore(make_db(), store)


def test_an_unknown_backup_id_is_refused_naming_the_newest_ones(primary, make_db, store):
    take_backup(primary, store)
    with pytest.raises(BackupError, match=r"^no backup 20260101T000000Z under s3://analytics-prod-recovery-backups/airflow-metadata/ \(newest there: 20261203T100000Z\)$"):
        run_restore(make_db(), store, backup_id="20260101T000000Z")


def test_the_newest_backup_is_restored_by_default(primary, make_db, store):
    take_backup(primary, store, backup_id="20261203T090000Z")
    primary.execute("INSERT INTO variable (key, val, is_encrypted) VALUES ('added_later', 'x', false)")
    take_backup(primary, store, backup_id="20261203T100000Z")
    standby = make_db()

    assert run_restore(standby, store).backup_id == "20261203T100000Z"
    assert standby.rows("SELECT count(*) FROM variable WHERE key = 'added_later'") == [(1,)]
    assert run_restore(standby, store, backup_id="20261203T090000Z", variables=names.REPLACE).backup_id == "20261203T090000Z"
    assert standby.rows("SELECT count(*) FROM variable WHERE key = 'added_later'") == [(0,)]


def test_a_backup_without_its_manifest_is_refused_and_the_target_is_untouched(primary, make_db, store, s3):
    take_backup(primary, store, backup_id="20261203T090000Z")
    take_backup(primary, store)
    s3.delete_object(Bucket=BUCKET, Key=f"airflow-metadata/{BACKUP_ID}/manifest.json")
    standby = make_busy_standby(make_db)
    before = carried(standby, STANDBY_KEY), unpaused(standby)

    with pytest.raises(BackupError) as refused:
        run_restore(standby, store)

    assert str(refused.value) == (
        "backup s3://analytics-prod-recovery-backups/airflow-metadata/20261203T100000Z/ is incomplete: manifest.json is missing "
        "(the backup was interrupted, or replication has not finished: wait and retry); "
        "pass backupId of an earlier one (e.g. 20261203T090000Z) to restore it instead"
    )
    assert (carried(standby, STANDBY_KEY), unpaused(standby)) == before


def test_missing_and_altered_files_are_all_named_and_nothing_is_restored(primary, make_db, store, s3):
    take_backup(primary, store)
    s3.delete_object(Bucket=BUCKET, Key=f"airflow-metadata/{BACKUP_ID}/xcom.csv")
    s3.put_object(Bucket=BUCKET, Key=f"airflow-metadata/{BACKUP_ID}/variable.csv", Body=b"key,val\nx,y\n")
    standby = make_busy_standby(make_db)
    before = carried(standby, STANDBY_KEY)

    with pytest.raises(BackupError) as refused:
        run_restore(standby, store)

    assert str(refused.value) == (
        "backup s3://analytics-prod-recovery-backups/airflow-metadata/20261203T100000Z/ is incomplete or damaged, nothing restored: "
        "variable.csv: content differs from manifest.json (SHA-256); xcom.csv: missing"
    )
    assert carried(standby, STANDBY_KEY) == before


def test_a_manifest_without_a_table_is_refused(primary, make_db, store, s3):
    take_backup(primary, store)
    key = f"airflow-metadata/{BACKUP_ID}/manifest.json"
    manifest = json.loads(s3.get_object(Bucket=BUCKET, Key=key)["Body"].read())
    del manifest["tables"]["trigger"]
    s3.put_object(Bucket=BUCKET, Key=key, Body=json.dumps(manifest).encode())

    with pytest.raises(BackupError, match=r"nothing restored: trigger: not in manifest.json$"):
        run_restore(make_db(), store)


def test_a_backup_with_columns_the_target_lacks_is_refused_by_table_and_column(primary, make_db, store):
    take_backup(primary, store)
    standby = make_busy_standby(make_db)
    standby.execute("ALTER TABLE dag_run DROP COLUMN clear_number")
    standby.execute("ALTER TABLE log DROP COLUMN try_number")
    before = carried(standby, STANDBY_KEY)

    with pytest.raises(BackupError) as refused:
        run_restore(standby, store)

    assert str(refused.value) == (
        "backup s3://analytics-prod-recovery-backups/airflow-metadata/20261203T100000Z/ (Airflow 2.10.3) has columns this database lacks, "
        "nothing restored (restore into the same Airflow version): log: try_number; dag_run: clear_number"
    )
    assert carried(standby, STANDBY_KEY) == before


def test_a_failure_while_loading_rolls_everything_back(primary, make_db, store):
    take_backup(primary, store)
    standby = make_busy_standby(make_db)
    # A constraint the backup's last table breaks: everything before it has been cleaned and loaded by then.
    standby.execute("ALTER TABLE xcom ADD CONSTRAINT xcom_value_short CHECK (length(value) < 10) NOT VALID")
    before = carried(standby, STANDBY_KEY), unpaused(standby)

    with pytest.raises(Exception, match="xcom_value_short"):
        run_restore(standby, store)

    assert (carried(standby, STANDBY_KEY), unpaused(standby)) == before


def test_backup_ids_must_be_utc_timestamps(primary, store):
    with pytest.raises(ValueError, match=r"^backup id 'latest' is not a UTC timestamp like 20260101T000000Z$"):
        take_backup(primary, store, backup_id="latest")


def test_when_no_dag_was_unpaused_the_restore_pauses_every_team_dag(primary, make_db, store):
    primary.execute("UPDATE dag SET is_paused = true WHERE dag_id NOT LIKE 'platform_recovery_%%'")
    manifest = take_backup(primary, store)
    standby = make_db()
    add_dag(standby, "sales_daily", paused=False)
    add_dag(standby, names.RESTORE_DAG_ID, paused=False)

    report = run_restore(standby, store)

    assert manifest["tables"]["active_dags"]["rows"] == 0
    assert (report.unpaused, report.missing_dags) == ([], [])
    assert unpaused(standby) == ["platform_recovery_restore"]


def test_runs_keep_their_log_template_or_take_the_targets_newest_when_it_lacks_theirs(primary, make_db, store):
    # The primary went through an upgrade that added a second log template; the standby was created fresh.
    primary.execute("INSERT INTO log_template (id, filename, elasticsearch_id, created_at) VALUES (2, 'upgraded.log', 'x', now())")
    primary.execute("UPDATE dag_run SET log_template_id = 2 WHERE dag_id = 'finance_report'")
    take_backup(primary, store)
    standby = make_db()

    report = run_restore(standby, store)

    assert report.log_templates_replaced == 1
    assert standby.rows("SELECT dag_id, log_template_id FROM dag_run ORDER BY id") == [("sales_daily", 1)] * 3 + [("finance_report", 1)]


def test_next_runs_wait_for_the_dag_processor_to_recompute_them_from_the_restored_history(primary, make_db, store):
    take_backup(primary, store)
    standby = make_db()
    for dag_id in ("sales_daily", names.RESTORE_DAG_ID):
        add_dag(standby, dag_id, paused=True)
    standby.execute("UPDATE dag SET next_dagrun = '2026-01-01T00:00:00Z', next_dagrun_create_after = '2026-01-02T00:00:00Z'")

    run_restore(standby, store)

    assert standby.rows("SELECT dag_id, next_dagrun_create_after IS NULL FROM dag ORDER BY dag_id") == [
        (names.RESTORE_DAG_ID, False),
        ("sales_daily", True),
    ]

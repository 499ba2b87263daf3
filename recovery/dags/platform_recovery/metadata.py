"""Backup and restore of an Airflow 2.x metadata database (PostgreSQL) through S3, without importing Airflow.

The DAGs pass a DBAPI connection (psycopg2, from ``airflow.settings.engine.raw_connection()``), an ``S3Store`` and
a ``Codec`` for the Fernet-encrypted columns; the tests pass the same against a throwaway PostgreSQL and moto.

A backup is ``<prefix><backupId>/<table>.csv`` per table (PostgreSQL COPY, CSV with a header), ``active_dags.csv``
(the unpaused DAGs) and ``manifest.json``, written last, with each file's row count and SHA-256: a backup without a
manifest, or whose files do not match it, is incomplete and refused.

Rows of the platform's own recovery DAGs and jobs still running are never carried: the restore runs inside the
target as one of those DAG runs, under its scheduler's running job.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import tempfile
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from typing import IO, Dict, Iterable, List, Optional, Protocol, Sequence, Tuple

from . import names

FORMAT_VERSION = 1
MANIFEST = "manifest.json"
ACTIVE_DAGS = "active_dags"

# Load order: referenced rows first (trigger before task_instance, dag_run before task_instance before
# task_fail and xcom). Cleaning runs in reverse.
TABLES: Tuple[str, ...] = ("slot_pool", "variable", "connection", "log", "job", "trigger", "dag_run", "task_instance", "task_fail", "xcom")

# Tables whose integer `id` comes from a sequence; the sequence continues after the largest id once restored.
SERIAL_TABLES = ("slot_pool", "variable", "connection", "log", "job", "trigger", "dag_run", "task_fail")

# Keyed by name, not id: restored with fresh ids, so a standby's own entries and the backup's never collide.
KEYED_TABLES = {"variable": "key", "connection": "conn_id"}

# Tables that have a dag_id: the recovery DAGs' rows are left out of backups and kept by the clean.
DAG_TABLES = ("log", "job", "dag_run", "task_instance", "task_fail", "xcom")

# Task instances in these states were interrupted: nothing runs them in the target, so the restore marks them failed.
UNFINISHED_TASK_STATES = ("running", "queued", "scheduled", "restarting", "up_for_retry", "up_for_reschedule", "deferred")

BACKUP_ID = re.compile(r"^\d{8}T\d{6}Z$")


class BackupError(Exception):
    """The backup cannot be restored (missing, incomplete, corrupt, or for another schema); nothing was changed."""


class Codec(Protocol):
    """Fernet of one environment: values are decrypted into the backup and encrypted with the target's key."""

    def encrypt(self, value: str) -> str: ...

    def decrypt(self, value: str) -> str: ...


def backup_id_for(moment: datetime) -> str:
    """Backup ids are UTC timestamps, so their string order is their age order."""
    return moment.astimezone(timezone.utc).strftime("%Y%m%dT%H%M%SZ")


class S3Store:
    """One backup bucket and prefix (an S3 client from boto3, real or moto)."""

    def __init__(self, client, bucket: str, prefix: str = names.BACKUP_PREFIX):
        if not bucket:
            raise ValueError('no bucket: the environment sets no platform_recovery bucket option and the run\'s conf has no "bucket"')
        self.client, self.bucket, self.prefix = client, bucket, prefix

    def location(self, backup_id: str = "") -> str:
        return f"s3://{self.bucket}/{self.prefix}{backup_id + '/' if backup_id else ''}"

    def put(self, backup_id: str, name: str, body: IO[bytes]) -> None:
        self.client.upload_fileobj(body, self.bucket, f"{self.prefix}{backup_id}/{name}")

    def get(self, backup_id: str, name: str) -> Optional[IO[bytes]]:
        """The object in a temporary file, or None when it does not exist."""
        target = tempfile.TemporaryFile()
        try:
            self.client.download_fileobj(self.bucket, f"{self.prefix}{backup_id}/{name}", target)
        except Exception as error:  # botocore's ClientError; its 404 is the only one that means "absent"
            code = str(getattr(error, "response", {}).get("Error", {}).get("Code", ""))
            target.close()
            if code in ("404", "NoSuchKey"):
                return None
            raise
        target.seek(0)
        return target

    def backup_ids(self) -> List[str]:
        """Ids of every backup folder, oldest first, complete or not."""
        ids = []
        for page in self.client.get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=self.prefix, Delimiter="/"):
            for common in page.get("CommonPrefixes", []):
                candidate = common["Prefix"][len(self.prefix) :].rstrip("/")
                if BACKUP_ID.match(candidate):
                    ids.append(candidate)
        return sorted(ids)


def _quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def _columns(cur, table: str) -> List[str]:
    # pg_attribute rather than information_schema.columns: the same answer, without the view's cost.
    cur.execute("SELECT attname FROM pg_attribute WHERE attrelid = to_regclass(%s) AND attnum > 0 AND NOT attisdropped ORDER BY attnum", (table,))
    return [row[0] for row in cur.fetchall()]


def _carried(cur, table: str) -> str:
    """SQL condition for the rows of `table` a backup carries (and a restore's clean deletes)."""
    conditions = []
    if table in DAG_TABLES:
        conditions.append(cur.mogrify("(dag_id IS NULL OR dag_id NOT IN %s)", (names.RECOVERY_DAG_IDS,)).decode())
    if table == "job":
        conditions.append("state IS DISTINCT FROM 'running'")
    return " AND ".join(conditions) or "TRUE"


def _order(table: str, columns: Sequence[str]) -> str:
    if "id" in columns:
        return "id"
    if table == "task_instance":
        return "dag_id, task_id, run_id, map_index"
    return ", ".join(_quote(column) for column in columns)


def _session_settings(cur) -> None:
    # Both sides of the CSV agree on these whatever the server's defaults are.
    for setting in ("client_encoding TO 'UTF8'", "bytea_output TO 'hex'", "TimeZone TO 'UTC'", "DateStyle TO 'ISO, YMD'"):
        cur.execute(f"SET LOCAL {setting}")


def _copy_out(cur, query: str, target: IO[bytes]) -> int:
    cur.copy_expert(f"COPY ({query}) TO STDOUT WITH (FORMAT csv, HEADER true, ENCODING 'UTF8')", target)
    return cur.rowcount


# Encrypted column -> the flag saying it is encrypted.
_ENCRYPTED = {"variable": {"val": "is_encrypted"}, "connection": {"password": "is_encrypted", "extra": "is_extra_encrypted"}}


def _decrypted(table: str, columns: List[str], rows: Iterable[tuple], codec: Optional[Codec]) -> List[tuple]:
    """Rows with every encrypted column in clear and its flag false: a backup never depends on the primary's key."""
    result = []
    for row in rows:
        record = dict(zip(columns, row))
        for column, flag in _ENCRYPTED[table].items():
            if record.get(flag) and record.get(column) is not None:
                if codec is None:
                    raise BackupError(f"{table} {record[KEYED_TABLES[table]]!r} is encrypted but no Fernet key was given to decrypt it")
                record[column] = codec.decrypt(record[column])
            if flag in record:
                record[flag] = False
        result.append(tuple(record[column] for column in columns))
    return result


def _encrypted(table: str, columns: List[str], rows: Iterable[tuple], codec: Optional[Codec]) -> List[tuple]:
    """Rows encrypted with the target's key when it has one (flag true), else kept in clear (flag false)."""
    result = []
    for row in rows:
        record = dict(zip(columns, row))
        for column, flag in _ENCRYPTED[table].items():
            if flag not in record:
                continue
            encrypt = codec is not None and record.get(column) is not None
            if encrypt:
                record[column] = codec.encrypt(record[column])
            record[flag] = encrypt
        result.append(tuple(record[column] for column in columns))
    return result


def _digest(body: IO[bytes]) -> str:
    body.seek(0)
    digest = hashlib.sha256()
    for chunk in iter(lambda: body.read(1 << 20), b""):
        digest.update(chunk)
    body.seek(0)
    return digest.hexdigest()


def backup(conn, store: S3Store, backup_id: str, airflow_version: str, codec: Optional[Codec] = None) -> dict:
    """Writes one consistent backup (a single REPEATABLE READ snapshot) and returns its manifest."""
    if not BACKUP_ID.match(backup_id):
        raise ValueError(f"backup id {backup_id!r} is not a UTC timestamp like 20260101T000000Z")
    files: Dict[str, IO[bytes]] = {}
    manifest = {"format": FORMAT_VERSION, "backupId": backup_id, "airflowVersion": airflow_version, "tables": {}}
    conn.rollback()
    cur = conn.cursor()
    try:
        cur.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        _session_settings(cur)
        for table in TABLES:
            columns = _columns(cur, table)
            if not columns:
                raise BackupError(f"the metadata database has no table {table}: is this Airflow 2.x?")
            where = _carried(cur, table)
            if table in KEYED_TABLES:
                columns = [column for column in columns if column != "id"]
                source = _decrypted_copy(cur, table, columns, codec)
            else:
                source = table
            select = ", ".join(_quote(column) for column in columns)
            body = files[table] = tempfile.TemporaryFile()
            rows = _copy_out(cur, f"SELECT {select} FROM {source} WHERE {where} ORDER BY {_order(table, columns)}", body)
            entry = {"file": f"{table}.csv", "columns": columns, "rows": rows}
            if table in SERIAL_TABLES and table not in KEYED_TABLES:
                cur.execute(f"SELECT max(id) FROM {table} WHERE {where}")
                entry["maxId"] = cur.fetchone()[0]
            manifest["tables"][table] = entry
        body = files[ACTIVE_DAGS] = tempfile.TemporaryFile()
        rows = _copy_out(
            cur,
            cur.mogrify("SELECT dag_id FROM dag WHERE NOT is_paused AND is_active AND dag_id NOT IN %s ORDER BY dag_id", (names.RECOVERY_DAG_IDS,)).decode(),
            body,
        )
        manifest["tables"][ACTIVE_DAGS] = {"file": f"{ACTIVE_DAGS}.csv", "columns": ["dag_id"], "rows": rows}
    finally:
        conn.rollback()  # the snapshot is released before the uploads
    for table, body in files.items():
        manifest["tables"][table]["sha256"] = _digest(body)
        store.put(backup_id, manifest["tables"][table]["file"], body)
        body.close()
    store.put(backup_id, MANIFEST, io.BytesIO(json.dumps(manifest, indent=2, sort_keys=True).encode()))
    return manifest


def _decrypted_copy(cur, table: str, columns: List[str], codec: Optional[Codec]) -> str:
    """A temporary copy of `table` with its encrypted columns in clear, for COPY to read."""
    staging = f"_platform_recovery_{table}"
    cur.execute(f"CREATE TEMP TABLE {staging} (LIKE {table}) ON COMMIT DROP")
    every = ["id", *columns]
    select = ", ".join(_quote(column) for column in every)
    cur.execute(f"SELECT {select} FROM {table}")
    rows = _decrypted(table, every, cur.fetchall(), codec)
    if rows:
        placeholders = ", ".join(["%s"] * len(every))
        cur.executemany(f"INSERT INTO {staging} ({select}) VALUES ({placeholders})", rows)
    return staging


@dataclass
class RestoreReport:
    backup_id: str
    airflow_version: str
    rows: Dict[str, int] = field(default_factory=dict)
    # Connections / variables of the target left as they were (keep-existing) because the backup had the same name.
    kept: Dict[str, List[str]] = field(default_factory=dict)
    # Runs with task instances that were unfinished at backup time: marked failed, to be cleared (rerun) by a human.
    interrupted_runs: List[Tuple[str, str]] = field(default_factory=list)
    # Rows given new ids, per table: the target's own dag_run and log rows moved above the backup's ids, and the
    # backup's finished jobs whose ids the target's running jobs hold.
    reassigned: Dict[str, int] = field(default_factory=dict)
    # Runs whose log template id the target did not have, given the target's newest template.
    log_templates_replaced: int = 0
    unpaused: List[str] = field(default_factory=list)
    # DAGs unpaused in the backup that the target has not parsed yet: unpause them once they appear (set_unpaused).
    missing_dags: List[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return asdict(self)


def _choose_backup(store: S3Store, backup_id: Optional[str]) -> str:
    ids = store.backup_ids()
    if backup_id is None:
        if not ids:
            raise BackupError(f"no backup under {store.location()}: nothing to restore (has the backup DAG run, and has replication finished?)")
        return ids[-1]
    if backup_id not in ids:
        known = ", ".join(ids[-5:]) or "none"
        raise BackupError(f"no backup {backup_id} under {store.location()} (newest there: {known})")
    return backup_id


def _read_backup(store: S3Store, backup_id: str) -> Tuple[dict, Dict[str, IO[bytes]]]:
    """The manifest and every file, checked against it; every problem is named at once."""
    body = store.get(backup_id, MANIFEST)
    if body is None:
        earlier = [candidate for candidate in store.backup_ids() if candidate < backup_id]
        hint = f"; pass backupId of an earlier one (e.g. {earlier[-1]}) to restore it instead" if earlier else ""
        raise BackupError(
            f"backup {store.location(backup_id)} is incomplete: {MANIFEST} is missing (the backup was interrupted, "
            f"or replication has not finished: wait and retry){hint}"
        )
    manifest = json.load(body)
    body.close()
    if manifest.get("format") != FORMAT_VERSION:
        raise BackupError(f"backup {store.location(backup_id)} has format {manifest.get('format')!r}; this restore reads format {FORMAT_VERSION}")
    problems, files = [], {}
    for table in TABLES + (ACTIVE_DAGS,):
        entry = manifest.get("tables", {}).get(table)
        if entry is None:
            problems.append(f"{table}: not in {MANIFEST}")
            continue
        body = store.get(backup_id, entry["file"])
        if body is None:
            problems.append(f"{entry['file']}: missing")
        elif _digest(body) != entry["sha256"]:
            problems.append(f"{entry['file']}: content differs from {MANIFEST} (SHA-256)")
            body.close()
        else:
            files[table] = body
    if problems:
        for body in files.values():
            body.close()
        raise BackupError(f"backup {store.location(backup_id)} is incomplete or damaged, nothing restored: " + "; ".join(problems))
    return manifest, files


def _header(body: IO[bytes]) -> List[str]:
    body.seek(0)
    header = next(csv.reader([body.readline().decode("utf-8")]))
    body.seek(0)
    return header


def _clean(cur) -> None:
    """Deletes every row a backup would carry, children first; the recovery DAGs' rows and running jobs stay."""
    for table in reversed(TABLES):
        if table in KEYED_TABLES:
            continue  # by mode, in _load_keyed
        if table == "trigger":
            cur.execute("DELETE FROM trigger WHERE id NOT IN (SELECT trigger_id FROM task_instance WHERE trigger_id IS NOT NULL)")
        else:
            cur.execute(f"DELETE FROM {table} WHERE {_carried(cur, table)}")


def _move_kept_ids(cur, table: str, above: Optional[int]) -> int:
    """Gives the target's kept rows of `table` ids above the backup's, so the backup's ids load unchanged."""
    if above is None:
        return 0
    cur.execute(f"SELECT id FROM {table} WHERE id <= %s ORDER BY id", (above,))
    clashing = [row[0] for row in cur.fetchall()]
    if not clashing:
        return 0
    cur.execute(f"SELECT setval(pg_get_serial_sequence(%s, 'id'), greatest(%s, (SELECT max(id) FROM {table})))", (table, above))
    for old in clashing:
        cur.execute(f"UPDATE {table} SET id = nextval(pg_get_serial_sequence(%s, 'id')) WHERE id = %s RETURNING id", (table, old))
        new = cur.fetchone()[0]
        if table == "dag_run":
            cur.execute("UPDATE xcom SET dag_run_id = %s WHERE dag_run_id = %s", (new, old))
    return len(clashing)


def _copy_in(cur, table: str, columns: List[str], body: IO[bytes]) -> int:
    body.seek(0)
    listed = ", ".join(_quote(column) for column in columns)
    cur.copy_expert(f"COPY {table} ({listed}) FROM STDIN WITH (FORMAT csv, HEADER true, ENCODING 'UTF8')", body)
    return cur.rowcount


def _load_job(cur, columns: List[str], body: IO[bytes]) -> Tuple[int, int]:
    """Jobs still running in the target keep their ids (their processes heartbeat by id); clashing backup rows get new ones."""
    cur.execute("CREATE TEMP TABLE _platform_recovery_job (LIKE job INCLUDING DEFAULTS) ON COMMIT DROP")
    rows = _copy_in(cur, "_platform_recovery_job", columns, body)
    cur.execute("CREATE TEMP TABLE _platform_recovery_job_clash ON COMMIT DROP AS SELECT id FROM _platform_recovery_job WHERE id IN (SELECT id FROM job)")
    listed = ", ".join(_quote(column) for column in columns)
    without_id = ", ".join(_quote(column) for column in columns if column != "id")
    cur.execute(f"INSERT INTO job ({listed}) SELECT {listed} FROM _platform_recovery_job WHERE id NOT IN (SELECT id FROM _platform_recovery_job_clash) ORDER BY id")
    _reset_sequence(cur, "job")
    cur.execute(f"INSERT INTO job ({without_id}) SELECT {without_id} FROM _platform_recovery_job WHERE id IN (SELECT id FROM _platform_recovery_job_clash) ORDER BY id")
    return rows, cur.rowcount


def _load_dag_run(cur, columns: List[str], body: IO[bytes]) -> Tuple[int, int]:
    """Runs whose log template the target lacks (ids differ between databases that were upgraded differently) take
    the target's newest: it only shapes log file names, and task logs stay in the primary region anyway."""
    cur.execute("CREATE TEMP TABLE _platform_recovery_dag_run (LIKE dag_run INCLUDING DEFAULTS) ON COMMIT DROP")
    rows = _copy_in(cur, "_platform_recovery_dag_run", columns, body)
    cur.execute(
        "UPDATE _platform_recovery_dag_run SET log_template_id = (SELECT max(id) FROM log_template) "
        "WHERE log_template_id IS NOT NULL AND log_template_id NOT IN (SELECT id FROM log_template)"
    )
    replaced = cur.rowcount
    listed = ", ".join(_quote(column) for column in columns)
    cur.execute(f"INSERT INTO dag_run ({listed}) SELECT {listed} FROM _platform_recovery_dag_run ORDER BY id")
    return rows, replaced


def _load_keyed(cur, table: str, columns: List[str], body: IO[bytes], mode: str, codec: Optional[Codec]) -> Tuple[int, List[str]]:
    """Connections or variables by mode: `replace` drops the target's own, `keep-existing` keeps those the backup also names."""
    key = KEYED_TABLES[table]
    staging = f"_platform_recovery_{table}"
    cur.execute(f"CREATE TEMP TABLE {staging} (LIKE {table} INCLUDING DEFAULTS) ON COMMIT DROP")
    _copy_in(cur, staging, columns, body)
    if mode == names.REPLACE:
        cur.execute(f"DELETE FROM {table}")
        kept: List[str] = []
    else:
        cur.execute(f"SELECT s.{_quote(key)} FROM {staging} s JOIN {table} t USING ({_quote(key)}) ORDER BY 1")
        kept = [row[0] for row in cur.fetchall()]
    listed = ", ".join(_quote(column) for column in columns)
    cur.execute(f"SELECT {listed} FROM {staging} WHERE {_quote(key)} NOT IN (SELECT {_quote(key)} FROM {table}) ORDER BY {_quote(key)}")
    rows = _encrypted(table, columns, cur.fetchall(), codec)
    if rows:
        placeholders = ", ".join(["%s"] * len(columns))
        cur.executemany(f"INSERT INTO {table} ({listed}) VALUES ({placeholders})", rows)
    return len(rows), kept


def _reset_sequence(cur, table: str) -> None:
    """The next id is one above the largest (1 for an empty table)."""
    cur.execute(
        f"SELECT setval(pg_get_serial_sequence(%s, 'id'), coalesce((SELECT max(id) FROM {table}), 1), (SELECT max(id) FROM {table}) IS NOT NULL)",
        (table,),
    )


def set_unpaused(conn, dag_ids: Sequence[str]) -> Tuple[List[str], List[str]]:
    """Unpauses exactly `dag_ids` and pauses every other DAG but the recovery DAGs; commits. Returns (unpaused, missing)."""
    cur = conn.cursor()
    try:
        wanted = list(dag_ids)
        cur.execute(
            "UPDATE dag SET is_paused = NOT (dag_id = ANY(%s)) WHERE dag_id NOT IN %s AND is_paused IS DISTINCT FROM NOT (dag_id = ANY(%s))",
            (wanted, names.RECOVERY_DAG_IDS, wanted),
        )
        cur.execute("SELECT dag_id FROM dag WHERE dag_id = ANY(%s) ORDER BY dag_id", (wanted,))
        present = [row[0] for row in cur.fetchall()]
        conn.commit()
    except BaseException:
        conn.rollback()
        raise
    return present, sorted(set(wanted) - set(present))


def read_active_dags(body: IO[bytes]) -> List[str]:
    body.seek(0)
    reader = csv.reader(io.TextIOWrapper(body, encoding="utf-8", newline=""))
    next(reader, None)
    dag_ids = [row[0] for row in reader if row]
    body.seek(0)
    return dag_ids


def restore(
    conn,
    store: S3Store,
    backup_id: Optional[str] = None,
    connections: str = names.DEFAULT_KEEP_MODE,
    variables: str = names.DEFAULT_KEEP_MODE,
    codec: Optional[Codec] = None,
) -> RestoreReport:
    """Cleans the carried tables and loads the backup in one transaction: on any error the target is left as it was."""
    for what, mode in (("connections", connections), ("variables", variables)):
        if mode not in names.KEEP_MODES:
            raise ValueError(f"{what}: unknown mode {mode!r}; use one of {', '.join(names.KEEP_MODES)}")
    chosen = _choose_backup(store, backup_id)
    manifest, files = _read_backup(store, chosen)
    report = RestoreReport(backup_id=chosen, airflow_version=manifest.get("airflowVersion", ""))
    conn.rollback()
    cur = conn.cursor()
    try:
        _session_settings(cur)
        headers = {table: _header(files[table]) for table in TABLES}
        mismatches = []
        for table in TABLES:
            present = set(_columns(cur, table))
            unknown = [column for column in headers[table] if column not in present]
            if unknown:
                mismatches.append(f"{table}: {', '.join(unknown)}")
        if mismatches:
            raise BackupError(
                f"backup {store.location(chosen)} (Airflow {report.airflow_version}) has columns this database lacks, "
                f"nothing restored (restore into the same Airflow version): " + "; ".join(mismatches)
            )
        _clean(cur)
        for table in ("dag_run", "log"):
            report.reassigned[table] = _move_kept_ids(cur, table, manifest["tables"][table].get("maxId"))
        for table in TABLES:
            if table in KEYED_TABLES:
                mode = connections if table == "connection" else variables
                report.rows[table], report.kept[table] = _load_keyed(cur, table, headers[table], files[table], mode, codec)
            elif table == "job":
                report.rows[table], report.reassigned[table] = _load_job(cur, headers[table], files[table])
            elif table == "dag_run" and "log_template_id" in headers[table]:
                report.rows[table], report.log_templates_replaced = _load_dag_run(cur, headers[table], files[table])
            else:
                report.rows[table] = _copy_in(cur, table, headers[table], files[table])
        for table in SERIAL_TABLES:
            _reset_sequence(cur, table)
        if "next_dagrun_create_after" in _columns(cur, "dag"):
            # The target computed its next runs without this history. With no "create after" the scheduler creates
            # nothing until the DAG processor parses each file again and recomputes it from the restored runs.
            cur.execute("UPDATE dag SET next_dagrun_create_after = NULL WHERE dag_id NOT IN %s", (names.RECOVERY_DAG_IDS,))
        cur.execute(
            f"UPDATE task_instance SET state = 'failed' WHERE state IN %s AND {_carried(cur, 'task_instance')} RETURNING dag_id, run_id",
            (UNFINISHED_TASK_STATES,),
        )
        report.interrupted_runs = sorted(set(cur.fetchall()))
        conn.commit()
    except BaseException:
        conn.rollback()
        raise
    finally:
        active = read_active_dags(files[ACTIVE_DAGS])
        for body in files.values():
            body.close()
    report.unpaused, report.missing_dags = set_unpaused(conn, active)
    return report

"""Airflow 3.x: what the public REST API (/api/v2) lets the platform carry to the recovery region, without Airflow.

Airflow 3 tasks cannot reach the metadata database, so the Airflow 2 backup (metadata.py) does not work there. Through
the REST API the platform carries:
- variables (key, value, description), except values the API masks: it answers "***" for keys that look sensitive
  (password, secret, token, api_key, ...), and those are listed in the backup as not carried;
- pools (name, slots, description, include_deferred);
- connections (type, host, schema, login, port, extra, description) when the API shows their password and extra in
  clear; a connection whose password or extra comes back masked is listed as not carried: put it in the secrets
  backend, which the platform replicates.
Not carried on Airflow 3: DAG run and task history, XComs, logs, jobs, triggers, and which DAGs were paused; keep
DAGs' schedules idempotent and rerun what the outage interrupted by hand (docs/disaster-recovery.md).

A backup is ``<prefix><backupId>/rest_api.json`` and ``manifest.json`` (written last, with the file's SHA-256) in the
same bucket layout as the Airflow 2 backups.
"""

from __future__ import annotations

import io
import json
import sys
from typing import Dict, List, Optional, Protocol

from . import names
from .metadata import BACKUP_ID, MANIFEST, BackupError, S3Store, _choose_backup, _digest

FORMAT_VERSION = 1
FILE = "rest_api.json"
REDACTED = "***"
PAGE = 100
DEFAULT_POOL = "default_pool"
POOL_FIELDS = ("name", "slots", "description", "include_deferred")
CONNECTION_FIELDS = ("connection_id", "conn_type", "description", "host", "schema", "login", "password", "port", "extra")


class RestApi(Protocol):
    def call(self, method: str, path: str, query: Optional[dict] = None, body: Optional[dict] = None) -> dict: ...


class MwaaRestApi:
    """The environment's REST API through MWAA's InvokeRestApi (IAM-authorised; no webserver network path needed)."""

    def __init__(self, mwaa_client, environment: str):
        self.client, self.environment = mwaa_client, environment

    def call(self, method: str, path: str, query: Optional[dict] = None, body: Optional[dict] = None) -> dict:
        request = {"Name": self.environment, "Path": path, "Method": method}
        if query:
            request["QueryParameters"] = query
        if body is not None:
            request["Body"] = body
        return self.client.invoke_rest_api(**request).get("RestApiResponse") or {}


def _list(api: RestApi, path: str, key: str) -> List[dict]:
    items: List[dict] = []
    while True:
        page = api.call("GET", path, query={"limit": PAGE, "offset": len(items)})
        batch = page.get(key, [])
        items.extend(batch)
        if not batch or len(items) >= page.get("total_entries", 0):
            return items


def _masked(value) -> bool:
    return isinstance(value, str) and REDACTED in value


def export(api: RestApi) -> dict:
    """Everything the API shows in clear, and the names of what it masks."""
    variables, connections, not_carried = [], [], {"variables": [], "connections": []}
    for variable in _list(api, "/variables", "variables"):
        if _masked(variable.get("value")):
            not_carried["variables"].append(variable["key"])
        else:
            variables.append({"key": variable["key"], "value": variable.get("value"), "description": variable.get("description")})
    for connection in _list(api, "/connections", "connections"):
        if _masked(connection.get("password")) or _masked(connection.get("extra")):
            not_carried["connections"].append(connection["connection_id"])
        else:
            connections.append({field: connection.get(field) for field in CONNECTION_FIELDS})
    pools = [{field: pool.get(field) for field in POOL_FIELDS} for pool in _list(api, "/pools", "pools")]
    return {"format": FORMAT_VERSION, "variables": variables, "pools": pools, "connections": connections, "notCarried": not_carried}


def backup(api: RestApi, store: S3Store, backup_id: str, airflow_version: str) -> dict:
    if not BACKUP_ID.match(backup_id):
        raise ValueError(f"backup id {backup_id!r} is not a UTC timestamp like 20260101T000000Z")
    content = export(api)
    body = io.BytesIO(json.dumps(content, indent=2, sort_keys=True).encode())
    manifest = {"format": FORMAT_VERSION, "backupId": backup_id, "airflowVersion": airflow_version, "restApi": {"file": FILE, "sha256": _digest(body)}}
    store.put(backup_id, FILE, body)
    store.put(backup_id, MANIFEST, io.BytesIO(json.dumps(manifest, indent=2, sort_keys=True).encode()))
    return content


def _read(store: S3Store, backup_id: str) -> dict:
    body = store.get(backup_id, MANIFEST)
    if body is None:
        raise BackupError(f"backup {store.location(backup_id)} is incomplete: {MANIFEST} is missing (interrupted, or replication has not finished)")
    manifest = json.load(body)
    entry = manifest.get("restApi")
    if entry is None:
        raise BackupError(f"backup {store.location(backup_id)} is an Airflow 2 metadata backup, not a REST API one: restore it with the restore DAG")
    content = store.get(backup_id, entry["file"])
    if content is None:
        raise BackupError(f"backup {store.location(backup_id)} is incomplete: {entry['file']} is missing")
    if _digest(content) != entry["sha256"]:
        raise BackupError(f"backup {store.location(backup_id)} is damaged: {entry['file']} differs from {MANIFEST} (SHA-256)")
    return json.load(content)


def _apply(api: RestApi, path: str, key: str, id_field: str, wanted: List[dict], mode: str, protected=()) -> Dict[str, List[str]]:
    existing = {item[id_field] for item in _list(api, path, key)}
    result: Dict[str, List[str]] = {"created": [], "updated": [], "kept": [], "deleted": []}
    for item in wanted:
        name = item[id_field]
        if name not in existing:
            api.call("POST", path, body=item)
            result["created"].append(name)
        elif mode == names.REPLACE:
            api.call("PATCH", f"{path}/{name}", body=item)
            result["updated"].append(name)
        else:
            result["kept"].append(name)
    if mode == names.REPLACE:
        for name in sorted(existing - {item[id_field] for item in wanted} - set(protected)):
            api.call("DELETE", f"{path}/{name}")
            result["deleted"].append(name)
    return result


def restore(
    api: RestApi,
    store: S3Store,
    backup_id: Optional[str] = None,
    connections: str = names.DEFAULT_KEEP_MODE,
    variables: str = names.DEFAULT_KEEP_MODE,
) -> dict:
    """Applies a REST API backup: variables and connections by mode, pools always replaced (default_pool is never deleted)."""
    for what, mode in (("connections", connections), ("variables", variables)):
        if mode not in names.KEEP_MODES:
            raise ValueError(f"{what}: unknown mode {mode!r}; use one of {', '.join(names.KEEP_MODES)}")
    chosen = _choose_backup(store, backup_id)
    content = _read(store, chosen)
    return {
        "backupId": chosen,
        # `replace` leaves alone what the backup could not carry: the target may hold it already.
        "variables": _apply(api, "/variables", "variables", "key", content["variables"], variables, protected=content["notCarried"]["variables"]),
        "connections": _apply(
            api, "/connections", "connections", "connection_id", content["connections"], connections, protected=content["notCarried"]["connections"]
        ),
        "pools": _apply(api, "/pools", "pools", "name", content["pools"], names.REPLACE, protected=(DEFAULT_POOL,)),
        "notCarried": content["notCarried"],
    }


def main(argv: Optional[List[str]] = None, clients=None) -> int:
    """`python -m platform_recovery.rest_api backup|restore --environment E --region R --bucket B [...]`, for an
    operator or a scheduled job with credentials for the environment's region (MWAA InvokeRestApi, S3)."""
    import argparse
    from datetime import datetime, timezone

    parser = argparse.ArgumentParser(prog="python -m platform_recovery.rest_api", description="Airflow 3: carry variables, pools and connections")
    parser.add_argument("action", choices=("backup", "restore"))
    parser.add_argument("--environment", required=True, help="MWAA environment name")
    parser.add_argument("--region", required=True, help="the environment's region")
    parser.add_argument("--bucket", required=True, help="backup bucket (restore: its replica in the environment's region)")
    parser.add_argument("--backup-id", help="restore: this backup instead of the newest; backup: this id instead of now")
    parser.add_argument("--airflow-version", default="3", help="recorded in the manifest")
    parser.add_argument("--connections", choices=names.KEEP_MODES, default=names.DEFAULT_KEEP_MODE)
    parser.add_argument("--variables", choices=names.KEEP_MODES, default=names.DEFAULT_KEEP_MODE)
    args = parser.parse_args(argv)
    if clients is None:
        import boto3

        clients = lambda service: boto3.client(service, region_name=args.region)  # noqa: E731
    api, store = MwaaRestApi(clients("mwaa"), args.environment), S3Store(clients("s3"), args.bucket)
    if args.action == "backup":
        from .metadata import backup_id_for

        backup_id = args.backup_id or backup_id_for(datetime.now(timezone.utc))
        content = backup(api, store, backup_id, args.airflow_version)
        summary = {"backupId": backup_id, "variables": len(content["variables"]), "pools": len(content["pools"]), "connections": len(content["connections"])}
        print(json.dumps({**summary, "notCarried": content["notCarried"]}, sort_keys=True))
        return 0
    try:
        report = restore(api, store, backup_id=args.backup_id, connections=args.connections, variables=args.variables)
    except BackupError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(json.dumps(report, sort_keys=True))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

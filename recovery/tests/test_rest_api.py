"""Airflow 3.x: variables, pools and connections carried through the REST API (a fake /api/v2) and moto's S3."""

from __future__ import annotations

import copy

import pytest
from conftest import BUCKET
from platform_recovery import names, rest_api
from platform_recovery.metadata import BackupError, S3Store

SENSITIVE = ("password", "secret", "token", "api_key")


class FakeAirflowApi:
    """The slice of Airflow 3's /api/v2 the module uses: paginated lists, POST, PATCH, DELETE; sensitive values masked."""

    def __init__(self, variables=(), connections=(), pools=()):
        self.variables = {item["key"]: dict(item) for item in variables}
        self.connections = {item["connection_id"]: dict(item) for item in connections}
        self.pools = {"default_pool": {"name": "default_pool", "slots": 128, "description": "Default pool", "include_deferred": False}}
        self.pools.update({item["name"]: dict(item) for item in pools})
        self.calls = []

    def _store(self, path):
        return {"variables": (self.variables, "key"), "connections": (self.connections, "connection_id"), "pools": (self.pools, "name")}[path.split("/")[1]]

    def _shown(self, kind, item):
        item = copy.deepcopy(item)
        if kind == "variables" and any(word in item["key"].lower() for word in SENSITIVE):
            item["value"] = "***"
        if kind == "connections" and item.get("password"):
            item["password"] = "***" if item["connection_id"].startswith("masked") else item["password"]
        if kind == "pools":
            item.update(occupied_slots=0, running_slots=0, queued_slots=0, open_slots=item["slots"])
        return item

    def call(self, method, path, query=None, body=None):
        self.calls.append((method, path))
        kind = path.split("/")[1]
        items, key = self._store(path)
        if method == "GET":
            listed = sorted(items)[query["offset"] : query["offset"] + query["limit"]]
            return {kind: [self._shown(kind, items[name]) for name in listed], "total_entries": len(items)}
        if method == "POST":
            items[body[key]] = dict(body)
        elif method == "PATCH":
            items[path.split("/")[2]].update(body)
        elif method == "DELETE":
            del items[path.split("/")[2]]
        return {}


def primary_api():
    return FakeAirflowApi(
        variables=[{"key": f"var_{index:03}", "value": f"value, \"{index}\"\n", "description": None} for index in range(150)]
        + [{"key": "warehouse_password", "value": "s3cr3t", "description": "masked by the API"}],
        connections=[
            {"connection_id": "warehouse", "conn_type": "postgres", "host": "db.example.internal", "schema": "analytics", "login": "etl", "password": "pw", "port": 5432, "extra": '{"sslmode": "require"}', "description": None},
            {"connection_id": "masked_api", "conn_type": "http", "host": "api.example.com", "password": "hidden", "extra": None},
        ],
        pools=[{"name": "warehouse", "slots": 4, "description": "ü", "include_deferred": True}],
    )


@pytest.fixture()
def store(s3):
    return S3Store(s3, BUCKET)


def test_what_the_api_shows_in_clear_is_carried_and_what_it_masks_is_named(store):
    content = rest_api.backup(primary_api(), store, "20261203T100000Z", "3.0.6")
    target = FakeAirflowApi()

    report = rest_api.restore(target, store)

    assert len(content["variables"]) == 150  # two pages of 100
    assert target.variables["var_007"]["value"] == 'value, "7"\n'
    assert "warehouse_password" not in target.variables
    assert target.connections["warehouse"]["password"] == "pw" and target.connections["warehouse"]["schema"] == "analytics"
    assert "masked_api" not in target.connections
    assert target.pools["warehouse"] == {"name": "warehouse", "slots": 4, "description": "ü", "include_deferred": True}
    assert report["notCarried"] == {"variables": ["warehouse_password"], "connections": ["masked_api"]}
    assert report["pools"]["updated"] == ["default_pool"] and report["pools"]["created"] == ["warehouse"]


@pytest.mark.parametrize(
    ("mode", "value", "own_left"),
    [(names.KEEP_EXISTING, "standby's", True), (names.REPLACE, 'value, "1"\n', False)],
)
def test_variables_and_connections_follow_the_declared_mode(store, mode, value, own_left):
    rest_api.backup(primary_api(), store, "20261203T100000Z", "3.0.6")
    target = FakeAirflowApi(
        variables=[{"key": "var_001", "value": "standby's"}, {"key": "standby_only", "value": "x"}, {"key": "warehouse_password", "value": "kept"}],
        connections=[{"connection_id": "masked_api", "conn_type": "http", "password": "standby pw"}, {"connection_id": "standby_only", "conn_type": "http"}],
    )

    rest_api.restore(target, store, connections=mode, variables=mode)

    assert target.variables["var_001"]["value"] == value
    assert ("standby_only" in target.variables, "standby_only" in target.connections) == (own_left, own_left)
    # What the backup could not carry is never deleted, even by `replace`.
    assert target.variables["warehouse_password"]["value"] == "kept" and target.connections["masked_api"]["password"] == "standby pw"


def test_replace_never_deletes_the_default_pool(store):
    api = primary_api()
    del api.pools["warehouse"]
    rest_api.backup(api, store, "20261203T100000Z", "3.0.6")
    target = FakeAirflowApi(pools=[{"name": "standby_pool", "slots": 1, "description": None, "include_deferred": False}])

    rest_api.restore(target, store)

    assert sorted(target.pools) == ["default_pool"]
    assert ("DELETE", "/pools/default_pool") not in target.calls


def test_an_incomplete_or_foreign_backup_is_refused(store, s3):
    rest_api.backup(primary_api(), store, "20261203T100000Z", "3.0.6")
    s3.delete_object(Bucket=BUCKET, Key="airflow-metadata/20261203T100000Z/rest_api.json")
    with pytest.raises(BackupError, match=r"^backup s3://analytics-prod-recovery-backups/airflow-metadata/20261203T100000Z/ is incomplete: rest_api.json is missing$"):
        rest_api.restore(FakeAirflowApi(), store)
    s3.put_object(Bucket=BUCKET, Key="airflow-metadata/20261204T100000Z/manifest.json", Body=b'{"format": 1, "tables": {}}')
    with pytest.raises(BackupError, match=r"is an Airflow 2 metadata backup, not a REST API one"):
        rest_api.restore(FakeAirflowApi(), store)
    with pytest.raises(BackupError, match=r"^no backup under s3://analytics-prod-recovery-backups/other/: nothing to restore"):
        rest_api.restore(FakeAirflowApi(), S3Store(s3, BUCKET, "other/"))


class FakeMwaa:
    def __init__(self):
        self.requests = []

    def invoke_rest_api(self, **request):
        self.requests.append(request)
        return {"RestApiStatusCode": 200, "RestApiResponse": {"variables": [], "total_entries": 0}}


def test_the_mwaa_adapter_sends_invoke_rest_api_requests():
    mwaa = FakeMwaa()
    api = rest_api.MwaaRestApi(mwaa, "analytics-prod")

    assert api.call("GET", "/variables", query={"limit": 100, "offset": 0}) == {"variables": [], "total_entries": 0}
    api.call("POST", "/pools", body={"name": "p"})
    assert mwaa.requests == [
        {"Name": "analytics-prod", "Path": "/variables", "Method": "GET", "QueryParameters": {"limit": 100, "offset": 0}},
        {"Name": "analytics-prod", "Path": "/pools", "Method": "POST", "Body": {"name": "p"}},
    ]


class CliClients:
    """What main() asks for: an MWAA client whose InvokeRestApi answers from a fake API, and moto's S3."""

    def __init__(self, api, s3):
        self.api, self.s3 = api, s3

    def __call__(self, service):
        if service == "s3":
            return self.s3
        api = self.api

        class Mwaa:
            def invoke_rest_api(self, Name, Path, Method, QueryParameters=None, Body=None):
                assert Name == "analytics-prod"
                return {"RestApiStatusCode": 200, "RestApiResponse": api.call(Method, Path, query=QueryParameters, body=Body)}

        return Mwaa()


def test_the_command_line_backs_up_one_environment_and_restores_into_another(s3, capsys):
    common = ["--environment", "analytics-prod", "--region", "eu-west-1", "--bucket", BUCKET]
    assert rest_api.main(["backup", *common, "--backup-id", "20261203T100000Z"], clients=CliClients(primary_api(), s3)) == 0
    assert '"variables": 150' in capsys.readouterr().out
    target = FakeAirflowApi()

    assert rest_api.main(["restore", *common, "--variables", "replace"], clients=CliClients(target, s3)) == 0

    assert len(target.variables) == 150 and '"backupId": "20261203T100000Z"' in capsys.readouterr().out
    assert rest_api.main(["restore", *common, "--backup-id", "20260101T000000Z"], clients=CliClients(target, s3)) == 2
    assert capsys.readouterr().err.startswith("error: no backup 20260101T000000Z under s3://")

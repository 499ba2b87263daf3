"""Amazon MWAA, emulated: the API of botocore's mwaa model, checked against moto's IAM, S3, EC2 and KMS
state, with MWAA's status machine and its EventBridge status events.

    CREATING --(create delay)--> PENDING while a CUSTOMER environment's endpoints are missing
                              \\-> AVAILABLE (SERVICE, or once the endpoints exist)
    UPDATING --(update delay)--> AVAILABLE (or PENDING, as above)
    DELETING --(delete delay)--> DELETED (event) and gone

Every transition is put into the environment account's default event bus as MWAA sends it
(source aws.airflow, detail-type "MWAA Environment Status Change", the environment as detail)."""

from __future__ import annotations

import json
import secrets
import threading
import time
from typing import Any, Callable

from .restjson import ApiError, ServiceModel

SOURCE = "aws.airflow"
DETAIL_TYPE = "MWAA Environment Status Change"
AIRFLOW_VERSIONS = ["2.4.3", "2.5.1", "2.6.3", "2.7.2", "2.8.1", "2.9.2", "2.10.1", "2.10.3", "2.11.0", "3.0.6"]
DEFAULT_AIRFLOW_VERSION = "2.10.3"
MWAA_PRINCIPALS = {"airflow.amazonaws.com", "airflow-env.amazonaws.com"}

# Per class: (max workers, schedulers range, webservers range). mw1.micro runs one of each.
CLASS_LIMITS = {
    "mw1.micro": (1, (1, 1), (1, 1)),
    "mw1.small": (25, (2, 5), (2, 5)),
    "mw1.medium": (25, (2, 5), (2, 5)),
    "mw1.large": (25, (2, 5), (2, 5)),
    "mw1.xlarge": (25, (2, 5), (2, 5)),
    "mw1.2xlarge": (25, (2, 5), (2, 5)),
}


def validation(message: str) -> ApiError:
    return ApiError("ValidationException", message)


class MwaaBackend:
    def __init__(self, timing: dict[str, float], emit: Callable[[str, str, dict[str, Any]], None], endpoints_exist: Callable[[str, list[str]], bool]) -> None:
        self.model = ServiceModel("mwaa")
        self.timing = timing
        self.emit = emit
        self.endpoints_exist = endpoints_exist
        self.environments: dict[tuple[str, str, str], dict[str, Any]] = {}
        # Creates that MWAA accepts and then fails (as a bad configuration option does): (error code, message), in order.
        self.failing_creates: list[tuple[str, str]] = []
        self.lock = threading.RLock()

    # ---- dispatch -------------------------------------------------------------------------------
    def handle(self, account: str, region: str, method: str, path: str, query: str, headers: Any, body: bytes) -> tuple[int, dict[str, str], bytes]:
        operation, uri = self.model.route(method, path)
        params = self.model.parse(operation, uri, query, headers, body)
        with self.lock:
            output = getattr(self, operation)(account, region, params)
        return self.model.response(operation, output)

    def _get(self, account: str, region: str, name: str) -> dict[str, Any]:
        env = self.environments.get((account, region, name))
        if env is None:
            raise ApiError("ResourceNotFoundException", f"Environment {name} not found.", 404)
        return env

    def _by_arn(self, arn: str) -> dict[str, Any]:
        for env in self.environments.values():
            if env["Arn"] == arn:
                return env
        raise ApiError("ResourceNotFoundException", f"Resource {arn} not found.", 404)

    # ---- operations -----------------------------------------------------------------------------
    def CreateEnvironment(self, account: str, region: str, p: dict[str, Any]) -> dict[str, Any]:
        name = p["Name"]
        if (account, region, name) in self.environments:
            raise validation(f"Environment with name {name} already exists.")
        env = {
            "Name": name,
            "Arn": f"arn:aws:airflow:{region}:{account}:environment/{name}",
            "CreatedAt": time.time(),
            "Status": "CREATING",
            "ExecutionRoleArn": p["ExecutionRoleArn"],
            "ServiceRoleArn": f"arn:aws:iam::{account}:role/aws-service-role/airflow.amazonaws.com/AWSServiceRoleForAmazonMWAA",
            "AirflowVersion": p.get("AirflowVersion", DEFAULT_AIRFLOW_VERSION),
            "SourceBucketArn": p["SourceBucketArn"],
            "DagS3Path": p["DagS3Path"],
            "AirflowConfigurationOptions": p.get("AirflowConfigurationOptions", {}),
            "EnvironmentClass": p.get("EnvironmentClass", "mw1.small"),
            "MaxWorkers": p.get("MaxWorkers", 10),
            "MinWorkers": p.get("MinWorkers", 1),
            "Schedulers": p.get("Schedulers", 2),
            "NetworkConfiguration": p["NetworkConfiguration"],
            "LoggingConfiguration": _logging(p.get("LoggingConfiguration"), name, region, account),
            "WeeklyMaintenanceWindowStart": p.get("WeeklyMaintenanceWindowStart", "SUN:03:30"),
            "Tags": p.get("Tags", {}),
            "WebserverAccessMode": p.get("WebserverAccessMode", "PRIVATE_ONLY"),
            "EndpointManagement": p.get("EndpointManagement", "SERVICE"),
            "CeleryExecutorQueue": f"arn:aws:sqs:{region}:{_managed_account(account)}:airflow-celery-{secrets.token_hex(16)}",
            "DatabaseVpcEndpointService": f"com.amazonaws.vpce.{region}.vpce-svc-{secrets.token_hex(9)[:17]}",
            "WebserverUrl": f"{secrets.token_hex(16)}-vpce.c{secrets.randbelow(100)}.{region}.airflow.amazonaws.com",
        }
        if env["EnvironmentClass"] == "mw1.micro":
            env.setdefault("Schedulers", 1)
        env["MinWebservers"] = p.get("MinWebservers", 1 if env["EnvironmentClass"] == "mw1.micro" else 2)
        env["MaxWebservers"] = p.get("MaxWebservers", env["MinWebservers"])
        if env["WebserverAccessMode"] == "PRIVATE_ONLY":
            env["WebserverVpcEndpointService"] = f"com.amazonaws.vpce.{region}.vpce-svc-{secrets.token_hex(9)[:17]}"
        for key in ("KmsKey", "PluginsS3Path", "PluginsS3ObjectVersion", "RequirementsS3Path", "RequirementsS3ObjectVersion", "StartupScriptS3Path", "StartupScriptS3ObjectVersion"):
            if key in p:
                env[key] = p[key]
        self.check(account, region, env)
        env["LastUpdate"] = {"Status": "CREATING", "CreatedAt": env["CreatedAt"], "Source": "Customer"}
        env["_since"] = time.monotonic()
        self.environments[(account, region, name)] = env
        self._emit(account, region, env)
        return {"Arn": env["Arn"]}

    def GetEnvironment(self, account: str, region: str, p: dict[str, Any]) -> dict[str, Any]:
        return {"Environment": _public(self._get(account, region, p["Name"]))}

    def ListEnvironments(self, account: str, region: str, p: dict[str, Any]) -> dict[str, Any]:
        return {"Environments": sorted(n for (a, r, n) in self.environments if a == account and r == region)}

    def UpdateEnvironment(self, account: str, region: str, p: dict[str, Any]) -> dict[str, Any]:
        env = self._get(account, region, p["Name"])
        if env["Status"] not in ("AVAILABLE", "UPDATE_FAILED", "PENDING"):
            raise validation(f"Environment {p['Name']} is in {env['Status']} state; it can be updated only when AVAILABLE.")
        candidate = dict(env)
        for key, value in p.items():
            if key in ("Name", "WorkerReplacementStrategy"):
                continue
            if key == "LoggingConfiguration":
                value = _logging(value, env["Name"], region, account)
            if key == "NetworkConfiguration":
                value = {**env["NetworkConfiguration"], **value}
            candidate[key] = value
        if "AirflowVersion" in p and AIRFLOW_VERSIONS.index(p["AirflowVersion"]) < AIRFLOW_VERSIONS.index(env["AirflowVersion"]):
            raise validation(f"Downgrading Airflow from {env['AirflowVersion']} to {p['AirflowVersion']} is not supported.")
        self.check(account, region, candidate)
        env.update(candidate)
        env["Status"] = "UPDATING"
        env["LastUpdate"] = {"Status": "UPDATING", "CreatedAt": time.time(), "Source": "Customer"}
        env["_since"] = time.monotonic()
        self._emit(account, region, env)
        return {"Arn": env["Arn"]}

    def DeleteEnvironment(self, account: str, region: str, p: dict[str, Any]) -> dict[str, Any]:
        env = self._get(account, region, p["Name"])
        if env["Status"] in ("CREATING", "UPDATING", "DELETING"):
            raise validation(f"Environment {p['Name']} is in {env['Status']} state and cannot be deleted now.")
        env["Status"] = "DELETING"
        env["_since"] = time.monotonic()
        self._emit(account, region, env)
        return {}

    def TagResource(self, account: str, region: str, p: dict[str, Any]) -> dict[str, Any]:
        self._by_arn(p["ResourceArn"])["Tags"].update(p["Tags"])
        return {}

    def UntagResource(self, account: str, region: str, p: dict[str, Any]) -> dict[str, Any]:
        tags = self._by_arn(p["ResourceArn"])["Tags"]
        for key in p["tagKeys"]:
            tags.pop(key, None)
        return {}

    def ListTagsForResource(self, account: str, region: str, p: dict[str, Any]) -> dict[str, Any]:
        return {"Tags": dict(self._by_arn(p["ResourceArn"])["Tags"])}

    def CreateCliToken(self, account: str, region: str, p: dict[str, Any]) -> dict[str, Any]:
        env = self._available(account, region, p["Name"])
        return {"CliToken": secrets.token_urlsafe(32), "WebServerHostname": env["WebserverUrl"]}

    def CreateWebLoginToken(self, account: str, region: str, p: dict[str, Any]) -> dict[str, Any]:
        env = self._available(account, region, p["Name"])
        return {
            "WebToken": secrets.token_urlsafe(32),
            "WebServerHostname": env["WebserverUrl"],
            "IamIdentity": f"arn:aws:sts::{account}:assumed-role/emulated/session",
            "AirflowIdentity": "assumed-role/emulated",
        }

    def _available(self, account: str, region: str, name: str) -> dict[str, Any]:
        env = self._get(account, region, name)
        if env["Status"] != "AVAILABLE":
            raise validation(f"Environment {name} is {env['Status']}, not AVAILABLE.")
        return env

    # ---- the checks MWAA makes against the account's resources ---------------------------------
    def check(self, account: str, region: str, env: dict[str, Any]) -> None:
        from moto.ec2.models import ec2_backends
        from moto.iam.models import iam_backends
        from moto.kms.models import kms_backends
        from moto.s3.models import s3_backends

        problems: list[str] = []
        if env["AirflowVersion"] not in AIRFLOW_VERSIONS:
            problems.append(f"Airflow version {env['AirflowVersion']} is not supported (supported: {', '.join(AIRFLOW_VERSIONS)}).")
        limits = CLASS_LIMITS.get(env["EnvironmentClass"])
        if limits is None:
            problems.append(f"Environment class {env['EnvironmentClass']} is not valid.")
        else:
            max_workers, (smin, smax), (wmin, wmax) = limits
            if not 1 <= env["MinWorkers"] <= env["MaxWorkers"] <= max_workers:
                problems.append(f"MinWorkers {env['MinWorkers']} and MaxWorkers {env['MaxWorkers']} must satisfy 1 <= MinWorkers <= MaxWorkers <= {max_workers} for {env['EnvironmentClass']}.")
            if not smin <= env["Schedulers"] <= smax:
                problems.append(f"Schedulers {env['Schedulers']} must be between {smin} and {smax} for {env['EnvironmentClass']}.")
            if not wmin <= env["MinWebservers"] <= env["MaxWebservers"] <= wmax:
                problems.append(f"MinWebservers {env['MinWebservers']} and MaxWebservers {env['MaxWebservers']} must satisfy {wmin} <= MinWebservers <= MaxWebservers <= {wmax} for {env['EnvironmentClass']}.")

        role_arn = env["ExecutionRoleArn"]
        role_account, _, role_name = role_arn.split(":")[4], None, role_arn.split("/")[-1]
        try:
            role = iam_backends[role_account]["aws"].get_role(role_name)
            trust = json.loads(role.assume_role_policy_document) if isinstance(role.assume_role_policy_document, str) else role.assume_role_policy_document
            if not _trusts(trust, MWAA_PRINCIPALS):
                problems.append(f"Execution role {role_arn} does not trust airflow.amazonaws.com and airflow-env.amazonaws.com.")
        except Exception:
            problems.append(f"Execution role {role_arn} does not exist.")

        bucket_name = env["SourceBucketArn"].split(":::")[-1]
        bucket = None
        try:
            bucket = s3_backends[account]["aws"].get_bucket(bucket_name)
            if bucket.versioning_status != "Enabled":
                problems.append(f"Source bucket {bucket_name} must have versioning enabled.")
        except Exception:
            problems.append(f"Source bucket {bucket_name} does not exist in account {account}.")
        if bucket is not None:
            for kind in ("Plugins", "Requirements", "StartupScript"):
                key = env.get(f"{kind}S3Path")
                version = env.get(f"{kind}S3ObjectVersion")
                if key is None:
                    continue
                versions = [k.version_id for k in bucket.keys.getlist(key, [])]
                if not versions:
                    problems.append(f"{kind}S3Path s3://{bucket_name}/{key} does not exist.")
                elif version is not None and version not in versions:
                    problems.append(f"{kind}S3ObjectVersion {version} is not a version of s3://{bucket_name}/{key}.")

        network = env["NetworkConfiguration"]
        subnet_ids = network.get("SubnetIds", [])
        subnets = [_find_subnet(ec2_backends, region, s) for s in subnet_ids]
        if len(subnet_ids) != 2:
            problems.append(f"NetworkConfiguration.SubnetIds must name exactly 2 subnets, got {len(subnet_ids)}.")
        missing = [s for s, found in zip(subnet_ids, subnets) if found is None]
        if missing:
            problems.append(f"Subnets {', '.join(missing)} do not exist.")
        found = [s for s in subnets if s is not None]
        if found and len({s.vpc_id for s in found}) > 1:
            problems.append("Subnets must belong to one VPC.")
        if len(found) == 2 and found[0].availability_zone == found[1].availability_zone:
            problems.append("Subnets must be in different Availability Zones.")
        for group in network.get("SecurityGroupIds", []):
            if _find_security_group(ec2_backends, region, group) is None:
                problems.append(f"Security group {group} does not exist.")

        if env.get("KmsKey"):
            try:
                kms_backends[account][region].describe_key(env["KmsKey"])
            except Exception:
                problems.append(f"KMS key {env['KmsKey']} does not exist.")
        if problems:
            raise validation(" ".join(problems))

    # ---- time ------------------------------------------------------------------------------------
    def tick(self) -> None:
        now = time.monotonic()
        with self.lock:
            for key, env in list(self.environments.items()):
                account, region, _ = key
                age = now - env["_since"]
                status = env["Status"]
                if status in ("CREATING", "UPDATING") and age >= self.timing[status.lower()]:
                    self._settle(account, region, env, status)
                elif status == "PENDING" and self._endpoints_ready(account, env):
                    self._transition(account, region, env, "AVAILABLE")
                elif status == "DELETING" and age >= self.timing["deleting"]:
                    env["Status"] = "DELETED"
                    self._emit(account, region, env)
                    del self.environments[key]

    def _settle(self, account: str, region: str, env: dict[str, Any], was: str) -> None:
        if was == "CREATING" and self.failing_creates:
            code, message = self.failing_creates.pop(0)
            env["LastUpdate"] = {**env.get("LastUpdate", {}), "Status": "FAILED", "Error": {"ErrorCode": code, "ErrorMessage": message}}
            self._transition(account, region, env, "CREATE_FAILED")
            return
        env["LastUpdate"] = {**env.get("LastUpdate", {}), "Status": "SUCCESS"}
        if env["EndpointManagement"] == "CUSTOMER" and not self._endpoints_ready(account, env):
            self._transition(account, region, env, "PENDING")
        else:
            self._transition(account, region, env, "AVAILABLE")

    def _endpoints_ready(self, account: str, env: dict[str, Any]) -> bool:
        services = [env["DatabaseVpcEndpointService"]]
        if env["WebserverAccessMode"] == "PRIVATE_ONLY":
            services.append(env["WebserverVpcEndpointService"])
        return self.endpoints_exist(env["NetworkConfiguration"]["SubnetIds"][0] if env["NetworkConfiguration"].get("SubnetIds") else "", services)

    def _transition(self, account: str, region: str, env: dict[str, Any], status: str) -> None:
        env["Status"] = status
        env["_since"] = time.monotonic()
        self._emit(account, region, env)

    def _emit(self, account: str, region: str, env: dict[str, Any]) -> None:
        try:
            self.emit(account, region, {"resources": [env["Arn"]], "detail": status_detail(env)})
        except Exception as error:  # delivery is EventBridge's business: the API call itself succeeded
            print(f"emulator: status event of {env['Name']} not delivered: {error!r}", flush=True)


def status_detail(env: dict[str, Any]) -> dict[str, Any]:
    """The event detail: the environment as GetEnvironment describes it, in camelCase, as MWAA sends it."""
    public = _public(env)
    detail = {key[0].lower() + key[1:]: value for key, value in public.items() if key not in ("Tags", "LastUpdate")}
    network = public.get("NetworkConfiguration", {})
    detail["networkConfiguration"] = {"subnetIds": network.get("SubnetIds", []), "securityGroupIds": network.get("SecurityGroupIds", [])}
    detail.pop("loggingConfiguration", None)
    return detail


def _public(env: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in env.items() if not k.startswith("_")}


def _managed_account(account: str) -> str:
    # MWAA's Celery queues live in an AWS-managed account, never the customer's.
    return "000000000000" if account != "000000000000" else "999999999999"


def _logging(config: dict[str, Any] | None, name: str, region: str, account: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for kind, group in (("DagProcessingLogs", "DAGProcessing"), ("SchedulerLogs", "Scheduler"), ("TaskLogs", "Task"), ("WebserverLogs", "WebServer"), ("WorkerLogs", "Worker")):
        given = (config or {}).get(kind, {})
        enabled = given.get("Enabled", kind == "TaskLogs")
        entry: dict[str, Any] = {"Enabled": enabled, "LogLevel": given.get("LogLevel", "INFO")}
        if enabled:
            entry["CloudWatchLogGroupArn"] = f"arn:aws:logs:{region}:{account}:log-group:airflow-{name}-{group}"
        out[kind] = entry
    return out


def _trusts(document: dict[str, Any], principals: set[str]) -> bool:
    allowed: set[str] = set()
    for statement in _list(document.get("Statement")):
        if statement.get("Effect") != "Allow" or "sts:AssumeRole" not in _list(statement.get("Action")):
            continue
        allowed.update(_list((statement.get("Principal") or {}).get("Service")))
    return principals <= allowed


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [] if value is None else [value]


def _find_subnet(ec2_backends: Any, region: str, subnet_id: str) -> Any:
    # Shared subnets live in the owner account; the participant sees them through RAM.
    for account in list(ec2_backends.keys()):
        backend = ec2_backends[account][region]
        for zone in backend.subnets.values():
            if subnet_id in zone:
                return zone[subnet_id]
    return None


def _find_security_group(ec2_backends: Any, region: str, group_id: str) -> Any:
    for account in list(ec2_backends.keys()):
        group = ec2_backends[account][region].get_security_group_from_id(group_id)
        if group is not None:
            return group
    return None

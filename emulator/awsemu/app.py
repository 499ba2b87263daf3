"""The emulated AWS: moto's server plus this project's extension in the same process.

A WSGI layer in front of moto's DomainDispatcherApplication sends MWAA (signing name `airflow`) and
CodeArtifact requests to the backends here, fixes the moto gaps the platform runs into (see fixes.py), and
serves `/_emulator/*`: the Lambda invocations EventBridge rules asked for (moto cannot run Lambda without
Docker; tools/emulated runs the endpoint manager's bundled code on them), and an inventory of what exists.

    python3 -m awsemu.app --port 4566      listens on 127.0.0.1 only; there is no option for another address
"""

from __future__ import annotations

import argparse
import io
import json
import os
import threading
import time
from typing import Any
from urllib.parse import parse_qs

# Before moto is imported: AWS managed policies (e.g. AWSLambdaBasicExecutionRole) exist as in AWS.
os.environ.setdefault("MOTO_IAM_LOAD_MANAGED_POLICIES", "true")

from werkzeug.serving import make_server  # noqa: E402
from werkzeug.wrappers import Request, Response  # noqa: E402

from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app  # noqa: E402

from . import fixes  # noqa: E402
from .codeartifact import CodeArtifactBackend  # noqa: E402
from .eks import EksEcrBackend  # noqa: E402
from .mwaa import DETAIL_TYPE, SOURCE, MwaaBackend  # noqa: E402
from .restjson import ApiError  # noqa: E402

LOOPBACK = "127.0.0.1"


def _seconds(name: str, default: float) -> float:
    return float(os.environ.get(name, default))


class Emulator:
    def __init__(self) -> None:
        self.moto = DomainDispatcherApplication(create_backend_app)
        self.invocations: list[dict[str, Any]] = []
        self.invocation_lock = threading.Lock()
        timing = {
            "creating": _seconds("EMULATOR_MWAA_CREATE_SECONDS", 2),
            "updating": _seconds("EMULATOR_MWAA_UPDATE_SECONDS", 2),
            "deleting": _seconds("EMULATOR_MWAA_DELETE_SECONDS", 2),
        }
        self.mwaa = MwaaBackend(timing, self.put_status_event, endpoints_exist)
        self.codeartifact = CodeArtifactBackend()
        self.eks_ecr = EksEcrBackend()
        fixes.apply(self.record_invocation)
        self.faults: dict[str, int] = {}
        self.fault_messages: dict[str, str] = {}
        self.stopping = threading.Event()
        threading.Thread(target=self._clock, daemon=True).start()

    def _clock(self) -> None:
        while not self.stopping.wait(0.25):
            try:
                self.mwaa.tick()
            except Exception as error:  # a tick must never stop the clock
                print(f"emulator: mwaa tick failed: {error!r}", flush=True)

    # EventBridge: the status event goes to the environment account's default bus, whose rules
    # (the participant's forwarder) carry it on; fixes.py keeps it intact across accounts.
    def put_status_event(self, account: str, region: str, event: dict[str, Any]) -> None:
        from moto.events.models import events_backends

        backend = events_backends[account][region]
        message = {
            "version": "0",
            "id": os.urandom(16).hex(),
            "detail-type": DETAIL_TYPE,
            "source": SOURCE,
            "account": account,
            # moto's internal form: epoch seconds, turned into ISO 8601 by the targets that deliver the event.
            "time": time.time(),
            "ingestion-time": time.time(),
            "region": region,
            "resources": event["resources"],
            "detail": event["detail"],
        }
        fixes.deliver(backend, "default", message)

    def record_invocation(self, function_arn: str, event: dict[str, Any]) -> None:
        event = {k: v for k, v in event.items() if k != "ingestion-time"}
        if isinstance(event.get("time"), (int, float)):
            event["time"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(event["time"]))
        with self.invocation_lock:
            self.invocations.append({"seq": len(self.invocations), "functionArn": function_arn, "event": event})

    # ---- WSGI -------------------------------------------------------------------------------------
    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        path = environ.get("PATH_INFO", "")
        if path.startswith("/_emulator/"):
            return self._own(Request(environ))(environ, start_response)
        service = _signing_service(environ.get("HTTP_AUTHORIZATION", ""))
        if service in ("airflow", "codeartifact"):
            return self._extension(service, Request(environ))(environ, start_response)
        fault = self._fault(environ)
        if fault is not None:
            return fault(environ, start_response)
        if service in ("eks", "ecr"):
            account, region = _account_and_region(environ.get("HTTP_AUTHORIZATION", ""))
            handled = self.eks_ecr.intercept(service, account, region, environ, self.moto)
            if handled is not None:
                return handled(environ, start_response)
        fixed = fixes.intercept(environ, self.moto)
        if fixed is not None:
            return fixed(environ, start_response)
        return self.moto(environ, start_response)

    def _fault(self, environ: dict[str, Any]) -> Any:
        """An injected failure for the next call of a query-protocol action (EC2), as AWS reports an internal error."""
        if not self.faults:
            return None
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length) if length else b""
        environ["wsgi.input"] = io.BytesIO(body)
        action = parse_qs(body.decode("utf-8", "replace")).get("Action", [""])[0]
        if self.faults.get(action, 0) <= 0:
            return None
        self.faults[action] -= 1
        xml = f'<?xml version="1.0" encoding="UTF-8"?><Response><Errors><Error><Code>InternalError</Code><Message>injected fault: {action} failed</Message></Error></Errors><RequestID>emulated</RequestID></Response>'
        # 400, not 500: a client error is not retried by the SDK, so each Lambda attempt fails once.
        return Response(xml, status=400, headers={"Content-Type": "text/xml"})

    def _extension(self, service: str, request: Request) -> Response:
        from moto.iam.models import get_account_id_from

        auth = request.headers.get("Authorization", "")
        access_key = auth.split("Credential=")[1].split("/")[0]
        region = auth.split("Credential=")[1].split("/")[2]
        account = get_account_id_from(access_key)
        backend = self.mwaa if service == "airflow" else self.codeartifact
        try:
            operation, _ = backend.model.route(request.method, request.path)
            if self.faults.get(operation, 0) > 0:
                self.faults[operation] -= 1
                raise ApiError("ValidationException", self.fault_messages.get(operation, f"injected fault: {operation} failed"))
            status, headers, body = backend.handle(
                account, region, request.method, request.path, request.query_string.decode(), request.headers, request.get_data()
            )
            return Response(body, status=status, headers=headers)
        except ApiError as error:
            return Response(
                json.dumps({"message": error.message, "Message": error.message}),
                status=error.status,
                headers={"Content-Type": "application/json", "x-amzn-ErrorType": error.code},
            )

    def _own(self, request: Request) -> Response:
        if request.path == "/_emulator/health":
            return Response("ok")
        if request.path == "/_emulator/invocations":
            after = int(parse_qs(request.query_string.decode()).get("after", ["-1"])[0])
            with self.invocation_lock:
                items = [i for i in self.invocations if i["seq"] > after]
            return Response(json.dumps(items), headers={"Content-Type": "application/json"})
        query = {k: v[0] for k, v in parse_qs(request.query_string.decode()).items()}
        if request.path == "/_emulator/faults" and request.method == "POST" and query.get("action") == "CreateEnvironment" and query.get("phase") == "creating":
            # MWAA accepts the create, then the environment ends CREATE_FAILED with this error (LastUpdate.Error).
            with self.mwaa.lock:
                self.mwaa.failing_creates.append((query.get("code", "INCORRECT_CONFIGURATION"), query.get("message", "injected fault: the create failed")))
            return Response("ok")
        if request.path == "/_emulator/faults" and request.method == "POST":
            self.faults[query["action"]] = int(query.get("count", "1"))
            if "message" in query:
                self.fault_messages[query["action"]] = query["message"]
            return Response("ok")
        if request.path == "/_emulator/replay" and request.method == "POST":
            # MWAA sends an environment's status again (as it does when an update of a PENDING environment starts over).
            with self.mwaa.lock:
                env = self.mwaa.environments.get((query["account"], query["region"], query["name"]))
                if env is None:
                    return Response("no such environment", status=404)
                saved = env["Status"]
                env["Status"] = query.get("status", saved)
                self.mwaa._emit(query["account"], query["region"], env)
                env["Status"] = saved
            return Response("ok")
        if request.path == "/_emulator/inventory":
            return Response(json.dumps(inventory(self), indent=1, sort_keys=True), headers={"Content-Type": "application/json"})
        return Response("not found", status=404)


def _account_and_region(auth: str) -> tuple[str, str]:
    from moto.iam.models import get_account_id_from

    credential = auth.split("Credential=")[1].split("/")
    return get_account_id_from(credential[0]), credential[2]


def _signing_service(auth: str) -> str | None:
    try:
        return auth.split("Credential=")[1].split(",")[0].split("/")[3]
    except IndexError:
        return None


def endpoints_exist(_subnet: str, services: list[str]) -> bool:
    """True when an available VPC endpoint to every service exists (in any account: the owner's VPC)."""
    from moto.ec2.models import ec2_backends

    present: set[str] = set()
    for account in list(ec2_backends.keys()):
        for region in list(ec2_backends[account].keys()):
            for endpoint in list(ec2_backends[account][region].vpc_end_points.values()):
                if endpoint.state == "available":
                    present.add(endpoint.service_name)
    return all(s in present for s in services)


def inventory(emulator: Emulator) -> dict[str, dict[str, list[str]]]:
    """What exists per account and service, leaving out what every fresh account has (default VPC, AWS's own)."""
    from moto.awslambda.models import lambda_backends
    from moto.ec2.models import ec2_backends
    from moto.events.models import events_backends
    from moto.iam.models import iam_backends
    from moto.kms.models import kms_backends
    from moto.logs.models import logs_backends
    from moto.ram.models import ram_backends
    from moto.s3.models import s3_backends
    from moto.sqs.models import sqs_backends

    out: dict[str, dict[str, list[str]]] = {}

    def add(account: str, service: str, item: str) -> None:
        out.setdefault(account, {}).setdefault(service, []).append(item)

    for account in list(ec2_backends.keys()):
        for region, b in list(ec2_backends[account].items()):
            for vpc in list(b.vpcs.values()):
                if not vpc.is_default:
                    add(account, "ec2:vpc", vpc.id)
            for zone in list(b.subnets.values()):
                for subnet in list(zone.values()):
                    if not subnet.default_for_az:
                        add(account, "ec2:subnet", subnet.id)
            for endpoint in list(b.vpc_end_points.values()):
                if endpoint.state != "deleted":
                    add(account, "ec2:vpc-endpoint", f"{endpoint.id} {endpoint.service_name}")
            for groups in list(b.groups.values()):
                for group in list(groups.values()):
                    if group.name != "default":
                        add(account, "ec2:security-group", f"{group.id} {group.name}")
    for account in list(iam_backends.keys()):
        iam = iam_backends[account]["aws"]
        for role in list(iam.roles.values()):
            if not role.path.startswith("/aws-service-role/"):
                add(account, "iam:role", role.name)
        for policy in list(iam.managed_policies.values()):
            if not policy.arn.startswith("arn:aws:iam::aws:"):
                add(account, "iam:policy", policy.name)
        for provider in list(iam.open_id_providers.values()):
            add(account, "iam:oidc-provider", provider.arn)
    for account in list(s3_backends.keys()):
        for bucket in list(s3_backends[account]["aws"].buckets.values()):
            if bucket.account_id == account:
                add(account, "s3:bucket", bucket.name)
    for account in list(sqs_backends.keys()):
        for region, b in list(sqs_backends[account].items()):
            for queue in list(b.queues.values()):
                add(account, "sqs:queue", queue.name)
    for account in list(lambda_backends.keys()):
        for region, b in list(lambda_backends[account].items()):
            for fn in list(b.list_functions()):
                add(account, "lambda:function", fn.function_name)
    for account in list(events_backends.keys()):
        for region, b in list(events_backends[account].items()):
            for bus in list(b.event_buses.values()):
                if bus.name != "default":
                    add(account, "events:bus", bus.name)
                for rule in list(bus.rules.values()):
                    add(account, "events:rule", f"{bus.name}/{rule.name}")
    for account in list(kms_backends.keys()):
        for region, b in list(kms_backends[account].items()):
            for key in list(b.keys.values()):
                if key.key_state not in ("PendingDeletion", "Disabled") and key.key_manager != "AWS":
                    add(account, "kms:key", key.id)
    for account in list(logs_backends.keys()):
        for region, b in list(logs_backends[account].items()):
            for group in list(b.groups.values()):
                add(account, "logs:log-group", group.name)
    for account in list(ram_backends.keys()):
        for region, b in list(ram_backends[account].items()):
            for share in list(b.resource_shares):
                if share.status != "DELETED":
                    add(account, "ram:resource-share", share.name)
    for (account, region, name), env in list(emulator.mwaa.environments.items()):
        add(account, "mwaa:environment", f"{name} {env['Status']}")
    from moto.ecr.models import ecr_backends
    from moto.eks.models import eks_backends

    for account in list(eks_backends.keys()):
        for region, b in list(eks_backends[account].items()):
            for cluster in list(b.clusters.values()):
                add(account, "eks:cluster", cluster.name)
                for group in list(cluster.nodegroups.values()):
                    add(account, "eks:nodegroup", f"{cluster.name}/{group.nodegroup_name}")
    for (account, region, cluster, principal) in list(emulator.eks_ecr.entries.keys()):
        add(account, "eks:access-entry", f"{cluster} {principal}")
    for (account, region, cluster, addon) in list(emulator.eks_ecr.addons.keys()):
        add(account, "eks:addon", f"{cluster}/{addon}")
    for (registry, region, prefix) in list(emulator.eks_ecr.cache_rules.keys()):
        add(registry, "ecr:pull-through-cache-rule", prefix)
    for account in list(ecr_backends.keys()):
        for region, b in list(ecr_backends[account].items()):
            for repository in list(b.repositories.values()):
                add(account, "ecr:repository", repository.name)
    for (account, region, name) in list(emulator.codeartifact.domains.keys()):
        add(account, "codeartifact:domain", name)
    for (account, region, domain, name) in list(emulator.codeartifact.repositories.keys()):
        add(account, "codeartifact:repository", f"{domain}/{name}")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description="moto's server plus the platform's emulator extension, on 127.0.0.1 only")
    parser.add_argument("--port", type=int, default=4566)
    args = parser.parse_args()
    server = make_server(LOOPBACK, args.port, Emulator(), threaded=True)
    print(f"emulator: listening on http://{LOOPBACK}:{server.server_port}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()

"""Where stock moto 5.2.1 differs from AWS in ways the platform runs into; each fix names the gap.

- EventBridge: an event forwarded to another account's bus loses its account, resources and id (moto
  rebuilds it); AWS delivers it unchanged. A Lambda target raises NotImplementedError (moto would need
  Docker); here the invocation is recorded for the local runner of the function's code.
- RAM: ListResourceSharePermissions is missing (404), so Terraform's aws_ram_resource_share read fails.
- RAM: GetResourceShares ignores resourceShareArns.
- RAM: AssociateResourceShare and DisassociateResourceShare are missing (404).
- RAM: no tags at all (TagResource/UntagResource 404, tags of CreateResourceShare dropped, none returned).
- IAM/S3 policy conditions: a statement whose condition does not match denies (whatever its Effect) instead of
  not applying, so a bucket policy's `Deny … Bool aws:SecureTransport=false` denies every request. Clients reach the emulator over plain HTTP in
  place of AWS's HTTPS endpoints, so requests are evaluated as AWS would see them: over TLS.
- EC2: a security group created in a VPC another account shares through RAM gets no default egress rule (moto
  looks the VPC up in the creating account only), so Terraform's revoke of that rule fails with
  InvalidPermission.NotFound.
- EC2: a security group rule that references a group or a prefix list loses its description (moto keeps
  descriptions of CIDR rules only), so every re-plan wants to set it again.
- Lambda: DeadLetterConfig and LoggingConfig are accepted but never returned by GetFunction, so every re-plan
  wants to set them again (and the provider's state loses the dead-letter queue the endpoint manager uses).
"""

from __future__ import annotations

import json
from typing import Any, Callable

from werkzeug.wrappers import Request, Response

_record: Callable[[str, dict[str, Any]], None] | None = None


def apply(record_invocation: Callable[[str, dict[str, Any]], None]) -> None:
    global _record
    _record = record_invocation
    from moto.events.models import Rule

    if getattr(Rule.send_to_targets, "_emulator", False):
        return
    _shared_vpc_security_groups()
    _security_group_rule_descriptions()
    _lambda_configuration_echo()
    _requests_over_tls()
    original = Rule.send_to_targets

    def send_to_targets(self: Any, event: dict[str, Any], transform_input: bool = True) -> None:
        if not self.event_pattern.matches_event(event) or self.state != "ENABLED":
            return
        others = []
        for target in self.targets:
            arn = target["Arn"]
            parts = arn.split(":")
            if parts[2] == "lambda":
                if _record is not None:
                    _record(arn, json.loads(json.dumps(event)))
            elif parts[2] == "events" and parts[5].startswith("event-bus/"):
                from moto.events.models import events_backends

                deliver(events_backends[parts[4]][parts[3]], parts[5].split("/", 1)[1], event)
            else:
                others.append(target)
        if others:
            kept = self.targets
            self.targets = others
            try:
                original(self, event, transform_input)
            finally:
                self.targets = kept

    send_to_targets._emulator = True  # type: ignore[attr-defined]
    Rule.send_to_targets = send_to_targets


def deliver(backend: Any, bus_name: str, event: dict[str, Any]) -> None:
    """An event arriving on a bus, as AWS delivers it: every matching rule of that bus, the event unchanged."""
    bus = backend.event_buses.get(bus_name)
    if bus is None:
        return
    for rule in list(bus.rules.values()):
        rule.send_to_targets(event)


_ram_tags: dict[str, dict[str, str]] = {}


def intercept(environ: dict[str, Any], moto_app: Any = None) -> Any:
    """A WSGI app for the requests moto gets wrong, or None to let moto answer."""
    auth = environ.get("HTTP_AUTHORIZATION", "")
    if "/ram/aws4_request" not in auth:
        return None
    path = environ.get("PATH_INFO", "")
    if path == "/listresourcesharepermissions":
        return _ram_share_permissions
    if path == "/getresourceshares":
        return _ram_get_resource_shares
    if path in ("/associateresourceshare", "/disassociateresourceshare"):
        return _ram_associate
    if path in ("/tagresource", "/untagresource"):
        return _ram_tag
    if path == "/createresourceshare" and moto_app is not None:
        return lambda env, start: _ram_create(moto_app, env, start)
    return None


def _account(environ: dict[str, Any]) -> tuple[str, str]:
    from moto.iam.models import get_account_id_from

    credential = environ["HTTP_AUTHORIZATION"].split("Credential=")[1].split("/")
    return get_account_id_from(credential[0]), credential[2]


def _ram_share_permissions(environ: dict[str, Any], start_response: Any) -> Any:
    from moto.ram.models import ram_backends

    request = Request(environ)
    body = json.loads(request.get_data() or b"{}")
    account, region = _account(environ)
    arn = body.get("resourceShareArn", "")
    shares = [s for s in ram_backends[account][region].resource_shares if s.arn == arn]
    if not shares:
        response = Response(json.dumps({"message": f"ResourceShare {arn} could not be found."}), status=400, headers={"x-amzn-ErrorType": "UnknownResourceException", "Content-Type": "application/json"})
        return response(environ, start_response)
    permission = {
        "arn": "arn:aws:ram::aws:permission/AWSRAMDefaultPermissionSubnet",
        "version": "1",
        "defaultVersion": True,
        "name": "AWSRAMDefaultPermissionSubnet",
        "resourceType": "ec2:Subnet",
        "status": "ASSOCIATED",
        "isResourceTypeDefault": True,
        "permissionType": "AWS_MANAGED",
    }
    return Response(json.dumps({"permissions": [permission]}), headers={"Content-Type": "application/json"})(environ, start_response)


def _ram_get_resource_shares(environ: dict[str, Any], start_response: Any) -> Any:
    from moto.ram.models import ram_backends

    request = Request(environ)
    raw = request.get_data()
    body = json.loads(raw or b"{}")
    wanted = body.get("resourceShareArns")
    account, region = _account(environ)
    backend = ram_backends[account][region]
    owner = body.get("resourceOwner", "SELF")
    shares = [s.describe() for s in backend.resource_shares if (owner != "SELF" or s.owning_account_id == account)]
    if wanted:
        shares = [s for s in shares if s["resourceShareArn"] in wanted]
    for share in shares:
        share["tags"] = [{"key": k, "value": v} for k, v in sorted(_ram_tags.get(share["resourceShareArn"], {}).items())]
    if body.get("resourceShareStatus"):
        shares = [s for s in shares if s["status"] == body["resourceShareStatus"]]
    if body.get("name"):
        shares = [s for s in shares if s["name"] == body["name"]]
    return Response(json.dumps({"resourceShares": shares}, default=str), headers={"Content-Type": "application/json"})(environ, start_response)


def _ram_associate(environ: dict[str, Any], start_response: Any) -> Any:
    from moto.ram.models import ram_backends

    request = Request(environ)
    body = json.loads(request.get_data() or b"{}")
    account, region = _account(environ)
    arn = body.get("resourceShareArn", "")
    shares = [s for s in ram_backends[account][region].resource_shares if s.arn == arn and s.status != "DELETED"]
    if not shares:
        return Response(json.dumps({"message": f"ResourceShare {arn} could not be found."}), status=400, headers={"x-amzn-ErrorType": "UnknownResourceException", "Content-Type": "application/json"})(environ, start_response)
    share = shares[0]
    associate = request.path == "/associateresourceshare"
    out = []
    for kind, items, target in (("PRINCIPAL", body.get("principals") or [], share.principals), ("RESOURCE", body.get("resourceArns") or [], share.resource_arns)):
        for item in items:
            if associate and item not in target:
                target.append(item)
            if not associate and item in target:
                target.remove(item)
            out.append({"resourceShareArn": arn, "resourceShareName": share.name, "associatedEntity": item, "associationType": kind, "status": "ASSOCIATED" if associate else "DISASSOCIATED", "external": kind == "PRINCIPAL"})
    payload = {"resourceShareAssociations": out}
    if body.get("clientToken"):
        payload["clientToken"] = body["clientToken"]
    return Response(json.dumps(payload), headers={"Content-Type": "application/json"})(environ, start_response)


def _shared_vpc_security_groups() -> None:
    from moto.ec2.models import ec2_backends
    from moto.ec2.models.security_groups import SecurityGroup, SecurityGroupRule

    original = SecurityGroup.__init__

    def __init__(self: Any, ec2_backend: Any, group_id: str, name: str, description: str, vpc_id: str | None = None, *args: Any, **kwargs: Any) -> None:
        original(self, ec2_backend, group_id, name, description, vpc_id, *args, **kwargs)
        if not vpc_id or vpc_id in ec2_backend.vpcs or self.egress_rules:
            return
        region = ec2_backend.region_name
        shared = any(vpc_id in ec2_backends[a][region].vpcs for a in list(ec2_backends.keys()) if region in ec2_backends[a])
        if shared:
            self.egress_rules.append(SecurityGroupRule(ec2_backend, "-1", self.id, None, None, {"CidrIp": "0.0.0.0/0"}))

    SecurityGroup.__init__ = __init__  # type: ignore[method-assign]


def _ram_tag(environ: dict[str, Any], start_response: Any) -> Any:
    request = Request(environ)
    body = json.loads(request.get_data() or b"{}")
    arn = body.get("resourceShareArn") or body.get("resourceArn") or ""
    tags = _ram_tags.setdefault(arn, {})
    if request.path == "/tagresource":
        tags.update({t["key"]: t["value"] for t in body.get("tags", [])})
    else:
        for key in body.get("tagKeys", []):
            tags.pop(key, None)
    return Response("{}", headers={"Content-Type": "application/json"})(environ, start_response)


def _ram_create(moto_app: Any, environ: dict[str, Any], start_response: Any) -> Any:
    import io

    from werkzeug.test import run_wsgi_app

    raw = Request(environ).get_data()
    environ["wsgi.input"] = io.BytesIO(raw)
    environ["CONTENT_LENGTH"] = str(len(raw))
    app_iter, status, headers = run_wsgi_app(moto_app, environ)
    out = b"".join(app_iter)
    try:
        arn = json.loads(out)["resourceShare"]["resourceShareArn"]
        _ram_tags[arn] = {t["key"]: t["value"] for t in json.loads(raw or b"{}").get("tags", [])}
    except (ValueError, KeyError, TypeError):
        pass
    start_response(status, list(headers.items()))
    return [out]


def _requests_over_tls() -> None:
    from moto.iam.access_control import IAMPolicyStatement, PermissionResult

    permitted = IAMPolicyStatement.is_action_permitted

    def transport_condition_applies(condition: dict[str, Any]) -> bool | None:
        """Whether a `Bool aws:SecureTransport` condition matches a request over TLS; None for any other condition."""
        if set(condition) != {"Bool"} or set(condition["Bool"]) != {"aws:SecureTransport"}:
            return None
        values = condition["Bool"]["aws:SecureTransport"]
        values = values if isinstance(values, list) else [values]
        return any(str(v).lower() == "true" for v in values)

    def is_action_permitted(self: Any, action: str, resource: str = "*", principal: str | None = None, incoming: dict[str, str] | None = None) -> Any:
        condition = self._statement.get("Condition")
        if condition:
            applies = transport_condition_applies(condition)
            if applies is False:
                return PermissionResult.NEUTRAL  # the statement does not apply (AWS); moto would deny
            if applies:
                return permitted(type(self)({k: v for k, v in self._statement.items() if k != "Condition"}), action, resource, principal, incoming)
        return permitted(self, action, resource, principal, incoming)

    IAMPolicyStatement.is_action_permitted = is_action_permitted  # type: ignore[method-assign]


def _security_group_rule_descriptions() -> None:
    from moto.ec2.models.security_groups import SecurityGroupRule

    original = SecurityGroupRule.__init__

    def __init__(self: Any, ec2_backend: Any, ip_protocol: str, group_id: str, from_port: Any, to_port: Any, ip_range: Any, source_group: Any = None, prefix_list_id: Any = None, *args: Any, **kwargs: Any) -> None:
        original(self, ec2_backend, ip_protocol, group_id, from_port, to_port, ip_range, source_group, prefix_list_id, *args, **kwargs)
        for origin in (source_group, prefix_list_id):
            if origin and origin.get("Description") and "Description" not in self.ip_range:
                # ModifySecurityGroupRules writes descriptions into ip_range too, so that is the one place.
                self.ip_range = {**self.ip_range, "Description": origin["Description"]}

    SecurityGroupRule.__init__ = __init__  # type: ignore[method-assign]


_LAMBDA_ECHOED = ("DeadLetterConfig", "LoggingConfig")


def _lambda_configuration_echo() -> None:
    from moto.awslambda.models import LambdaFunction

    original_init = LambdaFunction.__init__
    original_get = LambdaFunction.get_configuration
    original_update = LambdaFunction.update_configuration

    def __init__(self: Any, account_id: str, spec: dict[str, Any], *args: Any, **kwargs: Any) -> None:
        original_init(self, account_id, spec, *args, **kwargs)
        name = spec.get("FunctionName", "")
        self._emulator_echo = {k: spec[k] for k in _LAMBDA_ECHOED if spec.get(k)}
        if "LoggingConfig" not in self._emulator_echo:
            # What Lambda returns for a function created without one: text logs to /aws/lambda/<name>.
            self._emulator_echo["LoggingConfig"] = {"LogFormat": "Text", "LogGroup": f"/aws/lambda/{name}"}

    def get_configuration(self: Any, on_create: bool = False) -> dict[str, Any]:
        config = original_get(self, on_create)
        config.update(getattr(self, "_emulator_echo", {}))
        return config

    def update_configuration(self: Any, config_updates: dict[str, Any]) -> dict[str, Any]:
        echo = getattr(self, "_emulator_echo", {})
        for key in _LAMBDA_ECHOED:
            if key in config_updates:
                echo[key] = config_updates[key]
        self._emulator_echo = echo
        return original_update(self, config_updates)

    LambdaFunction.__init__ = __init__  # type: ignore[method-assign]
    LambdaFunction.get_configuration = get_configuration  # type: ignore[method-assign]
    LambdaFunction.update_configuration = update_configuration  # type: ignore[method-assign]

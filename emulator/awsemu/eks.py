"""EKS and ECR calls a team with EKS needs and moto 5.2.1 lacks, in front of moto's own EKS and ECR backends.

- EKS access entries (Create/Describe/Update/Delete/List), access policy associations (Associate/List/
  Disassociate) and add-ons (Create/Describe/Update/Delete/List), parsed and validated from botocore's `eks`
  model, on clusters that exist in moto's EKS backend; deleting a cluster deletes them, as in EKS.
- The cluster's `accessConfig`, which moto drops: CreateCluster's is kept and returned by DescribeCluster.
- ECR pull-through cache rules (Create/Describe/Update/Delete/Validate), validated from botocore's `ecr` model.
Every other EKS and ECR call goes to moto unchanged.
"""

from __future__ import annotations

import io
import json
import threading
import time
import uuid
from typing import Any
from urllib.parse import urlsplit

from werkzeug.test import run_wsgi_app
from werkzeug.wrappers import Request, Response

from .restjson import ApiError, ServiceModel

EKS_OPERATIONS = {
    "CreateAccessEntry", "DescribeAccessEntry", "UpdateAccessEntry", "DeleteAccessEntry", "ListAccessEntries",
    "AssociateAccessPolicy", "ListAssociatedAccessPolicies", "DisassociateAccessPolicy",
    "CreateAddon", "DescribeAddon", "UpdateAddon", "DeleteAddon", "ListAddons",
}  # fmt: skip
ECR_TARGET = "AmazonEC2ContainerRegistry_V20150921."
ECR_OPERATIONS = {"CreatePullThroughCacheRule", "DescribePullThroughCacheRules", "UpdatePullThroughCacheRule", "DeletePullThroughCacheRule", "ValidatePullThroughCacheRule"}
# What `AddonVersion` EKS picks when none is asked for (the emulator knows one per add-on it is asked about).
DEFAULT_ADDON_VERSION = "v1.19.2-eksbuild.1"


def _raw_path(environ: dict[str, Any]) -> str:
    """The path as sent: ARNs in path labels arrive percent-encoded (`role%2FName`), and must stay one label."""
    raw = environ.get("RAW_URI") or environ.get("REQUEST_URI") or environ.get("PATH_INFO", "")
    return urlsplit(raw).path if raw.startswith("http") else raw.split("?", 1)[0]


def _json(status: int, body: Any, error: str | None = None) -> Response:
    headers = {"Content-Type": "application/json"}
    if error:
        headers["x-amzn-ErrorType"] = error
    return Response(json.dumps(body, default=str), status=status, headers=headers)


class EksEcrBackend:
    def __init__(self) -> None:
        self.eks = ServiceModel("eks")
        self.ecr = ServiceModel("ecr")
        self.entries: dict[tuple[str, str, str, str], dict[str, Any]] = {}  # (account, region, cluster, principal)
        self.associations: dict[tuple[str, str, str, str], dict[str, dict[str, Any]]] = {}
        self.addons: dict[tuple[str, str, str, str], dict[str, Any]] = {}  # (account, region, cluster, addon)
        self.access_configs: dict[tuple[str, str, str], dict[str, Any]] = {}
        self.cache_rules: dict[tuple[str, str, str], dict[str, Any]] = {}  # (registry, region, prefix)
        self.lock = threading.RLock()

    # ---- WSGI -------------------------------------------------------------------------------------
    def intercept(self, service: str, account: str, region: str, environ: dict[str, Any], moto_app: Any) -> Any:
        """A WSGI app for the calls handled here, or None to let moto answer."""
        if service == "eks":
            try:
                operation, uri = self.eks.route(environ["REQUEST_METHOD"], _raw_path(environ))
            except ApiError:
                return None
            if operation in EKS_OPERATIONS:
                return lambda env, start: self._eks(operation, uri, account, region, Request(env))(env, start)
            if operation in ("CreateCluster", "DescribeCluster", "DeleteCluster"):
                return lambda env, start: self._cluster(operation, uri, account, region, env, start, moto_app)
            return None
        if service == "ecr":
            target = environ.get("HTTP_X_AMZ_TARGET", "")
            operation = target[len(ECR_TARGET) :] if target.startswith(ECR_TARGET) else ""
            if operation in ECR_OPERATIONS:
                return lambda env, start: self._ecr(operation, account, region, Request(env))(env, start)
        return None

    def _eks(self, operation: str, uri: dict[str, str], account: str, region: str, request: Request) -> Response:
        try:
            params = self.eks.parse(operation, uri, request.query_string.decode(), request.headers, request.get_data())
            with self.lock:
                self._cluster_exists(account, region, params["clusterName"])
                status, headers, body = self.eks.response(operation, getattr(self, operation)(account, region, params))
            return Response(body, status=status, headers=headers)
        except ApiError as error:
            return _json(error.status, {"message": error.message}, error.code)

    def _ecr(self, operation: str, account: str, region: str, request: Request) -> Response:
        try:
            params = json.loads(request.get_data() or b"{}")
            self.ecr.validate(self.ecr.model["operations"][operation]["input"]["shape"], params, "")
            with self.lock:
                out = getattr(self, operation)(params.get("registryId") or account, region, params)
            return _json(200, out)
        except ApiError as error:
            return _json(error.status, {"__type": error.code, "message": error.message}, error.code)

    def _cluster(self, operation: str, uri: dict[str, str], account: str, region: str, environ: dict[str, Any], start: Any, moto_app: Any) -> Any:
        raw = Request(environ).get_data()
        environ["wsgi.input"] = io.BytesIO(raw)
        environ["CONTENT_LENGTH"] = str(len(raw))
        app_iter, status, headers = run_wsgi_app(moto_app, environ)
        out = b"".join(app_iter)
        if status.startswith("2"):
            name = uri.get("name") or json.loads(raw or b"{}").get("name", "")
            key = (account, region, name)
            with self.lock:
                if operation == "CreateCluster":
                    asked = json.loads(raw or b"{}").get("accessConfig") or {}
                    # EKS's defaults: the aws-auth ConfigMap, and the creator an administrator.
                    self.access_configs[key] = {
                        "authenticationMode": asked.get("authenticationMode", "CONFIG_MAP"),
                        "bootstrapClusterCreatorAdminPermissions": asked.get("bootstrapClusterCreatorAdminPermissions", True),
                    }
                if operation == "DeleteCluster":
                    self.access_configs.pop(key, None)
                    for store in (self.entries, self.associations, self.addons):
                        for k in [k for k in store if k[:3] == key]:
                            del store[k]
                if operation in ("CreateCluster", "DescribeCluster") and key in self.access_configs:
                    body = json.loads(out)
                    # DescribeCluster returns the mode only; bootstrapClusterCreatorAdminPermissions is create-time.
                    body["cluster"]["accessConfig"] = {"authenticationMode": self.access_configs[key]["authenticationMode"]}
                    out = json.dumps(body).encode()
            headers = [(k, v) for k, v in headers.items() if k.lower() != "content-length"] + [("Content-Length", str(len(out)))]
        else:
            headers = list(headers.items())
        start(status, headers)
        return [out]

    # ---- EKS --------------------------------------------------------------------------------------
    @staticmethod
    def _cluster_exists(account: str, region: str, name: str) -> Any:
        from moto.eks.models import eks_backends

        cluster = eks_backends[account][region].clusters.get(name)
        if cluster is None:
            raise ApiError("ResourceNotFoundException", f"No cluster found for name: {name}.", 404)
        return cluster

    def _entry(self, account: str, region: str, p: dict[str, Any]) -> dict[str, Any]:
        entry = self.entries.get((account, region, p["clusterName"], p["principalArn"]))
        if entry is None:
            raise ApiError("ResourceNotFoundException", f"The specified principalArn could not be found. You can view your available access entries with 'list-access-entries'.", 404)
        return entry

    def CreateAccessEntry(self, account: str, region: str, p: dict[str, Any]) -> dict[str, Any]:
        key = (account, region, p["clusterName"], p["principalArn"])
        if key in self.entries:
            raise ApiError("ResourceInUseException", f"The specified access entry resource is already in use on this cluster.", 409)
        principal = p["principalArn"]
        kind = p.get("type", "STANDARD")
        if kind not in ("STANDARD", "FARGATE_LINUX", "EC2_LINUX", "EC2_WINDOWS"):
            raise ApiError("InvalidParameterException", f"The type {kind} is not supported.")
        # EKS also refuses a principal that does not exist; the emulator does not check that (moto accepts missing
        # principals everywhere; docs/emulated-aws.md says how to check it in a real account).
        parts = principal.split(":")
        if len(parts) != 6 or parts[2] != "iam" or not parts[5].startswith(("role/", "user/")):
            raise ApiError("InvalidParameterException", f"The principalArn parameter format is not valid: {principal}")
        name = parts[5].split("/")[-1]
        now = time.time()
        entry = {
            "clusterName": p["clusterName"],
            "principalArn": principal,
            "kubernetesGroups": p.get("kubernetesGroups", []),
            "accessEntryArn": f"arn:aws:eks:{region}:{account}:access-entry/{p['clusterName']}/{parts[5].split('/')[0]}/{parts[4]}/{name}/{uuid.uuid4()}",
            "createdAt": now,
            "modifiedAt": now,
            "tags": p.get("tags", {}),
            "username": p.get("username") or (f"arn:aws:sts::{parts[4]}:assumed-role/{name}/{{{{SessionName}}}}" if parts[5].startswith("role/") else principal),
            "type": kind,
        }
        self.entries[key] = entry
        return {"accessEntry": entry}

    def DescribeAccessEntry(self, account: str, region: str, p: dict[str, Any]) -> dict[str, Any]:
        return {"accessEntry": self._entry(account, region, p)}

    def UpdateAccessEntry(self, account: str, region: str, p: dict[str, Any]) -> dict[str, Any]:
        entry = self._entry(account, region, p)
        for key in ("kubernetesGroups", "username"):
            if key in p:
                entry[key] = p[key]
        entry["modifiedAt"] = time.time()
        return {"accessEntry": entry}

    def DeleteAccessEntry(self, account: str, region: str, p: dict[str, Any]) -> dict[str, Any]:
        self._entry(account, region, p)
        key = (account, region, p["clusterName"], p["principalArn"])
        del self.entries[key]
        self.associations.pop(key, None)
        return {}

    def ListAccessEntries(self, account: str, region: str, p: dict[str, Any]) -> dict[str, Any]:
        return {"accessEntries": sorted(k[3] for k in self.entries if k[:3] == (account, region, p["clusterName"]))}

    def AssociateAccessPolicy(self, account: str, region: str, p: dict[str, Any]) -> dict[str, Any]:
        self._entry(account, region, p)
        if not p["policyArn"].startswith("arn:aws:eks::aws:cluster-access-policy/"):
            raise ApiError("InvalidParameterException", f"The policyArn {p['policyArn']} is not a valid access policy ARN.")
        scope = p["accessScope"]
        if scope.get("type") == "namespace" and not scope.get("namespaces"):
            raise ApiError("InvalidParameterException", "namespaces must be specified for a namespace access scope")
        if scope.get("type") == "cluster" and scope.get("namespaces"):
            raise ApiError("InvalidParameterException", "namespaces cannot be specified for a cluster access scope")
        now = time.time()
        policies = self.associations.setdefault((account, region, p["clusterName"], p["principalArn"]), {})
        previous = policies.get(p["policyArn"])
        policies[p["policyArn"]] = {
            "policyArn": p["policyArn"],
            "accessScope": {"type": scope["type"], "namespaces": scope.get("namespaces", [])},
            "associatedAt": previous["associatedAt"] if previous else now,
            "modifiedAt": now,
        }
        return {"clusterName": p["clusterName"], "principalArn": p["principalArn"], "associatedAccessPolicy": policies[p["policyArn"]]}

    def ListAssociatedAccessPolicies(self, account: str, region: str, p: dict[str, Any]) -> dict[str, Any]:
        self._entry(account, region, p)
        policies = self.associations.get((account, region, p["clusterName"], p["principalArn"]), {})
        return {"clusterName": p["clusterName"], "principalArn": p["principalArn"], "associatedAccessPolicies": list(policies.values())}

    def DisassociateAccessPolicy(self, account: str, region: str, p: dict[str, Any]) -> dict[str, Any]:
        self._entry(account, region, p)
        policies = self.associations.get((account, region, p["clusterName"], p["principalArn"]), {})
        if policies.pop(p["policyArn"], None) is None:
            raise ApiError("ResourceNotFoundException", f"The access policy {p['policyArn']} is not associated with the access entry.", 404)
        return {}

    def _addon(self, account: str, region: str, p: dict[str, Any]) -> dict[str, Any]:
        addon = self.addons.get((account, region, p["clusterName"], p["addonName"]))
        if addon is None:
            raise ApiError("ResourceNotFoundException", f"No addon: {p['addonName']} found in cluster: {p['clusterName']}", 404)
        return addon

    def CreateAddon(self, account: str, region: str, p: dict[str, Any]) -> dict[str, Any]:
        from moto.iam.models import iam_backends

        key = (account, region, p["clusterName"], p["addonName"])
        if key in self.addons:
            raise ApiError("ResourceInUseException", f"Addon already exists.", 409)
        role = p.get("serviceAccountRoleArn")
        if role and not any(r.arn == role for r in iam_backends[role.split(":")[4]]["aws"].roles.values()):
            raise ApiError("InvalidParameterException", f"The serviceAccountRoleArn {role} does not exist")
        now = time.time()
        addon = {
            "addonName": p["addonName"],
            "clusterName": p["clusterName"],
            "status": "ACTIVE",
            "addonVersion": p.get("addonVersion") or DEFAULT_ADDON_VERSION,
            "health": {"issues": []},
            "addonArn": f"arn:aws:eks:{region}:{account}:addon/{p['clusterName']}/{p['addonName']}/{uuid.uuid4()}",
            "createdAt": now,
            "modifiedAt": now,
            "tags": p.get("tags", {}),
            "configurationValues": p.get("configurationValues", ""),
            "podIdentityAssociations": [],
        }
        if role:
            addon["serviceAccountRoleArn"] = role
        self.addons[key] = addon
        return {"addon": addon}

    def DescribeAddon(self, account: str, region: str, p: dict[str, Any]) -> dict[str, Any]:
        return {"addon": self._addon(account, region, p)}

    def UpdateAddon(self, account: str, region: str, p: dict[str, Any]) -> dict[str, Any]:
        addon = self._addon(account, region, p)
        for key in ("addonVersion", "serviceAccountRoleArn", "configurationValues"):
            if key in p:
                addon[key] = p[key]
        addon["modifiedAt"] = time.time()
        update = {"id": str(uuid.uuid4()), "status": "Successful", "type": "AddonUpdate", "params": [], "createdAt": time.time(), "errors": []}
        return {"update": update}

    def DeleteAddon(self, account: str, region: str, p: dict[str, Any]) -> dict[str, Any]:
        addon = self._addon(account, region, p)
        del self.addons[(account, region, p["clusterName"], p["addonName"])]
        return {"addon": {**addon, "status": "DELETING"}}

    def ListAddons(self, account: str, region: str, p: dict[str, Any]) -> dict[str, Any]:
        return {"addons": sorted(k[3] for k in self.addons if k[:3] == (account, region, p["clusterName"]))}

    # ---- ECR pull-through cache -------------------------------------------------------------------
    def _rule(self, registry: str, region: str, prefix: str) -> dict[str, Any]:
        rule = self.cache_rules.get((registry, region, prefix))
        if rule is None:
            raise ApiError("PullThroughCacheRuleNotFoundException", f"The pull through cache rule with prefix '{prefix}' does not exist in the registry with id '{registry}'")
        return rule

    def CreatePullThroughCacheRule(self, registry: str, region: str, p: dict[str, Any]) -> dict[str, Any]:
        key = (registry, region, p["ecrRepositoryPrefix"])
        if key in self.cache_rules:
            raise ApiError("PullThroughCacheRuleAlreadyExistsException", f"A pull through cache rule with prefix '{p['ecrRepositoryPrefix']}' already exists in the registry with id '{registry}'")
        url = p["upstreamRegistryUrl"]
        registries = {"public.ecr.aws": "ecr-public", "registry.k8s.io": "k8s", "quay.io": "quay"}
        if url not in registries and not p.get("credentialArn"):
            raise ApiError("InvalidParameterException", f"Upstream registry {url} requires a credentialArn (only public.ecr.aws, registry.k8s.io and quay.io do not)")
        rule = {
            "ecrRepositoryPrefix": p["ecrRepositoryPrefix"],
            "upstreamRegistryUrl": url,
            "createdAt": time.time(),
            "updatedAt": time.time(),
            "registryId": registry,
            "upstreamRegistry": p.get("upstreamRegistry") or registries.get(url, "docker-hub"),
        }
        # Only what was asked: the provider reads an unset prefix back as unset (it is not computed, and forces a replacement).
        for key_ in ("credentialArn", "customRoleArn", "upstreamRepositoryPrefix"):
            if p.get(key_):
                rule[key_] = p[key_]
        self.cache_rules[key] = rule
        return {k: v for k, v in rule.items() if k != "updatedAt"}

    def DescribePullThroughCacheRules(self, registry: str, region: str, p: dict[str, Any]) -> dict[str, Any]:
        wanted = p.get("ecrRepositoryPrefixes")
        if wanted:
            return {"pullThroughCacheRules": [self._rule(registry, region, prefix) for prefix in wanted]}
        return {"pullThroughCacheRules": [r for (g, rg, _), r in self.cache_rules.items() if g == registry and rg == region]}

    def UpdatePullThroughCacheRule(self, registry: str, region: str, p: dict[str, Any]) -> dict[str, Any]:
        rule = self._rule(registry, region, p["ecrRepositoryPrefix"])
        for key in ("credentialArn", "customRoleArn"):
            if key in p:
                rule[key] = p[key]
        rule["updatedAt"] = time.time()
        return rule

    def DeletePullThroughCacheRule(self, registry: str, region: str, p: dict[str, Any]) -> dict[str, Any]:
        rule = self._rule(registry, region, p["ecrRepositoryPrefix"])
        del self.cache_rules[(registry, region, p["ecrRepositoryPrefix"])]
        return rule

    def ValidatePullThroughCacheRule(self, registry: str, region: str, p: dict[str, Any]) -> dict[str, Any]:
        rule = self._rule(registry, region, p["ecrRepositoryPrefix"])
        return {**rule, "isValid": True}

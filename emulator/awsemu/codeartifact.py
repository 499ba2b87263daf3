"""AWS CodeArtifact, emulated for what the owner stack's PyPI mirror uses: domains, repositories with an
external connection, domain and repository permissions policies, tags."""

from __future__ import annotations

import json
import threading
import time
import uuid
from typing import Any

from .restjson import ApiError, ServiceModel


def not_found(what: str) -> ApiError:
    return ApiError("ResourceNotFoundException", f"{what} not found", 404)


class CodeArtifactBackend:
    def __init__(self) -> None:
        self.model = ServiceModel("codeartifact")
        self.domains: dict[tuple[str, str, str], dict[str, Any]] = {}
        self.repositories: dict[tuple[str, str, str, str], dict[str, Any]] = {}
        self.tags: dict[str, dict[str, str]] = {}
        self.lock = threading.RLock()

    def handle(self, account: str, region: str, method: str, path: str, query: str, headers: Any, body: bytes) -> tuple[int, dict[str, str], bytes]:
        operation, uri = self.model.route(method, path)
        params = self.model.parse(operation, uri, query, headers, body)
        handler = getattr(self, operation, None)
        if handler is None:
            raise ApiError("UnsupportedOperation", f"the emulator does not implement CodeArtifact {operation}", 501)
        with self.lock:
            return self.model.response(operation, handler(account, region, params))

    def _domain(self, account: str, region: str, p: dict[str, Any]) -> dict[str, Any]:
        domain = self.domains.get((p.get("domainOwner") or account, region, p["domain"]))
        if domain is None:
            raise not_found(f"Domain {p['domain']}")
        return domain

    def _repository(self, account: str, region: str, p: dict[str, Any]) -> dict[str, Any]:
        repo = self.repositories.get((p.get("domainOwner") or account, region, p["domain"], p["repository"]))
        if repo is None:
            raise not_found(f"Repository {p['repository']} in domain {p['domain']}")
        return repo

    def _tags_out(self, arn: str) -> list[dict[str, str]]:
        return [{"key": k, "value": v} for k, v in sorted(self.tags.get(arn, {}).items())]

    # domains
    def CreateDomain(self, account: str, region: str, p: dict[str, Any]) -> dict[str, Any]:
        key = (account, region, p["domain"])
        if key in self.domains:
            raise ApiError("ConflictException", f"Domain {p['domain']} already exists", 409)
        arn = f"arn:aws:codeartifact:{region}:{account}:domain/{p['domain']}"
        self.domains[key] = {
            "name": p["domain"],
            "owner": account,
            "arn": arn,
            "status": "Active",
            "createdTime": time.time(),
            "encryptionKey": p.get("encryptionKey") or f"arn:aws:kms:{region}:{account}:key/{uuid.uuid4()}",
            "repositoryCount": 0,
            "assetSizeBytes": 0,
            "s3BucketArn": f"arn:aws:s3:::assets-{account}-{region}",
        }
        self.tags[arn] = {t["key"]: t["value"] for t in p.get("tags", [])}
        return {"domain": self.domains[key]}

    def DescribeDomain(self, account: str, region: str, p: dict[str, Any]) -> dict[str, Any]:
        return {"domain": self._domain(account, region, p)}

    def DeleteDomain(self, account: str, region: str, p: dict[str, Any]) -> dict[str, Any]:
        domain = self._domain(account, region, p)
        if domain["repositoryCount"]:
            raise ApiError("ConflictException", f"Domain {p['domain']} still has repositories", 409)
        del self.domains[(domain["owner"], region, domain["name"])]
        self.tags.pop(domain["arn"], None)
        return {"domain": domain}

    def ListDomains(self, account: str, region: str, p: dict[str, Any]) -> dict[str, Any]:
        return {"domains": [d for (a, r, _), d in self.domains.items() if a == account and r == region]}

    def PutDomainPermissionsPolicy(self, account: str, region: str, p: dict[str, Any]) -> dict[str, Any]:
        domain = self._domain(account, region, p)
        json.loads(p["policyDocument"])
        domain["_policy"] = {"resourceArn": domain["arn"], "document": p["policyDocument"], "revision": str(uuid.uuid4())}
        return {"policy": domain["_policy"]}

    def GetDomainPermissionsPolicy(self, account: str, region: str, p: dict[str, Any]) -> dict[str, Any]:
        domain = self._domain(account, region, p)
        if "_policy" not in domain:
            raise not_found(f"Permissions policy of domain {p['domain']}")
        return {"policy": domain["_policy"]}

    def DeleteDomainPermissionsPolicy(self, account: str, region: str, p: dict[str, Any]) -> dict[str, Any]:
        domain = self._domain(account, region, p)
        policy = domain.pop("_policy", None)
        if policy is None:
            raise not_found(f"Permissions policy of domain {p['domain']}")
        return {"policy": policy}

    # repositories
    def CreateRepository(self, account: str, region: str, p: dict[str, Any]) -> dict[str, Any]:
        domain = self._domain(account, region, p)
        key = (domain["owner"], region, p["domain"], p["repository"])
        if key in self.repositories:
            raise ApiError("ConflictException", f"Repository {p['repository']} already exists", 409)
        arn = f"arn:aws:codeartifact:{region}:{domain['owner']}:repository/{p['domain']}/{p['repository']}"
        self.repositories[key] = {
            "name": p["repository"],
            "administratorAccount": account,
            "domainName": p["domain"],
            "domainOwner": domain["owner"],
            "arn": arn,
            "description": p.get("description", ""),
            "upstreams": p.get("upstreams", []),
            "externalConnections": [],
            "createdTime": time.time(),
        }
        domain["repositoryCount"] += 1
        self.tags[arn] = {t["key"]: t["value"] for t in p.get("tags", [])}
        return {"repository": self._repo_out(self.repositories[key])}

    @staticmethod
    def _repo_out(repo: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in repo.items() if not k.startswith("_")}

    def DescribeRepository(self, account: str, region: str, p: dict[str, Any]) -> dict[str, Any]:
        return {"repository": self._repo_out(self._repository(account, region, p))}

    def UpdateRepository(self, account: str, region: str, p: dict[str, Any]) -> dict[str, Any]:
        repo = self._repository(account, region, p)
        if "description" in p:
            repo["description"] = p["description"]
        if "upstreams" in p:
            repo["upstreams"] = p["upstreams"]
        return {"repository": self._repo_out(repo)}

    def DeleteRepository(self, account: str, region: str, p: dict[str, Any]) -> dict[str, Any]:
        repo = self._repository(account, region, p)
        del self.repositories[(repo["domainOwner"], region, repo["domainName"], repo["name"])]
        self.domains[(repo["domainOwner"], region, repo["domainName"])]["repositoryCount"] -= 1
        self.tags.pop(repo["arn"], None)
        return {"repository": self._repo_out(repo)}

    def ListRepositories(self, account: str, region: str, p: dict[str, Any]) -> dict[str, Any]:
        return {"repositories": [self._repo_out(r) for (a, rg, _, _), r in self.repositories.items() if a == account and rg == region]}

    def AssociateExternalConnection(self, account: str, region: str, p: dict[str, Any]) -> dict[str, Any]:
        repo = self._repository(account, region, p)
        if p["externalConnection"] not in ("public:pypi", "public:npmjs", "public:maven-central", "public:nuget-org"):
            raise ApiError("ValidationException", f"external connection {p['externalConnection']} is not supported by the emulator")
        if repo["externalConnections"]:
            raise ApiError("ConflictException", "repository already has an external connection", 409)
        repo["externalConnections"] = [{"externalConnectionName": p["externalConnection"], "packageFormat": p["externalConnection"].split(":")[1].replace("pypi", "pypi"), "status": "Available"}]
        return {"repository": self._repo_out(repo)}

    def DisassociateExternalConnection(self, account: str, region: str, p: dict[str, Any]) -> dict[str, Any]:
        repo = self._repository(account, region, p)
        repo["externalConnections"] = [c for c in repo["externalConnections"] if c["externalConnectionName"] != p["externalConnection"]]
        return {"repository": self._repo_out(repo)}

    def PutRepositoryPermissionsPolicy(self, account: str, region: str, p: dict[str, Any]) -> dict[str, Any]:
        repo = self._repository(account, region, p)
        json.loads(p["policyDocument"])
        repo["_policy"] = {"resourceArn": repo["arn"], "document": p["policyDocument"], "revision": str(uuid.uuid4())}
        return {"policy": repo["_policy"]}

    def GetRepositoryPermissionsPolicy(self, account: str, region: str, p: dict[str, Any]) -> dict[str, Any]:
        repo = self._repository(account, region, p)
        if "_policy" not in repo:
            raise not_found(f"Permissions policy of repository {p['repository']}")
        return {"policy": repo["_policy"]}

    def DeleteRepositoryPermissionsPolicy(self, account: str, region: str, p: dict[str, Any]) -> dict[str, Any]:
        repo = self._repository(account, region, p)
        policy = repo.pop("_policy", None)
        if policy is None:
            raise not_found(f"Permissions policy of repository {p['repository']}")
        return {"policy": policy}

    # tags
    def ListTagsForResource(self, account: str, region: str, p: dict[str, Any]) -> dict[str, Any]:
        return {"tags": self._tags_out(p["resourceArn"])}

    def TagResource(self, account: str, region: str, p: dict[str, Any]) -> dict[str, Any]:
        self.tags.setdefault(p["resourceArn"], {}).update({t["key"]: t["value"] for t in p["tags"]})
        return {}

    def UntagResource(self, account: str, region: str, p: dict[str, Any]) -> dict[str, Any]:
        for key in p["tagKeys"]:
            self.tags.get(p["resourceArn"], {}).pop(key, None)
        return {}

    def GetRepositoryEndpoint(self, account: str, region: str, p: dict[str, Any]) -> dict[str, Any]:
        repo = self._repository(account, region, p)
        return {"repositoryEndpoint": f"https://{repo['domainName']}-{repo['domainOwner']}.d.codeartifact.{region}.amazonaws.com/{p['format']}/{repo['name']}/"}

"""EKS access entries, access policy associations, add-ons, the cluster's accessConfig and ECR pull-through cache
rules (awsemu/eks.py), through boto3 against the running server: what a team with EKS applies."""

from __future__ import annotations

import json
import urllib.request

import pytest
from botocore.exceptions import ClientError

from test_mwaa import REGION, TEAM, session

ADMIN = f"arn:aws:iam::{TEAM}:role/ClusterAdmins"
POLICY = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy"


@pytest.fixture(scope="module")
def cluster(server):
    s = session(server, TEAM)
    ec2 = s.client("ec2", endpoint_url=server)
    vpc = ec2.create_vpc(CidrBlock="10.70.0.0/16")["Vpc"]["VpcId"]
    subnets = [ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.70.{i}.0/24", AvailabilityZone=f"{REGION}{z}")["Subnet"]["SubnetId"] for i, z in ((1, "a"), (2, "b"))]
    eks = s.client("eks", endpoint_url=server)
    created = eks.create_cluster(
        name="analytics", roleArn=f"arn:aws:iam::{TEAM}:role/eks", resourcesVpcConfig={"subnetIds": subnets},
        accessConfig={"authenticationMode": "API", "bootstrapClusterCreatorAdminPermissions": False},
    )["cluster"]
    assert created["accessConfig"] == {"authenticationMode": "API"}
    return {"eks": eks, "ecr": s.client("ecr", endpoint_url=server), "server": server}


def test_cluster_returns_its_access_config(cluster):
    assert cluster["eks"].describe_cluster(name="analytics")["cluster"]["accessConfig"] == {"authenticationMode": "API"}


def test_access_entry_and_policy_association_lifecycle(cluster):
    eks = cluster["eks"]
    entry = eks.create_access_entry(clusterName="analytics", principalArn=ADMIN, type="STANDARD")["accessEntry"]
    assert entry["principalArn"] == ADMIN and entry["type"] == "STANDARD"
    assert eks.describe_access_entry(clusterName="analytics", principalArn=ADMIN)["accessEntry"]["accessEntryArn"] == entry["accessEntryArn"]
    assert eks.list_access_entries(clusterName="analytics")["accessEntries"] == [ADMIN]
    eks.associate_access_policy(clusterName="analytics", principalArn=ADMIN, policyArn=POLICY, accessScope={"type": "cluster"})
    listed = eks.list_associated_access_policies(clusterName="analytics", principalArn=ADMIN)["associatedAccessPolicies"]
    assert [(p["policyArn"], p["accessScope"]["type"]) for p in listed] == [(POLICY, "cluster")]
    eks.disassociate_access_policy(clusterName="analytics", principalArn=ADMIN, policyArn=POLICY)
    assert eks.list_associated_access_policies(clusterName="analytics", principalArn=ADMIN)["associatedAccessPolicies"] == []
    eks.delete_access_entry(clusterName="analytics", principalArn=ADMIN)
    with pytest.raises(ClientError) as error:
        eks.describe_access_entry(clusterName="analytics", principalArn=ADMIN)
    assert error.value.response["Error"]["Code"] == "ResourceNotFoundException"


def test_requests_are_validated_and_need_the_cluster(cluster):
    eks = cluster["eks"]
    with pytest.raises(ClientError) as error:
        eks.create_access_entry(clusterName="nowhere", principalArn=ADMIN)
    assert error.value.response["Error"]["Code"] == "ResourceNotFoundException"
    eks.create_access_entry(clusterName="analytics", principalArn=f"{ADMIN}-2")
    with pytest.raises(ClientError) as error:
        eks.associate_access_policy(clusterName="analytics", principalArn=f"{ADMIN}-2", policyArn=POLICY, accessScope={"type": "namespace"})
    assert error.value.response["Error"]["Code"] == "InvalidParameterException"


def test_addon_lifecycle(cluster):
    eks = cluster["eks"]
    addon = eks.create_addon(clusterName="analytics", addonName="vpc-cni", resolveConflicts="OVERWRITE")["addon"]
    assert addon["status"] == "ACTIVE" and addon["addonVersion"]
    assert eks.list_addons(clusterName="analytics")["addons"] == ["vpc-cni"]
    eks.update_addon(clusterName="analytics", addonName="vpc-cni", configurationValues="{}")
    assert eks.describe_addon(clusterName="analytics", addonName="vpc-cni")["addon"]["configurationValues"] == "{}"
    eks.delete_addon(clusterName="analytics", addonName="vpc-cni")
    assert eks.list_addons(clusterName="analytics")["addons"] == []


def test_pull_through_cache_rule_lifecycle(cluster):
    ecr = cluster["ecr"]
    ecr.create_pull_through_cache_rule(ecrRepositoryPrefix="ecr-public", upstreamRegistryUrl="public.ecr.aws")
    rules = ecr.describe_pull_through_cache_rules()["pullThroughCacheRules"]
    assert [(r["ecrRepositoryPrefix"], r["upstreamRegistryUrl"], r["registryId"]) for r in rules] == [("ecr-public", "public.ecr.aws", TEAM)]
    with pytest.raises(ClientError) as error:
        ecr.create_pull_through_cache_rule(ecrRepositoryPrefix="ecr-public", upstreamRegistryUrl="public.ecr.aws")
    assert error.value.response["Error"]["Code"] == "PullThroughCacheRuleAlreadyExistsException"
    with pytest.raises(ClientError) as error:
        ecr.create_pull_through_cache_rule(ecrRepositoryPrefix="hub", upstreamRegistryUrl="registry-1.docker.io")
    assert error.value.response["Error"]["Code"] == "InvalidParameterException"
    with urllib.request.urlopen(f"{cluster['server']}/_emulator/inventory") as r:
        assert "ecr-public" in json.load(r)[TEAM]["ecr:pull-through-cache-rule"]
    ecr.delete_pull_through_cache_rule(ecrRepositoryPrefix="ecr-public")
    assert ecr.describe_pull_through_cache_rules()["pullThroughCacheRules"] == []


def test_deleting_the_cluster_deletes_its_entries_and_addons(cluster):
    eks = cluster["eks"]
    eks.create_addon(clusterName="analytics", addonName="coredns")
    eks.delete_cluster(name="analytics")
    with urllib.request.urlopen(f"{cluster['server']}/_emulator/inventory") as r:
        held = json.load(r).get(TEAM, {})
    assert "eks:access-entry" not in held and "eks:addon" not in held

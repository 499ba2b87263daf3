"""The extension against the running server, through boto3 (what AWS clients send on the wire)."""

from __future__ import annotations

import json
import time
import urllib.parse
import urllib.request

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

REGION = "eu-west-1"
OWNER = "111111111111"
TEAM = "333333333333"
TRUST = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Principal": {"Service": ["airflow.amazonaws.com", "airflow-env.amazonaws.com"]}, "Action": "sts:AssumeRole"}],
}


def session(endpoint: str, account: str) -> boto3.Session:
    sts = boto3.client("sts", endpoint_url=endpoint, region_name=REGION, aws_access_key_id="x", aws_secret_access_key="x")
    c = sts.assume_role(RoleArn=f"arn:aws:iam::{account}:role/OrganizationAccountAccessRole", RoleSessionName="tests")["Credentials"]
    return boto3.Session(aws_access_key_id=c["AccessKeyId"], aws_secret_access_key=c["SecretAccessKey"], aws_session_token=c["SessionToken"], region_name=REGION)


@pytest.fixture(scope="module")
def world(server: str):
    owner = session(server, OWNER)
    team = session(server, TEAM)
    ec2 = owner.client("ec2", endpoint_url=server)
    vpc = ec2.create_vpc(CidrBlock="10.40.0.0/16")["Vpc"]["VpcId"]
    a = ec2.create_subnet(VpcId=vpc, CidrBlock="10.40.0.0/20", AvailabilityZone="eu-west-1a")["Subnet"]["SubnetId"]
    b = ec2.create_subnet(VpcId=vpc, CidrBlock="10.40.16.0/20", AvailabilityZone="eu-west-1b")["Subnet"]["SubnetId"]
    a2 = ec2.create_subnet(VpcId=vpc, CidrBlock="10.40.32.0/20", AvailabilityZone="eu-west-1a")["Subnet"]["SubnetId"]
    sg = ec2.create_security_group(GroupName="env", Description="env", VpcId=vpc)["GroupId"]
    iam = team.client("iam", endpoint_url=server)
    role = iam.create_role(RoleName="exec", AssumeRolePolicyDocument=json.dumps(TRUST))["Role"]["Arn"]
    lambda_only = iam.create_role(
        RoleName="wrong-trust",
        AssumeRolePolicyDocument=json.dumps({**TRUST, "Statement": [{**TRUST["Statement"][0], "Principal": {"Service": "lambda.amazonaws.com"}}]}),
    )["Role"]["Arn"]
    s3 = team.client("s3", endpoint_url=server)
    s3.create_bucket(Bucket="team-dags", CreateBucketConfiguration={"LocationConstraint": REGION})
    s3.put_bucket_versioning(Bucket="team-dags", VersioningConfiguration={"Status": "Enabled"})
    version = s3.put_object(Bucket="team-dags", Key="requirements.txt", Body=b"boto3\n")["VersionId"]
    s3.create_bucket(Bucket="team-unversioned", CreateBucketConfiguration={"LocationConstraint": REGION})
    events = team.client("events", endpoint_url=server)
    events.put_rule(Name="mwaa", EventPattern=json.dumps({"source": ["aws.airflow"], "detail-type": ["MWAA Environment Status Change"]}))
    # As the platform wires it: the team's rule forwards to the owner's bus, whose rule invokes a function.
    owner_events = owner.client("events", endpoint_url=server)
    owner_events.create_event_bus(Name="status")
    owner_events.put_rule(Name="manager", EventBusName="status", EventPattern=json.dumps({"source": ["aws.airflow"]}))
    owner_events.put_targets(Rule="manager", EventBusName="status", Targets=[{"Id": "fn", "Arn": f"arn:aws:lambda:{REGION}:{OWNER}:function:manager"}])
    events.put_targets(Rule="mwaa", Targets=[{"Id": "owner", "Arn": f"arn:aws:events:{REGION}:{OWNER}:event-bus/status", "RoleArn": role}])
    mwaa = team.client("mwaa", endpoint_url=server, config=Config(inject_host_prefix=False, parameter_validation=False))
    return {
        "server": server, "owner_ec2": ec2, "vpc": vpc, "subnets": [a, b], "same_az": [a, a2], "sg": sg, "role": role,
        "lambda_only": lambda_only, "version": version, "mwaa": mwaa
    }


def create_args(w, name: str, **overrides):
    args = dict(
        Name=name,
        ExecutionRoleArn=w["role"],
        SourceBucketArn="arn:aws:s3:::team-dags",
        DagS3Path="dags",
        NetworkConfiguration={"SubnetIds": w["subnets"], "SecurityGroupIds": [w["sg"]]},
        EndpointManagement="CUSTOMER",
        WebserverAccessMode="PRIVATE_ONLY",
        EnvironmentClass="mw1.small",
        MaxWorkers=2,
        RequirementsS3Path="requirements.txt",
        RequirementsS3ObjectVersion=w["version"],
    )
    args.update(overrides)
    return args


def wait_status(mwaa, name: str, status: str, timeout: float = 20) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        env = mwaa.get_environment(Name=name)["Environment"]
        if env["Status"] == status:
            return env
        time.sleep(0.2)
    raise AssertionError(f"{name} not {status}: {env['Status']}")


def invocations(w) -> list[dict]:
    with urllib.request.urlopen(f"{w['server']}/_emulator/invocations") as r:
        return json.load(r)


def statuses_logged(w, name: str) -> list[str]:
    return [i["event"]["detail"]["status"] for i in invocations(w) if i["event"]["detail"]["name"] == name]


def test_customer_environment_waits_in_pending_until_its_endpoints_exist_then_becomes_available(world):
    w = world
    arn = w["mwaa"].create_environment(**create_args(w, "life"))["Arn"]
    assert arn == f"arn:aws:airflow:{REGION}:{TEAM}:environment/life"
    assert w["mwaa"].get_environment(Name="life")["Environment"]["Status"] == "CREATING"
    env = wait_status(w["mwaa"], "life", "PENDING")
    time.sleep(1)
    assert w["mwaa"].get_environment(Name="life")["Environment"]["Status"] == "PENDING"
    for service in (env["DatabaseVpcEndpointService"], env["WebserverVpcEndpointService"]):
        w["owner_ec2"].create_vpc_endpoint(VpcId=w["vpc"], ServiceName=service, VpcEndpointType="Interface", SubnetIds=w["subnets"])
    wait_status(w["mwaa"], "life", "AVAILABLE")
    assert w["mwaa"].create_cli_token(Name="life")["WebServerHostname"] == env["WebserverUrl"]
    assert w["mwaa"].list_environments()["Environments"] == ["life"]

    w["mwaa"].update_environment(Name="life", MaxWorkers=3)
    assert w["mwaa"].get_environment(Name="life")["Environment"]["Status"] == "UPDATING"
    assert wait_status(w["mwaa"], "life", "AVAILABLE")["MaxWorkers"] == 3

    w["mwaa"].tag_resource(ResourceArn=arn, Tags={"Team": "marketing"})
    assert w["mwaa"].list_tags_for_resource(ResourceArn=arn)["Tags"] == {"Team": "marketing"}
    w["mwaa"].untag_resource(ResourceArn=arn, tagKeys=["Team"])
    assert w["mwaa"].list_tags_for_resource(ResourceArn=arn)["Tags"] == {}

    w["mwaa"].delete_environment(Name="life")
    assert w["mwaa"].get_environment(Name="life")["Environment"]["Status"] == "DELETING"
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            w["mwaa"].get_environment(Name="life")
            time.sleep(0.2)
        except ClientError as error:
            assert error.response["Error"]["Code"] == "ResourceNotFoundException"
            break
    else:
        raise AssertionError("life was not deleted")
    assert statuses_logged(w, "life") == ["CREATING", "PENDING", "AVAILABLE", "UPDATING", "AVAILABLE", "DELETING", "DELETED"]


def test_status_event_has_the_shape_mwaa_sends(world):
    w = world
    w["mwaa"].create_environment(**create_args(w, "shape", WebserverAccessMode="PUBLIC_ONLY"))
    wait_status(w["mwaa"], "shape", "PENDING")
    delivered = [i for i in invocations(w) if i["event"]["detail"]["name"] == "shape" and i["event"]["detail"]["status"] == "PENDING"]
    assert [i["functionArn"] for i in delivered] == [f"arn:aws:lambda:{REGION}:{OWNER}:function:manager"]
    pending = delivered[0]["event"]
    assert pending["source"] == "aws.airflow"
    assert pending["detail-type"] == "MWAA Environment Status Change"
    assert pending["account"] == TEAM and pending["region"] == REGION
    assert pending["resources"] == [f"arn:aws:airflow:{REGION}:{TEAM}:environment/shape"]
    detail = pending["detail"]
    assert detail["celeryExecutorQueue"].startswith(f"arn:aws:sqs:{REGION}:")
    assert ":airflow-celery-" in detail["celeryExecutorQueue"]
    assert detail["databaseVpcEndpointService"].startswith(f"com.amazonaws.vpce.{REGION}.vpce-svc-")
    assert "webserverVpcEndpointService" not in detail
    assert detail["webserverAccessMode"] == "PUBLIC_ONLY"
    assert detail["networkConfiguration"]["subnetIds"] == w["subnets"]


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"ExecutionRoleArn": f"arn:aws:iam::{TEAM}:role/missing"}, "Execution role arn:aws:iam::333333333333:role/missing does not exist."),
        ({"SourceBucketArn": "arn:aws:s3:::team-unversioned"}, "Source bucket team-unversioned must have versioning enabled."),
        ({"RequirementsS3ObjectVersion": "nope"}, "RequirementsS3ObjectVersion nope is not a version of s3://team-dags/requirements.txt."),
        ({"EnvironmentClass": "mw1.micro", "MaxWorkers": 2}, "for mw1.micro"),
        ({"EnvironmentClass": "mw1.micro", "MaxWorkers": 1, "Schedulers": 2}, "Schedulers 2 must be between 1 and 1 for mw1.micro."),
        ({"AirflowVersion": "1.10.12"}, "Airflow version 1.10.12 is not supported"),
    ],
)
def test_create_is_refused_with_mwaas_message(world, overrides, message):
    with pytest.raises(ClientError) as error:
        world["mwaa"].create_environment(**create_args(world, "refused", **overrides))
    assert error.value.response["Error"]["Code"] == "ValidationException"
    assert message in error.value.response["Error"]["Message"]


def test_execution_role_must_trust_mwaa(world):
    with pytest.raises(ClientError) as error:
        world["mwaa"].create_environment(**create_args(world, "refused", ExecutionRoleArn=world["lambda_only"]))
    assert "does not trust airflow.amazonaws.com" in error.value.response["Error"]["Message"]


def test_subnets_must_be_in_distinct_availability_zones(world):
    with pytest.raises(ClientError) as error:
        world["mwaa"].create_environment(
            **create_args(world, "refused", NetworkConfiguration={"SubnetIds": world["same_az"], "SecurityGroupIds": [world["sg"]]})
        )
    assert error.value.response["Error"]["Message"] == "Subnets must be in different Availability Zones."


def test_request_is_validated_against_the_api_model(world):
    with pytest.raises(ClientError) as error:
        world["mwaa"].create_environment(**create_args(world, "refused", EnvironmentClass="mw1.huge", MaxWorkers=0))
    message = error.value.response["Error"]["Message"]
    assert "MaxWorkers" in message and "greater than or equal to 1" in message


def test_unknown_environment_is_not_found(world):
    with pytest.raises(ClientError) as error:
        world["mwaa"].get_environment(Name="nobody")
    assert error.value.response["Error"]["Code"] == "ResourceNotFoundException"


def test_inventory_lists_what_exists_per_account(world):
    with urllib.request.urlopen(f"{world['server']}/_emulator/inventory") as r:
        inventory = json.load(r)
    assert world["vpc"] in inventory[OWNER]["ec2:vpc"]
    assert "team-dags" in inventory[TEAM]["s3:bucket"]


def test_a_create_mwaa_accepts_can_end_create_failed_with_its_error(world):
    message = "core.bogus_option is not a supported Airflow configuration option"
    query = urllib.parse.urlencode({"action": "CreateEnvironment", "phase": "creating", "code": "INCORRECT_CONFIGURATION", "message": message})
    urllib.request.urlopen(urllib.request.Request(f"{world['server']}/_emulator/faults?{query}", method="POST"))
    world["mwaa"].create_environment(**create_args(world, "fails"))
    env = wait_status(world["mwaa"], "fails", "CREATE_FAILED")
    assert env["LastUpdate"]["Status"] == "FAILED"
    assert env["LastUpdate"]["Error"] == {"ErrorCode": "INCORRECT_CONFIGURATION", "ErrorMessage": message}
    world["mwaa"].delete_environment(Name="fails")

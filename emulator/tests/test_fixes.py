"""The moto gaps the platform runs into, fixed in awsemu/fixes.py, through boto3 against the running server."""

from __future__ import annotations

from botocore.exceptions import ClientError

from test_mwaa import OWNER, REGION, TEAM, session


def test_ram_share_keeps_tags_associations_and_permissions(server):
    ram = session(server, OWNER).client("ram", endpoint_url=server)
    arn = ram.create_resource_share(name="subnets", allowExternalPrincipals=False, tags=[{"key": "Platform", "value": "acme"}])["resourceShare"]["resourceShareArn"]
    ram.create_resource_share(name="other")
    ram.associate_resource_share(resourceShareArn=arn, principals=[TEAM])
    ram.associate_resource_share(resourceShareArn=arn, resourceArns=[f"arn:aws:ec2:{REGION}:{OWNER}:subnet/subnet-1"])
    shares = ram.get_resource_shares(resourceOwner="SELF", resourceShareArns=[arn])["resourceShares"]
    assert [s["name"] for s in shares] == ["subnets"]
    assert shares[0]["tags"] == [{"key": "Platform", "value": "acme"}]
    ram.tag_resource(resourceShareArn=arn, tags=[{"key": "Team", "value": "x"}])
    ram.untag_resource(resourceShareArn=arn, tagKeys=["Platform"])
    assert ram.get_resource_shares(resourceOwner="SELF", resourceShareArns=[arn])["resourceShares"][0]["tags"] == [{"key": "Team", "value": "x"}]
    principals = ram.get_resource_share_associations(associationType="PRINCIPAL", resourceShareArns=[arn])["resourceShareAssociations"]
    assert [a["associatedEntity"] for a in principals] == [TEAM]
    assert ram.list_resource_share_permissions(resourceShareArn=arn)["permissions"][0]["name"] == "AWSRAMDefaultPermissionSubnet"
    ram.disassociate_resource_share(resourceShareArn=arn, principals=[TEAM])
    assert ram.get_resource_share_associations(associationType="PRINCIPAL", resourceShareArns=[arn])["resourceShareAssociations"] == []


def test_security_group_in_a_shared_vpc_has_the_default_egress_rule_to_revoke(server):
    vpc = session(server, OWNER).client("ec2", endpoint_url=server).create_vpc(CidrBlock="10.50.0.0/16")["Vpc"]["VpcId"]
    ec2 = session(server, TEAM).client("ec2", endpoint_url=server)
    group = ec2.create_security_group(GroupName="in-shared-vpc", Description="d", VpcId=vpc)["GroupId"]
    ec2.revoke_security_group_egress(GroupId=group, IpPermissions=[{"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}])
    try:
        ec2.revoke_security_group_egress(GroupId=group, IpPermissions=[{"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}])
        raise AssertionError("the rule was revoked twice")
    except ClientError as error:
        assert error.response["Error"]["Code"] == "InvalidPermission.NotFound"



def test_bucket_policy_denying_insecure_transport_lets_requests_through(server):
    import json

    s3 = session(server, TEAM).client("s3", endpoint_url=server)
    s3.create_bucket(Bucket="tls-only", CreateBucketConfiguration={"LocationConstraint": REGION})
    deny = {"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": ["arn:aws:s3:::tls-only", "arn:aws:s3:::tls-only/*"]}
    s3.put_bucket_policy(Bucket="tls-only", Policy=json.dumps({"Version": "2012-10-17", "Statement": [{**deny, "Sid": "TlsOnly", "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]}))
    s3.put_object(Bucket="tls-only", Key="dags/a.py", Body=b"x")
    assert s3.get_object(Bucket="tls-only", Key="dags/a.py")["Body"].read() == b"x"


def test_security_group_rules_keep_descriptions_of_group_and_prefix_list_references(server):
    ec2 = session(server, TEAM).client("ec2", endpoint_url=server)
    vpc = ec2.create_vpc(CidrBlock="10.60.0.0/16")["Vpc"]["VpcId"]
    group = ec2.create_security_group(GroupName="described", Description="d", VpcId=vpc)["GroupId"]
    prefix_list = ec2.describe_prefix_lists()["PrefixLists"][0]["PrefixListId"]
    ec2.authorize_security_group_ingress(GroupId=group, IpPermissions=[{"IpProtocol": "-1", "UserIdGroupPairs": [{"GroupId": group, "Description": "self"}]}])
    ec2.authorize_security_group_egress(
        GroupId=group,
        IpPermissions=[{"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "PrefixListIds": [{"PrefixListId": prefix_list, "Description": "to S3"}]}],
    )
    rules = ec2.describe_security_group_rules(Filters=[{"Name": "group-id", "Values": [group]}])["SecurityGroupRules"]
    assert sorted(r.get("Description", "") for r in rules) == ["", "self", "to S3"]  # "" is the default egress rule


def test_lambda_returns_its_dead_letter_and_logging_configuration(server):
    import io
    import zipfile

    iam = session(server, OWNER).client("iam", endpoint_url=server)
    role = iam.create_role(RoleName="fn-echo", AssumeRolePolicyDocument='{"Version":"2012-10-17","Statement":[]}')["Role"]["Arn"]
    code = io.BytesIO()
    with zipfile.ZipFile(code, "w") as z:
        z.writestr("index.js", "exports.handler = async () => 1;")
    lam = session(server, OWNER).client("lambda", endpoint_url=server)
    dlq = f"arn:aws:sqs:{REGION}:{OWNER}:fn-echo-dlq"
    lam.create_function(
        FunctionName="fn-echo", Runtime="nodejs20.x", Role=role, Handler="index.handler", Code={"ZipFile": code.getvalue()},
        DeadLetterConfig={"TargetArn": dlq}, LoggingConfig={"LogFormat": "JSON", "LogGroup": "/aws/lambda/fn-echo"},
    )
    config = lam.get_function(FunctionName="fn-echo")["Configuration"]
    assert config["DeadLetterConfig"] == {"TargetArn": dlq}
    assert config["LoggingConfig"] == {"LogFormat": "JSON", "LogGroup": "/aws/lambda/fn-echo"}
    lam.update_function_configuration(FunctionName="fn-echo", DeadLetterConfig={"TargetArn": f"{dlq}-2"})
    assert lam.get_function_configuration(FunctionName="fn-echo")["DeadLetterConfig"] == {"TargetArn": f"{dlq}-2"}

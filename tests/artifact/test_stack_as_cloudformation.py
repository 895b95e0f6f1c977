"""template.yaml as CloudFormation sees it: what the translated stack says, what moto creates from it,
and what cfn-lint finds (nothing). An emulator drops some of these properties (moto ignores the
function's architecture, the table's TTL, the trigger's EventSourceToken, the public access block),
so they are asserted on the translated template itself."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import boto3

import lambda_stack
from lambda_stack import of_type, the_function
from support import REPO

#: Alexa waits 8 s for an answer: the function must give up before that.
ALEXA_WAITS_S = 8
#: What the function may do to a table's items (the adapter in lambda/dropday/aws.py).
ITEM_ACTIONS = {"dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem"}
BASIC_EXECUTION_ROLE = "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"


def as_list(value):
    return value if isinstance(value, list) else [value]


def test_the_function_runs_python_3_12_on_arm64_and_gives_up_before_alexa_does(cloudformation):
    _, function = the_function(cloudformation)
    assert function["Runtime"] == "python3.12"
    assert function["Architectures"] == ["arm64"]
    assert function["Timeout"] < ALEXA_WAITS_S
    assert function["Handler"] == "lambda_function.lambda_handler"
    assert (REPO / "lambda" / "lambda_function.py").is_file()


def test_only_the_skill_named_by_the_skill_id_parameter_may_invoke_the_function(cloudformation):
    name, _ = the_function(cloudformation)
    [permission] = [r["Properties"] for r in of_type(cloudformation, "AWS::Lambda::Permission").values()]
    assert permission == {"Action": "lambda:InvokeFunction", "FunctionName": {"Ref": name},
                          "Principal": "alexa-appkit.amazon.com", "EventSourceToken": {"Ref": "SkillId"}}
    assert "SkillId" in cloudformation["Parameters"]


def test_listener_state_expires_on_the_attribute_the_skill_writes_and_costs_nothing_when_idle(cloudformation):
    from dropday.aws import EXPIRES_AT

    table = cloudformation["Resources"]["StateTable"]["Properties"]
    assert table["TimeToLiveSpecification"] == {"AttributeName": EXPIRES_AT, "Enabled": True}
    assert table["BillingMode"] == "PAY_PER_REQUEST"
    assert table["PointInTimeRecoverySpecification"] == {"PointInTimeRecoveryEnabled": True}
    assert table["KeySchema"] == [{"AttributeName": "id", "KeyType": "HASH"}]
    _, function = the_function(cloudformation)
    assert function["Environment"]["Variables"]["SKILL_STATE_TABLE"] == {"Ref": "StateTable"}


def test_the_function_may_only_read_and_write_items_of_the_stacks_own_tables(cloudformation):
    # GIVEN the role the function runs with
    _, function = the_function(cloudformation)
    role_name = function["Role"]["Fn::GetAtt"][0]
    role = cloudformation["Resources"][role_name]["Properties"]
    tables = set(of_type(cloudformation, "AWS::DynamoDB::Table"))
    # THEN besides writing its logs, it may only use the item actions on those tables
    assert role["ManagedPolicyArns"] == [BASIC_EXECUTION_ROLE]
    statements = [s for policy in role["Policies"] for s in as_list(policy["PolicyDocument"]["Statement"])]
    granted: dict[str, set[str]] = {}
    for statement in statements:
        assert statement["Effect"] == "Allow" and "NotAction" not in statement and "NotResource" not in statement
        for resource in as_list(statement["Resource"]):
            assert isinstance(resource, dict) and list(resource) == ["Fn::GetAtt"], f"not a table of the stack: {resource}"
            table, attribute = resource["Fn::GetAtt"]
            assert table in tables and attribute == "Arn"
            granted.setdefault(table, set()).update(as_list(statement["Action"]))
    assert granted["StateTable"] == ITEM_ACTIONS
    assert all(actions <= ITEM_ACTIONS for actions in granted.values())


def test_the_clips_bucket_is_private_and_read_only_through_cloudfront_over_https(cloudformation):
    resources = cloudformation["Resources"]
    [(bucket_name, bucket)] = of_type(cloudformation, "AWS::S3::Bucket").items()
    assert bucket["Properties"]["PublicAccessBlockConfiguration"] == {
        "BlockPublicAcls": True, "BlockPublicPolicy": True, "IgnorePublicAcls": True, "RestrictPublicBuckets": True}
    # the bucket policy lets only CloudFront, for this distribution, read clips; nothing without TLS
    [policy] = of_type(cloudformation, "AWS::S3::BucketPolicy").values()
    assert policy["Properties"]["Bucket"] == {"Ref": bucket_name}
    allowed = [s for s in policy["Properties"]["PolicyDocument"]["Statement"] if s["Effect"] == "Allow"]
    [distribution_name] = of_type(cloudformation, "AWS::CloudFront::Distribution")
    assert [(s["Principal"], s["Action"]) for s in allowed] == [({"Service": "cloudfront.amazonaws.com"},
                                                                 "s3:GetObject")]
    assert f"distribution/${{{distribution_name}}}" in json.dumps(allowed[0]["Condition"]["StringEquals"])
    denied = [s for s in policy["Properties"]["PolicyDocument"]["Statement"] if s["Effect"] == "Deny"]
    assert [s["Condition"] for s in denied] == [{"Bool": {"aws:SecureTransport": "false"}}]
    # the distribution signs its requests to the bucket with an origin access control, serves HTTPS only
    [(control_name, control)] = of_type(cloudformation, "AWS::CloudFront::OriginAccessControl").items()
    config = control["Properties"]["OriginAccessControlConfig"]
    assert (config["OriginAccessControlOriginType"], config["SigningBehavior"], config["SigningProtocol"]) == \
        ("s3", "always", "sigv4")
    distribution = resources[distribution_name]["Properties"]["DistributionConfig"]
    [origin] = distribution["Origins"]
    assert origin["OriginAccessControlId"] == {"Fn::GetAtt": [control_name, "Id"]}
    assert origin["DomainName"] == {"Fn::GetAtt": [bucket_name, "RegionalDomainName"]}
    assert origin["S3OriginConfig"] == {"OriginAccessIdentity": ""}
    assert distribution["DefaultCacheBehavior"]["ViewerProtocolPolicy"] == "https-only"


def test_the_functions_logs_go_to_its_log_group_kept_as_long_as_the_parameter_says(cloudformation):
    [(group_name, group)] = of_type(cloudformation, "AWS::Logs::LogGroup").items()
    assert group["Properties"]["RetentionInDays"] == {"Ref": "LogRetentionDays"}
    retention = cloudformation["Parameters"]["LogRetentionDays"]
    assert retention["Default"] in retention["AllowedValues"]
    _, function = the_function(cloudformation)
    assert function["LoggingConfig"] == {"LogGroup": {"Ref": group_name}}


def test_cfn_lint_finds_nothing_in_the_template_or_in_its_translation(cloudformation, tmp_path):
    translated = tmp_path / "translated.json"
    translated.write_text(json.dumps(cloudformation, indent=1))
    cfn_lint = Path(sys.executable).parent / "cfn-lint"
    for template in (REPO / "template.yaml", translated):
        done = subprocess.run([str(cfn_lint), "--", str(template)], capture_output=True, text=True, timeout=300)
        assert (done.returncode, done.stdout + done.stderr) == (0, ""), template.name


def test_the_stack_is_created_on_moto_with_its_function_table_log_group_and_trigger_wired(stack, moto_endpoint,
                                                                                          cloudformation):
    # GIVEN the translated stack created on moto's CloudFormation (CloudFront, the alarms and the secret left
    # out: moto cannot create them)
    assert stack.status == "CREATE_COMPLETE"
    connection = {"endpoint_url": moto_endpoint, "region_name": lambda_stack.REGION,
                  "aws_access_key_id": "local", "aws_secret_access_key": "local"}
    function_name, properties = the_function(cloudformation)
    dynamodb = boto3.client("dynamodb", **connection)
    table = dynamodb.describe_table(TableName=stack.resources["StateTable"])["Table"]
    tables = {name: dynamodb.describe_table(TableName=stack.resources[name])["Table"]["TableArn"]
              for name in of_type(cloudformation, "AWS::DynamoDB::Table")}
    # THEN the function finds the table CloudFormation made, under the name the outputs give
    assert stack.environment["SKILL_STATE_TABLE"] == table["TableName"] == stack.outputs["StateTableName"]
    assert stack.outputs["SkillFunctionArn"] == stack.function["FunctionArn"]
    assert [v for v in stack.environment.values() if "${" in v or "{{resolve:" in v] == [], "left unresolved"
    assert (stack.function["Runtime"], stack.function["Handler"]) == (properties["Runtime"], properties["Handler"])
    assert table["KeySchema"] == [{"AttributeName": "id", "KeyType": "HASH"}]
    assert table["BillingModeSummary"]["BillingMode"] == "PAY_PER_REQUEST"
    # AND its role may use exactly the stack's tables: listener state item by item, draw entries without reading them
    iam = boto3.client("iam", **connection)
    role_name = stack.resources[properties["Role"]["Fn::GetAtt"][0]]
    [policy_name] = iam.list_role_policies(RoleName=role_name)["PolicyNames"]
    document = iam.get_role_policy(RoleName=role_name, PolicyName=policy_name)["PolicyDocument"]
    if isinstance(document, str):  # moto hands back the policy CloudFormation gave it as a Python repr
        document = ast.literal_eval(document)
    granted = {s["Resource"]: set(as_list(s["Action"])) for s in document["Statement"]}
    assert sorted(granted) == sorted(tables.values())
    assert granted[table["TableArn"]] == ITEM_ACTIONS
    assert "dynamodb:GetItem" not in granted[tables["DrawTable"]]
    # AND its log group exists with the default retention
    [group] = boto3.client("logs", **connection).describe_log_groups(
        logGroupNamePrefix=f"/aws/lambda/{stack.name}")["logGroups"]
    assert group["retentionInDays"] == cloudformation["Parameters"]["LogRetentionDays"]["Default"]
    # AND the dashboard CloudFormation filled in is JSON that shows the stack's alarms
    [(dashboard_name, _)] = of_type(cloudformation, "AWS::CloudWatch::Dashboard").items()
    body = json.loads(boto3.client("cloudwatch", **connection).get_dashboard(
        DashboardName=stack.resources[dashboard_name])["DashboardBody"])
    [shown] = [w["properties"]["alarms"] for w in body["widgets"] if w["type"] == "alarm"]
    alarm_names = [alarm["Properties"]["AlarmName"]["Fn::Sub"].replace("${AWS::StackName}", stack.name)
                   for alarm in of_type(cloudformation, "AWS::CloudWatch::Alarm").values()]
    assert sorted(arn.partition(f"arn:aws:cloudwatch:{lambda_stack.REGION}:")[2].partition(":alarm:")[2]
                  for arn in shown) == sorted(alarm_names)
    # AND Alexa may invoke it
    policy = json.loads(boto3.client("lambda", **connection).get_policy(
        FunctionName=stack.resources[function_name])["Policy"])
    assert [(s["Principal"], s["Action"]) for s in policy["Statement"]] == [("alexa-appkit.amazon.com",
                                                                             "lambda:InvokeFunction")]

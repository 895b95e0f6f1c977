"""template.yaml as CloudFormation sees it: translated offline by aws-sam-translator (the library
`sam deploy` and the AWS::Serverless transform use), and created on a moto server."""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from support import REPO

TEMPLATE = REPO / "template.yaml"
REGION = "eu-west-1"
#: Where `sam deploy` would have uploaded the function's zip (CodeUri becomes this S3 object).
CODE_BUCKET, CODE_KEY = "dropday-deploy-artifacts", "skill-function.zip"
SKILL_ID = "amzn1.ask.skill.11111111-2222-3333-4444-555555555555"
#: CloudFront is not created on moto (see `without_cloudfront`): the clips' base URL is given instead.
AUDIO_BASE_URL = "https://audio.dropday.test"
STACK_NAME = "dropday-artifact-test"
#: What moto cannot create: CloudFront (it skips the distribution, and a `!GetAtt` of it crashes its
#: CloudFormation), and the bucket policy, whose condition names the distribution.
CLOUDFRONT_RESOURCES = ("AudioDistribution", "AudioOriginAccessControl", "AudioBucketPolicy")
#: Resource types moto's CloudFormation skips with a warning: a `${X.Arn}` of one fails the whole
#: stack ("Fn::GetAtt references undefined resource"), a `${X}` is left unresolved.
MOTO_SKIPS = ("AWS::CloudWatch::Alarm", "AWS::SecretsManager::Secret")
#: The listener-key secret's value on moto, where no secret is generated (CloudFormation resolves
#: `{{resolve:secretsmanager:...}}` to the generated one at deploy time).
LISTENER_KEY_SECRET = "artifact-test-listener-key-0123456789"


def sam_template() -> dict[str, Any]:
    """template.yaml as a dict, with the short intrinsic tags (`!Ref`...) in their long form."""
    from samtranslator.yaml_helper import yaml_parse
    return yaml_parse(TEMPLATE.read_text(encoding="utf-8"))


def translate(parameters: dict[str, Any] | None = None) -> dict[str, Any]:
    """template.yaml transformed into plain CloudFormation, offline, as `sam deploy` would send it
    (CodeUri replaced by the S3 object `sam package` uploads; no managed-policy lookups)."""
    import boto3
    from samtranslator.parser.parser import Parser
    from samtranslator.translator.translator import Translator

    template = sam_template()
    for resource in template["Resources"].values():
        if resource["Type"] == "AWS::Serverless::Function":
            resource["Properties"]["CodeUri"] = f"s3://{CODE_BUCKET}/{CODE_KEY}"
    translator = Translator(None, Parser(), boto_session=boto3.session.Session(region_name=REGION))
    return translator.translate(template, parameter_values={"SkillId": SKILL_ID, **(parameters or {})},
                                get_managed_policy_map=lambda: {})


def of_type(template: dict[str, Any], kind: str) -> dict[str, dict[str, Any]]:
    """The template's resources of type `kind`, by logical id."""
    return {name: r for name, r in template["Resources"].items() if r["Type"] == kind}


def the_function(template: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """The skill's Lambda function: (logical id, properties)."""
    [(name, function)] = of_type(template, "AWS::Lambda::Function").items()
    return name, function["Properties"]


def for_moto(template: dict[str, Any]) -> dict[str, Any]:
    """A copy of the translated template that moto's CloudFormation can create.

    moto has no CloudFront in its CloudFormation: it skips the distribution and crashes on a
    `!GetAtt` of it. So the CloudFront resources and the bucket policy that names the distribution
    are left out, with the outputs that refer to them, and the function serves the clips from the
    `AudioBaseUrl` parameter instead of the distribution's domain. It has no CloudWatch alarms nor
    Secrets Manager secrets either: the alarms are left out and the dashboard names them by the ARN
    CloudFormation gives an alarm; the secret is left out and the function gets a fixed key where
    CloudFormation would resolve the generated one. What is left out is checked on the translated
    template itself (tests/artifact/test_stack_as_cloudformation.py, tests/metrics/).
    """
    trimmed = copy.deepcopy(template)
    for name in CLOUDFRONT_RESOURCES:
        trimmed["Resources"].pop(name, None)
    trimmed["Outputs"] = {k: v for k, v in trimmed.get("Outputs", {}).items()
                          if not _refers_to(v, CLOUDFRONT_RESOURCES)}
    _, function = the_function(trimmed)
    variables = function["Environment"]["Variables"]
    for key, value in variables.items():
        if _refers_to(value, CLOUDFRONT_RESOURCES):
            variables[key] = {"Ref": "AudioBaseUrl"}
    skipped = {name: r for name, r in trimmed["Resources"].items() if r["Type"] in MOTO_SKIPS}
    for name in skipped:
        del trimmed["Resources"][name]
    trimmed = _resolved(trimmed, skipped)
    left_out = (*CLOUDFRONT_RESOURCES, *skipped)
    leftover = [name for name, r in trimmed["Resources"].items() if _refers_to(r, left_out)]
    assert not leftover, f"{leftover} refer to {left_out}, which moto cannot create: leave them out here too"
    return trimmed


def alarm_arn(alarm: dict[str, Any]) -> str:
    """The ARN CloudFormation gives `alarm` (`!GetAtt X.Arn`), as a `!Sub` string."""
    name = alarm["Properties"]["AlarmName"]
    assert isinstance(name, dict) and isinstance(name.get("Fn::Sub"), str), f"an AlarmName moto can't name: {name}"
    return "arn:${AWS::Partition}:cloudwatch:${AWS::Region}:${AWS::AccountId}:alarm:" + name["Fn::Sub"]


def _resolved(value: Any, skipped: dict[str, dict[str, Any]]) -> Any:
    """`value` with the `!Sub` references to the resources moto skips replaced by what CloudFormation
    would put there: an alarm's ARN, the listener-key secret's value."""
    if isinstance(value, list):
        return [_resolved(item, skipped) for item in value]
    if not isinstance(value, dict):
        return value
    if isinstance(value.get("Fn::Sub"), str) and len(value) == 1:
        text = value["Fn::Sub"]
        for name, resource in skipped.items():
            if resource["Type"] == "AWS::CloudWatch::Alarm":
                text = text.replace(f"${{{name}.Arn}}", alarm_arn(resource))
            else:
                text = text.replace(f"{{{{resolve:secretsmanager:${{{name}}}:SecretString}}}}", LISTENER_KEY_SECRET)
        return {"Fn::Sub": text}
    return {key: _resolved(item, skipped) for key, item in value.items()}


def _refers_to(value: Any, names: tuple[str, ...]) -> bool:
    text = json.dumps(value)
    return any(f'"{name}"' in text or f"${{{name}." in text or f"${{{name}}}" in text for name in names)


@dataclass
class Stack:
    """The stack as moto's CloudFormation created it."""

    name: str
    status: str
    outputs: dict[str, str]
    resources: dict[str, str]  # logical id -> physical id
    function: dict[str, Any]   # Lambda's GetFunction configuration

    @property
    def environment(self) -> dict[str, str]:
        """The function's environment variables as CloudFormation resolved them (all text, as in Lambda)."""
        return {k: str(v) for k, v in (self.function.get("Environment") or {}).get("Variables", {}).items()}


def create_on_moto(template: dict[str, Any], endpoint: str, code_zip: Path) -> Stack:
    """Upload the function's zip and create the stack from `template` on the moto server at `endpoint`."""
    import boto3

    connection = {"endpoint_url": endpoint, "region_name": REGION, "aws_access_key_id": "local",
                  "aws_secret_access_key": "local"}
    s3 = boto3.client("s3", **connection)
    s3.create_bucket(Bucket=CODE_BUCKET, CreateBucketConfiguration={"LocationConstraint": REGION})
    s3.upload_file(str(code_zip), CODE_BUCKET, CODE_KEY)
    cloudformation = boto3.client("cloudformation", **connection)
    cloudformation.create_stack(
        StackName=STACK_NAME, TemplateBody=json.dumps(template), Capabilities=["CAPABILITY_IAM"],
        Parameters=[{"ParameterKey": "SkillId", "ParameterValue": SKILL_ID},
                    {"ParameterKey": "AudioBaseUrl", "ParameterValue": AUDIO_BASE_URL}])
    [described] = cloudformation.describe_stacks(StackName=STACK_NAME)["Stacks"]
    resources = {r["LogicalResourceId"]: r["PhysicalResourceId"] for r in
                 cloudformation.list_stack_resources(StackName=STACK_NAME)["StackResourceSummaries"]}
    function_name, _ = the_function(template)
    function = boto3.client("lambda", **connection).get_function(
        FunctionName=resources[function_name])["Configuration"] if function_name in resources else {}
    return Stack(STACK_NAME, described["StackStatus"],
                 {o["OutputKey"]: o["OutputValue"] for o in described.get("Outputs", [])}, resources, function)

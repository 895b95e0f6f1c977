"""The floor for `benchmarks/floor.py`: the least a skill can do on the stack dropday's issues
require, so that a cold-start target can be judged against what that stack itself costs.

What it keeps: the ASK SDK's `CustomSkillBuilder` with one handler; DynamoDB through botocore's
client exactly as `dropday.aws.make_dynamodb_client` makes it (only the built-in handlers that can
fire for DynamoDB, the loader told that only DynamoDB exists, botocore's data cut down to DynamoDB
from `aws_endpoints.json` and `aws_models/` beside this file);
Powertools for AWS Lambda's CloudWatch EMF provider (issue 15 asks for Powertools); and a tip's
storage work, one GetItem and one PutItem. The client and Powertools come on the first request;
dropday makes them in init, with the garbage collector paused (`lambda_function`), which the floor
does not do: the floor is the stack's own cost, not a copy of dropday's start-up. What it leaves out
is everything that is dropday's own: manifest, campaign formats, state rules, speech, screens,
telemetry content.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import botocore.session
from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.skill_builder import CustomSkillBuilder
from ask_sdk_core.utils import is_intent_name
from botocore.config import Config

TABLE = os.environ.get("SKILL_STATE_TABLE", "baseline-state")
_clients: list = []


def dynamodb():
    """The one DynamoDB client, made on first use as dropday makes it."""
    if not _clients:
        from botocore import handlers
        from botocore.regions import EndpointResolver
        session = botocore.session.Session(include_builtin_handlers=False)
        for event, handler, *_ in handlers.BUILTIN_HANDLERS:
            if not event.startswith("docs.") and event.split(".")[1:2] in ([], ["dynamodb"], ["*"]):
                session.register(event, handler)
        loader = session.get_component("data_loader")
        loader.list_available_services = lambda type_name: ["dynamodb"]
        loader.search_paths.insert(0, str(Path(__file__).parent / "aws_models"))
        endpoints = json.loads((Path(__file__).parent / "aws_endpoints.json").read_text())
        session._internal_components.register_component("endpoint_resolver",
                                                        EndpointResolver(endpoints, uses_builtin_data=True))
        _clients.append(session.create_client("dynamodb", config=Config(
            connect_timeout=0.4, read_timeout=0.6, retries={"mode": "standard", "total_max_attempts": 1})))
    return _clients[0]


class TipHandler(AbstractRequestHandler):
    def can_handle(self, handler_input):
        return is_intent_name("TipIntent")(handler_input)

    def handle(self, handler_input):
        from aws_lambda_powertools.metrics.provider.cloudwatch_emf.cloudwatch import (  # noqa: F401
            AmazonCloudWatchEMFProvider)
        key = {"id": {"S": handler_input.request_envelope.context.system.user.user_id}}
        dynamodb().get_item(TableName=TABLE, Key=key, ConsistentRead=True)
        dynamodb().put_item(TableName=TABLE, Item={**key, "attributes": {"M": {"heard": {"S": "t1"}}}})
        return handler_input.response_builder.speak("Here is a tip.").ask("Another?").response


skill_builder = CustomSkillBuilder()
skill_builder.add_request_handler(TipHandler())
lambda_handler = skill_builder.lambda_handler()

"""The function makes its DynamoDB client from botocore's data cut down to DynamoDB (packed by
lambda/Makefile, `scripts/pack_botocore_data.py`) and a session that registers only the built-in
handlers that can fire for DynamoDB: it lands exactly where botocore's whole data would put it, and
sends and reads exactly what a client made the usual way would."""

from __future__ import annotations

import importlib.util
import json
from datetime import datetime, timezone
from pathlib import Path
from types import SimpleNamespace

import boto3
import botocore.session
import pytest
from moto import mock_aws

from dropday.aws import (CLIENT_CONFIG, DYNAMODB_OPERATIONS, DrawEntries, VersionedDynamoDbAdapter, make_dynamodb_client,
                         register_builtin_handlers, use_packed_endpoints, use_packed_models)
from support import create_state_table

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "pack_botocore_data.py"
#: A region of every partition botocore knows of, and one it does not know yet.
REGIONS = ("eu-west-1", "us-east-1", "ap-southeast-2", "cn-north-1", "us-gov-west-1", "us-iso-east-1",
           "us-isob-east-1", "eu-isoe-west-1", "us-isof-south-1", "mx-central-1", "xx-future-1")
#: Each DynamoDB call the function makes, with arguments of the kinds it passes.
CALLS = {
    "GetItem": dict(TableName="t", Key={"id": {"S": "amzn1.ask.account.A"}}, ConsistentRead=True),
    "PutItem": dict(TableName="t", Item={"id": {"S": "amzn1.ask.account.A"}, "version": {"N": "2"},
                                         "attributes": {"M": {"heard": {"S": "AbCd"}, "tz": {"NULL": True}}}},
                    ConditionExpression="#version = :read", ExpressionAttributeNames={"#version": "version"},
                    ExpressionAttributeValues={":read": {"N": "1"}}),
    "UpdateItem": dict(TableName="t", Key={"id": {"S": "amzn1.ask.account.A"}},
                       UpdateExpression="SET #attrs = :attrs ADD #version :one",
                       ExpressionAttributeNames={"#attrs": "attributes", "#version": "version"},
                       ExpressionAttributeValues={":attrs": {"M": {}}, ":one": {"N": "1"}}),
    "DeleteItem": dict(TableName="t", Key={"id": {"S": "amzn1.ask.account.A#unreadable"}}),
}
#: Headers that differ between any two requests (time, signature, a random id, the user agent).
VOLATILE = {"X-Amz-Date", "Authorization", "amz-sdk-invocation-id", "User-Agent"}


class _Sent(Exception):
    pass


@pytest.fixture(scope="module")
def packed(tmp_path_factory) -> Path:
    """A package folder with what the script packs into it."""
    spec = importlib.util.spec_from_file_location("pack_botocore_data", SCRIPT)
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    folder = tmp_path_factory.mktemp("package")
    assert script.main([str(folder)]) == 0
    return folder


@pytest.fixture(autouse=True)
def real_endpoints(monkeypatch):
    for name in ("AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_DYNAMODB"):
        monkeypatch.delenv(name, raising=False)


def ours(packed: Path):
    return make_dynamodb_client(packed / "aws_endpoints.json", packed / "aws_models")


def theirs():
    """A client made the usual way, with the function's configuration."""
    return botocore.session.get_session().create_client("dynamodb", config=CLIENT_CONFIG)


def what_it_sends(client, operation: str) -> dict:
    """The request a call would send, less what differs every time (it is stopped before it leaves)."""
    sent = {}

    def stop(request, **_):
        sent.update(method=request.method, url=request.url, body=json.loads(request.body),
                    headers={k: v for k, v in request.headers.items() if k not in VOLATILE},
                    scope=request.headers["Authorization"].decode().split("Credential=")[1].split(",")[0]
                    .split("/", 2)[2])
        raise _Sent

    client.meta.events.register(f"before-send.dynamodb.{operation}", stop)
    with pytest.raises(_Sent):
        getattr(client, botocore.xform_name(operation))(**CALLS[operation])
    return sent


def test_the_packed_endpoints_are_small_and_hold_only_dynamodb_in_every_partition(packed):
    data = json.loads((packed / "aws_endpoints.json").read_text())
    full = botocore.session.get_session().get_component("data_loader").load_data("endpoints")
    assert (packed / "aws_endpoints.json").stat().st_size < 20_000
    assert [p["partition"] for p in data["partitions"]] == [p["partition"] for p in full["partitions"]]
    assert {name for p in data["partitions"] for name in p["services"]} == {"dynamodb"}


def test_the_packed_model_holds_only_the_operations_the_function_calls(packed):
    [model_file] = (packed / "aws_models").rglob("service-2.json")
    model = json.loads(model_file.read_text())
    assert model_file.relative_to(packed / "aws_models").parts[0] == "dynamodb"
    assert sorted(model["operations"]) == sorted(DYNAMODB_OPERATIONS)
    assert set(CALLS) | {"DescribeEndpoints"} == set(DYNAMODB_OPERATIONS)
    assert model_file.stat().st_size < 20_000
    assert "documentation" not in model_file.read_text()


@pytest.mark.parametrize("region", REGIONS)
def test_a_client_placed_with_the_packed_data_goes_where_botocores_own_data_sends_it(packed, monkeypatch, region):
    monkeypatch.setenv("AWS_DEFAULT_REGION", region)
    monkeypatch.setenv("AWS_REGION", region)
    client = ours(packed)
    assert what_it_sends(client, "GetItem") == what_it_sends(theirs(), "GetItem")
    assert client.meta.region_name == region


@pytest.mark.parametrize("operation", sorted(CALLS))
def test_every_call_the_function_makes_sends_what_a_client_made_the_usual_way_sends(packed, operation):
    assert what_it_sends(ours(packed), operation) == what_it_sends(theirs(), operation)


def test_the_session_registers_few_of_botocores_built_in_handlers():
    from botocore import handlers

    session = botocore.session.Session(include_builtin_handlers=False)
    assert 0 < register_builtin_handlers(session, "dynamodb") < len(handlers.BUILTIN_HANDLERS) / 3


def test_state_and_draw_entries_round_trip_through_a_client_made_from_the_packed_data(packed, monkeypatch):
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-west-1")
    with mock_aws():
        resource = boto3.resource("dynamodb", region_name="eu-west-1")
        create_state_table(resource, "state")
        resource.create_table(TableName="draw", BillingMode="PAY_PER_REQUEST",   # as template.yaml declares it
                              KeySchema=[{"AttributeName": "campaign", "KeyType": "HASH"},
                                         {"AttributeName": "entrant", "KeyType": "RANGE"}],
                              AttributeDefinitions=[{"AttributeName": "campaign", "AttributeType": "S"},
                                                    {"AttributeName": "entrant", "AttributeType": "S"}])
        client = ours(packed)
        listener = SimpleNamespace(context=SimpleNamespace(system=SimpleNamespace(
            user=SimpleNamespace(user_id="amzn1.ask.account.PACKED"))))
        state = VersionedDynamoDbAdapter("state", client, 86400)
        assert state.save_if_version(listener, {"heard": "AbCd"}, 0) is True
        stored = state.load(listener)
        assert (stored.attributes, stored.version) == ({"heard": "AbCd"}, 1)
        assert state.save_if_version(listener, {"heard": "stale"}, 0) is False   # the condition is read back
        state.save_attributes(listener, {"heard": "EfGh"})
        assert state.get_attributes(listener) == {"heard": "EfGh"}
        state.set_aside(listener, state.load(listener))
        state.delete_attributes(listener)
        assert state.load(listener).version == 0
        assert resource.Table("state").scan()["Items"] == []
        draw = DrawEntries("draw", client, 30)
        draw.enter("lantern-foxes", "entrant-1", "contact", datetime(2027, 1, 8, tzinfo=timezone.utc), 1_900_000_000)
        assert len(resource.Table("draw").scan()["Items"]) == 1
        draw.withdraw("lantern-foxes", "entrant-1")
        assert resource.Table("draw").scan()["Items"] == []


def test_without_the_packed_files_botocore_reads_its_own(tmp_path):
    session = botocore.session.get_session()
    assert use_packed_endpoints(session, tmp_path / "absent.json") is False
    assert use_packed_models(session, tmp_path / "absent") is False
    client = make_dynamodb_client(tmp_path / "absent.json", tmp_path / "absent")
    assert client.meta.endpoint_url == "https://dynamodb.eu-west-1.amazonaws.com"
    assert len(client.meta.service_model.operation_names) > len(DYNAMODB_OPERATIONS)


def test_a_botocore_that_keeps_its_components_elsewhere_still_makes_a_client(packed, caplog):
    session = botocore.session.get_session()
    del session._internal_components
    assert use_packed_endpoints(session, packed / "aws_endpoints.json") is False
    assert "reads its own endpoint data" in caplog.text


def test_a_loader_that_keeps_its_search_paths_elsewhere_reads_its_own_models(packed, caplog):
    session = botocore.session.get_session()
    session.get_component("data_loader")._search_paths = ()   # a tuple: no insert
    assert use_packed_models(session, packed / "aws_models") is False
    assert "reads its own models" in caplog.text


def test_unreadable_packed_data_is_reported_and_botocore_reads_its_own(tmp_path, caplog):
    broken = tmp_path / "aws_endpoints.json"
    broken.write_text("{not json")
    session = botocore.session.get_session()
    assert use_packed_endpoints(session, broken) is False
    assert "aws_endpoints.json unreadable" in caplog.text
    assert session.create_client("dynamodb").meta.endpoint_url == "https://dynamodb.eu-west-1.amazonaws.com"

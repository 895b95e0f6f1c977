"""The function places its DynamoDB client with botocore's endpoint data cut down to DynamoDB
(packed by lambda/Makefile), and lands exactly where botocore's whole data would put it."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import botocore.session
import pytest

from dropday.aws import make_dynamodb_client, use_packed_endpoints

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "pack_endpoints.py"
#: A region of every partition botocore knows of, and one it does not know yet.
REGIONS = ("eu-west-1", "us-east-1", "ap-southeast-2", "cn-north-1", "us-gov-west-1", "us-iso-east-1",
           "us-isob-east-1", "eu-isoe-west-1", "us-isof-south-1", "mx-central-1", "xx-future-1")


class _Sent(Exception):
    pass


@pytest.fixture(scope="module")
def packed(tmp_path_factory) -> Path:
    spec = importlib.util.spec_from_file_location("pack_endpoints", SCRIPT)
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    path = tmp_path_factory.mktemp("packed") / "aws_endpoints.json"
    assert script.main([str(path)]) == 0
    return path


@pytest.fixture(autouse=True)
def real_endpoints(monkeypatch):
    for name in ("AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_DYNAMODB"):
        monkeypatch.delenv(name, raising=False)


def where_it_goes(client) -> tuple[str, str]:
    """The URL and the credential scope of a GetItem the client would send (it is stopped before it leaves)."""
    sent = {}

    def stop(request, **_):
        sent["url"] = request.url
        sent["scope"] = request.headers["Authorization"].decode().split("Credential=")[1].split(",")[0].split("/", 2)[2]
        raise _Sent

    client.meta.events.register("before-send.dynamodb.GetItem", stop)
    with pytest.raises(_Sent):
        client.get_item(TableName="t", Key={"id": {"S": "x"}})
    return sent["url"], sent["scope"]


def test_the_packed_data_is_small_and_holds_only_dynamodb_in_every_partition(packed):
    data = json.loads(packed.read_text())
    full = botocore.session.get_session().get_component("data_loader").load_data("endpoints")
    assert packed.stat().st_size < 20_000
    assert [p["partition"] for p in data["partitions"]] == [p["partition"] for p in full["partitions"]]
    assert {name for p in data["partitions"] for name in p["services"]} == {"dynamodb"}


@pytest.mark.parametrize("region", REGIONS)
def test_a_client_placed_with_the_packed_data_goes_where_botocores_own_data_sends_it(packed, monkeypatch, region):
    monkeypatch.setenv("AWS_DEFAULT_REGION", region)
    monkeypatch.setenv("AWS_REGION", region)
    ours = make_dynamodb_client(packed)
    theirs = botocore.session.get_session().create_client("dynamodb")
    assert where_it_goes(ours) == where_it_goes(theirs)
    assert ours.meta.region_name == theirs.meta.region_name == region


def test_without_the_packed_file_botocore_reads_its_own(tmp_path):
    session = botocore.session.get_session()
    assert use_packed_endpoints(session, tmp_path / "absent.json") is False
    assert session.create_client("dynamodb").meta.endpoint_url == "https://dynamodb.eu-west-1.amazonaws.com"


def test_a_botocore_that_keeps_its_components_elsewhere_still_makes_a_client(packed, caplog):
    session = botocore.session.get_session()
    del session._internal_components
    assert use_packed_endpoints(session, packed) is False
    assert "reads its own endpoint data" in caplog.text


def test_unreadable_packed_data_is_reported_and_botocore_reads_its_own(tmp_path, caplog):
    broken = tmp_path / "aws_endpoints.json"
    broken.write_text("{not json")
    session = botocore.session.get_session()
    assert use_packed_endpoints(session, broken) is False
    assert "aws_endpoints.json unreadable" in caplog.text
    assert session.create_client("dynamodb").meta.endpoint_url == "https://dynamodb.eu-west-1.amazonaws.com"

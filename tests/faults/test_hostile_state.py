"""Stored items the skill cannot trust: wrong version types, newer schemas, bloated or unreadable state.

Each item is written straight into a moto server, as a damaged table or another deploy would leave
it, and the skill talks to it through a proxy that counts every DynamoDB call it makes.
"""

from __future__ import annotations

import logging
import time
from datetime import datetime, timezone
from decimal import Decimal
from random import Random

import boto3
import pytest

from dropday.app import create_lambda_handler
from dropday.config import Settings
from dropday.core.campaign import content_key as tip_key
from dropday.localdev.conversation import Conversation
from support import free_port, heard_tips

USER = "amzn1.ask.account.LISTENER"
KEY = {"id": {"S": USER}}
SET_ASIDE_KEY = {"id": {"S": f"{USER}#unreadable"}}
NOW = datetime(2027, 2, 1, 12, tzinfo=timezone.utc)
TIPS = {"ivy-one", "ivy-two", "max-one", "max-text-only", "max-gb-clip"}


@pytest.fixture
def table(moto_server, state_table):
    """The state table on the moto server, as a low-level client (items as DynamoDB holds them)."""
    client = boto3.client("dynamodb", endpoint_url=moto_server)

    class Table:
        name = state_table

        def put(self, **item):
            client.put_item(TableName=state_table, Item={**KEY, **item})

        def get(self, key=KEY):
            return client.get_item(TableName=state_table, Key=key, ConsistentRead=True).get("Item")

    return Table()


@pytest.fixture
def listener(faulty_dynamodb, table, test_campaign, monkeypatch):
    """A listener of the test campaign, with DynamoDB behind the counting proxy."""
    monkeypatch.setenv("AWS_ENDPOINT_URL_DYNAMODB", faulty_dynamodb.endpoint)
    skill = create_lambda_handler(Settings(state_table=table.name, audio_base_url="https://cdn.test"),
                                  test_campaign, rng=Random(3))
    return Conversation(skill, user_id=USER, now=NOW, api_endpoint=f"https://127.0.0.1:{free_port()}")


def progress(**extra):
    """Attributes of a listener with real progress: 41 visits, 2 rotations, 3 tips heard, a zone."""
    heard = "".join(tip_key(t) for t in ("ivy-one", "ivy-two", "max-one"))
    return {"M": {"v": {"N": "1"}, "heard": {"S": heard}, "rotation": {"N": "2"}, "visits": {"N": "41"},
                  "last_visit": {"S": "2027-01-30"}, "tz": {"S": "Europe/Paris"}, "tz_checked": {"S": "2027-01-30"},
                  **extra}}


def warnings(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING and r.name.startswith("dropday")]


# -- a version the conditional write cannot use ---------------------------------------------------------------


@pytest.mark.parametrize("version", [{"S": "7"}, {"N": "7.5"}, {"N": "0"}], ids=["text", "fraction", "zero"])
def test_a_version_of_the_wrong_type_is_repaired_by_the_first_write_without_a_retry_storm(
        listener, table, faulty_dynamodb, test_campaign, caplog, version):
    # GIVEN a listener with progress whose item's version is not a whole number the skill can match
    table.put(attributes=progress(), version=version)
    # WHEN they ask for a tip
    answer = listener.ask("TipIntent")
    # THEN they hear a new tip after one read and one write, and their progress is kept
    assert answer.speech.startswith("<speak>From ")
    assert faulty_dynamodb.requests == ["GetItem", "PutItem"]
    item = table.get()
    assert item["version"]["N"].isdigit() and int(item["version"]["N"]) >= 1
    assert item["attributes"]["M"]["visits"] == {"N": "42"}
    tips = item["attributes"]["M"]["sections"]["M"]["tips"]["M"]   # upgraded from version 1 as it was written
    assert tips["rotation"] == {"N": "2"}
    assert len(tips["heard"]["S"]) == 4 * 6
    # AND the repair is noted once
    assert len([w for w in warnings(caplog) if "version" in w]) == 1
    # AND the next turn is an ordinary one: the session carries the repaired version, so it writes without a read
    faulty_dynamodb.requests.clear()
    listener.ask("AMAZON.YesIntent")
    assert faulty_dynamodb.requests == ["PutItem"]


# -- an item of a newer (or unknown) state version --------------------------------------------------------------


@pytest.mark.parametrize("v", [{"N": "3"}, {"S": "1"}, {"N": "1.5"}, {"BOOL": True}], ids=["3", "text-1", "1.5", "true"])
def test_an_item_of_a_newer_or_mistyped_state_version_is_served_as_new_and_never_written_over(
        listener, table, faulty_dynamodb, caplog, v):
    # GIVEN an item written by a newer deploy (then rolled back), or with a version this code cannot know
    table.put(attributes=progress(v=v), version={"N": "5"}, expires_at={"N": "1900000000"})
    before = table.get()
    # WHEN the listener opens the skill and asks for tips
    welcome = listener.launch()
    listener.ask("TipIntent")
    listener.ask("AMAZON.YesIntent")
    # THEN they are served as new, and nothing is ever written over their item
    assert welcome.speech.startswith("<speak>First welcome")
    assert "PutItem" not in faulty_dynamodb.requests and "UpdateItem" not in faulty_dynamodb.requests
    assert table.get() == before
    assert any("newer" in w or "version" in w for w in warnings(caplog))


# -- bloated heard lists ------------------------------------------------------------------------------------------


def test_a_heard_list_of_one_key_repeated_near_the_item_limit_shrinks_back_on_the_next_write(
        listener, table, test_campaign):
    # GIVEN a heard list of one valid key repeated 64,000 times (384 KB, near DynamoDB's 400 KB item limit)
    table.put(attributes=progress(heard={"S": tip_key("ivy-one") * 64_000}), version={"N": "3"})
    # WHEN the listener asks for a tip
    answer = listener.ask("TipIntent")
    # THEN it is saved, and the item is back within the manifest's bound: each key once
    assert answer.speech.startswith("<speak>From ")
    item = table.get()
    assert item["version"] == {"N": "4"}
    heard = item["attributes"]["M"]["sections"]["M"]["tips"]["M"]["heard"]["S"]
    assert len(heard) == 2 * 6
    assert heard.startswith(tip_key("ivy-one"))


def test_unknown_and_repeated_keys_in_heard_are_dropped_on_the_next_write(listener, table, test_campaign):
    heard = tip_key("max-one") + "zzzzzz" + tip_key("max-one") + tip_key("gone-tip") + tip_key("ivy-one")
    table.put(attributes=progress(heard={"S": heard}), version={"N": "3"})
    listener.ask("CountdownIntent")   # a turn that hears no tip still writes the state it read, cleaned
    stored = boto3_attributes(table.get())
    assert heard_tips(test_campaign, stored) == ["ivy-one", "max-one"]
    assert len(stored["sections"]["tips"]["heard"]) == 2 * 6


def boto3_attributes(item) -> dict:
    """The attributes map of a low-level item, as boto3's resource would give it."""
    from boto3.dynamodb.types import TypeDeserializer
    return TypeDeserializer().deserialize(item["attributes"])


# -- unreadable items ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("attributes", [
    {"L": [{"S": "v"}, {"N": "1"}]}, {"S": "{\"v\": 1}"}, {"NULL": True}, {"SS": ["not", "a", "map"]},
    {"M": {"heard": {"S": "abcdef"}, "visits": {"N": "3"}}},
], ids=["list", "string", "null", "set", "map-without-v"])
def test_an_unreadable_item_is_kept_aside_and_the_listener_is_remembered_from_then_on(
        listener, table, faulty_dynamodb, caplog, attributes):
    # GIVEN an item whose attributes the skill cannot read
    table.put(attributes=attributes, version={"N": "3"})
    # WHEN the listener opens the skill
    first = listener.launch()
    # THEN they are welcomed as new, the damaged item is kept aside for a while, and a fresh state is saved
    assert first.speech.startswith("<speak>First welcome")
    assert faulty_dynamodb.requests == ["GetItem", "PutItem", "PutItem"]
    kept = table.get(SET_ASIDE_KEY)
    assert kept["attributes"] == attributes and kept["version"] == {"N": "3"}
    month = time.time() + 30 * 86400
    assert abs(int(kept["expires_at"]["N"]) - month) < 60
    fresh = table.get()
    assert fresh["version"] == {"N": "4"}
    assert boto3_attributes(fresh)["visits"] == Decimal(1)
    assert any("cannot be read" in w and "kept aside" in w for w in warnings(caplog))
    # AND WHEN they come back the next day, they are welcomed back
    listener.wait(days=1)
    assert listener.launch().speech.startswith("<speak>Welcome back")
    assert table.get(SET_ASIDE_KEY)["attributes"] == attributes


def test_disabling_the_skill_deletes_the_item_kept_aside_too(listener, table):
    from dropday.localdev import envelopes
    table.put(attributes={"S": "garbage"}, version={"N": "3"})
    listener.launch()
    assert table.get(SET_ASIDE_KEY) is not None
    event = envelopes.envelope({"type": "AlexaSkillEvent.SkillDisabled"}, user_id=USER, device_id="d", locale="en-GB",
                               now=NOW, session_id="s", new_session=True, attributes={})
    del event["session"]
    listener.handler(event, None)
    assert table.get() is None and table.get(SET_ASIDE_KEY) is None

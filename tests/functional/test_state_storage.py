"""What is stored per listener, and how often DynamoDB is called."""

from __future__ import annotations

import time
from decimal import Decimal

import pytest

from support import heard_tips


def test_a_tip_stores_the_tip_heard_the_visit_and_an_expiry(listener, stored_item, test_campaign):
    listener.ask("TipIntent")
    item = stored_item()
    [heard] = heard_tips(test_campaign, item["attributes"])
    assert heard in {"ivy-one", "ivy-two", "max-one", "max-text-only", "max-gb-clip"}
    packed = item["attributes"]["sections"]["tips"]["heard"]
    assert isinstance(packed, str) and len(packed) == 6        # one short key per piece heard
    assert item["attributes"] == {"v": Decimal(2), "sections": {"tips": {"heard": packed}}, "visits": Decimal(1),
                                  "visit_days": Decimal(1), "last_visit": "2027-02-01"}
    ninety_days = 90 * 86400
    assert abs(int(item["expires_at"]) - (time.time() + ninety_days)) < 60


def test_the_expiry_follows_the_configured_days(make_skill, test_campaign, stored_item, settings_api):
    from dropday.localdev.conversation import Conversation
    Conversation(make_skill(test_campaign, state_ttl_days=7), api_endpoint=settings_api.endpoint).ask("TipIntent")
    assert abs(int(stored_item()["expires_at"]) - (time.time() + 7 * 86400)) < 60


@pytest.mark.parametrize(("intent", "reads", "writes"), [
    ("TipIntent", 1, 1),
    ("CountdownIntent", 1, 0),      # the zone was cached today and the session is not new
    ("AMAZON.HelpIntent", 0, 0),
    ("AMAZON.StopIntent", 0, 0),
    ("AMAZON.CancelIntent", 0, 0),
    ("AMAZON.FallbackIntent", 0, 0),
    ("AMAZON.RepeatIntent", 0, 0),
])
def test_each_request_reads_at_most_once_and_writes_only_what_changed(listener, dynamodb_calls, intent, reads, writes):
    listener.launch()
    listener.ask("CountdownIntent")          # caches the zone for today
    dynamodb_calls.clear()
    listener.ask(intent)
    assert dynamodb_calls.count("GetItem") == reads
    assert dynamodb_calls.count("PutItem") == writes
    assert set(dynamodb_calls) <= {"GetItem", "PutItem"}


def test_launch_reads_once_and_writes_the_visit_once(listener, dynamodb_calls):
    listener.launch()
    assert dynamodb_calls == ["GetItem", "PutItem"]


def test_a_session_end_touches_nothing(listener, dynamodb_calls):
    listener.launch()
    dynamodb_calls.clear()
    listener.end_session()
    assert dynamodb_calls == []


def test_a_missing_table_still_gets_the_listener_a_tip_and_writes_nothing(dynamodb, make_skill, test_campaign,
                                                                          settings_api, dynamodb_calls):
    from dropday.localdev.conversation import Conversation
    dynamodb.Table("dropday-test-state").delete()
    answer = Conversation(make_skill(test_campaign), api_endpoint=settings_api.endpoint).ask("TipIntent")
    assert answer.speech.startswith("<speak>From ") and answer.ends_session is False
    assert "PutItem" not in dynamodb_calls


def test_listeners_are_kept_apart(make_skill, test_campaign, stored_item, settings_api):
    from dropday.localdev.conversation import Conversation
    skill = make_skill(test_campaign)
    one = Conversation(skill, user_id="amzn1.ask.account.ONE", api_endpoint=settings_api.endpoint)
    two = Conversation(skill, user_id="amzn1.ask.account.TWO", api_endpoint=settings_api.endpoint)
    for _ in range(3):
        one.ask("TipIntent")
    two.ask("TipIntent")
    assert len(heard_tips(test_campaign, stored_item("amzn1.ask.account.ONE")["attributes"])) == 3
    assert len(heard_tips(test_campaign, stored_item("amzn1.ask.account.TWO")["attributes"])) == 1

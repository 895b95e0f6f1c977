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
    ("TipIntent", 0, 1),            # the session carries the state: written without a read
    ("CountdownIntent", 0, 0),      # the zone was cached today and the session is not new
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


def test_a_new_session_reads_the_store_even_when_it_brings_a_copy_of_the_state(listener, dynamodb_calls):
    from dropday.localdev import envelopes
    listener.launch()
    carried = listener.attributes["state"]
    event = envelopes.envelope(envelopes.intent("TipIntent"), user_id=listener.user_id, device_id=listener.device_id,
                               locale=listener.locale, now=listener.now, session_id=envelopes.new_session_id(),
                               new_session=True, attributes={"state": carried}, api_endpoint=listener.api_endpoint,
                               skill_id=listener.skill_id)
    dynamodb_calls.clear()
    listener.handler(event, None)
    assert dynamodb_calls == ["GetItem", "PutItem"]


def test_a_session_carries_the_state_as_stored_with_its_version(listener, stored_item):
    listener.launch()
    first = listener.ask("TipIntent")
    item = stored_item()
    carried = first.response["sessionAttributes"]["state"]
    assert carried["v"] == int(item["version"]) == 2
    assert carried["s"]["sections"] == item["attributes"]["sections"]
    assert carried["s"]["visits"] == int(item["attributes"]["visits"]) == 1


def test_a_copy_of_the_state_this_code_did_not_write_is_ignored_and_the_store_read(listener, dynamodb_calls,
                                                                                   stored_item):
    listener.launch()
    listener.ask("TipIntent")
    for junk in ({"v": "2", "s": {"v": 2}}, {"v": 2, "s": {"v": 99}}, {"v": 2, "s": "x" * 5000}, "x", {"v": -1, "s": {}}):
        listener.attributes["state"] = junk
        dynamodb_calls.clear()
        answer = listener.ask("TipIntent")
        assert answer.speech.startswith("<speak>From ")
        assert dynamodb_calls == ["GetItem", "PutItem"]
        assert answer.response["sessionAttributes"]["state"]["v"] == int(stored_item()["version"])


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


def test_a_tip_on_another_device_mid_session_is_noticed_and_never_repeated(skill, settings_api, stored_item,
                                                                            dynamodb_calls, test_campaign):
    from dropday.localdev.conversation import Conversation
    # GIVEN one listener in a session on two devices, the bedroom's copy of their state from before the kitchen's tip
    kitchen, bedroom = (Conversation(skill, device_id=f"amzn1.ask.device.{room}", api_endpoint=settings_api.endpoint)
                        for room in ("KITCHEN", "BEDROOM"))
    bedroom.launch()
    kitchen.ask("TipIntent")
    # WHEN the bedroom asks for a tip in its session
    dynamodb_calls.clear()
    bedroom.ask("TipIntent")
    # THEN its write, conditional on the version it carried, fails; it reads what the kitchen stored and redoes the turn
    assert dynamodb_calls == ["PutItem", "GetItem", "PutItem"]
    # AND the listener has heard two different tips, and the bedroom's session now carries what is stored
    assert len(heard_tips(test_campaign, stored_item()["attributes"])) == 2
    assert bedroom.attributes["state"]["v"] == int(stored_item()["version"])

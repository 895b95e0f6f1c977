"""Valid JSON the skill was not built for: each gets the answer a sane request gets, and a warning.

Every test sends a hostile request and its sane twin to two skills built alike (same seed, each a
new listener), and compares what Alexa would say.
"""

from __future__ import annotations

import logging
from datetime import datetime, timezone

import pytest

from dropday.localdev import envelopes

NOW = datetime(2027, 2, 1, 12, tzinfo=timezone.utc)
DEVICE = "amzn1.ask.device.HOSTILE"


@pytest.fixture
def event(settings_api):
    """A request envelope in a session that is already open, as a device sends it."""
    def build(request, user_id="amzn1.ask.account.HOSTILE", attributes=None, new_session=False):
        return envelopes.envelope(request, user_id=user_id, device_id=DEVICE, locale="en-GB", now=NOW,
                                  session_id="amzn1.echo-api.session.HOSTILE", new_session=new_session,
                                  attributes=attributes or {}, api_endpoint=settings_api.endpoint)
    return build


@pytest.fixture
def answers(make_skill, test_campaign, caplog):
    """What Alexa would say to `hostile` and to `sane`, each sent to a fresh skill (same seed)."""
    def both(hostile: dict, sane: dict) -> tuple[dict, dict, list[logging.LogRecord]]:
        with caplog.at_level(logging.INFO):
            heard = make_skill(test_campaign)(hostile, None)["response"]
        logged = [r for r in caplog.records if r.name.startswith("dropday")]
        expected = make_skill(test_campaign)(sane, None)["response"]
        return heard, expected, logged
    return both


def assert_warned_without_error(records: list[logging.LogRecord]) -> None:
    assert any(r.levelno == logging.WARNING for r in records), [r.getMessage() for r in records]
    assert not [r for r in records if r.levelno >= logging.ERROR], [r.getMessage() for r in records]


def test_an_intent_request_with_a_null_intent_gets_the_fallback_answer(event, answers):
    hostile = event(envelopes.intent("TipIntent"))
    hostile["request"]["intent"] = None
    heard, expected, logged = answers(hostile, event(envelopes.intent("AMAZON.FallbackIntent")))
    assert heard == expected and heard["outputSpeech"]["ssml"].startswith("<speak>Fallback line.")
    assert_warned_without_error(logged)


@pytest.mark.parametrize("values", [[{"value": None}], [None], [{"value": {"id": 5, "name": None}}]],
                         ids=["null-value", "null-entry", "numeric-id"])
def test_a_success_match_without_a_usable_value_falls_back_to_the_words_said(event, answers, values):
    # GIVEN "a tip from Ivy", whose entity resolution claims a match but holds no usable value
    slot = envelopes.slot("member", "ivy", resolved_id="ivy")
    slot["resolutions"]["resolutionsPerAuthority"][0]["values"] = values
    hostile = event(envelopes.intent("TipIntent", {"member": slot}))
    sane = event(envelopes.intent("TipIntent", {"member": envelopes.slot("member", "ivy")}),
                 user_id="amzn1.ask.account.SANE")
    heard, expected, logged = answers(hostile, sane)
    # THEN Ivy's tip is played, as for the words alone
    assert heard == expected and heard["outputSpeech"]["ssml"].startswith("<speak>From Ivy.")
    assert_warned_without_error(logged)


@pytest.mark.parametrize("zone", [5, ["Europe/London"], {"name": "Europe/London"}], ids=["number", "list", "dict"])
def test_a_session_time_zone_that_is_not_a_name_is_ignored(event, answers, zone):
    heard, expected, logged = answers(event(envelopes.intent("TipIntent"), attributes={"tz": zone}),
                              event(envelopes.intent("TipIntent"), user_id="amzn1.ask.account.SANE"))
    assert heard == expected and heard["outputSpeech"]["ssml"].startswith("<speak>From ")
    assert_warned_without_error(logged)


@pytest.mark.parametrize("timestamp", ["0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z"])
def test_a_timestamp_at_the_ends_of_the_calendar_is_answered_as_of_now_even_in_kiritimati(
        event, answers, settings_api, timestamp):
    # GIVEN a device in Kiritimati (UTC+14), and a request claiming the first or last second of the calendar
    settings_api.zones[DEVICE] = "Pacific/Kiritimati"
    hostile = event(envelopes.intent("CountdownIntent"), attributes={"tz": "Pacific/Kiritimati"})
    hostile["request"]["timestamp"] = timestamp
    sane = event(envelopes.intent("CountdownIntent"), attributes={"tz": "Pacific/Kiritimati"},
                 user_id="amzn1.ask.account.SANE")
    del sane["request"]["timestamp"]
    heard, expected, logged = answers(hostile, sane)
    # THEN the countdown is told as of the skill's own clock, as for a request without a timestamp
    assert heard == expected and "Error line" not in heard["outputSpeech"]["ssml"]
    assert_warned_without_error(logged)


def test_a_user_id_with_a_lone_surrogate_is_served_as_a_new_listener(event, answers):
    heard, expected, logged = answers(event(envelopes.intent("TipIntent"), user_id="\ud800"),
                              event(envelopes.intent("TipIntent"), user_id="amzn1.ask.account.SANE"))
    assert heard == expected and heard["outputSpeech"]["ssml"].startswith("<speak>From ")
    assert_warned_without_error(logged)


def test_session_attributes_nested_800_deep_are_dropped(event, answers):
    deep: dict = {}
    for _ in range(800):
        deep = {"a": deep}
    heard, expected, logged = answers(event(envelopes.intent("TipIntent"), attributes={"offer": deep}),
                              event(envelopes.intent("TipIntent"), user_id="amzn1.ask.account.SANE"))
    assert heard == expected and heard["outputSpeech"]["ssml"].startswith("<speak>From ")
    assert_warned_without_error(logged)

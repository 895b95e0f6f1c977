"""Requests the skill was not designed for get a valid answer, never an exception."""

from __future__ import annotations

import copy
import json
import logging

import pytest
from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_model import ResponseEnvelope

from support import SHARED_ALEXA_FIXTURES
from dropday.localdev import envelopes

CORPUS = sorted(SHARED_ALEXA_FIXTURES.glob("*.json")) if SHARED_ALEXA_FIXTURES.is_dir() else []
SPEAKING = {"LaunchRequest", "IntentRequest"}


def assert_valid_response(response):
    """A response envelope the SDK's own model accepts, with well-formed SSML if any."""
    import xml.etree.ElementTree as ElementTree
    parsed = DefaultSerializer().deserialize(json.dumps(response), ResponseEnvelope)
    assert parsed.version == "1.0"
    speech = response["response"].get("outputSpeech")
    if speech:
        ElementTree.fromstring(speech["ssml"])
        assert "Traceback" not in speech["ssml"]


@pytest.mark.skipif(not CORPUS, reason=f"the alexa-app corpus is not at {SHARED_ALEXA_FIXTURES} (only CI has ../shared)")
@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.stem)
def test_every_real_envelope_of_other_skills_gets_a_valid_answer(skill, path):
    event = json.loads(path.read_text())
    response = skill(copy.deepcopy(event), None)
    assert_valid_response(response)
    kind = event["request"]["type"]
    body = response["response"]
    if kind in SPEAKING:
        assert body["outputSpeech"]["ssml"].startswith("<speak>")
        assert body["shouldEndSession"] in (True, False)
    else:
        assert "outputSpeech" not in body


def test_the_corpus_is_complete_when_present():
    if not CORPUS:
        pytest.skip(f"the alexa-app corpus is not at {SHARED_ALEXA_FIXTURES} (only CI has ../shared)")
    assert len(CORPUS) == 22


def full_event(request, **overrides):
    from datetime import datetime, timezone
    event = envelopes.envelope(request, user_id="amzn1.ask.account.X", device_id="amzn1.ask.device.X",
                               locale="en-GB", now=datetime(2027, 2, 1, tzinfo=timezone.utc),
                               session_id="amzn1.echo-api.session.X", new_session=True, attributes={})
    event.update(overrides)
    return event


@pytest.mark.parametrize("event", [
    None, [], "text", {}, {"request": None}, {"request": {"type": 5}},
    {"version": "1.0", "request": {"type": "IntentRequest"}},
], ids=["none", "list", "string", "empty", "null-request", "numeric-type", "bare-intent"])
def test_malformed_events_get_a_valid_answer(skill, event):
    assert_valid_response(skill(event, None))


def test_an_unknown_enum_value_still_reaches_the_skill(skill):
    # GIVEN a tip request whose dialogState is a value this SDK version does not know
    event = full_event(envelopes.intent("TipIntent"))
    event["request"]["dialogState"] = "SOMETHING_NEW"
    response = skill(event, None)
    # THEN the listener still hears a tip
    assert response["response"]["outputSpeech"]["ssml"].startswith("<speak>From ")


def test_a_launch_without_locale_or_device_is_welcomed_in_the_default_language(skill):
    event = full_event(envelopes.launch())
    del event["request"]["locale"]
    del event["context"]["System"]["device"]
    response = skill(event, None)
    assert response["response"]["outputSpeech"]["ssml"] == \
        "<speak>First welcome to The Test Pilots &amp; Co. Would you like a tip or the countdown?</speak>"


def test_an_unreadable_intent_request_gets_the_error_line_and_ends(skill):
    event = full_event(envelopes.intent("TipIntent"))
    event["request"]["timestamp"] = "not a time"
    event["session"]["attributes"] = "not a dict"
    event["context"]["System"]["device"] = "not a device"
    response = skill(event, None)
    assert_valid_response(response)
    assert response["response"]["shouldEndSession"] in (True, False)


def test_a_foreign_skill_id_is_rejected_before_any_handler_or_database_access(make_skill, test_campaign,
                                                                               dynamodb_calls, caplog):
    skill = make_skill(test_campaign, skill_ids=frozenset({"amzn1.ask.skill.ours"}))
    event = full_event(envelopes.intent("TipIntent"))          # its skill id is not ours
    with caplog.at_level(logging.WARNING):
        response = skill(event, None)
    assert response == {"version": "1.0", "response": {}}
    assert dynamodb_calls == []
    assert "not in SKILL_IDS" in caplog.text


def test_an_allowed_skill_id_is_served(make_skill, test_campaign):
    skill = make_skill(test_campaign, skill_ids=frozenset({envelopes.DEFAULT_SKILL_ID, "amzn1.ask.skill.other"}))
    response = skill(full_event(envelopes.launch()), None)
    assert response["response"]["outputSpeech"]["ssml"].startswith("<speak>First welcome")


def test_logs_never_contain_raw_user_ids(make_skill, test_campaign, dynamodb, caplog):
    dynamodb.Table("dropday-test-state").delete()     # forces a warning that names the listener
    with caplog.at_level(logging.DEBUG, logger="dropday"):
        make_skill(test_campaign)(full_event(envelopes.intent("TipIntent")), None)
    assert "listener state unavailable" in caplog.text
    assert "amzn1.ask.account.X" not in caplog.text

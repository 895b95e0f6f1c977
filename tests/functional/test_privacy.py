"""Listeners' data: only what the skill needs, gone when they disable the skill or stop coming."""

from __future__ import annotations

import json
import time
from datetime import datetime, timezone

import yaml
from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_model import RequestEnvelope

from dropday.aws import make_persistence_adapter
from dropday.config import Settings
from dropday.core.campaign import parse_manifest
from dropday.localdev import envelopes
from dropday.localdev.conversation import Conversation
from support import FIXTURES


def skill_disabled_event(user_id: str = "amzn1.ask.account.LISTENER") -> dict:
    """AlexaSkillEvent.SkillDisabled, as Alexa sends it (out of session, no locale)."""
    return {"version": "1.0",
            "context": {"System": {"application": {"applicationId": "amzn1.ask.skill.00000000-0000-0000-0000-000000000000"},
                                   "user": {"userId": user_id}, "apiEndpoint": "https://api.eu.amazonalexa.com"}},
            "request": {"type": "AlexaSkillEvent.SkillDisabled", "requestId": "amzn1.echo-api.request.1",
                        "timestamp": "2027-02-01T12:00:00Z", "eventCreationTime": "2027-02-01T12:00:00Z",
                        "eventPublishingTime": "2027-02-01T12:00:01Z",
                        "body": {"userInformationPersistenceStatus": "NOT_PERSISTED"}}}


def test_disabling_the_skill_deletes_the_listeners_state(skill, listener, stored_item):
    listener.ask("TipIntent")
    assert stored_item() is not None
    response = skill(skill_disabled_event(), None)
    assert response["response"] == {}
    assert stored_item() is None


def test_disabling_leaves_other_listeners_alone(skill, make_skill, test_campaign, stored_item, settings_api):
    Conversation(skill, user_id="amzn1.ask.account.OTHER", api_endpoint=settings_api.endpoint).ask("TipIntent")
    skill(skill_disabled_event(), None)
    assert stored_item("amzn1.ask.account.OTHER") is not None


def test_only_progress_is_stored_nothing_about_the_device_or_what_was_said(listener, stored_item):
    listener.ask("TipIntent", member={"name": "member", "value": "my secret words"})
    listener.ask("CountdownIntent")
    item = stored_item()
    assert set(item) == {"id", "attributes", "version", "expires_at"}
    assert set(item["attributes"]) <= {"v", "sections", "visits", "visit_days", "last_visit", "tz", "tz_checked",
                                       "unlocked", "welcome"}
    assert "secret" not in str(item) and "DEVICE" not in str(item)


def test_state_of_an_ended_campaign_expires_soon_after_its_end(make_skill, stored_item, settings_api):
    # GIVEN a campaign whose album came out and whose last tip window closed long ago
    data = yaml.safe_load((FIXTURES / "campaign.yaml").read_text())
    data["album"]["release_date"] = "2026-01-10"
    data["sections"] = [{**data["sections"][0],
                         "pieces": [p for p in data["sections"][0]["pieces"] if "available" not in p]}]
    data.pop("unlockables")
    old = parse_manifest(data)
    # WHEN a listener still asks for a tip
    Conversation(make_skill(old, state_ttl_days=30), now=datetime(2026, 2, 1, tzinfo=timezone.utc),
                 api_endpoint=settings_api.endpoint).ask("TipIntent")
    # THEN their state expires 30 days after the release (the campaign's end), not 30 days from now
    release_plus_30 = datetime(2026, 2, 9, tzinfo=timezone.utc).timestamp()
    assert int(stored_item()["expires_at"]) == int(release_plus_30)
    assert release_plus_30 < time.time()


def test_a_turn_in_flight_when_the_listener_disables_the_skill_does_not_bring_their_state_back(
        skill, listener, stored_item, dynamodb_client, test_campaign):
    listener.ask("TipIntent")
    event = envelopes.envelope(envelopes.intent("TipIntent"), user_id="amzn1.ask.account.LISTENER",
                               device_id="amzn1.ask.device.DEVICE", locale="en-GB", now=listener.now,
                               session_id="amzn1.echo-api.session.X", new_session=False, attributes={})
    envelope = DefaultSerializer().deserialize(json.dumps(event), RequestEnvelope)
    store = make_persistence_adapter(Settings(state_table="dropday-test-state"), dynamodb_client)
    # GIVEN a request that has read the listener's state
    read = store.load(envelope)
    # WHEN the listener disables the skill before that request writes
    skill(skill_disabled_event(), None)
    # THEN its write is refused and nothing comes back
    assert store.save_if_version(envelope, {**read.attributes, "visits": 9}, read.version) is False
    assert stored_item() is None

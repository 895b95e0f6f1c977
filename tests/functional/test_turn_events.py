"""Every request through lambda_handler writes one turn event, naming what it did by content ids."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from random import Random

from dropday.app import create_lambda_handler
from dropday.config import Settings
from dropday.localdev.conversation import Conversation
from dropday.localdev.envelopes import slot
from dropday.metrics import Telemetry

USER = "amzn1.ask.account.EVENTS"


def test_a_conversation_writes_one_event_per_request_with_its_kind_and_what_it_played(
        dynamodb_client, test_campaign, settings_api):
    lines: list[str] = []
    telemetry = Telemetry(test_campaign.campaign, "a secret of sixteen characters", write=lines.append)
    skill = create_lambda_handler(Settings(state_table="dropday-test-state", audio_base_url="https://cdn.test"),
                                  test_campaign, dynamodb_client, Random(7), telemetry)
    listener = Conversation(skill, user_id=USER, now=datetime(2027, 2, 12, 12, tzinfo=timezone.utc),
                            api_endpoint=settings_api.endpoint)
    # WHEN a listener opens the skill, hears three backstage stories, asks what's new and leaves
    listener.launch()
    listener.ask("SectionIntent", section=slot("section", "backstage", "backstage", slot_type="SECTION"))
    listener.ask("AMAZON.YesIntent")
    listener.ask("AMAZON.YesIntent")
    listener.ask("WhatsNewIntent")
    listener.ask("AMAZON.StopIntent")
    listener.end_session()
    events = [json.loads(line) for line in lines if line.startswith('{"event":"turn"')]
    # THEN there is one event per request, of the kind of turn it was
    assert [e["kind"] for e in events] == ["launch", "piece", "piece", "piece", "whats_new", "goodbye", "session_end"]
    assert events[0]["first_visit"] is True and events[0]["new_session"] is True
    assert {e["played"][0]["piece"] for e in events[1:4]} == {"story-van", "story-ferry", "story-gig"}
    assert all(e["played"][0]["section"] == "backstage" for e in events[1:4])
    # AND the third story's event records what it unlocked
    assert events[3]["unlocked"] == ["secret-title"]
    assert events[4]["whats_new"] is False
    # AND no event names the listener by their Alexa id
    assert USER not in "".join(lines)
    assert len({e["listener"] for e in events}) == 1


def test_an_episode_played_to_its_end_is_recorded_as_played_by_the_playback_event(
        dynamodb_client, settings_api):
    from dropday.content import read_manifest
    from dropday.localdev.audio_device import Speaker
    from support import FIXTURES

    campaign = read_manifest(FIXTURES / "playback-campaign.yaml")
    lines: list[str] = []
    telemetry = Telemetry(campaign.campaign, "a secret of sixteen characters", write=lines.append)
    skill = create_lambda_handler(Settings(state_table="dropday-test-state", audio_base_url="https://cdn.test"),
                                  campaign, dynamodb_client, Random(7), telemetry)
    echo = Speaker(skill, device_id="amzn1.ask.device.LIVING-ROOM",
                   now=datetime(2027, 2, 1, 19, tzinfo=timezone.utc), durations={"echo-hall:tbt-01-doorway": 360_000})
    # WHEN a listener starts the track-by-track and listens to the first episode to its end
    echo.ask("SectionIntent", section={"name": "section", "value": "the track-by-track"})
    echo.listen(365)
    events = [json.loads(line) for line in lines if line.startswith('{"event":"turn"')]
    # THEN the event of the device's PlaybackFinished names the episode it finished
    [finished] = [e for e in events if e["request"] == "AudioPlayer.PlaybackFinished"]
    assert [(p["section"], p["piece"]) for p in finished["played"]] == [("track-by-track", "tbt-01-doorway")]

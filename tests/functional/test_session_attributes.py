"""Session attributes come back from Alexa, but a forged or damaged request can carry anything: the
skill keeps only what it wrote itself, checked, and its responses stay within Alexa's limits."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

from dropday.core.campaign import Localized, Recording
from dropday.localdev.conversation import Conversation


def well_formed(ssml: str) -> bool:
    try:
        return ET.fromstring(ssml).tag == "speak"
    except ET.ParseError:
        return False


def test_repeat_with_a_forged_last_answer_that_is_not_ssml_says_nothing_broken(listener):
    # GIVEN a session whose `last` answer was tampered with: not well-formed XML
    listener.launch()
    listener.attributes["last"] = {"speech": "<speak>a & b < c</speak>", "reprompt": "<speak>ok</speak>"}
    # WHEN the listener asks to hear it again
    answer = listener.ask("AMAZON.RepeatIntent")
    # THEN the skill answers as if nothing had been said, in well-formed SSML
    assert answer.speech == "<speak>Nothing to repeat. Would you like a tip or the countdown?</speak>"
    assert well_formed(answer.speech)


def test_repeat_never_replays_an_oversized_last_answer(listener):
    listener.launch()
    listener.attributes["last"] = {"speech": "<speak>" + "la " * 33_000 + "</speak>"}
    answer = listener.ask("AMAZON.RepeatIntent")
    assert len(answer.speech) < 8_100
    assert answer.speech.startswith("<speak>Nothing to repeat.")


def test_attributes_the_skill_did_not_write_are_never_echoed(listener):
    # GIVEN a request carrying 300 KB of junk beside the skill's own attributes
    listener.launch()
    listener.attributes["junk"] = "x" * 300_000
    listener.attributes["offer"] = {"kind": "piece", "section": "tips", "member": "<script>"}
    # WHEN the skill answers
    answer = listener.ask("AMAZON.HelpIntent")
    # THEN only its own attributes come back, checked, and the response is small
    attributes = answer.response["sessionAttributes"]
    assert set(attributes) <= {"offer", "said", "tz", "last", "state"}
    assert "<script>" not in json.dumps(attributes)
    assert len(json.dumps(answer.response)) < 10_000


def test_an_offer_of_an_unknown_kind_is_ignored_and_yes_plays_the_first_section(listener):
    listener.launch()
    listener.attributes["offer"] = {"kind": "delete-everything"}
    assert listener.ask("AMAZON.YesIntent").speech.startswith("<speak>From ")


def test_a_forged_time_zone_in_the_session_is_ignored(listener):
    for zone in (5, ["Europe/London"], {"a": 1}, "../../etc/passwd", "Mars/Olympus"):
        listener.launch()
        listener.attributes["tz"] = zone
        answer = listener.ask("CountdownIntent")
        assert answer.speech.startswith("<speak>47 days until"), zone


def test_a_response_with_a_long_text_answer_stays_under_24_kb_and_repeat_still_works(make_skill, test_campaign,
                                                                                    settings_api):
    # GIVEN a campaign whose tips are 7,000 characters each, read as text (no clip)
    long_words = " ".join(["A very long transcript read aloud."] * 200)[:7000]
    tips = test_campaign.tips_section
    pieces = tuple(p._replace(recording=Recording(Localized(long_words))) for p in tips.pieces[:2])
    campaign = test_campaign._replace(sections=(tips._replace(pieces=pieces),))
    listener = Conversation(make_skill(campaign), api_endpoint=settings_api.endpoint)
    listener.launch()
    # WHEN a tip is played
    answer = listener.ask("TipIntent")
    # THEN the whole response is within Alexa's 24 KB, speech and reprompt included
    assert len(json.dumps(answer.response).encode()) < 24_000
    assert well_formed(answer.speech) and answer.ends_session is False
    # AND "repeat" says it again, within the same limit
    again = listener.ask("AMAZON.RepeatIntent")
    assert again.speech == answer.speech
    assert len(json.dumps(again.response).encode()) < 24_000

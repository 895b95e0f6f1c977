"""A campaign with only the formats it uses: a solo artist's studio diary, without members, a tips
section or a quiz (tests/fixtures/solo-campaign.yaml). Every answer still makes sense: nothing offers
or explains what the campaign does not have."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from dropday.content import read_manifest
from dropday.localdev.conversation import Conversation
from dropday.localdev.envelopes import slot
from support import FIXTURES

MISSING_FORMATS = ("tip", "quiz", "band", "member", "question of the day", "unlock")


@pytest.fixture(scope="module")
def solo():
    return read_manifest(FIXTURES / "solo-campaign.yaml")


@pytest.fixture
def fan(make_skill, solo, settings_api):
    """A listener in London on 12 February 2027: both diary entries are out."""
    return Conversation(make_skill(solo), user_id="amzn1.ask.account.SOLO", now=datetime(2027, 2, 12, 12,
                        tzinfo=timezone.utc), api_endpoint=settings_api.endpoint)


def says_nothing_of_missing_formats(answer):
    spoken = (answer.speech + " " + (answer.reprompt or "")).lower()
    return [word for word in MISSING_FORMATS if word in spoken]


def test_the_launch_question_offers_the_diary_and_the_countdown_only(fan):
    answer = fan.launch()
    assert "an entry from the studio diary" in answer.speech
    assert says_nothing_of_missing_formats(answer) == []
    assert answer.speech.endswith("?</speak>") and answer.ends_session is False


def test_help_and_fallback_name_only_what_the_campaign_has(fan):
    fan.launch()
    for intent in ("AMAZON.HelpIntent", "AMAZON.FallbackIntent"):
        answer = fan.ask(intent)
        assert says_nothing_of_missing_formats(answer) == [], (intent, answer.speech)
        assert "diary" in answer.speech, intent
        assert answer.ends_session is False


def test_the_diary_plays_and_offers_another_entry(fan):
    fan.launch()
    answer = fan.ask("SectionIntent", section=slot("section", "the diary", "diary", "the studio diary",
                                                   slot_type="SECTION"))
    assert answer.speech.startswith("<speak>Here's an entry from the studio diary. <audio src=")
    assert answer.speech.endswith("Want another diary entry?</speak>")
    assert says_nothing_of_missing_formats(answer) == []


# -- requests only a model from before the campaign dropped a format would send ----------------------------


def test_a_tip_request_says_there_are_none_here_and_offers_what_there_is(fan):
    fan.launch()
    answer = fan.ask("TipIntent")
    assert answer.speech == ("<speak>There are no tips here, but there's plenty more to hear. Would you like an entry "
                             "from the studio diary or the countdown?</speak>")
    assert answer.ends_session is False


def test_a_member_named_in_a_campaign_without_members_is_passed_over_and_the_diary_plays(fan):
    fan.launch()
    answer = fan.ask("SectionIntent", section=slot("section", "the diary", "diary", "the studio diary",
                                                   slot_type="SECTION"), member=slot("member", "noor"))
    assert answer.speech.startswith("<speak>Here's an entry from the studio diary. <audio src=")
    assert says_nothing_of_missing_formats(answer) == []


def test_what_have_i_unlocked_in_a_campaign_without_unlockables_is_not_understood(fan):
    fan.launch()
    answer = fan.ask("UnlockedIntent")
    assert answer.speech.startswith("<speak>Sorry, I didn't get that.")
    assert says_nothing_of_missing_formats(answer) == [] and answer.ends_session is False


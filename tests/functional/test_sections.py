"""Dialogs of the section formats: sections on request, what's new, the band, unlockables, the album.

The test campaign (tests/fixtures/campaign.yaml) has a tips section and a backstage section whose
stories arrive on 4, 8 and 11 February 2027; the album is out on 20 March 2027.
"""

from __future__ import annotations

import re
from datetime import datetime, timezone
from decimal import Decimal

import pytest

from dropday.core.campaign import content_key
from dropday.localdev.conversation import Conversation
from dropday.localdev.envelopes import slot

STORY = re.compile(r'<audio src="https://cdn\.test/test-band/backstage/(story-[a-z]+)\.mp3"/>')
BACKSTAGE = slot("section", "tour stories", "backstage", "backstage", slot_type="SECTION")
IVY = slot("member", "ivy", "ivy", "Ivy")
MAX = slot("member", "the drummer", "max", "Max")


@pytest.fixture
def fan(make_skill, test_campaign, settings_api):
    """A listener in London on 12 February 2027: all three backstage stories are out."""
    def at(day=12, locale="en-GB", user="amzn1.ask.account.FAN", month=2):
        return Conversation(make_skill(test_campaign), user_id=user, locale=locale,
                            now=datetime(2027, month, day, 12, tzinfo=timezone.utc), api_endpoint=settings_api.endpoint)
    return at


def test_a_section_asked_for_by_a_synonym_plays_its_next_unheard_piece_and_offers_another(fan):
    listener = fan()
    listener.launch()
    first = listener.ask("SectionIntent", section=BACKSTAGE)
    assert first.speech.startswith("<speak>On the road with ")
    assert first.speech.endswith("/> Another story?</speak>")
    assert first.reprompt == "<speak>Want another backstage story?</speak>"
    # WHEN they say yes twice
    stories = STORY.findall(first.speech) + STORY.findall(listener.ask("AMAZON.YesIntent").speech)
    stories += STORY.findall(listener.ask("AMAZON.YesIntent").speech)
    # THEN they hear the three stories once each, never a tip
    assert sorted(stories) == ["story-ferry", "story-gig", "story-van"]


def test_a_section_story_from_a_member_plays_only_theirs(fan):
    answer = fan().ask("SectionIntent", section=BACKSTAGE, member=IVY)
    assert STORY.findall(answer.speech) == ["story-ferry"]
    assert answer.speech.startswith("<speak>On the road with Ivy. ")


def test_a_member_with_nothing_more_in_a_section_is_told_and_another_offered(fan):
    listener = fan()
    listener.launch()
    listener.ask("SectionIntent", section=BACKSTAGE, member=IVY)
    answer = listener.ask("SectionIntent", section=BACKSTAGE, member=IVY)
    # the backstage section has no sentence of its own for this, so the campaign's default wording speaks
    assert answer.speech == "<speak>Ivy has nothing new in backstage right now. Would you like one from Max?</speak>"
    assert STORY.findall(listener.ask("AMAZON.YesIntent").speech) == ["story-van"]


def test_an_unknown_section_says_so_and_names_what_there_is(fan):
    answer = fan().ask("SectionIntent", section=slot("section", "the kitchen", slot_type="SECTION"))
    assert answer.speech == ("<speak>I don't know that part of the skill. "
                             "Would you like a tip, a backstage story, or the countdown?</speak>")
    assert answer.ends_session is False


def test_a_section_with_nothing_out_yet_names_the_day_of_its_first_drop(fan):
    # GIVEN 1 February, three days before the first backstage story
    answer = fan(day=1).ask("SectionIntent", section=BACKSTAGE)
    assert answer.speech == ("<speak>There's nothing to hear in backstage just yet. Check back soon. "
                             "New backstage stories arrive on Thursday. Would you like a tip or the countdown?</speak>")


def test_the_launch_question_offers_only_the_sections_with_something_to_hear(fan):
    assert fan(day=1).launch().speech.endswith("Would you like a tip or the countdown?</speak>")
    assert fan(day=5, user="amzn1.ask.account.OTHER").launch().speech.endswith(
        "Would you like a tip, a backstage story, or the countdown?</speak>")


def test_whats_new_plays_the_newest_unheard_pieces_then_offers_the_rest(fan):
    listener = fan()
    listener.launch()
    first = listener.ask("WhatsNewIntent")
    # THEN the two newest stories play, newest first, and the third is offered
    assert STORY.findall(first.speech) == ["story-gig", "story-ferry"]
    assert first.speech.endswith("There's more that's new. Want to hear it?</speak>")
    second = listener.ask("AMAZON.YesIntent")
    assert STORY.findall(second.speech) == ["story-van"]
    # WHEN nothing new is left
    third = listener.ask("WhatsNewIntent")
    assert third.speech.startswith("<speak>You've heard everything new. ")


def test_nothing_new_names_the_day_of_the_next_drop(fan):
    listener = fan(day=5)
    listener.launch()
    listener.ask("WhatsNewIntent")                       # story-van, out since 4 February
    answer = listener.ask("WhatsNewIntent")
    assert answer.speech.startswith("<speak>You've heard everything new. New backstage stories arrive on Monday. ")


def test_a_story_heard_through_whats_new_is_not_played_again_by_the_section(fan):
    listener = fan(day=5)
    listener.launch()
    assert STORY.findall(listener.ask("WhatsNewIntent").speech) == ["story-van"]
    answer = listener.ask("SectionIntent", section=BACKSTAGE)
    assert STORY.findall(answer.speech) == ["story-van"]          # the only one out: a new rotation


def test_who_is_in_the_band_introduces_each_member_in_their_own_voice(fan):
    answer = fan().ask("BandIntent")
    assert answer.speech == ('<speak>The Test Pilots &amp; Co are Ivy and Max. '
                             '<audio src="https://cdn.test/test-band/band/ivy.mp3"/> '
                             'Max is one of The Test Pilots &amp; Co. '
                             'Who would you like to hear about? You can say: tell me about Ivy.</speak>')


def test_tell_me_about_a_member_plays_their_intro_then_offers_something_of_theirs(fan):
    listener = fan()
    listener.launch()
    answer = listener.ask("MemberIntroIntent", member=IVY)
    assert answer.speech == ('<speak><audio src="https://cdn.test/test-band/band/ivy.mp3"/> '
                             'Want to hear something from Ivy?</speak>')
    follow_up = listener.ask("AMAZON.YesIntent")
    assert follow_up.speech.startswith("<speak>From Ivy. ")


def test_hearing_every_backstage_story_unlocks_the_secret_title_the_moment_it_happens(fan):
    listener = fan()
    listener.launch()
    listener.ask("SectionIntent", section=BACKSTAGE)
    listener.ask("AMAZON.YesIntent")
    third = listener.ask("AMAZON.YesIntent")
    # THEN the third story is followed by the unlock and its clip, before the closing question
    assert third.speech.endswith("You've unlocked a secret track title! "
                                 '<audio src="https://cdn.test/test-band/unlocks/secret-title.mp3"/> '
                                 "Another story?</speak>")
    # AND it is never unlocked twice
    assert "unlocked" not in listener.ask("AMAZON.YesIntent").speech


def test_what_have_i_unlocked_names_what_they_have_and_hints_at_the_next(fan):
    listener = fan()
    assert listener.ask("UnlockedIntent").speech == (
        "<speak>You haven't unlocked anything yet. There are 3 more to find. "
        "Here's a hint: Hear every backstage story. Would you like a tip, a backstage story, or the countdown?</speak>")
    for _ in range(3):
        listener.ask("SectionIntent", section=BACKSTAGE)
    answer = listener.ask("UnlockedIntent")
    assert answer.speech == ("<speak>You've unlocked a secret track title. There are 2 more to find. "
                             "Here's a hint: Come back on three different days. "
                             "Would you like to hear what you've unlocked?</speak>")
    # the locked content itself is never said
    assert "A surprise for release day" not in answer.speech and "Thank you for coming back" not in answer.speech
    replay = listener.ask("AMAZON.YesIntent")
    assert '<audio src="https://cdn.test/test-band/unlocks/secret-title.mp3"/>' in replay.speech


def test_visiting_on_three_different_days_unlocks_the_thank_you(fan, test_campaign, stored_item):
    listener = fan(day=1)
    for day in range(3):
        answer = listener.launch()
        listener.ask("AMAZON.StopIntent")
        listener.wait(days=1)
    assert "You've unlocked a thank-you! Thank you for coming back, from all of us." in answer.speech
    stored = stored_item("amzn1.ask.account.FAN")["attributes"]
    assert stored["visit_days"] == Decimal(3)
    assert stored["unlocked"] == test_campaign.unlockable("loyal-fan").key


def test_play_the_album_before_release_is_the_countdown_and_after_it_how_to_listen(fan):
    assert fan().ask("ListenIntent").speech.startswith("<speak>36 days until Night &lt;Shift&gt;.")
    after = fan(day=1, month=4, user="amzn1.ask.account.LATER")
    assert after.ask("ListenIntent").speech.startswith("<speak>Say play Night &lt;Shift&gt;. ")


def test_help_names_only_what_this_campaign_has(fan):
    assert fan().ask("AMAZON.HelpIntent").speech == (
        "<speak>Help for The Test Pilots &amp; Co. Ask for a tip from Ivy. Ask for backstage. "
        "Ask who's in the band. Ask what you've unlocked. Ask for the countdown. What would you like?</speak>")


def test_sections_work_in_another_locale_with_its_own_transcripts(fan):
    american = fan(locale="en-US")
    answers = " ".join(american.ask("TipIntent", member=MAX).speech for _ in range(3))
    assert "Max tip for Britain." in answers and "max-gb-clip.mp3" not in answers   # its clip is en-GB only
    assert STORY.findall(american.ask("SectionIntent", section=BACKSTAGE, member=MAX).speech) == ["story-van"]
    assert american.ask("AMAZON.StopIntent").speech == "<speak>Goodbye, American.</speak>"


def test_a_listener_stored_by_version_1_keeps_the_tips_they_heard(make_skill, test_campaign, settings_api,
                                                                   dynamodb, stored_item):
    # GIVEN a live listener whose item version 1 wrote: they heard four of the five February tips
    heard = [content_key(t) for t in ("ivy-one", "ivy-two", "max-one", "max-text-only")]
    dynamodb.Table("dropday-test-state").put_item(Item={
        "id": "amzn1.ask.account.OLD", "version": 3,
        "attributes": {"v": 1, "heard": "".join(heard), "rotation": 1, "visits": 41, "last_visit": "2027-01-30"}})
    listener = Conversation(make_skill(test_campaign), user_id="amzn1.ask.account.OLD",
                            now=datetime(2027, 2, 1, 12, tzinfo=timezone.utc), api_endpoint=settings_api.endpoint)
    # WHEN they ask for a tip
    answer = listener.ask("TipIntent")
    # THEN it is the one tip they had not heard, and their progress is kept in version 2
    assert "max-gb-clip.mp3" in answer.speech
    stored = stored_item("amzn1.ask.account.OLD")["attributes"]
    assert stored["v"] == Decimal(2)
    assert stored["sections"]["tips"] == {"heard": "".join([*heard, content_key("max-gb-clip")]),
                                          "rotation": Decimal(1)}
    assert (stored["visits"], stored["visit_days"]) == (Decimal(42), Decimal(2))

"""Dialogs as a listener has them: what Alexa says, and whether the session stays open."""

from __future__ import annotations

import re
from datetime import datetime, timezone

from dropday.localdev.envelopes import slot

CLIP = re.compile(r'<audio src="https://cdn\.test/test-band/tips/([a-z-]+)\.mp3"/>')


TEXT_ONLY = {"Max has no clip for this one.": "max-text-only"}


def tip_ids(answer):
    """The tips played in an answer: by clip, or by transcript for the tip that has no clip."""
    return CLIP.findall(answer.speech) + [tip for text, tip in TEXT_ONLY.items() if text in answer.speech]


def test_a_first_visit_is_welcomed_and_asked_what_they_want(listener):
    answer = listener.launch()
    assert answer.speech == "<speak>First welcome to The Test Pilots &amp; Co. Would you like a tip or the countdown?</speak>"
    assert answer.reprompt == "<speak>Say a tip or the countdown.</speak>"
    assert answer.ends_session is False


def test_a_tip_plays_the_members_clip_and_offers_another(listener):
    listener.launch()
    answer = listener.ask("TipIntent")
    played = tip_ids(answer)
    assert len(played) == 1
    member = {"ivy": "Ivy", "max": "Max"}[played[0].split("-")[0]]
    assert answer.speech.startswith(f"<speak>From {member}. <audio")
    assert answer.speech.endswith("/> Another tip?</speak>")
    assert answer.reprompt == "<speak>Want another tip?</speak>"
    assert answer.ends_session is False


def test_yes_and_next_play_further_tips_without_repeats(listener):
    listener.launch()
    heard = tip_ids(listener.ask("TipIntent"))
    heard += tip_ids(listener.ask("AMAZON.YesIntent"))
    heard += tip_ids(listener.ask("AMAZON.NextIntent"))
    assert len(heard) == len(set(heard)) == 3


def test_a_listener_hears_every_available_tip_once_across_sessions_before_any_repeat(listener):
    # GIVEN February: five tips are available (ivy-march is not out, max-expired is over)
    spoken = []
    for _ in range(5):
        spoken.append(listener.ask("TipIntent"))     # one-shot: "ask test pilots for a tip"
        listener.ask("AMAZON.StopIntent")
    played = [tip for answer in spoken for tip in tip_ids(answer)]
    assert sorted(played) == ["ivy-one", "ivy-two", "max-gb-clip", "max-one", "max-text-only"]


def test_a_clip_for_another_locale_is_spoken_as_its_transcript(make_skill, test_campaign, settings_api):
    from datetime import datetime, timezone

    from dropday.localdev.conversation import Conversation
    american = Conversation(make_skill(test_campaign), locale="en-US",
                            now=datetime(2027, 2, 1, tzinfo=timezone.utc), api_endpoint=settings_api.endpoint)
    answers = [american.ask("TipIntent", member=slot("member", "max", "max", "Max")) for _ in range(3)]
    speech = " ".join(a.speech for a in answers)
    assert "Max tip for Britain." in speech          # the en-GB-only clip, as text
    assert "max-gb-clip.mp3" not in speech
    assert "max-one.mp3" in speech


def test_a_tip_from_a_named_member_uses_entity_resolution(listener):
    answer = listener.ask("TipIntent", member=slot("member", "the singer", "ivy", "Ivy"))
    assert answer.speech.startswith("<speak>From Ivy. ")
    assert tip_ids(answer)[0].startswith("ivy-")


def test_a_member_named_by_a_synonym_without_resolution_is_still_found(listener):
    answer = listener.ask("TipIntent", member={"name": "member", "value": "Maxwell"})
    assert answer.speech.startswith("<speak>From Max. ")


def test_an_unknown_member_gets_a_tip_from_the_band(listener):
    answer = listener.ask("TipIntent", member=slot("member", "bob"))
    assert answer.speech.startswith("<speak>Unknown member, here is one from the band. From ")
    assert answer.ends_session is False


def test_when_a_member_has_nothing_new_another_member_is_offered_and_yes_plays_them(listener):
    ivy = slot("member", "ivy", "ivy", "Ivy")
    listener.launch()
    listener.ask("TipIntent", member=ivy)
    listener.ask("TipIntent", member=ivy)
    answer = listener.ask("TipIntent", member=ivy)
    assert answer.speech == "<speak>Ivy has nothing new. Want one from Max?</speak>"
    assert answer.reprompt == "<speak>Shall I play Max?</speak>"
    follow_up = listener.ask("AMAZON.YesIntent")
    assert follow_up.speech.startswith("<speak>From Max. ")


WELCOMES_BACK = ("Welcome back.", '<audio src="https://cdn.test/test-band/welcomes/back.mp3"/>')


def test_a_returning_listener_hears_what_is_new_in_each_section(listener):
    listener.launch()                                            # 1 February
    listener.ask("AMAZON.StopIntent")
    listener.wait(days=3)                                        # 4 February: the first backstage story
    assert listener.launch().speech == ("<speak>Welcome back, a new backstage story. "
                                        "Would you like a tip, a backstage story, or the countdown?</speak>")
    listener.ask("AMAZON.StopIntent")
    listener.wait(days=25)                                       # 1 March: ivy-march and two more stories
    assert listener.launch().speech.startswith(
        "<speak>Welcome back, one new tip and 2 new backstage stories. ")


def test_a_returning_listener_never_hears_the_same_welcome_twice_in_a_row(listener):
    # GIVEN a listener who visits on five days with nothing new in between
    listener.wait(days=-10)                                      # 22 January: before any story
    listener.launch()
    welcomes = []
    for _ in range(5):
        listener.ask("AMAZON.StopIntent")
        listener.wait(hours=1)
        speech = listener.launch().speech
        welcomes.append(next(w for w in WELCOMES_BACK if speech.startswith(f"<speak>{w} ")))
    # THEN each welcome differs from the one before it
    assert all(a != b for a, b in zip(welcomes, welcomes[1:])), welcomes


def test_the_countdown_counts_days_in_the_listeners_zone(listener):
    answer = listener.ask("CountdownIntent")
    assert answer.speech == "<speak>47 days until Night &lt;Shift&gt;. Want a tip while you wait?</speak>"
    assert answer.reprompt == "<speak>Want a tip while you wait?</speak>"
    assert listener.ask("AMAZON.YesIntent").speech.startswith("<speak>From ")


def test_a_recorded_countdown_line_replaces_the_sentence_on_its_day(listener):
    listener.wait(days=17)                                       # 18 February: 30 days to go
    answer = listener.ask("CountdownIntent")
    assert answer.speech == ('<speak><audio src="https://cdn.test/test-band/countdown/thirty.mp3"/> '
                             'Want a tip while you wait?</speak>')


def test_stop_cancel_no_and_home_say_goodbye_and_end_the_session(listener):
    for intent in ("AMAZON.StopIntent", "AMAZON.CancelIntent", "AMAZON.NoIntent", "AMAZON.NavigateHomeIntent"):
        listener.launch()
        answer = listener.ask(intent)
        assert answer.speech == "<speak>Goodbye before release.</speak>", intent
        assert answer.ends_session is True
        assert answer.reprompt == ""


def test_goodbyes_follow_the_locale_and_the_release(listener):
    listener.locale = "en-US"
    assert listener.ask("AMAZON.StopIntent").speech == "<speak>Goodbye, American.</speak>"
    listener.locale = "en-GB"
    listener.wait(days=60)
    assert listener.ask("AMAZON.StopIntent").speech == "<speak>Goodbye, enjoy Night &lt;Shift&gt;.</speak>"


def test_repeat_says_the_last_answer_again(listener):
    listener.launch()
    tip = listener.ask("TipIntent")
    again = listener.ask("AMAZON.RepeatIntent")
    assert (again.speech, again.reprompt, again.ends_session) == (tip.speech, tip.reprompt, False)
    assert tip_ids(listener.ask("AMAZON.YesIntent")) != tip_ids(tip)


def test_repeat_at_the_start_of_a_session_says_there_is_nothing_yet(listener):
    answer = listener.ask("AMAZON.RepeatIntent")
    assert answer.speech == "<speak>Nothing to repeat. Would you like a tip or the countdown?</speak>"
    assert answer.ends_session is False


def test_help_explains_and_asks(listener):
    answer = listener.ask("AMAZON.HelpIntent")
    assert answer.speech == ("<speak>Help for The Test Pilots &amp; Co. Ask for a tip from Ivy. Ask what's new. "
                             "Ask who's in the band. Ask what you've unlocked. Ask for the countdown. "
                             "What would you like?</speak>")
    assert answer.reprompt == "<speak>Say a tip or the countdown.</speak>"


def test_fallback_and_other_skills_intents_reprompt_with_examples(listener):
    for intent in ("AMAZON.FallbackIntent", "airportInfoIntent"):
        answer = listener.ask(intent)
        assert answer.speech == "<speak>Fallback line. Would you like a tip or the countdown?</speak>"
        assert answer.reprompt == "<speak>Fallback reprompt.</speak>"
        assert answer.ends_session is False


def test_a_session_ended_by_the_device_gets_no_speech(listener):
    listener.launch()
    answer = listener.end_session("EXCEEDED_MAX_REPROMPTS")
    assert answer.speech == "" and answer.response["response"] == {}


def test_every_answer_ends_the_session_or_asks_a_question_with_a_reprompt(listener):
    ivy = slot("member", "ivy", "ivy", "Ivy")
    script = ["LaunchRequest", "TipIntent", "AMAZON.YesIntent", ("TipIntent", ivy), ("TipIntent", ivy),
              ("TipIntent", ivy), "AMAZON.NoIntent", "CountdownIntent", "AMAZON.RepeatIntent", "AMAZON.HelpIntent",
              "AMAZON.FallbackIntent", "AMAZON.NextIntent", "AMAZON.CancelIntent", "AMAZON.YesIntent"]
    for step in script:
        if step == "LaunchRequest":
            answer = listener.launch()
        elif isinstance(step, tuple):
            answer = listener.ask(step[0], member=step[1])
        else:
            answer = listener.ask(step)
        assert answer.ends_session in (True, False), step
        if answer.ends_session:
            assert not answer.reprompt, step
        else:
            assert answer.speech.endswith("?</speak>") and answer.reprompt, step


def test_a_published_campaign_plays_its_clips_from_the_hashed_keys(make_skill, test_campaign, settings_api):
    from dropday.localdev.conversation import Conversation
    published = test_campaign._replace(published={p: f"test-band/{p[:-4]}.abcdef012345.mp3"
                                                  for p in test_campaign.audio_paths})
    answer = Conversation(make_skill(published), api_endpoint=settings_api.endpoint).ask(
        "TipIntent", member=slot("member", "ivy", "ivy", "Ivy"))
    assert re.search(r'<audio src="https://cdn\.test/test-band/tips/ivy-(one|two)\.abcdef012345\.mp3"/>',
                     answer.speech)


def test_every_transcript_spoken_as_text_has_its_placeholders_filled(make_skill, test_campaign, settings_api):
    from dropday.core.campaign import Localized, Recording
    from dropday.localdev.conversation import Conversation
    # GIVEN a campaign whose only tip has no clip and names the album in its transcript
    tips = test_campaign.tips_section
    only = tips.pieces[3]._replace(recording=Recording(Localized("Hear {album} loud.")))
    campaign = test_campaign._replace(sections=(tips._replace(pieces=(only,)),))
    listener = Conversation(make_skill(campaign), api_endpoint=settings_api.endpoint,
                            now=datetime(2027, 2, 1, 12, tzinfo=timezone.utc))
    # THEN the album's title is spoken, not a brace
    assert "Hear Night &lt;Shift&gt; loud." in listener.ask("TipIntent").speech


def test_yes_to_a_member_no_longer_in_the_campaign_plays_any_tip(listener):
    listener.launch()
    listener.attributes["offer"] = {"member": "somebody-who-left"}
    assert listener.ask("AMAZON.YesIntent").speech.startswith("<speak>From ")


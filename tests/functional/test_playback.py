"""Long-form episodes as a listener has them: streamed with AudioPlayer, paused, resumed anywhere.

Every request goes through the skill's Lambda handler on moto; `Speaker` is an Echo that follows
the AudioPlayer directives it gets and sends the events a device sends.
"""

from __future__ import annotations

import copy
import json
import logging
from datetime import datetime, timedelta, timezone

import pytest

from dropday.content import read_manifest
from dropday.localdev import envelopes
from dropday.localdev.audio_device import Speaker
from support import FIXTURES, REPO

TOKEN_1, TOKEN_2, TOKEN_3 = "echo-hall:tbt-01-doorway", "echo-hall:tbt-02-stairwell", "echo-hall:tbt-03-lantern"
FEBRUARY = datetime(2027, 2, 1, 19, 0, tzinfo=timezone.utc)
MINUTES = 60_000


@pytest.fixture(scope="module")
def campaign():
    """tests/fixtures/playback-campaign.yaml: an autoplaying track-by-track (track 4 arrives on
    10 February) and interviews that do not autoplay."""
    return read_manifest(FIXTURES / "playback-campaign.yaml")


@pytest.fixture
def skill(make_skill, campaign):
    return make_skill(campaign)


@pytest.fixture
def echo(skill):
    """The listener's Echo in the living room, on 1 February 2027."""
    return Speaker(skill, device_id="amzn1.ask.device.LIVING-ROOM", now=FEBRUARY,
                   durations={TOKEN_1: 6 * MINUTES, TOKEN_2: 5 * MINUTES, TOKEN_3: 7 * MINUTES})


def section(name="the track-by-track"):
    return {"section": {"name": "section", "value": name}}


def track(number: str):
    return {"track": {"name": "track", "value": number}}


def body(answer):
    return answer.response["response"]


def directives(answer):
    return body(answer).get("directives", [])


def played(answer):
    """(token, url, offset, behavior, expected previous token) of the answer's one Play directive."""
    [play] = [d for d in directives(answer) if d["type"] == "AudioPlayer.Play"]
    stream = play["audioItem"]["stream"]
    return (stream["token"], stream["url"], stream["offsetInMilliseconds"], play["playBehavior"],
            stream.get("expectedPreviousToken"))


def position(stored_item, campaign):
    """The stored (episode id, offset) of the listener's last stop, or None."""
    from dropday.core.listener import ListenerState
    from dropday.core.episodes import episode_with_key
    state = ListenerState.from_dict((stored_item() or {}).get("attributes"))
    if state.playback is None:
        return None
    return episode_with_key(campaign, state.playback.episode).id, state.playback.offset_ms


def assert_silent(answer):
    """A response AudioPlayer accepts for its events: no speech, card, reprompt or session end."""
    assert not {"outputSpeech", "card", "reprompt", "shouldEndSession"} & set(body(answer))


# -- starting an episode ---------------------------------------------------------------------------------


def test_play_the_track_by_track_introduces_the_first_episode_and_streams_it(echo, stored_item, campaign):
    # WHEN a listener asks for the track-by-track for the first time
    answer = echo.ask("SectionIntent", **section())
    # THEN Alexa says the section's own introduction, then streams episode one from the start
    assert body(answer)["outputSpeech"]["ssml"] == "<speak>Track talk: Doorway, the opening song.</speak>"
    assert played(answer) == (TOKEN_1, "https://cdn.test/echo-hall/track-by-track/01-doorway.m4a", 0,
                              "REPLACE_ALL", None)
    [play] = directives(answer)
    assert play["audioItem"]["metadata"] == {"title": "Doorway, the opening song", "subtitle": "The Echo Hall"}
    # AND the session ends, as AudioPlayer requires, with nothing asked
    assert answer.ends_session is True and "reprompt" not in body(answer)
    # AND the device started it, and the listener's place is stored
    assert echo.activity == "PLAYING" and echo.token == TOKEN_1
    assert position(stored_item, campaign) == ("tbt-01-doorway", 0)


def test_the_stream_plays_from_the_published_key_when_the_campaign_was_published(make_skill, campaign):
    published = campaign._replace(published={**{p: f"echo-hall/{p}" for p in campaign.audio_paths},
                                             "track-by-track/01-doorway.m4a": "echo-hall/track-by-track/"
                                                                              "01-doorway.3f2a9c41b0de.m4a"})
    answer = Speaker(make_skill(published), now=FEBRUARY).ask("SectionIntent", **section())
    assert played(answer)[1] == "https://cdn.test/echo-hall/track-by-track/01-doorway.3f2a9c41b0de.m4a"


def test_tell_me_about_track_three_plays_that_episode(echo):
    answer = echo.ask("EpisodeIntent", **track("3"))
    assert body(answer)["outputSpeech"]["ssml"] == "<speak>Track talk: Lantern.</speak>"
    assert played(answer)[0] == TOKEN_3


def test_a_track_whose_episode_is_not_out_yet_says_when_it_arrives_and_asks_what_next(echo):
    answer = echo.ask("EpisodeIntent", **track("4"))
    speech = body(answer)["outputSpeech"]["ssml"]
    assert speech.startswith("<speak>The episode about track 4 arrives on Wednesday 10 February. ")
    assert directives(answer) == [] and answer.ends_session is False


def test_a_track_without_an_episode_is_said_plainly(echo):
    answer = echo.ask("EpisodeIntent", **track("9"))
    assert body(answer)["outputSpeech"]["ssml"].startswith("<speak>There's no episode about track 9. ")
    assert directives(answer) == [] and answer.ends_session is False


def test_play_the_next_episode_is_the_first_one_not_heard_yet(echo):
    echo.ask("SectionIntent", **section())
    echo.listen(6 * 60)                            # episode one plays to the end, episode two follows
    echo.stop()
    answer = echo.ask("EpisodeIntent")             # "play the next episode"
    # THEN episode two, where they stopped it (they had not finished it)
    assert body(answer)["outputSpeech"]["ssml"] == "<speak>Picking up Stairwell where you left off.</speak>"
    assert played(answer)[0] == TOKEN_2


def test_a_device_without_audioplayer_hears_the_intro_and_where_to_listen(make_skill, campaign, stored_item):
    # GIVEN a device that cannot stream (no AudioPlayer in supportedInterfaces)
    screenless = Speaker(make_skill(campaign), now=FEBRUARY, audio_player=False)
    answer = screenless.ask("SectionIntent", **section())
    speech = body(answer)["outputSpeech"]["ssml"]
    # THEN the intro, where episodes can be heard, and a question; no directive, no error
    assert speech.startswith("<speak>Track talk: Doorway, the opening song. Episodes play on Echo speakers and in "
                             "the Alexa app, not on this device. Ask for Doorway, the opening song there. Would you")
    assert directives(answer) == [] and answer.ends_session is False
    assert position(stored_item, campaign) is None
    # AND "next" in this session moves on to the next episode, still in speech
    answer = screenless.ask("AMAZON.NextIntent")
    assert body(answer)["outputSpeech"]["ssml"].startswith("<speak>Track talk: Stairwell. Episodes play on ")
    assert directives(answer) == []


# -- AudioPlayer events -----------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["AudioPlayer.PlaybackStarted", "AudioPlayer.PlaybackStopped",
                                  "AudioPlayer.PlaybackNearlyFinished", "AudioPlayer.PlaybackFinished",
                                  "AudioPlayer.PlaybackFailed"])
def test_every_playback_event_is_answered_without_speech(echo, kind):
    echo.ask("SectionIntent", **section())
    extra = {"error": {"type": "MEDIA_ERROR_UNKNOWN", "message": "boom"}} if kind.endswith("Failed") else {}
    assert_silent(echo.event(kind, **extra))


def test_every_event_the_device_sent_while_playing_was_answered_without_speech(echo):
    echo.ask("SectionIntent", **section())
    echo.listen(20 * 60)
    kinds = [event["request"]["type"] for event, _ in echo.events]
    assert {"AudioPlayer.PlaybackStarted", "AudioPlayer.PlaybackNearlyFinished",
            "AudioPlayer.PlaybackFinished"} <= set(kinds)
    for _, answer in echo.events:
        assert_silent(answer)


def test_finishing_an_episode_marks_it_heard_and_the_next_request_plays_the_one_after(
        make_skill, campaign, stored_item, dynamodb_calls):
    # GIVEN interviews (no autoplay): the first one plays to its end
    echo = Speaker(make_skill(campaign), now=FEBRUARY)
    assert played(echo.ask("SectionIntent", **section("the interviews")))[0] == "echo-hall:int-tour"
    dynamodb_calls.clear()
    echo.listen(10 * 60)
    # THEN nothing was enqueued, and the state says the tour interview was heard
    assert echo.activity == "FINISHED" and echo.queued is None
    from dropday.core.listener import ListenerState
    state = ListenerState.from_dict(stored_item()["attributes"])
    assert state.progress("interviews").heard == (campaign.section("interviews").pieces[0].key,)
    assert position(stored_item, campaign) is None           # nothing to resume inside a finished episode
    # AND the next "play the interviews" plays the studio one
    assert played(echo.ask("SectionIntent", **section("the interviews")))[0] == "echo-hall:int-studio"


def test_autoplay_enqueues_the_next_episode_after_the_one_playing(echo):
    echo.ask("SectionIntent", **section())
    echo.listen(6 * 60 - 10)                       # ten seconds before the end of episode one
    [(event, answer)] = [e for e in echo.events if e[0]["request"]["type"] == "AudioPlayer.PlaybackNearlyFinished"]
    token, _, offset, behavior, previous = played(answer)
    assert (token, offset, behavior, previous) == (TOKEN_2, 0, "ENQUEUE", TOKEN_1)
    assert_silent(answer)
    echo.listen(10)
    assert echo.token == TOKEN_2 and echo.activity == "PLAYING"


def test_playback_stopped_saves_the_place_and_nothing_else(echo, stored_item, campaign):
    echo.ask("SectionIntent", **section())
    echo.listen(90)
    echo.stop()
    assert position(stored_item, campaign) == ("tbt-01-doorway", 90_000)
    [answer] = [a for e, a in echo.events if e["request"]["type"] == "AudioPlayer.PlaybackStopped"]
    assert body(answer) == {}


def test_a_failed_stream_is_logged_once_with_the_episode_and_the_error(echo, caplog):
    echo.ask("SectionIntent", **section())
    with caplog.at_level(logging.INFO, logger="dropday"):
        answer = echo.event("AudioPlayer.PlaybackFailed",
                            error={"type": "MEDIA_ERROR_SERVICE_UNAVAILABLE", "message": "CDN said 503"})
    assert_silent(answer)
    lines = [r.getMessage() for r in caplog.records if "failed to play" in r.getMessage()]
    assert len(lines) == 1
    assert "track-by-track/tbt-01-doorway" in lines[0] and "MEDIA_ERROR_SERVICE_UNAVAILABLE" in lines[0] \
        and "CDN said 503" in lines[0]
    assert "amzn1.ask.account" not in caplog.text


def test_events_about_another_skills_stream_touch_nothing(echo, dynamodb_calls):
    echo.token, echo.activity = "someone-else:track-7", "PLAYING"
    for kind in ("AudioPlayer.PlaybackStarted", "AudioPlayer.PlaybackStopped", "AudioPlayer.PlaybackFinished",
                 "AudioPlayer.PlaybackNearlyFinished"):
        assert body(echo.event(kind)) == {}
    assert dynamodb_calls == []


# -- the built-ins while an episode plays -------------------------------------------------------------------


def test_pause_stops_the_stream_silently_and_keeps_the_place(echo, stored_item, campaign):
    echo.ask("SectionIntent", **section())
    echo.listen(150)
    answer = echo.ask("AMAZON.PauseIntent")                # "Alexa, pause": a new session, no skill name
    assert [d["type"] for d in directives(answer)] == ["AudioPlayer.Stop"]
    assert "outputSpeech" not in body(answer) and answer.ends_session is True
    assert echo.activity == "STOPPED"
    assert position(stored_item, campaign) == ("tbt-01-doorway", 150_000)


def test_resume_uses_the_devices_own_offset_when_playback_stopped_never_arrived(echo):
    # GIVEN the player stopped 2:30 in and the device lost the PlaybackStopped event
    echo.ask("SectionIntent", **section())
    echo.listen(150)
    echo.stop(report=False)
    # WHEN the listener says "Alexa, resume"
    echo.ask("AMAZON.ResumeIntent")
    assert echo.offset_ms == 150_000                        # resumed from the device's own report


@pytest.mark.parametrize("intent", ["AMAZON.StopIntent", "AMAZON.CancelIntent"])
def test_stop_and_cancel_while_playing_stop_the_stream(echo, intent):
    echo.ask("SectionIntent", **section())
    answer = echo.ask(intent)
    assert [d["type"] for d in directives(answer)] == ["AudioPlayer.Stop"]
    assert "outputSpeech" not in body(answer)


def test_resume_continues_where_the_listener_paused(echo):
    echo.ask("SectionIntent", **section())
    echo.listen(200)
    echo.ask("AMAZON.PauseIntent")
    answer = echo.ask("AMAZON.ResumeIntent")
    token, _, offset, behavior, _ = played(answer)
    assert (token, offset, behavior) == (TOKEN_1, 200_000, "REPLACE_ALL")
    assert "outputSpeech" not in body(answer)               # the device's own pause resumes without a word


def test_resume_continues_on_another_device_in_a_later_session(skill, echo, stored_item, campaign):
    # GIVEN the listener paused episode one 4 minutes in, in the living room
    echo.ask("SectionIntent", **section())
    echo.listen(240)
    echo.ask("AMAZON.PauseIntent")
    # WHEN the next evening they ask the kitchen Echo, which never played it, to resume
    kitchen = Speaker(skill, device_id="amzn1.ask.device.KITCHEN", now=FEBRUARY + timedelta(days=1))
    answer = kitchen.ask("AMAZON.ResumeIntent")
    # THEN it says what it picks up and streams it from 4:00
    assert body(answer)["outputSpeech"]["ssml"] == "<speak>Picking up Doorway, the opening song where you left " \
                                                   "off.</speak>"
    assert played(answer)[:3] == (TOKEN_1, "https://cdn.test/echo-hall/track-by-track/01-doorway.m4a", 240_000)


def test_a_newer_stop_on_another_device_wins_over_this_devices_older_pause(skill, echo):
    # GIVEN the living room paused at 1:00, then the kitchen resumed and stopped at 3:00
    echo.ask("SectionIntent", **section())
    echo.listen(60)
    echo.ask("AMAZON.PauseIntent")
    kitchen = Speaker(skill, device_id="amzn1.ask.device.KITCHEN", now=FEBRUARY + timedelta(hours=1))
    kitchen.ask("AMAZON.ResumeIntent")
    kitchen.listen(120)
    kitchen.ask("AMAZON.PauseIntent")
    # WHEN the living room, whose player still says 1:00, is asked to resume
    echo.now = FEBRUARY + timedelta(hours=2)
    answer = echo.ask("AMAZON.ResumeIntent")
    # THEN it resumes at 3:00, where the listener really stopped
    assert played(answer)[2] == 180_000


def test_resume_with_nothing_to_resume_says_so_and_asks(skill):
    answer = Speaker(skill, now=FEBRUARY).ask("AMAZON.ResumeIntent")
    assert body(answer)["outputSpeech"]["ssml"].startswith("<speak>There's no episode to pick up where you left off. ")
    assert answer.ends_session is False and directives(answer) == []


def test_next_and_previous_move_between_episodes_from_the_one_playing(echo):
    echo.ask("EpisodeIntent", **track("2"))
    answer = echo.ask("AMAZON.NextIntent")
    assert body(answer)["outputSpeech"]["ssml"] == "<speak>Track talk: Lantern.</speak>"
    token, _, offset, behavior, _ = played(answer)
    assert (token, offset, behavior) == (TOKEN_3, 0, "REPLACE_ALL")
    answer = echo.ask("AMAZON.PreviousIntent")
    assert played(answer)[0] == TOKEN_2


def test_previous_on_the_first_episode_starts_it_over(echo):
    echo.ask("SectionIntent", **section())
    echo.listen(30)
    answer = echo.ask("AMAZON.PreviousIntent")
    assert body(answer)["outputSpeech"]["ssml"].startswith("<speak>That's the first episode of the track-by-track")
    token, _, offset, _, _ = played(answer)
    assert (token, offset) == (TOKEN_1, 0)


def test_next_after_the_last_episode_out_says_so_and_when_more_arrive(echo):
    echo.ask("EpisodeIntent", **track("3"))
    answer = echo.ask("AMAZON.NextIntent")
    assert body(answer)["outputSpeech"]["ssml"] == "<speak>That was the last episode of the track-by-track for " \
                                                   "now. More from the track-by-track arrives on Wednesday 10 " \
                                                   "February.</speak>"
    assert directives(answer) == [] and answer.ends_session is True


@pytest.mark.parametrize("intent", ["AMAZON.StartOverIntent", "AMAZON.RepeatIntent"])
def test_start_over_and_repeat_play_the_episode_again_from_the_beginning(echo, intent):
    echo.ask("EpisodeIntent", **track("2"))
    echo.listen(100)
    answer = echo.ask(intent)
    token, _, offset, _, _ = played(answer)
    assert (token, offset) == (TOKEN_2, 0)
    assert "outputSpeech" not in body(answer)


@pytest.mark.parametrize("intent", ["AMAZON.LoopOnIntent", "AMAZON.LoopOffIntent", "AMAZON.ShuffleOnIntent",
                                    "AMAZON.ShuffleOffIntent"])
def test_loop_and_shuffle_are_politely_declined_and_the_episode_carries_on(echo, intent):
    echo.ask("SectionIntent", **section())
    answer = echo.ask(intent)
    assert body(answer)["outputSpeech"]["ssml"] == "<speak>Sorry, I can't loop or shuffle these episodes.</speak>"
    assert directives(answer) == [] and answer.ends_session is True
    assert echo.activity == "PLAYING"


@pytest.mark.parametrize(("command", "expected"), [("Play", TOKEN_1), ("Next", TOKEN_2), ("Previous", TOKEN_1)])
def test_playback_controller_buttons_play_without_speech(echo, command, expected):
    echo.ask("SectionIntent", **section())
    echo.listen(50)
    echo.ask("AMAZON.PauseIntent")
    answer = echo.press(command)
    assert played(answer)[0] == expected
    assert_silent(answer)


def test_the_pause_button_stops_the_stream_without_speech(echo, stored_item, campaign):
    echo.ask("SectionIntent", **section())
    echo.listen(50)
    answer = echo.press("Pause")
    assert [d["type"] for d in directives(answer)] == ["AudioPlayer.Stop"]
    assert_silent(answer)
    assert position(stored_item, campaign) == ("tbt-01-doorway", 50_000)


# -- outside playback, next and stop keep their meaning -------------------------------------------------


def test_next_and_stop_inside_a_conversation_keep_their_meaning_though_an_episode_is_paused(echo):
    # GIVEN an episode paused on this Echo
    echo.ask("SectionIntent", **section())
    echo.ask("AMAZON.PauseIntent")
    # WHEN the listener opens the skill and says "next", then "stop"
    echo.launch()
    answer = echo.ask("AMAZON.NextIntent")
    # THEN "next" plays what the question offered (a tip), and "stop" says goodbye
    assert "june-tip.mp3" in body(answer)["outputSpeech"]["ssml"] and directives(answer) == []
    answer = echo.ask("AMAZON.StopIntent")
    assert body(answer)["outputSpeech"]["ssml"] == "<speak>Goodbye from the hall.</speak>"
    assert directives(answer) == []


@pytest.mark.parametrize("player", [None, {"token": "another-skill:song", "offsetInMilliseconds": 5,
                                           "playerActivity": "PLAYING"}])
def test_next_and_stop_without_an_episode_of_ours_are_unchanged(skill, player):
    def one_shot(intent):
        event = envelopes.envelope(envelopes.intent(intent), user_id="amzn1.ask.account.X", device_id="d",
                                   locale="en-GB", now=FEBRUARY, session_id="s", new_session=True, attributes={},
                                   supported_interfaces={"AudioPlayer": {}})
        if player:
            event["context"]["AudioPlayer"] = player
        return skill(event, None)["response"]

    assert one_shot("AMAZON.StopIntent") == {"outputSpeech": {"type": "SSML",
                                                              "ssml": "<speak>Goodbye from the hall.</speak>"},
                                             "shouldEndSession": True}
    assert "june-tip.mp3" in one_shot("AMAZON.NextIntent")["outputSpeech"]["ssml"]


def test_whats_new_never_plays_an_episode_inline(echo):
    answer = echo.ask("WhatsNewIntent")
    assert ".m4a" not in json.dumps(answer.response) and directives(answer) == []


def test_the_help_names_the_long_form_section(echo):
    answer = echo.ask("AMAZON.HelpIntent")
    assert 'Say "play the track-by-track" to hear the next episode, with pause and resume.' in \
        body(answer)["outputSpeech"]["ssml"]


# -- real envelopes -------------------------------------------------------------------------------------------

SHARED = REPO.parent / "shared" / "fixtures"
REAL_PLAYBACK = sorted(p for folder in ("alexa-app", "alexa-more") if (SHARED / folder).is_dir()
                       for p in (SHARED / folder).glob("*.json")
                       if any(word in p.name.lower() for word in ("audio", "playback", "pause", "resume")))


@pytest.mark.skipif(not REAL_PLAYBACK, reason=f"the real Alexa envelopes are not at {SHARED} (only CI has ../shared)")
@pytest.mark.parametrize("path", REAL_PLAYBACK, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_real_audioplayer_envelopes_get_a_valid_answer(skill, path):
    from test_robustness import assert_valid_response
    event = json.loads(path.read_text())
    response = skill(copy.deepcopy(event), None)
    assert_valid_response(response)
    kind = event["request"]["type"]
    if kind.startswith(("AudioPlayer.", "PlaybackController.")):
        assert_silent(type("A", (), {"response": response})())


@pytest.mark.skipif(not REAL_PLAYBACK, reason=f"the real Alexa envelopes are not at {SHARED} (only CI has ../shared)")
def test_the_real_envelopes_cover_every_audioplayer_event_and_the_pause_and_resume_intents():
    kinds = {json.loads(p.read_text())["request"]["type"] for p in REAL_PLAYBACK}
    assert {"AudioPlayer.PlaybackStarted", "AudioPlayer.PlaybackStopped", "AudioPlayer.PlaybackFinished",
            "AudioPlayer.PlaybackNearlyFinished", "AudioPlayer.PlaybackFailed",
            "PlaybackController.PlayCommandIssued", "IntentRequest"} <= kinds


@pytest.mark.skipif(not (SHARED / "alexa-more").is_dir(), reason=f"{SHARED / 'alexa-more'} is absent")
def test_a_real_stop_event_with_our_token_saves_the_place(skill, stored_item, campaign):
    # GIVEN VoxaAI's real PlaybackStopped envelope, its token replaced by one of ours
    event = json.loads((SHARED / "alexa-more" / "audioplayer-playback-stopped.json").read_text())
    event["request"]["token"] = event["context"]["AudioPlayer"]["token"] = TOKEN_2
    response = skill(event, None)
    assert response["response"] == {}
    assert position(lambda: stored_item("amzn1.ask.account.xxx"), campaign) == ("tbt-02-stairwell", 353160)

"""Long-form episodes: tokens, which episode plays, where the listener is, what is stored, and how
the manifest declares them."""

from __future__ import annotations

import json
from datetime import date, datetime, timezone
from decimal import Decimal
from random import Random
from zoneinfo import ZoneInfo

import pytest
import yaml

from dropday.content import read_manifest
from dropday.core.campaign import ManifestError, parse_manifest
from dropday.core.listener import ListenerState, merged
from dropday.core.episodes import (STOP, InSpeechOnly, PlaybackPosition, PlaybackStream, Player, episode_of,
                                   first_unheard, heard, neighbour, token_of)
from dropday.core.playback import (about_playback, controls_player, play_section, playback_finished,
                                   playback_nearly_finished, position)
from dropday.core.session import SessionState
from dropday.core.turns import Turn
from support import FIXTURES

LONDON = ZoneInfo("Europe/London")
FEBRUARY = datetime(2027, 2, 1, 19, tzinfo=timezone.utc)


@pytest.fixture(scope="module")
def campaign():
    return read_manifest(FIXTURES / "playback-campaign.yaml")


@pytest.fixture(scope="module")
def raw():
    return yaml.safe_load((FIXTURES / "playback-campaign.yaml").read_text())


def turn(campaign, state=ListenerState(), player=None, session=SessionState(), new_session=True, now=FEBRUARY):
    return Turn(campaign, "en-GB", now, LONDON, state, session, new_session, "https://cdn.test", Random(1),
                player=player)


def episode(campaign, piece_id):
    return next(p for p in campaign.pieces if p.id == piece_id)


# -- tokens ------------------------------------------------------------------------------------------------


def test_a_token_names_the_campaign_and_the_episode_and_reads_back(campaign):
    doorway = episode(campaign, "tbt-01-doorway")
    assert token_of(campaign, doorway) == "echo-hall:tbt-01-doorway"
    assert episode_of(campaign, token_of(campaign, doorway)) == doorway
    assert max(len(token_of(campaign, p)) for p in campaign.pieces) <= 1024


@pytest.mark.parametrize("token", [None, "", "tbt-01-doorway", "other-campaign:tbt-01-doorway", "echo-hall:june-tip",
                                   "echo-hall:no-such-episode", '{"index":1,"shuffle":0,"loop":0}', "x" * 2000, 42])
def test_tokens_of_other_forms_campaigns_or_skills_are_not_ours(campaign, token):
    # a tip is not an episode either: only long-form sections stream
    assert episode_of(campaign, token) is None


# -- which episode ------------------------------------------------------------------------------------------


def test_episodes_play_in_manifest_order_skipping_those_heard_and_those_not_out(campaign):
    tbt = campaign.section("track-by-track")
    state = heard(ListenerState(), episode(campaign, "tbt-01-doorway"))
    assert first_unheard(tbt, date(2027, 2, 1), state).id == "tbt-02-stairwell"
    for piece_id in ("tbt-02-stairwell", "tbt-03-lantern"):
        state = heard(state, episode(campaign, piece_id))
    assert first_unheard(tbt, date(2027, 2, 1), state) is None          # track 4 arrives on 10 February
    assert first_unheard(tbt, date(2027, 2, 10), state).id == "tbt-04-skylight"


def test_next_and_previous_are_the_neighbours_among_the_episodes_out(campaign):
    tbt, day = campaign.section("track-by-track"), date(2027, 2, 1)
    assert neighbour(tbt, day, episode(campaign, "tbt-02-stairwell"), 1).id == "tbt-03-lantern"
    assert neighbour(tbt, day, episode(campaign, "tbt-02-stairwell"), -1).id == "tbt-01-doorway"
    assert neighbour(tbt, day, episode(campaign, "tbt-03-lantern"), 1) is None
    assert neighbour(tbt, day, episode(campaign, "tbt-01-doorway"), -1) is None


def test_once_every_episode_is_heard_a_new_rotation_starts_from_the_first(campaign):
    state = ListenerState()
    for piece_id in ("tbt-01-doorway", "tbt-02-stairwell", "tbt-03-lantern"):
        state = heard(state, episode(campaign, piece_id))
    reply = play_section(turn(campaign, state, Player(supported=True)), campaign.section("track-by-track"))
    assert isinstance(reply.stream, PlaybackStream) and reply.stream.token == "echo-hall:tbt-01-doorway"
    assert reply.state.progress("track-by-track").rotation == 1
    assert reply.state.progress("track-by-track").heard == ()


def test_finishing_an_episode_is_hearing_it_once_and_clears_its_place(campaign):
    doorway = episode(campaign, "tbt-01-doorway")
    state = ListenerState(playback=PlaybackPosition(doorway.key, 300_000, 1, "device"))
    done = playback_finished(turn(campaign, state), "echo-hall:tbt-01-doorway").state
    assert done.progress("track-by-track").heard == (doorway.key,) and done.playback is None
    again = playback_finished(turn(campaign, done), "echo-hall:tbt-01-doorway").state
    assert again.progress("track-by-track").heard == (doorway.key,)


def test_only_an_autoplaying_section_enqueues_the_next_episode(campaign):
    tbt = playback_nearly_finished(turn(campaign, player=Player(True)), "echo-hall:tbt-03-lantern")
    assert tbt.stream is None                                            # track 4 is not out yet
    tbt = playback_nearly_finished(turn(campaign, player=Player(True)), "echo-hall:tbt-02-stairwell")
    assert (tbt.stream.token, tbt.stream.behavior, tbt.stream.expected_previous_token) == \
        ("echo-hall:tbt-03-lantern", "ENQUEUE", "echo-hall:tbt-02-stairwell")
    assert playback_nearly_finished(turn(campaign, player=Player(True)), "echo-hall:int-tour").stream is None


def test_a_device_without_a_player_gets_no_stream_and_the_session_stays_about_the_episode(campaign):
    reply = play_section(turn(campaign, player=Player(supported=False)), campaign.section("track-by-track"))
    assert reply.stream == InSpeechOnly("tbt-01-doorway") and reply.reprompt is not None
    assert "Episodes play on Echo speakers" in reply.speech.plain
    assert reply.state.playback is None


# -- where the listener is ----------------------------------------------------------------------------------


def test_the_devices_report_wins_when_it_is_playing_or_when_it_stored_the_last_stop(campaign):
    doorway, stairwell = episode(campaign, "tbt-01-doorway"), episode(campaign, "tbt-02-stairwell")
    stored = ListenerState(playback=PlaybackPosition(doorway.key, 100_000, 10, "kitchen"))
    # playing right now on the living-room Echo: the device wins
    here = position(turn(campaign, stored, Player(True, "echo-hall:tbt-02-stairwell", 5_000, "PLAYING", "living")))
    assert (here.episode, here.offset_ms, here.from_storage) == (stairwell, 5_000, False)
    # stopped on the living-room Echo, but the kitchen stopped after: the stored stop wins
    here = position(turn(campaign, stored, Player(True, "echo-hall:tbt-02-stairwell", 5_000, "STOPPED", "living")))
    assert (here.episode, here.offset_ms, here.from_storage) == (doorway, 100_000, True)
    # stopped on the kitchen Echo itself (its PlaybackStopped lost): its own later offset wins
    here = position(turn(campaign, stored, Player(True, "echo-hall:tbt-01-doorway", 160_000, "STOPPED", "kitchen")))
    assert (here.episode, here.offset_ms) == (doorway, 160_000)
    # a player on another skill's stream says nothing about ours
    here = position(turn(campaign, stored, Player(True, "radio:news", 1, "PLAYING", "kitchen")))
    assert (here.episode, here.offset_ms) == (doorway, 100_000)
    assert position(turn(campaign)) is None


def test_next_and_stop_are_about_playback_only_outside_a_conversation(campaign):
    ours = Player(True, "echo-hall:tbt-01-doorway", 1, "PAUSED", "d")
    assert controls_player(campaign, ours, new_session=True)
    assert not controls_player(campaign, ours, new_session=False)       # "open echo hall" ... "next"
    assert not controls_player(campaign, ours._replace(token="radio:news"), new_session=True)
    assert not controls_player(campaign, ours._replace(activity="IDLE"), new_session=True)
    assert not controls_player(campaign, None, new_session=True)
    # a session about an episode (a device that cannot stream) moves through the episodes too
    assert about_playback(campaign, None, SessionState(episode="tbt-01-doorway"), new_session=False)
    assert not about_playback(campaign, None, SessionState(episode="june-tip"), new_session=False)


def test_pause_saves_the_devices_offset_and_stops(campaign):
    from dropday.core.playback import pause
    reply = pause(turn(campaign, player=Player(True, "echo-hall:tbt-03-lantern", 42_000, "PLAYING", "dev")))
    assert reply.stream == STOP and not reply.speech
    assert reply.state.playback == PlaybackPosition(episode(campaign, "tbt-03-lantern").key, 42_000,
                                                    int(FEBRUARY.timestamp()), "dev")


# -- what is stored -------------------------------------------------------------------------------------------


def test_the_place_survives_storage_and_dynamodb_decimals(campaign):
    place = PlaybackPosition(episode(campaign, "tbt-02-stairwell").key, 353_160, 1_801_483_200, "AKwq6y")
    state = ListenerState(visits=2, playback=place)
    stored = json.loads(json.dumps(state.to_dict()))
    assert stored["playback"] == {"episode": place.episode, "offset": 353_160, "at": 1_801_483_200, "device": "AKwq6y"}
    assert ListenerState.from_dict(stored) == state
    decimals = {**stored, "playback": {**stored["playback"], "offset": Decimal(353160), "at": Decimal(1801483200)}}
    assert ListenerState.from_dict(decimals).playback == place


@pytest.mark.parametrize("damaged", ["x", {"episode": 5}, {"episode": "toolong-key"}, {"offset": 3}, None])
def test_a_damaged_place_reads_as_none(damaged):
    assert ListenerState.from_dict({"v": 2, "playback": damaged}).playback is None


def test_a_damaged_offset_reads_as_the_start():
    state = ListenerState.from_dict({"v": 2, "playback": {"episode": "abcdef", "offset": -5, "at": "x"}})
    assert state.playback == PlaybackPosition("abcdef", 0, 0, "")


def test_the_place_of_an_episode_the_manifest_no_longer_has_is_forgotten(campaign):
    state = ListenerState(playback=PlaybackPosition("gone00", 5))
    assert state.fitted(campaign).playback is None
    kept = ListenerState(playback=PlaybackPosition(episode(campaign, "int-tour").key, 5))
    assert kept.fitted(campaign).playback == kept.playback


def test_two_devices_saving_at_once_keep_the_newer_place(campaign):
    base = ListenerState(playback=PlaybackPosition("aaaaaa", 1, 10))
    mine = base._replace(playback=PlaybackPosition("aaaaaa", 90_000, 30, "mine00"))
    theirs = base._replace(playback=PlaybackPosition("bbbbbb", 5_000, 20, "theirs"))
    assert merged(base, mine, theirs).playback == mine.playback
    assert merged(base, base, theirs).playback == theirs.playback
    assert merged(base, mine._replace(playback=None), theirs).playback == theirs.playback


# -- the manifest ---------------------------------------------------------------------------------------------


def test_the_manifest_declares_long_form_sections_with_tracks_and_stream_files(campaign):
    tbt = campaign.section("track-by-track")
    assert (tbt.long_form, tbt.autoplay) == (True, True)
    assert not campaign.section("tips").long_form and not campaign.section("interviews").autoplay
    assert [p.track for p in tbt.pieces] == [1, 2, 3, 4]
    assert "long_form" in campaign.features
    assert "track-by-track/01-doorway.m4a" in campaign.audio_paths


def problems_of(data):
    with pytest.raises(ManifestError) as caught:
        parse_manifest(data)
    return {(p.path, p.message.split(",")[0]) for p in caught.value.problems}


def test_long_form_mistakes_are_named_with_their_place(raw):
    data = json.loads(json.dumps(raw, default=str))
    tips, tbt, interviews = data["sections"]
    tips["autoplay"] = True                                    # not long-form
    tips["pieces"][0]["track"] = 1                             # a track outside a long-form section
    tbt["pieces"][1]["track"] = 1                              # track 1 twice
    del tbt["pieces"][2]["audio"]                              # an episode without its recording
    interviews["pieces"][0]["locales"] = ["en-GB"]             # episodes stream everywhere
    interviews["pieces"][1]["audio"] = "interviews/studio.wav"
    data["sections"].append({"id": "ssml", "name": "more tips", "pieces": [
        {"id": "aac-tip", "audio": "tips/x.m4a", "transcript": "An AAC tip."}]})
    found = {path for path, _ in problems_of(data)}
    assert found == {"sections[0].autoplay", "sections[0].pieces[0].track", "sections[1].pieces[1].track",
                     "sections[1].pieces[2].audio", "sections[2].pieces[0].locales", "sections[2].pieces[1].audio",
                     "sections[3].pieces[0].audio"}


def test_a_long_form_section_cannot_answer_tip_requests(raw):
    data = json.loads(json.dumps(raw, default=str))
    del data["sections"][0]
    data["sections"][0]["answers"] = "tips"
    assert {path for path, _ in problems_of(data)} == {"sections[0].long_form"}

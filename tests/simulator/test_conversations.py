"""Whole conversations through `dropday chat`: lines in, answer blocks out, as a scripted listener."""

from __future__ import annotations

import io
import json
import re
import shutil

from support import FIXTURE_CAMPAIGN
from transcripts import CLIP, alexa, blocks, json_documents


def test_a_first_visit_prints_one_block_per_line_with_clips_and_the_end_of_the_session(say):
    # GIVEN a listener who opens the skill, asks for tips and the countdown, then stops
    output = say(["Alexa, open night owls", "give me a tip", "yes", "a tip from the bassist",
                  "how long until the album comes out?", "repeat that", "stop"],
                 "--at", "2026-12-01T12:00", "--seed", "3")
    turns = blocks(output)
    # THEN there is one block per line, each with what was heard and what Alexa said
    assert len(turns) == 7
    assert "Heard: LaunchRequest (new session)" in turns[0]
    assert alexa(turns[0]).startswith("Welcome to The Night Owls!")
    # AND tips are shown as clips with their file, length and transcript
    for turn in turns[1:4]:
        clip = CLIP.search(alexa(turn))
        assert clip and clip["path"].startswith("tips/") and 0.5 < float(clip["seconds"]) < 240, turn
    assert 'Heard: TipIntent member="the bassist" -> bea' in turns[3]
    assert "Here's a tip from Bea." in alexa(turns[3])
    # AND the countdown is counted from the chosen moment, and repeated from the session attributes
    assert alexa(turns[4]).startswith("There are 45 days to go until Moth Light comes out.")
    assert alexa(turns[5]) == alexa(turns[4])
    # AND stop ends the session, and only stop does
    assert alexa(turns[6]) == "Thanks for listening. See you on release day!"
    assert [t.endswith("(session ended)") for t in turns] == [False] * 6 + [True]


def test_an_utterance_to_a_closed_skill_is_not_sent_and_a_launch_phrase_opens_it_again(say):
    output = say(["give me a tip", "open night owls", "no", "give me a tip",
                  "ask night owls for a tip from the drummer", "never mind"], "--at", "2026-12-01T12:00", "--json")
    turns = blocks(output)
    # the first line reaches no skill: nothing is sent
    assert turns[0].startswith("You:   give me a tip\n(the skill is closed, nothing was sent")
    assert "request:" not in turns[0]
    assert turns[2].endswith("(session ended)")
    assert "the skill is closed" in turns[3]
    # a one-shot opens a new session with the intent
    assert "Heard: TipIntent member=\"the drummer\" -> otto (new session)" in turns[4]
    assert "Here's a tip from Otto." in alexa(turns[4])
    assert alexa(turns[5]) == "Thanks for listening. See you on release day!"
    requests = json_documents(output, "request")
    assert [r["request"]["type"] for r in requests] == ["LaunchRequest", "IntentRequest", "IntentRequest",
                                                        "IntentRequest"]
    assert [r["session"]["new"] for r in requests] == [True, False, True, False]
    assert requests[0]["session"]["sessionId"] == requests[1]["session"]["sessionId"] \
        != requests[2]["session"]["sessionId"] == requests[3]["session"]["sessionId"]


def test_every_request_is_a_full_envelope_carrying_session_attributes(say):
    output = say(["open night owls", "a tip from the singer"], "--at", "2027-01-02T09:15", "--tz",
                 "Asia/Kolkata", "--json", "--user", "Priya", "--locale", "en-IN")
    launch, tip = json_documents(output, "request")
    launched, tipped = json_documents(output, "response")
    system = tip["context"]["System"]
    assert tip["version"] == "1.0"
    assert tip["request"]["locale"] == "en-IN"
    assert tip["request"]["timestamp"] == "2027-01-02T03:45:00Z"  # 09:15 in Kolkata
    assert tip["session"]["user"]["userId"] == system["user"]["userId"] == "amzn1.ask.account.PRIYA"
    assert system["device"] == {"deviceId": "amzn1.ask.device.PRIYA", "supportedInterfaces": {"AudioPlayer": {}}}
    assert system["apiEndpoint"].startswith("https://127.0.0.1:") and system["apiAccessToken"]
    assert tip["session"]["attributes"] == launched["sessionAttributes"]
    assert tip["request"]["intent"]["slots"]["member"]["resolutions"]["resolutionsPerAuthority"][0][
        "values"][0]["value"] == {"name": "june", "id": "june"}
    assert tipped["response"]["shouldEndSession"] is False


def test_release_day_comes_at_local_midnight_in_auckland_and_in_los_angeles(say):
    # GIVEN the same moment, 10:30 UTC on 14 January 2027, in two time zones
    # WHEN a listener in Auckland asks, then travels an hour, then a day
    auckland = blocks(say(["ask night owls how long until the album comes out", "/time +1h",
                           "ask night owls how long until the album comes out", "/time +1d",
                           "ask night owls how long until the album comes out"],
                          "--tz", "Pacific/Auckland", "--at", "2027-01-14T23:30"))
    # THEN it is the last hour, then release day, then out now
    assert alexa(auckland[0]).startswith("Less than an hour to go until Moth Light comes out!")
    assert CLIP.search(alexa(auckland[1]))["path"] == "countdown/release-day.mp3"
    assert CLIP.search(alexa(auckland[2]))["path"] == "countdown/out-now.mp3"
    # AND in Los Angeles at that moment it is still 02:30 the day before; release day comes with LA midnight
    los_angeles = blocks(say(["ask night owls for the countdown", "/time 2027-01-14T23:59",
                              "ask night owls for the countdown", "/time +1m",
                              "ask night owls for the countdown"],
                             "--tz", "America/Los_Angeles", "--at", "2027-01-14T10:30Z"))
    assert alexa(los_angeles[0]).startswith("Not long now! Moth Light comes out in 22 hours.")
    assert alexa(los_angeles[1]).startswith("Less than an hour to go")
    assert CLIP.search(alexa(los_angeles[2]))["path"] == "countdown/release-day.mp3"


def test_two_listeners_in_two_zones_hear_the_same_moment_differently_and_keep_their_own_state(say):
    output = say(["/user kiwi", "/tz Pacific/Auckland", "open night owls", "the countdown", "stop",
                  "/user angie", "/tz America/Los_Angeles", "open night owls", "the countdown", "stop",
                  "/user kiwi", "open night owls"], "--at", "2027-01-14T11:30Z")
    turns = blocks(output)
    assert "(device in Pacific/Auckland: Fri 2027-01-15 00:30 NZDT (11:30 UTC))" in output
    assert CLIP.search(alexa(turns[1]))["path"] == "countdown/release-day.mp3"
    assert alexa(turns[4]).startswith("Not long now! Moth Light comes out in 21 hours.")
    # each listener has their own state: angie is new, kiwi comes back
    assert alexa(turns[3]).startswith("Welcome to The Night Owls!")
    assert alexa(turns[6]).startswith("Welcome back to The Night Owls.")


def test_commands_that_change_the_world_end_an_open_session_as_a_device_would(say):
    output = say(["open night owls", "/time +2d", "give me a tip", "open night owls", "/new", "/new",
                  "open night owls", "exit", "stop"], "--at", "2026-12-01T12:00", "--json")
    assert output.index("/time +2d\n(session ended: SessionEndedRequest, reason EXCEEDED_MAX_REPROMPTS)") \
        < output.index("(clock: Thu 2026-12-03 12:00 GMT")
    assert "(session ended: SessionEndedRequest, reason USER_INITIATED)" in output
    assert "(no session is open)" in output
    turns = blocks(output)
    assert "the skill is closed" in turns[1]           # after /time, "give me a tip" opens nothing
    assert turns[4].startswith("You:   exit\n(session ended: SessionEndedRequest, reason USER_INITIATED)")
    assert "the skill is closed" in turns[5]           # after exit, stop reaches no skill
    ended = [r for r in json_documents(output, "request") if r["request"]["type"] == "SessionEndedRequest"]
    assert [r["request"]["reason"] for r in ended] == ["EXCEEDED_MAX_REPROMPTS", "USER_INITIATED", "USER_INITIATED"]
    assert ended[0]["request"]["timestamp"] == "2026-12-01T12:00:00Z"  # sent before the clock moved


def test_a_new_time_zone_is_heard_the_next_day_because_the_skill_caches_it(say):
    output = say(["ask night owls for the countdown", "/tz Pacific/Auckland",
                  "ask night owls for the countdown", "/time +1d", "ask night owls for the countdown"],
                 "--at", "2027-01-13T11:30Z")
    turns = blocks(output)
    assert alexa(turns[0]).startswith("There are 2 days to go")       # London, 13 Jan
    assert "(the skill has Europe/London cached for this listener" in output
    assert alexa(turns[1]).startswith("There are 2 days to go")       # still London, cached for the day
    assert CLIP.search(alexa(turns[2]))["path"] == "countdown/release-day.mp3"  # Auckland, 15 Jan 00:30


def test_locale_changes_the_model_and_the_words_alexa_says(say):
    output = say(["open night owls", "hit me with a tip", "/locale en-US", "ask night owls to hit me with a tip",
                  "stop", "/locale xx-YY"], "--at", "2026-12-01T12:00")
    turns = blocks(output)
    assert "Heard: AMAZON.FallbackIntent (no sample matched)" in turns[1]   # not an en-GB sample
    assert alexa(turns[1]).startswith("Sorry, I didn't get that.")
    assert "Heard: TipIntent (new session)" in turns[2]
    assert alexa(turns[3]) == "Thanks for listening. Catch you on release day!"
    assert "(no interaction model for xx-YY" in output


def test_the_replay_format_of_the_ask_cli_runs_with_its_locale_and_skill_id(chat, tmp_path):
    replay = tmp_path / "dialog.json"
    replay.write_text(json.dumps({"skillId": "amzn1.ask.skill.replayed", "locale": "en-US", "type": "text",
                                  "userInput": ["open night owls", "give me a tip", "stop"]}))
    status, output = chat("", "--replay", str(replay), "--at", "2026-12-01T12:00", "--json")
    assert status == 0
    turns = blocks(output)
    assert [line.split("\n")[0] for line in turns] == ["You:   open night owls", "You:   give me a tip",
                                                       "You:   stop"]
    assert alexa(turns[2]) == "Thanks for listening. Catch you on release day!"  # en-US
    requests = json_documents(output, "request")
    assert {r["context"]["System"]["application"]["applicationId"] for r in requests} == {"amzn1.ask.skill.replayed"}
    assert {r["request"]["locale"] for r in requests} == {"en-US"}


def test_a_replay_file_of_another_type_is_refused_with_the_reason(chat, tmp_path, capsys):
    replay = tmp_path / "dialog.json"
    replay.write_text(json.dumps({"skillId": "x", "locale": "en-US", "type": "voice", "userInput": ["hi"]}))
    status, _ = chat("", "--replay", str(replay))
    assert status == 2
    assert 'type is \'voice\'; only "text" replays are supported' in capsys.readouterr().err


def test_the_locale_option_wins_over_the_replay_file(chat, tmp_path):
    replay = tmp_path / "dialog.json"
    replay.write_text(json.dumps({"skillId": "x", "locale": "en-US", "type": "text",
                                  "userInput": ["open night owls", "stop"]}))
    status, output = chat("", "--replay", str(replay), "--locale", "en-GB")
    assert status == 0
    assert alexa(blocks(output)[1]) == "Thanks for listening. See you on release day!"


def test_campaign_serves_that_campaign_with_its_own_models(say, two_campaigns):
    output = say(["open day larks", "give me a tip from ivy"], "--manifest", str(two_campaigns / "audio_manifest"),
                 "--campaign", "day-larks", "--at", "2027-02-01T12:00")
    assert output.startswith('dropday chat: The Day Larks, "Noon Light" (out 2027-01-15)')
    assert 'Heard: TipIntent member="ivy" -> ivy' in output     # its own model knows its members
    assert "Here's a tip from Ivy." in alexa(blocks(output)[1])


def test_a_manifest_file_serves_that_campaign(say, two_campaigns):
    output = say(["open night owls", "stop"], "--manifest",
                 str(two_campaigns / "audio_manifest" / f"{FIXTURE_CAMPAIGN}.yaml"), "--at", "2026-12-01T12:00")
    assert output.startswith('dropday chat: The Night Owls, "Moth Light"')


def test_a_campaign_without_models_is_refused_with_the_command_that_makes_them(chat, two_campaigns, capsys):
    shutil.rmtree(two_campaigns / "interaction_models" / "day-larks")
    status, _ = chat("", "--manifest", str(two_campaigns / "audio_manifest"), "--campaign", "day-larks")
    assert status == 2
    assert "there are no interaction models for campaign `day-larks`" in capsys.readouterr().err


def test_several_campaigns_without_campaign_are_each_a_skill_on_the_device(say, two_campaigns):
    # GIVEN a folder of two campaigns and no --campaign: each campaign is its own skill, both on the device
    output = say(["give me a tip", "open day larks", "a tip from ivy", "open night owls", "stop", "open day larks"],
                 "--manifest", str(two_campaigns / "audio_manifest"), "--at", "2027-02-01T12:00", "--json")
    assert output.startswith('dropday chat: 2 skills on this device, one per campaign:\n'
                             '  The Day Larks, "Noon Light" (out 2027-01-15)\n'
                             '  The Night Owls, "Moth Light" (out 2027-01-15)\n')
    assert 'Say "open day larks" or "open night owls" to start' in output
    turns = blocks(output)
    # WHEN nothing is open, nothing is sent, and the chat says how to open either
    assert 'nothing was sent: open it first, e.g. "open day larks" or "open night owls"' in turns[0]
    # THEN each launch phrase opens its own skill, whose own model understands what follows
    assert alexa(turns[1]).startswith("Welcome to The Day Larks!")
    assert 'Heard: TipIntent member="ivy" -> ivy' in turns[2]
    assert "Here's a tip from Ivy." in alexa(turns[2])
    # AND the listener is new to the other skill and known again to the first: a user id per skill, as on Alexa
    assert alexa(turns[3]).startswith("Welcome to The Night Owls!")
    assert alexa(turns[5]).startswith("Welcome back to The Day Larks.")
    users = [r["session"]["user"]["userId"] for r in json_documents(output, "request")]
    assert users[0] == users[1] != users[2] == users[3] != users[4]
    assert users[4] == users[0]


def test_dropday_campaign_picks_among_the_campaigns_of_a_folder_when_it_names_one(say, two_campaigns, monkeypatch):
    monkeypatch.setenv("DROPDAY_CAMPAIGN", "day-larks")
    output = say(["open day larks", "stop"], "--manifest", str(two_campaigns / "audio_manifest"),
                 "--at", "2027-02-01T12:00")
    assert output.startswith('dropday chat: The Day Larks, "Noon Light" (out 2027-01-15)\n')


def test_a_folder_of_one_campaign_serves_it_whatever_dropday_campaign_says(say, monkeypatch):
    # GIVEN a developer whose shell names another campaign (DROPDAY_CAMPAIGN is for MANIFEST_DIR's folder)
    monkeypatch.setenv("DROPDAY_CAMPAIGN", "lantern-foxes")
    # WHEN they point the chat at a folder that holds one campaign (the `chat` fixture passes --manifest)
    output = say(["open night owls", "stop"], "--at", "2026-12-01T12:00")
    # THEN that folder's campaign is the one served
    assert output.startswith('dropday chat: The Night Owls, "Moth Light" (out 2027-01-15)\n')
    assert alexa(blocks(output)[0]).startswith("Welcome to The Night Owls!")


def test_a_campaign_the_folder_does_not_hold_is_refused_naming_those_it_does(chat, two_campaigns, capsys):
    status, _ = chat("", "--manifest", str(two_campaigns / "audio_manifest"), "--campaign", "lantern-foxes")
    assert status == 2
    error = capsys.readouterr().err
    assert "there is no campaign `lantern-foxes`" in error and "day-larks, night-owls" in error


def test_several_campaigns_on_real_aws_are_refused_since_a_table_is_one_campaigns(chat, two_campaigns, capsys):
    status, _ = chat("", "--manifest", str(two_campaigns / "audio_manifest"), "--endpoint", "aws")
    assert status == 2
    assert "pick the campaign with --campaign (one of: day-larks, night-owls)" in capsys.readouterr().err


def test_models_names_the_folder_of_every_campaigns_models(say, two_campaigns, tmp_path):
    moved = tmp_path / "elsewhere"
    shutil.move(str(two_campaigns / "interaction_models"), moved)
    output = say(["open night owls", "stop"], "--manifest", str(two_campaigns / "audio_manifest"),
                 "--campaign", FIXTURE_CAMPAIGN, "--models", str(moved), "--at", "2026-12-01T12:00")
    assert "Heard: LaunchRequest (new session)" in output


def test_bad_options_stop_before_the_conversation_with_the_reason(chat, capsys):
    assert chat("", "--tz", "Mars/Olympus")[0] == 2
    assert "unknown time zone 'Mars/Olympus'" in capsys.readouterr().err
    assert chat("", "--locale", "fr-FR")[0] == 2
    assert "no interaction model for fr-FR" in capsys.readouterr().err
    assert chat("", "--manifest", "/nowhere/at/all.yaml")[0] == 2
    assert "no such file or folder" in capsys.readouterr().err
    assert chat("", "--at", "teatime")[0] == 2
    assert "not a time: 'teatime'" in capsys.readouterr().err


def test_play_uses_a_player_on_the_path_for_each_clip(say, tmp_path, monkeypatch):
    played = tmp_path / "played.txt"
    player = tmp_path / "ffplay"
    player.write_text(f'#!/bin/sh\nfor a in "$@"; do last="$a"; done\necho "$last" >> "{played}"\n')
    player.chmod(0o755)
    monkeypatch.setenv("PATH", str(tmp_path))
    output = say(["open night owls", "give me a tip"], "--play", "--at", "2026-12-01T12:00")
    clip = CLIP.search(output)["path"]
    assert played.read_text().strip().endswith(f"audio/night-owls/{clip}")


def test_play_says_once_when_nothing_can_play_and_carries_on(say, tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    output = say(["open night owls", "give me a tip", "yes", "stop"], "--play", "--at", "2026-12-01T12:00")
    assert output.count("(can't play audio here") == 1
    assert len(blocks(output)) == 4 and blocks(output)[3].endswith("(session ended)")


class Tty(io.StringIO):
    """Standard input that claims to be a terminal."""

    def isatty(self) -> bool:
        return True


def test_at_a_terminal_the_prompt_replaces_the_echo(chat, monkeypatch):
    lines = iter(["open night owls", "/status", "stop"])

    def typed(prompt: str) -> str:
        try:
            return next(lines)
        except StopIteration:
            raise EOFError from None

    monkeypatch.setattr("builtins.input", typed)
    status, output = chat("", "--at", "2026-12-01T12:00", stdin=Tty())
    assert status == 0
    assert "You:" not in output
    assert "Heard: LaunchRequest (new session)" in output
    assert 'en-GB, listener "listener", device in Europe/London, Tue 2026-12-01 12:00 GMT (12:00 UTC); session open' \
        in output
    assert output.rstrip().endswith("(session ended)")


def test_help_lists_the_commands_and_the_locales(say):
    output = say(["/help"])
    for command in ("/time +3d", "/time 2027-01-14T23:30", "/tz ZONE", "/locale LOCALE", "/user NAME", "/new",
                    "/pause, /resume", "/consent yes|no|ignore", "/reminders", "/screen PROFILE | none", "/touch N",
                    "/help"):
        assert command in output
    assert "en-AU, en-CA, en-GB, en-IN, en-US" in output
    assert "hub-landscape-medium" in output


def test_the_demo_script_plays_through_the_simulator_with_the_campaigns_names(say, fixture_workspace):
    from dropday.content import read_manifest
    from dropday.localdev.demo import script

    lines = script("night owls", read_manifest(fixture_workspace / "audio_manifest" / f"{FIXTURE_CAMPAIGN}.yaml"))
    assert "Alexa, open night owls" in lines and "A tip from June" in lines and "/time 2027-01-15T00:30" in lines
    output = say([], "--demo")
    turns = blocks(output)
    assert len(turns) == sum(1 for line in lines if line[0] not in "#/")
    assert not any("the skill is closed" in turn for turn in turns)
    assert not any("FallbackIntent" in turn for turn in turns)
    assert CLIP.search(output)


def test_the_demo_plays_each_campaign_of_the_folder_on_its_own_device_showing_the_formats_it_uses(
        say, formats_workspace):
    # GIVEN a folder of three campaigns that use, between them, every format
    output = say([], "--demo", "--manifest", str(formats_workspace / "audio_manifest"), "--at", "2027-02-12T12:00")
    # THEN each campaign's demo runs on a device of its own, from the same moment
    demos = re.split(r"\n(?=dropday chat: )", output)
    assert [d.splitlines()[0] for d in demos] == ['dropday chat: The Echo Hall, "Long Corridors" (out 2027-03-20)',
                                                 'dropday chat: The Quiz Kids, "Open Book" (out 2027-03-20)',
                                                 'dropday chat: The Test Pilots & Co, "Night <Shift>" (out 2027-03-20)']
    assert all("Fri 2027-02-12 12:00 GMT (12:00 UTC); skill closed" in d.splitlines()[1] for d in demos)
    echo_hall, quiz_kids, test_pilots = demos
    # AND no line of any of them reaches the fallback or a closed skill
    for turn in blocks(output):
        assert "FallbackIntent" not in turn and "the skill is closed" not in turn, turn
    # AND each shows the formats its campaign uses, and only those
    heard = {name: set(re.findall(r"^Heard: ([\w.]+)", demo, re.M)) for name, demo in
             (("echo-hall", echo_hall), ("quiz-band", quiz_kids), ("test-band", test_pilots))}
    assert {"SectionIntent", "BandIntent", "MemberIntroIntent", "WhatsNewIntent", "UnlockedIntent"} \
        <= heard["test-band"]
    assert {"QuizIntent", "AnswerIntent", "DontKnowIntent", "AMAZON.RepeatIntent", "DailyQuestionIntent"} \
        <= heard["quiz-band"]
    assert "EpisodeIntent" in heard["echo-hall"]
    assert not {"QuizIntent", "DailyQuestionIntent", "EpisodeIntent"} & heard["test-band"]
    # AND the quiz round is played to its end, the daily question on two days, and the episode streamed
    assert "That's the end of the round. You got" in quiz_kids
    assert "Here's question 1 of 14." in quiz_kids and "Here's question 2 of 14." in quiz_kids
    assert re.search(r"^\[playing: track-by-track/01-doorway\.m4a \"Doorway, the opening song\" from 0:00\]$",
                     echo_hall, re.M)
    assert "Heard: AMAZON.PauseIntent (new session)" in echo_hall
    assert '[playing: track-by-track/01-doorway.m4a "Doorway, the opening song" from 2:00]' in echo_hall
    # AND after release, a listener hears how to play the album
    assert "To hear it, just say: Alexa, play Open Book by The Quiz Kids." in quiz_kids


def test_an_episode_plays_on_the_devices_player_as_time_passes_and_pauses_and_resumes(say, formats_workspace):
    # GIVEN a listener who starts an episode (echo-hall streams its track-by-track, with autoplay)
    output = say(["ask echo hall to play the next episode", "/time +2m", "pause", "/time +1h", "resume", "/pause",
                  "/status", "/resume", "/time +9m", "stop", "give me a tip"],
                 "--manifest", str(formats_workspace / "audio_manifest"), "--campaign", "echo-hall",
                 "--at", "2027-02-12T12:00", "--json")
    turns = blocks(output)
    requests = json_documents(output, "request")
    outside = [r for r in requests if "session" not in r]
    # THEN the skill's Play directive shows as a stream on the player, and the device says it started
    assert '[playing: track-by-track/01-doorway.m4a "Doorway, the opening song" from 0:00]' in turns[0]
    assert "\n(session ended)\n" in turns[0]
    assert outside[0]["request"]["type"] == "AudioPlayer.PlaybackStarted"
    # AND "pause", said without the skill's name, reaches the skill whose stream plays, two minutes in
    assert "Heard: AMAZON.PauseIntent (new session)" in turns[1] and "[player stopped]" in turns[1]
    paused = next(r for r in requests if r["request"].get("intent", {}).get("name") == "AMAZON.PauseIntent")
    assert paused["context"]["AudioPlayer"]["offsetInMilliseconds"] == 120_000
    assert paused["context"]["AudioPlayer"]["playerActivity"] == "PLAYING"
    assert outside[1]["request"]["type"] == "AudioPlayer.PlaybackStopped"
    # AND an hour later "resume" plays on from there
    assert '[playing: track-by-track/01-doorway.m4a "Doorway, the opening song" from 2:00]' in turns[2]
    # AND the device's buttons send what a device sends
    assert "(pressed pause: stopped track-by-track/01-doorway.m4a at 2:00)" in output
    assert "skill closed; stopped track-by-track/01-doorway.m4a at 2:00" in output
    assert "(pressed play: playing track-by-track/01-doorway.m4a at 2:00)" in output
    kinds = [r["request"]["type"] for r in outside]
    assert kinds[2:6] == ["AudioPlayer.PlaybackStarted", "PlaybackController.PauseCommandIssued",
                          "AudioPlayer.PlaybackStopped", "PlaybackController.PlayCommandIssued"]
    # AND as time passes the stream plays to its end (a file it cannot find counts as ten minutes), and autoplay
    # queues the next episode, which starts when the first finishes
    assert kinds[6:] == ["AudioPlayer.PlaybackStarted", "AudioPlayer.PlaybackNearlyFinished",
                         "AudioPlayer.PlaybackFinished", "AudioPlayer.PlaybackStarted", "AudioPlayer.PlaybackStopped"]
    nearly = outside[7]
    assert nearly["request"]["timestamp"] == "2027-02-12T13:09:50Z"
    assert "(track-by-track/01-doorway.m4a played to its end; the queued track-by-track/02-stairwell.mp3 starts)" \
        in output
    # AND "stop" stops it; with nothing playing and no session, other requests open nothing
    assert "Heard: AMAZON.StopIntent (new session)" in turns[3] and "[player stopped]" in turns[3]
    assert "the skill is closed" in turns[4]


def test_with_an_endpoint_state_outlives_the_command(dynamodb_server, state_table, fixture_workspace):
    # GIVEN a DynamoDB endpoint that keeps running between two `dropday chat` commands
    from dropday.cli.__main__ import build_parser
    from dropday.cli.chat import run

    def command(*lines: str) -> str:
        out = io.StringIO()
        args = build_parser(["chat"]).parse_args(["chat", "--endpoint", dynamodb_server.endpoint, "--at",
                                                  "2026-12-01T12:00", "--manifest",
                                                  str(fixture_workspace / "audio_manifest")])
        assert run(args, stdin=io.StringIO("\n".join(lines) + "\n"), stdout=out) == 0
        return out.getvalue()

    # WHEN a listener visits in one command and comes back in the next
    first = command("open night owls", "stop")
    again = command("open night owls", "stop")
    # THEN the second command finds their state (the table was created once, at the endpoint)
    assert alexa(blocks(first)[0]).startswith("Welcome to The Night Owls!")
    assert alexa(blocks(again)[0]).startswith("Welcome back to The Night Owls.")
    assert dynamodb_server.resource().Table(state_table).get_item(
        Key={"id": "amzn1.ask.account.LISTENER"}).get("Item")

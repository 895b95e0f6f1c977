"""The simulated clock, `/time` arguments, and `dropday chat` as a real process with its own servers."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from dropday.localdev.clock import Clock, parse_moment
from dropday.localdev.simulator import listener_ids

AUCKLAND = ZoneInfo("Pacific/Auckland")
NOW = datetime(2027, 1, 14, 10, 30, tzinfo=timezone.utc)


@pytest.mark.parametrize(("text", "expected"), [
    ("+3d", NOW + timedelta(days=3)),
    ("-2h", NOW - timedelta(hours=2)),
    ("+1d6h30m", NOW + timedelta(days=1, hours=6, minutes=30)),
    ("+2w", NOW + timedelta(weeks=2)),
    ("+ 90 m", NOW + timedelta(minutes=90)),
    ("2027-01-15T00:30", datetime(2027, 1, 14, 11, 30, tzinfo=timezone.utc)),      # local to the device
    ("2027-01-15 00:30", datetime(2027, 1, 14, 11, 30, tzinfo=timezone.utc)),
    ("2027-01-15", datetime(2027, 1, 14, 11, 0, tzinfo=timezone.utc)),             # its midnight there
    ("2027-01-14T10:30Z", NOW),
    ("2027-01-14T12:30+02:00", NOW),
])
def test_time_arguments_are_relative_or_iso_local_to_the_device(text, expected):
    assert parse_moment(text, AUCKLAND, NOW) == expected


def test_now_is_the_real_time():
    assert abs(parse_moment("now", AUCKLAND, NOW) - datetime.now(timezone.utc)) < timedelta(seconds=5)


@pytest.mark.parametrize("text", ["tomorrow", "+3", "3d", "+3y", "2027-13-01"])
def test_other_time_arguments_are_refused_with_examples(text):
    with pytest.raises(ValueError, match=r"use \+3d"):
        parse_moment(text, AUCKLAND, NOW)


def test_the_clock_runs_from_the_chosen_moment_and_can_be_moved():
    ticks = iter([0.0, 90.0, 90.0, 100.0, 110.0]).__next__  # monotonic seconds, one per reading
    clock = Clock(NOW, ticks=ticks)
    assert clock.now() == NOW + timedelta(seconds=90)
    clock.shift(timedelta(days=1))
    assert clock.now() == NOW + timedelta(days=1, seconds=100)


def test_listeners_get_alexa_shaped_ids():
    assert listener_ids("Kiwi fan 2") == ("amzn1.ask.account.KIWI_FAN_2", "amzn1.ask.device.KIWI_FAN_2")


def test_dropday_chat_runs_as_a_command_with_its_own_moto_server_and_stops_cleanly(fixture_workspace):
    env = {k: v for k, v in os.environ.items() if k not in ("SKILL_STATE_TABLE", "REQUESTS_CA_BUNDLE")}
    result = subprocess.run([sys.executable, "-m", "dropday.cli", "chat", "--at", "2026-12-01T12:00", "--manifest",
                             "audio_manifest"],
                            input="open night owls\ngive me a tip\nstop\n", capture_output=True, text=True,
                            env=env, cwd=fixture_workspace, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("\nYou:   ") == 3
    assert "[clip: tips/" in result.stdout
    assert result.stdout.rstrip().endswith("(session ended)")
    assert result.stderr == ""


def test_dropday_chat_starts_with_no_campaign_named_in_a_folder_of_several_as_make_run_does(two_campaigns):
    # GIVEN what `make run` has on a fresh clone: a folder of several campaigns, and no DROPDAY_CAMPAIGN
    # (the skill's cold start, importing dropday.app, refuses to choose among them)
    env = {k: v for k, v in os.environ.items() if k not in ("SKILL_STATE_TABLE", "REQUESTS_CA_BUNDLE",
                                                            "DROPDAY_CAMPAIGN")}
    env["MANIFEST_DIR"] = str(two_campaigns / "audio_manifest")
    # WHEN a listener talks to the chat, and when the demo plays
    chat = subprocess.run([sys.executable, "-m", "dropday.cli", "chat", "--at", "2027-02-01T12:00"],
                          input="open day larks\ngive me a tip\nopen night owls\nstop\n", capture_output=True,
                          text=True, env=env, cwd=two_campaigns, timeout=60)
    demo = subprocess.run([sys.executable, "-m", "dropday.cli", "chat", "--demo", "--at", "2027-02-01T12:00"],
                          capture_output=True, text=True, env=env, cwd=two_campaigns, timeout=120)
    # THEN the chat has both skills and the demo plays each campaign's, with nothing on standard error
    assert (chat.returncode, chat.stderr) == (0, "")
    assert "Alexa: Welcome to The Day Larks!" in chat.stdout and "Alexa: Welcome to The Night Owls!" in chat.stdout
    assert (demo.returncode, demo.stderr) == (0, "")
    assert demo.stdout.count("\nYou:   Alexa, open ") == 2
    assert "FallbackIntent" not in demo.stdout and "the skill is closed" not in demo.stdout

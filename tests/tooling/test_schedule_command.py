"""`dropday schedule`: the campaign day by day, as a listener in a time zone hears it."""

from __future__ import annotations

from datetime import date, datetime, time
from random import Random
from zoneinfo import ZoneInfo

from dropday.content import read_manifest
from dropday.core import dialog
from dropday.core.listener import ListenerState
from support import REPO
from tooling_helpers import edit, manifest_file


def row(run, day: str) -> str:
    return next(line for line in run.out if line.startswith(day))


def after(run, day: str) -> list[str]:
    """The lines printed under a day's row."""
    start = run.out.index(row(run, day))
    rest = run.out[start + 1:]
    return rest[:next((i for i, line in enumerate(rest) if not line.startswith(" ")), len(rest))]


def test_the_demo_runs_from_its_first_recorded_line_to_the_day_after_its_last_change(dropday, monkeypatch):
    monkeypatch.chdir(REPO)
    run = dropday("schedule")
    assert run.status == 0
    assert run.out[0] == ("The Lantern Foxes: Small Hours Harbour, out Fri 2027-01-15. As heard in Europe/London at "
                          "12:00, default sentences.")
    assert run.out[2] == ("2026-12-16 Wed   9 tips  Thirty days to go until Small Hours Harbour. We can't wait for "
                          "you to hear it. Would you like a tip while you wait? [clip: countdown/thirty-days.mp3]")
    assert run.out[3].split() == ["tips:", "ada-humming-warmup,", "ada-lyric-notebook,", "rui-open-tuning,",
                                  "rui-old-strings,", "noor-play-less,", "noor-listen-to-the-kick,",
                                  "tomasz-metronome,", "tomasz-brushes,", "tomasz-tea"]
    assert run.out[-3].startswith("2027-04-01 Thu  11 tips  Small Hours Harbour is out now.")


def test_a_tip_is_marked_new_on_the_day_it_becomes_available(dropday, monkeypatch):
    monkeypatch.chdir(REPO)
    run = dropday("schedule")
    assert row(run, "2026-12-18").startswith("2026-12-18 Fri  10 tips  There are 28 days to go")
    assert "*ada-title-track" in after(run, "2026-12-18")[0]
    assert after(run, "2026-12-19") == []


def test_the_last_day_release_day_and_after(dropday, monkeypatch):
    monkeypatch.chdir(REPO)
    run = dropday("schedule", "--from", "2027-01-14", "--to", "2027-01-17")
    assert row(run, "2027-01-14") == ("2027-01-14 Thu  11 tips  Not long now! Small Hours Harbour comes out in 12 "
                                      "hours. Would you like a tip while you wait?")
    assert row(run, "2027-01-15").endswith("[clip: countdown/release-day.mp3]  <- release day")
    assert "*noor-secret-track" in after(run, "2027-01-15")[0]
    assert row(run, "2027-01-16").startswith("2027-01-16 Sat  12 tips  Small Hours Harbour is out now. Put it on loud.")
    assert run.out[-1].startswith("2027-01-17 Sun  12 tips  Small Hours Harbour is out now.")  # one day: not folded


def test_days_that_sound_the_same_are_folded_and_an_ending_tip_is_shown(dropday, monkeypatch):
    monkeypatch.chdir(REPO)
    run = dropday("schedule", "--from", "2027-01-16")
    assert run.out[4] == f"{'':20}... the same every day to Wed 2027-03-31 (74 more days)"
    assert after(run, "2027-04-01")[-1] == f"{'':20}ended: noor-secret-track"


def test_each_countdown_line_is_what_the_skill_answers_that_day(dropday, monkeypatch):
    monkeypatch.chdir(REPO)
    manifest = read_manifest(REPO / "audio_manifest" / "lantern-foxes.yaml")
    zone = ZoneInfo("America/New_York")
    run = dropday("schedule", "--tz", "America/New_York", "--locale", "en-US", "--at", "23:30")
    for line in run.out[2:]:
        if line.startswith(" "):
            continue
        day = date.fromisoformat(line[:10])
        turn = dialog.Turn(manifest, "en-US", datetime.combine(day, time(23, 30), tzinfo=zone), zone,
                           ListenerState(), False, "https://audio.example", Random(1))
        assert dialog.countdown_to_release(turn).speech.plain in line, day
    assert "Less than an hour to go until Small Hours Harbour comes out!" in row(run, "2027-01-14")


def test_an_unknown_time_zone_is_refused(dropday, monkeypatch):
    monkeypatch.chdir(REPO)
    run = dropday("schedule", "--tz", "Mars/Olympus_Mons")
    assert run.status == 2
    assert run.err == ("dropday schedule: `Mars/Olympus_Mons` is not an IANA time zone; use a name such as "
                       "Europe/London or America/New_York\n")


def test_to_before_from_is_refused(dropday, monkeypatch):
    monkeypatch.chdir(REPO)
    run = dropday("schedule", "--from", "2027-01-10", "--to", "2027-01-01")
    assert run.status == 2
    assert "--to 2027-01-01 is before --from 2027-01-10" in run.err


def test_an_invalid_manifest_shows_its_problems_instead_of_a_schedule(dropday, demo):
    edit(manifest_file(demo), "    member: rui\n    audio: tips/rui-old-strings.mp3",
         "    member: bob\n    audio: tips/rui-old-strings.mp3")
    run = dropday("schedule")
    assert run.status == 1
    assert run.out[0].startswith("audio_manifest/lantern-foxes.yaml:")
    assert "tips[4].member: `bob` is not a member id. Fix: use one of: ada, noor, rui, tomasz" in run.out[0]

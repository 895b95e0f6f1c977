"""`dropday schedule`: the campaign day by day, as a listener in a time zone hears it (on the fixture campaign)."""

from __future__ import annotations

from datetime import date, datetime, time
from random import Random
from zoneinfo import ZoneInfo

import pytest

from dropday.content import read_manifest
from dropday.core import dialog
from dropday.core.listener import ListenerState
from dropday.core.session import SessionState
from dropday.core.turns import Turn
from support import FIXTURE_CAMPAIGN
from tooling_helpers import edit, manifest_file


def row(run, day: str) -> str:
    return next(line for line in run.out if line.startswith(day))


def after(run, day: str) -> list[str]:
    """The lines printed under a day's row."""
    start = run.out.index(row(run, day))
    rest = run.out[start + 1:]
    return rest[:next((i for i, line in enumerate(rest) if not line.startswith(" ")), len(rest))]


@pytest.fixture
def today(monkeypatch):
    """Set the listener's today: `today("2026-12-01")`."""
    def set_today(day: str) -> None:
        monkeypatch.setattr("dropday.cli.schedule.today", lambda zone: date.fromisoformat(day))

    set_today("2026-12-01")
    return set_today


def test_before_the_campaign_it_runs_from_its_first_recorded_line_to_the_day_after_its_last_change(
        dropday, workspace, today):
    run = dropday("schedule")
    assert run.status == 0
    assert run.out[0] == ("The Night Owls: Moth Light, out Fri 2027-01-15. As heard in Europe/London at 12:00, "
                          "default sentences.")
    assert run.out[1] == ("Wed 2026-12-16 to Thu 2027-04-01: from the campaign's first day (the first recorded "
                          "countdown line, 30 days before release), as today (Tue 2026-12-01) is earlier; to the day "
                          "after tips piece bea-hidden-track's last day, the last change (--from and --to show other "
                          "days).")
    # the fixture is a version-1 file: its tips are the section `tips`
    assert run.out[3] == "2026-12-16 Wed tips 5  Thirty days to go until Moth Light. [clip: countdown/thirty-days.mp3]"
    assert run.out[4].split(maxsplit=1) == ["tips:", "june-warm-up, otto-metronome, otto-tea (clip in en-GB, en-IN "
                                                     "only), bea-space, bea-kick-drum"]
    assert run.out[5] == f"{'':20}welcome back: Welcome back to The Night Owls."
    assert run.out[-3].startswith("2027-04-01 Thu tips 7  Moth Light is out now.")
    assert run.out[-1] == f"{'':20}ended: bea-hidden-track"


def test_during_the_campaign_it_starts_today_and_says_so(dropday, workspace, today):
    today("2027-01-10")
    run = dropday("schedule")
    assert run.out[1].startswith("Sun 2027-01-10 to Thu 2027-04-01: from today; to the day after tips piece "
                                 "bea-hidden-track's last day, the last change")
    assert run.out[3] == "2027-01-10 Sun tips 7  There are 5 days to go until Moth Light comes out."


def test_after_the_last_change_it_shows_today_only_and_why(dropday, workspace, today):
    today("2027-05-01")
    run = dropday("schedule")
    assert run.out[1] == ("Sat 2027-05-01 to Sat 2027-05-01: from today; that day only: nothing changes after the day "
                          "after tips piece bea-hidden-track's last day (Thu 2027-04-01) (--from and --to show other "
                          "days).")
    assert [line[:10] for line in run.out[3:] if not line.startswith(" ")] == ["2027-05-01"]


def test_a_tip_is_marked_new_on_the_day_it_becomes_available(dropday, workspace, today):
    run = dropday("schedule")
    assert row(run, "2026-12-18").startswith("2026-12-18 Fri tips 6  There are 28 days to go")
    assert "*june-notebook" in after(run, "2026-12-18")[0]
    assert after(run, "2026-12-19") == []


def test_a_clip_a_locale_reads_as_text_is_marked(dropday, workspace, today):
    # GIVEN otto-tea, whose clip plays only in en-GB and en-IN
    # WHEN the schedule is for en-US, THEN the tip is marked as read as text; in en-GB it is not
    us = dropday("schedule", "--locale", "en-US", "--from", "2026-12-16", "--to", "2026-12-16")
    assert "otto-tea (read as text)" in after(us, "2026-12-16")[0]
    gb = dropday("schedule", "--locale", "en-GB", "--from", "2026-12-16", "--to", "2026-12-16")
    assert ", otto-tea, " in after(gb, "2026-12-16")[0]


def test_a_tip_without_a_clip_is_read_as_text_everywhere(dropday, workspace, today):
    edit(manifest_file(workspace), "    audio: tips/bea-space.mp3\n", "")
    run = dropday("schedule", "--from", "2026-12-16", "--to", "2026-12-16")
    assert "bea-space (read as text), " in after(run, "2026-12-16")[0]


def test_the_last_day_release_day_and_after(dropday, workspace, today):
    run = dropday("schedule", "--from", "2027-01-14", "--to", "2027-01-17")
    assert run.out[1].startswith("Thu 2027-01-14 to Sun 2027-01-17: from --from; to --to")
    assert row(run, "2027-01-14") == "2027-01-14 Thu tips 7  Not long now! Moth Light comes out in 12 hours."
    assert row(run, "2027-01-15").endswith("[clip: countdown/release-day.mp3]  <- release day")
    assert "*bea-hidden-track" in after(run, "2027-01-15")[0]
    assert row(run, "2027-01-16").startswith("2027-01-16 Sat tips 8  Moth Light is out now. Turn it up.")
    assert run.out[-1].startswith("2027-01-17 Sun tips 8  Moth Light is out now.")  # one day: not folded


def test_days_that_sound_the_same_are_folded_and_an_ending_tip_is_shown(dropday, workspace, today):
    run = dropday("schedule", "--from", "2027-01-16")
    assert after(run, "2027-01-16")[-1] == f"{'':20}... the same every day to Wed 2027-03-31 (74 more days)"
    assert after(run, "2027-04-01")[-1] == f"{'':20}ended: bea-hidden-track"


def test_each_countdown_line_is_what_the_skill_answers_that_day(dropday, workspace, today):
    manifest = read_manifest(manifest_file(workspace))
    zone = ZoneInfo("America/New_York")
    run = dropday("schedule", "--tz", "America/New_York", "--locale", "en-US", "--at", "23:30")
    days = [line for line in run.out[3:] if not line.startswith(" ")]
    assert len(days) > 20
    for line in days:
        day = date.fromisoformat(line[:10])
        turn = Turn(manifest, "en-US", datetime.combine(day, time(23, 30), tzinfo=zone), zone, ListenerState(),
                    SessionState(), False, "https://audio.example", Random(1))
        assert dialog.countdown(turn).speech.plain in line, day
    assert "Less than an hour to go until Moth Light comes out!" in row(run, "2027-01-14")


def test_an_unknown_time_zone_is_refused(dropday, workspace, today):
    run = dropday("schedule", "--tz", "Mars/Olympus_Mons")
    assert run.status == 2
    assert run.err == ("dropday schedule: `Mars/Olympus_Mons` is not an IANA time zone; use a name such as "
                       "Europe/London or America/New_York\n")


def test_to_before_from_is_refused(dropday, workspace, today):
    run = dropday("schedule", "--from", "2027-01-10", "--to", "2027-01-01")
    assert run.status == 2
    assert "--to 2027-01-01 is before --from 2027-01-10" in run.err


def test_an_invalid_manifest_shows_its_problems_as_validate_does(dropday, workspace, today):
    edit(manifest_file(workspace), "    member: otto\n    audio: tips/otto-tea.mp3",
         "    member: oto\n    audio: tips/otto-tea.mp3")
    run = dropday("schedule")
    assert run.status == 1
    assert run.out[0].startswith(f"audio_manifest/{FIXTURE_CAMPAIGN}.yaml:")
    assert "tip otto-tea, member: `oto` is not a member id. Fix: did you mean otto? Otherwise use one of: bea, june, " \
           "otto" in run.out[0]
    assert run.err.endswith("run dropday validate for the full list\n")


def test_campaign_picks_one_of_several(dropday, workspace, today):
    (workspace / "audio_manifest" / "encore.yaml").write_text("campaign: encore\n")
    run = dropday("schedule")
    assert run.status == 2
    assert "holds several campaigns (encore, night-owls); pick one with --campaign" in run.err
    assert dropday("schedule", "--campaign", FIXTURE_CAMPAIGN).status == 0

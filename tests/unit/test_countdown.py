"""Countdown arithmetic: local midnight of the release date, in the listener's own zone."""

from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

import pytest

from dropday.core.countdown import Countdown, Stage, countdown, local_date

RELEASE = date(2027, 1, 15)


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=timezone.utc)


@pytest.mark.parametrize(("now", "zone", "stage", "days", "hours"), [
    # Auckland is UTC+13 in January: its release midnight is 2027-01-14T11:00Z.
    ("2027-01-13T10:59:00", "Pacific/Auckland", Stage.DAYS, 2, 0),          # 23:59 on the 13th, local
    ("2027-01-13T11:00:00", "Pacific/Auckland", Stage.HOURS, 1, 24),        # midnight of the 14th, local
    ("2027-01-14T05:30:00", "Pacific/Auckland", Stage.HOURS, 1, 6),         # 18:30 local: 5.5 h left
    ("2027-01-14T10:00:00", "Pacific/Auckland", Stage.LAST_HOUR, 1, 1),     # 23:00 local: exactly 1 h left
    ("2027-01-14T11:00:00", "Pacific/Auckland", Stage.RELEASE_DAY, 0, 0),   # it is out in Auckland ...
    ("2027-01-14T11:00:00", "Europe/London", Stage.HOURS, 1, 13),           # ... but London waits 13 h more
    ("2027-01-14T11:00:00", "America/Los_Angeles", Stage.HOURS, 1, 21),     # 03:00 on the 14th in LA
    ("2027-01-14T07:59:00", "America/Los_Angeles", Stage.DAYS, 2, 0),       # 23:59 on the 13th in LA
    ("2027-01-15T07:59:00", "America/Los_Angeles", Stage.LAST_HOUR, 1, 0),  # 23:59 on the 14th in LA
    ("2027-01-15T08:00:00", "America/Los_Angeles", Stage.RELEASE_DAY, 0, 0),
    ("2027-01-16T00:00:00", "Europe/London", Stage.OUT_NOW, -1, 0),
    ("2026-12-16T12:00:00", "Europe/London", Stage.DAYS, 30, 0),
])
def test_countdown_counts_to_local_midnight(now, zone, stage, days, hours):
    result = countdown(RELEASE, utc(now), ZoneInfo(zone))
    assert (result.stage, result.days_to_go) == (stage, days)
    if stage is Stage.HOURS:
        assert result.hours == hours


def test_the_last_day_is_23_hours_long_when_clocks_go_forward():
    # GIVEN a release on Monday 2027-03-29, the day after London's clocks go forward (28 March 01:00 UTC)
    # WHEN a listener asks at local midnight starting the 28th
    result = countdown(date(2027, 3, 29), utc("2027-03-28T00:00:00"), ZoneInfo("Europe/London"))
    # THEN 23 real hours remain, not 24
    assert (result.stage, result.hours) == (Stage.HOURS, 23)


def test_the_last_day_is_25_hours_long_when_clocks_go_back():
    # GIVEN a release on 2026-11-02, the day after Los Angeles's clocks go back (1 Nov, 09:00 UTC)
    # WHEN a listener asks at local midnight starting the 1st (07:00 UTC, still PDT)
    result = countdown(date(2026, 11, 2), utc("2026-11-01T07:00:00"), ZoneInfo("America/Los_Angeles"))
    # THEN 25 real hours remain (midnight of the 2nd is 08:00 UTC, PST)
    assert (result.stage, result.hours) == (Stage.HOURS, 25)


def test_a_naive_time_is_refused():
    with pytest.raises(ValueError, match="timezone-aware"):
        countdown(RELEASE, datetime(2027, 1, 1), ZoneInfo("Europe/London"))


def test_the_ends_of_the_calendar_give_a_countdown_not_an_overflow():
    from datetime import date as day
    # GIVEN Kiritimati, whose local time before 1901 was UTC-10:29 and is now UTC+14
    kiritimati = ZoneInfo("Pacific/Kiritimati")
    first = datetime(1, 1, 1, tzinfo=timezone.utc)
    last = datetime(9999, 12, 31, 23, 59, 59, tzinfo=timezone.utc)
    # THEN the local date is the calendar's first or last day, and the countdown is told
    assert local_date(first, kiritimati) == day.min and local_date(last, kiritimati) == day.max
    assert countdown(day(2027, 1, 15), last, kiritimati).stage is Stage.OUT_NOW
    assert countdown(day(2027, 1, 15), first, kiritimati) == Countdown(Stage.DAYS, (day(2027, 1, 15) - day.min).days)

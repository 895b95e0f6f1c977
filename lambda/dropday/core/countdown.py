"""Countdown arithmetic: how long until local midnight of the release date in a listener's zone."""

import math
from datetime import date, datetime, time, timedelta, timezone
from enum import Enum
from typing import NamedTuple
from zoneinfo import ZoneInfo


class Stage(Enum):
    """Where a listener stands relative to the release."""

    DAYS = "days"                # two or more local days to go
    HOURS = "hours"              # the last day, more than an hour to go
    LAST_HOUR = "last_hour"      # an hour or less to go
    RELEASE_DAY = "release_day"  # the local release date
    OUT_NOW = "out_now"          # any later day


class Countdown(NamedTuple):
    """How long until release, as a listener would say it.

    Attributes:
        stage: which kind of answer applies.
        days_to_go: local calendar days until the release date (negative once it has passed).
        hours: whole hours left, rounded up (only meaningful in the HOURS stage).
    """

    stage: Stage
    days_to_go: int
    hours: int = 0


def countdown(release_date: date, now: datetime, zone: ZoneInfo) -> Countdown:
    """The countdown to local midnight at the start of `release_date` in `zone`.

    Args:
        release_date: the album's release date.
        now: the moment of the request; must be timezone-aware.
        zone: the listener's time zone.

    Returns:
        The stage and figures to speak. Elapsed time is computed in UTC, so a DST change on the
        last day gives 23 or 25 hours, as the clock on the wall would.

    Raises:
        ValueError: when `now` is naive.
    """
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    days_to_go = (release_date - local_date(now, zone)).days
    if days_to_go < 0:
        return Countdown(Stage.OUT_NOW, days_to_go)
    if days_to_go == 0:
        return Countdown(Stage.RELEASE_DAY, 0)
    if days_to_go >= 2:
        return Countdown(Stage.DAYS, days_to_go)
    release = datetime.combine(release_date, time(0), tzinfo=zone).astimezone(timezone.utc)
    left = release - now.astimezone(timezone.utc)
    if left <= timedelta(hours=1):
        return Countdown(Stage.LAST_HOUR, 1, 1)
    return Countdown(Stage.HOURS, 1, math.ceil(left / timedelta(hours=1)))


def local_date(now: datetime, zone: ZoneInfo) -> date:
    """The calendar date at `now` in `zone`.

    At the very ends of the calendar (0001-01-01 or 9999-12-31 in UTC), where the local date does
    not exist in Python, the first or last date is given instead of an OverflowError.
    """
    try:
        return now.astimezone(zone).date()
    except OverflowError:
        return date.min if now.astimezone(timezone.utc).year == 1 else date.max

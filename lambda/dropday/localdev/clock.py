"""Simulated time for `dropday chat`: a clock that runs from a chosen moment, and the moments
people type (`--at`, `/time`): `+3d`, `-2h30m`, `now`, or ISO 8601 local to the device's zone."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from time import monotonic
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

_RELATIVE = re.compile(r"^(?P<sign>[+-])\s*(?P<parts>(?:\d+(?:\.\d+)?\s*[wdhms]\s*)+)$")
_PART = re.compile(r"(\d+(?:\.\d+)?)\s*([wdhms])")
_UNITS = {"w": "weeks", "d": "days", "h": "hours", "m": "minutes", "s": "seconds"}


class Clock:
    """Simulated time: runs at the real pace from a chosen moment, and can be moved."""

    def __init__(self, start: datetime, running: bool = True, ticks: Callable[[], float] = monotonic) -> None:
        self._ticks, self.running = ticks, running
        self.set(start)

    def now(self) -> datetime:
        """The simulated moment (aware, UTC, whole seconds)."""
        elapsed = timedelta(seconds=self._ticks() - self._started) if self.running else timedelta()
        return (self._anchor + elapsed).replace(microsecond=0)

    def set(self, moment: datetime) -> None:
        """Jump to `moment` (aware)."""
        self._anchor, self._started = moment.astimezone(timezone.utc), self._ticks()

    def shift(self, delta: timedelta) -> None:
        """Move by `delta`."""
        self.set(self.now() + delta)


def parse_moment(text: str, zone: ZoneInfo, now: datetime) -> datetime:
    """A moment from `/time` or `--at`: `now`, `+3d`/`-2h30m` (from `now`), or ISO 8601.

    An ISO time without an offset is local time in `zone`; a date alone is its midnight there.

    Raises:
        ValueError: with what is accepted.
    """
    text = text.strip()
    if text.lower() == "now":
        return datetime.now(timezone.utc).replace(microsecond=0)
    relative = _RELATIVE.match(text.lower())
    if relative:
        delta = timedelta()
        for amount, unit in _PART.findall(relative["parts"]):
            delta += timedelta(**{_UNITS[unit]: float(amount)})
        return now + (delta if relative["sign"] == "+" else -delta)
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(f"not a time: {text!r} (use +3d, -2h, +1d6h30m, now, or ISO like 2027-01-14T23:30 "
                         f"or 2027-01-14T10:30Z)") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=zone)


def zone_or_error(name: str) -> ZoneInfo:
    """`ZoneInfo(name)`.

    Raises:
        ValueError: naming an example of a valid zone.
    """
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown time zone {name!r} (use an IANA name such as Europe/London, "
                         f"America/Los_Angeles or Pacific/Auckland)") from None

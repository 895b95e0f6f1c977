"""The campaign day by day, as a listener hears it: tips available and the countdown answer.

The countdown answer of a day is built by the skill's own `dialog.countdown_to_release`, so the
schedule the content team reviews can never disagree with what the skill says.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from random import Random
from zoneinfo import ZoneInfo

from ..config import LOCAL_AUDIO_BASE_URL
from ..core import dialog
from ..core.listener import ListenerState
from ..core.manifest import Manifest, Tip
from ..core.speech import Clip, Speech
from .responses import clip_path


@dataclass(frozen=True)
class Day:
    """One day of the campaign in the listener's time zone.

    Attributes:
        day: the listener's local date.
        tips: the tips available that day, in manifest order.
        new: tips available that day but not the day before.
        ended: tips available the day before but not that day.
        countdown: what the skill answers "how long until the album comes out?".
    """

    day: date
    tips: tuple[Tip, ...]
    new: tuple[Tip, ...]
    ended: tuple[Tip, ...]
    countdown: Speech

    @property
    def countdown_clips(self) -> tuple[str, ...]:
        """The recorded clips the countdown answer plays (paths as in the manifest)."""
        return tuple(clip_path(p.url) for p in self.countdown.parts if isinstance(p, Clip))


def campaign_start(manifest: Manifest) -> tuple[date, str] | None:
    """The earliest day the manifest schedules anything, and why: the first countdown line or tip date.

    None when the manifest names no such day (no recorded countdown lines and no `available.from`).
    """
    candidates: list[tuple[date, str]] = []
    if manifest.countdown_lines:
        days = max(manifest.countdown_lines)
        candidates.append((manifest.album.release_date - timedelta(days=days),
                           f"the first recorded countdown line, {days} days before release"))
    candidates += [(t.window.start, f"the day tip {t.id} becomes available") for t in manifest.tips if t.window.start]
    return min(candidates, key=lambda c: c[0]) if candidates else None


@dataclass(frozen=True)
class Range:
    """The days a schedule shows, and why those (for the header line).

    Attributes:
        first: the first day shown.
        last: the last day shown.
        why: why these days, in words.
    """

    first: date
    last: date
    why: str


def last_change(manifest: Manifest) -> tuple[date, str]:
    """The last day on which something changes for listeners (the day after release, a tip arriving,
    the day after a tip's last day), and that day in words."""
    release = manifest.album.release_date
    edges = [(release + timedelta(days=1), "the day after release day")]
    for tip in manifest.tips:
        if tip.window.start:
            edges.append((tip.window.start, f"the day tip {tip.id} arrives"))
        if tip.window.end:
            edges.append((tip.window.end + timedelta(days=1), f"the day after tip {tip.id}'s last day"))
    return max(edges, key=lambda edge: edge[0])


def schedule_range(manifest: Manifest, today: date, first: date | None = None, last: date | None = None) -> Range:
    """The days `dropday schedule` shows: from today, or the campaign's first day when that is
    later, to the day after the last change; `first` and `last` (--from, --to) win.

    Args:
        manifest: the campaign.
        today: the listener's local date.
        first: the first day asked for, if any.
        last: the last day asked for, if any.
    """
    release = manifest.album.release_date
    start = campaign_start(manifest)
    if start and start[0] <= release:
        opening, reason = start
    else:
        opening, reason = release - timedelta(days=7), "a week before release (nothing is scheduled earlier)"
    if first is not None:
        why_first = "from --from"
    elif today > opening:
        first, why_first = today, "from today"
    else:
        first, why_first = opening, (f"from the campaign's first day ({reason}), as today ({today:%a %Y-%m-%d}) "
                                     "is earlier")
    end, end_day = last_change(manifest)
    if last is not None:
        why_last = "to --to"
    elif end >= first:
        last, why_last = end, f"to {end_day}, the last change"
    else:
        last, why_last = first, f"that day only: nothing changes after {end_day} ({end:%a %Y-%m-%d})"
    return Range(first, last, f"{why_first}; {why_last}")


def campaign_days(manifest: Manifest, first: date, last: date, zone: ZoneInfo, locale: str | None = None,
                  at: time = time(12)) -> list[Day]:
    """Each day from `first` to `last` (inclusive) as a listener in `zone` hears it at `at` local time.

    Args:
        manifest: the campaign.
        first: the first day to show.
        last: the last day to show.
        zone: the listener's time zone.
        locale: the listener's locale (None: the default sentences).
        at: the local time of day the listener asks (it matters on the last day, counted in hours).
    """
    days = []
    before = {t.id for t in manifest.tips_available(first - timedelta(days=1))}
    day = first
    while day <= last:
        tips = manifest.tips_available(day)
        now = {t.id for t in tips}
        turn = dialog.Turn(manifest, locale, datetime.combine(day, at, tzinfo=zone), zone, ListenerState(),
                           new_session=False, audio_base_url=LOCAL_AUDIO_BASE_URL, rng=Random(0))
        reply = dialog.countdown_to_release(turn)
        days.append(Day(day, tips, tuple(t for t in tips if t.id not in before),
                        tuple(t for t in manifest.tips if t.id in before and t.id not in now), reply.speech))
        before = now
        day += timedelta(days=1)
    return days

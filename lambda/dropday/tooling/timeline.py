"""The campaign day by day, as a listener hears it: pieces per section, the welcome in force, what
a daily listener has unlocked, and the countdown answer.

The answers of a day are built by the skill's own dialog (`dialog.countdown`, the sentences' variants
in force, `unlocks.newly_unlocked`), so the schedule the content team reviews can never disagree
with what the skill says.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from random import Random
from zoneinfo import ZoneInfo

from ..config import LOCAL_AUDIO_BASE_URL
from ..core import dialog
from ..core.campaign import Manifest, Piece, Section
from ..core.listener import ListenerState, SectionProgress
from ..core.session import SessionState
from ..core.speech import Clip, Speech
from ..core.turns import Turn
from ..core.unlocks import newly_unlocked
from .responses import clip_path


@dataclass(frozen=True)
class Day:
    """One day of the campaign in the listener's time zone.

    Attributes:
        day: the listener's local date.
        pieces: per section (in manifest order), the pieces available that day.
        new: pieces available that day but not the day before.
        ended: pieces available the day before but not that day.
        countdown: what the skill answers "how long until the album comes out?".
        welcomes: the welcome-back variants in force that day (their words).
        unlocked: the unlockables a listener who visits every day and hears everything has by then.
    """

    day: date
    pieces: tuple[tuple[Section, tuple[Piece, ...]], ...]
    new: tuple[Piece, ...]
    ended: tuple[Piece, ...]
    countdown: Speech
    welcomes: tuple[str, ...] = ()
    unlocked: tuple[str, ...] = ()

    @property
    def available(self) -> tuple[Piece, ...]:
        """Every piece available that day."""
        return tuple(p for _, pieces in self.pieces for p in pieces)

    @property
    def countdown_clips(self) -> tuple[str, ...]:
        """The recorded clips the countdown answer plays (paths as in the manifest)."""
        return tuple(clip_path(p.url) for p in self.countdown.parts if isinstance(p, Clip))


def campaign_start(manifest: Manifest) -> tuple[date, str] | None:
    """The earliest day the manifest schedules anything, and why: the first countdown line or drop.

    None when the manifest names no such day (no recorded countdown lines and no `available.from`).
    """
    candidates: list[tuple[date, str]] = []
    if manifest.countdown_lines:
        days = max(manifest.countdown_lines)
        candidates.append((manifest.album.release_date - timedelta(days=days),
                           f"the first recorded countdown line, {days} days before release"))
    candidates += [(p.window.start, f"the day {p.section} piece {p.id} becomes available")
                   for p in manifest.pieces if p.window.start]
    return min(candidates, key=lambda c: c[0]) if candidates else None


@dataclass(frozen=True)
class Range:
    """The days a schedule shows, and why those (for the header line)."""

    first: date
    last: date
    why: str


def last_change(manifest: Manifest) -> tuple[date, str]:
    """The last day on which something changes for listeners (the day after release, a piece
    arriving, the day after a piece's last day, a dated unlock), and that day in words."""
    release = manifest.album.release_date
    edges = [(release + timedelta(days=1), "the day after release day")]
    for piece in manifest.pieces:
        if piece.window.start:
            edges.append((piece.window.start, f"the day {piece.section} piece {piece.id} arrives"))
        if piece.window.end:
            edges.append((piece.window.end + timedelta(days=1),
                          f"the day after {piece.section} piece {piece.id}'s last day"))
    edges += [(u.when.day, f"the day {u.id} unlocks") for u in manifest.unlockables if u.when.day]
    return max(edges, key=lambda edge: edge[0])


def schedule_range(manifest: Manifest, today: date, first: date | None = None, last: date | None = None) -> Range:
    """The days `dropday schedule` shows: from today, or the campaign's first day when that is
    later, to the day after the last change; `first` and `last` (--from, --to) win."""
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

    The unlockables shown are those of a listener who has visited every day since the campaign's
    first day and heard every piece available to them (the most anyone can have unlocked by then).
    """
    days = []
    before = {p.id for p in manifest.pieces if p.available_on(first - timedelta(days=1))}
    start = (campaign_start(manifest) or (first, ""))[0]
    fan = _daily_listener(manifest, min(start, first), first - timedelta(days=1))
    day = first
    while day <= last:
        pieces = tuple((s, s.available(day)) for s in manifest.sections)
        now = {p.id for _, ps in pieces for p in ps}
        fan = _daily_listener(manifest, day, day, fan)
        turn = Turn(manifest, locale, datetime.combine(day, at, tzinfo=zone), zone, ListenerState(),
                    SessionState(), False, LOCAL_AUDIO_BASE_URL, Random(0))
        reply = dialog.countdown(turn)
        welcome = manifest.sentence("welcome_back", locale, day=day)
        days.append(Day(day, pieces, tuple(p for _, ps in pieces for p in ps if p.id not in before),
                        tuple(p for p in manifest.pieces if p.id in before and p.id not in now), reply.speech,
                        tuple(manifest.fill(v.recording.transcript.get(locale)) for v in welcome.in_force(day)),
                        tuple(u.id for u in manifest.unlockables if u.key in set(fan.unlocked))))
        before = now
        day += timedelta(days=1)
    return days


def _daily_listener(manifest: Manifest, first: date, last: date, state: ListenerState | None = None) -> ListenerState:
    """The state of a listener who visits on each day from `first` to `last` and hears everything there is."""
    state = state or ListenerState()
    day = first
    while day <= last:
        state = state.visited(day)
        state = state._replace(sections={s.id: SectionProgress(tuple(p.key for p in s.available(day)))
                                         for s in manifest.sections})
        state = state._replace(unlocked=(*state.unlocked, *(u.key for u in newly_unlocked(manifest, state, day))))
        day += timedelta(days=1)
    return state

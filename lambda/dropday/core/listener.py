"""What the skill remembers about one listener, as a small versioned dict."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, replace
from datetime import date

from .manifest import TIP_KEY_LENGTH

STATE_VERSION = 1


@dataclass(frozen=True)
class ListenerState:
    """One listener's progress.

    Attributes:
        heard: keys (`manifest.tip_key`) of the tips heard in the current rotation, oldest first.
        rotation: how many times the listener has started over after hearing every tip.
        visits: sessions so far.
        last_visit: the listener's local date of their latest session.
        time_zone: the device's time zone as last read from the Settings API.
        time_zone_checked: the day `time_zone` was read.
    """

    heard: tuple[str, ...] = ()
    rotation: int = 0
    visits: int = 0
    last_visit: date | None = None
    time_zone: str | None = None
    time_zone_checked: date | None = None

    def visited(self, today: date) -> ListenerState:
        """The state after a new session starts on `today`."""
        return replace(self, visits=self.visits + 1, last_visit=today)

    def known_tips_only(self, tip_keys: Collection[str]) -> ListenerState:
        """Forget heard tips the manifest no longer has, so the state never outgrows it."""
        kept = tuple(t for t in self.heard if t in tip_keys)
        return self if kept == self.heard else replace(self, heard=kept)

    def to_dict(self) -> dict[str, object]:
        """A compact dict for storage; empty fields are left out."""
        data: dict[str, object] = {"v": STATE_VERSION}
        if self.heard:
            data["heard"] = "".join(self.heard)
        if self.rotation:
            data["rotation"] = self.rotation
        if self.visits:
            data["visits"] = self.visits
        if self.last_visit:
            data["last_visit"] = self.last_visit.isoformat()
        if self.time_zone:
            data["tz"] = self.time_zone
        if self.time_zone_checked:
            data["tz_checked"] = self.time_zone_checked.isoformat()
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, object] | None) -> ListenerState:
        """Read a stored dict; anything missing, damaged or from an unknown version starts fresh.

        Numbers may arrive as `decimal.Decimal`, as DynamoDB returns them.
        """
        if not isinstance(data, Mapping) or data.get("v") != STATE_VERSION:
            return cls()
        heard = data.get("heard")
        return cls(
            heard=_keys(heard) if isinstance(heard, str) else (),
            rotation=_count(data.get("rotation")),
            visits=_count(data.get("visits")),
            last_visit=_day(data.get("last_visit")),
            time_zone=data.get("tz") if isinstance(data.get("tz"), str) else None,
            time_zone_checked=_day(data.get("tz_checked")),
        )


def merged(base: ListenerState, mine: ListenerState, theirs: ListenerState) -> ListenerState:
    """Combine this request's changes with another device's, both made on top of `base`.

    Heard tips are a union (within the newest rotation), counters add up, and the latest visit
    and freshest time zone win.

    Args:
        base: the state both started from.
        mine: the state this request would write.
        theirs: the state stored meanwhile by another request.

    Returns:
        The state that keeps both requests' progress.
    """
    def added(side: ListenerState) -> tuple[str, ...]:
        return side.heard if side.rotation != base.rotation else tuple(t for t in side.heard if t not in base.heard)

    newer, other = (mine, theirs) if mine.rotation > theirs.rotation else (theirs, mine)
    heard = newer.heard + tuple(t for t in added(other) if t not in newer.heard)
    zone_side = mine if (mine.time_zone, mine.time_zone_checked) != (base.time_zone, base.time_zone_checked) \
        else theirs
    visits = [v for v in (mine.last_visit, theirs.last_visit) if v]
    return ListenerState(
        heard=heard,
        rotation=newer.rotation,
        visits=theirs.visits + max(0, mine.visits - base.visits),
        last_visit=max(visits) if visits else None,
        time_zone=zone_side.time_zone,
        time_zone_checked=zone_side.time_zone_checked,
    )


def _keys(packed: str) -> tuple[str, ...]:
    """Split the stored string of fixed-width tip keys."""
    return tuple(packed[i:i + TIP_KEY_LENGTH] for i in range(0, len(packed) - TIP_KEY_LENGTH + 1, TIP_KEY_LENGTH))


def _count(value: object) -> int:
    try:
        return max(0, int(value))  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return 0


def _day(value: object) -> date | None:
    try:
        return date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None

"""What the skill remembers about one listener, as a small versioned dict."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from typing import NamedTuple

from .manifest import TIP_KEY_LENGTH, tip_key

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
        """Forget heard tips the manifest no longer has (and any key given twice), so the state
        never outgrows the manifest."""
        kept = tuple(t for t in dict.fromkeys(self.heard) if t in tip_keys)
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
    def from_dict(cls, data: object) -> ListenerState:
        """Read a stored dict; anything missing, damaged or from an unknown version starts fresh
        (`read_stored` says which, and whether the item may be written over).

        Numbers may arrive as `decimal.Decimal`, as DynamoDB returns them.
        """
        return read_stored(data).state

    @classmethod
    def _from_version_1(cls, data: Mapping[str, object]) -> ListenerState:
        heard = data.get("heard")
        return cls(
            heard=_heard(heard),
            rotation=_count(data.get("rotation")),
            visits=_count(data.get("visits")),
            last_visit=_day(data.get("last_visit")),
            time_zone=data.get("tz") if isinstance(data.get("tz"), str) else None,
            time_zone_checked=_day(data.get("tz_checked")),
        )


class StoredState(NamedTuple):
    """A stored item's attributes, as this code can use them.

    Attributes:
        state: the listener's state; a fresh one when the item could not be used.
        writable: False when the item is of a state version newer than `STATE_VERSION` (a newer
            deploy wrote it, and this one was rolled back) or of a version that is not a whole
            number: it must never be written over, so the listener is served as new meanwhile.
        reason: why the item was not used as it is, for the log; None when it was.
    """

    state: ListenerState
    writable: bool = True
    reason: str | None = None

    @property
    def damaged(self) -> bool:
        """Whether the item could not be read at all, though it may be written over (keep a copy first)."""
        return self.writable and self.reason is not None


def read_stored(data: object) -> StoredState:
    """Read a stored item's attributes, deciding what may happen to the item.

    - A map of a version this code knows (`v` a whole number from 1 to `STATE_VERSION`) is read;
      damaged fields start fresh one by one, and `heard` keeps each key once.
    - `v` greater than `STATE_VERSION`, or not a whole number: served as new, never written over.
    - Anything else (not a map, or a map without a usable `v`) cannot be read: served as new,
      and the item may be replaced by a fresh state (`damaged`).
    - Nothing stored at all (an empty map) is a new listener.
    """
    if not isinstance(data, Mapping):
        return StoredState(ListenerState(), True, f"the attributes are {_kind(data)}, not a map")
    if not data:
        return StoredState(ListenerState())
    version = data.get("v")
    if version is None:
        return StoredState(ListenerState(), True, "the attributes have no state version `v`")
    if not _whole(version) or int(version) > STATE_VERSION:  # type: ignore[call-overload]
        return StoredState(ListenerState(), False, f"the state version `v` is {_shown(version)}, newer than this "
                           f"code's ({STATE_VERSION}) or not a whole number")
    if int(version) < 1:  # type: ignore[call-overload]
        return StoredState(ListenerState(), True, f"the state version `v` is {_shown(version)}")
    return StoredState(ListenerState._from_version_1(data))


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


def _heard(stored: object) -> tuple[str, ...]:
    """The tip keys of a stored `heard`, each once: the packed string of fixed-width keys, or the
    list of tip ids stored before keys were packed (also version 1)."""
    if isinstance(stored, str):
        keys = (stored[i:i + TIP_KEY_LENGTH] for i in range(0, len(stored) - TIP_KEY_LENGTH + 1, TIP_KEY_LENGTH))
    elif isinstance(stored, list):
        keys = (tip_key(t) for t in stored if isinstance(t, str))
    else:
        return ()
    return tuple(dict.fromkeys(keys))


def _whole(value: object) -> bool:
    """Whether `value` is a whole number (an int, or an integral Decimal as DynamoDB returns them)."""
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return True
    return isinstance(value, Decimal) and value.is_finite() and value == value.to_integral_value()


def _shown(value: object) -> str:
    text = repr(value) if not isinstance(value, Decimal) else str(value)
    return text if len(text) <= 40 else text[:40] + "..."


def _kind(value: object) -> str:
    if value is None:
        return "empty (NULL)"
    return {str: "text", list: "a list", set: "a set", bytes: "binary"}.get(type(value), type(value).__name__)


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

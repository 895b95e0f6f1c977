"""What the skill remembers about one listener, as a small versioned dict.

Stored (the item's `attributes`, version 2):

    {"v": 2, "sections": {"studio": {"heard": "<6-char keys>", "rotation": 1}},
     "visits": 12, "visit_days": 5, "last_visit": "2027-01-02", "tz": "Europe/London",
     "tz_checked": "2027-01-02", "unlocked": "<6-char keys>", "welcome": "<6-char key>",
     "playback": {"episode": "<6-char key>", "offset": 353160, "at": 1798000000, "device": "<6-char key>"},
     "quiz": {...}, "daily": {...}}

The formats' own parts are documented where they are defined (`core.quiz_progress`,
`core.daily_progress`).

Every list holds only keys of content the campaign still has (`fitted`), so the item stays bounded
by the manifest however long the campaign runs. A version-1 item (one `heard` string for the tips)
is read and upgraded: its tips go to the sections that hold them, and it is written as version 2
on the next change.
"""

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from types import MappingProxyType
from typing import NamedTuple

from .campaign.model import KEY_LENGTH, Manifest, content_key
from .episodes import PlaybackPosition
from .daily_progress import DailyProgress
from .quiz_progress import QuizProgress
from .optins import OptIns
from .optins import merged as merged_optins

STATE_VERSION = 2


class SectionProgress(NamedTuple):
    """A listener's rotation through one section.

    Attributes:
        heard: keys of the pieces heard in the current rotation, oldest first.
        rotation: how many times the listener has started the section over.
    """

    heard: tuple[str, ...] = ()
    rotation: int = 0

    def to_dict(self) -> dict[str, object]:
        """A compact dict for storage."""
        data: dict[str, object] = {}
        if self.heard:
            data["heard"] = "".join(self.heard)
        if self.rotation:
            data["rotation"] = self.rotation
        return data

    @classmethod
    def from_dict(cls, data: object) -> "SectionProgress":
        """Read a stored dict (anything damaged reads as nothing heard)."""
        if not isinstance(data, Mapping):
            return cls()
        heard = data.get("heard")
        return cls(heard_keys(heard), count(data.get("rotation")))


class ListenerState(NamedTuple):
    """One listener's progress.

    Attributes:
        sections: their rotation through each section, by section id.
        visits: sessions so far.
        visit_days: different local days with a session.
        last_visit: the listener's local date of their latest session.
        time_zone: the device's time zone as last read from the Settings API.
        time_zone_checked: the day `time_zone` was read.
        unlocked: keys of the unlockables they have unlocked, oldest first.
        welcome: key of the welcome variant they heard last, so the next welcome differs.
        playback: where they last stopped a long-form episode (`core.episodes`).
        quiz: their quiz: the round in progress, the questions had, the best score.
        daily: their daily-question challenge: tally, streak, the last day answered.
        legacy_heard: heard tips of a version-1 item, until `fitted` files them under sections.
        legacy_rotation: the tip rotation of a version-1 item, likewise.
        optins: their reminders (alert tokens, cooling-off dates) and draw entry (`core.optins`).
    """

    sections: Mapping[str, SectionProgress] = MappingProxyType({})
    visits: int = 0
    visit_days: int = 0
    last_visit: date | None = None
    time_zone: str | None = None
    time_zone_checked: date | None = None
    unlocked: tuple[str, ...] = ()
    welcome: str | None = None
    playback: PlaybackPosition | None = None
    quiz: QuizProgress = QuizProgress()
    daily: DailyProgress = DailyProgress()
    legacy_heard: tuple[str, ...] = ()
    legacy_rotation: int = 0
    optins: OptIns = OptIns()

    def progress(self, section_id: str) -> SectionProgress:
        """The listener's rotation through `section_id`."""
        return self.sections.get(section_id) or SectionProgress()

    def with_progress(self, section_id: str, progress: SectionProgress) -> "ListenerState":
        """The state with `section_id`'s rotation replaced."""
        return self._replace(sections={**self.sections, section_id: progress})

    @property
    def heard(self) -> frozenset[str]:
        """Keys of every piece heard in the current rotation of any section."""
        return frozenset(k for p in self.sections.values() for k in p.heard)

    def visited(self, today: date) -> "ListenerState":
        """The state after a new session starts on `today`."""
        return self._replace(visits=self.visits + 1, last_visit=today,
                             visit_days=self.visit_days + (self.last_visit != today))

    def fitted(self, manifest: Manifest) -> "ListenerState":
        """The state with only what `manifest` still has: heard pieces filed under their sections
        (once each), unlockables that exist. A version-1 item's tips find their sections here."""
        section_of = manifest_keys(manifest)
        every_heard = [k for p in self.sections.values() for k in p.heard] + list(self.legacy_heard)
        sections: dict[str, SectionProgress] = {}
        for section in manifest.sections:
            stored = self.sections.get(section.id)
            own = list(stored.heard) if stored else []
            moved = [k for k in every_heard if k not in set(own)]   # pieces the content team moved here
            kept = tuple(dict.fromkeys(k for k in own + moved if section_of.get(k) == section.id))
            rotation = stored.rotation if stored else 0
            if self.legacy_rotation and section.answers:
                rotation = max(rotation, self.legacy_rotation)
            if kept or rotation:
                sections[section.id] = SectionProgress(kept, rotation)
        unlocks = {u.key for u in manifest.unlockables}
        unlocked = tuple(dict.fromkeys(k for k in self.unlocked if k in unlocks))
        playback = self.playback.fitted(manifest) if self.playback is not None else None
        fitted = self._replace(sections=sections, unlocked=unlocked, playback=playback, legacy_heard=(),
                               legacy_rotation=0, quiz=self.quiz.fitted(manifest.quiz),
                               daily=self.daily if manifest.daily else DailyProgress())
        return self if fitted == self else fitted

    def to_dict(self) -> dict[str, object]:
        """A compact dict for storage; empty fields are left out."""
        data: dict[str, object] = {"v": STATE_VERSION}
        sections = {sid: p.to_dict() for sid, p in self.sections.items() if p.heard or p.rotation}
        if sections:
            data["sections"] = sections
        for name, value in (("visits", self.visits), ("visit_days", self.visit_days),
                            ("last_visit", self.last_visit and self.last_visit.isoformat()),
                            ("tz", self.time_zone),
                            ("tz_checked", self.time_zone_checked and self.time_zone_checked.isoformat()),
                            ("unlocked", "".join(self.unlocked)), ("welcome", self.welcome),
                            ("quiz", self.quiz.to_dict()), ("daily", self.daily.to_dict())):
            if value:
                data[name] = value
        data.update(self.optins.to_dict())
        if self.playback is not None:
            data["playback"] = self.playback.to_dict()
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, object] | None) -> "ListenerState":
        """Read a stored dict (see `read_stored`): anything missing, damaged or of a version this
        code cannot read starts fresh. Numbers may arrive as `decimal.Decimal`, as DynamoDB returns them."""
        return read_stored(data).state

    @classmethod
    def _from_version(cls, version: int, data: Mapping[str, object]) -> "ListenerState":
        common = dict(visits=count(data.get("visits")), last_visit=day(data.get("last_visit")),
                      time_zone=data.get("tz") if isinstance(data.get("tz"), str) else None,
                      time_zone_checked=day(data.get("tz_checked")))
        if version == 1:
            return cls(legacy_heard=heard_keys(data.get("heard")), legacy_rotation=count(data.get("rotation")),
                       visit_days=1 if common["last_visit"] else 0, **common)
        sections = data.get("sections")
        unlocked = data.get("unlocked")
        welcome = data.get("welcome")
        return cls(
            sections={str(sid): SectionProgress.from_dict(p) for sid, p in sections.items()}
            if isinstance(sections, Mapping) else {},
            visit_days=count(data.get("visit_days")),
            unlocked=heard_keys(unlocked),
            welcome=welcome if isinstance(welcome, str) and len(welcome) == KEY_LENGTH else None,
            quiz=QuizProgress.from_dict(data.get("quiz")), daily=DailyProgress.from_dict(data.get("daily")),
            optins=OptIns.from_dict(data),
            playback=PlaybackPosition.from_dict(data.get("playback")),
            **common,
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
      version 1 is upgraded, damaged fields start fresh one by one, and keys are kept once each.
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
    return StoredState(ListenerState._from_version(int(version), data))  # type: ignore[call-overload]


def merged(base: ListenerState, mine: ListenerState, theirs: ListenerState) -> ListenerState:
    """Combine this request's changes with another device's, both made on top of `base`.

    Per section, heard pieces are a union (within the newest rotation); unlocks are a union;
    counters add up; the latest visit and the freshest time zone win.

    Args:
        base: the state both started from.
        mine: the state this request would write.
        theirs: the state stored meanwhile by another request.

    Returns:
        The state that keeps both requests' progress.
    """
    sections = {}
    for section_id in {*mine.sections, *theirs.sections}:
        start, a, b = base.progress(section_id), mine.progress(section_id), theirs.progress(section_id)

        def added(side: SectionProgress, start: SectionProgress = start) -> tuple[str, ...]:
            return side.heard if side.rotation != start.rotation else tuple(t for t in side.heard
                                                                            if t not in start.heard)

        newer, other = (a, b) if a.rotation > b.rotation else (b, a)
        sections[section_id] = SectionProgress(newer.heard + tuple(t for t in added(other) if t not in newer.heard),
                                               newer.rotation)
    zone_side = mine if (mine.time_zone, mine.time_zone_checked) != (base.time_zone, base.time_zone_checked) \
        else theirs
    visits = [v for v in (mine.last_visit, theirs.last_visit) if v]
    return ListenerState(
        sections=sections,
        visits=theirs.visits + max(0, mine.visits - base.visits),
        visit_days=theirs.visit_days + max(0, mine.visit_days - base.visit_days),
        last_visit=max(visits) if visits else None,
        time_zone=zone_side.time_zone,
        time_zone_checked=zone_side.time_zone_checked,
        unlocked=tuple(dict.fromkeys((*theirs.unlocked, *mine.unlocked))),
        welcome=mine.welcome if mine.welcome != base.welcome else theirs.welcome,
        quiz=mine.quiz.merged(base.quiz, theirs.quiz),
        daily=mine.daily.merged(base.daily, theirs.daily),
        optins=merged_optins(base.optins, mine.optins, theirs.optins),
        playback=PlaybackPosition.merged(base.playback, mine.playback, theirs.playback),
    )


def manifest_keys(manifest: Manifest) -> Mapping[str, str]:
    """Piece key -> section id for `manifest`, computed once per manifest."""
    found = _SECTION_OF.get(id(manifest))
    if found is None or found[0] is not manifest:
        found = (manifest, {p.key: p.section for p in manifest.pieces})
        _SECTION_OF[id(manifest)] = found
    return found[1]


_SECTION_OF: dict[int, tuple[Manifest, dict[str, str]]] = {}


def keys(packed: str) -> tuple[str, ...]:
    """Split a stored string of fixed-width content keys."""
    return tuple(packed[i:i + KEY_LENGTH] for i in range(0, len(packed) - KEY_LENGTH + 1, KEY_LENGTH))


def heard_keys(stored: object) -> tuple[str, ...]:
    """The content keys of a stored list, each once: the packed string of fixed-width keys, or the
    list of ids stored before keys were packed (early version-1 items)."""
    if isinstance(stored, str):
        return tuple(dict.fromkeys(keys(stored)))
    if isinstance(stored, list):
        return tuple(dict.fromkeys(content_key(t) for t in stored if isinstance(t, str)))
    return ()


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


def count(value: object) -> int:
    """A stored counter (a damaged one reads as 0)."""
    try:
        return max(0, int(value))  # type: ignore[call-overload]
    except (TypeError, ValueError, ArithmeticError):
        return 0


def day(value: object) -> date | None:
    """A stored ISO date (a damaged one reads as None)."""
    try:
        return date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None

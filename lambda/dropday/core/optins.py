"""What a listener agreed to, and declined: the stored and the session part of reminders and the draw.

Stored (`OptIns`, in the listener's item, kept across sessions):

    {"reminders": {"tokens": {"release_day": "<alert token>"}, "cooling": {"daily": "2027-01-09"}},
     "draw": {"invited": true, "entered": true}}

- `tokens`: the alert token of each reminder the skill set for them (to say "already set" and to
  cancel it); the token is the only trace of a reminder here, and it goes with the item when the
  listener disables the skill (Alexa deletes the skill's reminders itself);
- `cooling`: per reminder kind, the first day it may be offered again after a "no" (a week later);
- `draw`: that they were invited (once), and that they entered; the entry itself (their contact)
  lives in the draw's own table, never here.

Session (`OptInSession`, in the session attributes, gone when the session ends):

- `offered`: the reminder kinds offered in this session (an offer is made at most once a session);
- `daily`: the daily reminder being offered, its time and last day, for the "yes" that follows.

This module holds data only (no turns), so that `core.listener` and `core.session` can import it.
"""

import re
from collections.abc import Mapping
from datetime import date, time
from enum import Enum
from types import MappingProxyType
from typing import TYPE_CHECKING, NamedTuple

from .campaign.optins import REMINDER_KINDS

if TYPE_CHECKING:
    from .turns import Reply

#: An alert token as the Reminders API returns it (printable ASCII, no spaces), within reason.
_TOKEN = re.compile(r"^[!-~]{1,256}$")
_TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


class OptIns(NamedTuple):
    """A listener's reminders and draw entry, as stored (see the module docstring)."""

    tokens: Mapping[str, str] = MappingProxyType({})
    cooling: Mapping[str, date] = MappingProxyType({})
    draw_invited: bool = False
    draw_entered: bool = False

    def token(self, kind: str) -> str | None:
        """The alert token of the listener's reminder `kind`, or None when none is set."""
        return self.tokens.get(kind)

    def cooling_off(self, kind: str, today: date) -> bool:
        """Whether reminder `kind` may not be offered on `today` (a recent "no")."""
        until = self.cooling.get(kind)
        return until is not None and today < until

    def with_token(self, kind: str, token: str | None) -> "OptIns":
        """The opt-ins with reminder `kind` set to `token` (None: cancelled)."""
        tokens = {k: v for k, v in self.tokens.items() if k != kind}
        if token:
            tokens[kind] = token
        return self._replace(tokens=tokens)

    def cooled(self, kinds: tuple[str, ...], until: date) -> "OptIns":
        """The opt-ins with `kinds` not offered again before `until`."""
        return self._replace(cooling={**self.cooling, **{k: max(until, self.cooling.get(k, until)) for k in kinds}})

    def to_dict(self) -> dict[str, object]:
        """The stored parts, under their top-level keys ("reminders", "draw"); empty parts left out."""
        data: dict[str, object] = {}
        reminders: dict[str, object] = {}
        if self.tokens:
            reminders["tokens"] = dict(self.tokens)
        if self.cooling:
            reminders["cooling"] = {kind: day.isoformat() for kind, day in self.cooling.items()}
        if reminders:
            data["reminders"] = reminders
        draw = {name: True for name, value in (("invited", self.draw_invited), ("entered", self.draw_entered))
                if value}
        if draw:
            data["draw"] = draw
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, object] | None) -> "OptIns":
        """Read the stored parts from a listener's item (anything damaged reads as not set)."""
        data = data if isinstance(data, Mapping) else {}
        reminders = _mapping(data.get("reminders"))
        tokens = {kind: token for kind, token in _mapping(reminders.get("tokens")).items()
                  if kind in REMINDER_KINDS and isinstance(token, str) and _TOKEN.match(token)}
        cooling = {kind: day for kind, value in _mapping(reminders.get("cooling")).items()
                   if kind in REMINDER_KINDS and (day := _day(value)) is not None}
        draw = _mapping(data.get("draw"))
        entered = draw.get("entered") is True
        return cls(tokens, cooling, draw_invited=entered or draw.get("invited") is True, draw_entered=entered)


def merged(base: OptIns, mine: OptIns, theirs: OptIns) -> OptIns:
    """Combine this request's opt-ins with another device's, both made on top of `base`: per
    reminder, the side that changed it wins (a cancel is a change); cooling-off dates keep the
    later; the draw flags are a union."""
    def pick(values: str) -> dict:
        out = {}
        for kind in REMINDER_KINDS:
            start, a, b = (getattr(side, values).get(kind) for side in (base, mine, theirs))
            chosen = a if a != start else b
            if values == "cooling" and a != start and b != start and a and b:
                chosen = max(a, b)
            if chosen is not None:
                out[kind] = chosen
        return out

    return OptIns(pick("tokens"), pick("cooling"), mine.draw_invited or theirs.draw_invited,
                  mine.draw_entered or theirs.draw_entered)


class DailyChoice(NamedTuple):
    """The daily reminder on offer: its time of day and the last day it goes off."""

    at: time
    until: date


class OptInSession(NamedTuple):
    """The opt-ins' part of the session attributes (see the module docstring)."""

    offered: frozenset[str] = frozenset()
    daily: DailyChoice | None = None

    def __bool__(self) -> bool:
        return bool(self.offered or self.daily)

    def to_dict(self) -> dict[str, object]:
        """The session attribute."""
        data: dict[str, object] = {}
        if self.offered:
            data["offered"] = sorted(self.offered)
        if self.daily is not None:
            data["daily"] = {"at": self.daily.at.strftime("%H:%M"), "until": self.daily.until.isoformat()}
        return data

    @classmethod
    def from_dict(cls, data: object) -> "OptInSession":
        """Read the session attribute, keeping only well-formed values."""
        data = _mapping(data)
        offered = data.get("offered")
        kinds = frozenset(k for k in offered if k in REMINDER_KINDS) if isinstance(offered, list) else frozenset()
        daily = _mapping(data.get("daily"))
        at, until = daily.get("at"), _day(daily.get("until"))
        choice = None
        if isinstance(at, str) and _TIME.match(at) and until is not None:
            choice = DailyChoice(time(int(at[:2]), int(at[3:])), until)
        return cls(kinds, choice)


def _mapping(value: object) -> Mapping[str, object]:
    return value if isinstance(value, Mapping) else {}


def _day(value: object) -> date | None:
    try:
        return date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


class Outcome(Enum):
    """How a call to an Alexa API (or the draw's table) went, as the turns need to know it."""

    DONE = "done"
    NO_PERMISSION = "no_permission"   # the listener has not allowed it (401/403, or no consent at all)
    UNSUPPORTED = "unsupported"       # reminders are not available on this device or account (403 on create)
    NO_CONTACT = "no_contact"         # the customer profile has no email address (204)
    FAILED = "failed"                 # timeouts, 429, 5xx, anything else: nothing happened


class ApiResult(NamedTuple):
    """The outcome of one call, and what it returned (an alert token, an email address).

    Attributes:
        fault: the turn event's fault name when it failed (`reminders_api_failed`...).
    """

    outcome: Outcome
    value: str | None = None
    fault: str | None = None


#: Prefix of the tokens of the skill's AskFor requests (echoed back in Connections.Response).
TOKEN_PREFIX = "dropday"
#: What a consent request can be for: a reminder kind, or the draw.
CONSENT_KINDS = (*REMINDER_KINDS, "draw")


class ConsentRequest(NamedTuple):
    """What the listener said yes to when Alexa asks them for a permission, carried in the AskFor
    token so that the answer can be acted on even when the session attributes are gone.

    Tokens: ``dropday.release_day``, ``dropday.draw``, ``dropday.daily.19:30.2027-02-28``.
    """

    kind: str
    daily: DailyChoice | None = None

    @property
    def token(self) -> str:
        """The AskFor token."""
        parts = [TOKEN_PREFIX, self.kind]
        if self.kind == "daily" and self.daily is not None:
            parts += [self.daily.at.strftime("%H:%M"), self.daily.until.isoformat()]
        return ".".join(parts)

    @classmethod
    def from_token(cls, token: object) -> "ConsentRequest | None":
        """Read an AskFor token the skill wrote; None for anything else."""
        if not isinstance(token, str) or len(token) > 64:
            return None
        parts = token.split(".")
        if len(parts) < 2 or parts[0] != TOKEN_PREFIX or parts[1] not in CONSENT_KINDS:
            return None
        if parts[1] == "daily":
            choice = OptInSession.from_dict({"daily": {"at": parts[2], "until": parts[3]}}).daily \
                if len(parts) == 4 else None
            return cls("daily", choice) if choice is not None else None
        return cls(parts[1]) if len(parts) == 2 else None


class AskConsent(NamedTuple):
    """The listener said yes, but must first allow the skill `scope`: Alexa asks them (the edge
    sends the AskFor directive with `token`), and its answer comes back as a Connections.Response.

    Attributes:
        reply: the turn's reply meanwhile (nothing said; its state, session and event).
    """

    scope: str
    token: str
    reply: "Reply"

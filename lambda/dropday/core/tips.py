"""Tip rotation: every available tip once, in a random order per listener, then again."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from random import Random

from .listener import ListenerState
from .manifest import Tip


@dataclass(frozen=True)
class TipChoice:
    """The outcome of asking for a tip.

    Attributes:
        tip: the tip to play, or None when there is nothing to play.
        state: the listener's state after hearing it.
        member_exhausted: a tip from a particular member was asked for and they have nothing new.
    """

    tip: Tip | None
    state: ListenerState
    member_exhausted: bool = False


def next_tip(available: Sequence[Tip], state: ListenerState, rng: Random,
             member: str | None = None) -> TipChoice:
    """Pick the listener's next tip.

    A listener hears no tip twice until they have heard every tip available to them; then a new
    rotation starts, in a fresh random order, never opening with the tip they heard last.

    Args:
        available: the tips available to this listener today.
        state: the listener's state.
        rng: the source of randomness (seed it in tests).
        member: a member id when the listener asked for that member's tip.

    Returns:
        The tip and the new state; `member_exhausted` when `member` has nothing unheard.
    """
    candidates = [t for t in available if member is None or t.member == member]
    if not candidates:
        return TipChoice(None, state, member_exhausted=member is not None)
    heard = set(state.heard)
    unheard = [t for t in candidates if t.key not in heard]
    if not unheard:
        if any(t.key not in heard for t in available):
            return TipChoice(None, state, member_exhausted=True)
        last = state.heard[-1] if state.heard else None
        unheard = [t for t in candidates if t.key != last] or candidates
        state = replace(state, heard=(), rotation=state.rotation + 1)
    tip = rng.choice(unheard)
    return TipChoice(tip, replace(state, heard=(*state.heard, tip.key)))


def member_with_new_tips(available: Sequence[Tip], state: ListenerState, rng: Random,
                         exclude: str | None = None) -> str | None:
    """A member (other than `exclude`) who has tips the listener has not heard, if any."""
    heard = set(state.heard)
    members = sorted({t.member for t in available if t.key not in heard and t.member != exclude})
    return rng.choice(members) if members else None


def new_tips_since_last_visit(available: Sequence[Tip], state: ListenerState) -> int:
    """How many of today's unheard tips were released after the listener's last visit."""
    if state.last_visit is None:
        return 0
    last_visit, heard = state.last_visit, set(state.heard)
    return sum(1 for t in available
               if t.key not in heard and t.window.start is not None and t.window.start > last_visit)

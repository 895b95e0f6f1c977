"""What a listener can do next: the choices the launch question offers, named from what the
campaign has today (a campaign without a format never mentions it)."""

from __future__ import annotations

from collections.abc import Mapping

from .listener import ListenerState
from .session import Offer
from .speech import Speech
from .turns import Reply, Turn


def sections_with_pieces(turn: Turn) -> list:
    """The sections with something to hear today, the one answering tips first."""
    found = [s for s in turn.manifest.sections if s.available(turn.today)]
    return sorted(found, key=lambda s: not s.answers)


def choices(turn: Turn, state: ListenerState | None = None) -> list[str]:
    """"a tip", "a backstage story", "the countdown": what the listener can ask for now (with
    `state`, the listener's state after this turn)."""
    from . import daily, quiz   # they ask their questions with `what_next`
    named = [turn.text("choice", section) for section in sections_with_pieces(turn)]
    return [*named, *quiz.choices(turn), *daily.choices(turn, state or turn.state), turn.text("choice_countdown")]


def default_offer(turn: Turn) -> Offer:
    """What "yes" plays after a question that named several things: the first section's next piece."""
    first = next(iter(sections_with_pieces(turn)), None)
    return Offer("piece", first.id if first else None)


def what_next(turn: Turn, speech: Speech, state: ListenerState, event: Mapping[str, object] | None = None) -> Reply:
    """`speech`, then the question of what the listener would like next."""
    named = turn.listing(choices(turn, state))
    return Reply(speech, turn.say("reprompt_what_next", choices=named), state, default_offer(turn),
                 turn.say("ask_what_next", choices=named), event or {})

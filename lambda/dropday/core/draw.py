"""The prize draw: who may enter, the invitation (once), and entering with the listener's consent.

A campaign's `draw:` runs in its markets (locales) until its closing day. A listener who meets
its condition (an unlock condition: `daily_finished`, `daily_tally`, `visit_days`...) is invited
once, at the end of the first turn that leaves them eligible, with the prize, the closing day and
the terms line; they can also ask ("enter the prize draw"). Entering takes their "yes", then
Alexa's permission to share their email address: the skill reads it at that moment only and
writes the entry (campaign, time, contact) to the draw's own table; the listener's state records
only that they entered.

As in `core.reminders`, the turns return what the edge must do (`EnterDraw`, `AskConsent`) and
take the outcome back (`entered`).
"""

from __future__ import annotations

from datetime import datetime, time, timedelta, timezone
from typing import TYPE_CHECKING

from .menu import what_next
from .optins import ApiResult, AskConsent, ConsentRequest, Outcome
from .session import Offer
from .speech import Speech, say
from .turns import Reply
from .unlocks import met

if TYPE_CHECKING:
    from .campaign.optins import Draw
    from .listener import ListenerState
    from .turns import Turn

#: The permission Alexa asks the listener for before the skill may read their email address.
EMAIL_SCOPE = "alexa::profile:email:read"
OFFER = "draw"
#: Offers an invitation may replace: the ordinary "another one?" and "what next?" questions,
#: never a question a format is waiting on (a quiz question, a reminder offer).
REPLACEABLE_OFFERS = frozenset({"piece", "whats_new", "unlocked", "member"})


class EnterDraw:
    """The listener said yes: read their email address, write their entry, then pass the outcome
    to `entered`.

    A plain class: it has no fields, so a dataclass would cost cold-start time for nothing, and an
    empty NamedTuple would be false (`accept` returns `_refusal(...) or EnterDraw()`). Every
    EnterDraw equals every other."""

    __slots__ = ()

    def __eq__(self, other: object) -> bool:
        return type(other) is EnterDraw

    def __hash__(self) -> int:
        return hash(EnterDraw)

    def __repr__(self) -> str:
        return "EnterDraw()"


def running(turn: Turn) -> Draw | None:
    """The campaign's draw when it runs in this listener's locale and still takes entries."""
    draw = turn.manifest.draw
    if draw is None or not draw.runs_in(turn.locale) or not draw.open_on(turn.today):
        return None
    return draw


def eligible(turn: Turn, state: ListenerState) -> bool:
    """Whether `state` meets the draw's condition today."""
    draw = turn.manifest.draw
    return draw is not None and met(draw.when, turn.manifest, state, turn.today)


def expires_at(draw: Draw, grace_days: int) -> int:
    """When an entry is deleted by the table's TTL (epoch seconds): `grace_days` after the draw
    closes (the end of its closing day anywhere on Earth)."""
    closed = datetime.combine(draw.closes + timedelta(days=1), time(12), tzinfo=timezone.utc)
    return int((closed + timedelta(days=grace_days)).timestamp())


def terms_card(turn: Turn) -> tuple[str, str]:
    """The card sent with an entry: its title, and the terms line with the link to the full terms."""
    draw = turn.manifest.draw
    assert draw is not None
    title = turn.text("draw_card_title", prize=_prize(turn))
    return title, f"{turn.manifest.fill(draw.terms.get(turn.locale))}\n{draw.link}"


def _prize(turn: Turn) -> str:
    return turn.manifest.fill(turn.manifest.draw.prize.get(turn.locale))  # type: ignore[union-attr]


def _closes(turn: Turn) -> str:
    return turn.spoken_day(turn.manifest.draw.closes)  # type: ignore[union-attr]


def _event(step: str, **more: object) -> dict[str, object]:
    return {"kind": "draw", "draw": step, **more}


# -- the invitation ------------------------------------------------------------------------------------


def _invitation(turn: Turn, reply: Reply, state: ListenerState) -> Reply:
    draw = turn.manifest.draw
    assert draw is not None
    prize = _prize(turn)
    speech = reply.speech + turn.say("draw_invite", prize=prize, day=_closes(turn)) + \
        say(turn.manifest.fill(draw.terms.get(turn.locale)))
    state = state._replace(optins=state.optins._replace(draw_invited=True))
    return reply._replace(speech=speech, state=state, offer=Offer(OFFER), question=turn.say("draw_offer", prize=prize),
                          reprompt=turn.say("draw_reprompt", prize=prize), event={**reply.event, "draw": "invited"})


def invite(turn: Turn, reply: Reply) -> Reply:
    """`reply` ending on the invitation to the draw, the first time it leaves the listener
    eligible (in a market, before the closing day) and ends on an ordinary question."""
    state = reply.state
    if (reply.ends_session or (reply.offer is not None and reply.offer.kind not in REPLACEABLE_OFFERS)
            or state.optins.draw_invited or state.optins.draw_entered or running(turn) is None
            or not eligible(turn, state)):
        return reply
    return _invitation(turn, reply, state)


def enter_request(turn: Turn) -> Reply:
    """"Enter the prize draw": the invitation (prize, closing day, terms, "would you like to?"),
    or why they cannot enter."""
    state = turn.started_state()
    refusal = _refusal(turn, state)
    if refusal is not None:
        return refusal
    return _invitation(turn, Reply(Speech(), None, state, event=_event("invited")), state)


def _refusal(turn: Turn, state: ListenerState) -> Reply | None:
    """Why this listener cannot enter now (a reply saying so), or None when they can."""
    draw = turn.manifest.draw
    if draw is None or not draw.runs_in(turn.locale):
        return what_next(turn, turn.say("draw_not_running"), state, _event("not_running"))
    prize = _prize(turn)
    if state.optins.draw_entered:
        return what_next(turn, turn.say("draw_already_entered", prize=prize), state, _event("already_entered"))
    if not draw.open_on(turn.today):
        return what_next(turn, turn.say("draw_closed", prize=prize, day=_closes(turn)), state, _event("closed"))
    if not eligible(turn, state):
        speech = turn.say("draw_not_eligible", prize=prize)
        if draw.hint is not None:
            speech += say(turn.manifest.fill(draw.hint.get(turn.locale)))
        return what_next(turn, speech, state, _event("not_eligible"))
    return None


# -- answers -------------------------------------------------------------------------------------------


def accept(turn: Turn) -> Reply | EnterDraw:
    """"Yes" to the invitation: enter them, unless something changed meanwhile."""
    return _refusal(turn, turn.started_state()) or EnterDraw()


def decline(turn: Turn) -> Reply:
    """"No" to the invitation: fine (they are not invited again), then what next."""
    return what_next(turn, turn.say("draw_declined"), turn.started_state(), _event("declined"))


def entered(turn: Turn, result: ApiResult, after_consent: bool = False) -> Reply | AskConsent:
    """What the listener hears once the skill tried to enter them.

    Args:
        result: DONE once the entry is written; NO_PERMISSION when they have not allowed the
            skill their email address (Alexa then asks them: `AskConsent`); NO_CONTACT when
            their profile has none; FAILED otherwise (they are not recorded as entered).
        after_consent: they have just allowed it, so NO_PERMISSION is a failure, not a reason
            to ask again.
    """
    state = turn.started_state()
    prize = _prize(turn)
    if result.outcome is Outcome.DONE:
        state = state._replace(optins=state.optins._replace(draw_invited=True, draw_entered=True))
        return what_next(turn, turn.say("draw_entered", prize=prize, day=_closes(turn)), state, _event("entered"))
    if result.outcome is Outcome.NO_PERMISSION and not after_consent:
        return AskConsent(EMAIL_SCOPE, ConsentRequest("draw").token,
                          Reply(Speech(), None, state, event=_event("consent_asked")))
    if result.outcome is Outcome.NO_CONTACT:
        return what_next(turn, turn.say("draw_no_email"), state, _event("no_email"))
    faults = [result.fault] if result.fault else []
    return what_next(turn, turn.say("draw_failed"), state, _event("failed", **({"faults": faults} if faults else {})))


def consent_refused(turn: Turn, answered: bool) -> Reply:
    """They did not allow their email address when Alexa asked: say so kindly (the card is the
    edge's to send); they stay invited, so they are not invited again."""
    state = turn.started_state()
    state = state._replace(optins=state.optins._replace(draw_invited=True))
    name = "draw_consent_denied" if answered else "draw_consent_not_answered"
    return what_next(turn, turn.say(name, prize=_prize(turn) if turn.manifest.draw else ""), state,
                     _event("consent_denied"))

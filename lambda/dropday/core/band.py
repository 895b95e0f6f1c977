"""Meet the band: the line-up with each member's own introduction, and one member on request."""

from __future__ import annotations

from .campaign.model import Member
from .menu import what_next
from .session import Offer
from .speech import Speech
from .turns import Reply, Turn

#: Introductions played in one answer (Alexa plays at most five clips a response).
MAX_INTROS = 4


def introduce(turn: Turn, member: Member) -> Speech:
    """`member`'s recorded introduction, or a line naming them when there is none."""
    if member.intro is None:
        return turn.say("member_no_intro", member=member.name)
    variant = member.intro.pick(turn.today, turn.rng)
    return turn.play(variant.recording) if variant else turn.say("member_no_intro", member=member.name)


def lineup(turn: Turn) -> Reply:
    """"Who's in the band?": the members by name, each introducing themselves, then who next?"""
    state = turn.started_state()
    members = turn.manifest.members
    if not members:
        return what_next(turn, turn.say("nothing_available"), state, {"kind": "band"})
    speech = turn.say("band_lineup", members=turn.listing([m.name for m in members], "and"))
    for member in members[:MAX_INTROS]:
        speech += introduce(turn, member)
    example = members[0].name
    return Reply(speech, turn.say("reprompt_which_member", member=example), state, Offer("member"),
                 turn.say("ask_which_member", member=example), {"kind": "band"}, screen={"view": "band"})


def member_intro(turn: Turn, member: Member | None) -> Reply:
    """"Tell me about Noor": her introduction, then the offer of something of hers."""
    if member is None:
        return lineup(turn)
    state = turn.started_state()
    has_pieces = any(p.member == member.id and p.available_on(turn.today) for p in turn.manifest.pieces)
    event = {"kind": "member_intro", "member": member.id}
    screen = {"view": "member", "member": member.id}
    if not has_pieces:
        return what_next(turn, introduce(turn, member), state, event)._replace(screen=screen)
    return Reply(introduce(turn, member), turn.say("reprompt_member_piece", member=member.name), state,
                 Offer("piece", None, member.id), turn.say("offer_member_piece", member=member.name), event,
                 screen=screen)

"""The turns every campaign has: opening the skill, tips, a section on request, "yes", help,
misunderstandings and goodbyes. Each is a pure function from a `Turn` to a `Reply`; the formats
have their own modules (`sections`, `band`, `unlocks`, `release`).
"""

from __future__ import annotations

from . import band, daily, draw, quiz, release, reminders, sections, unlocks
from .campaign.model import Section
from .menu import sections_with_pieces, what_next
from .session import Offer
from .speech import Speech
from .turns import WELCOMES, Reply, Turn


def launch(turn: Turn) -> Reply:
    """Opening the skill: a first welcome, or a welcome back naming what is new, then what next?"""
    state = turn.state.fitted(turn.manifest)
    if state.visits == 0:
        name, values = "welcome_first", {}
    else:
        news = sections.news(turn, state)
        name, values = ("welcome_back_news", {"news": news}) if news else ("welcome_back", {})
    welcome = turn.say(name, avoid=state.welcome, **values) + daily.welcome_line(turn, state)
    started = turn.started_state()
    remembered = turn.said.get(name)
    if name in WELCOMES and remembered:
        started = started._replace(welcome=remembered)
    return quiz.at_launch(turn, what_next(turn, welcome, started, {"kind": "launch"}))


def tip(turn: Turn, member: str | None = None, member_not_recognised: bool = False) -> Reply:
    """"Give me a tip": the tips section's next piece, from `member` when one was asked for."""
    preface = turn.say("member_not_recognised") if member_not_recognised and turn.manifest.members else Speech()
    section = turn.manifest.tips_section
    if section is None:
        return what_next(turn, preface + turn.say("no_tips_here"), turn.started_state(), {"kind": "tip"})
    return sections.piece_turn(turn, section, member, preface)


def section_request(turn: Turn, section: Section | None, member: str | None = None,
                    section_not_recognised: bool = False, member_not_recognised: bool = False) -> Reply:
    """"Play something from backstage", "a studio story from Rui": that section's next piece.

    Without a section named, the first section with something unheard from `member` (the tips
    section first), or simply the first section with something to hear.
    """
    preface = Speech()
    if section_not_recognised:
        preface += turn.say("section_not_recognised")
    if member_not_recognised and turn.manifest.members:   # a campaign without a band has no member to miss
        preface += turn.say("member_not_recognised")
    if section is None and not (section_not_recognised and member is None):
        section = _section_for(turn, member)
    if section is None:
        told = Speech() if section_not_recognised or sections_with_pieces(turn) else turn.say("nothing_available")
        return what_next(turn, preface + told, turn.started_state(), {"kind": "piece"})
    return sections.piece_turn(turn, section, member, preface)


def _section_for(turn: Turn, member: str | None) -> Section | None:
    """The section to play from when none was named: one with something unheard from `member`,
    else one with anything from them, else the first with something to hear."""
    available = sections_with_pieces(turn)
    if member is None:
        return available[0] if available else None
    state = turn.state.fitted(turn.manifest)

    def has(section: Section, unheard: bool) -> bool:
        heard = set(state.progress(section.id).heard)
        return any(p.member == member and not (unheard and p.key in heard) for p in section.available(turn.today))

    found = next((s for s in available if has(s, True)), None) or next((s for s in available if has(s, False)), None)
    return found or (available[0] if available else None)   # which then says they have nothing there


def accept_offer(turn: Turn, offer: Offer | None) -> Reply | reminders.CreateReminder | draw.EnterDraw:
    """"Yes" or "next": do what the last question offered (the first section's next piece when
    nothing particular was, or when what was offered is no longer in the campaign).

    A yes to a reminder or the draw gives what the skill must do for it (`CreateReminder`,
    `EnterDraw`) when it cannot be answered without an Alexa API.
    """
    offer = offer or Offer()
    if offer.kind in reminders.KINDS:
        return reminders.accept(turn, offer)
    if offer.kind == draw.OFFER:
        return draw.accept(turn)
    if offer.kind == "whats_new":
        return sections.whats_new(turn)
    if offer.kind == "unlocked":
        return unlocks.replay_unlocked(turn)
    if offer.kind == "member":
        return band.lineup(turn)
    if offer.kind == "quiz":
        return quiz.start(turn)
    member = offer.member if turn.manifest.member(offer.member) else None
    return section_request(turn, turn.manifest.section(offer.section), member)


def decline_offer(turn: Turn, offer: Offer | None) -> Reply:
    """"No" to the last question: to a reminder, not offered again for a while; to the draw,
    fine; to anything else, goodbye."""
    if offer is not None and offer.kind in reminders.KINDS:
        return reminders.decline(turn, offer)
    if offer is not None and offer.kind == draw.OFFER:
        return draw.decline(turn)
    return goodbye(turn)


def help_(turn: Turn) -> Reply:
    """Help: what this campaign can do, with examples, then a question."""
    features = turn.manifest.features
    example_member = turn.manifest.members[0].name if turn.manifest.members else turn.manifest.artist
    speech = turn.say("help")
    if "tips" in features:
        speech += turn.say("help_tips", member=example_member)
    other = next((s for s in sections_with_pieces(turn) if not s.answers), None)
    if other is not None:
        speech += turn.say("help_sections", other)
    elif any(p.window.start for p in turn.manifest.pieces):
        speech += turn.say("help_whats_new")
    if "band" in features:
        speech += turn.say("help_band", member=example_member)
    if "unlockables" in features:
        speech += turn.say("help_unlockables")
    speech += (turn.say("help_quiz") if "quiz" in features else Speech()) + daily.help_line(turn)
    if "reminders" in features and reminders.plan(turn, "release_day"):
        speech += turn.say("help_reminders")
    if "draw" in features and draw.running(turn):
        speech += turn.say("help_draw", prize=turn.manifest.fill(turn.manifest.draw.prize.get(turn.locale)))
    if "long_form" in features:
        speech += turn.say("help_long_form", next(s for s in turn.manifest.sections if s.long_form))
    speech += turn.say("help_countdown")
    reply = what_next(turn, speech, turn.state, {"kind": "help"})
    return reply._replace(question=turn.say("ask_help"))


def fallback(turn: Turn) -> Reply:
    """Something the skill did not understand: what it can do, and the question again."""
    from .menu import choices
    named = turn.listing(choices(turn))
    reply = what_next(turn, turn.say("fallback"), turn.state, {"kind": "fallback"})
    return reply._replace(reprompt=turn.say("reprompt_fallback", choices=named))


def nothing_to_repeat(turn: Turn) -> Reply:
    """"Repeat" before the skill has said anything in this session."""
    return what_next(turn, turn.say("nothing_to_repeat"), turn.state, {"kind": "repeat"})


def goodbye(turn: Turn) -> Reply:
    """No, stop, cancel, home: say goodbye and end the session."""
    released = turn.today >= turn.manifest.album.release_date
    return Reply(turn.say("goodbye_after_release" if released else "goodbye"), None, turn.state,
                 event={"kind": "goodbye"})


def error(turn: Turn) -> Reply:
    """Something failed on our side: apologise and end the session."""
    return Reply(turn.say("error"), None, turn.state, event={"kind": "error"})


def finish(turn: Turn, reply: Reply) -> Reply:
    """What every turn that keeps state ends with: anything it unlocked, before the question, and
    the invitation to the prize draw the first time the listener may enter it."""
    return draw.invite(turn, unlocks.announce_unlocks(turn, quiz.offer_back(turn, reply)))


countdown = release.countdown_turn
listen = release.listen_turn
whats_new = sections.whats_new
lineup = band.lineup
member_intro = band.member_intro
unlocked = unlocks.unlocked_turn

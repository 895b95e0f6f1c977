"""Sections of pieces: one shuffled rotation per section per listener, and what's new.

A listener hears no piece of a section twice until they have heard every piece available to them
there; then a new rotation starts, in a fresh random order, never opening with the piece they
heard last. "What's new" plays dated pieces they have not heard, across sections: those released
since their last visit first, newest first.
"""

from collections.abc import Sequence
from datetime import date
from random import Random
from typing import NamedTuple

from . import playback
from .campaign.model import Manifest, Piece, Section
from .listener import ListenerState, SectionProgress
from .menu import what_next
from .session import Offer
from .speech import Speech
from .turns import Reply, Turn

#: At most this many pieces in one "what's new" answer (Alexa plays at most five clips a response,
#: and each piece may come with a recorded introduction).
WHATS_NEW_PER_TURN = 2


class PieceChoice(NamedTuple):
    """The outcome of asking a section for a piece.

    Attributes:
        piece: the piece to play, or None when there is nothing to play.
        state: the listener's state after hearing it.
        member_exhausted: a particular member was asked for and has nothing unheard.
    """

    piece: Piece | None
    state: ListenerState
    member_exhausted: bool = False


def next_piece(section: Section, day: date, state: ListenerState, rng: Random,
               member: str | None = None) -> PieceChoice:
    """Pick the listener's next piece of `section` on `day`.

    Args:
        section: the section.
        day: the listener's local date (windows are checked against it).
        state: the listener's state.
        rng: the source of randomness (seed it in tests).
        member: a member id when the listener asked for that member.

    Returns:
        The piece and the new state; `member_exhausted` when `member` has nothing unheard.
    """
    available = section.available(day)
    candidates = [p for p in available if member is None or p.member == member]
    if not candidates:
        return PieceChoice(None, state, member_exhausted=member is not None)
    progress = state.progress(section.id)
    heard = set(progress.heard)
    unheard = [p for p in candidates if p.key not in heard]
    if not unheard:
        if any(p.key not in heard for p in available):
            return PieceChoice(None, state, member_exhausted=True)
        last = progress.heard[-1] if progress.heard else None
        unheard = [p for p in candidates if p.key != last] or candidates
        progress = SectionProgress((), progress.rotation + 1)
    piece = rng.choice(unheard)
    return PieceChoice(piece, state.with_progress(section.id, progress._replace(heard=(*progress.heard, piece.key))))


def heard(state: ListenerState, piece: Piece) -> ListenerState:
    """The state after the listener heard `piece` (chosen for them, e.g. by "what's new")."""
    progress = state.progress(piece.section)
    if piece.key in progress.heard:
        return state
    return state.with_progress(piece.section, progress._replace(heard=(*progress.heard, piece.key)))


def member_with_new_pieces(section: Section, day: date, state: ListenerState, rng: Random,
                           exclude: str | None = None) -> str | None:
    """A member (other than `exclude`) with pieces in `section` the listener has not heard, if any."""
    heard_keys = set(state.progress(section.id).heard)
    members = sorted({p.member for p in section.available(day)
                      if p.member and p.key not in heard_keys and p.member != exclude})
    return rng.choice(members) if members else None


def new_pieces(manifest: Manifest, day: date, state: ListenerState) -> list[Piece]:
    """Dated pieces available on `day` the listener has not heard: released since their last visit
    first, then newest first. Long-form episodes are streamed on request, not played here."""
    heard_keys = state.heard
    dated = [p for s in manifest.sections if not s.long_form for p in s.pieces
             if p.window.start is not None and p.available_on(day) and p.key not in heard_keys]
    last = state.last_visit
    return sorted(dated, key=lambda p: (not (last is not None and p.window.start > last), -p.window.start.toordinal()))


def news_since_last_visit(manifest: Manifest, day: date, state: ListenerState) -> list[tuple[Section, int]]:
    """Per section, how many unheard pieces were released after the listener's last visit."""
    if state.last_visit is None:
        return []
    counts = []
    for section in manifest.sections:
        heard_keys = set(state.progress(section.id).heard)
        count = sum(1 for p in section.available(day)
                    if p.key not in heard_keys and p.window.start is not None and p.window.start > state.last_visit)
        if count:
            counts.append((section, count))
    return counts


def next_drop(manifest: Manifest, day: date, sections: Sequence[Section] | None = None) -> tuple[Section, date] | None:
    """The next day after `day` on which a piece arrives, and its section."""
    upcoming = [(p.window.start, p.section) for s in (sections or manifest.sections) for p in s.pieces
                if p.window.start is not None and p.window.start > day]
    if not upcoming:
        return None
    start, section_id = min(upcoming)
    return manifest.section(section_id), start  # type: ignore[return-value]


# -- turns ---------------------------------------------------------------------------------------------


def play_piece(turn: Turn, piece: Piece) -> Speech:
    """A piece as Alexa says it: the section's introduction, then the recording."""
    section = turn.manifest.section(piece.section)
    member = turn.manifest.member(piece.member)
    return turn.say("piece_intro", section, member=member.name if member else turn.manifest.artist) + \
        turn.play(piece.recording)


def piece_turn(turn: Turn, section: Section, member: str | None = None, preface: Speech = Speech(),
               state: ListenerState | None = None) -> Reply:
    """A piece from `section` (from `member` when asked for), then the offer of another; a long-form
    section's next episode, streamed."""
    if section.long_form:
        return playback.play_section(turn, section, preface, state)
    state = state or turn.started_state()
    choice = next_piece(section, turn.today, state, turn.rng, member)
    played = {"kind": "tip" if section.answers else "piece", "section": section.id}
    if choice.piece is not None:
        return Reply(preface + play_piece(turn, choice.piece), turn.say("reprompt_another_piece", section),
                     choice.state, Offer("piece", section.id), turn.say("offer_another_piece", section),
                     {**played, "played": [{"section": section.id, "piece": choice.piece.id}]},
                     screen={"view": "piece", "section": section.id, "pieces": [choice.piece.id]})
    name = turn.manifest.member(member).name if member and turn.manifest.member(member) else None
    if choice.member_exhausted and name:
        has_any = any(p.member == member for p in section.pieces)
        told = turn.say("member_has_nothing_new" if has_any else "member_has_nothing_here", section, member=name)
        other = member_with_new_pieces(section, turn.today, state, turn.rng, exclude=member)
        if other is not None:
            other_name = turn.manifest.member(other).name  # type: ignore[union-attr]
            return Reply(preface + told, turn.say("reprompt_other_member", section, other_member=other_name),
                         state, Offer("piece", section.id, other),
                         turn.say("offer_other_member", section, other_member=other_name), played)
        return Reply(preface + told, turn.say("reprompt_another_piece", section), state, Offer("piece", section.id),
                     turn.say("offer_another_piece", section), played)
    upcoming = next_drop(turn.manifest, turn.today, [section])
    told = turn.say("section_empty", section)
    if upcoming:
        told += turn.say("next_drop", section, day=turn.spoken_day(upcoming[1]))
    return what_next(turn, preface + told, state, played)


def whats_new(turn: Turn) -> Reply:
    """"What's new?": the newest unheard pieces, or when the next ones arrive."""
    state = turn.started_state()
    fresh = new_pieces(turn.manifest, turn.today, state)
    if not fresh:
        told = turn.say("nothing_new")
        upcoming = next_drop(turn.manifest, turn.today)
        if upcoming:
            told += turn.say("next_drop", upcoming[0], day=turn.spoken_day(upcoming[1]))
        return what_next(turn, told, state, {"kind": "whats_new", "whats_new": False})
    speech = Speech()
    for piece in fresh[:WHATS_NEW_PER_TURN]:
        speech += play_piece(turn, piece)
        state = heard(state, piece)
    event = {"kind": "whats_new", "whats_new": True,
             "played": [{"section": p.section, "piece": p.id} for p in fresh[:WHATS_NEW_PER_TURN]]}
    screen = {"view": "piece", "whats_new": True, "pieces": [p.id for p in fresh[:WHATS_NEW_PER_TURN]]}
    if len(fresh) > WHATS_NEW_PER_TURN:
        return Reply(speech, turn.say("reprompt_more_new"), state, Offer("whats_new"), turn.say("offer_more_new"),
                     event, screen=screen)
    return what_next(turn, speech, state, event)._replace(screen=screen)


def news(turn: Turn, state: ListenerState) -> str:
    """"two new backstage stories and a new tip": what arrived since the last visit, or ""."""
    parts = [turn.text("news_one", section) if count == 1 else turn.text("news_many", section, count=count)
             for section, count in news_since_last_visit(turn.manifest, turn.today, state)]
    return turn.listing(parts, "and")

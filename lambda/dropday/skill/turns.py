"""The handler base: read the request into a `Turn`, let the core answer, save, respond.

Every handler that speaks derives from `DialogHandler`. It loads the listener's state once
(when the handler uses it), builds the `Turn`, calls `answer` (one core function), adds what the
turn unlocked, writes the state conditionally (redoing the turn when another device of the same
listener wrote first) and turns the `Reply` into the response.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from datetime import datetime, timezone
from random import Random
from typing import TYPE_CHECKING, NamedTuple

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.utils import get_slot, is_intent_name, is_request_type

from ..aws import DrawEntries, VersionedDynamoDbAdapter
from ..core import dialog
from ..core.campaign.model import Manifest
from ..core.listener import ListenerState
from ..core.session import LastAnswer, SessionState
from ..core.speech import MAX_REPROMPT_AUDIO_SECONDS
from ..core.turns import Reply, Turn
from ..metrics import PlayedPiece, TurnEvent, fault, note
from .audio_player import add_playback, player_of, session_episode
from .listener_state import CARRIED, carried_state, commit_state, listener_ref, load_state
from .screens import add_screen
from .time_zone import known_zone

if TYPE_CHECKING:
    from ask_sdk_core.handler_input import HandlerInput
    from ask_sdk_model import Response

logger = logging.getLogger(__name__)

#: A turn whose write conflicts with the listener's other devices is redone on top of what they
#: stored (which never serves a piece twice) until this many seconds have passed; then its last
#: attempt merges instead (which keeps both devices' progress, but may repeat a piece another device
#: has just played). The pause between attempts is jittered, from `RETRY_PAUSE` doubling up to
#: `RETRY_PAUSE_CAP`.
REDO_DEADLINE = 1.5
RETRY_PAUSE = 0.01
RETRY_PAUSE_CAP = 0.1
ER_SUCCESS_MATCH = "ER_SUCCESS_MATCH"
#: Alexa refuses responses over 24 KB; "repeat" keeps a copy of the answer in the session only
#: while the whole response stays under this many bytes.
MAX_RESPONSE_BYTES = 24_000
_RESPONSE_OVERHEAD = 600   # the JSON around speech, reprompt and attributes, generously


class SkillContext(NamedTuple):
    """What every handler needs beyond the request; built once per container."""

    manifest: Manifest
    audio_base_url: str
    rng: Random
    store: VersionedDynamoDbAdapter
    draw_entries: DrawEntries | None = None


class DialogHandler(AbstractRequestHandler):
    """Base for handlers that answer with a `Reply`.

    Subclasses set `intents` (or `request_type`), `uses_state`, and implement `answer`.
    """

    intents: tuple[str, ...] = ()
    request_type: str | None = None
    uses_state = False

    def __init__(self, context: SkillContext) -> None:
        self.context = context

    def can_handle(self, handler_input: HandlerInput) -> bool:
        if self.request_type:
            return is_request_type(self.request_type)(handler_input)
        return any(is_intent_name(name)(handler_input) for name in self.intents)

    def handle(self, handler_input: HandlerInput) -> Response:
        """Answer the turn and save the state it leaves.

        When another device of the same listener saved first, the turn is redone on top of their
        state (their progress is kept, counters add up, and no piece is served twice); after a
        few such attempts the last one merges its state with theirs rather than lose it.
        """
        if not self.uses_state:
            turn = self.turn(handler_input)
            reply = self.answer(handler_input, turn)
        else:
            turn, reply = committed(handler_input, self.context, lambda: self.turn(handler_input),
                                    lambda turn: dialog.finish(turn, self.answer(handler_input, turn)))
        note_turn(turn, reply)
        return respond(handler_input, turn, reply)

    def answer(self, handler_input: HandlerInput, turn: Turn) -> Reply:
        raise NotImplementedError

    def turn(self, handler_input: HandlerInput) -> Turn:
        """The `Turn` for this request, with the stored state when the handler uses it."""
        return build_turn(handler_input, self.context,
                          load_state(handler_input, self.context.store) if self.uses_state else ListenerState())


_EVENT_FIELDS = frozenset(TurnEvent._fields)


def note_turn(turn: Turn, reply: Reply) -> None:
    """Note what the turn did for its analytics event (content ids only, never words said)."""
    facts = {name: value for name, value in reply.event.items() if name in _EVENT_FIELDS}
    facts["played"] = tuple(PlayedPiece(p["section"], p["piece"]) for p in reply.event.get("played") or ())
    facts["unlocked"] = tuple(reply.event.get("unlocked") or ())
    note(first_visit=turn.new_session and turn.state.visits == 0, local_date=turn.today.isoformat(), **facts)


def committed(handler_input: HandlerInput, context: SkillContext, make_turn: Callable[[], Turn],
              answer: Callable[[Turn], Reply]) -> tuple[Turn, Reply]:
    """Answer a turn and write the state it leaves, on condition that no other device of the listener
    wrote since it was read: redone on their state until `REDO_DEADLINE`, then merged.

    Args:
        make_turn: the turn, with the state as now stored (read again after a conflict).
        answer: the core's reply to it.
    """
    deadline = time.monotonic() + REDO_DEADLINE
    attempt = 0
    while True:
        attempt += 1
        turn = make_turn()
        reply = answer(turn)
        if commit_state(handler_input, context.store, reply.state, merge_on_conflict=time.monotonic() >= deadline):
            return turn, reply
        logger.info("state of %s changed meanwhile (attempt %d); redoing the turn", listener_ref(handler_input), attempt)
        fault("write_redone")
        time.sleep(min(RETRY_PAUSE_CAP, RETRY_PAUSE * 2 ** attempt) * context.rng.random())


def build_turn(handler_input: HandlerInput, context: SkillContext, state: ListenerState) -> Turn:
    """Read locale, time, session and zone from the request into a `Turn`."""
    envelope = handler_input.request_envelope
    request = envelope.request
    now = getattr(request, "timestamp", None) or datetime.now(timezone.utc)
    if now.tzinfo is None:
        now = now.replace(tzinfo=timezone.utc)
    manifest = context.manifest
    session = session_state(handler_input)
    return Turn(
        manifest=manifest,
        locale=getattr(request, "locale", None),
        now=now,
        zone=known_zone(session, state, manifest.album.default_time_zone),
        state=state,
        session=session,
        new_session=bool(envelope.session is None or envelope.session.new),
        audio_base_url=context.audio_base_url,
        rng=context.rng,
        player=player_of(handler_input),
    )


def respond(handler_input: HandlerInput, turn: Turn, reply: Reply) -> Response:
    """Turn a `Reply` into the response, with the session attributes the next turn needs."""
    speech = reply.said.ssml()
    builder = handler_input.response_builder.speak(speech)
    add_playback(handler_input, reply)
    add_screen(handler_input, turn, reply)
    if reply.ends_session:
        return builder.set_should_end_session(True).response
    reprompt = reply.reprompt.ssml(max_audio_seconds=MAX_REPROMPT_AUDIO_SECONDS)  # type: ignore[union-attr]
    session = (reply.session or turn.session)._replace(
        offer=reply.offer, said=turn.said, zone=reply.state.time_zone or turn.session.zone or None,
        last=LastAnswer(speech, reprompt), episode=session_episode(reply), asking=reply.asking)
    attributes = session.to_attributes()
    carried = carried_state(handler_input)
    if carried is not None:
        attributes[CARRIED] = carried
    if _response_bytes(speech, reprompt, attributes) > MAX_RESPONSE_BYTES:
        attributes.pop(CARRIED, None)  # the next turn reads the store instead
    if _response_bytes(speech, reprompt, attributes) > MAX_RESPONSE_BYTES:
        attributes = session._replace(last=None).to_attributes()  # "repeat" will ask again instead
    set_session_attributes(handler_input, attributes)
    return builder.ask(reprompt).response


def _response_bytes(speech: str, reprompt: str, attributes: dict) -> int:
    return len(json.dumps([speech, reprompt, attributes]).encode()) + _RESPONSE_OVERHEAD


def session_state(handler_input: HandlerInput) -> SessionState:
    """The session attributes the skill owns, checked (empty outside a session)."""
    session = handler_input.request_envelope.session
    attributes = session.attributes if session is not None else None
    state = SessionState.from_attributes(attributes)
    if isinstance(attributes, dict) and attributes.get("tz") is not None and state.zone is None:
        logger.warning("ignored the session's time zone %s: not a zone name", repr(attributes["tz"])[:60])
    return state


def set_session_attributes(handler_input: HandlerInput, attributes: dict) -> None:
    """Send exactly `attributes` back with the response (nothing the request brought along)."""
    try:
        manager = handler_input.attributes_manager
        manager.session_attributes.clear()
        manager.session_attributes.update(attributes)
    except Exception:  # out-of-session requests have none
        logger.debug("no session to keep attributes in")


def slot_ids(handler_input: HandlerInput, name: str) -> tuple[list[str], str | None]:
    """The ids entity resolution matched for slot `name` (every ER_SUCCESS_MATCH value, in order) and
    the words the listener said (None when the slot is empty)."""
    request = handler_input.request_envelope.request
    slot = get_slot(handler_input, name) if getattr(request, "intent", None) is not None else None
    spoken = getattr(slot, "value", None)
    spoken = spoken if isinstance(spoken, str) and spoken.strip() else None
    ids: list[str] = []
    authorities = getattr(getattr(slot, "resolutions", None), "resolutions_per_authority", None) or []
    for authority in authorities:
        code = getattr(getattr(getattr(authority, "status", None), "code", None), "value", None)
        if code != ER_SUCCESS_MATCH:
            continue
        for value in authority.values or []:
            value_id = getattr(getattr(value, "value", None), "id", None)
            if isinstance(value_id, str):
                ids.append(value_id)
            else:
                logger.warning("the %s slot's %s holds a value without an id (%s); ignored",
                               name, ER_SUCCESS_MATCH, repr(value)[:60])
    return ids, spoken


def resolved_slot(handler_input: HandlerInput, name: str,
                  find: Callable[[str], str | None]) -> tuple[str | None, str | None]:
    """The id the listener named in slot `name` (entity resolution first, then `find` on the
    spoken words) and the words they said (None when the slot is empty).

    Args:
        find: the id for spoken words, or None (e.g. `manifest.find_member`).
    """
    ids, spoken = slot_ids(handler_input, name)
    for value_id in ids:
        found = find(value_id)
        if found:
            return found, spoken
        logger.warning("the %s slot's %s names nothing of this campaign (%s); using the words said",
                       name, ER_SUCCESS_MATCH, repr(value_id)[:60])
    return (find(spoken) if spoken else None), spoken

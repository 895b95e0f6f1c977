"""Request handlers: read the request, call one dialog function, build the response."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from random import Random
from typing import TYPE_CHECKING

from ask_sdk_core.dispatch_components import AbstractExceptionHandler, AbstractRequestHandler
from ask_sdk_core.utils import get_slot, is_intent_name, is_request_type

from ..core import dialog
from ..core.listener import ListenerState
from ..aws import VersionedDynamoDbAdapter
from ..core.manifest import Manifest
from ..core.speech import MAX_REPROMPT_AUDIO_SECONDS
from .listener_state import commit_state, forget_listener, listener_ref, load_state
from .time_zone import SESSION_TIME_ZONE, device_zone, known_zone

if TYPE_CHECKING:
    from ask_sdk_core.handler_input import HandlerInput
    from ask_sdk_model import Response

logger = logging.getLogger(__name__)

#: Attempts at a turn whose write keeps conflicting with the listener's other devices (the last
#: one merges instead of redoing), and the base and cap of the jittered exponential pause between
#: them: at most about 1 s of pauses in all, within the 3 s a request may take.
MAX_ATTEMPTS = 9
RETRY_PAUSE = 0.01
RETRY_PAUSE_CAP = 0.2
SESSION_OFFER = "offer"
SESSION_LAST = "last"
ER_SUCCESS_MATCH = "ER_SUCCESS_MATCH"


@dataclass(frozen=True)
class SkillContext:
    """What every handler needs beyond the request; built once per container."""

    manifest: Manifest
    audio_base_url: str
    rng: Random
    store: VersionedDynamoDbAdapter


class DialogHandler(AbstractRequestHandler):
    """Base for handlers that answer with a `dialog.Reply`.

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
        state (their heard tips are kept, counters add up, and no tip is served twice); after a
        few such attempts the last one merges its state with theirs rather than lose it.
        """
        for attempt in range(1, MAX_ATTEMPTS + 1):
            reply = self.answer(handler_input, self.turn(handler_input))
            if not self.uses_state or commit_state(handler_input, self.context.store, reply.state,
                                                   merge_on_conflict=attempt == MAX_ATTEMPTS):
                break
            logger.info("state of %s changed meanwhile (attempt %d); redoing the turn",
                        listener_ref(handler_input), attempt)
            time.sleep(min(RETRY_PAUSE_CAP, RETRY_PAUSE * 2 ** attempt) * self.context.rng.random())
        return respond(handler_input, reply)

    def answer(self, handler_input: HandlerInput, turn: dialog.Turn) -> dialog.Reply:
        raise NotImplementedError

    def turn(self, handler_input: HandlerInput) -> dialog.Turn:
        """The `Turn` for this request, with the stored state when the handler uses it."""
        return build_turn(handler_input, self.context,
                          load_state(handler_input, self.context.store) if self.uses_state else ListenerState())


class LaunchRequestHandler(DialogHandler):
    """LaunchRequest: welcome (first time or back, with new tips), then tip or countdown?"""

    request_type = "LaunchRequest"
    uses_state = True

    def answer(self, handler_input, turn):
        return dialog.launch(turn)


class TipIntentHandler(DialogHandler):
    """TipIntent: the listener's next tip, from the member they named if they named one."""

    intents = ("TipIntent",)
    uses_state = True

    def answer(self, handler_input, turn):
        member_id, spoken = member_slot(handler_input, turn.manifest)
        return dialog.tip(turn, member_id, member_not_recognised=bool(spoken) and member_id is None)


class CountdownIntentHandler(DialogHandler):
    """CountdownIntent: how long until the album is out in the listener's own time zone."""

    intents = ("CountdownIntent",)
    uses_state = True

    def turn(self, handler_input):
        turn = super().turn(handler_input)
        zone, state = device_zone(handler_input, turn.state, turn.today, turn.manifest.album.default_time_zone)
        return replace(turn, zone=zone, state=state)

    def answer(self, handler_input, turn):
        return dialog.countdown_to_release(turn)


class AcceptOfferHandler(DialogHandler):
    """Yes / Next: play what the last question offered (a tip, or a tip from a member)."""

    intents = ("AMAZON.YesIntent", "AMAZON.NextIntent")
    uses_state = True

    def answer(self, handler_input, turn):
        return dialog.accept_offer(turn, dialog.Offer.from_dict(session_attributes(handler_input).get(SESSION_OFFER)))


class GoodbyeHandler(DialogHandler):
    """No / Stop / Cancel / NavigateHome: say goodbye and end the session."""

    intents = ("AMAZON.NoIntent", "AMAZON.StopIntent", "AMAZON.CancelIntent", "AMAZON.NavigateHomeIntent")

    def answer(self, handler_input, turn):
        return dialog.goodbye(turn)


class HelpIntentHandler(DialogHandler):
    """Help: what the skill does, with examples, and a question."""

    intents = ("AMAZON.HelpIntent",)

    def answer(self, handler_input, turn):
        return dialog.help_(turn)


class RepeatIntentHandler(DialogHandler):
    """Repeat: say the last answer of this session again."""

    intents = ("AMAZON.RepeatIntent",)

    def handle(self, handler_input):
        last = session_attributes(handler_input).get(SESSION_LAST)
        if not (isinstance(last, dict) and isinstance(last.get("speech"), str)):
            return super().handle(handler_input)
        builder = handler_input.response_builder.speak(last["speech"])
        reprompt = last.get("reprompt")
        if isinstance(reprompt, str):
            return builder.ask(reprompt).response
        return builder.set_should_end_session(True).response

    def answer(self, handler_input, turn):
        return dialog.nothing_to_repeat(turn)


class FallbackIntentHandler(DialogHandler):
    """Fallback, and intents this skill does not have: examples, and the session stays open."""

    def can_handle(self, handler_input):
        return is_request_type("IntentRequest")(handler_input)

    def answer(self, handler_input, turn):
        if not is_intent_name("AMAZON.FallbackIntent")(handler_input):
            logger.info("unknown intent %s answered with the fallback",
                        getattr(handler_input.request_envelope.request.intent, "name", None))
        return dialog.fallback(turn)


class SessionEndedRequestHandler(AbstractRequestHandler):
    """SessionEndedRequest: log why, say nothing."""

    def can_handle(self, handler_input):
        return is_request_type("SessionEndedRequest")(handler_input)

    def handle(self, handler_input):
        request = handler_input.request_envelope.request
        reason = getattr(getattr(request, "reason", None), "value", None)
        error = getattr(request, "error", None)
        log = logger.warning if reason == "ERROR" else logger.info
        log("session ended for %s: %s%s", listener_ref(handler_input), reason,
            f" ({getattr(error, 'object_type', None)}: {getattr(error, 'message', None)})" if error else "")
        return handler_input.response_builder.response


class SkillDisabledHandler(AbstractRequestHandler):
    """AlexaSkillEvent.SkillDisabled: delete everything stored about the listener."""

    def __init__(self, context: SkillContext) -> None:
        self.context = context

    def can_handle(self, handler_input):
        return is_request_type("AlexaSkillEvent.SkillDisabled")(handler_input)

    def handle(self, handler_input):
        forget_listener(handler_input, self.context.store)
        return handler_input.response_builder.response


class UnhandledRequestHandler(AbstractRequestHandler):
    """Any other request (AudioPlayer, PlaybackController, Display...): an empty response."""

    def can_handle(self, handler_input):
        return True

    def handle(self, handler_input):
        logger.info("ignored request of type %s", handler_input.request_envelope.request.object_type)
        return handler_input.response_builder.response


class ErrorHandler(AbstractExceptionHandler):
    """Last resort: log the error and apologise with the manifest's error line."""

    def __init__(self, context: SkillContext) -> None:
        self.context = context

    def can_handle(self, handler_input, exception):
        return True

    def handle(self, handler_input, exception):
        logger.exception("request failed for %s", listener_ref(handler_input))
        if not is_request_type("IntentRequest")(handler_input) and \
                not is_request_type("LaunchRequest")(handler_input):
            return handler_input.response_builder.response
        return respond(handler_input, dialog.error(build_turn(handler_input, self.context, ListenerState())))


def build_turn(handler_input: HandlerInput, context: SkillContext, state: ListenerState) -> dialog.Turn:
    """Read locale, time, session and zone from the request into a `dialog.Turn`."""
    envelope = handler_input.request_envelope
    request = envelope.request
    now = getattr(request, "timestamp", None) or datetime.now(timezone.utc)
    if now.tzinfo is None:
        now = now.replace(tzinfo=timezone.utc)
    manifest = context.manifest
    return dialog.Turn(
        manifest=manifest,
        locale=getattr(request, "locale", None),
        now=now,
        zone=known_zone(handler_input, state, manifest.album.default_time_zone),
        state=state,
        new_session=bool(envelope.session is None or envelope.session.new),
        audio_base_url=context.audio_base_url,
        rng=context.rng,
    )


def respond(handler_input: HandlerInput, reply: dialog.Reply) -> Response:
    """Turn a `dialog.Reply` into the response; remember offer, zone and last answer in the session."""
    speech = reply.speech.ssml()
    builder = handler_input.response_builder.speak(speech)
    session = session_attributes(handler_input)
    if reply.ends_session:
        return builder.set_should_end_session(True).response
    reprompt = reply.reprompt.ssml(max_audio_seconds=MAX_REPROMPT_AUDIO_SECONDS)  # type: ignore[union-attr]
    session[SESSION_LAST] = {"speech": speech, "reprompt": reprompt}
    if reply.offer is not None:
        session[SESSION_OFFER] = reply.offer.to_dict()
    else:
        session.pop(SESSION_OFFER, None)
    if reply.state.time_zone:
        session[SESSION_TIME_ZONE] = reply.state.time_zone
    return builder.ask(reprompt).response


def session_attributes(handler_input: HandlerInput) -> dict:
    """This session's attributes (an empty dict outside a session)."""
    try:
        return handler_input.attributes_manager.session_attributes
    except Exception:  # out-of-session requests have none
        return {}


def member_slot(handler_input: HandlerInput, manifest: Manifest) -> tuple[str | None, str | None]:
    """The member id the listener named (entity resolution first, then the spoken words) and
    the words they said (None when the slot is empty)."""
    slot = get_slot(handler_input, "member") if getattr(handler_input.request_envelope.request, "intent", None) \
        else None
    spoken = getattr(slot, "value", None)
    spoken = spoken if isinstance(spoken, str) else None
    authorities = getattr(getattr(slot, "resolutions", None), "resolutions_per_authority", None) or []
    for authority in authorities:
        code = getattr(getattr(getattr(authority, "status", None), "code", None), "value", None)
        if code != ER_SUCCESS_MATCH:
            continue
        for resolved in getattr(authority, "values", None) or []:
            member_id = getattr(getattr(resolved, "value", None), "id", None)
            if isinstance(member_id, str) and manifest.member(member_id):
                return member_id, spoken
            logger.warning("the member slot's %s names no member of this campaign (%s); using the words said",
                           ER_SUCCESS_MATCH, repr(member_id)[:60])
    found = manifest.find_member(spoken) if spoken else None
    return (found.id if found else None), spoken

"""Request handlers every campaign has: launch, tips, the countdown, the built-in intents, session
and skill events. Each reads the request, calls one core function, and builds the response."""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import TYPE_CHECKING

from ask_sdk_core.dispatch_components import AbstractExceptionHandler, AbstractRequestHandler
from ask_sdk_core.utils import is_intent_name, is_request_type

from ..core import dialog
from ..core.campaign.model import Manifest
from ..core.listener import ListenerState
from .listener_state import forget_listener, listener_ref
from .reminders import withdraw_from_draw
from .time_zone import device_zone
from .turns import DialogHandler, SkillContext, build_turn, resolved_slot, respond, session_state

if TYPE_CHECKING:
    from ask_sdk_core.handler_input import HandlerInput

logger = logging.getLogger(__name__)


class LaunchRequestHandler(DialogHandler):
    """LaunchRequest: welcome (first time, or back with what is new), then what next?"""

    request_type = "LaunchRequest"
    uses_state = True

    def answer(self, handler_input, turn):
        return dialog.launch(turn)


class TipIntentHandler(DialogHandler):
    """TipIntent: the tips section's next piece, from the member they named if they named one."""

    intents = ("TipIntent",)
    uses_state = True

    def answer(self, handler_input, turn):
        member_id, spoken = member_slot(handler_input, turn.manifest)
        return dialog.tip(turn, member_id, member_not_recognised=bool(spoken) and member_id is None)


class DeviceZoneHandler(DialogHandler):
    """Base for handlers whose answer depends on the listener's local day: the device's own time
    zone (read from the Settings API at most once a day, then cached)."""

    uses_state = True

    def turn(self, handler_input):
        turn = super().turn(handler_input)
        zone, state = device_zone(handler_input, turn.session, turn.state, turn.today,
                                  turn.manifest.album.default_time_zone)
        return replace(turn, zone=zone, state=state)


class CountdownIntentHandler(DeviceZoneHandler):
    """CountdownIntent: how long until the album is out in the listener's own time zone."""

    intents = ("CountdownIntent",)

    def answer(self, handler_input, turn):
        return dialog.countdown(turn)


class AcceptOfferHandler(DialogHandler):
    """Yes / Next: do what the last question offered."""

    intents = ("AMAZON.YesIntent", "AMAZON.NextIntent")
    uses_state = True

    def answer(self, handler_input, turn):
        return dialog.accept_offer(turn, turn.session.offer)


class GoodbyeHandler(DialogHandler):
    """No / Stop / Cancel / NavigateHome: say goodbye and end the session."""

    intents = ("AMAZON.NoIntent", "AMAZON.StopIntent", "AMAZON.CancelIntent", "AMAZON.NavigateHomeIntent")

    def answer(self, handler_input, turn):
        return dialog.goodbye(turn)


class HelpIntentHandler(DialogHandler):
    """Help: what the campaign offers, with examples, and a question."""

    intents = ("AMAZON.HelpIntent",)

    def answer(self, handler_input, turn):
        return dialog.help_(turn)


class RepeatIntentHandler(DialogHandler):
    """Repeat: say the last answer of this session again (its session attributes kept as they were)."""

    intents = ("AMAZON.RepeatIntent",)

    def handle(self, handler_input):
        session = session_state(handler_input)
        if session.last is None:
            return super().handle(handler_input)
        from ..metrics import note
        from .turns import set_session_attributes
        note(kind="repeat")
        set_session_attributes(handler_input, session.to_attributes())
        builder = handler_input.response_builder.speak(session.last.speech)
        if session.last.reprompt:
            return builder.ask(session.last.reprompt).response
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
    """AlexaSkillEvent.SkillDisabled: delete everything stored about the listener (their state,
    with its alert tokens, and their prize-draw entry; Alexa deletes the skill's reminders itself)."""

    def __init__(self, context: SkillContext) -> None:
        self.context = context

    def can_handle(self, handler_input):
        return is_request_type("AlexaSkillEvent.SkillDisabled")(handler_input)

    def handle(self, handler_input):
        forget_listener(handler_input, self.context.store)
        withdraw_from_draw(handler_input, self.context)
        return handler_input.response_builder.response


class UnhandledRequestHandler(AbstractRequestHandler):
    """Any other request (AudioPlayer, PlaybackController, Display...): an empty response."""

    def can_handle(self, handler_input):
        return True

    def handle(self, handler_input):
        logger.info("ignored request of type %s", handler_input.request_envelope.request.object_type)
        return handler_input.response_builder.response


class ErrorHandler(AbstractExceptionHandler):
    """Last resort: log the error and apologise with the campaign's error sentence."""

    def __init__(self, context: SkillContext) -> None:
        self.context = context

    def can_handle(self, handler_input, exception):
        return True

    def handle(self, handler_input, exception):
        logger.exception("request failed for %s", listener_ref(handler_input))
        if not is_request_type("IntentRequest")(handler_input) and \
                not is_request_type("LaunchRequest")(handler_input):
            return handler_input.response_builder.response
        turn = build_turn(handler_input, self.context, ListenerState())
        return respond(handler_input, turn, dialog.error(turn))


def member_slot(handler_input: HandlerInput, manifest: Manifest) -> tuple[str | None, str | None]:
    """The member id the listener named in the `member` slot, and the words they said."""
    def find(words: str) -> str | None:
        member = manifest.member(words) or manifest.find_member(words)
        return member.id if member else None

    return resolved_slot(handler_input, "member", find)

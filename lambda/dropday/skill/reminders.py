"""Handlers of the opt-ins: reminders (release day, daily question) and the prize draw.

Each reads the request, asks the core (`core.reminders`, `core.draw`) what to do, does what it
says with the Alexa APIs (`reminders_api`, `profile_api`) or the draw's table, and hands the
outcome back to the core for the reply. When the listener must first allow a permission, the
response carries Alexa's `AskFor` request instead of speech, and `ConsentResponseHandler` takes
the answer. Cards (the consent card, the draw's terms) are added to the response here.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, replace
from datetime import time
from typing import TYPE_CHECKING

from ask_sdk_core.utils import get_slot, is_intent_name, is_request_type

from ..aws import StateStoreError, entrant_key
from ..core import dialog, draw, reminders
from ..core.optins import ApiResult, AskConsent, ConsentRequest, Outcome
from . import profile_api, reminders_api
from .listener_state import listener_ref
from .permissions import MISSING, ask_for, consent_card, permission
from .time_zone import device_zone
from .turns import DialogHandler, SkillContext

if TYPE_CHECKING:
    from ask_sdk_core.handler_input import HandlerInput
    from ask_sdk_model import Response

    from ..core.turns import Reply, Turn

logger = logging.getLogger(__name__)

#: Offers whose "yes" and "no" these handlers answer (the others stay with the dialog's handlers).
OPTIN_OFFERS = frozenset({*reminders.KINDS, draw.OFFER})
_EXTRAS = "dropday.optin_response"   # request attribute: what this turn adds to its response
_TIME_SLOT = re.compile(r"^(?P<hour>[01]\d|2[0-3]):(?P<minute>[0-5]\d)$")


@dataclass
class _Extras:
    """What the response of this turn carries besides speech."""

    ask: AskConsent | None = None
    session: dict | None = None
    card: object | None = None


class OptInHandler(DialogHandler):
    """Base of the opt-in handlers: the listener's device zone (a reminder is set in it), the
    Alexa calls a core step asks for, and the response's directive and cards."""

    uses_state = True

    def turn(self, handler_input):
        handler_input.attributes_manager.request_attributes[_EXTRAS] = _Extras()   # each attempt starts afresh
        turn = super().turn(handler_input)
        zone, state = device_zone(handler_input, turn.session, turn.state, turn.today,
                                  turn.manifest.album.default_time_zone)
        return replace(turn, zone=zone, state=state)

    def handle(self, handler_input: HandlerInput) -> Response:
        return finish_response(handler_input, super().handle(handler_input))

    def carry_out(self, handler_input: HandlerInput, turn: Turn, step, after_consent: bool = False) -> Reply:
        """Do what a core step asks (create or delete reminders, enter the draw, ask for consent)
        and return the core's reply to the outcome."""
        extras: _Extras = handler_input.attributes_manager.request_attributes[_EXTRAS]
        if isinstance(step, reminders.CreateReminder):
            # The request says whether the listener allowed reminders; just after they did, only the API knows.
            not_allowed = not after_consent and permission(handler_input, reminders.SCOPE) == MISSING
            result = ApiResult(Outcome.NO_PERMISSION) if not_allowed else reminders_api.create(handler_input,
                                                                                                step.body)
            step = reminders.created(turn, step, result, after_consent)
        elif isinstance(step, reminders.CancelReminders):
            step = reminders.cancelled(turn, {kind: reminders_api.delete(handler_input, kind, token)
                                              for kind, token in step.tokens.items()})
        elif isinstance(step, draw.EnterDraw):
            result = enter_draw(handler_input, self.context, turn, after_consent)
            if result.outcome is Outcome.DONE:
                title, content = draw.terms_card(turn)
                extras.card = _simple_card(title, content)
            step = draw.entered(turn, result, after_consent)
        if isinstance(step, AskConsent):
            extras.ask = step
            step = step.reply
            session = (step.session or turn.session)._replace(
                offer=None, said=turn.said, zone=step.state.time_zone or turn.session.zone or None, last=None)
            extras.session = session.to_attributes()
        return step


class RemindMeIntentHandler(OptInHandler):
    """RemindMeIntent: "remind me when the album comes out"."""

    intents = ("RemindMeIntent",)

    def answer(self, handler_input, turn):
        return reminders.remind_me(turn)


class ReminderTimeIntentHandler(OptInHandler):
    """ReminderTimeIntent ("at 8 PM", "every day at 7"), while a daily reminder is on offer."""

    intents = ("ReminderTimeIntent",)

    def can_handle(self, handler_input):
        from .turns import session_state
        return super().can_handle(handler_input) and session_state(handler_input).optins.daily is not None

    def answer(self, handler_input, turn):
        return reminders.choose_daily_time(turn, spoken_time(getattr(get_slot(handler_input, "time"), "value", None)))


class CancelReminderIntentHandler(OptInHandler):
    """CancelReminderIntent: "cancel my reminder" deletes the listener's reminders from this skill."""

    intents = ("CancelReminderIntent",)

    def answer(self, handler_input, turn):
        return self.carry_out(handler_input, turn, reminders.cancel(turn))


class EnterDrawIntentHandler(OptInHandler):
    """EnterDrawIntent: "enter the prize draw"."""

    intents = ("EnterDrawIntent",)

    def answer(self, handler_input, turn):
        return draw.enter_request(turn)


class OptInAnswerHandler(OptInHandler):
    """Yes, no or next to a reminder offer or the draw's invitation. Only "yes" is consent; "no"
    and "next" (skip it) start the cooling-off, or simply pass, instead of ending the session."""

    intents = ("AMAZON.YesIntent", "AMAZON.NextIntent", "AMAZON.NoIntent")

    def can_handle(self, handler_input):
        from .turns import session_state
        if not super().can_handle(handler_input):
            return False
        offer = session_state(handler_input).offer
        return offer is not None and offer.kind in OPTIN_OFFERS

    def answer(self, handler_input, turn):
        offer = turn.session.offer
        if not is_intent_name("AMAZON.YesIntent")(handler_input):
            return dialog.decline_offer(turn, offer)
        return self.carry_out(handler_input, turn, dialog.accept_offer(turn, offer))


class ConsentResponseHandler(OptInHandler):
    """Connections.Response to the skill's AskFor: the listener allowed the permission (the
    reminder is created, the entry made) or did not (said kindly, with the consent card)."""

    request_type = "Connections.Response"

    def can_handle(self, handler_input):
        return is_request_type("Connections.Response")(handler_input) and \
            getattr(handler_input.request_envelope.request, "name", None) == "AskFor"

    def answer(self, handler_input, turn):
        request = handler_input.request_envelope.request
        payload = request.payload if isinstance(request.payload, dict) else {}
        code = getattr(getattr(request, "status", None), "code", None)
        status = payload.get("status") if str(code) == "200" else "NOT_ANSWERED"
        consent = ConsentRequest.from_token(request.token)
        kind = consent.kind if consent is not None else \
            ("draw" if payload.get("permissionScope") == draw.EMAIL_SCOPE else None)
        logger.info("consent answer for %s: %s (%s)", listener_ref(handler_input), status, kind or "unknown token")
        extras: _Extras = handler_input.attributes_manager.request_attributes[_EXTRAS]
        if kind == "draw":
            if status == "ACCEPTED":
                return self.carry_out(handler_input, turn, draw.accept(turn), after_consent=True)
            extras.card = consent_card(draw.EMAIL_SCOPE)
            return draw.consent_refused(turn, answered=status == "DENIED")
        if status == "ACCEPTED":
            if consent is None:
                return reminders.remind_me(turn)
            body = reminders.body_for(turn, consent.kind, consent.daily)
            if body is None:
                return reminders.remind_me(turn) if consent.kind == "release_day" else \
                    reminders.choose_daily_time(turn, None)
            step = reminders.CreateReminder(body, consent.daily)
            return self.carry_out(handler_input, turn, step, after_consent=True)
        extras.card = consent_card(reminders.SCOPE)
        return reminders.consent_refused(turn, kind, answered=status == "DENIED")


HANDLERS = (RemindMeIntentHandler, ReminderTimeIntentHandler, CancelReminderIntentHandler, EnterDrawIntentHandler,
            OptInAnswerHandler, ConsentResponseHandler)


# -- the draw's table ------------------------------------------------------------------------------------


def enter_draw(handler_input: HandlerInput, context: SkillContext, turn: Turn, after_consent: bool = False) -> ApiResult:
    """Read the listener's email address (only now) and write their entry to the draw's table
    (`after_consent`: they have just allowed it, so the request's permissions are not consulted)."""
    manifest = context.manifest
    if manifest.draw is None or context.draw_entries is None:
        return ApiResult(Outcome.FAILED)
    if not after_consent and permission(handler_input, draw.EMAIL_SCOPE) == MISSING:
        return ApiResult(Outcome.NO_PERMISSION)
    contact = profile_api.email(handler_input)
    if contact.outcome is not Outcome.DONE:
        return contact
    user_id = _user_id(handler_input)
    if not user_id:
        return ApiResult(Outcome.FAILED)
    entries = context.draw_entries
    try:
        entries.enter(manifest.campaign, entrant_key(manifest.campaign, user_id), contact.value or "", turn.now,
                      draw.expires_at(manifest.draw, entries.grace_days))
    except StateStoreError as exc:
        logger.warning("could not write the draw entry of %s: %s", listener_ref(handler_input), exc)
        return ApiResult(Outcome.FAILED, fault="dynamodb_degraded")
    logger.info("entered %s in the draw", listener_ref(handler_input))
    return ApiResult(Outcome.DONE)


def withdraw_from_draw(handler_input: HandlerInput, context: SkillContext) -> None:
    """Delete the listener's draw entry, if the campaign has a draw (they disabled the skill)."""
    manifest = context.manifest
    user_id = _user_id(handler_input)
    if manifest.draw is None or context.draw_entries is None or not user_id:
        return
    try:
        context.draw_entries.withdraw(manifest.campaign, entrant_key(manifest.campaign, user_id))
        logger.info("deleted any draw entry of %s: skill disabled", listener_ref(handler_input))
    except StateStoreError as exc:
        logger.warning("could not delete the draw entry of %s: %s", listener_ref(handler_input), exc)


def _user_id(handler_input: HandlerInput) -> str | None:
    system = getattr(handler_input.request_envelope.context, "system", None)
    user_id = getattr(getattr(system, "user", None), "user_id", None)
    return user_id if isinstance(user_id, str) and user_id else None


# -- the response ------------------------------------------------------------------------------------------


def finish_response(handler_input: HandlerInput, response: Response) -> Response:
    """Add this turn's card, or turn the response into Alexa's AskFor request: no speech and no
    reprompt, `shouldEndSession` left out (Alexa asks, then sends the answer), the session kept."""
    extras: _Extras | None = handler_input.attributes_manager.request_attributes.get(_EXTRAS)
    if extras is None:
        return response
    if extras.card is not None:
        response.card = extras.card
    if extras.ask is not None:
        if getattr(response.output_speech, "ssml", None) == "<speak></speak>":
            response.output_speech = None
        response.reprompt = None
        response.should_end_session = None
        response.directives = [*(response.directives or []), ask_for(extras.ask.scope, extras.ask.token)]
        from .turns import set_session_attributes
        set_session_attributes(handler_input, extras.session or {})
    return response


def spoken_time(value: object) -> time | None:
    """An AMAZON.TIME slot value ("19:30") as a time; None for vague values ("EV") or nothing."""
    match = _TIME_SLOT.match(value) if isinstance(value, str) else None
    return time(int(match["hour"]), int(match["minute"])) if match else None


def _simple_card(title: str, content: str):
    from ask_sdk_model.ui import SimpleCard
    return SimpleCard(title=title, content=content)


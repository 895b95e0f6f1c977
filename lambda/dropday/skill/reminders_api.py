"""The Alexa Reminders API: create and delete the skill's reminders for a listener.

Through the SDK's reminder management service client, on the skill builder's API client (the
SDK's `DefaultApiClient` with bounded timeouts, `time_zone.TimeBoundApiClient`). Every failure
becomes an `ApiResult` and one log line; nothing here raises. Each call is made at most once per
request, so a turn redone after a write conflict never sets a reminder twice.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from ..core.optins import ApiResult, Outcome
from ..core.reminders import ReminderBody
from .listener_state import listener_ref

if TYPE_CHECKING:
    from ask_sdk_core.handler_input import HandlerInput

logger = logging.getLogger(__name__)

FAULT = "reminders_api_failed"
_CALLS = "dropday.reminders_api"   # request attribute: the outcome of each call made in this request


def create(handler_input: HandlerInput, body: ReminderBody) -> ApiResult:
    """Create `body`'s reminder.

    Returns:
        DONE with the alert token; NO_PERMISSION (401: the listener has not allowed reminders);
        UNSUPPORTED (403: reminders are not available on this device or account); FAILED for
        anything else (timeouts, 429, 5xx, outside a session).
    """
    def call() -> ApiResult:
        if handler_input.request_envelope.session is None:
            logger.warning("reminder not created for %s: reminders are created only inside a session",
                           listener_ref(handler_input))
            return ApiResult(Outcome.FAILED, fault=FAULT)
        client = handler_input.service_client_factory.get_reminder_management_service()
        answer = client.create_reminder(reminder_request(body))
        token = getattr(answer, "alert_token", None)
        if not isinstance(token, str) or not token:
            logger.warning("Reminders API gave no alert token for %s", listener_ref(handler_input))
            return ApiResult(Outcome.FAILED, fault=FAULT)
        return ApiResult(Outcome.DONE, token)

    return _once(handler_input, ("create", body.kind), "create", call, {401: Outcome.NO_PERMISSION,
                                                                       403: Outcome.UNSUPPORTED})


def delete(handler_input: HandlerInput, kind: str, alert_token: str) -> ApiResult:
    """Delete the listener's reminder `alert_token`: DONE when deleted or already gone (404),
    FAILED otherwise (the listener can still delete it in the Alexa app)."""
    def call() -> ApiResult:
        handler_input.service_client_factory.get_reminder_management_service().delete_reminder(alert_token)
        return ApiResult(Outcome.DONE)

    return _once(handler_input, ("delete", kind), "delete", call, {404: Outcome.DONE})


def reminder_request(body: ReminderBody):
    """`body` as the SDK's `ReminderRequest`: SCHEDULED_ABSOLUTE at wall-clock time (no offset) with
    the zone always given, the text in its locale, and a push notification."""
    from ask_sdk_model.services.reminder_management import (AlertInfo, PushNotification, PushNotificationStatus,
                                                            Recurrence, ReminderRequest, SpokenInfo, SpokenText,
                                                            Trigger, TriggerType)

    from ..core.speech import say

    recurrence = None
    if body.until is not None:
        recurrence = Recurrence(start_date_time=body.scheduled, end_date_time=body.until,
                                recurrence_rules=[body.recurrence_rule])
    trigger = Trigger(object_type=TriggerType.SCHEDULED_ABSOLUTE, scheduled_time=body.scheduled,
                      time_zone_id=body.zone, recurrence=recurrence)
    spoken = SpokenText(locale=body.locale, ssml=say(body.text).ssml(), text=body.text)
    return ReminderRequest(request_time=body.requested, trigger=trigger, alert_info=AlertInfo(SpokenInfo([spoken])),
                           push_notification=PushNotification(PushNotificationStatus.ENABLED))


def _once(handler_input: HandlerInput, key: tuple[str, str], what: str, call, statuses: dict[int, Outcome]) -> ApiResult:
    """`call()` once per request (its outcome kept in the request attributes); a ServiceException
    with a status in `statuses` gives that outcome, any other failure FAILED and a log line."""
    made = handler_input.attributes_manager.request_attributes.setdefault(_CALLS, {})
    if key not in made:
        made[key] = _guarded(handler_input, what, call, statuses)
    return made[key]


def _guarded(handler_input: HandlerInput, what: str, call, statuses: dict[int, Outcome]) -> ApiResult:
    from ask_sdk_model.services import ServiceException

    try:
        return call()
    except ServiceException as exc:
        outcome = statuses.get(exc.status_code)
        if outcome is Outcome.DONE:
            return ApiResult(Outcome.DONE)
        log = logger.info if outcome is not None else logger.warning
        log("Reminders API %s failed for %s: HTTP %s %s", what, listener_ref(handler_input), exc.status_code,
            str(exc)[:160])
        return ApiResult(outcome, fault=None) if outcome is not None else ApiResult(Outcome.FAILED, fault=FAULT)
    except Exception as exc:  # no API client, a response the SDK cannot read...
        logger.warning("Reminders API %s failed for %s: %s: %s", what, listener_ref(handler_input),
                       type(exc).__name__, str(exc)[:160])
        return ApiResult(Outcome.FAILED, fault=FAULT)

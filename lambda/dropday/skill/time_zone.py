"""The listener's time zone: the device setting through the Alexa Settings API, with fallbacks."""

from __future__ import annotations

import functools
import logging
from datetime import date
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ask_sdk_model.services import ApiClient

from ..core.listener import ListenerState
from ..core.session import SessionState
from ..logs import redacted
from ..metrics import fault
from .listener_state import listener_ref

if TYPE_CHECKING:
    from ask_sdk_core.handler_input import HandlerInput

logger = logging.getLogger(__name__)

_FETCHED = "dropday.device_zone"   # request attribute: the Settings API's answer, asked once per request


class TimeBoundApiClient(ApiClient):
    """The SDK's `DefaultApiClient` with a timeout, so a slow Alexa API cannot hold the answer.

    `DefaultApiClient` brings in `requests` (about 50 ms); it is imported on the first call to an
    Alexa API, not at every cold start.
    """

    def __init__(self, timeout: float) -> None:
        self.timeout = timeout
        self._client: ApiClient | None = None

    def invoke(self, request):
        if self._client is None:
            self._client = _bounded_default_client(self.timeout)
        return self._client.invoke(request)


def _bounded_default_client(timeout: float) -> ApiClient:
    from ask_sdk_core.api_client import DefaultApiClient

    class BoundedDefaultApiClient(DefaultApiClient):
        def _resolve_method(self, request):
            return functools.partial(super()._resolve_method(request), timeout=(min(0.3, timeout), timeout))

    return BoundedDefaultApiClient()


def zone_named(name: object) -> ZoneInfo | None:
    """`ZoneInfo(name)`, or None for a missing or unknown name, or anything that is not a name."""
    if not isinstance(name, str) or not name or len(name) > 64:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return None


def known_zone(session: SessionState, state: ListenerState | None, default: str) -> ZoneInfo:
    """The zone already known without an API call: this session's, the cached one, or `default`."""
    return zone_named(session.zone) or zone_named(state.time_zone if state else None) or ZoneInfo(default)


def device_zone(handler_input: HandlerInput, session: SessionState, state: ListenerState, today: date,
                default: str) -> tuple[ZoneInfo, ListenerState]:
    """The device's zone, read from the Settings API at most once a day and cached in the state.

    When the API fails, is slow or the request has no device, the cached zone or `default` is
    used and nothing is cached, so the next request tries again.
    """
    cached = zone_named(state.time_zone)
    if cached and state.time_zone_checked == today:
        return cached, state
    asked = handler_input.attributes_manager.request_attributes
    if _FETCHED not in asked:  # a turn redone after a write conflict does not ask again
        asked[_FETCHED] = _fetch_zone(handler_input)
    fetched = asked[_FETCHED]
    if fetched is None:
        return cached or known_zone(session, None, default), state
    return fetched, state._replace(time_zone=fetched.key, time_zone_checked=today)


def _fetch_zone(handler_input: HandlerInput) -> ZoneInfo | None:
    system = handler_input.request_envelope.context.system if handler_input.request_envelope.context else None
    device_id = getattr(getattr(system, "device", None), "device_id", None)
    if not device_id or not getattr(system, "api_endpoint", None) or handler_input.service_client_factory is None:
        return None
    try:
        name = handler_input.service_client_factory.get_ups_service().get_system_time_zone(device_id)
    except Exception as exc:  # its message quotes the URL, which holds the device id: hashed
        fault("settings_api_fallback")
        logger.warning("Settings API time zone failed for %s: %s: %s", listener_ref(handler_input),
                       type(exc).__name__, redacted(str(exc))[:400])
        return None
    zone = zone_named(name if isinstance(name, str) else None)
    if zone is None:
        fault("settings_api_fallback")
        logger.warning("Settings API gave an unknown time zone %r for %s", name, listener_ref(handler_input))
    return zone


def _shown(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:60] + "..."

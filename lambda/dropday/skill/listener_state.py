"""Loading and saving a listener's state: at most one read and one write per request."""

from __future__ import annotations

import hashlib
import logging
from typing import TYPE_CHECKING

from ask_sdk_core.dispatch_components import AbstractResponseInterceptor

from ..core.listener import ListenerState

if TYPE_CHECKING:
    from ask_sdk_core.handler_input import HandlerInput
    from ask_sdk_model import Response

logger = logging.getLogger(__name__)

_LOADED = "dropday.state_loaded"   # the state as read (None when the read failed)
_CURRENT = "dropday.state"         # the state after the handler


def listener_ref(handler_input: HandlerInput) -> str:
    """A short hash of the user id, for logs (raw user ids are never logged)."""
    system = getattr(handler_input.request_envelope.context, "system", None)
    user_id = getattr(getattr(system, "user", None), "user_id", None) or ""
    return hashlib.sha256(user_id.encode()).hexdigest()[:12] if user_id else "anonymous"


def load_state(handler_input: HandlerInput) -> ListenerState:
    """The listener's stored state, read once per request.

    When the store fails (or the request names no user) the listener is served as new and
    nothing is written back, so a failed read can never overwrite their progress.
    """
    attrs = handler_input.attributes_manager.request_attributes
    if _LOADED in attrs:
        return attrs[_LOADED] or ListenerState()
    try:
        state = ListenerState.from_dict(handler_input.attributes_manager.persistent_attributes)
    except Exception as exc:  # the store is down, slow, denied, or the request has no user id
        logger.warning("listener state unavailable for %s, serving without it: %s: %s",
                       listener_ref(handler_input), type(exc).__name__, exc)
        attrs[_LOADED] = None
        return ListenerState()
    attrs[_LOADED] = state
    return state


def keep_state(handler_input: HandlerInput, state: ListenerState) -> None:
    """Remember the state this request leaves behind; `SaveStateInterceptor` writes it."""
    handler_input.attributes_manager.request_attributes[_CURRENT] = state


class SaveStateInterceptor(AbstractResponseInterceptor):
    """Write the listener's state once, and only when it was read and has changed."""

    def process(self, handler_input: HandlerInput, response: Response) -> None:
        attrs = handler_input.attributes_manager.request_attributes
        loaded, current = attrs.get(_LOADED), attrs.get(_CURRENT)
        if loaded is None or current is None or current == loaded:
            return
        manager = handler_input.attributes_manager
        manager.persistent_attributes = current.to_dict()
        try:
            manager.save_persistent_attributes()
        except Exception as exc:
            logger.warning("could not save listener state for %s: %s: %s",
                           listener_ref(handler_input), type(exc).__name__, exc)

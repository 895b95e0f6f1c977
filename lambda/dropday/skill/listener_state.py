"""A listener's state per request: one read, at most one conditional write, nothing on failure."""

from __future__ import annotations

import logging
import random
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..aws import StateStoreError, StoredAttributes, VersionedDynamoDbAdapter
from ..core.listener import ListenerState, merged, read_stored
from ..metrics import fault
from ..logs import hashed_id

if TYPE_CHECKING:
    from ask_sdk_core.handler_input import HandlerInput

logger = logging.getLogger(__name__)

_LOADED = "dropday.state"


@dataclass(frozen=True)
class _Loaded:
    state: ListenerState
    version: int | None   # None: the store failed, or the item is of a newer version: nothing may be written back
    stored: StoredAttributes | None = None
    set_aside_first: bool = False   # the item cannot be read: keep a copy before writing a fresh state over it


def listener_ref(handler_input: HandlerInput) -> str:
    """A short hash of the user id, for logs (raw user ids are never logged)."""
    system = getattr(handler_input.request_envelope.context, "system", None)
    user_id = getattr(getattr(system, "user", None), "user_id", None) or ""
    return hashed_id(user_id) if isinstance(user_id, str) and user_id else "anonymous"


def load_state(handler_input: HandlerInput, store: VersionedDynamoDbAdapter) -> ListenerState:
    """The listener's stored state, read once per attempt.

    When the store fails (or the request names no user) the listener is served as new and
    nothing will be written back, so a failed read can never overwrite their progress. So is an
    item of a newer state version (`core.listener.read_stored`): a rollback loses nobody's
    progress. An item that cannot be read at all is kept aside by the first write, which then
    saves a fresh state, so the listener is remembered from then on.
    """
    attrs = handler_input.attributes_manager.request_attributes
    if _LOADED not in attrs:
        try:
            stored = store.load(handler_input.request_envelope)
        except StateStoreError as exc:
            fault("dynamodb_degraded")
            logger.warning("listener state unavailable for %s, serving without it: %s",
                           listener_ref(handler_input), exc)
            attrs[_LOADED] = _Loaded(ListenerState(), None)
            return attrs[_LOADED].state
        read = read_stored(stored.attributes)
        if not read.writable:
            logger.warning("stored state of %s is left alone and they are served as new: %s",
                           listener_ref(handler_input), read.reason)
        elif read.damaged:
            logger.warning("stored state of %s cannot be read (%s): it is kept aside and a fresh state is saved",
                           listener_ref(handler_input), read.reason)
        if read.writable and stored.version_as_stored is not None:
            logger.warning("stored state of %s has the version %s, which is not a whole number; the next write "
                           "repairs it", listener_ref(handler_input), _shown(stored.version_as_stored))
        attrs[_LOADED] = _Loaded(read.state, stored.version if read.writable else None, stored, read.damaged)
    return attrs[_LOADED].state


#: Once redoing the turn has not won the race, merge and write again until this many seconds have
#: passed (a merge never loses what either device did, so it is worth the wait, within the 8 s Alexa
#: allows and the 7 s of the function's timeout), pausing a jittered moment between attempts.
MERGE_DEADLINE = 2.0
MERGE_PAUSE = 0.02


def commit_state(handler_input: HandlerInput, store: VersionedDynamoDbAdapter, state: ListenerState,
                 merge_on_conflict: bool = False) -> bool:
    """Write `state` if it changed, on condition that nobody wrote since it was read.

    Args:
        merge_on_conflict: when another request wrote first, merge with what it stored
            (`core.listener.merged`) instead of giving up, so that nothing is lost.

    Returns:
        False when another request (say the listener's other device) wrote first and no merge
        was asked for: the state read is dropped, so the caller can re-read and redo its turn
        on top of theirs. True otherwise, including when the store is unavailable (the answer
        goes out unsaved, and the stored state stays as it was).
    """
    attrs = handler_input.attributes_manager.request_attributes
    loaded: _Loaded | None = attrs.get(_LOADED)
    if loaded is None or loaded.version is None or state == loaded.state:
        return True
    envelope = handler_input.request_envelope
    stored = loaded.stored
    try:
        if loaded.set_aside_first and stored is not None:
            store.set_aside(envelope, stored)
        if store.save_if_version(envelope, state.to_dict(), loaded.version,
                                 stored.version_as_stored if stored else None):
            return True
        if not merge_on_conflict:
            del attrs[_LOADED]
            return False
        base = loaded.state
        deadline = time.monotonic() + MERGE_DEADLINE
        while time.monotonic() < deadline:
            time.sleep(MERGE_PAUSE * random.random())
            theirs = store.load(envelope)
            read = read_stored(theirs.attributes)
            if read.reason is not None:  # another deploy, or damage, got there meanwhile: leave it to them
                logger.warning("state of %s changed to one this code does not write (%s); this turn is not saved",
                               listener_ref(handler_input), read.reason)
                return True
            state, base = merged(base, state, read.state), read.state
            if store.save_if_version(envelope, state.to_dict(), theirs.version, theirs.version_as_stored):
                fault("write_merged")
                logger.info("merged the state of %s with another device's", listener_ref(handler_input))
                return True
        logger.warning("state of %s kept changing; this turn is not saved", listener_ref(handler_input))
    except StateStoreError as exc:
        fault("dynamodb_degraded")
        logger.warning("could not save listener state for %s: %s", listener_ref(handler_input), exc)
    return True


def _shown(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:60] + "..."


def forget_listener(handler_input: HandlerInput, store: VersionedDynamoDbAdapter) -> None:
    """Delete everything stored about the listener (they disabled the skill)."""
    try:
        store.delete_attributes(handler_input.request_envelope)
        logger.info("deleted the state of %s: skill disabled", listener_ref(handler_input))
    except Exception as exc:
        logger.warning("could not delete the state of %s: %s", listener_ref(handler_input), exc)

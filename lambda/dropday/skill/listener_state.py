"""A listener's state per request: at most one read and one conditional write, nothing on failure.

Within a session the state travels with it: each answer that keeps the session open carries the
state as stored and its version (`carried_state`), and the session's next request starts from that
copy instead of reading DynamoDB. Its write is still conditional on the version carried, so a write
by the listener's other device in between is noticed, and the turn is redone on what is stored.
"""

from __future__ import annotations

import logging
import random
import time
from typing import TYPE_CHECKING, NamedTuple

from ..aws import StateStoreError, StoredAttributes, VersionedDynamoDbAdapter
from ..core.listener import ListenerState, merged, read_stored
from ..metrics import fault
from ..logs import hashed_id

if TYPE_CHECKING:
    from ask_sdk_core.handler_input import HandlerInput

logger = logging.getLogger(__name__)

_LOADED = "dropday.state"
_KNOWN = "dropday.state.stored"      # (state, version) as now stored, as far as this request knows
_STALE = "dropday.state.stale"       # the session's copy lost a race: read the store from now on
#: The session attribute that carries the listener's state to the session's next request:
#: `{"v": version as stored, "s": the stored attributes}`.
CARRIED = "state"


class _Loaded(NamedTuple):
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
        carried = None if attrs.get(_STALE) else _carried(handler_input)
        if carried is not None:
            attrs[_LOADED] = carried
            attrs[_KNOWN] = (carried.state, carried.version)
            return carried.state
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
        if read.writable and not read.damaged and stored.version_as_stored is None:
            attrs[_KNOWN] = (read.state, stored.version)
    return attrs[_LOADED].state


def _carried(handler_input: HandlerInput) -> _Loaded | None:
    """The state the session carried from its previous answer; None outside a session, at its
    start, or when the copy is not one this code wrote (the store is read instead)."""
    session = handler_input.request_envelope.session
    if session is None or session.new or not isinstance(session.attributes, dict):
        return None
    carried = session.attributes.get(CARRIED)
    if not isinstance(carried, dict) or not isinstance(carried.get("s"), dict):
        return None
    version = carried.get("v")
    if type(version) is not int or version < 0:
        return None
    read = read_stored(carried["s"])
    if not read.writable or read.damaged:
        return None
    return _Loaded(read.state, version, StoredAttributes(carried["s"], version, None, None))


def assume_stored(handler_input: HandlerInput, state: ListenerState, version: int) -> None:
    """Take `state` as stored at `version` for this request (for measuring the response a
    reply makes without a store)."""
    handler_input.attributes_manager.request_attributes[_KNOWN] = (state, version)


def carried_state(handler_input: HandlerInput) -> dict | None:
    """What the answer's session should carry to its next request (`CARRIED`): the state as this
    request left it stored, or the copy the request brought when it did not touch the state; None
    when what is stored is not known (the store failed, or the item needs repair)."""
    attrs = handler_input.attributes_manager.request_attributes
    if _KNOWN in attrs:
        state, version = attrs[_KNOWN]
        return {"v": version, "s": state.to_dict()}
    if _LOADED in attrs or attrs.get(_STALE):
        return None
    carried = _carried(handler_input)  # read and written again: only what this code writes goes back
    return None if carried is None else {"v": carried.version, "s": carried.state.to_dict()}


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
    attrs.pop(_KNOWN, None)
    _drop_session_copy(handler_input)
    try:
        if loaded.set_aside_first and stored is not None:
            store.set_aside(envelope, stored)
        if store.save_if_version(envelope, state.to_dict(), loaded.version,
                                 stored.version_as_stored if stored else None):
            attrs[_KNOWN] = (state, loaded.version + 1)
            return True
        if not merge_on_conflict:
            del attrs[_LOADED]
            attrs[_STALE] = True
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
                if theirs.version_as_stored is None:
                    attrs[_KNOWN] = (state, theirs.version + 1)
                fault("write_merged")
                logger.info("merged the state of %s with another device's", listener_ref(handler_input))
                return True
        logger.warning("state of %s kept changing; this turn is not saved", listener_ref(handler_input))
    except StateStoreError as exc:
        fault("dynamodb_degraded")
        logger.warning("could not save listener state for %s: %s", listener_ref(handler_input), exc)
    return True


def _drop_session_copy(handler_input: HandlerInput) -> None:
    """Once the state is being written, the copy the request brought is out of date: an answer
    that sends the request's attributes back unchanged must not carry it on."""
    try:
        handler_input.attributes_manager.session_attributes.pop(CARRIED, None)
    except Exception:  # out-of-session requests have no session attributes
        pass


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

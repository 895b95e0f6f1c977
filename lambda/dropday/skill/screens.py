"""Screens: an `Alexa.Presentation.APL.RenderDocument` on every answer to a device with APL.

Only a device whose request lists `Alexa.Presentation.APL` in `supportedInterfaces` gets one
(`Display` alone is not APL: sending APL there fails the whole response). The data comes from
`core.screens` (the reply's screen data, the campaign's words and pictures); the documents are
the JSON files in `apl/` beside this module, read once per container, on the first answer that
needs one. Each view has its document (`VIEW_DOCUMENTS`); a device whose `runtime.maxVersion` is
older than that document's APL version gets `FALLBACK_DOCUMENT` instead when it is new enough,
else no directive: never a feature newer than the device's runtime.
"""

from __future__ import annotations

import functools
import json
import logging
import re
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..core.screens import Screen, screen_for
from ..core.turns import Reply, Turn

if TYPE_CHECKING:
    from ask_sdk_core.handler_input import HandlerInput

logger = logging.getLogger(__name__)

DOCUMENTS_DIR = Path(__file__).with_name("apl")
APL_INTERFACE = "Alexa.Presentation.APL"
#: Which document shows each view (`core.screens.VIEWS`).
VIEW_DOCUMENTS: Mapping[str, str] = {
    "home": "headline", "countdown": "headline", "quiz_result": "headline", "daily_result": "headline",
    "piece": "detail", "member": "detail", "band": "gallery", "unlock": "reveal", "unlocks": "list",
    "quiz_question": "question", "daily_question": "question",
}
#: The document any view falls back to on a device too old for its own.
FALLBACK_DOCUMENT = "basic"
_VERSION = re.compile(r"^\d+(\.\d+)*$")


@functools.cache
def documents() -> Mapping[str, Mapping[str, Any]]:
    """Every APL document, by name (its file's stem), read once per container."""
    return {path.stem: json.loads(path.read_text(encoding="utf-8")) for path in sorted(DOCUMENTS_DIR.glob("*.json"))}


def apl_version(text: object) -> tuple[int, ...] | None:
    """An APL version as numbers to compare ("2023.3" -> (2023, 3), "1.8" -> (1, 8)); None if unreadable."""
    if not isinstance(text, str) or not _VERSION.match(text.strip()):
        return None
    return tuple(int(part) for part in text.strip().split("."))


def document_for(view: str, max_version: tuple[int, ...] | None) -> tuple[str, Mapping[str, Any]] | None:
    """The document (name and content) that shows `view` on a device whose APL goes up to
    `max_version`; None when even the fallback is too new. An unknown version gets the fallback."""
    found = documents()
    for name in (VIEW_DOCUMENTS.get(view, VIEW_DOCUMENTS["home"]), FALLBACK_DOCUMENT):
        document = found.get(name)
        needs = apl_version(document.get("version")) if document else None
        if needs is None:
            continue
        if max_version is None:
            if name == FALLBACK_DOCUMENT:
                return name, document
        elif needs <= max_version:
            return name, document
    return None


def apl_runtime(handler_input: HandlerInput) -> tuple[bool, tuple[int, ...] | None]:
    """Whether the device supports APL, and the highest APL version it runs (None when not said)."""
    device = getattr(getattr(handler_input.request_envelope.context, "system", None), "device", None)
    apl = getattr(getattr(device, "supported_interfaces", None), "alexa_presentation_apl", None)
    if apl is None:
        return False, None
    return True, apl_version(getattr(getattr(apl, "runtime", None), "max_version", None))


def can_touch(handler_input: HandlerInput) -> bool:
    """Whether the listener can touch the screen (a TV, driven with a remote, cannot)."""
    viewport = getattr(handler_input.request_envelope.context, "viewport", None)
    if viewport is None:
        return True
    mode = getattr(getattr(viewport, "mode", None), "value", None)
    return bool(getattr(viewport, "touch", None)) and mode != "TV"


def add_screen(handler_input: HandlerInput, turn: Turn, reply: Reply) -> Screen | None:
    """Add the RenderDocument directive for `reply` to the response being built, on a device
    with APL; nothing otherwise. Never raises: a screen that cannot be drawn costs no words.

    Returns:
        The screen that was added, or None.
    """
    try:
        supported, max_version = apl_runtime(handler_input)
        if not supported:
            return None
        screen = screen_for(turn, reply, touch=can_touch(handler_input))
        chosen = document_for(screen.view, max_version)
        if chosen is None:
            logger.info("no APL document for a runtime of version %s", max_version)
            return None
        from ask_sdk_model.interfaces.alexa.presentation.apl import RenderDocumentDirective  # APL devices only

        handler_input.response_builder.add_directive(
            RenderDocumentDirective(token=screen.view, document=dict(chosen[1]), datasources=dict(screen.data)))
        return screen
    except Exception:  # the answer is spoken whatever happens to the screen
        logger.exception("could not build the screen")
        return None

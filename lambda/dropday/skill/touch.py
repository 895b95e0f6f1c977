"""Touches on a screen: `Alexa.Presentation.APL.UserEvent` requests, answered as the spoken request.

A touchable item of a document sends `[action, value]` (see `core.screens`), and the request's
token names the screen it was on. Each action calls the core function its spoken twin calls:
touching a member on the band screen is "tell me about Noor"; touching choice 2 of a question is
answering "2", through the answer function of the screen's format, registered in `ANSWERS` by
the screen's token. Anything else (a screen of another skill, a stale or unknown action) is
answered like words the skill did not understand.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from ..core import dialog
from ..core.screens import TOUCH_ANSWER, TOUCH_MEMBER
from ..core.turns import Reply, Turn
from .turns import DialogHandler

logger = logging.getLogger(__name__)

USER_EVENT = "Alexa.Presentation.APL.UserEvent"
#: The core function answering choice n (counted from 1) of the question on the screen `token`:
#: each question format registers its own, e.g. `ANSWERS["quiz_question"] = quiz.answer_choice`.
ANSWERS: dict[str, Callable[[Turn, int], Reply]] = {}


def touched(turn: Turn, token: object, arguments: list[Any]) -> Reply:
    """The reply to a touch on screen `token` that sent `arguments`."""
    action = arguments[0] if arguments else None
    value = arguments[1] if len(arguments) > 1 else None
    if action == TOUCH_MEMBER and isinstance(value, str) and turn.manifest.member(value) is not None:
        return dialog.member_intro(turn, turn.manifest.member(value))
    answer = ANSWERS.get(token) if isinstance(token, str) else None
    if action == TOUCH_ANSWER and answer is not None and _choice(value) is not None:
        return answer(turn, _choice(value))  # type: ignore[arg-type]
    logger.info("touch %r on screen %r answered as not understood", action, token)
    return dialog.fallback(turn)


def _choice(value: object) -> int | None:
    """A choice number as the document sends it (a number, or its digits as text)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value >= 1 else None
    if isinstance(value, float) and value.is_integer() and value >= 1:
        return int(value)
    if isinstance(value, str) and value.strip().isdigit() and int(value) >= 1:
        return int(value)
    return None


class TouchHandler(DialogHandler):
    """Alexa.Presentation.APL.UserEvent: a touch on one of the skill's screens."""

    request_type = USER_EVENT
    uses_state = True

    def answer(self, handler_input, turn):
        request = handler_input.request_envelope.request
        arguments = getattr(request, "arguments", None)
        return touched(turn, getattr(request, "token", None), list(arguments) if isinstance(arguments, list) else [])


HANDLERS = (TouchHandler,)

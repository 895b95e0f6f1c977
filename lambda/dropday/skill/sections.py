"""Handlers of the section formats: a section on request, what's new, the band, unlocks, the album."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..core import dialog
from ..core.campaign.model import Manifest
from .handlers import member_slot
from .turns import DialogHandler, resolved_slot

if TYPE_CHECKING:
    from ask_sdk_core.handler_input import HandlerInput


class SectionIntentHandler(DialogHandler):
    """SectionIntent: "play something from backstage", "a studio story from Rui"."""

    intents = ("SectionIntent",)
    uses_state = True

    def answer(self, handler_input, turn):
        section_id, spoken_section = section_slot(handler_input, turn.manifest)
        member_id, spoken_member = member_slot(handler_input, turn.manifest)
        return dialog.section_request(turn, turn.manifest.section(section_id), member_id,
                                      section_not_recognised=bool(spoken_section) and section_id is None,
                                      member_not_recognised=bool(spoken_member) and member_id is None)


class WhatsNewIntentHandler(DialogHandler):
    """WhatsNewIntent: the newest pieces the listener has not heard."""

    intents = ("WhatsNewIntent",)
    uses_state = True

    def answer(self, handler_input, turn):
        return dialog.whats_new(turn)


class BandIntentHandler(DialogHandler):
    """BandIntent: "who's in the band?"."""

    intents = ("BandIntent",)
    uses_state = True

    def answer(self, handler_input, turn):
        return dialog.lineup(turn)


class MemberIntroIntentHandler(DialogHandler):
    """MemberIntroIntent: "tell me about Noor"."""

    intents = ("MemberIntroIntent",)
    uses_state = True

    def answer(self, handler_input, turn):
        member_id, _ = member_slot(handler_input, turn.manifest)
        return dialog.member_intro(turn, turn.manifest.member(member_id))


class UnlockedIntentHandler(DialogHandler):
    """UnlockedIntent: "what have I unlocked?"."""

    intents = ("UnlockedIntent",)
    uses_state = True

    def answer(self, handler_input, turn):
        return dialog.unlocked(turn)


class ListenIntentHandler(DialogHandler):
    """ListenIntent: "play the album", "how can I listen to it?"."""

    intents = ("ListenIntent",)
    uses_state = True

    def answer(self, handler_input, turn):
        return dialog.listen(turn)


def section_slot(handler_input: HandlerInput, manifest: Manifest) -> tuple[str | None, str | None]:
    """The section id the listener named in the `section` slot, and the words they said."""
    def find(words: str) -> str | None:
        section = manifest.section(words) or manifest.find_section(words)
        return section.id if section else None

    return resolved_slot(handler_input, "section", find)


HANDLERS = (SectionIntentHandler, WhatsNewIntentHandler, BandIntentHandler, MemberIntroIntentHandler,
            UnlockedIntentHandler, ListenIntentHandler)

"""Reading a version-1 manifest: its data moved, in memory, into the version-2 shape.

Version 1 had one list of `tips:` and one table of `speech:`. Version 2 has sections of pieces and
`sentences:`. A version-1 file is still served: its tips become the section `tips`, which answers
tip requests and keeps the tips' ids (so listeners keep what they heard), and its sentences move
to their version-2 names. `UPGRADE_NOTES` says what changed, for `dropday validate`.
"""

from __future__ import annotations

from collections.abc import Mapping

from ..model import ANSWERS_TIPS

TIPS_SECTION = "tips"
#: Version-1 sentences renamed in version 2.
_RENAMED = {
    "tip_intro": "tips_piece_intro",
    "offer_another_tip": "tips_offer_another_piece",
    "reprompt_another_tip": "tips_reprompt_another_piece",
    "member_has_nothing_new": "tips_member_has_nothing_new",
    "ask_tip_or_countdown": "ask_what_next",
    "reprompt_tip_or_countdown": "reprompt_what_next",
    "no_tips_available": "nothing_available",
    "offer_tip_after_countdown": "offer_after_countdown",
    "offer_tip_after_release": "offer_after_release",
}
#: Version-1 sentences version 2 says differently; their default wording is used.
_DROPPED = ("welcome_back_one_new", "welcome_back_many_new")
UPGRADE_NOTES = (
    "schema_version 1 is read as version 2: `tips:` became the section `tips` (answers tip requests), "
    "`speech:` became `sentences:` with new names for some sentences (tip_intro is tips_piece_intro...), and "
    "welcome_back_one_new and welcome_back_many_new give way to welcome_back_news (its default wording is used). "
    "To move the file, see the README's \"Moving a version 1 campaign\""
)


def upgraded(data: Mapping[str, object]) -> dict[str, object]:
    """A version-1 document in the version-2 shape (entries of the wrong shape are carried over
    as they are, for the parser to report)."""
    doc = {key: value for key, value in data.items() if key not in ("tips", "speech")}
    doc["schema_version"] = 2
    speech = data.get("speech")
    if isinstance(speech, Mapping):
        sentences: dict[str, object] = {}
        for table_name, table in speech.items():
            if not isinstance(table, Mapping):
                sentences[table_name] = table
                continue
            moved = {}
            for name, text in table.items():
                if name not in _DROPPED:
                    moved[_RENAMED.get(name, name)] = text
            sentences[table_name] = moved
        doc["sentences"] = sentences
    elif "speech" in data:
        doc["sentences"] = speech
    if "tips" in data:
        doc["sections"] = [{"id": TIPS_SECTION, "name": "tips", "synonyms": ["tip"], "answers": ANSWERS_TIPS,
                            "pieces": data["tips"]}]
    return doc


def original_path(path: str) -> str:
    """A version-2 place as it is written in the version-1 file (for messages and lines)."""
    prefix = "sections[0].pieces"
    if path.startswith(prefix):
        return "tips" + path[len(prefix):]
    if path.startswith("sections"):
        return "tips"
    if path.startswith("sentences"):
        back = {v2: v1 for v1, v2 in _RENAMED.items()}
        parts = path.split(".")
        if len(parts) >= 3:
            parts[2] = back.get(parts[2], parts[2])
        return ".".join(["speech", *parts[1:]])
    return path

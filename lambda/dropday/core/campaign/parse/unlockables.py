"""Parser for `unlockables:`: exclusives hidden until a listener meets a condition."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from ..model import UNLOCK_CONDITIONS, Condition, Localized, Recording, Section, Unlockable
from .reader import Reader


def unlockables(r: Reader, value: object, path: str, sections: tuple[Section, ...],
                campaign_days: tuple[date | None, date] | None = None, public: str = "") -> tuple[Unlockable, ...]:
    """`unlockables:`.

    Args:
        campaign_days: the campaign's first day (if known) and last day, so that conditions that
            can never be met are reported.
        public: words everybody knows (the artist and album), which a hint may use.
    """
    found: list[Unlockable] = []
    for i, entry in enumerate(r.sequence(value, path)):
        here = f"{path}[{i}]"
        item = r.mapping(entry, here, required=("id", "name", "when", "transcript"),
                         optional=("hint", *r.RECORDING_KEYS))
        unlock_id = r.optional(item, "id", here, r.identifier, default="")
        if unlock_id and any(u.id == unlock_id for u in found):
            r.problem(f"{here}.id", f"`{unlock_id}` is used by another unlockable", "give each unlockable its own id")
        name = r.optional(item, "name", here, r.localized, default=Localized(""))
        when = condition(r, item["when"], f"{here}.when", sections, campaign_days) if "when" in item else Condition("never")
        recording = r.recording(item, here)
        hint = r.optional(item, "hint", here, r.localized)
        if hint is not None:
            _check_hint(r, f"{here}.hint", hint, recording, public)
        found.append(Unlockable.keyed(unlock_id, name, when, recording, hint))
    return tuple(found)


def condition(r: Reader, value: object, path: str, sections: tuple[Section, ...],
              campaign_days: tuple[date | None, date] | None) -> Condition:
    """`when:`: exactly one of the conditions of `UNLOCK_CONDITIONS`."""
    kinds = ", ".join(f"`{k}`" for k in UNLOCK_CONDITIONS)
    if not isinstance(value, Mapping) or len(value) != 1:
        r.problem(path, "must name exactly one condition", f"write one of {kinds}, e.g. `when: {{visit_days: 3}}`")
        return Condition("never")
    [(kind, argument)] = value.items()
    here = f"{path}.{kind}"
    takes = UNLOCK_CONDITIONS.get(str(kind))
    if takes is None:
        r.problem(here, f"`{kind}` is not a condition", f"use one of {kinds}")
        return Condition("never")
    if takes == "section":
        section_id = r.text(argument, here)
        section = next((s for s in sections if s.id == section_id), None)
        if section_id and section is None:
            r.problem(here, f"`{section_id}` is not a section id",
                      f"use one of: {', '.join(s.id for s in sections) or '(no sections defined)'}")
        elif section is not None and not section.pieces:
            r.problem(here, f"section `{section_id}` has no pieces, so this can never unlock",
                      "add pieces to the section, or choose another condition")
        return Condition(str(kind), section=section_id)
    if takes == "count":
        count = r.count(argument, here)
        if kind == "visit_days" and count and campaign_days and campaign_days[0] \
                and count > (campaign_days[1] - campaign_days[0]).days + 1:
            span = (campaign_days[1] - campaign_days[0]).days + 1
            r.problem(here, f"{count} is more days than the campaign has ({span}, {campaign_days[0]} to "
                      f"{campaign_days[1]}), so this can never unlock", f"use at most {span}")
        return Condition(str(kind), count=count)
    if takes == "day":
        day = r.day(argument, here)
        if day and campaign_days and day > campaign_days[1]:
            r.problem(here, f"{day} is after the campaign's last day ({campaign_days[1]}), so this can never unlock",
                      "choose a date within the campaign")
        return Condition(str(kind), day=day)
    if r.flag(argument, here) is False and argument is False:
        r.problem(here, "is false, so this can never unlock", f"write `{kind}: true`, or choose another condition")
    return Condition(str(kind))


def _check_hint(r: Reader, path: str, hint: Localized, content: Recording, public: str) -> None:
    """A hint must not give away what it hides: no run of three words of the content that is not
    made only of words everybody knows (the artist's and album's names, placeholders)."""
    known = set(_words(public)) | {"artist", "album"}
    hidden = [run for run in _runs(content.transcript.default) if not set(run) <= known]
    for locale, text in (("default", hint.default), *hint.by_locale.items()):
        words = _words(text)
        given = next((run for run in hidden if _contains(words, run)), None)
        if given:
            where = path if locale == "default" or not hint.by_locale else f"{path}.{locale}"
            r.problem(where, f"gives away the locked content (\"{' '.join(given)}\")",
                      "say how to unlock it, not what it says")
            return


def _words(text: str) -> list[str]:
    return "".join(ch.lower() if ch.isalnum() or ch.isspace() else " " for ch in text).split()


def _runs(text: str, length: int = 3) -> list[tuple[str, ...]]:
    words = _words(text)
    return [tuple(words[i:i + length]) for i in range(len(words) - length + 1)] or ([tuple(words)] if words else [])


def _contains(words: list[str], run: tuple[str, ...]) -> bool:
    return any(tuple(words[i:i + len(run)]) == run for i in range(len(words) - len(run) + 1))

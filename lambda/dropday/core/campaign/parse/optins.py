"""Parsers for `reminders:` and `draw:` (see `core.campaign.optins` for the shape)."""

from __future__ import annotations

import re
from datetime import date, time

from ..model import Condition, Localized, Section
from ..optins import REMINDER_KINDS, Draw, ReminderPlan, Reminders
from .reader import Reader, join
from .unlockables import condition

_TIME = re.compile(r"^(?P<hour>[01]?\d|2[0-3]):(?P<minute>[0-5]\d)$")
_LINK = re.compile(r"^https://[^\s/]+\.[^\s]+$")
DRAW_KEYS = ("prize", "when", "closes", "markets", "terms", "link")


def reminders(r: Reader, value: object, path: str) -> Reminders:
    """`reminders:`: `release_day` and/or `daily`, each with its `time` and `text`."""
    item = r.mapping(value, path, optional=REMINDER_KINDS)
    if isinstance(value, dict) and not item:
        r.problem(path, "offers no reminder", f"add `release_day:` or `daily:` under {path}, or remove it")
    plans = {}
    for kind in REMINDER_KINDS:
        if kind not in item:
            continue
        here = join(path, kind)
        entry = r.mapping(item[kind], here, required=("time", "text"))
        at = r.optional(entry, "time", here, lambda value, where: time_of_day(r, value, where))
        text = r.optional(entry, "text", here, r.localized, default=Localized(""))
        if at is not None:
            plans[kind] = ReminderPlan(kind, at, text)
    return Reminders(plans)


def time_of_day(r: Reader, value: object, path: str) -> time | None:
    """A time of day written "HH:MM" (24-hour clock)."""
    if isinstance(value, int) and not isinstance(value, bool):
        shown = f"{value // 60}:{value % 60:02d}" if 0 <= value < 24 * 60 else str(value)
        r.problem(path, f"reads as the number {value}, not a time (YAML turns an unquoted {shown} into a number)",
                  f'put the time in quotes, e.g. time: "{shown}"')
        return None
    match = _TIME.match(value.strip()) if isinstance(value, str) else None
    if match is None:
        r.problem(path, f"expected a time of day such as \"19:30\", found {value!r}",
                  'write the time as "HH:MM" on a 24-hour clock, in quotes, e.g. "09:00" or "19:30"')
        return None
    return time(int(match["hour"]), int(match["minute"]))


def draw(r: Reader, value: object, path: str, sections: tuple[Section, ...],
         campaign_days: tuple[date | None, date] | None = None) -> Draw | None:
    """`draw:`: the prize, who may enter, the closing day, the markets, the terms and their link."""
    item = r.mapping(value, path, required=DRAW_KEYS, optional=("hint",))
    if not item:
        return None
    prize = r.optional(item, "prize", path, r.localized, default=Localized(""))
    when = condition(r, item["when"], join(path, "when"), sections, campaign_days) if "when" in item \
        else Condition("never")
    closes = r.optional(item, "closes", path, r.day)
    markets = r.optional(item, "markets", path, r.locales, default=frozenset())
    if "markets" in item and isinstance(item["markets"], list) and not item["markets"]:
        r.problem(join(path, "markets"), "is empty, so the draw runs nowhere",
                  "list the locales where the draw is allowed to run, e.g. [en-GB]")
    terms = r.optional(item, "terms", path, r.localized, default=Localized(""))
    link = r.optional(item, "link", path, r.text, default="")
    if link and not _LINK.match(link):
        r.problem(join(path, "link"), f"`{link}` is not an https address",
                  "give the address of the full terms, starting with https://")
    hint = r.optional(item, "hint", path, r.localized)
    if closes is None:
        return None
    return Draw(prize, when, closes, markets, terms, link, hint)

"""Parsers for the campaign's fixed entries: the artist, the members, the album and the countdown."""

from __future__ import annotations

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ..model import MAX_SLOT_VALUE_LENGTH, Album, Member, Recording
from .reader import Reader, join


def artist_name(r: Reader, value: object, path: str) -> str:
    """`artist: {name}`."""
    item = r.mapping(value, path, required=("name",))
    return r.text(item["name"], join(path, "name")) if "name" in item else ""


def invocation_name(r: Reader, value: object, path: str) -> str:
    """`invocation_name`: lowercase words, as Alexa requires (the interaction models check the rest)."""
    text = r.text(value, path)
    if text and (text != text.lower() or any(ch.isdigit() for ch in text)):
        r.problem(path, f"`{text}` must be lowercase words (numbers spelled out)",
                  "write it as listeners say it, e.g. lantern foxes")
    return text


def members(r: Reader, value: object, path: str) -> tuple[Member, ...]:
    """`members:`: id, name, synonyms and an optional recorded `intro` per member."""
    found: list[Member] = []
    spoken: dict[str, str] = {}
    entries = r.sequence(value, path)
    if isinstance(value, list) and not entries:
        r.problem(path, "is empty", "list the band members, or remove `members:` for a solo artist")
    for i, entry in enumerate(entries):
        here = f"{path}[{i}]"
        item = r.mapping(entry, here, required=("id", "name"), optional=("synonyms", "intro", "photo"))
        member_id = r.optional(item, "id", here, r.identifier, default="")
        name = r.optional(item, "name", here, r.text, MAX_SLOT_VALUE_LENGTH, default="")
        synonyms = r.optional(item, "synonyms", here, r.words, MAX_SLOT_VALUE_LENGTH, default=())
        intro = r.optional(item, "intro", here, r.sentence)
        photo = r.optional(item, "photo", here, r.image)
        if member_id and any(m.id == member_id for m in found):
            r.problem(f"{here}.id", f"`{member_id}` is used by another member", "give each member its own id")
        for j, word in enumerate((name, *synonyms)):
            where = f"{here}.name" if j == 0 else f"{here}.synonyms[{j - 1}]"
            owner = spoken.setdefault(word.lower(), member_id)
            if word and owner != member_id:
                r.problem(where, f"`{word}` also names member `{owner}`", "a name or synonym may belong to one member only")
        found.append(Member(member_id, name, synonyms, intro, photo))
    return tuple(found)


def album(r: Reader, value: object, path: str) -> Album | None:
    """`album: {title, release_date, default_time_zone, cover}`."""
    item = r.mapping(value, path, required=("title", "release_date", "default_time_zone"), optional=("cover",))
    title = r.optional(item, "title", path, r.text, default="")
    release = r.optional(item, "release_date", path, r.day)
    zone = r.optional(item, "default_time_zone", path, r.text, default="")
    if zone:
        try:
            ZoneInfo(zone)
        except (ZoneInfoNotFoundError, ValueError):
            r.problem(f"{path}.default_time_zone", f"`{zone}` is not an IANA time zone",
                      "use a name such as Europe/London or America/New_York")
    cover = r.optional(item, "cover", path, r.image)
    return Album(title, release, zone, cover) if release else None


def countdown(r: Reader, value: object, path: str) -> tuple[dict[int, Recording], Recording | None]:
    """`countdown: {lines, out_now}`: recorded lines for particular days to go, and after release."""
    item = r.mapping(value, path, optional=("lines", "out_now"))
    lines: dict[int, Recording] = {}
    for i, entry in enumerate(r.sequence(item.get("lines", []), f"{path}.lines")):
        here = f"{path}.lines[{i}]"
        line = r.mapping(entry, here, required=("days_to_go", "transcript"), optional=("audio", "locales"))
        days = line.get("days_to_go")
        if "days_to_go" in line and (type(days) is not int or days < 0):
            r.problem(f"{here}.days_to_go", f"expected a whole number of days, found {days!r}",
                      "write 0 for release day, 1 for the day before, and so on")
            continue
        if days in lines:
            r.problem(f"{here}.days_to_go", f"{days} already has a line", "keep one line per day")
        lines[days] = r.recording(line, here)
    out_now = None
    if "out_now" in item:
        here = f"{path}.out_now"
        out_now = r.recording(r.mapping(item["out_now"], here, required=("transcript",),
                                        optional=("audio", "locales")), here)
    return lines, out_now


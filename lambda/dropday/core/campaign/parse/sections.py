"""Parser for `sections:` and their pieces."""

from __future__ import annotations

from ..model import ANSWERS_TIPS, MAX_SLOT_VALUE_LENGTH, Localized, Piece, Section, Window, content_key
from ..sentences import SENTENCES, Sentences
from .reader import Reader
from .sentences import sentence_tables

#: The sentences a section may say its own way.
SECTION_SENTENCES = {name: spec for name, spec in SENTENCES.items() if spec.section}
PIECE_KEYS = ("id", "member", "audio", "transcript", "available", "locales", "title", "track", "art")


def sections(r: Reader, value: object, path: str, member_ids: set[str]) -> tuple[Section, ...]:
    """`sections:`: each with its names, what it answers, its own sentences and its pieces."""
    found: list[Section] = []
    spoken: dict[str, str] = {}
    piece_ids: dict[str, str] = {}      # piece id -> section id
    ids_by_key: dict[str, str] = {}
    for i, entry in enumerate(r.sequence(value, path)):
        here = f"{path}[{i}]"
        item = r.mapping(entry, here, required=("id", "name", "pieces"),
                         optional=("synonyms", "answers", "sentences", "long_form", "autoplay", "art"))
        section_id = r.optional(item, "id", here, r.identifier, default="")
        if section_id and any(s.id == section_id for s in found):
            r.problem(f"{here}.id", f"`{section_id}` is used by another section", "give each section its own id")
        name = r.optional(item, "name", here, r.text, MAX_SLOT_VALUE_LENGTH, default="")
        synonyms = r.optional(item, "synonyms", here, r.words, MAX_SLOT_VALUE_LENGTH, default=())
        for j, word in enumerate((name, *synonyms)):
            where = f"{here}.name" if j == 0 else f"{here}.synonyms[{j - 1}]"
            owner = spoken.setdefault(word.lower(), section_id)
            if word and owner != section_id:
                r.problem(where, f"`{word}` also names section `{owner}`",
                          "a name or synonym may belong to one section only")
        answers = r.optional(item, "answers", here, r.text)
        if answers is not None and answers != ANSWERS_TIPS:
            r.problem(f"{here}.answers", f"`{answers}` is not something a section can answer",
                      f"write `answers: {ANSWERS_TIPS}` to make \"give me a tip\" play this section, or remove it")
        elif answers and any(s.answers == ANSWERS_TIPS for s in found):
            r.problem(f"{here}.answers", "another section already answers tip requests",
                      "keep `answers: tips` on one section only")
        own = sentence_tables(r, item["sentences"], f"{here}.sentences", SECTION_SENTENCES) \
            if "sentences" in item else None
        long_form, autoplay = long_form_flags(r, item, here, answers)
        pieces = tuple(piece(r, entry, f"{here}.pieces[{j}]", section_id, member_ids, piece_ids, ids_by_key,
                             long_form)
                       for j, entry in enumerate(r.sequence(item.get("pieces", []), f"{here}.pieces")))
        if long_form:
            tracks(r, pieces, f"{here}.pieces")
        art = r.optional(item, "art", here, r.image)
        found.append(Section(section_id, name, synonyms, pieces, answers or None,
                             Sentences(own) if own is not None else None, long_form, autoplay, art))
    return tuple(found)


def long_form_flags(r: Reader, item, path: str, answers: str | None) -> tuple[bool, bool]:
    """`long_form:` (the pieces are streamed episodes) and `autoplay:` (the next one follows)."""
    long_form = r.optional(item, "long_form", path, r.flag, default=False)
    autoplay = r.optional(item, "autoplay", path, r.flag, default=False)
    if autoplay and not long_form:
        r.problem(f"{path}.autoplay", "plays the next episode on its own, but this section is not long-form",
                  "add `long_form: true` to the section, or remove `autoplay`")
    if long_form and answers:
        r.problem(f"{path}.long_form", "a long-form section cannot answer tip requests (its episodes are streamed, "
                  "tips are spoken)", "remove `answers: tips` from this section, or `long_form: true`")
    return long_form, autoplay and long_form


def tracks(r: Reader, pieces: tuple[Piece, ...], path: str) -> None:
    """Each track number of a long-form section belongs to one episode."""
    owners: dict[int, str] = {}
    for j, found in enumerate(pieces):
        if found.track is not None and owners.setdefault(found.track, found.id) != found.id:
            r.problem(f"{path}[{j}].track", f"track {found.track} is also the track of episode `{owners[found.track]}`",
                      "give each episode its own track number, or leave `track` out")


def piece(r: Reader, entry: object, path: str, section_id: str, member_ids: set[str],
          piece_ids: dict[str, str], ids_by_key: dict[str, str], long_form: bool = False) -> Piece:
    """One piece: a recording, optionally by a member, in a window, titled; an episode of a long-form
    section may name its album track and stream MP3 or AAC."""
    item = r.mapping(entry, path, required=("id", "transcript"), optional=PIECE_KEYS)
    piece_id = r.optional(item, "id", path, r.identifier, default="")
    key = content_key(piece_id)
    if piece_id in piece_ids:
        where = "this section" if piece_ids[piece_id] == section_id else f"section `{piece_ids[piece_id]}`"
        r.problem(f"{path}.id", f"`{piece_id}` is used by another piece in {where}",
                  "give each piece its own id, across all sections (listeners' progress remembers ids)")
    elif piece_id:
        piece_ids[piece_id] = section_id
        other = ids_by_key.setdefault(key, piece_id)
        if other != piece_id:
            r.problem(f"{path}.id", f"`{piece_id}` and `{other}` share a storage key (a one-in-billions clash)",
                      "rename one of the two pieces, e.g. add a digit")
    member = r.optional(item, "member", path, r.text)
    if member and member not in member_ids:
        r.problem(f"{path}.member", f"`{member}` is not a member id",
                  f"use one of: {', '.join(sorted(member_ids)) or '(no members defined)'}")
    window = r.optional(item, "available", path, r.window, default=Window())
    title = r.optional(item, "title", path, r.localized)
    track = r.optional(item, "track", path, r.count)
    if "track" in item and not long_form:
        r.problem(f"{path}.track", "names an album track, but only episodes of a long-form section have one",
                  "add `long_form: true` to the section, or remove `track`")
    if long_form and "audio" not in item:
        r.problem(f"{path}.audio", "is missing: an episode of a long-form section is streamed, so it needs its "
                  "recording", "add `audio:` with the episode's MP3 or AAC file (convert it with "
                  "`dropday audio convert --long-form`)")
    if long_form and "locales" in item:
        r.problem(f"{path}.locales", "limits an episode to some locales, but episodes stream everywhere (an "
                  "episode's transcript is too long to be read aloud instead)", "remove `locales:`")
    art = r.optional(item, "art", path, r.image)
    return Piece(piece_id, section_id, r.recording(item, path, stream=long_form), member or None, window,
                 title if isinstance(title, Localized) else None, track if long_form else None, art, key)

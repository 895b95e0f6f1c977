"""Check manifest data and build a `Manifest`, reporting every problem at once.

A manifest arrives as plain data (a dict, as YAML or JSON loads it). Each kind of entry has its
own parser module; `parse_manifest` runs them all and raises `ManifestError` listing each problem
with its place in the file, what is wrong and how to fix it.
"""

from __future__ import annotations

from ..model import SCHEMA_VERSION, Manifest
from typing import NamedTuple

from ..problems import ManifestError, Place, Problem
from . import campaign, optins, quiz, sections, unlockables
from .reader import Reader
from .sentences import campaign_sentences
from .upgrade import original_path, upgraded

#: Top-level keys of a version-2 manifest: required, then optional.
REQUIRED = ("schema_version", "campaign", "artist", "album")
OPTIONAL = ("invocation_name", "members", "sections", "unlockables", "countdown", "sentences", "quiz", "daily",
            "reminders", "draw")


class ParsedCampaign(NamedTuple):
    """What the parser made of a document, whether or not it could be used.

    Attributes:
        manifest: the campaign; None when there is any problem.
        problems: everything wrong with it.
        places: what a listener hears, where it is written (for `dropday validate`'s checks,
            which run on the parsed campaign rather than walking the YAML again).
    """

    manifest: Manifest | None
    problems: tuple[Problem, ...]
    places: tuple[Place, ...]


def parse_places(data: object) -> ParsedCampaign:
    """Parse `data` as `parse_manifest` does, never raising, and keep where each text, recording
    and sentence was read (places of a version-1 file are given as written in it)."""
    version = data.get("schema_version") if isinstance(data, dict) else None
    from_v1 = type(version) is int and version == 1
    r = Reader()
    manifest = _manifest(r, upgraded(data) if from_v1 else data)
    problems = r.problems or ([] if manifest is not None else
                              [Problem("", "is empty", "start from audio_manifest/lantern-foxes.yaml")])
    places = r.places
    if from_v1:
        problems = [Problem(original_path(p.path), p.message, p.fix, p.line) for p in problems]
        places = [p._replace(path=original_path(p.path)) for p in places]
        manifest = manifest._replace(source_version=1) if manifest is not None else None
    return ParsedCampaign(None if problems else manifest, tuple(problems), tuple(places))


def parse_manifest(data: object, source: str = "<manifest>") -> Manifest:
    """Check manifest data and build a `Manifest` from it.

    Args:
        data: the loaded YAML or JSON document (version 2, or version 1, read as version 2).
        source: the file name, used in error messages.

    Returns:
        The campaign, fully validated.

    Raises:
        ManifestError: listing every problem found, never only the first.
    """
    parsed = parse_places(data)
    if parsed.manifest is None:
        raise ManifestError(parsed.problems, source)
    return parsed.manifest


def _manifest(r: Reader, data: object) -> Manifest | None:
    doc = r.mapping(data, "", required=REQUIRED, optional=OPTIONAL)
    if not doc:
        return None
    version = doc.get("schema_version")
    if "schema_version" in doc and not (type(version) is int and version in (1, SCHEMA_VERSION)):
        r.problem("schema_version", f"is {version!r}; this skill reads versions 1 and {SCHEMA_VERSION}",
                  f"set `schema_version: {SCHEMA_VERSION}`")
    source_version = version if type(version) is int and version in (1, SCHEMA_VERSION) else SCHEMA_VERSION
    campaign_id = r.optional(doc, "campaign", "", r.identifier, default="")
    artist = _entry(r, doc, "artist", campaign.artist_name, default="")
    invocation = _entry(r, doc, "invocation_name", campaign.invocation_name)
    members = _entry(r, doc, "members", campaign.members, default=())
    album = _entry(r, doc, "album", campaign.album)
    found_sections = _entry(r, doc, "sections", sections.sections, {m.id for m in members}, default=())
    lines, out_now = _entry(r, doc, "countdown", campaign.countdown, default=({}, None))
    sentences = campaign_sentences(r, doc.get("sentences"), "sentences")
    first_day = min((p.window.start for s in found_sections for p in s.pieces if p.window.start), default=None)
    last_day = max([album.release_date, *(p.window.end for s in found_sections for p in s.pieces if p.window.end)]) \
        if album else None
    found_unlockables = _entry(r, doc, "unlockables", unlockables.unlockables, found_sections,
                                   (first_day, last_day) if last_day else None,
                                   f"{artist} {album.title if album else ''}", default=())
    found_quiz, found_daily = quiz.entries(r, doc, found_unlockables)
    found_reminders = _entry(r, doc, "reminders", optins.reminders)
    found_draw = _entry(r, doc, "draw", optins.draw, found_sections, (first_day, last_day) if last_day else None)
    if album is None or r.problems:
        return None
    return Manifest(campaign_id, artist, album, members, found_sections, lines, out_now, sentences,
                    found_unlockables, invocation, source_version, quiz=found_quiz, daily=found_daily,
                    reminders=found_reminders, draw=found_draw)


def _entry(r: Reader, doc, key: str, parse, *args, default=None):
    """`parse(r, doc[key], key, *args)` when the top-level entry `key` is there, else `default`."""
    return parse(r, doc[key], key, *args) if key in doc else default


__all__ = ["ManifestError", "ParsedCampaign", "Place", "Problem", "parse_manifest", "parse_places"]

"""Rules for the words in a manifest: SSML-safe, questions that end as questions, locales that exist.

(Invisible characters and SSML markup are the parser's checks, `core.texts`, so that the cold start
and the build refuse them too.)

The checks run on what the parser read, with the place it read each text from
(`core.campaign.parse.parse_places`), so a new kind of entry is checked as soon as the parser reads
it; they run even when the parser rejects the manifest, so the content team sees every problem at once.
"""

from __future__ import annotations

import string
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass

from ..core.campaign import SENTENCES, Manifest, Recording, Sentence
from ..core.campaign.parse import Place
from ..core.campaign.parse.sentences import package_defaults
from ..core.speech import say
from ..core.texts import invisible_characters

_CLOSING_QUOTES = "\"'”’»)"
#: Sample words for placeholders, as long as a manifest's longest would be.
_SAMPLE = "Wolfgang Amadeus Mozart-Smith"


@dataclass(frozen=True)
class TextProblem:
    """A problem with the text at `path`."""

    path: str
    message: str
    fix: str


class _Samples(dict):
    """Every placeholder filled with a long sample word."""

    def __missing__(self, key: str) -> str:
        return _SAMPLE


def ssml_problems(places: Iterable[Place]) -> Iterator[TextProblem]:
    """Texts that would not survive as SSML.

    Each text is filled in with sample values and rendered exactly as the skill renders it
    (`speech.say(text).ssml()`), then parsed as XML. Texts with invisible characters are left to
    the parser, which reports them.
    """
    for place in places:
        if place.kind != "text" or invisible_characters(place.value):
            continue
        try:
            filled = string.Formatter().vformat(place.value, (), _Samples())
        except (KeyError, IndexError, ValueError, AttributeError):
            filled = place.value  # a placeholder problem, which the parser reports
        try:
            ET.fromstring(say(filled).ssml())
        except (ET.ParseError, UnicodeError) as exc:
            yield TextProblem(place.path, f"would make invalid SSML ({exc})", "remove unusual characters from the text")


def question_problems(places: Iterable[Place]) -> Iterator[TextProblem]:
    """Sentences the skill asks with and then waits for an answer that do not end with '?'."""
    for place in places:
        if place.kind != "sentence" or not SENTENCES[place.name].asks:
            continue
        for i, variant in enumerate(place.value.variants):
            text = variant.recording.transcript.default
            if not text or text.strip().rstrip(_CLOSING_QUOTES).endswith("?"):
                continue
            path = place.path if len(place.value.variants) == 1 else f"{place.path}[{i}]"
            yield TextProblem(path, "does not end with a question mark, but the skill asks it "
                              "and then waits for an answer (Alexa's certification requires a question there)",
                              f"phrase it as a question ending in '?', e.g. {_as_question(text)!r}")


def locale_problems(places: Iterable[Place], manifest: Manifest, model_locales: frozenset[str]) -> Iterator[TextProblem]:
    """Locales the manifest names but the skill does not run in, and languages without their own words.

    Args:
        places: what the parser read, with its places.
        manifest: the parsed campaign.
        model_locales: the locales with an interaction model; empty when they are unknown.
    """
    if not model_locales:
        return
    places = list(places)
    known = ", ".join(sorted(model_locales))
    unknown_fix = f"use one of the skill's locales ({known}), or add the locale first (README: add a locale)"
    for path, locale in _named_locales(places):
        if locale not in model_locales:
            yield TextProblem(path, f"names the locale {locale}, which has no interaction model, so no listener "
                              "ever hears this", unknown_fix)
    defaults = package_defaults()
    for locale in sorted(model_locales):
        language = locale.split("-")[0]
        if language == "en":
            continue
        own = manifest.sentences.tables.get(locale, {})
        for name in SENTENCES:
            if name not in own and name not in defaults.get(language, {}):
                yield TextProblem(f"sentences.{locale}.{name}", f"is missing: {locale} is not English, and dropday "
                                  f"has no default wording in its language yet, so the English would be said",
                                  f"add `{name}:` under `sentences: {locale}:`")
        for place in places:
            recording = place.value
            if place.kind != "recording" or not isinstance(recording, Recording):
                continue
            if recording.audio_for(locale) and locale not in recording.transcript.by_locale:
                yield TextProblem(f"{place.path}.transcript.{locale}", f"is missing: the clip plays in {locale}, "
                                  "which needs a transcript in its own language", f"add `{locale}:` under "
                                  "`transcript:` (with the English under `default:`)")


def _named_locales(places: list[Place]) -> Iterator[tuple[str, str]]:
    """(place, locale) of every locale the manifest names: sentence tables, transcripts, clip locales."""
    seen: set[str] = set()
    for place in places:
        if place.kind == "sentence":
            parts = place.path.split(".")
            table = parts[-2] if len(parts) >= 2 else ""
            prefix = ".".join(parts[:-1])
            if table not in ("default", "sentences", "speech") and prefix not in seen and "-" in table:
                seen.add(prefix)
                yield prefix, table
        elif place.kind == "recording" and isinstance(place.value, Recording):
            for locale in place.value.transcript.by_locale:
                yield f"{place.path}.transcript.{locale}", locale
            for locale in sorted(place.value.locales or ()):
                yield f"{place.path}.locales", locale


def sentence_places(places: Iterable[Place]) -> Mapping[tuple[str, str], str]:
    """(table, sentence name) -> the place it is written, for the campaign's `sentences:` tables."""
    found = {}
    for place in places:
        if place.kind == "sentence" and place.path.startswith(("sentences.", "speech.")):
            table = place.path.split(".")[1]
            found[(table, place.name)] = place.path
    return found


def recording_places(places: Iterable[Place]) -> Mapping[int, str]:
    """id(recording) -> the place it is written (the entry holding `audio` and `transcript`)."""
    return {id(p.value): p.path for p in places if p.kind == "recording"}


def longest_variant(sentence: Sentence) -> Sentence:
    """`sentence` reduced to its variant with the most words (for limits checked on the longest answer)."""
    return Sentence((max(sentence.variants, key=lambda v: len(v.recording.transcript.default)),))


def _as_question(text: str) -> str:
    return text.strip().rstrip(".!…").rstrip() + "?"

"""Rules for the words in a manifest: SSML-safe, questions that end as questions, locales that exist.

(Invisible characters and SSML markup are the parser's checks, `core.texts`, so that the cold start
and the build refuse them too.)

Texts are read from the loaded YAML, so every one keeps its YAML path for the message, and parts of
the wrong shape are skipped (the parser reports those): these checks run even when the parser
rejects the manifest, so the content team sees every problem in one go.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from ..core.manifest import DEFAULT, PHRASES, Manifest
from ..core.speech import say
from ..core.texts import invisible_characters

#: Sentences the skill ends a turn with and then waits for an answer: they must be questions.
QUESTION_KEYS = tuple(k for k in PHRASES if k.startswith(("ask_", "offer_", "reprompt_")))
_CLOSING_QUOTES = "\"'”’»)"


@dataclass(frozen=True)
class TextProblem:
    """A problem with the text at `path`."""

    path: str
    message: str
    fix: str


def spoken_texts(data: object) -> Iterator[tuple[str, str]]:
    """(YAML path, text) of everything Alexa may say from the manifest, skipping parts of the wrong shape."""
    data = _mapping(data)
    yield from _text(_mapping(data.get("artist")).get("name"), "artist.name")
    for i, member in enumerate(_list(data.get("members"))):
        yield from _text(_mapping(member).get("name"), f"members[{i}].name")
    yield from _text(_mapping(data.get("album")).get("title"), "album.title")
    for path, value in _transcripts(data):
        yield from _localized(value, path)
    for table, sentences in _mapping(data.get("speech")).items():
        for key, text in _mapping(sentences).items():
            yield from _text(text, f"speech.{table}.{key}")


def sample_values(data: object) -> dict[str, object]:
    """Values for every placeholder, as long as the manifest's own (the longest member name)."""
    data = _mapping(data)
    names = [str(_mapping(m).get("name")) for m in _list(data.get("members")) if _mapping(m).get("name")]
    longest = max(names, key=len, default="Ada")
    return {"artist": str(_mapping(data.get("artist")).get("name", "The Band")),
            "album": str(_mapping(data.get("album")).get("title", "The Album")),
            "member": longest, "other_member": longest, "count": 12, "days": 30, "hours": 23}


def ssml_problems(data: object) -> Iterator[TextProblem]:
    """Texts that would not survive as SSML.

    Each text is filled in with sample values and rendered exactly as the skill renders it
    (`speech.say(text).ssml()`), then parsed as XML. Texts with invisible characters are left to
    the parser, which reports them.
    """
    samples = sample_values(data)
    for path, text in spoken_texts(data):
        if invisible_characters(text):
            continue
        try:
            filled = text.format(**samples)
        except (KeyError, IndexError, ValueError):
            filled = text  # a placeholder problem, which the parser reports
        try:
            ET.fromstring(say(filled).ssml())
        except (ET.ParseError, UnicodeError) as exc:
            yield TextProblem(path, f"would make invalid SSML ({exc})", "remove unusual characters from the text")


def question_problems(data: object) -> Iterator[TextProblem]:
    """Sentences the skill asks with (ask_*, offer_*, reprompt_*) that do not end with '?'."""
    for table, sentences in _mapping(_mapping(data).get("speech")).items():
        for key in QUESTION_KEYS:
            text = _mapping(sentences).get(key)
            if not isinstance(text, str) or text.strip().rstrip(_CLOSING_QUOTES).endswith("?"):
                continue
            yield TextProblem(f"speech.{table}.{key}", "does not end with a question mark, but the skill asks it "
                              "and then waits for an answer (Alexa's certification requires a question there)",
                              f"phrase it as a question ending in '?', e.g. {_as_question(text)!r}")


def locale_problems(data: Mapping, manifest: Manifest, model_locales: frozenset[str]) -> Iterator[TextProblem]:
    """Locales the manifest names but the skill does not run in, and languages without their own text.

    Args:
        data: the loaded manifest.
        manifest: the parsed manifest.
        model_locales: the locales with an interaction model; empty when they are unknown.
    """
    if not model_locales:
        return
    known = ", ".join(sorted(model_locales))
    unknown_fix = f"use one of the skill's locales ({known}), or add the locale first (README: add a locale)"
    for path, locale in _named_locales(_mapping(data)):
        if locale not in model_locales:
            yield TextProblem(path, f"names the locale {locale}, which has no interaction model, so no listener "
                              "ever hears this", unknown_fix)
    default_language = "en"
    for locale in sorted(model_locales):
        if locale.split("-")[0] == default_language:
            continue
        table = data["speech"].get(locale) or {}
        for key in PHRASES:
            if key not in table:
                yield TextProblem(f"speech.{locale}.{key}", f"is missing: {locale} is not English, so the English "
                                  "default cannot stand in for it", f"add `{key}:` under `speech: {locale}:`")
        for i, tip in enumerate(manifest.tips):
            plays_here = tip.audio and (tip.locales is None or locale in tip.locales)
            transcript = data["tips"][i]["transcript"]
            if plays_here and not (isinstance(transcript, Mapping) and locale in transcript):
                yield TextProblem(f"tips[{i}].transcript.{locale}", f"is missing: the clip plays in {locale}, which "
                                  "needs a transcript in its own language", f"add `{locale}:` under the tip's "
                                  "`transcript:` (with the English under `default:`)")


def _named_locales(data: Mapping) -> Iterator[tuple[str, str]]:
    for table in _mapping(data.get("speech")):
        if table != DEFAULT:
            yield f"speech.{table}", str(table)
    for path, value in _transcripts(data):
        for key in _mapping(value):
            if key != DEFAULT:
                yield f"{path}.{key}", str(key)
    for i, tip in enumerate(_list(data.get("tips"))):
        for j, locale in enumerate(_list(_mapping(tip).get("locales"))):
            yield f"tips[{i}].locales[{j}]", str(locale)


def _transcripts(data: Mapping) -> Iterator[tuple[str, object]]:
    for i, tip in enumerate(_list(data.get("tips"))):
        yield f"tips[{i}].transcript", _mapping(tip).get("transcript")
    countdown = _mapping(data.get("countdown"))
    for i, line in enumerate(_list(countdown.get("lines"))):
        yield f"countdown.lines[{i}].transcript", _mapping(line).get("transcript")
    if "out_now" in countdown:
        yield "countdown.out_now.transcript", _mapping(countdown["out_now"]).get("transcript")


def _localized(value: object, path: str) -> Iterator[tuple[str, str]]:
    if isinstance(value, Mapping):
        for key, text in value.items():
            yield from _text(text, f"{path}.{key}")
    else:
        yield from _text(value, path)


def _text(value: object, path: str) -> Iterator[tuple[str, str]]:
    if isinstance(value, str):
        yield path, value


def _mapping(value: object) -> Mapping:
    return value if isinstance(value, Mapping) else {}


def _list(value: object) -> list:
    return value if isinstance(value, list) else []


def _as_question(text: str) -> str:
    return text.strip().rstrip(".!…").rstrip() + "?"

"""Parser for `sentences:` tables (the campaign's, and a section's own), and the package's defaults."""

from __future__ import annotations

from collections.abc import Mapping

from ..model import DEFAULT, LOCALE_PATTERN, Localized, Recording, Sentence, Variant, content_key
from ..problems import ManifestError, Place
from ..sentences import SENTENCES, Sentences, default_wording
from .reader import Reader, join

_DEFAULTS: dict[str, dict[str, Sentence]] | None = None


def sentence_tables(r: Reader, value: object, path: str,
                    allowed: Mapping[str, object] = SENTENCES) -> dict[str, dict[str, Sentence]]:
    """`sentences:`: a `default:` table and per-locale tables, each naming only the sentences it
    says its own way. A section may write its few sentences directly, without `default:`."""
    tables = r.mapping(value, path, any_keys=True)
    if tables and not any(key == DEFAULT or LOCALE_PATTERN.match(str(key)) for key in tables):
        tables = {DEFAULT: tables}
        flat = True
    else:
        flat = False
    parsed: dict[str, dict[str, Sentence]] = {}
    for table_name, table in tables.items():
        here = path if flat else join(path, str(table_name))
        if table_name != DEFAULT:
            r.locale(table_name, here)
        entries = r.mapping(table, here, any_keys=True)
        parsed[str(table_name)] = {}
        for name, text in entries.items():
            where = join(here, str(name))
            if name not in allowed:
                r.problem(where, f"`{name}` is not a sentence {'a section can say' if allowed is not SENTENCES else 'of the skill'}",
                          "correct the name; the sentences are listed in audio_manifest/schema/manifest.schema.json"
                          + (f" (a section may say: {', '.join(sorted(allowed))})" if allowed is not SENTENCES else ""))
                continue
            sentence = r.sentence(text, where, SENTENCES[str(name)].placeholders)
            parsed[str(table_name)][str(name)] = sentence
            r.places.append(Place("sentence", where, sentence, str(name)))
    return parsed


def package_defaults() -> dict[str, dict[str, Sentence]]:
    """The package's default wording, built once: language -> sentence -> Sentence.

    Each default is one line of text, built as `Reader.sentence` builds a campaign's text without
    its checks (about 4 ms of every cold start): the tests check every default as a campaign's
    sentence is checked (`checked_package_defaults`), and that both give the same sentences.
    """
    global _DEFAULTS
    if _DEFAULTS is None:
        _DEFAULTS = {language: {name: _plain_sentence(text) for name, text in table.items() if name in SENTENCES}
                     for language, table in default_wording().items()}
    return _DEFAULTS


def checked_package_defaults() -> dict[str, dict[str, Sentence]]:
    """The package's default wording read with every check a campaign's sentences get.

    Raises:
        ManifestError: a default table is broken (a bug in the package, caught by its tests).
    """
    r = Reader()
    parsed = {language: {name: r.sentence(text, f"{language}.{name}", SENTENCES[name].placeholders)
                         for name, text in table.items() if name in SENTENCES}
              for language, table in default_wording().items()}
    if r.problems:
        raise ManifestError(r.problems, "dropday/core/campaign/sentences")
    return parsed


def _plain_sentence(text: str) -> Sentence:
    words = text.strip()
    return Sentence((Variant(Recording(Localized(words)), key=content_key(f"|{words}")),))


def campaign_sentences(r: Reader, value: object, path: str) -> Sentences:
    """The campaign's sentences over the package's defaults."""
    tables = sentence_tables(r, value, path) if value is not None else {}
    return Sentences(tables, package_defaults())

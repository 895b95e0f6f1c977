"""The parser's readers: each reads one kind of value from the loaded document and records a
`Problem` (place, what is wrong, how to fix it) instead of stopping at the first."""

from __future__ import annotations

import string
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import TypeVar

from ..model import (AUDIO_PATH_PATTERN, DATE_PATTERN, DEFAULT, ID_PATTERN, LOCALE_PATTERN, Localized, Recording,
                     Sentence, Variant, Window, content_key)
from ..problems import Problem
from ..sentences import COMMON_PLACEHOLDERS
from ...texts import text_problems

T = TypeVar("T")
NO_PLACEHOLDERS: frozenset[str] = frozenset()


class Reader:
    """Collects problems while reading a manifest; the entry parsers build on its readers."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def problem(self, path: str, message: str, fix: str) -> None:
        """Record a problem at `path`."""
        self.problems.append(Problem(path, message, fix))

    # -- shapes --------------------------------------------------------------------------------------

    def mapping(self, value: object, path: str, required: Iterable[str] = (),
                optional: Iterable[str] = (), any_keys: bool = False) -> Mapping[str, object]:
        """`value` as a mapping, with missing required keys and unknown keys reported."""
        if not isinstance(value, Mapping):
            self.problem(path, f"expected a mapping of keys, found {kind_of(value)}",
                         "write it as `key: value` lines indented under the name")
            return {}
        required, optional = tuple(required), tuple(optional)
        for key in required:
            if key not in value:
                self.problem(join(path, key), "is missing", f"add `{key}:` under {path or 'the top level'}")
        known = set(required) | set(optional)
        for key in value:
            if key not in known and not any_keys:
                self.problem(join(path, str(key)), "is not a known key",
                             f"remove it or correct the spelling (known keys: {', '.join(sorted(known))})")
        return value

    def sequence(self, value: object, path: str) -> list[object]:
        """`value` as a list (of anything)."""
        if not isinstance(value, list):
            self.problem(path, f"expected a list, found {kind_of(value)}", "write each entry on its own `- ` line")
            return []
        return value

    def optional(self, item: Mapping[str, object], key: str, path: str, read, *args, default=None):
        """`read(item[key], path.key, *args)` when `key` is there, else `default`."""
        return read(item[key], join(path, key), *args) if key in item else default

    # -- values --------------------------------------------------------------------------------------

    def text(self, value: object, path: str, max_length: int | None = None) -> str:
        """Some text, stripped."""
        if not isinstance(value, str) or not value.strip():
            self.problem(path, f"expected some text, found {kind_of(value)}",
                         "write the words after the colon, in quotes if YAML could read them as something "
                         "else (yes, no, on, off, a number or a date)")
            return ""
        self.problems += (Problem(path, *found) for found in text_problems(value))  # core/texts.py: every text
        if max_length and len(value) > max_length:
            self.problem(path, f"is {len(value)} characters long", f"shorten it to {max_length} characters")
        return value.strip()

    def words(self, value: object, path: str, max_length: int | None = None) -> tuple[str, ...]:
        """A list of texts (names, synonyms)."""
        return tuple(self.text(word, f"{path}[{i}]", max_length) for i, word in enumerate(self.sequence(value, path)))

    def identifier(self, value: object, path: str) -> str:
        """An id: lowercase letters, digits and hyphens."""
        text = self.text(value, path)
        if text and not ID_PATTERN.match(text):
            self.problem(path, f"`{text}` is not a valid id",
                         "use lowercase letters, digits and hyphens, starting with a letter or digit")
        return text

    def count(self, value: object, path: str, minimum: int = 1) -> int | None:
        """A whole number at least `minimum`."""
        if type(value) is not int or value < minimum:
            self.problem(path, f"expected a whole number of at least {minimum}, found {value!r}",
                         f"write a number such as {max(minimum, 3)}")
            return None
        return value

    def flag(self, value: object, path: str) -> bool:
        """true or false."""
        if not isinstance(value, bool):
            self.problem(path, f"expected true or false, found {value!r}", "write true or false")
            return False
        return value

    def day(self, value: object, path: str) -> date | None:
        """A calendar date written as YYYY-MM-DD."""
        if isinstance(value, date) and not isinstance(value, datetime):
            return value
        if isinstance(value, str) and DATE_PATTERN.match(value):
            try:
                return date.fromisoformat(value)
            except ValueError:
                pass
        shown = value.isoformat(sep=" ") if isinstance(value, datetime) else repr(value)
        self.problem(path, f"expected a date, found {shown}",
                     "write the date alone as YYYY-MM-DD, e.g. 2027-01-15 (no time of day)")
        return None

    def locale(self, value: object, path: str) -> str:
        """A locale code such as en-GB."""
        text = self.text(value, path)
        if text and not LOCALE_PATTERN.match(text):
            self.problem(path, f"`{text}` is not a locale code", "use a code such as en-GB or en-US")
        return text

    def locales(self, value: object, path: str) -> frozenset[str]:
        """A list of locale codes."""
        return frozenset(self.locale(code, f"{path}[{i}]") for i, code in enumerate(self.sequence(value, path)))

    def template(self, value: object, path: str, placeholders: frozenset[str] = NO_PLACEHOLDERS) -> str:
        """Text whose {placeholders} are all among `placeholders` and the common ones."""
        text = self.text(value, path)
        allowed = placeholders | COMMON_PLACEHOLDERS
        try:
            fields = [(name, conversion, spec) for _, name, spec, conversion in string.Formatter().parse(text)
                      if name is not None]
        except ValueError as exc:
            self.problem(path, f"has an unbalanced brace ({exc})",
                         "write placeholders as {album}; remove stray { or } characters")
            return text
        for name, conversion, spec in fields:
            if conversion or spec:
                self.problem(path, f"has a placeholder with a format, `{{{name}{'!' + conversion if conversion else ''}"
                             f"{':' + spec if spec else ''}}}`", "write placeholders plainly, e.g. {album}")
        for name in sorted({name for name, _, _ in fields} - allowed):
            self.problem(path, f"uses the unknown placeholder {{{name}}}",
                         f"use only {', '.join('{' + n + '}' for n in sorted(allowed))}")
        return text

    def localized(self, value: object, path: str, placeholders: frozenset[str] = NO_PLACEHOLDERS) -> Localized:
        """A text, or `default:` plus per-locale texts."""
        if isinstance(value, str):
            return Localized(self.template(value, path, placeholders))
        table = self.mapping(value, path, any_keys=True)
        if isinstance(value, Mapping) and DEFAULT not in table:
            self.problem(join(path, DEFAULT), "is missing",
                         "give the English text under `default:`; locales may override it")
        by_locale = {}
        for key, text in table.items():
            if key != DEFAULT:
                self.locale(key, join(path, str(key)))
                by_locale[str(key)] = self.template(text, join(path, str(key)), placeholders)
        return Localized(self.template(table[DEFAULT], join(path, DEFAULT), placeholders)
                         if DEFAULT in table else "", by_locale)

    def audio(self, value: object, path: str) -> str | None:
        """A clip's path under the campaign's audio folder."""
        if value is None:
            return None
        text = self.text(value, path)
        if text and not AUDIO_PATH_PATTERN.match(text):
            self.problem(path, f"`{text}` is not a safe clip path",
                         "use a relative path of letters, digits, '.', '-', '_' and '/' ending in .mp3, "
                         "without spaces, e.g. studio/ada-warmup.mp3")
        return text or None

    def window(self, value: object, path: str) -> Window:
        """`available: {from, until}`."""
        item = self.mapping(value, path, optional=("from", "until"))
        start = self.optional(item, "from", path, self.day)
        end = self.optional(item, "until", path, self.day)
        if isinstance(value, Mapping) and "from" not in item and "until" not in item:
            self.problem(path, "gives neither `from` nor `until`", "give at least one date, or remove `available`")
        if start and end and end < start:
            self.problem(f"{path}.until", f"{end} is before {start}", "make `until` the same day as `from` or later")
        return Window(start, end)

    # -- recordings and sentences --------------------------------------------------------------------

    RECORDING_KEYS = ("audio", "transcript", "locales")

    def recording(self, item: Mapping[str, object], path: str,
                  placeholders: frozenset[str] = NO_PLACEHOLDERS) -> Recording:
        """The `audio`, `transcript` and `locales` keys of an entry that is a recording."""
        transcript = self.localized(item["transcript"], join(path, "transcript"), placeholders) \
            if "transcript" in item else Localized("")
        locales = None
        if "locales" in item:
            locales = self.locales(item["locales"], join(path, "locales"))
            if "audio" not in item:
                self.problem(join(path, "locales"), "names the locales of a clip, but there is no `audio`",
                             "add `audio:` or remove `locales:`")
        return Recording(transcript, self.audio(item.get("audio"), join(path, "audio")), locales)

    def sentence(self, value: object, path: str, placeholders: frozenset[str] = NO_PLACEHOLDERS) -> Sentence:
        """A sentence: text, a recording (`audio` + `transcript`), or a list of variants, each text or
        a recording, each with an optional `available` window."""
        entries = value if isinstance(value, list) else [value]
        if isinstance(value, list) and not value:
            self.problem(path, "has no variants", "give the sentence as text, or list at least one variant")
        variants = []
        for i, entry in enumerate(entries):
            here = f"{path}[{i}]" if isinstance(value, list) else path
            variants.append(self.variant(entry, here, placeholders))
        return Sentence(tuple(variants))

    def variant(self, value: object, path: str, placeholders: frozenset[str]) -> Variant:
        """One variant of a sentence."""
        if not isinstance(value, Mapping):   # text, or something YAML read as a number or true/false
            text = self.template(value, path, placeholders)
            return Variant(Recording(Localized(text)), key=content_key(f"|{text}"))
        item = self.mapping(value, path, optional=("text", *self.RECORDING_KEYS, "available"))
        if not item:
            return Variant(Recording(Localized("")))
        if ("text" in item) == ("transcript" in item):
            self.problem(path, "needs either `text` (words for Alexa to read) or `audio` with its `transcript`",
                         "write `text: ...`, or `audio: <clip>` and `transcript: <what the clip says>`")
        if "text" in item and "audio" in item:
            self.problem(join(path, "audio"), "is a clip, so its words go under `transcript`, not `text`",
                         "rename `text:` to `transcript:`")
        if "audio" in item and "transcript" not in item and "text" not in item:
            self.problem(join(path, "transcript"), "is missing",
                         "add `transcript:` with the words the clip says (Alexa reads them where it cannot play)")
        if "text" in item:
            recording = Recording(Localized(self.template(item["text"], join(path, "text"), placeholders)))
        else:
            recording = self.recording(item, path, placeholders)
        window = self.optional(item, "available", path, self.window, default=Window())
        return Variant(recording, window, content_key(f"{recording.audio or ''}|{recording.transcript.default}"))


def join(path: str, key: str) -> str:
    """`path.key`, or `key` at the top level."""
    return f"{path}.{key}" if path else key


def kind_of(value: object) -> str:
    """What `value` is, in the content team's words."""
    if value is None:
        return "nothing"
    return {str: "text", bool: "true/false", int: "a number", float: "a number",
            list: "a list", dict: "a mapping"}.get(type(value), type(value).__name__)
